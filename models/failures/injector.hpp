#pragma once
// Node failures and repairs without a timer per node: one heap of each node's next event. Every node draws
// its times to failure and its repair times from a stream of its own (derived from the seed, independent of
// the workload's and of the other nodes'), so a node's history does not depend on the jobs it ran: runs
// that differ only in their jobs or checkpointing see the same failures (common random numbers).
#include <cstdint>
#include <queue>
#include <vector>

#include "models/failures/failure_spec.hpp"

namespace capsim {

struct FailureEvent {
  enum class Kind { fail, repaired, spare_repaired } kind = Kind::fail;
  double time_s = 0;
  int node = 0;
};

class FailureInjector {
 public:
  // `stream` separates the federation members' nodes (a member's index).
  FailureInjector(const FailureSpec& spec, std::uint64_t seed, int stream, int nodes);

  double next_time() const;  // infinity when nothing is pending
  FailureEvent pop();
  // The node works from `now`: its next failure is drawn (a Weibull node's age starts again at 0).
  void up(int node, double now);
  // The node failed at `now` and is repaired from then: schedules its repair, returns when it ends. A
  // spare's repair (`spare`) returns a machine to the spare pool rather than the node to service.
  double repair(int node, double now, bool spare);
  long long pending() const { return static_cast<long long>(heap_.size()); }

 private:
  double uniform(int node, std::uint32_t draw);
  struct Later {
    bool operator()(const FailureEvent& a, const FailureEvent& b) const;
  };
  FailureSpec spec_;
  std::uint64_t base_;
  double weibull_scale_s_ = 0;
  std::vector<std::uint32_t> draws_;  // per node: draws taken so far (the stream's position)
  std::priority_queue<FailureEvent, std::vector<FailureEvent>, Later> heap_;
};

}  // namespace capsim
