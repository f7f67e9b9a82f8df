#pragma once
// Failures and repairs without a timer per unit: one heap of each unit's next event, a unit being what one
// failure of a class takes down (a node, a rack, a leaf). Every unit of every class draws its times to
// failure and its repair times from a stream of its own (derived from the seed, independent of the
// workload's and of the other units'), so a unit's history does not depend on the jobs it ran: runs that
// differ only in their jobs or checkpointing see the same failures (common random numbers).
#include <cstdint>
#include <queue>
#include <vector>

#include "models/failures/failure_spec.hpp"

namespace capsim {

struct FailureEvent {
  enum class Kind { fail, detected, repaired, spare_repaired } kind = Kind::fail;
  double time_s = 0;
  int cls = 0;   // index in FailureSpec::classes
  int unit = 0;  // node, rack or leaf number
};

// A failure's pipeline as drawn: each stage's duration (manual 0 when it does not escalate).
struct RepairDraw {
  double detect_s = 0, automatic_s = 0, manual_s = 0;
  double total_s() const { return detect_s + automatic_s + manual_s; }
};

class FailureInjector {
 public:
  // `units` by class; `stream` separates the federation members' units (a member's index).
  FailureInjector(const FailureSpec& spec, std::uint64_t seed, int stream, std::vector<int> units);

  double next_time() const;  // infinity when nothing is pending
  FailureEvent pop();
  // The unit works from `now`: its next failure is drawn, `multiplier` times as likely (a lemon node), and a
  // Weibull unit's age starts again at 0.
  void up(int cls, int unit, double now, double multiplier = 1);
  // The unit failed at `now`: its pipeline is drawn; `detected` is scheduled (with a detection time) and
  // the end, `repaired` or, for a spare's machine (`spare`), `spare_repaired`.
  RepairDraw repair(int cls, int unit, double now, bool spare);
  // Whether node `node` is a lemon (a draw of its own, fixed by the seed).
  bool lemon(int node) const;

 private:
  double uniform(int cls, int unit);
  double stage(const RepairSpec& r, int cls, int unit);
  struct Later {
    bool operator()(const FailureEvent& a, const FailureEvent& b) const;
  };
  FailureSpec spec_;
  std::uint64_t base_;
  std::vector<double> weibull_scale_s_;              // by class
  std::vector<std::vector<std::uint32_t>> draws_;    // by class, by unit: draws taken so far
  std::priority_queue<FailureEvent, std::vector<FailureEvent>, Later> heap_;
};

}  // namespace capsim
