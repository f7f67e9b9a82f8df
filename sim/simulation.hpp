#pragma once
// The engine's run, shared by its translation units (sim/engine.cpp: the scheduler actor, arrivals,
// completions and decisions; sim/engine_failures.cpp: failures, repairs and maintenance). Not a public API:
// sim/engine.hpp is.
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/engine.hpp"
#include "sim/platform.hpp"
#include "sim/site.hpp"
#include "sim/workers.hpp"

namespace capsim {

namespace sg4 = simgrid::s4u;
using Clock = std::chrono::steady_clock;

// The run: one SimGrid engine, every site's hosts, one job stream dispatched to the sites, a pool of worker
// actors and one scheduler actor that handles each instant as completions, arrivals, then decisions.
class Simulation {
 public:
  Simulation(const Scenario& s, const RunOptions& o) : sc_(s), opt_(o) {
    if (s.federated())
      for (std::size_t i = 0; i < s.members.size(); ++i) sites_.push_back(std::make_unique<Site>(s.members[i], static_cast<int>(i)));
    else
      sites_.push_back(std::make_unique<Site>(s, 0));
    for (const auto& [tenant, member] : s.pins) pins_[tenant] = member;
    if (s.failures.enabled) {
      job_failures_ = std::make_shared<std::vector<JobFailures>>();
      for (auto& site : sites_) site->job_failures = job_failures_.get();
    }
  }

  std::vector<RunResult> run();

 private:
  void scheduler_actor();
  void open_job_source();
  double next_wake(double clock, bool warmup_sampled, bool any_hourly) const;
  void take_completions(double now);
  void take_arrivals(double now);
  void take_staged(double now);
  void take_failures(double now);
  void detected(Site& site, const FailureEvent& e, double now);
  void back_to_queue(Site& site, JobRecord& r, double now);
  void injector_actor();
  // The jobs still on the nodes of a reservation whose start has come are interrupted and requeued.
  void reservations_due(Site& site, double now);
  bool decide(double now);
  void finish(double now);
  int dispatch(const Job& j, double now);
  const Scenario::ClassData* class_data(const Job& j) const {
    return sc_.class_data.empty() || sc_.class_data[j.class_index].member < 0 ? nullptr : &sc_.class_data[j.class_index];
  }
  void progress(double now, bool final);
  std::vector<RunResult> results();

  const Scenario& sc_;
  const RunOptions& opt_;
  std::vector<std::unique_ptr<Site>> sites_;
  std::map<std::string, int> pins_;
  std::vector<int> class_pin_;  // member index by class, -1 if not pinned
  std::unique_ptr<JobSource> source_;
  std::optional<Job> next_;      // the next job to arrive
  std::vector<JobRecord> jobs_;  // indexed by JobId
  std::shared_ptr<std::vector<JobFailures>> job_failures_;  // the same, with a failures section
  std::vector<std::string> class_names_;
  long long trace_jobs_skipped_ = 0;
  EngineStats stats_;
  sg4::MutexPtr sched_mutex_;
  Completions completed_;
  std::unique_ptr<WorkerPool> workers_;
  sg4::MutexPtr injector_mutex_;
  sg4::ConditionVariablePtr injector_cv_;  // the scheduler changed the failure heaps
  Platform platform_;
  long long jobs_done_ = 0;
  std::exception_ptr error_;
  bool interrupted_ = false;
  Clock::time_point wall_start_ = Clock::now();
  Clock::time_point last_progress_ = Clock::now();
};

}  // namespace capsim
