#pragma once
// Runs one scenario on SimGrid. One engine per process (SimGrid allows only one).
#include <vector>

#include "models/results/run_result.hpp"
#include "models/scenario/scenario.hpp"

namespace capsim {

// Throws InputError for trace errors met during the run, Interrupted if stopped.
RunResult run_simulation(const Scenario& s, const RunOptions& opt);
// The same for a federation (or one site): one result per member, each with the jobs dispatched to it.
std::vector<RunResult> run_sites(const Scenario& s, const RunOptions& opt);

}  // namespace capsim
