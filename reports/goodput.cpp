#include "reports/goodput.hpp"

#include <array>
#include <cstdio>

#include "reports/summary.hpp"

namespace capsim {
using nlohmann::json;

void append_failure_columns(std::string& out, const JobFailures& f) {
  out += ',';
  out += std::to_string(f.interruptions);
  out += ',';
  out += num(f.lost_gpu_s);
}

int size_bucket(int gpus) {
  if (gpus <= 8) return 0;
  if (gpus <= 64) return 1;
  if (gpus <= 512) return 2;
  if (gpus <= 4096) return 3;
  return 4;
}

const char* size_bucket_name(int b) {
  static const std::array<const char*, kSizeBuckets> names = {"1-8", "9-64", "65-512", "513-4096", "4097+"};
  return names[static_cast<std::size_t>(b)];
}

double ettr(const JobRecord& j, const JobFailures& f) { return j.job.run_s / f.pace / (j.end_s - j.start_s); }

// Only with planned maintenance, so that runs without it keep their outputs.
void add_maintenance(json& failures, const Scenario& s, const std::vector<const RunResult*>& runs) {
  const MaintenanceSpec& m = s.failures.maintenance;
  long long windows = 0, interruptions = 0;
  double lost = 0, draining = 0, in_window = 0;
  for (const RunResult* r : runs) {
    windows += r->maintenance_windows;
    interruptions += r->maintenance_interruptions;
    lost += r->maintenance_lost_gpu_s;
    draining += r->draining_node_s;
    in_window += r->maintenance_node_s;
  }
  const double window_s = s.horizon_s - s.warmup_s;
  failures["maintenance"] = {{"per", to_string(m.domain)},
                             {"every_days", m.every_s / 86400},
                             {"duration_hours", m.duration_s / 3600},
                             {"notice_hours", m.notice_s / 3600},
                             {"windows", windows},
                             {"job_interruptions", interruptions},
                             {"gpu_hours_lost", lost / 3600},
                             {"nodes_draining_mean", draining / window_s},
                             {"nodes_in_window_mean", in_window / window_s}};
}

void add_failures(json& out, const Scenario& s, const std::vector<const RunResult*>& runs) {
  struct Bucket {
    double gpus = 0, gpus_x_ettr = 0, running_s = 0;
    long long jobs = 0, interruptions = 0;
  };
  std::array<Bucket, kSizeBuckets> buckets{};
  Bucket all;
  double useful = 0, lost = 0, overhead = 0, down_node_s = 0, repair_s = 0, stage_s[4] = {0, 0, 0, 0}, technician_wait_s = 0;
  long long count = 0, stand_ins = 0, repairs = 0, technician_starts = 0, escalations = 0, lemon_nodes = 0, lemon_failures = 0, retired = 0;
  const std::vector<FailureClass>& classes = s.failures.classes;
  std::vector<long long> class_failures(classes.size(), 0), class_interruptions(classes.size(), 0);
  for (const RunResult* r : runs) {
    count += r->node_failures;
    stand_ins += r->spare_stand_ins;
    down_node_s += r->down_node_s;
    repairs += r->repairs;
    escalations += r->escalations;
    repair_s += r->repair_total_s;
    for (int k = 0; k < 4; ++k) stage_s[k] += r->repair_stage_s[k];
    technician_starts += r->technician_starts;
    technician_wait_s += r->technician_wait_s;
    lemon_nodes += r->lemon_nodes;
    lemon_failures += r->lemon_failures;
    retired += r->nodes_retired;
    for (std::size_t c = 0; c < classes.size() && c < r->class_failures.size(); ++c) {
      class_failures[c] += r->class_failures[c];
      class_interruptions[c] += r->class_interruptions[c];
    }
  }
  for (const RunResult* r : runs)
    for (const JobRecord& j : r->jobs) {
      if (j.job.submit_s < s.warmup_s || j.start_s < 0) continue;
      const JobFailures& f = r->failures_of(j);
      useful += j.done_gpu_s;
      lost += f.lost_gpu_s;
      overhead += f.overhead_gpu_s;
      for (Bucket* b : {&buckets[static_cast<std::size_t>(size_bucket(j.job.gpus))], &all}) {
        b->running_s += f.running_s;
        b->interruptions += f.interruptions;
        if (j.status != JobStatus::completed) continue;
        ++b->jobs;
        b->gpus += j.job.gpus;
        b->gpus_x_ettr += j.job.gpus * ettr(j, f);
      }
    }
  auto ettr_of = [](const Bucket& b) { return b.gpus > 0 ? json(b.gpus_x_ettr / b.gpus) : json(nullptr); };
  auto mtbi_h = [](const Bucket& b) { return b.interruptions > 0 ? json(b.running_s / b.interruptions / 3600) : json(nullptr); };
  json by_size = json::object(), mtbi = json::object();
  for (int b = 0; b < kSizeBuckets; ++b) {
    const Bucket& k = buckets[static_cast<std::size_t>(b)];
    by_size[size_bucket_name(b)] = {{"jobs_completed", k.jobs}, {"ettr", ettr_of(k)}};
    mtbi[size_bucket_name(b)] = {{"interruptions", k.interruptions}, {"running_hours", k.running_s / 3600}, {"mtbi_hours", mtbi_h(k)}};
  }
  const double window_s = s.horizon_s - s.warmup_s;
  json by_class = json::object(), by_domain = {{"node", 0}, {"rack", 0}, {"leaf", 0}};
  for (std::size_t c = 0; c < classes.size(); ++c) {
    by_class[classes[c].name] = {{"per", to_string(classes[c].domain)}, {"failures", class_failures[c]}, {"job_interruptions", class_interruptions[c]}};
    by_domain[to_string(classes[c].domain)] = by_domain[to_string(classes[c].domain)].get<long long>() + class_failures[c];
  }
  json repairs_json = {{"count", repairs},
                       {"escalated", escalations},
                       {"mean_time_to_return_hours", repairs > 0 ? json(repair_s / repairs / 3600) : json(nullptr)},
                       {"in_progress_mean", {{"detection", stage_s[0] / window_s}, {"automatic", stage_s[1] / window_s}, {"manual", stage_s[2] / window_s},
                                             {"total", (stage_s[0] + stage_s[1] + stage_s[2] + stage_s[3]) / window_s}}}};
  if (s.failures.technicians > 0) {
    // Only with a limit, so that runs without one keep their outputs.
    repairs_json["in_progress_mean"]["waiting_for_technician"] = stage_s[3] / window_s;
    repairs_json["technicians"] = {{"limit", s.failures.technicians},
                                   {"manual_started", technician_starts},
                                   {"mean_wait_hours", technician_starts > 0 ? json(technician_wait_s / technician_starts / 3600) : json(nullptr)},
                                   {"busy_mean", stage_s[2] / window_s}};
  }
  out["failures"] = {{"count", count},
                     {"by_class", by_class},
                     {"by_domain", by_domain},
                     {"repairs", repairs_json},
                     {"lemons", {{"nodes", lemon_nodes}, {"failures", lemon_failures}, {"nodes_retired", retired}}},
                     {"spare_stand_ins", stand_ins},
                     {"job_interruptions", all.interruptions},
                     {"nodes_down_mean", down_node_s / (s.horizon_s - s.warmup_s)},
                     {"mtbi_by_size", mtbi}};
  if (s.failures.maintenance.enabled) add_maintenance(out["failures"], s, runs);
  out["goodput"] = {{"useful_gpu_hours", useful / 3600},
                    {"gpu_hours_lost", lost / 3600},
                    {"overhead_gpu_hours", overhead / 3600},
                    {"ettr", ettr_of(all)},
                    {"ettr_by_size", by_size}};
}

std::string failures_text(const json& m) {
  const json& f = m["failures"];
  const json& g = m["goodput"];
  char buf[512];
  std::snprintf(buf, sizeof buf, "failures     %lld node failures (%lld met by spares), %lld job interruptions, %.2f nodes down on average\n"
                "goodput      %.0f useful GPU-hours, %.0f lost, %.0f in checkpoints and restarts; ETTR %s\n",
                f["count"].get<long long>(), f["spare_stand_ins"].get<long long>(), f["job_interruptions"].get<long long>(),
                f["nodes_down_mean"].get<double>(), g["useful_gpu_hours"].get<double>(), g["gpu_hours_lost"].get<double>(),
                g["overhead_gpu_hours"].get<double>(), text(g["ettr"], "%.3f").c_str());
  std::string out = buf;
  if (f.contains("maintenance")) {
    const json& w = f["maintenance"];
    std::snprintf(buf, sizeof buf, "maintenance  %lld windows interrupting %lld of those jobs, %.2f nodes draining and %.2f in a window on average\n",
                  w["windows"].get<long long>(), w["job_interruptions"].get<long long>(), w["nodes_draining_mean"].get<double>(),
                  w["nodes_in_window_mean"].get<double>());
    out += buf;
  }
  return out;
}

}  // namespace capsim
