#pragma once
// Node failures and checkpointing as the scenario describes them (built by the `failures` section and by the
// job classes' `checkpoint`; docs/failures.md).
#include <limits>

namespace capsim {

struct RepairSpec {
  enum class Kind { fixed, exponential, lognormal } kind = Kind::fixed;
  double mean_s = 7200;
  double sigma = 1;  // lognormal: of the log of the repair time
};

struct FailureSpec {
  bool enabled = false;  // the scenario has a `failures` section
  double node_mtbf_s = std::numeric_limits<double>::infinity();  // mean time between failures of one node
  enum class Kind { exponential, weibull } kind = Kind::exponential;
  double weibull_shape = 1;
  RepairSpec repair;
  int spare_nodes = 0;  // the cluster's last nodes, held out of the scheduler's pool to stand in at once
  bool requeue_front = true;  // an interrupted job goes back at its original place in the queue (else the back)
  double node_rate_per_s() const { return 1 / node_mtbf_s; }
};

// Per job class. The interval is the work between checkpoints, in seconds at the job's pace.
struct CheckpointSpec {
  enum class Interval { fixed, young, daly } rule = Interval::daly;
  double interval_s = std::numeric_limits<double>::infinity();  // fixed
  double cost_s = 0;     // one checkpoint (given, or its size over the job's storage bandwidth)
  double restart_s = 0;  // reading it back when the job restarts
};

}  // namespace capsim
