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
  std::vector<nlohmann::json> summaries;  // summary.json of each replication
};

struct Comparison {
  std::string csv;          // comparison.csv
  std::string members_csv;  // members.csv; empty when no scenario is a federation
  nlohmann::json json;      // comparison.json
};

Comparison make_comparison(const std::string& study, int replications, const std::vector<ScenarioRuns>& scenarios);
// Scenarios as columns, key metrics as rows, in readable units.
std::string comparison_table(const Comparison& c);

}  // namespace capsim
