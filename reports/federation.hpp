#pragma once
// Outputs of a federation run: totals over the members plus each member's own summary (docs/outputs.md).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/scenario/scenario.hpp"
#include "models/results/run_result.hpp"

namespace capsim {

// The single-site summary keys, as federation totals (sums, or recomputed over all jobs), plus
// `dispatch` and `sites.NAME` (each member's summary as for one data center).
nlohmann::json make_federation_summary(const Scenario& s, const std::vector<RunResult>& rs);
// jobs.csv with a `site` column, in job id order.
std::string federation_jobs_csv(const Scenario& s, const std::vector<RunResult>& rs);
// timeseries.csv in long form: a `site` column, each member's rows, then the totals as site "all".
std::string federation_timeseries_csv(const Scenario& s, const std::vector<RunResult>& rs);
std::string federation_summary_text(const Scenario& s, const nlohmann::json& summary);

}  // namespace capsim
