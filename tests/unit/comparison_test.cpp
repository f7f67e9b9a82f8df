#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "reports/comparison.hpp"

namespace capsim {
namespace {
using nlohmann::json;

// A run over half a year: the table shows the window's figures per year.
json summary(double exaflop, double mwh) {
  json s;
  s["compute"]["delivered_exaflop"] = exaflop / 2;
  s["window"]["days"] = 182.5;
  s["per_year"]["delivered_exaflop"] = exaflop;
  s["per_year"]["facility_energy_mwh"] = mwh;
  return s;
}

// The line of the printed table that starts with `label`.
std::string line_of(const std::string& table, const std::string& label) {
  std::istringstream in(table);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(label, 0) == 0) return line;
  return "";
}

TEST(ComparisonTable, FileOrderFullNamesPrefixesAndIntervals) {
  // Written in this order: "50k" must stay before "100k"; the long name is not cut.
  const std::string long_name = "50k-national-federation-of-three";
  std::vector<ScenarioRuns> runs = {{long_name, "", {}, {summary(393000, 2000), summary(393224, 2400)}},
                                    {"100k", "", {}, {summary(548000, 4000), summary(548000, 4000)}}};
  const Comparison c = make_comparison("t", 2, runs);
  const std::string table = comparison_table(c);
  const std::string header = table.substr(0, table.find('\n'));
  ASSERT_NE(header.find(long_name), std::string::npos) << header;
  EXPECT_LT(header.find(long_name), header.find("100k"));
  // The row's largest value, 548000 EFLOP, reads as 548 ZFLOP; the same prefix for every column.
  const std::string compute = line_of(table, "delivered FLOP per year (ZFLOP)");
  ASSERT_FALSE(compute.empty()) << table;
  // Mean 393112 EFLOP; half-width t(0.975, 1) x s / sqrt(2) with s = 112 sqrt(2): 12.706 x 112 = 1423.1 EFLOP.
  EXPECT_NE(compute.find("393.11 ± 1.42"), std::string::npos) << compute;
  EXPECT_NE(compute.find("548 ± 0"), std::string::npos) << compute;
  const std::string energy = line_of(table, "facility energy per year (GWh)");
  EXPECT_NE(energy.find("2.2 ± 2.54"), std::string::npos) << energy;  // 12.706 x 200 = 2541 MWh
  // The table's values are comparison.json's, in the table's units.
  EXPECT_NEAR(c.json["scenarios"][0]["delivered_exaflop_per_year"].get<double>(), 393112, 1e-9);
  EXPECT_NEAR(c.json["scenarios"][0]["delivered_exaflop_per_year_ci95"].get<double>(), 12.7062 * 112, 0.03);
  EXPECT_NEAR(c.json["scenarios"][0]["delivered_exaflop"].get<double>(), 393112 / 2.0, 1e-9);
  EXPECT_NE(line_of(table, "window (days)").find("182.5"), std::string::npos) << table;  // t tabulated to 3 decimals
}

// The rows of a CSV text, split at commas (the test's fields hold none).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string cell; std::getline(l, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

std::string cell(const std::vector<std::vector<std::string>>& rows, std::size_t row, const std::string& column) {
  const auto& h = rows.at(0);
  const auto at = std::find(h.begin(), h.end(), column);
  return at == h.end() ? "(no column " + column + ")" : rows.at(row).at(static_cast<std::size_t>(at - h.begin()));
}

// Each replication of a scenario against the same replication of the baseline: waits of 10, 20, 30 h
// against 12, 21, 33 h differ by 2, 1, 3 h, so by 2 h +- t(0.975, 2) x 1 / sqrt(3) = 2.484 h, far narrower
// than the scenarios' own intervals (+- 24.8 h). The variant axes get a column each; replications.csv a
// row per run, from which the means are recomputed.
TEST(ComparisonTable, FabricRowsOnlyWhenARunHasOne) {
  json plain = summary(1000, 10);
  json fabric = summary(1000, 10);
  fabric["network"]["capex_usd"]["total"] = 250e6;
  fabric["network"]["power_kw"]["total"] = 1500;
  fabric["network"]["jobs"]["comm_slowdown_mean"] = 1.25;
  fabric["network"]["jobs"]["comm_slowdown_p95"] = 2.0;
  fabric["network"]["jobs"]["classes"]["pretrain"]["comm_slowdown_mean"] = 1.5;
  fabric["classes"]["pretrain"]["not_started_share"] = 0.0;
  plain["classes"]["pretrain"]["not_started_share"] = 0.0;
  const std::string without = comparison_table(make_comparison("t", 1, {{"a", "", {}, {plain}}}));
  EXPECT_EQ(without.find("fabric"), std::string::npos) << without;
  EXPECT_EQ(without.find("slowdown"), std::string::npos) << without;
  const std::string with = comparison_table(make_comparison("t", 1, {{"a", "", {}, {plain}}, {"b", "", {}, {fabric}}}));
  // M USD and MW; a run without a fabric shows "-".
  EXPECT_NE(line_of(with, "fabric capex (M USD)").find(" - "), std::string::npos) << with;
  EXPECT_NE(line_of(with, "fabric capex (M USD)").find("250"), std::string::npos) << with;
  EXPECT_NE(line_of(with, "fabric power (MW)").find("1.5"), std::string::npos) << with;
  EXPECT_NE(line_of(with, "comm slowdown p95").find("2"), std::string::npos) << with;
  EXPECT_NE(line_of(with, "pretrain comm slowdown mean").find("1.5"), std::string::npos) << with;
}

TEST(Comparison, DifferencesArePairedByReplicationAndRunsAreListed) {
  auto waits = [](std::vector<double> hours, std::uint64_t seed0) {
    std::vector<json> out;
    for (double h : hours) {
      json s;  // by assignment: GCC 12 warns falsely on the nested initializer list
      s["seed"] = seed0++;
      s["wait_s"]["mean"] = h * 3600;
      out.push_back(s);
    }
    return out;
  };
  std::vector<ScenarioRuns> runs = {{"50k-ulsan", "", {{"gpus", "50k"}, {"site", "ulsan"}}, waits({10, 20, 30}, 7)},
                                    {"100k-ulsan", "", {{"gpus", "100k"}, {"site", "ulsan"}}, waits({12, 21, 33}, 7)}};
  const Comparison c = make_comparison("t", 3, runs, "50k-ulsan");
  const auto cmp = csv_rows(c.csv);
  EXPECT_EQ(cell(cmp, 1, "variant_gpus"), "50k");
  EXPECT_EQ(cell(cmp, 2, "variant_gpus"), "100k");
  EXPECT_EQ(cell(cmp, 2, "variant_site"), "ulsan");
  EXPECT_NEAR(std::stod(cell(cmp, 1, "wait_mean_s_ci95")), 4.3027 * 10 / std::sqrt(3.0) * 3600, 20);

  const auto diff = csv_rows(c.differences_csv);
  ASSERT_EQ(diff.size(), 2u) << c.differences_csv;  // the baseline has no row of its own
  EXPECT_EQ(cell(diff, 1, "scenario"), "100k-ulsan");
  EXPECT_EQ(cell(diff, 1, "baseline"), "50k-ulsan");
  EXPECT_NEAR(std::stod(cell(diff, 1, "wait_mean_s")), 2 * 3600.0, 1e-6);
  EXPECT_NEAR(std::stod(cell(diff, 1, "wait_mean_s_ci95")), 4.3027 / std::sqrt(3.0) * 3600, 2);
  EXPECT_EQ(c.json["differences"][0]["variants"]["gpus"], "100k");
  const std::string table = comparison_table(c);
  EXPECT_NE(table.find("minus 50k-ulsan"), std::string::npos) << table;
  EXPECT_NE(line_of(table.substr(table.find("minus 50k-ulsan")), "mean wait (h)").find("2 ± 2.48"), std::string::npos) << table;

  const auto reps = csv_rows(c.replications_csv);
  ASSERT_EQ(reps.size(), 7u);
  double sum = 0;
  for (std::size_t r = 1; r <= 3; ++r) {
    EXPECT_EQ(cell(reps, r, "scenario"), "50k-ulsan");
    EXPECT_EQ(cell(reps, r, "replication"), std::to_string(r - 1));
    EXPECT_EQ(cell(reps, r, "seed"), std::to_string(6 + r));
    sum += std::stod(cell(reps, r, "wait_mean_s"));
  }
  EXPECT_NEAR(sum / 3, std::stod(cell(cmp, 1, "wait_mean_s")), 1e-6);
  EXPECT_EQ(cell(reps, 4, "variant_gpus"), "100k");
  EXPECT_EQ(cell(reps, 1, "gpus"), "");  // a metric the run does not give stays empty

  EXPECT_TRUE(make_comparison("t", 3, runs).differences_csv.empty());  // no baseline, no differences
}

}  // namespace
}  // namespace capsim
