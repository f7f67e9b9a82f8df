#pragma once
// The power-cap controller: which pods are switched on, at which speed level, and how many more GPUs may
// start, so that facility power stays within the cap (docs/architecture.md lists where the engine calls
// it). Events in (jobs placed and ended on pods, tranches entering or leaving service), decisions out
// (pods to switch, speed levels, a start limit); no SimGrid here, so it is tested alone.
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include "models/hardware/cluster.hpp"
#include "models/site/facility.hpp"
#include "models/site/facility_spec.hpp"

namespace capsim {

// A pod: the nodes the engine aggregates into one host, and the unit the controller switches.
struct PodState {
  int tranche = 0;
  int first_node = 0;
  int nodes = 0;
  int busy = 0;  // GPUs running jobs
  int held = 0;  // GPUs allocated
  bool on = true;
  bool off_for_cap = false;  // switched off to keep within the power cap
  bool draining = false;     // on, but out of the scheduler's pool: switched off when its last job ends
  bool pinned = false;       // holds a reservation in its window: never switched off or drained under the cap
  int rank = 0;              // order in which idle pods are switched off under a cap
  double switched_s = -std::numeric_limits<double>::infinity();  // last switched on or off under the cap
};

// A decision to switch a pod. `for_cap`: its nodes also leave (or rejoin) the scheduler's pool; otherwise
// the pod's tranche enters or leaves service, or a retired pod's last job ended. `drain`: only the pool
// changes and the pod stays on (`on` false: it takes no new job, and switches off when its jobs end).
struct PodSwitch {
  int pod = 0;
  bool on = false;
  bool for_cap = false;
  bool drain = false;
};

// Each tranche's nodes in its pods (host groups), in node order: as evenly as possible, or, with a fabric,
// whole leaves (or rail groups) but the last.
std::vector<PodState> pod_layout(const ClusterSpec& c);

class PowerCapController {
 public:
  PowerCapController(const ClusterSpec& cluster, const FacilitySpec& facility, const FacilityModel& model);

  // Speed levels every pod can run at (pstates): 1.0 only without a cap, else 1.0, 0.95, ... 0.1.
  const std::vector<double>& speed_levels() const { return levels_; }
  const std::vector<PodState>& pods() const { return pods_; }
  const PodState& pod(int p) const { return pods_[p]; }
  bool in_service(int tranche) const { return in_service_[tranche] != 0; }

  // Events in.
  // A job takes (positive) or releases (negative) GPUs of a pod. Returns a switch-off when a retired pod
  // has run its last job.
  std::optional<PodSwitch> add_load(int pod, int busy, int held);
  // A tranche enters or leaves service (`retired`: for good). Returns the pods to switch.
  std::vector<PodSwitch> set_in_service(int tranche, bool serve, bool retired);
  // A reservation's window opens (or closes) on a pod's nodes: kept on under the cap while pinned, so the
  // run finds its nodes. Pinning a pod switched off or drained under the cap returns its switch back on.
  std::optional<PodSwitch> pin(double now, int pod, bool pinned);

  // Decisions out.
  // Under a cap, chooses the pods that are on so the work done within it is the most: idle pods off while
  // the cap binds; with jobs waiting (throttle mode), busy pods drained while the load would run slower than
  // the most work-per-watt speed v*; and (with `allow_on`) pods back on while `queued_gpus` are asked for by waiting jobs and one
  // more full pod still runs at v* or faster. Returns the switches, in the order made.
  std::vector<PodSwitch> manage_pods(double now, long long queued_gpus, bool allow_on);
  // GPUs that may start in the next decision, holding jobs under a cap; nullopt when starts are unlimited.
  std::optional<long long> start_limit(double now) const;
  // The speed level for this hour and load: the fastest whose facility power fits the cap (the slowest if
  // none does). Returns whether it changed; then every pod runs at level(pod).
  bool update_level(double now);
  std::size_t level(int /*pod*/) const { return level_; }

  // State, for the recorder and the energy checks.
  double compute_power_w() const { return compute_power(level_); }
  // What the busy GPUs' active power is multiplied by at the current level.
  double active_scale() const { return std::pow(levels_[level_], exponent_); }
  // Of the tranches in service, less the leaves of their pods that are off.
  double fabric_power_w() const { return fabric_w_ - off_leaf_w_; }
  double speed() const { return levels_[level_]; }
  long long gpus_off() const { return gpus_off_; }
  long long switches() const { return switches_; }
  // Whether starts are held (hold mode) rather than slowed, and the last time any pod was switched,
  // drained or taken back under the cap (its dwell runs from then).
  bool holds() const { return hold_; }
  double last_switch_s() const { return last_switch_s_; }
  double switch_interval_s() const { return switch_interval_s_; }
  // Under a cap with a climate-driven facility, the allowed speed changes with each hour's temperature.
  bool hourly() const { return cap_w_ && climate_; }

 private:
  double compute_power(std::size_t level) const;
  bool fits_at(std::size_t level, std::size_t hour, double extra_idle_w, double extra_dyn_w, double extra_fabric_w = 0) const;
  double leaf_w(int pod) const { return model_.pod_leaf_w.empty() ? 0 : model_.pod_leaf_w[static_cast<std::size_t>(pod)]; }
  void count_off_leaves();
  void power(int pod, bool on);
  void refresh_idle(int pod);
  void mark_off_for_cap(int pod, bool off);
  void set_draining(int pod, bool draining);
  double pod_dyn_w(const PodState& p) const;
  // Facility power fits at `level` with the draining pods gone.
  bool kept_fits_at(std::size_t level, std::size_t hour) const;
  void drain_busy_pods(double now, std::size_t hour, std::vector<PodSwitch>& out);

  const ClusterSpec& cluster_;
  const FacilityModel& model_;
  std::optional<double> cap_w_;
  bool climate_, hold_, switch_off_idle_;
  double switch_interval_s_, exponent_;
  std::vector<double> levels_;
  std::size_t level_ = 0;
  std::size_t target_level_ = 0;  // the most efficient speed level under a cap (hold mode: full speed)
  double max_node_active_w_ = 0;  // peak - idle of the most power-hungry node type
  double max_gpu_active_w_ = 0;   // the same per GPU
  std::vector<PodState> pods_;
  std::vector<char> in_service_;  // per tranche
  double fabric_w_ = 0;
  double off_leaf_w_ = 0;  // leaves of the pods off in tranches in service
  int off_leaf_pods_ = 0;
  std::vector<char> retired_;
  std::set<std::pair<int, int>> idle_pods_;  // (rank, pod): on, in service, no job: may be switched off
  double idle_active_w_ = 0;                 // the idle pods' active power if they were full
  // (rank, pod) switched off under the cap, highest rank (fastest generation) first: the order they go back on.
  std::set<std::pair<int, int>, std::greater<>> off_for_cap_;
  long long gpus_off_ = 0;
  long long switches_ = 0;
  double idle_on_w_ = 0;   // idle power of the pods that are on
  double dyn_busy_w_ = 0;  // active power of busy GPUs at full speed (the level scales it)
  double draining_idle_w_ = 0, draining_dyn_w_ = 0, draining_leaf_w_ = 0;  // the draining pods' share of the two, and their leaves
  std::vector<int> by_rank_;  // pods, lowest rank (drained and switched off first) first
  double drain_retry_s_ = -std::numeric_limits<double>::infinity();  // no pod may be drained before
  double last_switch_s_ = -std::numeric_limits<double>::infinity();
};

}  // namespace capsim
