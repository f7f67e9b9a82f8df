#pragma once
// Scheduling policy behind a narrow interface: events in (submit, complete), decisions out (start these
// jobs on these GPUs now). No SimGrid here, so policies are tested alone. Rules: docs/scheduling.md.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
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
  // A node of a running job failed: the job stops and its GPUs are free for the next decision.
  void interrupt(JobId id, double now);
  // An interrupted job waits again: at its place by submit time (ties by id) when `front`, else at the back.
  void resubmit(const JobRequest& job, bool front);
  // An interrupted job starts again at once on its GPUs (a spare stood in), planned to run `estimate_s`.
  const Placement& restart(JobId id, double now, double estimate_s);
  // A running job's GPUs.
  const Placement& placement(JobId id) const { return running_.at(id).placement; }
  // A node fails (down) or is repaired: down, it takes no job (NodePool::set_down).
  void set_down(int node, bool down);
  // Nodes enter or leave service (buildout phases, retirement): those out of service take no new job.
  void set_available(int first_node, int count, bool on);
  // Node ranges a job should stay inside when one holds it (NodePool::set_groups).
  void set_groups(const std::vector<int>& starts) { pool_.set_groups(starts); }
  void set_fabric(std::vector<int> group_of_node, std::vector<int> pod_of_group) { pool_.set_fabric(std::move(group_of_node), std::move(pod_of_group)); }
  // At most this many more GPUs may start running in the next decision (a power budget); unlimited by
  // default. Jobs over the limit wait: the queue head blocks, later jobs may still backfill within it.
  void set_start_limit(long long gpus) { start_limit_ = gpus; }
  // Whether the start limit held back a job in the last decision (the head, or a job that fitted).
  bool limited() const { return limited_; }
  // Starts what the policy starts at `now`, in start order; their GPUs are taken.
  std::vector<StartDecision> decide(double now);

  // Advance reservations (a training run's, docs/training.md; models/scheduling/reservations.cpp). The run
  // arrives now and waits outside the queue; its nodes are fixed at the next decision by the placement rule
  // on the pool as it will be at `start_s` (jobs planned to end by then gone), else on the empty pool; until
  // `start_s` only jobs planned to end by then are placed on them (EASY only), after it none. From
  // `start_s` the run starts on them as soon as they are free, a node down (or switched off) replaced by a
  // free one; the jobs still on them then are the engine's to interrupt (`overrunning`). Sent back to the
  // queue before `end_s` it waits for its nodes again; the reservation ends with the run, or at `end_s`
  // (a run not started by then joins the queue). Returns false (and forgets it) if it can never fit.
  bool submit_reserved(const JobRequest& run, double start_s, double end_s);
  // Jobs on the nodes of a reservation whose start has come, once each (by id).
  std::vector<JobId> overrunning(double now);
  // The next start or end of a reservation after `now` (infinity if none).
  double next_reservation_event(double now) const;
  // Nodes a reservation's run lacked when its start came (the largest shortfall, over the reservations).
  int reservation_shortfall() const { return shortfall_; }
  // The nodes of the reservations whose window has opened (their pods are kept on under a cap), and a
  // count that changes whenever they may have.
  std::vector<int> pinned_nodes() const;
  long long pins_version() const { return pins_version_; }

  std::size_t queued() const { return queue_.size(); }
  // GPUs the first queued job asks for (0 with an empty queue).
  int head_gpus() const { return queue_.empty() ? 0 : queue_.front().gpus; }
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
  // The queue's decision (FCFS or EASY) within `limit` GPUs; returns what is left of it.
  long long decide_queue(double now, long long limit, std::vector<StartDecision>& out);
  void take(const Placement& p);
  void release(const Placement& p);
  struct Held {
    JobRequest run;
    double start_s, end_s;
    std::vector<int> nodes;
    bool fixed = false, cleared = false, pending = true, over = false;
  };
  std::vector<Held> held_;
  std::optional<NodePool> reserved_pool_;  // the same nodes, only the reserved ones taking jobs
  Held* held_of(JobId id);
  void fix(Held& h);
  void set_reserved(Held& h, int node, bool on);
  void end_reservation(Held& h);
  long long start_reserved(double now, long long limit, std::vector<StartDecision>& out);
  void backfill_reserved(double now, long long limit, std::vector<StartDecision>& out);
  int shortfall_ = 0;
  long long pins_version_ = 0;
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
  IdSet made_whole_;  // scratch of build_caps, with its members listed
  std::vector<int> made_whole_list_;
  // A large head's projection: the nodes its releases make whole by the shadow time, each at the release
  // (planned end, job) that makes it whole, in walk order (the head's nodes at the shadow time are those
  // busy now first, in that order, then free nodes in placement order, then those partly free now). It is
  // kept up to date as jobs start and end rather than recomputed: an entry holds while its node's
  // `released_` state is set and `released_job_` names its job; others are stale and skipped.
  struct Released {
    double end_s;
    JobId job;
    int node;
  };
  static bool released_before(const Released& a, const Released& b) { return std::pair{a.end_s, a.job} < std::pair{b.end_s, b.job}; }
  bool listed(const Released& e) const { return released_[e.node] != kNotReleased && released_job_[e.node] == e.job; }
  // How a node of the projection is now: busy, or partly free (then small jobs still pack into it).
  void classify(int node) { released_[node] = pool_.free_on(node) == 0 ? kBusyNow : kPartlyFreeNow; }
  // Short jobs started by this decision: their nodes are busy ones at the next decision.
  void list_short_jobs();
  // A job that ended at its planned end on nodes of the projection: they are free or partly free now.
  // Returns false where only a new projection tells (it was the release that made a node whole).
  bool unlist_ended(const Running& r, JobId id);
  // A node whole at the release `e`, in walk order.
  void insert_released(const Released& e);
  std::vector<Released> released_whole_;
  static constexpr char kNotReleased = 0, kBusyNow = 1, kPartlyFreeNow = 2;
  std::vector<char> released_;       // per node
  std::vector<JobId> released_job_;  // per node: the job whose release makes it whole
  int stale_ = 0;                     // entries no longer listed, dropped once they are half
  std::vector<JobId> short_started_;  // by a large head's current decision
};

}  // namespace capsim
