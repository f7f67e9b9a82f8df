#pragma once
// The workload as the scenario describes it: synthetic job classes or a trace (built by the `workload` section).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/failures/failure_spec.hpp"
#include "models/network/communication.hpp"
#include "models/workload/gpu_trace.hpp"

namespace capsim {

struct SizeDist {
  std::vector<int> gpus;  // empirical and powers of two: the sizes drawn with cumulative_weights
  std::vector<double> cumulative_weights;
  double lognormal_median = 0, lognormal_sigma = 0;  // lognormal: ceil(draw), at most lognormal_max
  int lognormal_max = 0;
};

struct DurationDist {
  enum class Kind { lognormal, exponential, constant, empirical } kind = Kind::constant;
  double median_s = 0, sigma = 0;  // lognormal
  double mean_s = 0;               // exponential
  double value_s = 0;              // constant
  std::vector<double> values_s, cumulative_weights;  // empirical
};

// Where a job's input data lives in a federation, and how much moves when it runs elsewhere.
struct DataPlacement {
  std::string site;  // a member's name; empty: nowhere in particular
  double bytes = 0;
};

struct JobClassSpec {
  std::string name;
  double share = 1.0;
  SizeDist sizes;
  DurationDist durations;
  double estimate_factor = 1.0;
  double mfu = 0.4;
  std::vector<double> hourly;   // 24 rate factors (mean 1) by local hour, empty if flat
  std::vector<double> weekday;  // 7 rate factors (mean 1), Monday first, empty if flat
  std::string tenant;           // who submits the class's jobs (default: the class name)
  std::optional<CommProfile> comm;  // with a network section
  DataPlacement data;               // in a federation
  std::optional<CheckpointSpec> checkpoint;  // with a failures section
};

// A named training run defined by its work (docs/training.md): one job of `gpus` GPUs submitted at
// `submit_s`, whose run time on the reference accelerator is flop / (gpus x peak x mfu), not rounded.
struct TrainingRunSpec {
  std::string name;
  double submit_s = 0;  // from the scenario's start
  double flop = 0;
  int gpus = 0;
  double mfu = 0;    // at its size (from the curve unless given)
  double run_s = 0;  // on the reference accelerator, at full speed, without checkpoints
  double estimate_factor = 1;
  std::optional<CommProfile> comm;           // with a network section
  std::optional<CheckpointSpec> checkpoint;  // with a failures section
  // Its reservation: a block of GPUs kept for it from `start_s` (>= submit_s) for `duration_s`.
  struct Reservation {
    double start_s = 0;
    double duration_s = 0;
  };
  std::optional<Reservation> reservation;
};

struct SyntheticWorkload {
  double mean_interarrival_s = 0;
  double scale = 1;  // every class's arrival rate x this
  double growth_per_year = 0;
  long long start_epoch_s = 0;  // `start` as Unix time
  int utc_offset_s = 0;         // of `start`, for the local hour and weekday of profiles
  std::vector<JobClassSpec> classes;
};

// What every trace source shares: its jobs are one class.
struct TraceClass {
  double mfu = 0.4;
  double scale = 1;  // submit times / this
  std::optional<CommProfile> comm;  // with a network section
  DataPlacement data;               // in a federation
  std::optional<CheckpointSpec> checkpoint;  // with a failures section
};

struct SwfWorkload : TraceClass {
  std::string path;  // absolute
  double gpus_per_processor = 1.0;
};

// A GPU-cluster trace (docs/traces.md).
struct GpuTraceWorkload : TraceClass {
  TraceOptions trace;  // format and files (absolute)
  double estimate_factor = 1;
  // Replaying a job recorded on another accelerator: its run time / min(reference peak / its peak,
  // max_speedup). Peaks by the trace's GPU-type label, lowercased (the catalog's aliases and `gpu_types`);
  // `default_peak` for jobs without a label (0: none, replayed as recorded).
  std::map<std::string, double> peaks;
  double default_peak = 0;
  double reference_peak = 0;
  double max_speedup = 1;
  // Transforms, in this order (docs/traces.md): the window [from, to) in seconds after the trace's first
  // submit; sizes x size_factor (whole GPUs first), at most max_gpus; resampled by whole blocks (a day
  // or a week, drawn uniformly with the run's seed) to fill the horizon; time compressed by `scale`, or by the
  // scale that makes the offered load `offered_load` of `capacity_gpus` reference GPUs.
  double from_s = 0;
  std::optional<double> to_s;
  double size_factor = 1;
  int max_gpus = 0;
  double resample_block_s = 0;  // 0: none
  std::string resample_where;   // "FILE: workload.resample", for the error when the window is shorter than a block
  std::optional<double> offered_load;
  double capacity_gpus = 0;
};
}  // namespace capsim
