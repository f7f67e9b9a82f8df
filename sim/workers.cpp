#include "sim/workers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <simgrid/Exception.hpp>

namespace sg4 = simgrid::s4u;

namespace capsim {
namespace {
double flow_size(const RingFlow& f) { return std::max(1.0, std::round(f.bytes)); }
// SimGrid takes a comm's size as 64-bit bytes; a year-long flow of thousands of GPUs can exceed that, so a
// flow is sent as consecutive comms of at most this size (with no simulated time between them, the sharing
// is the same as one comm's).
constexpr double kMaxCommBytes = 4611686018427387904.0;  // 2^62
}  // namespace

void WorkerPool::run(Site& site, JobId job, Site::Launch launch) {
  Worker* w;
  if (idle_.empty()) {
    workers_.push_back(std::make_unique<Worker>());
    w = workers_.back().get();
    sg4::Actor::create("worker", host_, [this, w] { loop(w); })->daemonize();
    ++stats_.worker_actors;
  } else {
    w = idle_.back();
    idle_.pop_back();
  }
  w->site = &site;
  w->launch = std::move(launch);
  w->job = job;
  busy_[job] = w;
  w->cv->notify_one();
}

std::vector<std::pair<JobId, double>> WorkerPool::progress() const {
  // Every exec of a job does the same share of its work per second (the job's pace), so the first tells.
  std::vector<std::pair<JobId, double>> out;
  for (const auto& w : workers_) {
    if (w->job < 0 || w->execs.empty() || w->interrupted) continue;
    out.emplace_back(w->job, w->done_ratio >= 0 ? w->done_ratio : 1 - w->execs.front()->get_remaining_ratio());
  }
  return out;
}

void WorkerPool::account_flows(Worker* w, double until_s) {
  for (std::size_t i = 0; i < w->pending.size(); ++i)
    if (w->kind[i] >= 0) {
      const auto f = static_cast<std::size_t>(w->kind[i]);
      w->site->flow_moved(w->launch.flows[f], flow_size(w->launch.flows[f]) - w->unsent[f] - w->pending[i]->get_remaining(), w->flows_start_s, until_s);
    }
}

double WorkerPool::interrupt(JobId job) {
  auto it = busy_.find(job);
  Worker* w = it->second;
  busy_.erase(it);
  w->interrupted = true;
  // Its worker has not run yet when the job starts again at once at the instant it started.
  if (w->execs.empty()) return 0;
  const double done = 1 - w->execs.front()->get_remaining_ratio();
  account_flows(w, sg4::Engine::get_clock());
  // One cancellation wakes the worker, which cancels the rest itself: cancelling another actor's
  // activity lets it run at once, and it must not drop activities still going (SimGrid 3.32 aborts).
  for (const auto& a : w->pending.empty() ? std::vector<sg4::ActivityPtr>(w->execs.begin(), w->execs.end()) : w->pending)
    if (a->get_state() != sg4::Activity::State::FINISHED && a->get_state() != sg4::Activity::State::CANCELED) {
      a->cancel();
      break;
    }
  return done;
}

void WorkerPool::go_idle(Worker* w) {
  if (!w->interrupted) busy_.erase(w->job);
  // What an interrupted job still runs ends here; an activity on a pod switched off meanwhile has failed
  // (test() reports it).
  auto stop = [](const sg4::ActivityPtr& a) {
    if (a->get_state() == sg4::Activity::State::FINISHED || a->get_state() == sg4::Activity::State::CANCELED) return;
    try {
      if (!a->test()) a->cancel();
    } catch (const simgrid::Exception&) {
    }
  };
  for (const auto& a : w->pending) stop(a);
  for (const auto& e : w->execs) stop(e);
  w->launch.pod_threads.clear();
  w->launch.flows.clear();
  w->launch.local_s = w->launch.latency_s = 0;
  w->execs.clear();
  w->pending.clear();
  w->kind.clear();
  w->job = -1;
  w->interrupted = false;
  idle_.push_back(w);
}

void WorkerPool::cancel_flows() {
  for (const auto& w : workers_)
    for (const auto& a : w->pending) a->cancel();
}

void WorkerPool::start_execs(Worker* w) {
  Site& site = *w->site;
  // The worker starts the job's activities itself (at the same instant): SimGrid 3.32 keeps each
  // actor's activities in a list searched linearly, so thousands started by the scheduler would make
  // every completion cost a long walk.
  for (auto [pod, threads] : w->launch.pod_threads)
    w->execs.push_back(sg4::Exec::init()
                           ->set_flops_amount(w->launch.work * site.pod_speed(pod))
                           ->set_host(site.host(pod))
                           ->set_thread_count(threads)
                           ->start());
}

WorkerPool::Outcome WorkerPool::run_with_flows(Worker* w) {
  Site& site = *w->site;
  const Site::Launch& l = w->launch;
  // Members, not locals: when the run ends, killing a worker unwinds its stack, and destroying an
  // unfinished activity then would abort.
  std::vector<sg4::ActivityPtr>& pending = w->pending;
  std::vector<int>& kind = w->kind;
  constexpr int kExec = -2, kTimer = -1;
  pending.assign(w->execs.begin(), w->execs.end());
  kind.assign(pending.size(), kExec);
  auto timer = [&](double s) {
    pending.push_back(sg4::Exec::init()->set_flops_amount(s)->set_host(timer_)->start());
    kind.push_back(kTimer);
  };
  // Flows over the fabric, then the latency terms; inside one host group, both on the timer.
  std::vector<double>& unsent = w->unsent;
  auto send = [&](std::size_t i) {
    const RingFlow& f = l.flows[i];
    const double bytes = std::min(unsent[i], kMaxCommBytes);
    unsent[i] -= bytes;
    pending.push_back(sg4::Comm::sendto_async(site.nic_host(f.src, f.nic_nodes), site.nic_host(f.dst, 1), static_cast<std::uint64_t>(bytes)));
    kind.push_back(static_cast<int>(i));
  };
  auto start_flows = [&] {
    if (l.flows.empty()) timer(l.local_s + l.latency_s);
    w->flows_start_s = sg4::Engine::get_clock();
    unsent.clear();
    for (const RingFlow& f : l.flows) unsent.push_back(flow_size(f));
    for (std::size_t i = 0; i < l.flows.size(); ++i) send(i);
  };
  if (l.overlap) start_flows();
  std::size_t execs_left = w->execs.size(), flows_left = l.flows.size();
  // Each activity is waited on as it ends, so the job is reported right after its last one.
  while (!pending.empty()) {
    // SimGrid 3.32 aborts when it kills an actor blocked on a host-to-host comm (as the run ends), so the
    // wait ends at the horizon; the worker then takes the job's progress and ends.
    ssize_t got;
    try {
      got = sg4::Activity::wait_any_for(pending, horizon_s_ - sg4::Engine::get_clock());
    } catch (const simgrid::Exception&) {
      // A node of the job failed (interrupt), or the run is stopping (cancel_flows); a cancelled
      // host-to-host comm reports a network failure.
      return w->interrupted ? Outcome::done : Outcome::stopped;
    }
    if (got < 0 || static_cast<std::size_t>(got) >= pending.size()) {
      w->done_ratio = 1 - w->execs.front()->get_remaining_ratio();
      account_flows(w, horizon_s_);
      return Outcome::horizon;
    }
    const auto i = static_cast<std::size_t>(got);
    const int k = kind[i];
    const bool exec = k == kExec;
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
    kind.erase(kind.begin() + static_cast<std::ptrdiff_t>(i));
    if (k >= 0 && unsent[static_cast<std::size_t>(k)] > 0) {
      send(static_cast<std::size_t>(k));  // the flow's next part
      continue;
    }
    if (k >= 0) site.flow_moved(l.flows[static_cast<std::size_t>(k)], flow_size(l.flows[static_cast<std::size_t>(k)]), w->flows_start_s, sg4::Engine::get_clock());
    if (exec && --execs_left == 0) {
      if (!l.overlap) start_flows();
      if (!pending.empty() && !w->interrupted) {
        done_.compute_done.emplace_back(&site, w->job);
        done_.cv->notify_one();
      }
    } else if (!exec && flows_left > 0 && --flows_left == 0 && l.latency_s > 0) {
      timer(l.latency_s);
    }
  }
  return Outcome::done;
}

void WorkerPool::loop(Worker* w) {
  std::unique_lock<sg4::Mutex> lock(*w->mutex);
  while (true) {
    while (w->job < 0) w->cv->wait(lock);
    if (w->interrupted) {  // a node failed at the instant the job started, before this worker ran
      go_idle(w);
      continue;
    }
    Site& site = *w->site;
    const auto& pod_threads = w->launch.pod_threads;
    start_execs(w);
    if (w->launch.communicates()) {
      if (run_with_flows(w) != Outcome::done) return;
      if (!w->interrupted) {
        done_.jobs.emplace_back(&site, w->job);
        done_.cv->notify_one();
      }
      go_idle(w);
      continue;
    }
    // Execs on pods of one speed end in the same step, and the job's end is reported right after the first
    // wait returns, before any further simcall, so the scheduler sees every completion of an instant
    // together. A job over several generations waits on each (their ends may differ by rounding).
    std::size_t last = 0;
    for (std::size_t i = 1; i < pod_threads.size(); ++i)
      if (site.pod_speed(pod_threads[i].first) != site.pod_speed(pod_threads[0].first)) last = pod_threads.size() - 1;
    try {
      for (std::size_t i = 0; i <= last; ++i) w->execs[i]->wait();
    } catch (const simgrid::Exception&) {
      // A node of the job failed: the scheduler has handled it (interrupt), and may have switched off a
      // retired pod the job ran on.
      if (!w->interrupted) throw;
    }
    if (w->interrupted) {
      go_idle(w);
      continue;
    }
    done_.jobs.emplace_back(&site, w->job);
    done_.cv->notify_one();
    // The job is over: an exec still unfinished holds only rounding (its pod may be switched off at this
    // instant once the scheduler has freed it), so it is cancelled rather than waited on.
    for (std::size_t i = last + 1; i < w->execs.size(); ++i)
      if (!w->execs[i]->test()) w->execs[i]->cancel();
    go_idle(w);
  }
}

}  // namespace capsim
