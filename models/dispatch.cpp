#include "models/dispatch.hpp"

#include <algorithm>

namespace capsim {

namespace {

// Least queued work first: a lexicographic key, smaller is better.
bool less_loaded(const MemberView& a, const MemberView& b) {
  const double qa = a.queued_work_gpu_s / std::max<long long>(a.gpus_on, 1);
  const double qb = b.queued_work_gpu_s / std::max<long long>(b.gpus_on, 1);
  if (qa != qb) return qa < qb;
  const double fa = static_cast<double>(a.gpus_free) / std::max<long long>(a.gpus_on, 1);
  const double fb = static_cast<double>(b.gpus_free) / std::max<long long>(b.gpus_on, 1);
  return fa > fb;
}

}  // namespace

int dispatch_job(DispatchPolicy policy, int job_gpus, int pinned, const std::vector<MemberView>& m) {
  if (pinned >= 0) return pinned;
  int best = -1;
  if (policy != DispatchPolicy::least_queued_work) {
    auto value = [&](const MemberView& v) { return policy == DispatchPolicy::cheapest_power ? v.price_usd_per_kwh : v.carbon_g_per_kwh; };
    for (int i = 0; i < static_cast<int>(m.size()); ++i) {
      const MemberView& v = m[i];
      if (!v.can_hold || v.queued_work_gpu_s > 0 || v.gpus_free < job_gpus) continue;
      if (best < 0 || value(v) < value(m[best]) || (value(v) == value(m[best]) && less_loaded(v, m[best]))) best = i;
    }
    if (best >= 0) return best;
  }
  for (int i = 0; i < static_cast<int>(m.size()); ++i) {
    if (!m[i].can_hold) continue;
    if (best < 0 || less_loaded(m[i], m[best])) best = i;
  }
  return best < 0 ? 0 : best;
}

}  // namespace capsim
