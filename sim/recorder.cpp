#include "sim/recorder.hpp"

#include <algorithm>
#include <cmath>

namespace capsim {

Recorder::Recorder(double horizon_s, double warmup_s, double interval_s)
    : horizon_s_(horizon_s), warmup_s_(warmup_s), interval_s_(interval_s) {
  std::size_t n = static_cast<std::size_t>(std::ceil(horizon_s / interval_s));
  bins_.resize(std::max<std::size_t>(n, 1));
  for (std::size_t i = 0; i < bins_.size(); ++i) {
    bins_[i].start_s = static_cast<double>(i) * interval_s;
    bins_[i].end_s = std::min(horizon_s, static_cast<double>(i + 1) * interval_s);
  }
}

void Recorder::advance(double t) {
  t = std::min(t, horizon_s_);
  if (t <= last_t_) return;
  double a = last_t_;
  // Window totals.
  double wa = std::max(a, warmup_s_);
  if (t > wa) {
    double dt = t - wa;
    window_allocated_gpu_s_ += state_.gpus_allocated * dt;
    window_busy_gpu_s_ += state_.gpus_busy * dt;
    window_energy_j_ += state_.it_power_w * dt;
    peak_w_ = std::max(peak_w_, state_.it_power_w);
  }
  total_energy_j_ += state_.it_power_w * (t - a);
  // Bins (sums of value x time; turned into means in rows()).
  std::size_t i = static_cast<std::size_t>(a / interval_s_);
  while (a < t && i < bins_.size()) {
    double b = std::min(t, bins_[i].end_s);
    double dt = b - a;
    TimeseriesRow& r = bins_[i];
    r.gpus_allocated += state_.gpus_allocated * dt;
    r.gpus_busy += state_.gpus_busy * dt;
    r.jobs_running += state_.jobs_running * dt;
    r.jobs_queued += state_.jobs_queued * dt;
    r.it_power_w += state_.it_power_w * dt;
    a = b;
    ++i;
  }
  last_t_ = t;
}

void Recorder::set(double t, const ClusterState& s) {
  advance(t);
  state_ = s;
  if (t >= warmup_s_ && t < horizon_s_) peak_w_ = std::max(peak_w_, s.it_power_w);
}

std::vector<TimeseriesRow> Recorder::rows() const {
  std::vector<TimeseriesRow> out = bins_;
  for (auto& r : out) {
    double len = r.end_s - r.start_s;
    r.gpus_allocated /= len;
    r.gpus_busy /= len;
    r.jobs_running /= len;
    r.jobs_queued /= len;
    r.it_power_w /= len;
  }
  return out;
}

}  // namespace capsim
