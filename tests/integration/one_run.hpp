#pragma once
// The run a test binary checks: the scenario named on its command line, run once before the tests (one
// SimGrid engine per process: ctest starts the binary once per scenario).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/results/run_result.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/engine.hpp"
#include "tests/integration/scenario_args.hpp"

namespace capsim::one_run {

inline const Scenario* scenario = nullptr;
inline const RunResult* result = nullptr;
inline const Scenario& sc() { return *scenario; }
inline const RunResult& res() { return *result; }

// The test binary's main: SCENARIO [--set PATH=VALUE]... [gtest flags], then the `extra` overrides.
inline int main(int argc, char** argv, std::vector<std::string> extra = {}) {
  ::testing::InitGoogleTest(&argc, argv);
  std::vector<char*> args(argv, argv + argc);
  static std::string set = "--set";
  for (std::string& e : extra) {
    args.push_back(set.data());
    args.push_back(e.data());
  }
  static const Scenario s = scenario_from_args(static_cast<int>(args.size()), args.data());
  static const RunResult r = run_simulation(s, {});
  scenario = &s;
  result = &r;
  return RUN_ALL_TESTS();
}

}  // namespace capsim::one_run
