#pragma once
// Jobs and where they come from: a synthetic generator or a trace reader, both streamed in submit order.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/common/random.hpp"
#include "models/scenario/scenario.hpp"

namespace capsim {

using JobId = std::int64_t;

struct Job {
  JobId id = 0;              // unique, 0.. in submit order
  std::int64_t trace_id = -1;  // the source's own job number, -1 if none
  int class_index = 0;
  double submit_s = 0;    // from the scenario's start
  double run_s = 0;       // actual run time
  double estimate_s = 0;  // requested time, what the scheduler plans with (>= run_s not required)
  int gpus = 0;
  // From a GPU trace (docs/traces.md); else left as they are.
  float trace_gpus = 0;  // as recorded: a fraction for a share of one GPU
  float speedup = 1;     // its recorded run time / run_s
  std::uint32_t tenant = 0;
  std::uint16_t trace_gpu_type = 0, trace_status = 0;  // into the source's labels()
};

class JobSource {
 public:
  virtual ~JobSource() = default;
  // Next job in submit order (ties keep source order), or nullopt at the end of the stream.
  virtual std::optional<Job> next() = 0;
  // Names of the job classes; Job::class_index indexes this.
  virtual const std::vector<std::string>& class_names() const = 0;
  // Records of the source it could not use (a trace's jobs of unknown size or run time), so far.
  virtual long long skipped() const { return 0; }
  // A GPU trace's labels (tenants, GPU types, statuses), nullptr for other sources.
  virtual const TraceLabels* labels() const { return nullptr; }
  virtual SkipCounts skip_reasons() const { return {}; }
  // A GPU trace's time compression as used (`scale`, or the one for its `offered_load`); 0 for others.
  virtual double trace_scale() const { return 0; }
};

// Each class arrives as its own Poisson process over [0, horizon): its share of the total rate, shaped by
// its daily and weekly profile (local time of `start`) and by demand growth, drawn by thinning. Sizes and
// run times are drawn from the class. Times are whole seconds: arrivals at the floor of the Poisson time,
// run times rounded up (>= 1 s), so completion times in the engine are exact and ties are well defined.
class SyntheticSource final : public JobSource {
 public:
  SyntheticSource(const SyntheticWorkload& w, double horizon_s, std::uint64_t seed);
  std::optional<Job> next() override;
  const std::vector<std::string>& class_names() const override { return names_; }

 private:
  struct ClassStream {
    Rng arrivals, thinning, sizes, durations;
    double base_rate = 0;  // jobs per second before profile and growth
    double max_rate = 0;   // bound of the shaped rate over the horizon, for thinning
    double next_t = 0;     // next accepted arrival (exact), or +inf
  };
  double rate_factor(const JobClassSpec& c, double t) const;
  void advance(std::size_t c);
  int draw_size(const JobClassSpec& c, Rng& rng);

  const SyntheticWorkload& w_;
  double horizon_s_;
  std::vector<ClassStream> streams_;
  std::vector<std::string> names_;
  JobId next_id_ = 0;
};

// A source's jobs and the training runs (one job each, a class each after the source's), merged in submit
// order (a run after the source's jobs of the same second), numbered again 0.. in that order; a run
// submitted at or after the horizon is left out.
class WithTrainingRuns final : public JobSource {
 public:
  WithTrainingRuns(std::unique_ptr<JobSource> inner, const std::vector<TrainingRunSpec>& runs, double horizon_s);
  std::optional<Job> next() override;
  const std::vector<std::string>& class_names() const override { return names_; }
  long long skipped() const override { return inner_->skipped(); }
  const TraceLabels* labels() const override { return inner_->labels(); }
  SkipCounts skip_reasons() const override { return inner_->skip_reasons(); }
  double trace_scale() const override { return inner_->trace_scale(); }

 private:
  std::unique_ptr<JobSource> inner_;
  std::optional<Job> pending_;          // the inner source's next job
  std::vector<Job> runs_;               // in submit order, not yet given
  std::size_t next_run_ = 0;
  std::vector<std::string> names_;
  JobId next_id_ = 0;
};

// A GPU trace in submit order, transformed (docs/traces.md): its window's start at the simulation's start,
// sizes scaled, blocks resampled, times / scale; each job takes whole GPUs (a fraction takes one) and
// replays at its speedup.
class GpuTraceSource final : public JobSource {
 public:
  GpuTraceSource(const GpuTraceWorkload& w, double horizon_s, std::uint64_t seed);
  std::optional<Job> next() override;
  const std::vector<std::string>& class_names() const override { return names_; }
  long long skipped() const override;
  const TraceLabels* labels() const override { return &trace_.reader().labels; }
  SkipCounts skip_reasons() const override { return trace_.reader().skipped; }
  double trace_scale() const override { return scale_; }

 private:
  bool pull(TraceRow& r);  // the window's next row in submit order
  std::optional<Job> make(const TraceRow& r, double t);
  double speedup_of(std::uint16_t gpu_type) const;
  int gpus_of(const TraceRow& r) const;
  double run_of(const TraceRow& r);

  const GpuTraceWorkload& w_;
  double horizon_s_;
  SortedTrace trace_;
  double start_ = 0, end_ = 0;  // the window, on the trace's time base
  bool held_ = false;           // the window's rows are in rows_ (to measure its load, or to resample)
  std::vector<TraceRow> rows_;
  std::size_t next_row_ = 0;
  std::optional<TraceRow> first_;  // read ahead to find the trace's start
  double scale_ = 1;
  // Resampling: the block being emitted (its number and the trace block it copies) and its rows.
  Rng blocks_;
  long long block_ = -1;
  std::size_t block_end_ = 0;
  double block_from_ = 0;
  std::vector<std::size_t> block_first_;  // rows_ index of each trace block's first row, and rows_.size()
  std::vector<double> speedups_;  // by label, NaN until first needed
  std::vector<std::string> names_{"trace"};
  JobId next_id_ = 0;
};

double sample_duration(const DurationDist& d, Rng& rng);

std::unique_ptr<JobSource> make_job_source(const Scenario& s);

}  // namespace capsim
