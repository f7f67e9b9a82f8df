#include "models/scheduler.hpp"

#include <algorithm>

namespace capsim {

Scheduler::Scheduler(int nodes, int gpus_per_node, PolicyKind policy)
    : policy_(policy), pool_(nodes, gpus_per_node), total_gpus_(static_cast<long long>(nodes) * gpus_per_node) {}

bool Scheduler::submit(const JobRequest& job) {
  if (!pool_.could_ever_fit(job.gpus)) return false;
  queue_.push_back(job);
  return true;
}

void Scheduler::complete(JobId id) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  pool_.release(it->second.placement);
  by_planned_end_.erase({it->second.planned_end_s, id});
  running_.erase(it);
  ++running_version_;
}

void Scheduler::start(const JobRequest& job, Placement p, double now, std::vector<StartDecision>& out) {
  pool_.take(p);
  double end = now + job.estimate_s;
  by_planned_end_.insert({end, job.id});
  running_.emplace(job.id, Running{end, p});
  ++running_version_;
  out.push_back({job.id, std::move(p)});
}

void Scheduler::reserve(const JobRequest& head, double now, NodeCaps& caps) {
  bool exceeded = !by_planned_end_.empty() && by_planned_end_.begin()->first < now;
  if (!exceeded && cached_version_ == running_version_ && cached_head_ == head.id) {
    caps = cached_caps_;
    reservation_.shadow_s = cached_shadow_;
    return;
  }
  // Release running jobs in order of planned end (an exceeded estimate counts as ending now) until the
  // head fits; then put them back. Jobs with the same planned end are released together.
  std::vector<const Placement*> released;
  reservation_.shadow_s = std::numeric_limits<double>::infinity();
  for (auto it = by_planned_end_.begin(); it != by_planned_end_.end();) {
    double t = std::max(it->first, now);
    while (it != by_planned_end_.end() && std::max(it->first, now) == t) {
      const Placement& p = running_.at(it->second).placement;
      pool_.release(p);
      released.push_back(&p);
      ++it;
    }
    if (auto r = pool_.place(head.gpus)) {
      reservation_.shadow_s = t;
      for (const auto& s : *r) caps[s.node] = pool_.free_on(s.node) - s.held;
      break;
    }
  }
  for (const Placement* p : released) pool_.take(*p);
  cached_version_ = running_version_;
  cached_head_ = head.id;
  cached_caps_ = caps;
  cached_shadow_ = reservation_.shadow_s;
}

std::vector<StartDecision> Scheduler::decide(double now) {
  std::vector<StartDecision> out;
  reservation_ = Reservation{};
  std::size_t h = 0;
  for (; h < queue_.size(); ++h) {
    auto p = pool_.place(queue_[h].gpus);
    if (!p) break;
    start(queue_[h], std::move(*p), now, out);
  }
  if (h == queue_.size() || policy_ == PolicyKind::fcfs || pool_.free_gpus() == 0) {
    queue_.erase(queue_.begin(), queue_.begin() + h);
    return out;
  }
  const JobRequest head = queue_[h];
  NodeCaps caps;
  reservation_.head = head.id;
  reserve(head, now, caps);
  const double shadow = reservation_.shadow_s;

  std::vector<char> started(queue_.size(), 0);
  for (std::size_t i = h + 1; i < queue_.size(); ++i) {
    if (pool_.free_gpus() == 0) break;
    const JobRequest& j = queue_[i];
    if (j.gpus > pool_.free_gpus()) continue;
    bool ends_by_shadow = now + j.estimate_s <= shadow;
    auto p = pool_.place(j.gpus, ends_by_shadow ? nullptr : &caps);
    if (!p) continue;
    if (!ends_by_shadow)
      for (const auto& s : *p)
        if (auto c = caps.find(s.node); c != caps.end()) c->second -= s.held;
    start(j, std::move(*p), now, out);
    started[i] = 1;
  }
  std::size_t w = 0;
  for (std::size_t i = h; i < queue_.size(); ++i)
    if (!started[i]) queue_[w++] = queue_[i];
  queue_.resize(w);
  return out;
}

}  // namespace capsim
