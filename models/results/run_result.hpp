#pragma once
// What a run gives back: every job's record and the recorder's totals, per data center. SimGrid-free, so
// reports/ and the command line use them without the engine.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/results/link_traffic.hpp"
#include "models/results/recorder.hpp"
#include "models/site/facility.hpp"
#include "models/workload/workload.hpp"

namespace capsim {

enum class JobStatus { completed, running, queued, rejected };

inline const char* to_string(JobStatus s) {
  switch (s) {
    case JobStatus::completed: return "completed";
    case JobStatus::running: return "running";
    case JobStatus::queued: return "queued";
    case JobStatus::rejected: return "rejected";
  }
  return "?";
}

struct JobRecord {
  Job job;
  double start_s = -1;  // first start
  double end_s = -1;
  int nodes = 0;
  int generations = 0;  // accelerator generations its nodes span (0 until it starts)
  long long gpus_held = 0;
  double done_gpu_s = 0;  // reference GPU-seconds of its work done by the end of the run
  JobStatus status = JobStatus::queued;
  int site = 0;  // federation member it was dispatched to
  // With a network section (docs/network.md):
  int host_groups = 0, fabric_pods = 0;  // that its GPUs span
  bool communicates = false;             // it spans scale-up domains and its class sends data
  bool over_fabric = false;              // its flows leave its host group
  double fabric_bytes = 0;               // its flows' (over leaf uplinks), when it started
  bool shared_link = false;              // a link its flows cross carried another job's while both ran
  double compute_end_s = -1;             // its execs ended; its flows may go on until end_s
  // In a federation with data sites: how long its input data took to reach its member (-1: it did not move).
  double staged_s = -1;
};

// What failures did to a job (a failures section, docs/failures.md), kept apart from JobRecord so that runs
// without failures carry nothing more per job. Work in reference GPU-seconds.
struct JobFailures {
  int interruptions = 0;
  double lost_gpu_s = 0;      // done since its last checkpoint when a node of it failed
  double overhead_gpu_s = 0;  // checkpoints and restarts
  double saved_s = 0;         // of its run time, kept by checkpoints (at speed 1)
  double running_s = 0;       // wall time its attempts ran, to its end or the horizon
  double pace = 0;            // its pace (its slowest GPUs' speed) in its fastest attempt
};

struct EngineStats {
  long long execs_started = 0;   // SimGrid Exec activities
  long long comms_started = 0;   // SimGrid Comm activities (jobs' flows)
  long long highway_transfers = 0;  // input data moved between federation members
  long long worker_actors = 0;   // pooled daemon actors that wait on activities
  long long scheduler_wakeups = 0;
  int pod_hosts = 0;
  long long pod_switches = 0;    // pods switched off or back on under a power cap
  double platform_build_s = 0;   // wall time to build the platform
};

struct RunResult {
  std::vector<JobRecord> jobs;  // indexed by JobId
  // With a failures section: by JobId, every job of the run (a federation's members share them).
  std::shared_ptr<const std::vector<JobFailures>> job_failures;
  const JobFailures& failures_of(const JobRecord& j) const { return (*job_failures)[static_cast<std::size_t>(j.job.id)]; }
  std::vector<std::string> class_names;
  // Compute-node energy from SimGrid's host-energy plugin (IT energy without network and storage).
  double it_energy_window_j = 0;  // over [warmup, horizon]: the compute nodes' (SimGrid's energy plugin)
  double fabric_energy_window_j = 0;  // the fabric's (a network section), from the recorder
  std::optional<LinkTraffic> fabric_traffic;   // a network section: by tier, leaf uplinks then spine uplinks (3 tiers)
  std::optional<LinkTraffic> highway_traffic;  // a federation's links (federation.links), by link
  double it_energy_total_j = 0;   // over [0, horizon]
  std::vector<TimeseriesRow> timeseries;
  double window_allocated_gpu_s = 0;
  double window_delivered_gpu_s = 0;  // allocated GPU-seconds x speed, in reference GPU-seconds
  double window_busy_work_gpu_s = 0;  // work done by busy GPUs, in reference GPU-seconds
  double window_service_gpu_s = 0;    // GPU-seconds of GPUs in service (installed, not retired)
  double window_busy_gpu_s = 0;
  double recorder_it_energy_window_j = 0;  // the same energy from the recorder's own power model
  double it_peak_w = 0;                    // IT (with network and storage), instantaneous, in the window
  double facility_peak_w = 0;
  double capped_s = 0;            // time in the window with nodes throttled under the power cap
  double throttled_gpu_s = 0;     // busy GPU-seconds of work not done because of throttling
  double off_gpu_s = 0;           // GPU-seconds in service but switched off under the cap
  // With a failures section: failures over the run (a unit's: a node, rack or leaf) and by class, the jobs
  // they interrupted by class, spares that stood in, node-seconds down in the window, lemon nodes and the
  // failures on them, nodes retired; repairs: how many, escalated, their total time, and the time spent in
  // each stage (detection, automatic, manual, waiting for a technician) inside the window, added over the
  // repairs; with a limit on technicians, the manual repairs that got one and their total wait.
  long long node_failures = 0, spare_stand_ins = 0;
  std::vector<long long> class_failures, class_interruptions;
  double down_node_s = 0;
  long long lemon_nodes = 0, lemon_failures = 0, nodes_retired = 0;
  long long repairs = 0, escalations = 0;
  double repair_total_s = 0;
  double repair_stage_s[4] = {0, 0, 0, 0};
  // Planned maintenance: windows started in the window, the jobs they interrupted and the work those lost,
  // node-seconds draining and in a window (inside the window).
  long long maintenance_windows = 0, maintenance_interruptions = 0;
  double maintenance_lost_gpu_s = 0, draining_node_s = 0, maintenance_node_s = 0;
  long long technician_starts = 0;
  // Training runs' reservations: jobs interrupted because they were still on its nodes at its start, the
  // work they lost, and the most nodes a run lacked at its start.
  long long reservation_interruptions = 0;
  double reservation_lost_gpu_s = 0;
  int reservation_shortfall_nodes = 0;
  double technician_wait_s = 0;
  std::vector<TrancheTotals> window_tranches;  // by tranche, in the cluster's order
  std::vector<double> hourly_window_it_j, hourly_window_facility_j;  // per hour of the horizon
  std::vector<double> hourly_window_cap_room_s;  // per hour: seconds in ClusterState::cap_room
  // By training run (Recorder::run_hourly_facility_j): facility energy per hour of the horizon, IT energy.
  std::vector<std::vector<double>> run_hourly_facility_j;
  std::vector<double> run_it_j;
  FacilityModel facility;
  long long trace_jobs_skipped = 0;
  // A GPU trace's labels and its skipped jobs by reason (docs/traces.md); absent for other sources.
  std::optional<TraceLabels> trace_labels;
  SkipCounts trace_skipped;
  double trace_scale = 0;
  EngineStats stats;
};

struct RunOptions {
  bool progress = false;        // progress line on stderr
  bool handle_signals = false;  // SIGINT/SIGTERM stop the run (the run then throws Interrupted)
};

// Runs a scenario (a federation or one site): one result per member, each with the jobs dispatched to it.
// The command line receives the engine as such a function, so it needs no SimGrid.
using RunSites = std::vector<RunResult> (*)(const Scenario& s, const RunOptions& opt);

}  // namespace capsim
