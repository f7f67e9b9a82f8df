#include "reports/summary.hpp"

#include "reports/training.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "models/common/calendar.hpp"
#include "models/cost/cost.hpp"
#include "reports/demand.hpp"
#include "reports/fabric_report.hpp"
#include "reports/goodput.hpp"
#include "reports/stats.hpp"
#include "reports/training.hpp"

namespace capsim {
using nlohmann::json;

HourRates hour_rates(const Scenario& s, std::size_t h) {
  if (!s.site) return {s.costs.fx.to_usd(s.costs.electricity_price), 0};
  const LocalTime lt = local_time(h * 3600.0, s.start_epoch_s, s.site_utc_offset_s);
  return {s.costs.fx.to_usd({s.site->tariff.price(lt), s.site->tariff.currency}), site_carbon_g_per_kwh(*s.site, lt)};
}

namespace {


// Seconds a job held its GPUs inside [warmup, horizon].
double window_overlap(const Scenario& s, const JobRecord& r) {
  if (r.start_s < 0) return 0;
  double end = r.end_s >= 0 ? r.end_s : s.horizon_s;
  return std::max(0.0, std::min(end, s.horizon_s) - std::max(r.start_s, s.warmup_s));
}


// A tranche's nodes and their network: its fabric parts with a network section, else a flat price per GPU.
double tranche_capex_usd(const Scenario& s, const Tranche& t) {
  const ExchangeRates& fx = s.costs.fx;
  if (s.network.enabled) return t.nodes * fx.to_usd(t.node_price) + s.fabric.by_tranche[static_cast<std::size_t>(&t - s.cluster.tranches.data())].usd();
  return t.nodes * fx.to_usd(t.node_price) + static_cast<double>(t.nodes) * s.cluster.gpus_per_node * fx.to_usd(s.costs.network_per_gpu);
}

// Each tranche: what it is, when it serves, what it cost, and what it held and did in the window. Its
// FLOP is the run's, shared by the work its busy GPUs did (the classes' MFU mix is not told apart).
json tranches_json(const Scenario& s, const RunResult& r, double delivered_flop) {
  const ClusterSpec& c = s.cluster;
  double busy_work = 0;
  for (const TrancheTotals& t : r.window_tranches) busy_work += t.busy_work_gpu_s;
  const double per_usd = s.costs.fx.per_usd.at(s.costs.currency);
  auto date = [&](double t) { return iso_local(s.start_epoch_s + static_cast<long long>(std::floor(t)), s.site_utc_offset_s); };
  json out = json::array();
  for (std::size_t i = 0; i < c.tranches.size(); ++i) {
    const Tranche& t = c.tranches[i];
    const TrancheTotals& w = r.window_tranches[i];
    const double gpus = static_cast<double>(t.nodes) * c.gpus_per_node;
    const double service_s = gpus * std::max(0.0, std::min(t.retire_s, s.horizon_s) - std::max(t.arrive_s, s.warmup_s));
    const double usd = tranche_capex_usd(s, t);
    out.push_back({{"name", t.name},
                   {"node_type", t.node_type},
                   {"accelerator", t.accelerator},
                   {"gpus", static_cast<long long>(gpus)},
                   {"arrives", date(t.since_s)},
                   {"retires", t.retire_s < s.horizon_s ? json(date(t.retire_s)) : json(nullptr)},
                   {"capex", usd * per_usd},
                   {"capex_usd", usd},
                   {"gpu_hours_in_service", service_s / 3600},
                   {"gpu_hours_allocated", w.allocated_gpu_s / 3600},
                   {"utilization", {{"allocated", per(w.allocated_gpu_s, service_s)}, {"busy", per(w.busy_gpu_s, service_s)}}},
                   {"gpu_hours_delivered", w.delivered_gpu_s / 3600},
                   {"delivered_exaflop", busy_work > 0 ? delivered_flop * w.busy_work_gpu_s / busy_work / 1e18 : 0.0}});
  }
  return out;
}

// Electricity cost, carbon, water and costs, from the hourly facility energy of the window.
void add_site_and_costs(json& out, const Scenario& s, const RunResult& r) {
  const double window_s = s.horizon_s - s.warmup_s;
  const double year_s = 365 * 86400.0;
  const int offset = s.site_utc_offset_s;
  const ExchangeRates& fx = s.costs.fx;
  std::size_t years = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(window_s / year_s - 1e-9)));
  std::vector<double> electricity_usd(years, 0.0), year_fraction(years, 0.0);
  for (std::size_t y = 0; y < years; ++y) year_fraction[y] = std::min(1.0, window_s / year_s - y);
  double carbon_t = 0, it_kwh = 0, facility_j = 0;
  std::vector<std::pair<LocalTime, double>> window_hours;  // local time and mean facility power, for demand charges
  std::vector<std::size_t> window_hour_year;
  for (std::size_t h = 0; h < r.hourly_window_facility_j.size(); ++h) {
    double kwh = r.hourly_window_facility_j[h] / 3.6e6;
    facility_j += r.hourly_window_facility_j[h];
    it_kwh += r.hourly_window_it_j[h] / 3.6e6;
    std::size_t y = std::min(years - 1, static_cast<std::size_t>(std::max(0.0, h * 3600.0 - s.warmup_s) / year_s));
    if (s.site && (h + 1) * 3600.0 > s.warmup_s) {
      window_hours.emplace_back(local_time(h * 3600.0, s.start_epoch_s, offset), r.hourly_window_facility_j[h] / 3600.0);
      window_hour_year.push_back(y);
    }
    if (kwh == 0) continue;
    const HourRates hr = hour_rates(s, h);
    carbon_t += kwh * hr.g_co2_per_kwh / 1e6;
    electricity_usd[y] += kwh * hr.usd_per_kwh;
  }
  // Demand charges, each month's in the year its first window hour falls in.
  double demand_usd = 0;
  if (s.site && s.site->tariff.demand_per_kw_month > 0) {
    std::size_t i = 0;
    for (const MonthlyDemand& m : monthly_demand_charges(s.site->tariff, window_hours)) {
      while (window_hours[i].first.year != m.year || window_hours[i].first.month != m.month) ++i;
      double usd = fx.to_usd({m.charge, s.site->tariff.currency});
      electricity_usd[window_hour_year[i]] += usd;
      demand_usd += usd;
    }
  }
  if (s.site) {
    out["site"] = {{"key", s.site->key}, {"name", s.site->name}, {"grid_limit_mw", s.site->grid_limit_w / 1e6}};
    out["carbon"] = {{"tco2", carbon_t}, {"gco2_per_kwh", facility_j > 0 ? carbon_t * 1e6 / (facility_j / 3.6e6) : 0.0}};
  }
  if (s.facility.wue_l_per_kwh) out["water"] = {{"m3", it_kwh * *s.facility.wue_l_per_kwh / 1000}};

  const ClusterSpec& c = s.cluster;
  const double design_mw = r.facility.design_it_w / 1e6;
  CostInputs in;
  // Each tranche is bought in the year it arrives (years counted from the window's start).
  for (const Tranche& t : c.tranches) {
    const double usd = tranche_capex_usd(s, t);
    // Bought before start: aged at the window's start. Bought in the run: new in the window's first year at the latest.
    const double start_y = t.since_s < 0 ? (t.since_s - s.warmup_s) / year_s : std::max(0.0, (t.arrive_s - s.warmup_s) / year_s);
    in.hardware.push_back({usd, start_y, (t.retire_s - s.warmup_s) / year_s});
    in.hardware_capex_usd += usd;
  }
  in.facility_capex_usd = design_mw * fx.to_usd(s.costs.facility_per_mw);
  in.server_life_y = s.costs.server_life_y;
  in.facility_life_y = s.costs.facility_life_y;
  in.maintenance_share_per_year = s.costs.maintenance_share;
  in.staff_per_year_usd = design_mw * fx.to_usd(s.costs.staff_per_mw_year);
  in.electricity_usd_by_year = electricity_usd;
  in.year_fraction = year_fraction;
  in.discount_rate = s.costs.discount_rate;
  CostResult cr = compute_costs(in);
  const double gpu_hours = out["gpu_hours"]["delivered"].get<double>();
  const double exaflop = out["compute"]["delivered_exaflop"].get<double>();
  const double window_years = window_s / year_s;
  auto block = [&](double per_usd) {
    json cf = json::array();
    for (double x : cr.cash_flow_usd) cf.push_back(x * per_usd);
    double total_window = cr.total_per_year_usd * window_years;
    return json{{"capex", cr.capex_usd * per_usd},
                {"capex_hardware", in.hardware_capex_usd * per_usd},
                {"capex_facility", in.facility_capex_usd * per_usd},
                {"depreciation_per_year", cr.depreciation_per_year_usd * per_usd},
                {"electricity_per_year", cr.electricity_per_year_usd * per_usd},
                {"demand_charge_per_year", demand_usd / window_years * per_usd},
                {"opex_per_year", cr.opex_per_year_usd * per_usd},
                {"total_per_year", cr.total_per_year_usd * per_usd},
                {"per_reference_gpu_hour", per(total_window * per_usd, gpu_hours)},
                {"per_physical_gpu_hour", per(total_window * per_usd, out["gpu_hours"]["allocated"].get<double>())},
                {"per_exaflop_delivered", per(total_window * per_usd, exaflop)},
                {"npv_window", cr.npv_window_usd * per_usd},
                {"cash_flows", cf},
                {"npv_lifetime", cr.npv_lifetime_usd * per_usd}};
  };
  json cost = block(fx.per_usd.at(s.costs.currency));
  cost["currency"] = s.costs.currency;
  cost["per_usd"] = fx.per_usd.at(s.costs.currency);
  cost["usd"] = block(1.0);
  cost["npv_lifetime_years"] = s.costs.server_life_y;
  out["cost"] = cost;
}

// GPUs the cap keeps switched off, on average, and the part of the node and network capex they are (by
// GPU-hours in service: tranches of different prices are not told apart).
json stranded(const Scenario& s, const RunResult& r, double service_gpu_s, double hardware_capex_usd) {
  const double share = service_gpu_s > 0 ? r.off_gpu_s / service_gpu_s : 0.0;
  return {{"gpus", r.off_gpu_s / (s.horizon_s - s.warmup_s)},
          {"capex", hardware_capex_usd * share * s.costs.fx.per_usd.at(s.costs.currency)},
          {"capex_usd", hardware_capex_usd * share}};
}

struct ClassAcc {
  long long jobs = 0;
  std::vector<double> waits;
  std::vector<double> censored;  // waits, with jobs still queued at the horizon waiting until then
  long long not_started = 0;
  double gpu_s = 0;
  double flop = 0;
  DemandTotals demand;
};

// The classes' own figures (their jobs, waits and work).
json classes_json(const std::vector<ClassAcc>& classes, const std::vector<std::string>& names) {
  json cls = json::object();
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const ClassAcc& c = classes[i];
    const json w = wait_stats(c.waits), wc = wait_stats(c.censored);
    cls[names[i]] = {{"jobs", c.jobs},
                    {"wait_s", {{"p50", w["p50"]}, {"p95", w["p95"]}}},
                    {"wait_censored_s", {{"p50", wc["p50"]}, {"p95", wc["p95"]}}},
                    {"not_started_share", per(static_cast<double>(c.not_started), static_cast<double>(c.censored.size()))},
                    {"gpu_hours", c.gpu_s / 3600.0},
                    {"delivered_exaflop", c.flop / 1e18},
                    {"demand", demand_json(c.demand)}};
  }
  return cls;
}

}  // namespace

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string shortest(float v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : num(v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + '"';
}

json wait_stats(const std::vector<double>& w) {
  if (w.empty()) return {{"mean", nullptr}, {"p50", nullptr}, {"p95", nullptr}, {"p99", nullptr}};
  return {{"mean", stats::mean(w)},
          {"p50", stats::percentile(w, 50)},
          {"p95", stats::percentile(w, 95)},
          {"p99", stats::percentile(w, 99)}};
}

void add_window_and_per_year(json& out, const Scenario& s) {
  const double window_s = s.horizon_s - s.warmup_s;
  const double years = window_s / (365 * 86400.0);
  auto date = [&](double t) { return iso_local(s.start_epoch_s + static_cast<long long>(std::floor(t)), s.site_utc_offset_s); };
  out["window"] = {{"start_s", s.warmup_s}, {"end_s", s.horizon_s}, {"start", date(s.warmup_s)}, {"end", date(s.horizon_s)},
                   {"days", window_s / 86400}, {"years", years}};
  json py = {{"it_energy_mwh", out["energy"]["it_mwh"].get<double>() / years},
             {"facility_energy_mwh", out["energy"]["facility_mwh"].get<double>() / years},
             {"delivered_exaflop", out["compute"]["delivered_exaflop"].get<double>() / years},
             {"gpu_hours_delivered", out["gpu_hours"]["delivered"].get<double>() / years},
             {"gpu_hours_allocated", out["gpu_hours"]["allocated"].get<double>() / years}};
  if (out.contains("carbon")) py["carbon_tco2"] = out["carbon"]["tco2"].get<double>() / years;
  if (out.contains("water")) py["water_m3"] = out["water"]["m3"].get<double>() / years;
  out["per_year"] = py;
  out["power"]["hours_capped_share"] = out["power"]["hours_capped"].get<double>() / (window_s / 3600);
}

void add_estimates(json& list, const Scenario& s, const std::string& prefix) {
  for (const Scenario::EstimateUse& u : s.estimates_used) {
    json paths = json::array();
    for (const std::string& p : u.paths) paths.push_back(prefix + p);
    auto it = std::find_if(list.begin(), list.end(), [&](const json& e) { return e["catalog"] == u.catalog && e["entry"] == u.entry; });
    if (it == list.end()) list.push_back({{"catalog", u.catalog}, {"entry", u.entry}, {"paths", paths}});
    else (*it)["paths"].insert((*it)["paths"].end(), paths.begin(), paths.end());
  }
}

std::string estimates_text(const json& m) {
  const json& e = m["estimates_used"];
  if (e.empty()) return "";
  std::string out = "estimates    " + std::to_string(e.size()) + " catalog entries used are estimates:";
  for (std::size_t i = 0; i < e.size(); ++i) out += (i ? ", " : " ") + e[i]["entry"].get<std::string>();
  return out + "\n";
}

json per(double amount, double quantity) { return quantity > 0 ? json(amount / quantity) : json(nullptr); }

std::string text(const json& v, const char* format) {
  if (!v.is_number()) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v.get<double>());
  return buf;
}

json summary_header(const Scenario& s, long long gpus_installed) {
  json out;
  out["capsim_version"] = CAPSIM_VERSION;
  out["name"] = s.name;
  out["scenario_sha256"] = s.sha256;
  out["inputs"] = s.resolved["inputs"];
  out["seed"] = s.seed;
  out["gpus_installed"] = gpus_installed;
  out["horizon_s"] = s.horizon_s;
  out["warmup_s"] = s.warmup_s;
  return out;
}

json make_summary(const Scenario& s, const RunResult& r) {
  const double window_s = s.horizon_s - s.warmup_s;
  const long long gpus = s.cluster.gpus();
  std::vector<ClassAcc> classes(r.class_names.size());
  long long submitted = 0, completed = 0, running = 0, queued = 0, rejected = 0;
  std::vector<double> waits, censored;
  WorkWeighted weighted, weighted_censored;
  DemandTotals demand;
  double delivered_flop = 0;
  // Work done (reference GPU-seconds: faster generations do more per second, throttled GPUs less) is
  // shared among jobs in proportion to their busy GPU-seconds in the window.
  const double work_per_busy_s = r.window_busy_gpu_s > 0 ? r.window_busy_work_gpu_s / r.window_busy_gpu_s : 1;
  const double delivered_per_held_s = r.window_allocated_gpu_s > 0 ? r.window_delivered_gpu_s / r.window_allocated_gpu_s : 1;
  for (const JobRecord& j : r.jobs) {
    double overlap = window_overlap(s, j);
    ClassAcc& c = classes[j.job.class_index];
    c.gpu_s += overlap * j.gpus_held * delivered_per_held_s;
    double flop = overlap * j.job.gpus * work_per_busy_s * s.cluster.gpu_bf16_flops * s.class_mfu(j.job.class_index);
    c.flop += flop;
    delivered_flop += flop;
    if (j.job.submit_s < s.warmup_s) continue;  // metrics count jobs submitted after the warm-up
    ++submitted;
    ++c.jobs;
    demand.add(j);
    c.demand.add(j);
    switch (j.status) {
      case JobStatus::completed: ++completed; break;
      case JobStatus::running: ++running; break;
      case JobStatus::queued: ++queued; break;
      case JobStatus::rejected: ++rejected; break;
    }
    if (j.status == JobStatus::rejected) continue;
    const double work = j.job.gpus * j.job.run_s;
    const double wait = (j.start_s >= 0 ? j.start_s : s.horizon_s) - j.job.submit_s;
    censored.push_back(wait);
    c.censored.push_back(wait);
    weighted_censored.add(work, wait);
    if (j.start_s >= 0) {
      waits.push_back(wait);
      c.waits.push_back(wait);
      weighted.add(work, wait);
    } else {
      ++c.not_started;
    }
  }
  const FacilityModel& fm = r.facility;
  const double it_mwh = (r.it_energy_window_j * fm.it_factor + r.fabric_energy_window_j) / 3.6e9;
  double facility_j = 0;
  for (double e : r.hourly_window_facility_j) facility_j += e;
  json out = summary_header(s, gpus);
  out["jobs"] = {{"submitted", submitted}, {"completed", completed}, {"running_at_end", running},
                 {"queued_at_end", queued}, {"rejected", rejected}};
  out["wait_s"] = wait_stats(waits);
  out["wait_s"]["work_weighted_mean"] = weighted.mean();
  out["wait_censored_s"] = wait_stats(censored);
  out["wait_censored_s"]["work_weighted_mean"] = weighted_censored.mean();
  const double service_gpu_s = r.window_service_gpu_s > 0 ? r.window_service_gpu_s : gpus * window_s;
  out["demand"] = demand_json(demand, s.cluster.capacity_gpu_s(s.warmup_s, s.horizon_s), r.window_service_gpu_s);
  out["utilization"] = {{"allocated", r.window_allocated_gpu_s / service_gpu_s}, {"busy", r.window_busy_gpu_s / service_gpu_s}};
  out["gpu_hours"] = {{"delivered", r.window_delivered_gpu_s / 3600.0}, {"allocated", r.window_allocated_gpu_s / 3600.0}};
  out["energy"] = {{"it_mwh", it_mwh}, {"facility_mwh", facility_j / 3.6e9}};
  out["power"] = {{"it_mean_mw", it_mwh / (window_s / 3600)},
                  {"it_peak_mw", r.it_peak_w / 1e6},
                  {"facility_mean_mw", facility_j / window_s / 1e6},
                  {"facility_peak_mw", r.facility_peak_w / 1e6},
                  {"it_design_mw", fm.design_it_w / 1e6},
                  {"hours_capped", r.capped_s / 3600},
                  {"throttled_gpu_hours", r.throttled_gpu_s / 3600},
                  {"switched_off_gpu_hours", r.off_gpu_s / 3600}};
  if (s.facility.power_cap_w) out["power"]["cap_mw"] = *s.facility.power_cap_w / 1e6;
  out["pue"] = {{"mean", it_mwh > 0 ? facility_j / 3.6e9 / it_mwh : s.pue}};
  out["compute"] = {{"delivered_exaflop", delivered_flop / 1e18}};
  add_site_and_costs(out, s, r);
  if (s.facility.power_cap_w) out["stranded"] = stranded(s, r, service_gpu_s, out["cost"]["usd"]["capex_hardware"].get<double>());
  out["classes"] = classes_json(classes, r.class_names);
  out["tranches"] = tranches_json(s, r, delivered_flop);
  if (s.network.enabled) out["network"] = network_json(s, r, out["cost"]["usd"]["capex_hardware"].get<double>());
  if (s.failures.enabled) add_failures(out, s, {&r});
  add_training_runs(out, s, r);
  out["estimates_used"] = json::array();
  add_estimates(out["estimates_used"], s, "");
  add_window_and_per_year(out, s);
  if (std::holds_alternative<SwfWorkload>(s.workload)) out["trace"] = {{"jobs_skipped", r.trace_jobs_skipped}};
  if (std::holds_alternative<GpuTraceWorkload>(s.workload)) out["trace"] = gpu_trace_json(s, r);
  return out;
}

// "3125 x h200-sxm-8 + 3125 x b200-8 from day 181"
std::string tranches_text(const Scenario& s) {
  std::string out;
  for (const Tranche& t : s.cluster.tranches) {
    if (!out.empty()) out += " + ";
    out += std::to_string(t.nodes) + " x " + t.node_type;
    if (t.arrive_s > 0) out += " from day " + std::to_string(static_cast<long long>(t.arrive_s / 86400));
    if (t.since_s < 0) out += " since " + iso_local(s.start_epoch_s + static_cast<long long>(t.since_s), s.site_utc_offset_s).substr(0, 10);
    if (t.retire_s < s.horizon_s) out += " to day " + std::to_string(static_cast<long long>(t.retire_s / 86400));
  }
  return out;
}

std::string per_year_text(const json& m) {
  const json& w = m["window"];
  const json& py = m["per_year"];
  char buf[512];
  std::snprintf(buf, sizeof buf, "per year     window %s to %s (%.1f d = %.3f y): facility %.1f MWh, %.3f EFLOP, %.0f GPU-hours",
                w["start"].get<std::string>().substr(0, 10).c_str(), w["end"].get<std::string>().substr(0, 10).c_str(),
                w["days"].get<double>(), w["years"].get<double>(), py["facility_energy_mwh"].get<double>(),
                py["delivered_exaflop"].get<double>(), py["gpu_hours_delivered"].get<double>());
  std::string out = buf;
  if (py.contains("carbon_tco2")) {
    std::snprintf(buf, sizeof buf, ", %.1f t CO2", py["carbon_tco2"].get<double>());
    out += buf;
  }
  return out + "\n";
}

std::string summary_text(const Scenario& s, const json& m) {
  char buf[4096];
  const json& j = m["jobs"];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "capsim %s  scenario %s  seed %llu\n"
                "cluster      %lld GPUs (%s), PUE %.2f, policy %s\n"
                "horizon      %.1f d (warm-up %.1f d excluded)\n"
                "jobs         %lld submitted: %lld completed, %lld running, %lld queued, %lld rejected\n"
                "wait         mean %s s, p50 %s s, p95 %s s, p99 %s s\n"
                "utilisation  %.1f %% of GPUs allocated, %.0f GPU-hours delivered, %.3f EFLOP\n"
                "demand       %.0f GPU-hours offered, %s of capacity; %.0f served, %.0f unserved\n"
                "power        IT mean %.3f MW, IT peak %.3f MW\n"
                "energy       IT %.1f MWh, facility %.1f MWh\n",
                m["capsim_version"].get<std::string>().c_str(), s.name.empty() ? s.file.c_str() : s.name.c_str(),
                static_cast<unsigned long long>(s.seed), m["gpus_installed"].get<long long>(), tranches_text(s).c_str(),
                s.facility.climate ? m["pue"]["mean"].get<double>() : s.pue, s.policy == PolicyKind::easy ? "EASY" : "FCFS",
                s.horizon_s / 86400, s.warmup_s / 86400, j["submitted"].get<long long>(), j["completed"].get<long long>(),
                j["running_at_end"].get<long long>(), j["queued_at_end"].get<long long>(), j["rejected"].get<long long>(),
                text(m["wait_s"]["mean"], "%.0f").c_str(), text(m["wait_s"]["p50"], "%.0f").c_str(),
                text(m["wait_s"]["p95"], "%.0f").c_str(), text(m["wait_s"]["p99"], "%.0f").c_str(),
                100 * m["utilization"]["allocated"].get<double>(),
                m["gpu_hours"]["delivered"].get<double>(), m["compute"]["delivered_exaflop"].get<double>(),
                m["demand"]["offered_gpu_hours"].get<double>(), text(m["demand"]["offered_load"], "%.2f").c_str(),
                m["demand"]["served_gpu_hours"].get<double>(), m["demand"]["unserved_gpu_hours"].get<double>(),
                m["power"]["it_mean_mw"].get<double>(), m["power"]["it_peak_mw"].get<double>(),
                m["energy"]["it_mwh"].get<double>(), m["energy"]["facility_mwh"].get<double>());
  out += buf;
  if (m.contains("network")) out += network_text(m["network"]);
  if (m.contains("failures")) out += failures_text(m);
  out += training_text(m);
  out += per_year_text(m);
  if (m["tranches"].size() > 1) {
    out += "tranche      accelerator      GPUs      arrives     alloc %  ref GPU-hours  capex (" + m["cost"]["currency"].get<std::string>() + ")\n";
    for (std::size_t i = 0; i < m["tranches"].size(); ++i) {
      const json& t = m["tranches"][i];
      const std::string label = t["name"].get<std::string>().empty() ? "#" + std::to_string(i) : t["name"].get<std::string>();
      std::snprintf(buf, sizeof buf, "  %-10s %-16s %-9lld %-11s %-8s %-14.0f %.4g\n", label.c_str(),
                    t["accelerator"].get<std::string>().c_str(), t["gpus"].get<long long>(), t["arrives"].get<std::string>().substr(0, 10).c_str(),
                    t["utilization"]["allocated"].is_number() ? text(100 * t["utilization"]["allocated"].get<double>(), "%.1f").c_str() : "n/a",
                    t["gpu_hours_delivered"].get<double>(), t["capex"].get<double>());
      out += buf;
    }
  }
  out += estimates_text(m);
  if (m["classes"].size() > 1) {
    out += "class        jobs      wait p50    wait p95    GPU-hours\n";
    for (const auto& [name, c] : m["classes"].items()) {
      std::snprintf(buf, sizeof buf, "  %-10s %-9lld %-11s %-11s %.0f\n", name.c_str(), c["jobs"].get<long long>(),
                    text(c["wait_s"]["p50"], "%.0f").c_str(), text(c["wait_s"]["p95"], "%.0f").c_str(), c["gpu_hours"].get<double>());
      out += buf;
    }
  }
  return out;
}

}  // namespace capsim
