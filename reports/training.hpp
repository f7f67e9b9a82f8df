#pragma once
// The training runs' part of a run's summary (docs/training.md).
#include <string>

#include <nlohmann/json.hpp>

#include "models/results/run_result.hpp"
#include "models/scenario/scenario.hpp"

namespace capsim {

// summary.json `training_runs`, by name; needs the summary's `cost` block. Nothing without training runs.
void add_training_runs(nlohmann::json& summary, const Scenario& s, const RunResult& r);
// Their lines of the printed summary ("" without training runs).
std::string training_text(const nlohmann::json& summary);

}  // namespace capsim
