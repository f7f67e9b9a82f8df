#pragma once
// The fabric's figures: summary.json `network` (its parts, cost, power and energy in the run) and
// `capsim topology` (the same parts with what is measured on the graph).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/network/fabric_graph.hpp"
#include "models/results/run_result.hpp"
#include "models/scenario/scenario.hpp"

namespace capsim {

// Counts, capex and power of the scenario's fabric; with `m`, its bisection, diameter and oversubscription.
nlohmann::json fabric_json(const Scenario& s, const FabricMeasures* m);
// fabric_json with the run's fabric energy and the fabric's share of the hardware capex.
nlohmann::json network_json(const Scenario& s, const RunResult& r, double hardware_capex_usd);
// summary.json `network.jobs` over these jobs (a run's, or a federation's members' together).
nlohmann::json network_jobs_json(const std::vector<const JobRecord*>& jobs, double warmup_s, const std::vector<std::string>& class_names);
// The `network` line of a run's printed summary.
std::string network_text(const nlohmann::json& network);
// The printed table of `capsim topology`.
std::string fabric_text(const nlohmann::json& fabric);

}  // namespace capsim
