#pragma once
// A brute-force reference of the scheduling rules in docs/scheduling.md (EASY's reserved nodes as Mu'alem and
// Feitelson define them: those the head takes at the shadow time, busy ones first), written from the definitions with
// plain vectors and linear scans, recomputing everything at every decision. It shares nothing with
// models/scheduler.cpp or models/node_pool.cpp but the request and decision types.
#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <vector>

#include "models/scheduling/scheduler.hpp"

namespace capsim::reference {

class BruteScheduler {
 public:
  BruteScheduler(int nodes, int gpn, PolicyKind p) : gpn_(gpn), policy_(p), free_(nodes, gpn) {}

  bool submit(const JobRequest& j) {
    int need = (j.gpus + gpn_ - 1) / gpn_;
    if (j.gpus < 1 || need > static_cast<int>(free_.size())) return false;
    queue_.push_back(j);
    return true;
  }
  void complete(JobId id, double) {
    auto it = running_.find(id);
    for (const auto& s : it->second.placement) free_[s.node] += s.held;
    running_.erase(it);
  }
  const Reservation& last_reservation() const { return res_; }

  std::vector<StartDecision> decide(double now) {
    std::vector<StartDecision> out;
    res_ = Reservation{};
    while (!queue_.empty()) {
      auto p = place(free_, queue_.front().gpus, nullptr);
      if (!p) break;
      start(queue_.front(), *p, now, out);
      queue_.erase(queue_.begin());
    }
    if (queue_.empty() || policy_ == PolicyKind::fcfs) return out;
    const JobRequest head = queue_.front();
    // Shadow: the first distinct planned end (exceeded ones count as now) at which the head fits in the
    // state where every job planned to end by then has released its GPUs.
    std::vector<double> ends;
    for (const auto& [id, r] : running_) ends.push_back(std::max(r.planned_end, now));
    std::sort(ends.begin(), ends.end());
    double shadow = std::numeric_limits<double>::infinity();
    std::map<int, int> caps;
    for (double t : ends) {
      std::vector<int> projected = free_;
      for (const auto& [id, r] : running_)
        if (std::max(r.planned_end, now) <= t)
          for (const auto& s : r.placement) projected[s.node] += s.held;
      if (auto p = place(projected, head.gpus, nullptr)) {
        shadow = t;
        if (head.gpus <= gpn_) {
          for (const auto& s : *p) caps[s.node] = projected[s.node] - s.held;
        } else {
          for (int n : large_head_nodes(projected, head.gpus, t, now)) caps[n] = 0;
        }
        break;
      }
    }
    res_.head = head.id;
    res_.shadow_s = shadow;
    std::vector<JobRequest> rest;
    for (std::size_t i = 1; i < queue_.size(); ++i) {
      const JobRequest& j = queue_[i];
      bool short_job = now + j.estimate_s <= shadow;
      auto p = place(free_, j.gpus, short_job ? nullptr : &caps);
      if (!p) {
        rest.push_back(j);
        continue;
      }
      if (!short_job)
        for (const auto& s : *p)
          if (caps.count(s.node)) caps[s.node] -= s.held;
      start(j, *p, now, out);
    }
    queue_.resize(1);
    queue_.insert(queue_.end(), rest.begin(), rest.end());
    return out;
  }

 private:
  struct Run {
    double planned_end;
    Placement placement;
  };

  std::optional<Placement> place(const std::vector<int>& freev, int g, const std::map<int, int>* caps) const {
    auto avail = [&](int n) {
      int f = freev[n];
      if (caps && caps->count(n)) f = std::min(f, caps->at(n));
      return f;
    };
    int n_nodes = static_cast<int>(freev.size());
    if (g <= gpn_) {
      int best = -1;
      for (int n = 0; n < n_nodes; ++n)
        if (avail(n) >= g && (best < 0 || avail(n) < avail(best))) best = n;
      if (best < 0) return std::nullopt;
      return Placement{{best, g, g}};
    }
    int need = (g + gpn_ - 1) / gpn_;
    Placement p;
    int left = g;
    for (int n = 0; n < n_nodes && static_cast<int>(p.size()) < need; ++n) {
      if (avail(n) == gpn_) {
        p.push_back({n, gpn_, std::min(left, gpn_)});
        left -= std::min(left, gpn_);
      }
    }
    if (static_cast<int>(p.size()) < need) return std::nullopt;
    return p;
  }

  // The nodes a head of whole nodes takes at the shadow time t, as EASY defines them: nodes busy now that
  // are whole by t first, in the order they become whole (their last job's planned end, then its id, then
  // the node's place in that job's placement; an exceeded estimate ends now but keeps its place), then
  // nodes free now, lowest first, then nodes partly free now (in the same order as busy ones).
  std::vector<int> large_head_nodes(const std::vector<int>& projected, int g, double t, double now) const {
    const int need = (g + gpn_ - 1) / gpn_;
    std::vector<std::tuple<double, JobId, std::size_t, int>> released;  // when it becomes whole, and the node
    for (int n = 0; n < static_cast<int>(free_.size()); ++n) {
      if (free_[n] == gpn_ || projected[n] != gpn_) continue;
      std::tuple<double, JobId, std::size_t, int> last{-1, -1, 0, n};
      for (const auto& [id, r] : running_)
        for (std::size_t k = 0; k < r.placement.size(); ++k)
          if (r.placement[k].node == n && std::max(r.planned_end, now) <= t)
            last = std::max(last, std::tuple<double, JobId, std::size_t, int>{r.planned_end, id, k, n});
      released.push_back(last);
    }
    std::sort(released.begin(), released.end());
    std::vector<int> nodes;
    for (const auto& r : released)
      if (static_cast<int>(nodes.size()) < need && free_[std::get<3>(r)] == 0) nodes.push_back(std::get<3>(r));
    for (int n = 0; n < static_cast<int>(free_.size()) && static_cast<int>(nodes.size()) < need; ++n)
      if (free_[n] == gpn_) nodes.push_back(n);
    for (const auto& r : released)
      if (static_cast<int>(nodes.size()) < need && free_[std::get<3>(r)] > 0) nodes.push_back(std::get<3>(r));
    return nodes;
  }

  void start(const JobRequest& j, const Placement& p, double now, std::vector<StartDecision>& out) {
    for (const auto& s : p) free_[s.node] -= s.held;
    running_[j.id] = {now + j.estimate_s, p};
    out.push_back({j.id, p});
  }

  int gpn_;
  PolicyKind policy_;
  std::vector<int> free_;
  std::vector<JobRequest> queue_;
  std::map<JobId, Run> running_;
  Reservation res_;
};

}  // namespace capsim::reference
