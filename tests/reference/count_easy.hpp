#pragma once
// EASY as Mu'alem and Feitelson define it (IEEE TPDS 12(6), 2001), on node counts alone, for jobs that
// take whole nodes: the queue head that does not fit gets a reservation at the shadow time, the first
// planned end (an exceeded estimate ends now) by which enough nodes are free; extra = nodes free at the
// shadow time - the head's nodes. A later job starts if it fits now and either ends by the shadow time or
// takes no more than the extra nodes (which it then uses up). Nothing about which node is which.
#include <algorithm>
#include <limits>
#include <map>
#include <vector>

#include "models/scheduling/scheduler.hpp"

namespace capsim::reference {

class CountEasy {
 public:
  CountEasy(int nodes, int gpn, PolicyKind) : nodes_(nodes), gpn_(gpn), free_(nodes) {}

  bool submit(const JobRequest& j) {
    if (j.gpus < 1 || need(j) > nodes_) return false;
    queue_.push_back(j);
    return true;
  }
  void complete(JobId id, double) {
    free_ += running_.at(id).nodes;
    running_.erase(id);
  }
  const Reservation& last_reservation() const { return res_; }

  std::vector<StartDecision> decide(double now) {
    std::vector<StartDecision> out;
    res_ = Reservation{};
    while (!queue_.empty() && need(queue_.front()) <= free_) {
      start(queue_.front(), now, out);
      queue_.erase(queue_.begin());
    }
    if (queue_.empty()) return out;
    const JobRequest head = queue_.front();
    std::vector<std::pair<double, int>> ends;  // planned end, nodes released
    for (const auto& [id, r] : running_) ends.push_back({std::max(r.planned_end, now), r.nodes});
    std::sort(ends.begin(), ends.end());
    double shadow = std::numeric_limits<double>::infinity();
    int at_shadow = free_;
    for (std::size_t i = 0; i < ends.size(); ++i) {
      at_shadow += ends[i].second;
      if ((i + 1 == ends.size() || ends[i + 1].first != ends[i].first) && at_shadow >= need(head)) {
        shadow = ends[i].first;
        break;
      }
    }
    int extra = shadow == std::numeric_limits<double>::infinity() ? 0 : at_shadow - need(head);
    res_.head = head.id;
    res_.shadow_s = shadow;
    std::vector<JobRequest> rest;
    for (std::size_t i = 1; i < queue_.size(); ++i) {
      const JobRequest& j = queue_[i];
      const bool by_shadow = now + j.estimate_s <= shadow;
      if (need(j) <= free_ && (by_shadow || need(j) <= extra)) {
        if (!by_shadow) extra -= need(j);
        start(j, now, out);
      } else {
        rest.push_back(j);
      }
    }
    queue_.resize(1);
    queue_.insert(queue_.end(), rest.begin(), rest.end());
    return out;
  }

 private:
  struct Run {
    double planned_end;
    int nodes;
  };
  int need(const JobRequest& j) const { return (j.gpus + gpn_ - 1) / gpn_; }
  void start(const JobRequest& j, double now, std::vector<StartDecision>& out) {
    free_ -= need(j);
    running_[j.id] = {now + j.estimate_s, need(j)};
    Placement p(static_cast<std::size_t>(need(j)), NodeShare{-1, gpn_, gpn_});  // which nodes: not modelled
    out.push_back({j.id, p});
  }

  int nodes_, gpn_, free_;
  std::vector<JobRequest> queue_;
  std::map<JobId, Run> running_;
  Reservation res_;
};

}  // namespace capsim::reference
