#pragma once
// Integrates the cluster's piecewise-constant state (it changes only at events) into fixed-interval bins
// and window totals, lazily: each state is accounted for when the next one replaces it.
#include <vector>

namespace capsim {

struct ClusterState {
  long long gpus_allocated = 0;  // held by jobs (whole nodes for multi-node jobs)
  long long gpus_busy = 0;       // running a job's work (draw active power)
  long long jobs_running = 0;
  long long jobs_queued = 0;
  double it_power_w = 0;
};

struct TimeseriesRow {
  double start_s = 0, end_s = 0;
  double gpus_allocated = 0, gpus_busy = 0, jobs_running = 0, jobs_queued = 0, it_power_w = 0;  // interval means
};

class Recorder {
 public:
  Recorder(double horizon_s, double warmup_s, double interval_s);
  // The state from `t` on (after all events at t were processed).
  void set(double t, const ClusterState& s);
  // Accounts for the current state up to `t` (call with the horizon at the end).
  void advance(double t);

  std::vector<TimeseriesRow> rows() const;
  double window_allocated_gpu_s() const { return window_allocated_gpu_s_; }
  double window_busy_gpu_s() const { return window_busy_gpu_s_; }
  double window_it_energy_j() const { return window_energy_j_; }
  double total_it_energy_j() const { return total_energy_j_; }
  double window_peak_it_power_w() const { return peak_w_; }

 private:
  double horizon_s_, warmup_s_, interval_s_;
  double last_t_ = 0;
  ClusterState state_;
  std::vector<TimeseriesRow> bins_;
  double window_allocated_gpu_s_ = 0, window_busy_gpu_s_ = 0, window_energy_j_ = 0, total_energy_j_ = 0;
  double peak_w_ = 0;
};

}  // namespace capsim
