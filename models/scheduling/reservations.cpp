// Advance reservations for training runs (docs/training.md): the reserved nodes leave the scheduler's pool
// for a second view of the same nodes (`reserved_pool_`) in which only they take jobs, so the queue's
// decision (FCFS, EASY and its projection) never sees them, and the run and the jobs that end before its
// start are placed there.
#include <algorithm>
#include <limits>

#include "models/scheduling/scheduler.hpp"

namespace capsim {

Scheduler::Held* Scheduler::held_of(JobId id) {
  for (Held& h : held_)
    if (h.run.id == id) return &h;
  return nullptr;
}

bool Scheduler::submit_reserved(const JobRequest& run, double start_s, double end_s) {
  if (!pool_.could_ever_fit(run.gpus)) return false;
  if (!reserved_pool_) {
    reserved_pool_ = pool_;
    reserved_pool_->make_reserved_only();
  }
  held_.push_back({run, start_s, end_s, {}});
  return true;
}

void Scheduler::set_reserved(Held& h, int node, bool on) {
  pool_.set_reserved(node, on);
  reserved_pool_->set_reserved(node, on);
  if (on) h.nodes.push_back(node);
  projection_valid_ = false;
  ++pins_version_;
}

// Whether a placement lies inside one group (one generation).
static bool one_group(const NodePool& pool, const Placement& p) {
  return std::all_of(p.begin(), p.end(), [&](const NodeShare& s) { return pool.group_of(s.node) == pool.group_of(p.front().node); });
}

void Scheduler::fix(Held& h) {
  h.fixed = true;
  const int whole = pool_.nodes_needed(h.run.gpus) * pool_.gpus_per_node();
  // The pool at the start, the jobs planned to end by then gone. If the run does not fit it inside one
  // group (a generation: a run over several goes at its slowest's pace), jobs go on leaving in the order of
  // their planned ends until it does: the fewest jobs still there at the start. Else, over groups.
  NodePool at_start = pool_;
  auto it = by_planned_end_.begin();
  for (; it != by_planned_end_.end() && it->first <= h.start_s; ++it) at_start.release(running_.at(it->second).placement);
  std::optional<Placement> p = at_start.place(whole), spanning;
  for (; (!p || !one_group(at_start, *p)) && it != by_planned_end_.end(); ++it) {
    if (p && !spanning) spanning = p;
    at_start.release(running_.at(it->second).placement);
    p = at_start.place(whole);
  }
  if (p && !one_group(at_start, *p) && spanning) p = spanning;
  if (p)
    for (const NodeShare& s : *p) set_reserved(h, s.node, true);
}

void Scheduler::end_reservation(Held& h) {
  h.over = true;
  for (int n : h.nodes) {
    pool_.set_reserved(n, false);
    reserved_pool_->set_reserved(n, false);
  }
  h.nodes.clear();
  projection_valid_ = false;
  ++pins_version_;
}

std::vector<JobId> Scheduler::overrunning(double now) {
  std::vector<JobId> out;
  for (Held& h : held_) {
    if (!h.fixed && !h.over) fix(h);
    if (h.cleared || h.over || now < h.start_s) continue;
    h.cleared = true;
    ++pins_version_;
    std::vector<char> mine(static_cast<std::size_t>(pool_.nodes()), 0);
    for (int n : h.nodes) mine[static_cast<std::size_t>(n)] = 1;
    for (const auto& [id, r] : running_)
      if (id != h.run.id && std::any_of(r.placement.begin(), r.placement.end(), [&](const NodeShare& s) { return mine[static_cast<std::size_t>(s.node)]; }))
        out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> Scheduler::pinned_nodes() const {
  std::vector<int> out;
  for (const Held& h : held_)
    if (h.cleared && !h.over) out.insert(out.end(), h.nodes.begin(), h.nodes.end());
  return out;
}

double Scheduler::next_reservation_event(double now) const {
  double t = std::numeric_limits<double>::infinity();
  for (const Held& h : held_) {
    if (h.over) continue;
    if (h.start_s > now) t = std::min(t, h.start_s);
    if (h.end_s > now) t = std::min(t, h.end_s);
  }
  return t;
}

long long Scheduler::start_reserved(double now, long long limit, std::vector<StartDecision>& out) {
  const int gpn = pool_.gpus_per_node();
  for (Held& h : held_) {
    if (h.over) continue;
    if (!h.fixed) fix(h);
    if (!h.pending) {
      if (now >= h.end_s) end_reservation(h);  // the run goes on, on the nodes it holds
      continue;
    }
    if (now >= h.end_s) {
      // Never started in its window: it waits as any job.
      end_reservation(h);
      queue_.insert(std::find_if(queue_.begin(), queue_.end(), [&](const JobRequest& q) { return std::pair(q.submit_s, q.id) > std::pair(h.run.submit_s, h.run.id); }), h.run);
      projection_valid_ = false;
      continue;
    }
    if (now < h.start_s) continue;
    const int need = pool_.nodes_needed(h.run.gpus);
    std::vector<int> have, unused;
    for (int n : h.nodes)
      (reserved_pool_->available(n) && reserved_pool_->free_on(n) == gpn && static_cast<int>(have.size()) < need ? have : unused).push_back(n);
    std::optional<Placement> extra;
    if (static_cast<int>(have.size()) < need) {
      // A run inside one group (generation) waits for replacements from it (one slower node would set its
      // pace), else they come by the placement rule.
      const int missing = (need - static_cast<int>(have.size())) * gpn;
      const bool grouped = !h.nodes.empty() && std::all_of(h.nodes.begin(), h.nodes.end(), [&](int n) { return pool_.group_of(n) == pool_.group_of(h.nodes.front()); });
      extra = grouped ? pool_.place_in_group(missing, pool_.group_of(h.nodes.front())) : pool_.place(missing);
      if (!extra) {
        shortfall_ = std::max(shortfall_, need - static_cast<int>(have.size()));
        continue;
      }
    }
    if (h.run.gpus > limit) {
      limited_ = true;
      continue;
    }
    // Nodes down or off give way to the replacements, which become the reservation's.
    for (int n : unused) {
      pool_.set_reserved(n, false);
      reserved_pool_->set_reserved(n, false);
    }
    h.nodes = have;
    ++pins_version_;
    if (extra)
      for (const NodeShare& s : *extra) set_reserved(h, s.node, true);
    Placement p;
    int left = h.run.gpus;
    for (int n : h.nodes) {
      p.push_back({n, gpn, std::min(left, gpn)});
      left -= std::min(left, gpn);
    }
    h.pending = false;
    limit -= h.run.gpus;
    start(h.run, std::move(p), now, out);
    projection_valid_ = false;
  }
  return limit;
}

void Scheduler::backfill_reserved(double now, long long limit, std::vector<StartDecision>& out) {
  if (policy_ != PolicyKind::easy) return;
  // A job may use reserved nodes only if it is planned to end before the earliest start still to come
  // (or already come, with its run still waiting: then none may).
  double by = std::numeric_limits<double>::infinity();
  for (const Held& h : held_)
    if (!h.over && h.pending && h.fixed) by = std::min(by, h.start_s);
  if (by <= now || reserved_pool_->free_gpus() == 0) return;
  std::size_t w = 0;
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    const JobRequest& j = queue_[i];
    std::optional<Placement> p;
    if (now + j.estimate_s <= by && j.gpus <= limit && j.gpus <= reserved_pool_->free_gpus()) p = reserved_pool_->place(j.gpus);
    if (!p) {
      queue_[w++] = j;
      continue;
    }
    limit -= j.gpus;
    start(j, std::move(*p), now, out);
    projection_valid_ = false;
  }
  queue_.resize(w);
}

}  // namespace capsim
