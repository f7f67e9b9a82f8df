#include "models/results/recorder.hpp"

#include <algorithm>
#include <cmath>

namespace capsim {

Recorder::Recorder(double horizon_s, double warmup_s, double interval_s, const FacilityModel& facility)
    : horizon_s_(horizon_s), warmup_s_(warmup_s), interval_s_(interval_s), facility_(facility) {
  std::size_t n = static_cast<std::size_t>(std::ceil(horizon_s / interval_s));
  bins_.resize(std::max<std::size_t>(n, 1));
  for (std::size_t i = 0; i < bins_.size(); ++i) {
    bins_[i].start_s = static_cast<double>(i) * interval_s;
    bins_[i].end_s = std::min(horizon_s, static_cast<double>(i + 1) * interval_s);
  }
  hourly_it_j_.assign(facility.multiplier.size(), 0.0);
  hourly_facility_j_.assign(facility.multiplier.size(), 0.0);
  hourly_room_s_.assign(facility.multiplier.size(), 0.0);
}

void Recorder::account(double a, double b) {
  const double dt = b - a;
  const std::size_t hour = facility_.hour_of(a);
  const double it_w = facility_.it_w(state_.compute_power_w, state_.fabric_power_w);
  const double facility_w = facility_.facility_w(state_.compute_power_w, hour, state_.fabric_power_w);
  total_compute_j_ += state_.compute_power_w * dt;
  if (run_it_j_.size() < state_.run_compute_w.size()) {
    run_it_j_.resize(state_.run_compute_w.size(), 0.0);
    run_facility_j_.resize(state_.run_compute_w.size(), std::vector<double>(facility_.multiplier.size(), 0.0));
  }
  for (std::size_t k = 0; k < state_.run_compute_w.size(); ++k) {
    const double run_it_w = facility_.it_w(state_.run_compute_w[k], 0);
    run_it_j_[k] += run_it_w * dt;
    run_facility_j_[k][hour] += run_it_w * facility_.multiplier[hour] * dt;
  }
  TimeseriesRow& r = bins_[std::min(bins_.size() - 1, static_cast<std::size_t>(a / interval_s_))];
  r.gpus_allocated += state_.gpus_allocated * dt;
  r.gpus_busy += state_.gpus_busy * dt;
  r.jobs_running += state_.jobs_running * dt;
  r.jobs_queued += state_.jobs_queued * dt;
  r.it_power_w += it_w * dt;
  r.facility_power_w += facility_w * dt;
  r.gpus_in_service += state_.gpus_in_service * dt;
  r.gpus_off += state_.gpus_off * dt;
  r.capacity_gpus += state_.service_rate * dt;
  r.nodes_down += static_cast<double>(state_.nodes_down) * dt;
  r.busy_level_gpu_s += state_.gpus_busy * state_.speed * dt;
  r.level_s += state_.speed * dt;
  if (a >= warmup_s_) {
    window_allocated_gpu_s_ += state_.gpus_allocated * dt;
    delivered_gpu_s_ += state_.held_work_rate * dt;
    busy_work_gpu_s_ += state_.busy_work_rate * dt;
    service_gpu_s_ += state_.gpus_in_service * dt;
    off_gpu_s_ += state_.gpus_off * dt;
    down_node_s_ += static_cast<double>(state_.nodes_down) * dt;
    window_busy_gpu_s_ += state_.gpus_busy * dt;
    window_compute_j_ += state_.compute_power_w * dt;
    window_fabric_j_ += state_.fabric_power_w * dt;
    hourly_it_j_[hour] += it_w * dt;
    hourly_facility_j_[hour] += facility_w * dt;
    if (state_.cap_room) hourly_room_s_[hour] += dt;
    peak_compute_w_ = std::max(peak_compute_w_, state_.compute_power_w);
    peak_it_w_ = std::max(peak_it_w_, it_w);
    peak_facility_w_ = std::max(peak_facility_w_, facility_w);
    if (state_.speed < 1 || state_.held_by_cap || state_.gpus_off > 0) capped_s_ += dt;
    if (state_.speed < 1) {
      throttled_gpu_s_ += state_.gpus_busy * (1 - state_.speed) * dt;
    }
    if (tranche_totals_.size() < state_.tranches.size()) tranche_totals_.resize(state_.tranches.size());
    for (std::size_t i = 0; i < state_.tranches.size(); ++i) {
      const TrancheLoad& l = state_.tranches[i];
      TrancheTotals& t = tranche_totals_[i];
      t.allocated_gpu_s += l.gpus_allocated * dt;
      t.busy_gpu_s += l.gpus_busy * dt;
      t.delivered_gpu_s += l.held_rate * state_.speed * dt;
      t.busy_work_gpu_s += l.busy_rate * state_.speed * dt;
    }
  }
}

void Recorder::advance(double t) {
  t = std::min(t, horizon_s_);
  // Split at the warm-up, hour and bin boundaries.
  while (last_t_ < t) {
    double b = t;
    if (last_t_ < warmup_s_) b = std::min(b, warmup_s_);
    b = std::min(b, (std::floor(last_t_ / 3600.0) + 1) * 3600.0);
    b = std::min(b, (std::floor(last_t_ / interval_s_) + 1) * interval_s_);
    account(last_t_, b);
    last_t_ = b;
  }
}

void Recorder::set(double t, const ClusterState& s) {
  advance(t);
  state_ = s;
  if (t >= warmup_s_ && t < horizon_s_) {
    peak_compute_w_ = std::max(peak_compute_w_, s.compute_power_w);
    peak_it_w_ = std::max(peak_it_w_, facility_.it_w(s.compute_power_w, s.fabric_power_w));
    peak_facility_w_ = std::max(peak_facility_w_, facility_.facility_w(s.compute_power_w, facility_.hour_of(t), s.fabric_power_w));
  }
}

std::vector<TimeseriesRow> Recorder::rows() const {
  std::vector<TimeseriesRow> out = bins_;
  for (auto& r : out) {
    double len = r.end_s - r.start_s;
    r.gpus_allocated /= len;
    r.jobs_running /= len;
    r.jobs_queued /= len;
    r.it_power_w /= len;
    r.facility_power_w /= len;
    r.speed_level = r.gpus_busy > 0 ? r.busy_level_gpu_s / r.gpus_busy : r.level_s / len;  // gpus_busy still a sum here
    r.gpus_busy /= len;
    r.gpus_in_service /= len;
    r.gpus_off /= len;
    r.capacity_gpus /= len;
    r.nodes_down /= len;
  }
  return out;
}

}  // namespace capsim
