#include "reports/federation.hpp"

#include <algorithm>
#include <cstdio>

#include "models/common/json_file.hpp"
#include "models/cost/cost.hpp"
#include "reports/demand.hpp"
#include "reports/fabric_report.hpp"
#include "reports/goodput.hpp"
#include "reports/summary.hpp"
#include "reports/timeseries.hpp"

namespace capsim {
using nlohmann::json;

namespace {

double sum_of(const std::vector<json>& member, const std::string& path) {
  double t = 0;
  for (const json& m : member) t += find_dotted(m, path)->get<double>();
  return t;
}

json power_totals(const Scenario& s, const std::vector<RunResult>& rs, const std::vector<json>& member, double it_mwh,
                  double facility_mwh) {
  auto sum = [&](const std::string& path) { return sum_of(member, path); };
  const double window_s = s.horizon_s - s.warmup_s;
  json out;
  // The federation's highest hourly mean facility power (members' hours are aligned: same start).
  std::vector<double> hourly(rs.front().hourly_window_facility_j.size(), 0.0);
  for (const RunResult& r : rs)
    for (std::size_t h = 0; h < hourly.size(); ++h) hourly[h] += r.hourly_window_facility_j[h];
  double peak_hour_j = 0;
  for (std::size_t h = 0; h < hourly.size(); ++h) {
    double len = std::min((h + 1) * 3600.0, s.horizon_s) - std::max(h * 3600.0, s.warmup_s);
    if (len > 0) peak_hour_j = std::max(peak_hour_j, hourly[h] / len);
  }
  double hours_capped = 0;
  for (const json& m : member) hours_capped = std::max(hours_capped, m["power"]["hours_capped"].get<double>());
  out["power"] = {{"it_mean_mw", it_mwh / (window_s / 3600)},
                  {"it_peak_mw", sum("power.it_peak_mw")},
                  {"facility_mean_mw", facility_mwh / (window_s / 3600)},
                  {"facility_peak_mw", sum("power.facility_peak_mw")},
                  {"facility_peak_hourly_mw", peak_hour_j / 1e6},
                  {"it_design_mw", sum("power.it_design_mw")},
                  {"hours_capped", hours_capped},
                  {"throttled_gpu_hours", sum("power.throttled_gpu_hours")},
                  {"switched_off_gpu_hours", sum("power.switched_off_gpu_hours")}};
  if (std::all_of(member.begin(), member.end(), [](const json& m) { return m["power"].contains("cap_mw"); }))
    out["power"]["cap_mw"] = sum("power.cap_mw");
  return out["power"];
}

// Costs: the members' USD figures added up, shown in the scenario's currency as well.
json cost_totals(const Scenario& s, const std::vector<json>& member, double gpu_hours, double exaflop) {
  auto sum = [&](const std::string& path) { return sum_of(member, path); };
  const double window_s = s.horizon_s - s.warmup_s;
  const double window_years = window_s / (365 * 86400.0);
  json usd;
  for (const char* k : {"capex", "capex_hardware", "capex_facility", "depreciation_per_year", "electricity_per_year",
                        "demand_charge_per_year", "opex_per_year", "total_per_year", "npv_window", "npv_lifetime"})
    usd[k] = sum(std::string("cost.usd.") + k);
  json cf = json::array();
  for (const json& m : member) {
    const json& c = m["cost"]["usd"]["cash_flows"];
    for (std::size_t y = 0; y < c.size(); ++y) {
      if (cf.size() <= y) cf.push_back(0.0);
      cf[y] = cf[y].get<double>() + c[y].get<double>();
    }
  }
  usd["cash_flows"] = cf;
  if (!s.highways.empty()) {
    // The links cost the same every year: a fixed yearly cost through the cost model, added to the members'.
    CostInputs in;
    for (const Highway& h : s.highways) in.staff_per_year_usd += h.cost_usd_per_year;
    for (std::size_t y = 0; y + 1 < cf.size(); ++y) in.year_fraction.push_back(std::min(1.0, window_years - static_cast<double>(y)));
    in.electricity_usd_by_year.assign(in.year_fraction.size(), 0.0);
    in.server_life_y = s.costs.server_life_y;
    in.discount_rate = s.costs.discount_rate;
    const CostResult hr = compute_costs(in);
    usd["highways_per_year"] = hr.opex_per_year_usd;
    for (const char* k : {"opex_per_year", "total_per_year"}) usd[k] = usd[k].get<double>() + hr.opex_per_year_usd;
    usd["npv_window"] = usd["npv_window"].get<double>() + hr.npv_window_usd;
    usd["npv_lifetime"] = usd["npv_lifetime"].get<double>() + hr.npv_lifetime_usd;
    for (std::size_t y = 0; y < cf.size(); ++y) usd["cash_flows"][y] = usd["cash_flows"][y].get<double>() + hr.cash_flow_usd[y];
  }
  const double total_window = usd["total_per_year"].get<double>() * window_years;
  usd["per_reference_gpu_hour"] = per(total_window, gpu_hours);
  usd["per_physical_gpu_hour"] = per(total_window, sum("gpu_hours.allocated"));
  usd["per_exaflop_delivered"] = per(total_window, exaflop);
  const double per_usd = s.costs.fx.per_usd.at(s.costs.currency);
  json cost;
  for (const auto& [k, v] : usd.items()) {
    if (v.is_array()) {
      json a = json::array();
      for (const auto& x : v) a.push_back(x.get<double>() * per_usd);
      cost[k] = a;
    } else {
      cost[k] = v.is_number() ? json(v.get<double>() * per_usd) : v;
    }
  }
  cost["currency"] = s.costs.currency;
  cost["per_usd"] = per_usd;
  cost["usd"] = usd;
  return cost;
}

// Class waits over all members' jobs; the rest added up.
struct ClassWaits {
  std::vector<double> waits, censored;
  long long not_started = 0;
};

json class_totals(const std::vector<RunResult>& rs, const std::vector<json>& member, const std::vector<ClassWaits>& class_waits) {
  json cls = json::object();
  for (std::size_t c = 0; c < class_waits.size(); ++c) {
    const std::string& name = rs.front().class_names[c];
    double n = 0, gh = 0, ef = 0;
    for (const json& m : member) {
      n += m["classes"][name]["jobs"].get<double>();
      gh += m["classes"][name]["gpu_hours"].get<double>();
      ef += m["classes"][name]["delivered_exaflop"].get<double>();
    }
    DemandTotals d;
    for (const json& m : member) d.add(demand_from_json(m["classes"][name]["demand"]));
    const ClassWaits& cw = class_waits[c];
    const json w = wait_stats(cw.waits), wc = wait_stats(cw.censored);
    cls[name] = {{"jobs", static_cast<long long>(n)},
                 {"wait_s", {{"p50", w["p50"]}, {"p95", w["p95"]}}},
                 {"wait_censored_s", {{"p50", wc["p50"]}, {"p95", wc["p95"]}}},
                 {"not_started_share", per(static_cast<double>(cw.not_started), static_cast<double>(cw.censored.size()))},
                 {"gpu_hours", gh},
                 {"delivered_exaflop", ef},
                 {"demand", demand_json(d)}};
  }
  return cls;
}

// Waits over every job of the federation (into `out`), and by class (returned).
std::vector<ClassWaits> add_waits(json& out, const Scenario& s, const std::vector<RunResult>& rs) {
  std::vector<double> waits, censored;
  WorkWeighted weighted, weighted_censored;
  std::vector<ClassWaits> classes(rs.front().class_names.size());
  for (const RunResult& r : rs)
    for (const JobRecord& j : r.jobs) {
      if (j.job.submit_s < s.warmup_s || j.status == JobStatus::rejected) continue;
      const double work = j.job.gpus * j.job.run_s;
      const double wait = (j.start_s >= 0 ? j.start_s : s.horizon_s) - j.job.submit_s;
      censored.push_back(wait);
      ClassWaits& cw = classes[j.job.class_index];
      cw.censored.push_back(wait);
      weighted_censored.add(work, wait);
      if (j.start_s < 0) {
        ++cw.not_started;
        continue;
      }
      waits.push_back(wait);
      cw.waits.push_back(wait);
      weighted.add(work, wait);
    }
  out["wait_s"] = wait_stats(waits);
  out["wait_s"]["work_weighted_mean"] = weighted.mean();
  out["wait_censored_s"] = wait_stats(censored);
  out["wait_censored_s"]["work_weighted_mean"] = weighted_censored.mean();
  return classes;
}

// The links between members, what crossed them and the jobs whose data moved.
json highways_summary(const Scenario& s, const std::vector<RunResult>& rs) {
  json links = json::array();
  const double per_usd = s.costs.fx.per_usd.at(s.costs.currency);
  for (std::size_t i = 0; i < s.highways.size(); ++i) {
    const Highway& h = s.highways[i];
    const LinkTraffic& t = *rs.front().highway_traffic;
    links.push_back({{"between", {s.member_names[static_cast<std::size_t>(h.a)], s.member_names[static_cast<std::size_t>(h.b)]}},
                     {"bandwidth_gbps", h.bps / 1e9},
                     {"latency_ms", h.latency_s * 1e3},
                     {"data_moved_gb", t.window_bytes(i) / 1e9},
                     {"mean_utilization", t.window_utilization(i)},
                     {"peak_utilization", t.window_peak_utilization(i)},
                     {"cost_per_year", h.cost_usd_per_year * per_usd},
                     {"cost_per_year_usd", h.cost_usd_per_year}});
  }
  std::vector<double> staged;
  long long in_transit = 0;
  for (const RunResult& r : rs)
    for (const JobRecord& j : r.jobs) {
      if (j.job.submit_s < s.warmup_s) continue;
      if (j.staged_s >= 0) staged.push_back(j.staged_s);
      else if (j.start_s < 0 && j.status == JobStatus::queued && !s.class_data.empty() && s.class_data[j.job.class_index].member >= 0 &&
               s.class_data[j.job.class_index].member != j.site)
        ++in_transit;
    }
  return {{"links", links}, {"jobs_staged", static_cast<long long>(staged.size())}, {"jobs_in_transit_at_end", in_transit}, {"staged_s", wait_stats(staged)}};
}

// The members' catalog estimates together, each path prefixed with the member's name.
json members_estimates(const Scenario& s) {
  json out = json::array();
  for (std::size_t i = 0; i < s.members.size(); ++i) add_estimates(out, s.members[i], s.member_names[i] + ": ");
  return out;
}

}  // namespace

json make_federation_summary(const Scenario& s, const std::vector<RunResult>& rs) {
  std::vector<json> member;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    member.push_back(make_summary(s.members[i], rs[i]));
    member.back().erase("trace");  // the trace is read once for the federation: its count is in the totals
  }
  auto sum = [&](const std::string& path) { return sum_of(member, path); };
  json out = summary_header(s, static_cast<long long>(sum("gpus_installed")));
  json jobs = json::object();
  for (const char* k : {"submitted", "completed", "running_at_end", "queued_at_end", "rejected"})
    jobs[k] = static_cast<long long>(sum(std::string("jobs.") + k));
  out["jobs"] = jobs;
  const std::vector<ClassWaits> classes = add_waits(out, s, rs);
  double service = 0, allocated = 0, busy = 0, capacity = 0;
  DemandTotals demand;
  for (const json& m : member) demand.add(demand_from_json(m["demand"]));
  for (const Scenario& m : s.members) capacity += m.cluster.capacity_gpu_s(s.warmup_s, s.horizon_s);
  for (const RunResult& r : rs) {
    service += r.window_service_gpu_s;
    allocated += r.window_allocated_gpu_s;
    busy += r.window_busy_gpu_s;
  }
  out["demand"] = demand_json(demand, capacity, service);
  out["utilization"] = {{"allocated", service > 0 ? allocated / service : 0.0}, {"busy", service > 0 ? busy / service : 0.0}};
  out["gpu_hours"] = {{"delivered", sum("gpu_hours.delivered")}, {"allocated", sum("gpu_hours.allocated")}};
  const double it_mwh = sum("energy.it_mwh"), facility_mwh = sum("energy.facility_mwh");
  out["energy"] = {{"it_mwh", it_mwh}, {"facility_mwh", facility_mwh}};
  out["power"] = power_totals(s, rs, member, it_mwh, facility_mwh);
  // Members may count money in other currencies: added up in USD, shown in the federation's too.
  double stranded_gpus = 0, stranded_usd = 0;
  bool stranded = false;
  for (const json& m : member)
    if (m.contains("stranded")) {
      stranded = true;
      stranded_gpus += m["stranded"]["gpus"].get<double>();
      stranded_usd += m["stranded"]["capex_usd"].get<double>();
    }
  if (stranded)
    out["stranded"] = {{"gpus", stranded_gpus}, {"capex", stranded_usd * s.costs.fx.per_usd.at(s.costs.currency)}, {"capex_usd", stranded_usd}};
  out["pue"] = {{"mean", it_mwh > 0 ? facility_mwh / it_mwh : 0.0}};
  out["compute"] = {{"delivered_exaflop", sum("compute.delivered_exaflop")}};
  bool all_sites = std::all_of(member.begin(), member.end(), [](const json& m) { return m.contains("carbon"); });
  if (all_sites) {
    double t = sum("carbon.tco2");
    out["carbon"] = {{"tco2", t}, {"gco2_per_kwh", facility_mwh > 0 ? t * 1e6 / (facility_mwh * 1000) : 0.0}};
  }
  if (std::any_of(member.begin(), member.end(), [](const json& m) { return m.contains("water"); })) {
    double w = 0;
    for (const json& m : member)
      if (m.contains("water")) w += m["water"]["m3"].get<double>();
    out["water"] = {{"m3", w}};
  }
  out["cost"] = cost_totals(s, member, out["gpu_hours"]["delivered"], out["compute"]["delivered_exaflop"]);
  out["classes"] = class_totals(rs, member, classes);
  add_window_and_per_year(out, s);
  out["estimates_used"] = members_estimates(s);
  const char* policy = s.dispatch == DispatchPolicy::cheapest_power ? "cheapest_power"
                       : s.dispatch == DispatchPolicy::lowest_carbon ? "lowest_carbon"
                                                                      : "least_queued_work";
  json dispatched = json::object();
  for (std::size_t i = 0; i < rs.size(); ++i) dispatched[s.member_names[i]] = static_cast<long long>(rs[i].jobs.size());
  out["dispatch"] = {{"policy", policy}, {"jobs", dispatched}};
  json sites = json::object();
  for (std::size_t i = 0; i < rs.size(); ++i) sites[s.member_names[i]] = member[i];
  out["sites"] = sites;
  if (!s.highways.empty()) out["highways"] = highways_summary(s, rs);
  if (s.failures.enabled) {
    std::vector<const RunResult*> all;
    for (const RunResult& r : rs) all.push_back(&r);
    add_failures(out, s, all);
  }
  if (std::any_of(member.begin(), member.end(), [](const json& m) { return m.contains("network"); })) {
    // The members' fabrics added up; their jobs together.
    double capex = 0, power = 0, energy = 0;
    std::vector<const JobRecord*> jobs;
    for (std::size_t i = 0; i < rs.size(); ++i) {
      for (const JobRecord& j : rs[i].jobs) jobs.push_back(&j);
      if (!member[i].contains("network")) continue;
      capex += member[i]["network"]["capex_usd"]["total"].get<double>();
      power += member[i]["network"]["power_kw"]["total"].get<double>();
      energy += member[i]["network"]["energy_mwh"].get<double>();
    }
    out["network"] = {{"capex_usd", {{"total", capex}}}, {"power_kw", {{"total", power}}}, {"energy_mwh", energy},
                      {"jobs", network_jobs_json(jobs, s.warmup_s, rs.front().class_names)}};
  }
  if (std::holds_alternative<SwfWorkload>(s.workload)) out["trace"] = {{"jobs_skipped", rs.front().trace_jobs_skipped}};
  return out;
}

std::string federation_jobs_csv(const Scenario& s, const std::vector<RunResult>& rs) {
  std::vector<const JobRecord*> all;
  for (const RunResult& r : rs)
    for (const JobRecord& j : r.jobs) all.push_back(&j);
  std::sort(all.begin(), all.end(), [](const JobRecord* a, const JobRecord* b) { return a->job.id < b->job.id; });
  const bool network = std::any_of(s.members.begin(), s.members.end(), [](const Scenario& m) { return m.network.enabled; });
  const bool staging = !s.class_data.empty();
  std::string out = std::string(kJobsCsvHeader) + (network ? kJobsNetworkColumns : "") + (s.failures.enabled ? kJobsFailureColumns : "") + ",site" +
                    (staging ? ",staged_s" : "") + "\n";
  out.reserve(out.size() + all.size() * 56);
  for (const JobRecord* j : all) {
    append_job_row(out, *j, rs.front().class_names, network);
    if (s.failures.enabled) append_failure_columns(out, rs.front().failures_of(*j));
    out += ',' + s.member_names[j->site];
    if (staging) out += ',' + (j->staged_s >= 0 ? num(j->staged_s) : std::string());
    out += '\n';
  }
  return out;
}

std::string federation_timeseries_csv(const Scenario& s, const std::vector<RunResult>& rs) {
  const bool network = std::any_of(s.members.begin(), s.members.end(), [](const Scenario& m) { return m.network.enabled; });
  std::string out = "site," + std::string(kTimeseriesCsvHeader) + (network ? kTimeseriesNetworkColumns : "");
  for (const Highway& h : s.highways)
    out += ",highway." + s.member_names[static_cast<std::size_t>(h.a)] + "." + s.member_names[static_cast<std::size_t>(h.b)] + ".utilization";
  if (s.failures.enabled) out += ",nodes_down";
  out += '\n';
  const std::string no_highways(s.highways.size(), ',');
  std::vector<TimeseriesRow> total = rs.front().timeseries;
  for (auto& row : total)
    row.gpus_allocated = row.gpus_busy = row.jobs_running = row.jobs_queued = row.it_power_w = row.facility_power_w =
        row.gpus_in_service = row.gpus_off = row.capacity_gpus = row.speed_level = row.nodes_down = 0;
  std::vector<double> service_level(total.size(), 0.0);
  std::optional<double> cap_w = 0.0;  // the sum of the members' caps, when every member has one
  for (const Scenario& m : s.members) cap_w = cap_w && m.facility.power_cap_w ? std::optional<double>(*cap_w + *m.facility.power_cap_w) : std::nullopt;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const TimeseriesWriter w(s.members[i], true, s.members[i].facility.power_cap_w);
    for (std::size_t k = 0; k < rs[i].timeseries.size(); ++k) {
      const TimeseriesRow& row = rs[i].timeseries[k];
      out += s.member_names[i] + ',';
      w.append_row(out, row);
      if (network) append_fabric_utilization(out, rs[i], k);
      out += no_highways;
      if (s.failures.enabled) out += ',' + num(row.nodes_down);
      out += '\n';
      TimeseriesRow& t = total[k];
      t.nodes_down += row.nodes_down;
      t.gpus_allocated += row.gpus_allocated;
      t.gpus_busy += row.gpus_busy;
      t.jobs_running += row.jobs_running;
      t.jobs_queued += row.jobs_queued;
      t.it_power_w += row.it_power_w;
      t.facility_power_w += row.facility_power_w;
      t.gpus_in_service += row.gpus_in_service;
      t.gpus_off += row.gpus_off;
      t.capacity_gpus += row.capacity_gpus;
      // The members' levels weighted by their busy GPUs (by GPUs in service while none is busy).
      t.speed_level += row.speed_level * row.gpus_busy;
      service_level[k] += row.speed_level * row.gpus_in_service;
    }
  }
  const TimeseriesWriter w(s, false, cap_w);
  for (std::size_t k = 0; k < total.size(); ++k) {
    TimeseriesRow& t = total[k];
    t.speed_level = t.gpus_busy > 0 ? t.speed_level / t.gpus_busy : t.gpus_in_service > 0 ? service_level[k] / t.gpus_in_service : 1;
    out += "all,";
    w.append_row(out, t);
    if (network) out += ",,";  // tiers of different fabrics are not added up
    for (std::size_t l = 0; l < s.highways.size(); ++l) out += ',' + num(rs.front().highway_traffic->interval_utilization(l, k));
    if (s.failures.enabled) out += ',' + num(t.nodes_down);
    out += '\n';
  }
  return out;
}

std::string federation_summary_text(const Scenario& s, const json& m) {
  char buf[1024];
  const json& j = m["jobs"];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "capsim %s  scenario %s  seed %llu  federation of %zu data centers, dispatch %s\n"
                "horizon      %.1f d (warm-up %.1f d excluded)\n"
                "jobs         %lld submitted: %lld completed, %lld running, %lld queued, %lld rejected\n"
                "wait         mean %s s, p50 %s s, p95 %s s\n"
                "total        %lld GPUs, %.1f %% allocated, %.0f GPU-hours, facility %.1f MWh (highest hour %.2f MW), %s %s/GPU-h\n"
                "demand       %.0f GPU-hours offered, %s of capacity; %.0f served, %.0f unserved\n",
                m["capsim_version"].get<std::string>().c_str(), s.name.c_str(), static_cast<unsigned long long>(s.seed),
                s.members.size(), m["dispatch"]["policy"].get<std::string>().c_str(), s.horizon_s / 86400, s.warmup_s / 86400,
                j["submitted"].get<long long>(), j["completed"].get<long long>(), j["running_at_end"].get<long long>(),
                j["queued_at_end"].get<long long>(), j["rejected"].get<long long>(), text(m["wait_s"]["mean"], "%.0f").c_str(),
                text(m["wait_s"]["p50"], "%.0f").c_str(), text(m["wait_s"]["p95"], "%.0f").c_str(), m["gpus_installed"].get<long long>(),
                100 * m["utilization"]["allocated"].get<double>(), m["gpu_hours"]["delivered"].get<double>(),
                m["energy"]["facility_mwh"].get<double>(), m["power"]["facility_peak_hourly_mw"].get<double>(),
                text(m["cost"]["per_reference_gpu_hour"], "%.2f").c_str(), m["cost"]["currency"].get<std::string>().c_str(),
                m["demand"]["offered_gpu_hours"].get<double>(), text(m["demand"]["offered_load"], "%.2f").c_str(),
                m["demand"]["served_gpu_hours"].get<double>(), m["demand"]["unserved_gpu_hours"].get<double>());
  out += buf;
  if (m.contains("failures")) out += failures_text(m);
  out += per_year_text(m);
  out += estimates_text(m);
  if (m.contains("highways")) {
    const json& h = m["highways"];
    double gb = 0;
    for (const json& l : h["links"]) gb += l["data_moved_gb"].get<double>();
    std::snprintf(buf, sizeof buf, "highways     %zu links, %.0f GB moved, %lld jobs' data moved (mean %s s), %.0f %s/y\n", h["links"].size(), gb,
                  h["jobs_staged"].get<long long>(), text(h["staged_s"]["mean"], "%.0f").c_str(),
                  m["cost"]["highways_per_year"].get<double>(), m["cost"]["currency"].get<std::string>().c_str());
    out += buf;
  }
  out += "member       site                  GPUs     jobs      wait mean  alloc %  peak MW  hours capped  USD/GPU-h\n";
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    const json& x = m["sites"][s.member_names[i]];
    std::snprintf(buf, sizeof buf, "  %-10s %-20s %-8lld %-9lld %-10s %-8.1f %-8.2f %-13.0f %s\n", s.member_names[i].c_str(),
                  s.members[i].site ? s.members[i].site->key.c_str() : "-", x["gpus_installed"].get<long long>(),
                  x["jobs"]["submitted"].get<long long>(), text(x["wait_s"]["mean"], "%.0f").c_str(),
                  100 * x["utilization"]["allocated"].get<double>(), x["power"]["facility_peak_mw"].get<double>(),
                  x["power"]["hours_capped"].get<double>(), text(x["cost"]["usd"]["per_reference_gpu_hour"], "%.2f").c_str());
    out += buf;
  }
  return out;
}

}  // namespace capsim
