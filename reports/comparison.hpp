#pragma once
// A study's comparison: one row per scenario (means, and 95 % half-widths with replications), one row per
// federation member, and the side-by-side table printed at the end (docs/study.md).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace capsim {

struct ScenarioRuns {
  std::string name;
  std::string overrides;                 // "PATH=VALUE ..." as the variant sets them
  std::vector<std::pair<std::string, std::string>> variants;  // (axis, variant name), in the axes' order
  std::vector<nlohmann::json> summaries;  // summary.json of each replication
};

struct Comparison {
  std::string csv;               // comparison.csv
  std::string members_csv;       // members.csv; empty when no scenario is a federation
  std::string replications_csv;  // replications.csv: one row per run
  std::string differences_csv;   // differences.csv; empty without a baseline
  nlohmann::json json;           // comparison.json
};

// `baseline`: the scenario each other is compared with, replication by replication (they share random
// numbers); empty for none.
Comparison make_comparison(const std::string& study, int replications, const std::vector<ScenarioRuns>& scenarios,
                           const std::string& baseline = "");
// Scenarios as columns, key metrics as rows, in readable units; then, with a baseline, each scenario's
// difference from it.
std::string comparison_table(const Comparison& c);

}  // namespace capsim
