// The engine's failures (docs/failures.md): what the injector actor posts, handled by the scheduler actor
// after the completions of each instant.
#include "sim/simulation.hpp"

namespace capsim {

// Failures and repairs, after completions (a job that ends as its node fails has completed).
void Simulation::take_failures(double now) {
  for (auto [site, e] : completed_.failures) {
    switch (e.kind) {
      case FailureEvent::Kind::fail: {
        for (JobId id : site->unit_failed(e, now)) site->interrupt(jobs_[id], workers_->interrupt(id), now);
        if (sc_.failures.classes[static_cast<std::size_t>(e.cls)].repair.detect_s <= 0) detected(*site, e, now);
        break;
      }
      case FailureEvent::Kind::detected: detected(*site, e, now); break;
      case FailureEvent::Kind::repaired:
        if (e.ref >= 0) site->technician(e);
        site->unit_repaired(e, now);
        break;
      case FailureEvent::Kind::spare_repaired:
        if (e.ref >= 0) site->technician(e);
        site->spare_repaired();
        break;
      case FailureEvent::Kind::escalated: site->technician(e); break;
      case FailureEvent::Kind::drain: site->maintenance_drain(e, now); break;
      case FailureEvent::Kind::maintenance:
        for (JobId id : site->maintenance_start(e, now)) {
          JobRecord& r = jobs_[id];
          site->result.maintenance_lost_gpu_s += site->interrupt(r, workers_->interrupt(id), now);
          site->resume(r, false);
          back_to_queue(*site, r, now);
        }
        break;
      case FailureEvent::Kind::maintained: site->maintenance_end(e); break;
    }
    site->record(now);
  }
  completed_.failures.clear();
  injector_cv_->notify_one();
}

void Simulation::detected(Site& site, const FailureEvent& e, double now) {
  bool stand_in = false;
  for (JobId id : site.unit_detected(e, now, stand_in)) {
    JobRecord& r = jobs_[id];
    const bool in_place = stand_in && site.in_place_possible(id);
    site.resume(r, in_place);
    if (in_place) {
      // A spare took the failed node's place: the job starts again at once on the same GPUs.
      const StartDecision d{id, site.sched.restart(id, now, site.estimate_of(r))};
      workers_->run(site, id, site.place(d, r, stats_, false));
    } else {
      back_to_queue(site, r, now);
    }
  }
}

void Simulation::reservations_due(Site& site, double now) {
  for (JobId id : site.sched.overrunning(now)) {
    JobRecord& r = jobs_[id];
    // A job hanging on a failed node until its detection is requeued (or restarts) then.
    if (!workers_->running(id)) continue;
    const double done = workers_->interrupt(id);
    ++site.result.reservation_interruptions;
    if (job_failures_) {
      site.result.reservation_lost_gpu_s += site.interrupt(r, done, now);
    } else {
      site.result.reservation_lost_gpu_s += r.job.gpus * r.job.run_s * done;  // it starts over
      r.done_gpu_s = 0;
    }
    site.resume(r, false);
    back_to_queue(site, r, now);
    site.events = true;
  }
}

// An interrupted job whose GPUs are released waits again.
void Simulation::back_to_queue(Site& site, JobRecord& r, double now) {
  site.sched.interrupt(r.job.id, now);
  site.requeue(r);
}

// One injector for every site: it sleeps until the earliest pending failure or repair and posts all that
// fall due then. The scheduler wakes it whenever it changed the heaps.
void Simulation::injector_actor() {
  std::unique_lock<sg4::Mutex> lock(*injector_mutex_);
  while (true) {
    double next = sc_.horizon_s;
    for (const auto& s : sites_) next = std::min(next, s->injector->next_time());
    if (sg4::Engine::get_clock() < next) {
      injector_cv_->wait_until(lock, next);
      continue;
    }
    if (next >= sc_.horizon_s) return;
    for (auto& s : sites_)
      while (s->injector->next_time() <= next) completed_.failures.emplace_back(s.get(), s->injector->pop());
    completed_.cv->notify_one();
    // A simcall ends an actor's turn: the scheduler may take them (and notify) before this actor waits,
    // so wait only while they are not taken (a wake-up at time 0 was lost otherwise).
    while (!completed_.failures.empty()) injector_cv_->wait(lock);
  }
}

}  // namespace capsim
