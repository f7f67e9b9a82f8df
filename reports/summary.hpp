#pragma once
// Metrics and output files of one run (docs/outputs.md documents every field and column).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/scenario/scenario.hpp"
#include "models/results/run_result.hpp"

namespace capsim {

nlohmann::json make_summary(const Scenario& s, const RunResult& r);

// Hour `h` of the horizon: its electricity price (the site's tariff, else costs.electricity_price) and the
// grid's carbon intensity (0 without a site).
struct HourRates {
  double usd_per_kwh = 0, g_co2_per_kwh = 0;
};
HourRates hour_rates(const Scenario& s, std::size_t h);

// Pieces shared with the federation's outputs.
inline constexpr const char* kJobsCsvHeader = "id,trace_id,class,submit_s,start_s,end_s,gpus,nodes,generations,status,work_gpu_s,done_gpu_s";
std::string num(double v);  // shortest exact text (%.17g)
std::string shortest(float v);  // the shortest text that reads back as the same float ("0.3", not 0.30000001...)
// A CSV field as RFC 4180 wants it: quoted (quotes doubled) when it holds a comma, a quote or a line end.
std::string csv_field(const std::string& s);
nlohmann::json wait_stats(const std::vector<double>& waits_s);  // nulls when there is no wait
// A mean of waits weighted by each job's work (GPUs x run time): the wait a unit of work sees.
struct WorkWeighted {
  double work = 0, work_x_wait = 0;
  void add(double job_work, double wait_s) {
    work += job_work;
    work_x_wait += job_work * wait_s;
  }
  nlohmann::json mean() const { return work > 0 ? nlohmann::json(work_x_wait / work) : nlohmann::json(nullptr); }
};
// The window the metrics cover (`window`: dates, days, 365-day years, the basis of every per-year cost) and
// the window's energy, carbon, water, compute and GPU-hours per such year (`per_year`); hours capped as a
// share of the window's hours. Called on a finished summary, a run's or a federation's.
void add_window_and_per_year(nlohmann::json& summary, const Scenario& s);
nlohmann::json per(double amount, double quantity);             // amount / quantity, null if quantity is 0
std::string text(const nlohmann::json& v, const char* format);  // "n/a" for null
// With a network section the rows gain kJobsNetworkColumns (docs/outputs.md).
inline constexpr const char* kJobsNetworkColumns = ",host_groups,fabric_pods,comm_slowdown";
void append_job_row(std::string& out, const JobRecord& j, const std::vector<std::string>& class_names, bool network);  // no newline
// With a GPU trace the rows end with kJobsTraceColumns: what the trace recorded (docs/traces.md).
inline constexpr const char* kJobsTraceColumns = ",trace_gpus,trace_gpu_type,tenant,trace_status,speedup";
std::string jobs_csv(const Scenario& s, const RunResult& r);
// summary.json `trace` for a GPU trace: format, jobs skipped (by reason), GPU types replayed.
nlohmann::json gpu_trace_json(const Scenario& s, const RunResult& r);
// Run time over run time on an unlimited fabric (its computation's), for a completed job.
double comm_slowdown(const JobRecord& j);
// The fields every summary starts with: version, name, digests, seed, GPUs installed, horizon, warm-up.
nlohmann::json summary_header(const Scenario& s, long long gpus_installed);
// Appends a scenario's `estimates_used` to `list` (entries merged by catalog and entry, each path with
// `prefix`); the line of the readable summaries that names them (empty when none).
void add_estimates(nlohmann::json& list, const Scenario& s, const std::string& prefix);
std::string estimates_text(const nlohmann::json& summary);
// The `per_year` line of the readable summaries: the window, then its figures per 365-day year.
std::string per_year_text(const nlohmann::json& summary);
// The readable summary printed on stdout.
std::string summary_text(const Scenario& s, const nlohmann::json& summary);

}  // namespace capsim
