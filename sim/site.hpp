#pragma once
// One data center at run time: its pods as SimGrid hosts, its scheduler, power-cap controller, facility
// model and recorder, and the counters the recorder and dispatch read. Actors are cooperative (one runs
// at a time), so this state needs no locking.
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <simgrid/s4u.hpp>

#include "models/federation/dispatch.hpp"
#include "models/power/cap_controller.hpp"
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
  };
  // What a started job runs: one Exec per pod it touches, with one thread per busy GPU there.
  struct Launch {
    double work = 0;                               // seconds at the job's pace
    std::vector<std::pair<int, int>> pod_threads;  // (pod, busy GPUs there)
  };

  Site(const Scenario& s, int index);

  // Adds the pods' hosts to `zone` (platform.cpp); names start with `prefix`.
  void build(simgrid::s4u::NetZone* zone, const std::string& prefix);
  double pod_speed(int pod) const { return sc.cluster.tranches[ctl.pod(pod).tranche].speed; }
  simgrid::s4u::Host* host(int pod) const { return hosts[pod]; }

  void submit(JobRecord& r);
  // Takes the GPUs of a started job; returns what its worker runs.
  Launch place(const StartDecision& d, JobRecord& r, EngineStats& stats);
  void complete(JobRecord& r);

  // The engine's call points of the power-cap controller, in the order of one decision: manage_pods
  // (switch on), limit_starts, the scheduler's decision, manage_pods (switch off), apply_power_cap.
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
  double last_service_check = 0;
  double energy_at_warmup = 0;
  bool events = false;  // something happened at this instant: decide

 private:
  void apply(const PodSwitch& s);
  void add_to_pod(int pod, int busy, int held, double job_speed);

  std::vector<simgrid::s4u::Host*> hosts;  // by pod
  std::vector<int> node_pod;
  std::vector<int> pod_generation;  // index of the pod's accelerator among the cluster's distinct ones
  std::unordered_map<JobId, std::vector<PodShare>> job_pods;  // while a job runs
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
  int utc_offset_s = 0;
};

}  // namespace capsim
