#include "reports/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "reports/stats.hpp"

namespace capsim {
using nlohmann::json;

namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Seconds a job held its GPUs inside [warmup, horizon].
double window_overlap(const Scenario& s, const JobRecord& r) {
  if (r.start_s < 0) return 0;
  double end = r.end_s >= 0 ? r.end_s : s.horizon_s;
  return std::max(0.0, std::min(end, s.horizon_s) - std::max(r.start_s, s.warmup_s));
}

json wait_stats(const std::vector<double>& w) {
  return {{"mean", stats::mean(w)},
          {"p50", stats::percentile(w, 50)},
          {"p95", stats::percentile(w, 95)},
          {"p99", stats::percentile(w, 99)}};
}

}  // namespace

json make_summary(const Scenario& s, const RunResult& r) {
  const double window_s = s.horizon_s - s.warmup_s;
  const long long gpus = s.cluster.gpus();
  struct ClassAcc {
    long long jobs = 0;
    std::vector<double> waits;
    double gpu_s = 0;
    double flop = 0;
  };
  std::vector<ClassAcc> classes(r.class_names.size());
  long long submitted = 0, completed = 0, running = 0, queued = 0, rejected = 0;
  std::vector<double> waits;
  double delivered_flop = 0;
  for (const JobRecord& j : r.jobs) {
    double overlap = window_overlap(s, j);
    ClassAcc& c = classes[j.job.class_index];
    c.gpu_s += overlap * j.gpus_held;
    double flop = overlap * j.job.gpus * s.cluster.gpu_bf16_flops * s.class_mfu(j.job.class_index);
    c.flop += flop;
    delivered_flop += flop;
    if (j.job.submit_s < s.warmup_s) continue;  // metrics count jobs submitted after the warm-up
    ++submitted;
    ++c.jobs;
    switch (j.status) {
      case JobStatus::completed: ++completed; break;
      case JobStatus::running: ++running; break;
      case JobStatus::queued: ++queued; break;
      case JobStatus::rejected: ++rejected; break;
    }
    if (j.start_s >= 0) {
      waits.push_back(j.start_s - j.job.submit_s);
      c.waits.push_back(j.start_s - j.job.submit_s);
    }
  }
  const double it_mwh = r.it_energy_window_j / 3.6e9;
  json out;
  out["capsim_version"] = CAPSIM_VERSION;
  out["name"] = s.name;
  out["scenario_sha256"] = s.sha256;
  out["seed"] = s.seed;
  out["gpus_installed"] = gpus;
  out["horizon_s"] = s.horizon_s;
  out["warmup_s"] = s.warmup_s;
  out["jobs"] = {{"submitted", submitted}, {"completed", completed}, {"running_at_end", running},
                 {"queued_at_end", queued}, {"rejected", rejected}};
  out["wait_s"] = wait_stats(waits);
  out["utilization"] = {{"allocated", r.window_allocated_gpu_s / (gpus * window_s)},
                        {"busy", r.window_busy_gpu_s / (gpus * window_s)}};
  out["gpu_hours"] = {{"delivered", r.window_allocated_gpu_s / 3600.0}};
  out["energy"] = {{"it_mwh", it_mwh}, {"facility_mwh", it_mwh * s.pue}};
  out["power"] = {{"it_mean_mw", r.it_energy_window_j / window_s / 1e6}, {"it_peak_mw", r.it_peak_w / 1e6}};
  out["pue"] = {{"mean", s.pue}};
  out["compute"] = {{"delivered_exaflop", delivered_flop / 1e18}};
  json cls = json::object();
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const ClassAcc& c = classes[i];
    cls[r.class_names[i]] = {{"jobs", c.jobs},
                             {"wait_s", {{"p50", stats::percentile(c.waits, 50)}, {"p95", stats::percentile(c.waits, 95)}}},
                             {"gpu_hours", c.gpu_s / 3600.0},
                             {"delivered_exaflop", c.flop / 1e18}};
  }
  out["classes"] = cls;
  if (std::holds_alternative<SwfWorkload>(s.workload)) out["trace"] = {{"jobs_skipped", r.trace_jobs_skipped}};
  return out;
}

std::string jobs_csv(const RunResult& r) {
  std::string out = "id,trace_id,class,submit_s,start_s,end_s,gpus,nodes,status\n";
  out.reserve(out.size() + r.jobs.size() * 48);
  for (const JobRecord& j : r.jobs) {
    out += std::to_string(j.job.id);
    out += ',';
    if (j.job.trace_id >= 0) out += std::to_string(j.job.trace_id);
    out += ',';
    out += r.class_names[j.job.class_index];
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
    out += to_string(j.status);
    out += '\n';
  }
  return out;
}

std::string timeseries_csv(const Scenario& s, const RunResult& r) {
  std::string out = "start_s,end_s,gpus_allocated,gpus_busy,jobs_running,jobs_queued,it_power_mw,facility_power_mw\n";
  for (const auto& row : r.timeseries) {
    out += num(row.start_s) + ',' + num(row.end_s) + ',' + num(row.gpus_allocated) + ',' + num(row.gpus_busy) + ',' +
           num(row.jobs_running) + ',' + num(row.jobs_queued) + ',' + num(row.it_power_w / 1e6) + ',' +
           num(row.it_power_w * s.pue / 1e6) + '\n';
  }
  return out;
}

std::string summary_text(const Scenario& s, const json& m) {
  char buf[4096];
  const json& j = m["jobs"];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "capsim %s  scenario %s  seed %llu\n"
                "cluster      %lld GPUs (%d x %s), PUE %.2f, policy %s\n"
                "horizon      %.1f d (warm-up %.1f d excluded)\n"
                "jobs         %lld submitted: %lld completed, %lld running, %lld queued, %lld rejected\n"
                "wait         mean %.0f s, p50 %.0f s, p95 %.0f s, p99 %.0f s\n"
                "utilisation  %.1f %% of GPUs allocated, %.0f GPU-hours delivered, %.3f EFLOP\n"
                "power        IT mean %.3f MW, IT peak %.3f MW\n"
                "energy       IT %.1f MWh, facility %.1f MWh\n",
                m["capsim_version"].get<std::string>().c_str(), s.name.empty() ? s.file.c_str() : s.name.c_str(),
                static_cast<unsigned long long>(s.seed), m["gpus_installed"].get<long long>(), s.cluster.nodes,
                s.cluster.node_type.c_str(), s.pue, s.policy == PolicyKind::easy ? "EASY" : "FCFS",
                s.horizon_s / 86400, s.warmup_s / 86400, j["submitted"].get<long long>(), j["completed"].get<long long>(),
                j["running_at_end"].get<long long>(), j["queued_at_end"].get<long long>(), j["rejected"].get<long long>(),
                m["wait_s"]["mean"].get<double>(), m["wait_s"]["p50"].get<double>(), m["wait_s"]["p95"].get<double>(),
                m["wait_s"]["p99"].get<double>(), 100 * m["utilization"]["allocated"].get<double>(),
                m["gpu_hours"]["delivered"].get<double>(), m["compute"]["delivered_exaflop"].get<double>(),
                m["power"]["it_mean_mw"].get<double>(), m["power"]["it_peak_mw"].get<double>(),
                m["energy"]["it_mwh"].get<double>(), m["energy"]["facility_mwh"].get<double>());
  out += buf;
  if (m["classes"].size() > 1) {
    out += "class        jobs      wait p50    wait p95    GPU-hours\n";
    for (const auto& [name, c] : m["classes"].items()) {
      std::snprintf(buf, sizeof buf, "  %-10s %-9lld %-11.0f %-11.0f %.0f\n", name.c_str(), c["jobs"].get<long long>(),
                    c["wait_s"]["p50"].get<double>(), c["wait_s"]["p95"].get<double>(), c["gpu_hours"].get<double>());
      out += buf;
    }
  }
  return out;
}

}  // namespace capsim
