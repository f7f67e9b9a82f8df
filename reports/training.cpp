// summary.json `training_runs` (docs/training.md): each run's dates, time to train, GPU-hours, energy,
// cost and emissions, and what the rest of the demand saw while it held its GPUs.
#include "reports/training.hpp"

#include <algorithm>
#include <cstdio>

#include "models/common/calendar.hpp"
#include "reports/summary.hpp"

namespace capsim {
using nlohmann::json;

namespace {

struct OthersAcc {
  long long jobs = 0;
  std::vector<double> censored;  // waits, jobs still queued at the horizon waiting until then
  double offered_gpu_s = 0, done_gpu_s = 0;
  json to_json() const {
    json w = wait_stats(censored);
    return {{"jobs", jobs},
            {"wait_censored_mean_hours", w["mean"].is_null() ? json(nullptr) : json(w["mean"].get<double>() / 3600)},
            {"wait_censored_p95_hours", w["p95"].is_null() ? json(nullptr) : json(w["p95"].get<double>() / 3600)},
            {"offered_gpu_hours", offered_gpu_s / 3600},
            {"unserved_gpu_hours", (offered_gpu_s - done_gpu_s) / 3600},
            {"unserved_share", per(offered_gpu_s - done_gpu_s, offered_gpu_s)}};
  }
};

std::string date_of(const Scenario& s, double t_s) {
  return iso_local(s.start_epoch_s + static_cast<long long>(t_s), s.site_utc_offset_s);
}

// The other jobs (not training runs) submitted after the warm-up, split by whether they were submitted
// while the run held its GPUs, [from, to).
json others(const Scenario& s, const RunResult& r, double from, double to) {
  OthersAcc during, otherwise;
  for (const JobRecord& j : r.jobs) {
    if (j.job.submit_s < s.warmup_s || s.run_of_class(j.job.class_index) || j.status == JobStatus::rejected) continue;
    OthersAcc& a = j.job.submit_s >= from && j.job.submit_s < to ? during : otherwise;
    ++a.jobs;
    a.censored.push_back((j.start_s >= 0 ? j.start_s : s.horizon_s) - j.job.submit_s);
    a.offered_gpu_s += j.job.gpus * j.job.run_s;
    a.done_gpu_s += j.done_gpu_s;
  }
  return {{"while_it_runs", during.to_json()}, {"otherwise", otherwise.to_json()}};
}

}  // namespace

void add_training_runs(json& out, const Scenario& s, const RunResult& r) {
  if (s.training_runs.empty()) return;
  const double window_years = (s.horizon_s - s.warmup_s) / (365 * 86400.0);
  const double service_gpu_h = r.window_service_gpu_s / 3600;
  const json& usd = out["cost"]["usd"];
  // Capex and every cost but electricity, per GPU-hour in service.
  const double fixed_usd = (usd["total_per_year"].get<double>() - usd["electricity_per_year"].get<double>()) * window_years;
  const double fixed_per_gpu_h = service_gpu_h > 0 ? fixed_usd / service_gpu_h : 0;
  const double per_usd = out["cost"]["per_usd"].get<double>();
  json runs = json::object();
  for (std::size_t k = 0; k < s.training_runs.size(); ++k) {
    const TrainingRunSpec& t = s.training_runs[k];
    const int cls = s.source_classes() + static_cast<int>(k);
    auto it = std::find_if(r.jobs.begin(), r.jobs.end(), [&](const JobRecord& j) { return j.job.class_index == cls; });
    json o = {{"submitted", date_of(s, t.submit_s)}, {"gpus", t.gpus}, {"flop", t.flop}, {"mfu", t.mfu},
              {"run_days_at_reference", t.run_s / 86400}};
    if (it == r.jobs.end()) {
      runs[t.name] = o;
      continue;
    }
    const JobRecord& j = *it;
    o["status"] = to_string(j.status);
    const bool started = j.start_s >= 0, finished = j.status == JobStatus::completed;
    o["wait_days"] = ((started ? j.start_s : s.horizon_s) - t.submit_s) / 86400;
    o["started"] = started ? json(date_of(s, j.start_s)) : json(nullptr);
    o["finished"] = finished ? json(date_of(s, j.end_s)) : json(nullptr);
    const double work_gpu_s = t.gpus * t.run_s;
    o["delivered_flop"] = j.done_gpu_s * s.cluster.gpu_bf16_flops * t.mfu;
    o["progress"] = work_gpu_s > 0 ? j.done_gpu_s / work_gpu_s : 0.0;
    double end_s = s.horizon_s, held_to = s.horizon_s;
    if (finished) {
      end_s = held_to = j.end_s;
    } else if (started && j.done_gpu_s > 0) {
      end_s = s.horizon_s + (work_gpu_s - j.done_gpu_s) * (s.horizon_s - j.start_s) / j.done_gpu_s;  // at its mean rate so far
    }
    o["time_to_train_days"] = started && (finished || j.done_gpu_s > 0) ? json((end_s - j.start_s) / 86400) : json(nullptr);
    o["projected_finish"] = started && !finished && j.done_gpu_s > 0 ? json(date_of(s, end_s)) : json(nullptr);
    const double held_h = started ? j.gpus_held * (held_to - j.start_s) / 3600 : 0;
    o["gpu_hours"] = held_h;
    double facility_j = 0, electricity_usd = 0, carbon_t = 0;
    for (std::size_t h = 0; h < r.run_hourly_facility_j[k].size(); ++h) {
      const double kwh = r.run_hourly_facility_j[k][h] / 3.6e6;
      if (kwh == 0) continue;
      facility_j += r.run_hourly_facility_j[k][h];
      const HourRates hr = hour_rates(s, h);
      electricity_usd += kwh * hr.usd_per_kwh;
      carbon_t += kwh * hr.g_co2_per_kwh / 1e6;
    }
    o["energy"] = {{"it_mwh", r.run_it_j[k] / 3.6e9}, {"facility_mwh", facility_j / 3.6e9}};
    auto cost = [&](double f) {
      return json{{"electricity", electricity_usd * f}, {"capacity", held_h * fixed_per_gpu_h * f}, {"total", (electricity_usd + held_h * fixed_per_gpu_h) * f}};
    };
    o["cost"] = cost(per_usd);
    o["cost"]["currency"] = out["cost"]["currency"];
    o["cost"]["usd"] = cost(1.0);
    if (s.site) o["carbon_tco2"] = carbon_t;
    if (s.failures.enabled) o["interruptions"] = r.failures_of(j).interruptions;
    if (t.reservation) o["reservation"] = {{"start", date_of(s, t.reservation->start_s)}, {"duration_days", t.reservation->duration_s / 86400}};
    o["others"] = others(s, r, started ? j.start_s : s.horizon_s, held_to);
    runs[t.name] = o;
  }
  out["training_runs"] = runs;
  if (std::any_of(s.training_runs.begin(), s.training_runs.end(), [](const TrainingRunSpec& t) { return t.reservation.has_value(); }))
    out["reservations"] = {{"jobs_interrupted", r.reservation_interruptions},
                           {"gpu_hours_lost", r.reservation_lost_gpu_s / 3600},
                           {"nodes_short", r.reservation_shortfall_nodes}};
}

std::string training_text(const json& m) {
  if (!m.contains("training_runs")) return "";
  std::string out;
  char buf[512];
  if (m.contains("reservations")) {
    const json& v = m["reservations"];
    std::snprintf(buf, sizeof buf, "reservations %lld jobs interrupted at a reservation's start (%.0f GPU-hours lost), %d nodes short\n",
                  v["jobs_interrupted"].get<long long>(), v["gpu_hours_lost"].get<double>(), v["nodes_short"].get<int>());
    out += buf;
  }
  for (const auto& [name, o] : m["training_runs"].items()) {
    const json w = o.contains("others") ? o["others"]["while_it_runs"]["wait_censored_mean_hours"] : json(nullptr);
    std::snprintf(buf, sizeof buf, "training     %s: %lld GPUs, %.3g FLOP, %s, waited %s d, trained in %s d%s; others waited %s h meanwhile\n",
                  name.c_str(), o["gpus"].get<long long>(), o["flop"].get<double>(), o.value("status", std::string("not submitted")).c_str(),
                  text(o.value("wait_days", json(nullptr)), "%.1f").c_str(), text(o.value("time_to_train_days", json(nullptr)), "%.1f").c_str(),
                  o.value("projected_finish", json(nullptr)).is_null() ? "" : " (projected)", text(w, "%.1f").c_str());
    out += buf;
  }
  return out;
}

}  // namespace capsim
