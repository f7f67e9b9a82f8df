#pragma once
// Metrics and output files of one run (docs/outputs.md documents every field and column).
#include <string>

#include <nlohmann/json.hpp>

#include "models/scenario.hpp"
#include "sim/engine.hpp"

namespace capsim {

nlohmann::json make_summary(const Scenario& s, const RunResult& r);
std::string jobs_csv(const RunResult& r);
std::string timeseries_csv(const RunResult& r);
// The readable summary printed on stdout.
std::string summary_text(const Scenario& s, const nlohmann::json& summary);

}  // namespace capsim
