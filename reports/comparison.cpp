#include "reports/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "models/common/json_file.hpp"
#include "reports/stats.hpp"

namespace capsim {
using nlohmann::json;

namespace {

// Key metrics of the comparison: (summary path, column name), then per class those of metrics_for().
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
    {"power.hours_capped_share", "hours_capped_share"},
    {"pue.mean", "pue_mean"},
    {"carbon.tco2", "carbon_tco2"},
    {"window.days", "window_days"},
    {"per_year.delivered_exaflop", "delivered_exaflop_per_year"},
    {"per_year.facility_energy_mwh", "facility_energy_mwh_per_year"},
    {"per_year.carbon_tco2", "carbon_tco2_per_year"},
    {"cost.usd.capex", "capex_usd"},
    {"cost.usd.total_per_year", "total_cost_per_year_usd"},
    {"cost.usd.per_physical_gpu_hour", "cost_per_physical_gpu_hour_usd"},
    {"cost.usd.per_reference_gpu_hour", "cost_per_reference_gpu_hour_usd"},
    {"cost.usd.per_exaflop_delivered", "cost_per_exaflop_usd"},
    {"cost.usd.npv_window", "npv_window_usd"},
    {"cost.usd.npv_lifetime", "npv_lifetime_usd"},
};

constexpr const char* kTimeToTrain = "_time_to_train_days";

struct Metric {
  std::vector<std::string> path;  // keys into summary.json (a class name may hold dots)
  std::string column;
};

// The key metrics, and for each class of any run (in name order) its censored waits and the share of
// its jobs never started: whose wait it is.
std::vector<Metric> metrics_for(const std::vector<ScenarioRuns>& scenarios) {
  std::vector<Metric> out;
  for (const auto& [dotted, col] : kMetrics) {
    Metric m{{}, col};
    for (std::size_t a = 0, b; a <= dotted.size(); a = b + 1) {
      b = std::min(dotted.find('.', a), dotted.size());
      m.path.push_back(dotted.substr(a, b - a));
    }
    out.push_back(std::move(m));
  }
  // With a fabric in any run: what it costs and draws, and what it does to jobs (rows absent otherwise).
  const bool network = std::any_of(scenarios.begin(), scenarios.end(), [](const ScenarioRuns& sr) {
    return std::any_of(sr.summaries.begin(), sr.summaries.end(), [](const json& s) { return s.contains("network"); });
  });
  if (network) {
    out.push_back({{"network", "capex_usd", "total"}, "network_capex_usd"});
    out.push_back({{"network", "power_kw", "total"}, "network_power_kw"});
    out.push_back({{"network", "jobs", "comm_slowdown_mean"}, "comm_slowdown_mean"});
    out.push_back({{"network", "jobs", "comm_slowdown_p95"}, "comm_slowdown_p95"});
  }
  if (std::any_of(scenarios.begin(), scenarios.end(), [](const ScenarioRuns& sr) {
        return std::any_of(sr.summaries.begin(), sr.summaries.end(), [](const json& s) { return s.contains("highways"); });
      })) {
    out.push_back({{"highways", "staged_s", "mean"}, "staged_mean_s"});
    out.push_back({{"highways", "staged_s", "p95"}, "staged_p95_s"});
  }
  // With failures in any run: how often, what they cost, and the effective training time ratio.
  if (std::any_of(scenarios.begin(), scenarios.end(), [](const ScenarioRuns& sr) {
        return std::any_of(sr.summaries.begin(), sr.summaries.end(), [](const json& s) { return s.contains("failures"); });
      })) {
    out.push_back({{"failures", "count"}, "failures"});
    out.push_back({{"failures", "nodes_down_mean"}, "nodes_in_repair_mean"});
    out.push_back({{"goodput", "useful_gpu_hours"}, "useful_gpu_hours"});
    out.push_back({{"goodput", "gpu_hours_lost"}, "gpu_hours_lost"});
    out.push_back({{"goodput", "ettr"}, "ettr"});
    out.push_back({{"goodput", "ettr_by_size", "4097+", "ettr"}, "ettr_largest_jobs"});
  }
  // Each training run of any run (in name order): how long it took, what it drew, cost, and what the
  // others waited while it held its GPUs.
  std::set<std::string> runs;
  for (const ScenarioRuns& sr : scenarios)
    for (const json& s : sr.summaries)
      if (s.contains("training_runs"))
        for (const auto& [name, _] : s["training_runs"].items()) runs.insert(name);
  for (const std::string& r : runs) {
    out.push_back({{"training_runs", r, "time_to_train_days"}, r + kTimeToTrain});
    out.push_back({{"training_runs", r, "wait_days"}, r + "_run_wait_days"});
    out.push_back({{"training_runs", r, "energy", "facility_mwh"}, r + "_run_facility_mwh"});
    out.push_back({{"training_runs", r, "cost", "usd", "total"}, r + "_run_cost_usd"});
    out.push_back({{"training_runs", r, "others", "while_it_runs", "wait_censored_mean_hours"}, r + "_others_wait_mean_hours"});
  }
  std::set<std::string> classes;
  for (const ScenarioRuns& sr : scenarios)
    for (const json& s : sr.summaries)
      if (s.contains("classes"))
        for (const auto& [name, _] : s["classes"].items()) classes.insert(name);
  for (const std::string& c : classes) {
    out.push_back({{"classes", c, "wait_censored_s", "p50"}, c + "_wait_censored_p50_s"});
    out.push_back({{"classes", c, "wait_censored_s", "p95"}, c + "_wait_censored_p95_s"});
    out.push_back({{"classes", c, "not_started_share"}, c + "_not_started_share"});
    if (network) out.push_back({{"network", "jobs", "classes", c, "comm_slowdown_mean"}, c + "_comm_slowdown_mean"});
  }
  return out;
}

const json* find_path(const json& doc, const std::vector<std::string>& path) {
  const json* at = &doc;
  for (const std::string& key : path) {
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
  }
  return at;
}

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

// Each metric's value in each summary (NaN where the run does not produce it), by column.
std::map<std::string, std::vector<double>> values_of(const std::vector<Metric>& metrics, const std::vector<json>& summaries) {
  std::map<std::string, std::vector<double>> values;
  for (const Metric& m : metrics) {
    auto& v = values[m.column];
    for (const json& summary : summaries) {
      const json* x = find_path(summary, m.path);
      v.push_back(x && x->is_number() ? x->get<double>() : std::nan(""));
    }
  }
  return values;
}

// Appends the mean of `v` (and, over replications, the half-width of its 95 % Student-t interval) to `row`
// and `out`; empty cells when a run lacks the value.
void put_mean(const std::string& col, const std::vector<double>& v, int replications, json& row, std::string& out) {
  const bool complete = v.size() == static_cast<std::size_t>(replications) && std::none_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
  if (!complete) {
    out += replications > 1 ? ",," : ",";
    return;
  }
  const double mean = stats::mean(v);
  row[col] = mean;
  out += "," + num(mean);
  if (replications > 1) {
    double var = 0;
    for (double x : v) var += (x - mean) * (x - mean);
    const double half = stats::t95(replications - 1) * std::sqrt(var / (replications - 1) / replications);
    row[col + "_ci95"] = half;
    out += "," + num(half);
  }
}

// Fills `row` (and appends to `out`) from the metrics' values over one scenario's runs, or of one member in them.
void aggregate(const std::vector<Metric>& metrics, const std::map<std::string, std::vector<double>>& values, int replications, json& row,
               std::string& out) {
  for (const Metric& m : metrics) put_mean(m.column, values.at(m.column), replications, row, out);
  out += "\n";
}

std::string variant_cells(const ScenarioRuns& sr) {
  std::string out;
  for (const auto& [axis, name] : sr.variants) out += "," + csv_field(name);
  return out;
}

}  // namespace

Comparison make_comparison(const std::string& study, int replications, const std::vector<ScenarioRuns>& scenarios, const std::string& baseline) {
  json rows = json::array(), member_rows = json::array(), difference_rows = json::array();
  std::string header, plain_header, axes;
  const std::vector<Metric> metrics = metrics_for(scenarios);
  for (const Metric& m : metrics) {
    header += "," + csv_field(m.column) + (replications > 1 ? "," + csv_field(m.column + "_ci95") : "");
    plain_header += "," + csv_field(m.column);
  }
  if (!scenarios.empty())
    for (const auto& [axis, _] : scenarios.front().variants) axes += "," + csv_field("variant_" + axis);
  std::string csv = "scenario" + axes + ",replications" + header + "\n";
  std::string members_csv = "scenario,member,site,replications" + header + "\n";
  std::string runs_csv = "scenario" + axes + ",replication,seed" + plain_header + "\n";
  std::string differences_csv = "scenario,baseline" + axes + ",replications" + header + "\n";
  const ScenarioRuns* base = nullptr;
  for (const ScenarioRuns& sr : scenarios)
    if (sr.name == baseline) base = &sr;
  const auto base_values = base ? values_of(metrics, base->summaries) : std::map<std::string, std::vector<double>>{};
  for (const ScenarioRuns& sr : scenarios) {
    const std::string& name = sr.name;
    const std::vector<json>& summaries = sr.summaries;
    json row = {{"scenario", name}, {"replications", replications}};
    json variants = json::object();
    for (const auto& [axis, v] : sr.variants) variants[axis] = v;
    if (!sr.variants.empty()) row["variants"] = variants;
    const auto values = values_of(metrics, summaries);
    csv += csv_field(name) + variant_cells(sr) + "," + std::to_string(replications);
    aggregate(metrics, values, replications, row, csv);
    row["overrides"] = sr.overrides;
    rows.push_back(row);
    for (std::size_t k = 0; k < summaries.size(); ++k) {
      runs_csv += csv_field(name) + variant_cells(sr) + "," + std::to_string(k) + "," + std::to_string(summaries[k].value("seed", 0ULL));
      for (const Metric& m : metrics) {
        const double x = values.at(m.column)[k];
        runs_csv += std::isnan(x) ? "," : "," + num(x);
      }
      runs_csv += "\n";
    }
    if (base && base != &sr) {
      // Paired by replication: replication k of every scenario draws the same jobs (common random numbers).
      json drow = {{"scenario", name}, {"baseline", baseline}, {"replications", replications}};
      if (!sr.variants.empty()) drow["variants"] = variants;
      differences_csv += csv_field(name) + "," + csv_field(baseline) + variant_cells(sr) + "," + std::to_string(replications);
      for (const Metric& m : metrics) {
        std::vector<double> d;
        const auto& a = values.at(m.column);
        const auto& b = base_values.at(m.column);
        for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) d.push_back(a[k] - b[k]);
        put_mean(m.column, d, replications, drow, differences_csv);
      }
      differences_csv += "\n";
      difference_rows.push_back(drow);
    }
    if (summaries.empty() || !summaries.front().contains("sites")) continue;
    for (const auto& [member, first] : summaries.front()["sites"].items()) {
      std::vector<json> of_member;
      for (const json& sm : summaries) of_member.push_back(sm["sites"][member]);
      const std::string site = first.contains("site") ? first["site"]["key"].get<std::string>() : "";
      json mrow = {{"scenario", name}, {"member", member}, {"site", site}, {"replications", replications}};
      members_csv += csv_field(name) + "," + csv_field(member) + "," + csv_field(site) + "," + std::to_string(replications);
      aggregate(metrics, values_of(metrics, of_member), replications, mrow, members_csv);
      member_rows.push_back(mrow);
    }
  }
  Comparison c;
  c.json = {{"capsim_version", CAPSIM_VERSION}, {"study", study}, {"replications", replications}, {"scenarios", rows}};
  if (!member_rows.empty()) {
    c.json["members"] = member_rows;
    c.members_csv = members_csv;
  }
  if (base) {
    c.json["baseline"] = baseline;
    c.json["differences"] = difference_rows;
    c.differences_csv = differences_csv;
  }
  c.csv = csv;
  c.replications_csv = runs_csv;
  return c;
}

namespace {

constexpr const char* kNotStarted = "_not_started_share";

// The rows of the table: the columns of `rows` it shows, with their labels.
std::vector<std::pair<std::string, std::string>> shown_rows(const json& rows) {
  std::vector<std::pair<std::string, std::string>> shown = {
      {"gpus", "GPUs"},
      {"utilization_allocated", "utilisation"},
      {"offered_load", "offered load"},
      {"unserved_gpu_hours", "unserved (M GPU-h)"},
      {"wait_mean_s", "mean wait (h)"},
      {"wait_p95_s", "p95 wait (h)"},
      {"window_days", "window (days)"},
      {"delivered_exaflop_per_year", "delivered FLOP per year"},
      {"facility_peak_mw", "facility peak (MW)"},
      {"facility_energy_mwh_per_year", "facility energy per year"},
      {"hours_capped_share", "hours power-capped (%)"},
      {"pue_mean", "PUE"},
      {"carbon_tco2_per_year", "carbon per year (kt CO2)"},
      {"capex_usd", "capex (M USD)"},
      {"total_cost_per_year_usd", "cost per year (M USD)"},
      {"cost_per_physical_gpu_hour_usd", "USD per GPU-hour"},
      {"cost_per_reference_gpu_hour_usd", "USD per reference GPU-hour"}};
  const auto in_any = [&](const std::string& col) {
    return std::any_of(rows.begin(), rows.end(), [&](const json& row) { return row.contains(col); });
  };
  if (in_any("network_capex_usd"))
    for (const auto& c : std::vector<std::pair<std::string, std::string>>{{"network_capex_usd", "fabric capex (M USD)"},
                                                                        {"network_power_kw", "fabric power (MW)"},
                                                                        {"comm_slowdown_mean", "comm slowdown mean"},
                                                                        {"comm_slowdown_p95", "comm slowdown p95"}})
      shown.push_back(c);
  if (in_any("staged_mean_s")) {
    shown.push_back({"staged_mean_s", "input data staging mean (h)"});
    shown.push_back({"staged_p95_s", "input data staging p95 (h)"});
  }
  if (in_any("ettr"))
    for (const auto& c : std::vector<std::pair<std::string, std::string>>{{"failures", "failures"},
                                                                        {"nodes_in_repair_mean", "nodes in repair (mean)"},
                                                                        {"useful_gpu_hours", "useful work (M ref. GPU-h)"},
                                                                        {"gpu_hours_lost", "lost to failures (M GPU-h)"},
                                                                        {"ettr", "ETTR"},
                                                                        {"ettr_largest_jobs", "ETTR of jobs over 4,096 GPUs"}})
      shown.push_back(c);
  const std::string train = kTimeToTrain;
  std::set<std::string> runs;
  for (const auto& row : rows)
    for (const auto& [key, _] : row.items())
      if (key.size() > train.size() && key.ends_with(train)) runs.insert(key.substr(0, key.size() - train.size()));
  for (const std::string& r : runs)
    for (const auto& c : std::vector<std::pair<std::string, std::string>>{{r + train, r + " time to train (days)"},
                                                                        {r + "_run_wait_days", r + " wait (days)"},
                                                                        {r + "_run_facility_mwh", r + " energy (GWh)"},
                                                                        {r + "_run_cost_usd", r + " cost (M USD)"},
                                                                        {r + "_others_wait_mean_hours", "others' mean wait meanwhile (h)"}})
      shown.push_back(c);
  // Whose wait: each class's censored waits and the share of its jobs never started.
  const std::string suffix = kNotStarted;
  std::set<std::string> classes;
  for (const auto& row : rows)
    for (const auto& [key, _] : row.items())
      if (key.size() > suffix.size() && key.ends_with(suffix)) classes.insert(key.substr(0, key.size() - suffix.size()));
  for (const std::string& c : classes) {
    shown.push_back({c + "_wait_censored_p50_s", c + " wait p50 (h)"});
    shown.push_back({c + "_wait_censored_p95_s", c + " wait p95 (h)"});
    shown.push_back({c + suffix, c + " not started (%)"});
    if (in_any(c + "_comm_slowdown_mean")) shown.push_back({c + "_comm_slowdown_mean", c + " comm slowdown mean"});
  }
  return shown;
}

// The metrics of `rows` (scenarios, or their differences from the baseline) with the scenarios as columns.
std::string table(const json& rows, bool intervals) {
  std::vector<std::pair<std::string, std::string>> shown = shown_rows(rows);
  const std::string suffix = kNotStarted;
  // Columns as wide as the longest full name (and an interval, with replications).
  int width = intervals ? 21 : 14;
  for (const auto& row : rows) width = std::max(width, static_cast<int>(row["scenario"].get<std::string>().size()));
  std::string out;
  // Right-aligned in `w` columns; "±" is two bytes and one column.
  auto cell = [&](int w, const std::string& text) {
    const int shown_width = static_cast<int>(std::count_if(text.begin(), text.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
    out += " " + std::string(static_cast<std::size_t>(std::max(0, w - shown_width)), ' ') + text;
  };
  // Compute and energy take the prefix that keeps the largest value of the row below 1000.
  std::map<std::string, double> divisor;
  for (const auto& [col, prefixes] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"delivered_exaflop_per_year", {"EFLOP", "ZFLOP", "YFLOP", "RFLOP"}}, {"facility_energy_mwh_per_year", {"MWh", "GWh", "TWh"}}}) {
    double largest = 0;
    for (const auto& row : rows)
      if (row.contains(col)) largest = std::max(largest, std::abs(row[col].get<double>()));
    std::size_t k = 0;
    while (k + 1 < prefixes.size() && largest >= 1000 * std::pow(1000.0, static_cast<double>(k))) ++k;
    divisor[col] = std::pow(1000.0, static_cast<double>(k));
    for (auto& [c2, label] : shown)
      if (c2 == col) label += " (" + prefixes[k] + ")";
  }
  auto in_units = [&](const std::string& col, double v) {
    if (col.ends_with("_s")) v /= 3600;  // waits
    if (col.ends_with(suffix) || col == "hours_capped_share") v *= 100;
    if (divisor.count(col)) v /= divisor.at(col);
    if (col == "carbon_tco2_per_year") v /= 1000;
    if (col == "capex_usd" || col == "total_cost_per_year_usd" || col == "unserved_gpu_hours" || col == "network_capex_usd" || col == "gpu_hours_lost" || col == "useful_gpu_hours") v /= 1e6;
    if (col == "network_power_kw" || col.ends_with("_run_facility_mwh")) v /= 1e3;
    if (col.ends_with("_run_cost_usd")) v /= 1e6;
    if (col == "utilization_allocated") v *= 100;
    const double rounded = std::round(v * 100) / 100;
    return num(rounded == 0 ? 0.0 : rounded);  // no "-0"
  };
  int label_width = 0;
  for (const auto& [col, label] : shown) label_width = std::max(label_width, static_cast<int>(label.size()) + 1);
  auto label_cell = [&](const std::string& label) {
    out += label + std::string(static_cast<std::size_t>(label_width - static_cast<int>(label.size())), ' ');
  };
  label_cell("");
  for (const auto& row : rows) cell(width, row["scenario"].get<std::string>());
  out += "\n";
  for (const auto& [col, label] : shown) {
    label_cell(label);
    for (const auto& row : rows) {
      if (!row.contains(col)) {
        cell(width, "-");
        continue;
      }
      std::string text = in_units(col, row[col].get<double>());
      if (row.contains(col + "_ci95")) text += " ± " + in_units(col, row[col + "_ci95"].get<double>());
      cell(width, text);
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string comparison_table(const Comparison& c) {
  const bool intervals = c.json.value("replications", 1) > 1;
  std::string out = table(c.json["scenarios"], intervals);
  if (c.json.contains("differences") && !c.json["differences"].empty()) {
    out += "\nminus " + c.json["baseline"].get<std::string>() +
           (intervals ? " (each replication against the baseline's: they share random numbers)" : "") + "\n";
    out += table(c.json["differences"], intervals);
  }
  return out;
}

}  // namespace capsim
