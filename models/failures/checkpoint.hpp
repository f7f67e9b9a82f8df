#pragma once
// One attempt of a job under checkpointing: a restart (after an interruption), then its remaining work in
// intervals, each but the last followed by a checkpoint. All times are seconds at the job's full pace (its
// slowest GPUs, unthrottled); a cap's throttling stretches every part alike (docs/failures.md).
#include "models/failures/failure_spec.hpp"

namespace capsim {

struct Attempt {
  double restart_s = 0;
  double useful_s = 0;  // remaining work
  double interval_s = std::numeric_limits<double>::infinity();
  double cost_s = 0;

  long long checkpoints() const;
  double total_s() const { return restart_s + useful_s + static_cast<double>(checkpoints()) * cost_s; }
  // Where the attempt stands after `elapsed_s`: restart time spent, work saved by completed checkpoints,
  // work done since the last one (lost if it stops now), checkpoint time spent (a partial one included).
  struct Progress {
    double restart_s = 0, saved_s = 0, unsaved_s = 0, checkpoint_s = 0;
  };
  Progress at(double elapsed_s) const;
};

// Work between checkpoints that minimises the expected run time, for checkpoint cost C and a job's mean time
// between interruptions M: Young (1974) sqrt(2 C M); Daly (2006, eq. 37) sqrt(2 C M) (1 + sqrt(C / 2M) / 3 +
// C / 18M) - C for C < 2M, else M. Infinite when M is (no failures).
double young_interval_s(double cost_s, double mtbi_s);
double daly_interval_s(double cost_s, double mtbi_s);
double checkpoint_interval_s(const CheckpointSpec& c, double mtbi_s);

}  // namespace capsim
