#include "models/results/link_traffic.hpp"

#include <algorithm>
#include <cmath>

namespace capsim {

LinkTraffic::LinkTraffic(double horizon_s, double warmup_s, double interval_s, std::vector<double> capacity_bytes_per_s)
    : horizon_s_(horizon_s), warmup_s_(warmup_s), interval_s_(interval_s), capacity_(std::move(capacity_bytes_per_s)) {
  const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(horizon_s / interval_s)));
  bins_.assign(capacity_.size(), std::vector<double>(n, 0.0));
  window_bytes_.assign(capacity_.size(), 0.0);
}

void LinkTraffic::add(std::size_t group, double bytes, double t0, double t1) {
  t1 = std::min(t1, horizon_s_);
  if (bytes <= 0) return;
  std::vector<double>& bins = bins_[group];
  const auto first = std::min(bins.size() - 1, static_cast<std::size_t>(t0 / interval_s_));
  if (t1 <= t0) {  // a flow whose end rounds onto its start: all in its instant's interval
    bins[first] += bytes;
    if (t0 >= warmup_s_) window_bytes_[group] += bytes;
    return;
  }
  const double rate = bytes / (t1 - t0);
  for (std::size_t k = first; k < bins.size() && static_cast<double>(k) * interval_s_ < t1; ++k) {
    const double a = std::max(t0, static_cast<double>(k) * interval_s_);
    const double b = std::min(t1, static_cast<double>(k + 1) * interval_s_);
    if (b > a) bins[k] += rate * (b - a);
  }
  if (t1 > warmup_s_) window_bytes_[group] += rate * (t1 - std::max(t0, warmup_s_));
}

double LinkTraffic::interval_utilization(std::size_t group, std::size_t k) const {
  const double len = std::min(horizon_s_, static_cast<double>(k + 1) * interval_s_) - static_cast<double>(k) * interval_s_;
  return capacity_[group] > 0 && len > 0 ? bins_[group][k] / (capacity_[group] * len) : 0.0;
}

double LinkTraffic::window_utilization(std::size_t group) const {
  const double len = horizon_s_ - warmup_s_;
  return capacity_[group] > 0 && len > 0 ? window_bytes_[group] / (capacity_[group] * len) : 0.0;
}

double LinkTraffic::window_peak_utilization(std::size_t group) const {
  double peak = 0;
  for (std::size_t k = 0; k < intervals(); ++k)
    if (static_cast<double>(k + 1) * interval_s_ > warmup_s_) peak = std::max(peak, interval_utilization(group, k));
  return peak;
}

}  // namespace capsim
