#pragma once
// Bytes carried by groups of links (a fabric's tiers, a federation's links) over the timeseries intervals,
// for their utilisation. Each flow's bytes are spread evenly over its life: SimGrid's rates between a flow's
// start and end are not read back, so within a flow's life the split between intervals is an
// approximation, while the bytes of each flow, and so the totals, are exact.
#include <cstddef>
#include <vector>

namespace capsim {

class LinkTraffic {
 public:
  // `capacity_bytes_per_s`: by group, the sum over its links and their directions.
  LinkTraffic(double horizon_s, double warmup_s, double interval_s, std::vector<double> capacity_bytes_per_s);
  void add(std::size_t group, double bytes, double t0, double t1);

  std::size_t groups() const { return capacity_.size(); }
  std::size_t intervals() const { return bins_.empty() ? 0 : bins_.front().size(); }
  // Bytes over capacity x time: in interval k, over the window, and the highest interval of the window.
  double interval_utilization(std::size_t group, std::size_t k) const;
  double window_utilization(std::size_t group) const;
  double window_peak_utilization(std::size_t group) const;
  double window_bytes(std::size_t group) const { return window_bytes_[group]; }

 private:
  double horizon_s_, warmup_s_, interval_s_;
  std::vector<double> capacity_;
  std::vector<std::vector<double>> bins_;  // by group, by interval: bytes
  std::vector<double> window_bytes_;
};

}  // namespace capsim
