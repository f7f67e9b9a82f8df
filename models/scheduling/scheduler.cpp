#include "models/scheduling/scheduler.hpp"

#include <algorithm>

namespace capsim {

Scheduler::Scheduler(int nodes, int gpus_per_node, PolicyKind policy)
    : policy_(policy), pool_(nodes, gpus_per_node), total_gpus_(static_cast<long long>(nodes) * gpus_per_node),
      caps_(nodes), gained_(nodes, 0), made_whole_(nodes), released_(nodes, kNotReleased), released_job_(nodes, -1) {}

bool Scheduler::submit(const JobRequest& job) {
  if (!pool_.could_ever_fit(job.gpus)) return false;
  queue_.push_back(job);
  return true;
}

void Scheduler::complete(JobId id, double now) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  const Running& r = it->second;
  release(r.placement);
  if (projection_valid_) {
    // A job ending exactly at its planned end was already free in the projection (its planned end is at
    // or before the shadow time): move its GPUs from "projected" to "free now"; the shadow time stays.
    // Ending earlier makes the head fit sooner, perhaps: the projection is redone.
    if (r.planned_end_s == now && r.planned_end_s <= projection_shadow_ && unlist_ended(r, id)) {
      for (const auto& s : r.placement)
        if (pool_.available(s.node)) gained_[s.node] -= s.held;
    } else {
      projection_valid_ = false;
    }
  }
  by_planned_end_.erase({r.planned_end_s, id});
  running_.erase(it);
  if (!held_.empty())
    if (Held* h = held_of(id); h && !h->pending && !h->over) end_reservation(*h);
}

void Scheduler::interrupt(JobId id, double now) {
  projection_valid_ = false;  // it ends before its planned end, and its GPUs may be down
  Held* h = held_of(id);
  if (h && now < h->end_s) h->pending = true;  // it waits for its nodes again
  complete(id, now);
}

void Scheduler::resubmit(const JobRequest& job, bool front) {
  if (Held* h = held_of(job.id); h && !h->over) {
    h->run = job;
    return;
  }
  auto at = queue_.end();
  if (front)
    at = std::find_if(queue_.begin(), queue_.end(), [&](const JobRequest& q) { return std::pair(q.submit_s, q.id) > std::pair(job.submit_s, job.id); });
  queue_.insert(at, job);
  projection_valid_ = false;
}

const Placement& Scheduler::restart(JobId id, double now, double estimate_s) {
  Running& r = running_.at(id);
  by_planned_end_.erase({r.planned_end_s, id});
  r.planned_end_s = now + estimate_s;
  by_planned_end_.insert({r.planned_end_s, id});
  projection_valid_ = false;
  return r.placement;
}

void Scheduler::set_down(int node, bool down) {
  pool_.set_down(node, down);
  if (reserved_pool_) reserved_pool_->set_down(node, down);
  projection_valid_ = false;
}

void Scheduler::set_available(int first_node, int count, bool on) {
  for (int n = first_node; n < first_node + count; ++n) {
    pool_.set_available(n, on);
    if (reserved_pool_) reserved_pool_->set_available(n, on);
  }
  projection_valid_ = false;
}

void Scheduler::take(const Placement& p) {
  pool_.take(p);
  if (reserved_pool_) reserved_pool_->take(p);
}

void Scheduler::release(const Placement& p) {
  pool_.release(p);
  if (reserved_pool_) reserved_pool_->release(p);
}

void Scheduler::start(const JobRequest& job, Placement p, double now, std::vector<StartDecision>& out) {
  take(p);
  double end = now + job.estimate_s;
  by_planned_end_.insert({end, job.id});
  running_.emplace(job.id, Running{end, p});
  out.push_back({job.id, std::move(p)});
}

void Scheduler::reserve(const JobRequest& head, double now) {
  // The projection, shadow time and reserved nodes of the last call still hold if the head is the same,
  // no estimate is exceeded (those count as ending "now", which moves) and nothing invalidated them since
  // (see complete() and decide()). Reusing them gives the same decisions as recomputing.
  bool exceeded = !by_planned_end_.empty() && by_planned_end_.begin()->first < now;
  if (!exceeded && projection_valid_ && projection_head_ == head.id) {
    reservation_.shadow_s = projection_shadow_;
    return;
  }
  for (int n : touched_) gained_[n] = 0;
  touched_.clear();
  for (const auto& e : released_whole_) released_[e.node] = kNotReleased;
  released_whole_.clear();
  stale_ = 0;
  caps_.clear();
  caps_built_ = false;
  reservation_.shadow_s = std::numeric_limits<double>::infinity();
  // Walk running jobs in order of planned end (an exceeded estimate counts as ending now), adding the GPUs
  // each releases to a projection of the pool (gained_), until the head fits; jobs with the same planned
  // end are released together. The head does not fit now, so in the projection it can only fit on nodes
  // that gained GPUs (a small job) or with nodes that became whole (a large job).
  const int gpn = pool_.gpus_per_node();
  const bool whole_nodes = head.gpus > gpn;
  const int need_nodes = pool_.nodes_needed(head.gpus);
  long long projected_free = pool_.free_gpus();
  int new_whole = 0;
  for (auto it = by_planned_end_.begin(); it != by_planned_end_.end();) {
    double t = std::max(it->first, now);
    while (it != by_planned_end_.end() && std::max(it->first, now) == t) {
      const Running& r = running_.at(it->second);
      for (const auto& sh : r.placement) {
        if (!pool_.available(sh.node)) continue;  // a retired node hosts nothing after its jobs end
        if (gained_[sh.node] == 0) touched_.push_back(sh.node);
        gained_[sh.node] += sh.held;
        if (pool_.free_on(sh.node) + gained_[sh.node] == gpn) {
          ++new_whole;
          if (whole_nodes) {
            released_whole_.push_back({it->first, it->second, sh.node});
            released_job_[sh.node] = it->second;
            classify(sh.node);
          }
        }
      }
      for (const auto& sh : r.placement)
        if (pool_.available(sh.node)) projected_free += sh.held;
      ++it;
    }
    if (projected_free < head.gpus) continue;
    bool fits = false;
    if (whole_nodes) {
      fits = pool_.free_nodes() + new_whole >= need_nodes;
    } else {
      for (int n : touched_) fits |= pool_.free_on(n) + gained_[n] >= head.gpus;
    }
    if (fits) {
      reservation_.shadow_s = t;
      break;
    }
  }
  projection_valid_ = true;
  projection_head_ = head.id;
  projection_shadow_ = reservation_.shadow_s;
}

void Scheduler::build_caps(const JobRequest& head) {
  caps_built_ = true;
  if (reservation_.shadow_s == std::numeric_limits<double>::infinity()) return;
  const int gpn = pool_.gpus_per_node();
  if (head.gpus > gpn) {
    // The head's nodes, as EASY defines them (Mu'alem & Feitelson): those it would take at the shadow
    // time, nodes busy now first, in the order their jobs are planned to end, then free nodes in placement
    // order. A job still running at the shadow time may use only free nodes outside them. A node partly
    // free now (GPU-granular jobs) comes after the free ones: small jobs can still pack into it.
    // Busy nodes have no free GPU to exclude: they are only counted.
    int left = pool_.nodes_needed(head.gpus);
    for (std::size_t i = 0; i < released_whole_.size() && left > 0; ++i)
      if (listed(released_whole_[i]) && released_[released_whole_[i].node] == kBusyNow) --left;
    // The free ones: whole now, or taken since by a short job of this decision (the projection lists every
    // other node it makes whole).
    std::vector<int>& taken = made_whole_list_;
    for (JobId id : short_started_)
      for (const auto& s : running_.at(id).placement)
        if (released_[s.node] == kNotReleased && pool_.free_on(s.node) + gained_[s.node] == gpn && !made_whole_.contains(s.node)) {
          made_whole_.insert(s.node);
          taken.push_back(s.node);
        }
    const int free_ones = std::min(left, pool_.free_nodes() + made_whole_.size());
    int cutoff = free_ones > 0 ? pool_.whole_nodes().select_union(free_ones, made_whole_) : -1;
    caps_.exclude_whole_up_to(cutoff);
    left -= free_ones;
    for (std::size_t i = 0; i < released_whole_.size() && left > 0; ++i) {
      const Released& e = released_whole_[i];
      if (listed(e) && released_[e.node] == kPartlyFreeNow) {
        caps_.exclude(e.node);
        --left;
      }
    }
    for (int n : taken) {
      if (n <= cutoff) caps_.exclude(n);
      made_whole_.erase(n);
    }
    taken.clear();
  } else {
    // Best fit among the nodes that gained GPUs: fewest projected free GPUs that hold it, lowest number.
    int best = -1, best_free = 0;
    for (int n : touched_) {
      int f = pool_.free_on(n) + gained_[n];
      if (f >= head.gpus && (best < 0 || f < best_free || (f == best_free && n < best))) {
        best = n;
        best_free = f;
      }
    }
    caps_.set(best, best_free - head.gpus);
  }
}

bool Scheduler::unlist_ended(const Running& r, JobId id) {
  bool changed = false;
  for (const auto& s : r.placement) {
    const int n = s.node;
    if (released_[n] == kNotReleased) continue;
    changed = true;
    if (released_job_[n] != id) {
      classify(n);
    } else if (pool_.free_on(n) == pool_.gpus_per_node()) {
      released_[n] = kNotReleased;  // a free node now
      ++stale_;
    } else {
      return false;  // the node is whole at the release of a job ending at the same time: which one?
    }
  }
  if (changed) {
    caps_.clear();
    caps_built_ = false;
  }
  return true;
}

void Scheduler::insert_released(const Released& e) {
  released_whole_.insert(std::upper_bound(released_whole_.begin(), released_whole_.end(), e, released_before), e);
  released_job_[e.node] = e.job;
  classify(e.node);
}

void Scheduler::list_short_jobs() {
  // Each node they make whole by the shadow time is whole at the latest release on it: the short job's,
  // or the one it already had in the projection.
  const int gpn = pool_.gpus_per_node();
  for (JobId id : short_started_) {
    const Running& r = running_.at(id);
    for (const auto& s : r.placement) {
      const int n = s.node;
      if (pool_.free_on(n) + gained_[n] != gpn) continue;
      const Released e{r.planned_end_s, id, n};
      if (released_[n] == kNotReleased) {
        insert_released(e);
      } else if (released_before({running_.at(released_job_[n]).planned_end_s, released_job_[n], n}, e)) {
        ++stale_;
        insert_released(e);
      } else {
        classify(n);
      }
    }
  }
  if (stale_ > static_cast<int>(released_whole_.size() / 2) + 64) {
    std::erase_if(released_whole_, [&](const Released& e) { return !listed(e); });
    stale_ = 0;
  }
  caps_.clear();
  caps_built_ = false;
}

std::vector<StartDecision> Scheduler::decide(double now) {
  std::vector<StartDecision> out;
  limited_ = false;
  long long limit = start_limit_;
  if (!held_.empty()) limit = start_reserved(now, limit, out);
  limit = decide_queue(now, limit, out);
  if (!held_.empty()) backfill_reserved(now, limit, out);
  return out;
}

long long Scheduler::decide_queue(double now, long long limit, std::vector<StartDecision>& out) {
  reservation_ = Reservation{};
  std::size_t h = 0;
  for (; h < queue_.size(); ++h) {
    if (queue_[h].gpus > limit) {
      limited_ = limited_ || pool_.place(queue_[h].gpus).has_value();
      break;
    }
    auto p = pool_.place(queue_[h].gpus);
    if (!p) break;
    limit -= queue_[h].gpus;
    start(queue_[h], std::move(*p), now, out);
    projection_valid_ = false;  // the head changed
  }
  if (h == queue_.size() || policy_ == PolicyKind::fcfs || pool_.free_gpus() == 0) {
    queue_.erase(queue_.begin(), queue_.begin() + h);
    return limit;
  }
  // Whether a job fits is monotone in its size, and within one decision GPUs only get taken: once a size
  // failed, every job at least as large fails too (with caps or without), and is skipped unexamined.
  int smallest = std::numeric_limits<int>::max();
  for (std::size_t i = h + 1; i < queue_.size(); ++i) smallest = std::min(smallest, queue_[i].gpus);
  if (smallest > pool_.free_gpus() || !pool_.place(smallest)) {
    queue_.erase(queue_.begin(), queue_.begin() + h);
    return limit;
  }
  const JobRequest head = queue_[h];
  reservation_.head = head.id;
  reserve(head, now);
  const double shadow = reservation_.shadow_s;

  int failed_uncapped = std::numeric_limits<int>::max();  // smallest size that did not fit
  int failed_capped = std::numeric_limits<int>::max();
  std::vector<char> started(queue_.size(), 0);
  for (std::size_t i = h + 1; i < queue_.size(); ++i) {
    if (pool_.free_gpus() == 0) break;
    const JobRequest& j = queue_[i];
    if (j.gpus > pool_.free_gpus()) continue;
    if (j.gpus > limit) {
      limited_ = true;
      continue;
    }
    bool ends_by_shadow = now + j.estimate_s <= shadow;
    if (j.gpus >= failed_uncapped || (!ends_by_shadow && j.gpus >= failed_capped)) continue;
    if (!ends_by_shadow && !caps_built_) build_caps(head);
    auto p = pool_.place(j.gpus, ends_by_shadow ? nullptr : &caps_);
    if (!p) {
      (ends_by_shadow ? failed_uncapped : failed_capped) = j.gpus;
      continue;
    }
    if (!ends_by_shadow) {
      for (const auto& s : *p)
        if (caps_.capped(s.node)) caps_.reduce(s.node, s.held);
      // A small head's best-fit node may change once a long job takes GPUs elsewhere; a large head's
      // nodes cannot: a node a long job takes outside them is not whole by the shadow time, so it leaves
      // the projection (it was not among the head's nodes, which stay as they are).
      if (head.gpus <= pool_.gpus_per_node()) projection_valid_ = false;
      for (const auto& s : *p)
        if (released_[s.node] != kNotReleased) {
          released_[s.node] = kNotReleased;
          ++stale_;
        }
    } else {
      // A short job gives its GPUs back by the shadow time: the projection keeps them free, so caps built
      // later in this decision see the same projected state as before it started. At the next decision its
      // nodes are busy ones, which a large head takes first (list_short_jobs).
      if (head.gpus > pool_.gpus_per_node()) short_started_.push_back(j.id);
      for (const auto& s : *p) {
        if (gained_[s.node] == 0) touched_.push_back(s.node);
        gained_[s.node] += s.held;
        // A whole node under the cutoff that it takes stays reserved once it leaves the whole bucket.
        if (caps_built_ && s.node <= caps_.whole_cutoff() && pool_.free_on(s.node) == pool_.gpus_per_node())
          caps_.exclude(s.node);
      }
    }
    start(j, std::move(*p), now, out);
    limit -= j.gpus;
    started[i] = 1;
  }
  if (!short_started_.empty()) {
    if (projection_valid_) list_short_jobs();
    short_started_.clear();
  }
  std::size_t w = 0;
  for (std::size_t i = h; i < queue_.size(); ++i)
    if (!started[i]) queue_[w++] = queue_[i];
  queue_.resize(w);
  return limit;
}

}  // namespace capsim
