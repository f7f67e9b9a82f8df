#include "models/federation/dispatch.hpp"

#include <algorithm>

namespace capsim {

namespace {

// Least queued work first: a lexicographic key, smaller is better.
// Without transfers (all transfer_s 0) the delay only ranks members that can start at once first.
bool less_loaded(const MemberView& a, const MemberView& b) {
  const double qa = a.queued_work_gpu_s / std::max<long long>(a.gpus_on, 1);
  const double qb = b.queued_work_gpu_s / std::max<long long>(b.gpus_on, 1);
  const double da = a.transfer_s + (a.can_start_now ? 0.0 : std::max(0.0, qa));
  const double db = b.transfer_s + (b.can_start_now ? 0.0 : std::max(0.0, qb));
  if (da != db) return da < db;
  if (a.can_start_now != b.can_start_now) return a.can_start_now;
  if (qa != qb) return qa < qb;
  const double fa = static_cast<double>(a.gpus_free) / std::max<long long>(a.gpus_on, 1);
  const double fb = static_cast<double>(b.gpus_free) / std::max<long long>(b.gpus_on, 1);
  return fa > fb;
}

}  // namespace

int dispatch_job(DispatchPolicy policy, int pinned, const std::vector<MemberView>& m) {
  if (pinned >= 0) return pinned;
  int best = -1;
  if (policy != DispatchPolicy::least_queued_work) {
    auto value = [&](const MemberView& v) { return policy == DispatchPolicy::cheapest_power ? v.price_usd_per_kwh : v.carbon_g_per_kwh; };
    for (int i = 0; i < static_cast<int>(m.size()); ++i) {
      const MemberView& v = m[i];
      if (!v.can_start_now) continue;
      if (best < 0 || value(v) < value(m[best]) || (value(v) == value(m[best]) && less_loaded(v, m[best]))) best = i;
    }
    if (best >= 0) return best;
  }
  const bool any_now = std::any_of(m.begin(), m.end(), [](const MemberView& v) { return v.can_hold_now; });
  for (int i = 0; i < static_cast<int>(m.size()); ++i) {
    if (!(any_now ? m[i].can_hold_now : m[i].can_hold)) continue;
    if (best < 0 || less_loaded(m[i], m[best])) best = i;
  }
  return best < 0 ? 0 : best;
}

}  // namespace capsim
