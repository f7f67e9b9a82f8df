#pragma once
// `capsim study`: many scenarios side by side, each run in its own process (one SimGrid engine per
// process), in parallel; comparison.csv/json and a table of key metrics.
#include <string>
#include <vector>

namespace capsim {

struct StudyArgs {
  std::string file;
  std::string out;
  int jobs = 0;          // parallel runs; 0 = number of cores
  int replications = 0;  // 0 = the study file's (default 1)
  std::string baseline;  // empty = the study file's (default none)
  std::vector<std::string> sets;  // PATH=VALUE for every scenario, after its variant's own
  bool quiet = false;
  bool force = false;
  std::string self;      // path of the capsim executable
};

// Returns the exit code (docs/errors.md). Throws InputError for a bad study file.
int run_study(const StudyArgs& a);

}  // namespace capsim
