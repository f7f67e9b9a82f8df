#pragma once
// One data center at run time: its pods as SimGrid hosts, its scheduler, power-cap controller, facility
// model and recorder, and the counters the recorder and dispatch read. Actors are cooperative (one runs
// at a time), so this state needs no locking.
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <simgrid/s4u.hpp>

#include "models/failures/checkpoint.hpp"
#include "models/failures/injector.hpp"
#include "models/federation/dispatch.hpp"
#include "models/power/cap_controller.hpp"
#include "models/results/link_traffic.hpp"
#include "models/results/recorder.hpp"
#include "models/results/run_result.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scheduling/scheduler.hpp"
#include "models/site/facility.hpp"

namespace capsim {

struct Site {
  struct PodShare {
    int pod, busy, held;
    double speed;  // the job's: its slowest pod's
    int threads;   // its GPUs there (busy until its execs end)
  };
  // What a started job runs: one Exec per pod it touches, with one thread per busy GPU there, and with a
  // network section the flows of its ring (communication.hpp).
  struct Launch {
    double work = 0;                               // seconds at the job's pace
    std::vector<std::pair<int, int>> pod_threads;  // (pod, busy GPUs there)
    std::vector<RingFlow> flows;                   // src and dst are pods
    double local_s = 0;                            // inside one pod (uncontended)
    double latency_s = 0;                          // paid after the flows
    bool communicates() const { return !flows.empty() || local_s + latency_s > 0; }
    bool overlap = true;                           // flows start with the execs (else after them)
  };

  Site(const Scenario& s, int index);

  // Adds the pods' hosts to `zone` (platform.cpp); names start with `prefix`.
  void build(simgrid::s4u::NetZone* zone, const std::string& prefix);
  double pod_speed(int pod) const { return sc.cluster.tranches[ctl.pod(pod).tranche].speed; }
  simgrid::s4u::Host* host(int pod) const { return hosts[pod]; }
  // Where a flow of `nodes` nodes' NICs leaves (or enters) host group `pod` (build_fabric).
  simgrid::s4u::Host* nic_host(int pod, int nodes) const { return nic_hosts[pod][nodes - 1]; }

  void submit(JobRecord& r);
  // A job sent here whose input data is on its way (counted as queued for dispatch), and its arrival.
  void incoming(JobRecord& r);
  void arrived(const JobRecord& r);
  // A job's execs ended while its flows go on: its GPUs draw idle power and do no work until it ends.
  void compute_done(JobRecord& r);
  // Bytes of a job's flow moved between t0 and t1 (all of them, or up to the horizon): the tiers it crossed.
  void flow_moved(const RingFlow& f, double bytes, double t0, double t1);
  // Takes the GPUs of a started job (from the queue, or restarting in place); returns what its worker runs.
  Launch place(const StartDecision& d, JobRecord& r, EngineStats& stats, bool from_queue = true);
  void complete(JobRecord& r);

  // Failures (docs/failures.md, sim/site_failures.cpp). A unit (node, rack, leaf) fails: its nodes go down
  // and the jobs on them are returned, to be interrupted; they hang until the failure is detected (at
  // once without a detection time), then restart in place if a spare stood in for the node (`stand_in`)
  // and all their nodes are up, or go back to the queue.
  std::vector<JobId> unit_failed(const FailureEvent& e, double now);
  std::vector<JobId> unit_detected(const FailureEvent& e, double now, bool& stand_in);
  void unit_repaired(const FailureEvent& e, double now);
  void spare_repaired() { ++spares_ready; }
  // With a limit on technicians: an escalated repair waits for one, or one is free again.
  void technician(const FailureEvent& e);
  void finish_failures();  // at the horizon
  bool in_place_possible(JobId id) const;
  // Planned maintenance (sim/site_maintenance.cpp): a unit drains (its nodes take no new job), its window
  // starts (the jobs still on it are returned, to be interrupted and requeued), its window ends.
  void maintenance_drain(const FailureEvent& e, double now);
  std::vector<JobId> maintenance_start(const FailureEvent& e, double now);
  void maintenance_end(const FailureEvent& e);
  // A running job stops at `now`, `done` of its attempt done: its work is split into saved, lost and
  // overhead; its GPUs stay held, idle, until `resume` keeps them (a restart in place, then `place` with
  // `from_queue` false) or releases them (then `requeue`).
  // Returns the GPU-seconds of work it lost.
  double interrupt(JobRecord& r, double done, double now);
  void resume(JobRecord& r, bool in_place);
  void requeue(JobRecord& r);
  // Reference GPU-seconds of work a job still running at the horizon has done, `done` of its attempt done.
  double progress_gpu_s(const JobRecord& r, double done) const;
  std::optional<FailureInjector> injector;
  std::vector<JobFailures>* job_failures = nullptr;  // by JobId, the engine's (a failures section)
  // What the scheduler plans a queued job with: its requested time for the work left, with its checkpoints
  // (and a restart after an interruption).
  double estimate_of(const JobRecord& r) const;
  // Ends a job's attempt at `now` (`done` of it done): adds its overhead and running time to the record and
  // returns where it stood, in seconds at speed 1.
  Attempt::Progress end_attempt(JobRecord& r, double done, double now);

  // The engine's call points of the power-cap controller, in the order of one decision: manage_pods
  // (switch on), limit_starts, the scheduler's decision, manage_pods (switch off), apply_power_cap.
  // manage_pods first keeps the pods of open reservations on.
  bool manage_pods(double now, bool allow_on);  // returns whether pods went back on
  void limit_starts(double now);
  void apply_power_cap(double now);
  void service_changes(double now);
  double next_service_change(double now) const;
  // Hands the recorder the state from `now` on. The state is built in place, so its per-tranche loads
  // reuse their storage from one event to the next.
  void record(double now);
  double plugin_energy() const;
  MemberView view(const Job& j, double now) const;

  const Scenario& sc;
  const int index;
  Scheduler sched;
  FacilityModel facility;
  PowerCapController ctl;
  Recorder rec;
  RunResult result;
  std::optional<LinkTraffic> fabric_traffic;  // a network section: leaf uplinks, then spine uplinks (3 tiers)
  double last_service_check = 0;
  double energy_at_warmup = 0;
  bool events = false;  // something happened at this instant: decide

 private:
  simgrid::s4u::Host* create_host(simgrid::s4u::NetZone* zone, const std::string& name, const PodState& pod);
  void build_fabric(simgrid::s4u::NetZone* parent, const std::string& prefix);
  void plan_flows(JobRecord& r, const StartDecision& d, const std::vector<PodShare>& shares, Launch& launch);
  void apply(const PodSwitch& s);
  void add_to_pod(int pod, int busy, int held, double job_speed);
  bool pin_reserved(double now);  // returns whether pods went back on

  long long pins_seen = 0;  // the scheduler's pins_version() at the last pin_reserved

  std::vector<simgrid::s4u::Host*> hosts;  // by pod
  std::vector<int> node_pod;
  std::vector<int> pod_generation;  // index of the pod's accelerator among the cluster's distinct ones
  std::vector<int> group_pod;       // with a network section: the fabric pod of each host group
  std::vector<std::vector<simgrid::s4u::Host*>> nic_hosts;  // by host group, by nodes - 1
  // The jobs whose flows cross each shareable link while they run: 2 g (+1 down) for host group g's
  // uplink, 2 (groups + p) (+1 down) for fabric pod p's; and the jobs that met another on one.
  std::vector<std::vector<JobId>> link_jobs;
  std::unordered_map<JobId, std::vector<int>> job_links;
  std::unordered_set<JobId> shared_jobs;
  void track_links(JobId id, const std::vector<RingFlow>& flows);
  void untrack_links(JobRecord& r);
  JobFailures& failures_of(const JobRecord& r) const { return (*job_failures)[static_cast<std::size_t>(r.job.id)]; }
  double saved_s(const JobRecord& r) const { return job_failures ? failures_of(r).saved_s : 0; }
  Attempt attempt_of(const JobRecord& r, double work_s, double pace, int nodes) const;
  void release(JobRecord& r);
  struct Running {
    Attempt attempt;
    double start_s = 0;
    double pace = 1;  // its slowest GPUs' speed
    std::vector<int> nodes;
  };
  std::unordered_map<JobId, Running> attempts;  // with a failures section: running jobs
  std::vector<std::vector<JobId>> node_jobs;    // the same by node
  int spares_ready = 0;
  long long nodes_down = 0;
  int working_nodes = 0;        // the nodes but the spares
  double node_failure_rate = 0;  // failures per node and second that take it down, over every class (lemons aside)
  std::vector<int> down_by;     // per node: outages keeping it down (a retired node keeps one for good)
  std::vector<int> node_failures;  // per node: failures of node classes
  std::vector<char> lemon;      // per node
  // A unit's failure until its repair ends (a spare's stand-in: until its detection).
  struct Outage {
    std::vector<int> nodes;
    std::vector<JobId> jobs;  // interrupted, hanging until detection
    bool stand_in = false, retire = false;
  };
  std::map<std::pair<int, int>, Outage> outages;  // by (class, unit)
  void init_failures();
  double multiplier(int cls, int unit) const;
  int units_of(FailureDomain d) const;
  std::vector<int> nodes_in(FailureDomain d, int unit) const;
  static constexpr char kDraining = 1, kInWindow = 2;
  std::vector<char> maintained;  // per node: 0, or draining or in its window for planned maintenance
  void set_maintained(int node, char state);
  void account_maintenance(double& node_s, double from, double d, std::size_t nodes) const;
  void mark_down(int node, int delta);
  // A node takes no job while down (failed, in repair, retired) or maintained (draining, in its window).
  bool out_of_pool(int node) const { return down_by[static_cast<std::size_t>(node)] > 0 || maintained[static_cast<std::size_t>(node)] > 0; }
  void refresh_pool(int node);
  std::vector<JobId> jobs_on(const std::vector<int>& nodes) const;  // each once, in node order
  void account_repair(const RepairDraw& d, double now);
  void account_stage(int stage, double from, double d);
  std::unordered_map<JobId, std::vector<PodShare>> job_pods;  // while a job runs
  std::vector<JobId> run_jobs;  // by training run: its job once submitted here, else -1
  double run_power_w(JobId id) const;  // a running job's nodes' compute power
  double busy_rate = 0;  // reference GPU-seconds of work per second of busy GPUs (at full speed)
  double held_rate = 0;  // the same for allocated GPUs
  double service_rate = 0;  // the same for the GPUs in service
  std::vector<TrancheLoad> tranche_load;  // the same by tranche, with what their GPUs hold and do
  ClusterState recorded;  // the last state recorded (built in place by `record`)
  long long gpus_in_service = 0;
  long long gpus_busy = 0;
  long long gpus_held = 0;
  double queued_work_gpu_s = 0;
  long long queued_gpus = 0;  // GPUs the queued jobs ask for
  double incoming_work_gpu_s = 0;  // the same for jobs whose data is on its way
  long long incoming_jobs = 0;
  int utc_offset_s = 0;
};

}  // namespace capsim
