// jobs.csv (docs/outputs.md): a row per job, with a section's columns where it is present.
#include <algorithm>
#include <cmath>
#include <map>

#include "reports/goodput.hpp"
#include "reports/summary.hpp"

namespace capsim {

double comm_slowdown(const JobRecord& j) {
  return j.compute_end_s > j.start_s ? (j.end_s - j.start_s) / (j.compute_end_s - j.start_s) : 1.0;
}

void append_job_row(std::string& out, const JobRecord& j, const std::vector<std::string>& class_names, bool network) {
  out += std::to_string(j.job.id);
  out += ',';
  if (j.job.trace_id >= 0) out += std::to_string(j.job.trace_id);
  out += ',';
  out += class_names[j.job.class_index];
  out += ',';
  out += num(j.job.submit_s);
  out += ',';
  if (j.start_s >= 0) out += num(j.start_s);
  out += ',';
  if (j.end_s >= 0) out += num(j.end_s);
  out += ',';
  out += std::to_string(j.job.gpus);
  out += ',';
  out += std::to_string(j.nodes);
  out += ',';
  if (j.start_s >= 0) out += std::to_string(j.generations);
  out += ',';
  out += to_string(j.status);
  out += ',';
  out += num(j.job.gpus * j.job.run_s);
  out += ',';
  out += num(j.done_gpu_s);
  if (!network) return;
  out += ',';
  if (j.start_s >= 0) out += std::to_string(j.host_groups) + ',' + std::to_string(j.fabric_pods);
  else out += ',';
  out += ',';
  if (j.status == JobStatus::completed) out += num(comm_slowdown(j));
}

// A GPU trace's own record of the job (docs/traces.md).
static void append_trace_columns(std::string& out, const Job& j, const TraceLabels& l) {
  out += ',';
  out += shortest(j.trace_gpus);
  out += ',';
  out += csv_field(l.gpu_types[j.trace_gpu_type]);
  out += ',';
  out += csv_field(l.tenants[j.tenant]);
  out += ',';
  out += csv_field(l.statuses[j.trace_status]);
  out += ',';
  out += shortest(j.speedup);
}

std::string jobs_csv(const Scenario& s, const RunResult& r) {
  const bool trace = r.trace_labels.has_value();
  std::string out = std::string(kJobsCsvHeader) + (s.network.enabled ? kJobsNetworkColumns : "") + (s.failures.enabled ? kJobsFailureColumns : "") +
                    (trace ? kJobsTraceColumns : "") + "\n";
  out.reserve(out.size() + r.jobs.size() * (trace ? 80 : 48));
  for (const JobRecord& j : r.jobs) {
    append_job_row(out, j, r.class_names, s.network.enabled);
    if (s.failures.enabled) append_failure_columns(out, r.failures_of(j));
    if (trace) append_trace_columns(out, j.job, *r.trace_labels);
    out += '\n';
  }
  return out;
}

nlohmann::json gpu_trace_json(const Scenario& s, const RunResult& r) {
  const auto& g = std::get<GpuTraceWorkload>(s.workload);
  nlohmann::json skipped = nlohmann::json::object();
  for (const auto& [reason, n] : r.trace_skipped) skipped[reason] = n;
  // What each source GPU type replayed at, and how many jobs and GPU-hours it carried.
  std::map<std::uint16_t, std::pair<long long, double>> by_type;
  std::map<std::uint16_t, double> speedup;
  long long fractional = 0;
  for (const JobRecord& j : r.jobs) {
    if (s.run_of_class(j.job.class_index)) continue;
    auto& t = by_type[j.job.trace_gpu_type];
    ++t.first;
    t.second += j.job.trace_gpus * j.job.run_s * j.job.speedup / 3600;
    speedup[j.job.trace_gpu_type] = j.job.speedup;
    if (j.job.trace_gpus < 1 || j.job.trace_gpus != std::floor(j.job.trace_gpus)) ++fractional;
  }
  nlohmann::json types = nlohmann::json::object();
  for (const auto& [t, v] : by_type)
    types[t == 0 ? "(none)" : r.trace_labels->gpu_types[t]] = {{"jobs", v.first}, {"recorded_gpu_hours", v.second}, {"speedup", std::stod(shortest(static_cast<float>(speedup[t])))}};
  return {{"format", to_string(g.trace.format)},
          {"scale", r.trace_scale},
          {"jobs_skipped", r.trace_jobs_skipped},
          {"skipped_by_reason", skipped},
          {"jobs_fractional_gpus", fractional},
          {"tenants", r.trace_labels->tenants.size() - 1},
          {"gpu_types", types}};
}

}  // namespace capsim
