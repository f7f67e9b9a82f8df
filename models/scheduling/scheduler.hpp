#pragma once
// Scheduling policy behind a narrow interface: events in (submit, complete), decisions out (start these
// jobs on these GPUs now). No SimGrid here, so policies are tested alone. Rules: docs/scheduling.md.
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "models/scheduling/node_pool.hpp"
#include "models/scheduling/policy_kind.hpp"

namespace capsim {

using JobId = std::int64_t;

struct JobRequest {
  JobId id = 0;
  int gpus = 0;
  double submit_s = 0;
  double estimate_s = 0;  // requested time: the scheduler's estimate of the run time
};

struct StartDecision {
  JobId id = 0;
  Placement placement;
};

// The head's reservation at one decision, for checks and traces.
struct Reservation {
  JobId head = -1;
  double shadow_s = std::numeric_limits<double>::infinity();
};

class Scheduler {
 public:
  Scheduler(int nodes, int gpus_per_node, PolicyKind policy);

  // A job arrives. Returns false (and forgets it) if it can never fit the cluster: it is rejected.
  bool submit(const JobRequest& job);
  // A running job ends at `now`; its GPUs are free for the next decision.
  void complete(JobId id, double now);
  // Nodes enter or leave service (buildout phases, retirement): those out of service take no new job.
  void set_available(int first_node, int count, bool on);
  // Node ranges a job should stay inside when one holds it (NodePool::set_groups).
  void set_groups(const std::vector<int>& starts) { pool_.set_groups(starts); }
  // At most this many more GPUs may start running in the next decision (a power budget); unlimited by
  // default. Jobs over the limit wait: the queue head blocks, later jobs may still backfill within it.
  void set_start_limit(long long gpus) { start_limit_ = gpus; }
  // Whether the start limit held back a job in the last decision (the head, or a job that fitted).
  bool limited() const { return limited_; }
  // Starts what the policy starts at `now`, in start order; their GPUs are taken.
  std::vector<StartDecision> decide(double now);

  std::size_t queued() const { return queue_.size(); }
  std::size_t running() const { return running_.size(); }
  long long gpus_allocated() const { return total_gpus_ - pool_.free_gpus(); }
  const NodePool& pool() const { return pool_; }
  // The reservation made by the last decide() (head -1 if none: FCFS, empty queue, or all started).
  const Reservation& last_reservation() const { return reservation_; }

 private:
  struct Running {
    double planned_end_s;  // start + estimate
    Placement placement;
  };
  void start(const JobRequest& job, Placement p, double now, std::vector<StartDecision>& out);
  // Shadow time and head reservation; sets caps_ for jobs that would still run at the shadow time.
  void reserve(const JobRequest& head, double now);
  // The head's reserved nodes as caps, from the projection of the last reserve(); built on first need.
  void build_caps(const JobRequest& head);

  PolicyKind policy_;
  NodePool pool_;
  long long total_gpus_;
  std::vector<JobRequest> queue_;  // submit order (ties by id)
  std::unordered_map<JobId, Running> running_;
  std::set<std::pair<double, JobId>> by_planned_end_;
  Reservation reservation_;
  long long start_limit_ = std::numeric_limits<long long>::max();
  bool limited_ = false;
  // Reuse of the last reservation when nothing it depends on changed (same head, same running set, no
  // estimate exceeded): identical result, much cheaper while arrivals queue behind a blocked head.
  bool projection_valid_ = false;
  JobId projection_head_ = -1;
  double projection_shadow_ = 0;
  NodeCaps caps_;
  bool caps_built_ = false;
  std::vector<int> gained_;  // per node: GPUs released in the projection of the last reserve()
  std::vector<int> touched_;
  IdSet made_whole_;
  // A large head's projection: nodes busy now that its releases make whole, in planned-end order (the
  // head's nodes at the shadow time are these first, then free nodes in placement order).
  std::vector<int> released_whole_;
  static constexpr char kBusyWhenProjected = 1, kPartlyFreeWhenProjected = 2;
  std::vector<char> is_released_whole_;  // per node: 0, or how it was when projected
  int busy_released_ = 0;
  // The planned end and id of the release that completes a large head from busy nodes alone (infinite if
  // busy nodes do not make it up).
  std::pair<double, JobId> last_reserved_release_{std::numeric_limits<double>::infinity(), 0};
};

}  // namespace capsim
