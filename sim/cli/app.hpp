#pragma once
// The capsim command line: validate | run | study | schema (exit codes: docs/errors.md). No SimGrid here:
// the engine comes in as `run_sites`, so this target builds and links without it.
#include "models/results/run_result.hpp"

namespace capsim {

int run_cli(int argc, char** argv, RunSites run_sites);

}  // namespace capsim
