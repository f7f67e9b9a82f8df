#include "sim/workers.hpp"

namespace sg4 = simgrid::s4u;

namespace capsim {

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
  w->cv->notify_one();
}

void WorkerPool::record_progress(std::vector<JobRecord>& jobs) const {
  // Every exec of a job does the same share of its work per second (the job's pace), so the first tells.
  for (const auto& w : workers_) {
    if (w->job < 0 || w->execs.empty()) continue;
    JobRecord& r = jobs[w->job];
    r.done_gpu_s = r.job.gpus * r.job.run_s * (1 - w->execs.front()->get_remaining_ratio());
  }
}

void WorkerPool::loop(Worker* w) {
  std::unique_lock<sg4::Mutex> lock(*w->mutex);
  while (true) {
    while (w->job < 0) w->cv->wait(lock);
    Site& site = *w->site;
    const auto& pod_threads = w->launch.pod_threads;
    // The worker starts the job's activities itself (at the same instant): SimGrid 3.32 keeps each
    // actor's activities in a list searched linearly, so thousands started by the scheduler would make
    // every completion cost a long walk.
    for (auto [pod, threads] : pod_threads)
      w->execs.push_back(sg4::Exec::init()
                             ->set_flops_amount(w->launch.work * site.pod_speed(pod))
                             ->set_host(site.host(pod))
                             ->set_thread_count(threads)
                             ->start());
    // Execs on pods of one speed end in the same step, and the job's end is reported right after the first
    // wait returns, before any further simcall, so the scheduler sees every completion of an instant
    // together. A job over several generations waits on each (their ends may differ by rounding).
    std::size_t last = 0;
    for (std::size_t i = 1; i < pod_threads.size(); ++i)
      if (site.pod_speed(pod_threads[i].first) != site.pod_speed(pod_threads[0].first)) last = pod_threads.size() - 1;
    for (std::size_t i = 0; i <= last; ++i) w->execs[i]->wait();
    done_.jobs.emplace_back(&site, w->job);
    done_.cv->notify_one();
    // The job is over: an exec still unfinished holds only rounding (its pod may be switched off at this
    // instant once the scheduler has freed it), so it is cancelled rather than waited on.
    for (std::size_t i = last + 1; i < w->execs.size(); ++i)
      if (!w->execs[i]->test()) w->execs[i]->cancel();
    w->launch.pod_threads.clear();
    w->execs.clear();
    w->job = -1;
    idle_.push_back(w);
  }
}

}  // namespace capsim
