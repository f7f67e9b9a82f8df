#pragma once
// An independent reference for the engine: a plain discrete-event loop (priority queue, no SimGrid) that
// drives the same scheduling policy with the same same-instant rules (completions, then arrivals, then one
// decision). Only tests use it; the product has one engine.
#include <map>
#include <queue>
#include <vector>

#include "models/scheduling/scheduler.hpp"
#include "models/workload/workload.hpp"

namespace capsim::reference {

struct RefJob {
  Job job;
  double start_s = -1, end_s = -1;
  long long held = 0;
  bool rejected = false;
};

struct RefResult {
  std::vector<RefJob> jobs;
  std::vector<Reservation> reservations;  // the reservation of each decision that made one
  std::vector<double> decision_times;
};

template <class Sched = Scheduler>
RefResult run_reference(JobSource& src, int nodes, int gpn, PolicyKind policy, double horizon_s) {
  Sched sched(nodes, gpn, policy);
  RefResult out;
  using Ev = std::pair<double, JobId>;  // completion time, job
  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> ends;
  std::optional<Job> next = src.next();
  while (true) {
    double t = horizon_s;
    if (!ends.empty()) t = std::min(t, ends.top().first);
    if (next) t = std::min(t, next->submit_s);
    while (!ends.empty() && ends.top().first <= t) {
      JobId id = ends.top().second;
      ends.pop();
      sched.complete(id, t);
      out.jobs[id].end_s = t;
    }
    while (next && next->submit_s <= t) {
      RefJob r;
      r.job = *next;
      r.rejected = !sched.submit({r.job.id, r.job.gpus, r.job.submit_s, r.job.estimate_s});
      out.jobs.push_back(r);
      next = src.next();
    }
    if (t >= horizon_s) break;
    for (const auto& d : sched.decide(t)) {
      RefJob& r = out.jobs[d.id];
      r.start_s = t;
      for (const auto& s : d.placement) r.held += s.held;
      ends.push({t + r.job.run_s, d.id});
    }
    out.decision_times.push_back(t);
    if (sched.last_reservation().head >= 0) out.reservations.push_back(sched.last_reservation());
  }
  return out;
}

}  // namespace capsim::reference
