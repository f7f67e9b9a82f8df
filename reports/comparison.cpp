#include "reports/comparison.hpp"

#include <cmath>
#include <cstdio>
#include <map>

#include "models/common/json_file.hpp"
#include "reports/stats.hpp"

namespace capsim {
using nlohmann::json;

namespace {

// Key metrics of the comparison: (summary path, column name).
const std::vector<std::pair<std::string, std::string>> kMetrics = {
    {"gpus_installed", "gpus"},
    {"jobs.submitted", "jobs_submitted"},
    {"jobs.completed", "jobs_completed"},
    {"jobs.queued_at_end", "jobs_queued_at_end"},
    {"wait_s.mean", "wait_mean_s"},
    {"wait_s.p95", "wait_p95_s"},
    {"utilization.allocated", "utilization_allocated"},
    {"demand.offered_load", "offered_load"},
    {"demand.unserved_gpu_hours", "unserved_gpu_hours"},
    {"gpu_hours.delivered", "gpu_hours_delivered"},
    {"compute.delivered_exaflop", "delivered_exaflop"},
    {"energy.it_mwh", "it_energy_mwh"},
    {"energy.facility_mwh", "facility_energy_mwh"},
    {"power.facility_peak_mw", "facility_peak_mw"},
    {"power.hours_capped", "hours_capped"},
    {"pue.mean", "pue_mean"},
    {"carbon.tco2", "carbon_tco2"},
    {"cost.usd.capex", "capex_usd"},
    {"cost.usd.total_per_year", "total_cost_per_year_usd"},
    {"cost.usd.per_gpu_hour_delivered", "cost_per_gpu_hour_usd"},
    {"cost.usd.per_exaflop_delivered", "cost_per_exaflop_usd"},
    {"cost.usd.npv", "npv_usd"},
};

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// Fills `row` (and appends to `out`) from the summaries of one scenario's runs, or of one member in them.
void aggregate(const std::vector<json>& summaries, int replications, json& row, std::string& out) {
  std::map<std::string, std::vector<double>> values;
  for (const json& summary : summaries)
    for (const auto& [path, col] : kMetrics)
      if (const json* v = find_dotted(summary, path); v && v->is_number()) values[col].push_back(v->get<double>());
  for (const auto& [path, col] : kMetrics) {
    const auto& v = values[col];
    if (v.size() != static_cast<std::size_t>(replications)) {
      out += replications > 1 ? ",," : ",";
      continue;
    }
    double mean = stats::mean(v);
    row[col] = mean;
    out += "," + num(mean);
    if (replications > 1) {
      double var = 0;
      for (double x : v) var += (x - mean) * (x - mean);
      double half = stats::t95(replications - 1) * std::sqrt(var / (replications - 1) / replications);
      row[col + "_ci95"] = half;
      out += "," + num(half);
    }
  }
  out += "\n";
}

}  // namespace

Comparison make_comparison(const std::string& study, int replications, const std::vector<ScenarioRuns>& scenarios) {
  json rows = json::array(), member_rows = json::array();
  std::string header;
  for (const auto& [_, col] : kMetrics) header += "," + col + (replications > 1 ? "," + col + "_ci95" : "");
  std::string csv = "scenario,replications" + header + "\n";
  std::string members_csv = "scenario,member,site,replications" + header + "\n";
  for (const ScenarioRuns& sr : scenarios) {
    const std::string& name = sr.name;
    const std::vector<json>& summaries = sr.summaries;
    json row = {{"scenario", name}, {"replications", replications}};
    csv += csv_field(name) + "," + std::to_string(replications);
    aggregate(summaries, replications, row, csv);
    row["overrides"] = sr.overrides;
    rows.push_back(row);
    if (summaries.empty() || !summaries.front().contains("sites")) continue;
    for (const auto& [member, first] : summaries.front()["sites"].items()) {
      std::vector<json> of_member;
      for (const json& sm : summaries) of_member.push_back(sm["sites"][member]);
      const std::string site = first.contains("site") ? first["site"]["key"].get<std::string>() : "";
      json mrow = {{"scenario", name}, {"member", member}, {"site", site}, {"replications", replications}};
      members_csv += csv_field(name) + "," + csv_field(member) + "," + csv_field(site) + "," + std::to_string(replications);
      aggregate(of_member, replications, mrow, members_csv);
      member_rows.push_back(mrow);
    }
  }
  Comparison c;
  c.json = {{"capsim_version", CAPSIM_VERSION}, {"study", study}, {"replications", replications}, {"scenarios", rows}};
  if (!member_rows.empty()) {
    c.json["members"] = member_rows;
    c.members_csv = members_csv;
  }
  c.csv = csv;
  return c;
}

std::string comparison_table(const Comparison& c) {
  const json& rows = c.json["scenarios"];
  const std::vector<std::pair<std::string, std::string>> shown = {
      {"gpus", "GPUs"},
      {"utilization_allocated", "utilisation"},
      {"offered_load", "offered load"},
      {"unserved_gpu_hours", "unserved (M GPU-h)"},
      {"wait_mean_s", "mean wait (h)"},
      {"wait_p95_s", "p95 wait (h)"},
      {"delivered_exaflop", "delivered ZFLOP"},
      {"facility_peak_mw", "facility peak (MW)"},
      {"facility_energy_mwh", "facility energy (GWh)"},
      {"hours_capped", "hours power-capped"},
      {"pue_mean", "PUE"},
      {"carbon_tco2", "carbon (kt CO2)"},
      {"capex_usd", "capex (M USD)"},
      {"total_cost_per_year_usd", "cost per year (M USD)"},
      {"cost_per_gpu_hour_usd", "USD per GPU-hour"}};
  std::string out;
  auto cell = [&](const char* format, const std::string& text) {
    char buf[128];
    std::snprintf(buf, sizeof buf, format, text.c_str());
    out += buf;
  };
  cell("%-24s", "");
  for (const auto& row : rows) cell(" %14.14s", row["scenario"].get<std::string>());
  out += "\n";
  for (const auto& [col, label] : shown) {
    cell("%-24s", label);
    for (const auto& row : rows) {
      if (!row.contains(col)) {
        cell(" %14s", "-");
        continue;
      }
      double v = row[col].get<double>();
      if (col == "wait_mean_s" || col == "wait_p95_s") v /= 3600;
      if (col == "facility_energy_mwh") v /= 1000;
      if (col == "delivered_exaflop") v /= 1000;
      if (col == "carbon_tco2") v /= 1000;
      if (col == "capex_usd" || col == "total_cost_per_year_usd" || col == "unserved_gpu_hours") v /= 1e6;
      if (col == "utilization_allocated") v *= 100;
      cell(" %14s", num(std::round(v * 100) / 100));
    }
    out += "\n";
  }
  return out;
}

}  // namespace capsim
