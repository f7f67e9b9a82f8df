#pragma once
// The command line of the engine-running test binaries: SCENARIO [--set PATH=VALUE]... [gtest flags].
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace capsim {

// Loads the scenario named on the command line (after gtest has taken its own flags), or exits 2.
inline Scenario scenario_from_args(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SCENARIO [--set PATH=VALUE]...\n", argv[0]);
    std::exit(2);
  }
  std::vector<Override> overrides;
  for (int i = 2; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--set") overrides.push_back(parse_override(argv[i + 1]));
  return load_scenario(argv[1], overrides);
}

}  // namespace capsim
