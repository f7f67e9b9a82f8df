#pragma once
// Failures and checkpointing as the scenario describes them (built by the `failures` section and by the job
// classes' `checkpoint`; docs/failures.md).
#include <limits>
#include <string>
#include <vector>

namespace capsim {

struct RepairSpec {
  enum class Kind { fixed, exponential, lognormal } kind = Kind::fixed;
  double mean_s = 7200;
  double sigma = 1;  // lognormal: of the log of the repair time
};

// From a failure to the return to service: detection (the failed unit's jobs hang, holding their GPUs), an
// automatic repair (reboot, reimage), and for a share of them a manual repair or replacement after it.
struct RepairPipeline {
  double detect_s = 0;
  RepairSpec automatic;
  double escalate_share = 0;
  RepairSpec manual{RepairSpec::Kind::fixed, 3 * 86400.0, 1};
  double mean_s() const { return detect_s + automatic.mean_s + escalate_share * manual.mean_s; }
};

// What one failure takes down: a node, or every node of its rack or of its leaf (host group).
enum class FailureDomain { node, rack, leaf };
inline const char* to_string(FailureDomain d) { return d == FailureDomain::node ? "node" : d == FailureDomain::rack ? "rack" : "leaf"; }

// A component class: its failures per unit of its domain (a node, a rack, a leaf) and time, while on.
struct FailureClass {
  std::string name;
  double mtbf_s = std::numeric_limits<double>::infinity();  // per unit
  enum class Kind { exponential, weibull } kind = Kind::exponential;
  double weibull_shape = 1;
  FailureDomain domain = FailureDomain::node;
  RepairPipeline repair;
};

// A share of nodes whose node failures come `multiplier` times as often (drawn once, from the seed).
struct LemonSpec {
  double fraction = 0;
  double multiplier = 1;
  int retire_after = 0;  // a node that failed this many times leaves service for good (0: never)
};

// Planned maintenance as scheduled drains: every unit of `domain` in turn, once per `every_s`, the units'
// windows spread evenly over the period. From `notice_s` before its window a unit drains (its nodes take
// no new job); in the window, its nodes are out and the jobs still on them are interrupted.
struct MaintenanceSpec {
  bool enabled = false;
  FailureDomain domain = FailureDomain::rack;
  double every_s = 0, duration_s = 0, notice_s = 0;
  double first_s = 0;  // the first unit's first window starts
  struct Window {
    double drain_s, start_s, end_s;
  };
  // Window k of unit `unit` of `units`.
  Window window(int unit, int units, int k) const {
    const double start = first_s + (k + static_cast<double>(unit) / units) * every_s;
    return {start - notice_s, start, start + duration_s};
  }
};

struct FailureSpec {
  bool enabled = false;  // the scenario has a `failures` section
  std::vector<FailureClass> classes;
  int nodes_per_rack = 4;
  int nodes_per_leaf = 4;  // without a network section (with one: its host groups)
  LemonSpec lemons;
  int spare_nodes = 0;  // the cluster's last nodes, held out of the scheduler's pool to stand in at once
  MaintenanceSpec maintenance;
  int technicians = 0;  // manual repairs under way at once at the site, the others waiting in turn (0: no limit)
  bool requeue_front = true;  // an interrupted job goes back at its original place in the queue (else the back)
};

// Per job class. The interval is the work between checkpoints, in seconds at the job's pace.
struct CheckpointSpec {
  enum class Interval { fixed, young, daly } rule = Interval::daly;
  double interval_s = std::numeric_limits<double>::infinity();  // fixed
  double cost_s = 0;     // one checkpoint (given, or its size over the job's storage bandwidth)
  double restart_s = 0;  // reading it back when the job restarts
};

}  // namespace capsim
