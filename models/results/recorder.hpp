#pragma once
// Integrates the cluster's piecewise-constant state (it changes only at events) into fixed-interval bins,
// hourly facility energy and window totals, lazily: each state is accounted for when the next one
// replaces it, split at hour boundaries where the facility multiplier changes.
#include <vector>

#include "models/site/facility.hpp"

namespace capsim {

// One tranche's share of the state: what its GPUs hold and do.
struct TrancheLoad {
  long long gpus_allocated = 0;
  long long gpus_busy = 0;
  double held_rate = 0;  // reference GPU-seconds per second its allocated GPUs are worth at full speed
  double busy_rate = 0;  // the same for its busy GPUs
};

// A tranche's totals over the window.
struct TrancheTotals {
  double allocated_gpu_s = 0;
  double busy_gpu_s = 0;
  double delivered_gpu_s = 0;  // allocated GPU-seconds x speed, in reference GPU-seconds
  double busy_work_gpu_s = 0;  // work done by its busy GPUs, in reference GPU-seconds
};

struct ClusterState {
  long long gpus_allocated = 0;  // held by jobs (whole nodes for multi-node jobs)
  long long gpus_busy = 0;       // running a job's work (draw active power)
  long long jobs_running = 0;
  long long jobs_queued = 0;
  double compute_power_w = 0;    // compute nodes
  double fabric_power_w = 0;     // switches and optics (a network section), on whatever the load
  double speed = 1;              // level of every node (below 1 when throttled under a power cap)
  bool held_by_cap = false;      // jobs wait because of the power cap (hold mode)
  long long gpus_in_service = 0; // GPUs of the tranches in service
  long long gpus_off = 0;        // of those, switched off to keep within a power cap
  double service_rate = 0;       // reference GPU-seconds per second of the GPUs in service at full speed
  double busy_work_rate = 0;     // reference GPU-seconds of work done per second by busy GPUs
  double held_work_rate = 0;     // the same for allocated GPUs
  // Throttling under a cap, with pods off or slowed, no pod in its dwell, and the first queued job would
  // fit on the free GPUs with those switched off: the controller should be using the cap to the full.
  bool cap_room = false;
  long long nodes_down = 0;      // failed, under repair (a failures section)
  std::vector<TrancheLoad> tranches;  // by tranche, in the cluster's order
  std::vector<double> run_compute_w;  // by training run: its nodes' power (0 while it holds none)
};

struct TimeseriesRow {
  double start_s = 0, end_s = 0;
  // interval means
  double gpus_allocated = 0, gpus_busy = 0, jobs_running = 0, jobs_queued = 0, it_power_w = 0, facility_power_w = 0;
  double gpus_in_service = 0, gpus_off = 0;
  double capacity_gpus = 0;  // GPUs in service x their speed: reference GPUs
  double nodes_down = 0;
  // The power cap's speed level, weighted by busy GPUs (by time while none is busy).
  double speed_level = 1;
  double busy_level_gpu_s = 0, level_s = 0;  // its sums over the interval
};

class Recorder {
 public:
  Recorder(double horizon_s, double warmup_s, double interval_s, const FacilityModel& facility);
  // The state from `t` on (after all events at t were processed).
  void set(double t, const ClusterState& s);
  // Accounts for the current state up to `t` (call with the horizon at the end).
  void advance(double t);

  std::vector<TimeseriesRow> rows() const;
  double window_allocated_gpu_s() const { return window_allocated_gpu_s_; }
  double window_busy_gpu_s() const { return window_busy_gpu_s_; }
  double window_compute_energy_j() const { return window_compute_j_; }
  double total_compute_energy_j() const { return total_compute_j_; }
  double window_peak_compute_power_w() const { return peak_compute_w_; }
  double window_peak_it_power_w() const { return peak_it_w_; }
  double window_fabric_energy_j() const { return window_fabric_j_; }
  double window_peak_facility_power_w() const { return peak_facility_w_; }
  double window_capped_s() const { return capped_s_; }
  double window_throttled_gpu_s() const { return throttled_gpu_s_; }  // busy GPU-seconds not delivered
  // Allocated GPU-seconds x speed: reference GPU-seconds the allocations were worth.
  double window_delivered_gpu_s() const { return delivered_gpu_s_; }
  double window_busy_work_gpu_s() const { return busy_work_gpu_s_; }
  double window_service_gpu_s() const { return service_gpu_s_; }
  double window_off_gpu_s() const { return off_gpu_s_; }
  double window_down_node_s() const { return down_node_s_; }
  const std::vector<TrancheTotals>& window_tranches() const { return tranche_totals_; }
  // Per hour of the horizon, the part inside the window.
  const std::vector<double>& hourly_window_it_j() const { return hourly_it_j_; }
  const std::vector<double>& hourly_window_facility_j() const { return hourly_facility_j_; }
  const std::vector<double>& hourly_window_cap_room_s() const { return hourly_room_s_; }
  // By training run, per hour of the whole horizon: its facility energy (its nodes' IT power x the hour's
  // multiplier; the fixed power and the fabric are not a run's); and its IT energy over the horizon.
  const std::vector<std::vector<double>>& run_hourly_facility_j() const { return run_facility_j_; }
  const std::vector<double>& run_it_j() const { return run_it_j_; }

 private:
  void account(double a, double b);  // the current state over [a, b), within one hour and one bin
  double horizon_s_, warmup_s_, interval_s_;
  const FacilityModel& facility_;
  double last_t_ = 0;
  ClusterState state_;
  std::vector<TimeseriesRow> bins_;
  std::vector<double> hourly_it_j_, hourly_facility_j_, hourly_room_s_;
  std::vector<TrancheTotals> tranche_totals_;
  std::vector<std::vector<double>> run_facility_j_;
  std::vector<double> run_it_j_;
  double window_allocated_gpu_s_ = 0, window_busy_gpu_s_ = 0, window_compute_j_ = 0, total_compute_j_ = 0;
  double peak_compute_w_ = 0, peak_it_w_ = 0, peak_facility_w_ = 0;
  double window_fabric_j_ = 0;
  double capped_s_ = 0, throttled_gpu_s_ = 0, delivered_gpu_s_ = 0, busy_work_gpu_s_ = 0, service_gpu_s_ = 0, off_gpu_s_ = 0, down_node_s_ = 0;
};

}  // namespace capsim
