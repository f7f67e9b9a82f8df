#pragma once
// A pool of daemon worker actors on the controller host. Each runs one job at a time: it starts the job's
// execs, waits for them, and reports the job done to the scheduler. Pooled because creating an actor per
// job cost most of the run time (../shared/SIMGRID.md measured it).
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include <simgrid/s4u.hpp>

#include "models/scheduling/scheduler.hpp"
#include "sim/site.hpp"

namespace capsim {

// Jobs that ended at this instant, filled by workers and drained by the scheduler actor, which waits on
// `cv` (created once the engine exists).
struct Completions {
  std::vector<std::pair<Site*, JobId>> jobs;
  std::vector<std::pair<Site*, JobId>> compute_done;  // execs over, flows still going
  std::vector<std::pair<Site*, JobId>> staged;        // input data arrived: the job enters the queue
  std::vector<std::pair<Site*, FailureEvent>> failures;  // node failures and repairs (the injector's)
  simgrid::s4u::ConditionVariablePtr cv;
};

class WorkerPool {
 public:
  // `timer` (with a network section) runs jobs' latency terms as one-thread execs: it has a core for each.
  WorkerPool(simgrid::s4u::Host* host, simgrid::s4u::Host* timer, double horizon_s, Completions& done, EngineStats& stats)
      : host_(host), timer_(timer), horizon_s_(horizon_s), done_(done), stats_(stats) {}
  // Hands a started job to an idle worker (a new one if none is idle).
  void run(Site& site, JobId job, Site::Launch launch);
  // Each running job and the share of its attempt done so far (its execs' progress).
  std::vector<std::pair<JobId, double>> progress() const;
  // Whether the job's activities are running (not ended, not interrupted).
  bool running(JobId job) const { return busy_.count(job) > 0; }
  // A node of the job failed (or a reservation takes its nodes): its worker's activities are cancelled
  // (the worker then goes idle, reporting nothing); returns the share of its attempt done.
  double interrupt(JobId job);
  // A run stopped before its horizon (a signal): cancels what workers with flows wait on, so that none is
  // killed blocked in wait_any_for (SimGrid 3.32 aborts then); each such worker then ends.
  void cancel_flows();

 private:
  // The mutexes exist only because SimGrid's condition variables require one: actors are cooperative.
  struct Worker {
    simgrid::s4u::MutexPtr mutex = simgrid::s4u::Mutex::create();
    simgrid::s4u::ConditionVariablePtr cv = simgrid::s4u::ConditionVariable::create();
    Site* site = nullptr;
    JobId job = -1;
    Site::Launch launch;
    std::vector<simgrid::s4u::ExecPtr> execs;
    std::vector<simgrid::s4u::ActivityPtr> pending;  // a job with flows: its activities not yet ended
    std::vector<int> kind;                           // of each pending one: kExec, kTimer or the flow's index
    std::vector<double> unsent;                      // by flow: bytes not yet handed to a comm
    double flows_start_s = 0;
    double done_ratio = -1;  // of a job with flows still running at the horizon, taken then
    bool interrupted = false;
  };
  enum class Outcome { done, horizon, stopped };
  void go_idle(Worker* w);
  void account_flows(Worker* w, double until_s);
  void loop(Worker* w);
  void start_execs(Worker* w);
  // A job with flows: waits on every activity as it ends.
  Outcome run_with_flows(Worker* w);

  simgrid::s4u::Host* host_;
  simgrid::s4u::Host* timer_;
  double horizon_s_;
  Completions& done_;
  EngineStats& stats_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> idle_;
  std::unordered_map<JobId, Worker*> busy_;
};

}  // namespace capsim
