#include <gtest/gtest.h>

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
  std::vector<ScenarioRuns> runs = {{long_name, "", {summary(393000, 2000), summary(393224, 2400)}},
                                    {"100k", "", {summary(548000, 4000), summary(548000, 4000)}}};
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

}  // namespace
}  // namespace capsim
