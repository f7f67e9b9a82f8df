#include "sim/engine.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <set>
#include <stdexcept>
#include <unistd.h>

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "models/errors.hpp"
#include "models/scheduler.hpp"
#include "models/swf.hpp"

namespace sg4 = simgrid::s4u;

namespace capsim {

const char* to_string(JobStatus s) {
  switch (s) {
    case JobStatus::completed: return "completed";
    case JobStatus::running: return "running";
    case JobStatus::queued: return "queued";
    case JobStatus::rejected: return "rejected";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_stop = 0;
void on_stop_signal(int) { g_stop = 1; }

std::string human_duration(double s) {
  char buf[64];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else if (s < 2 * 86400) std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  else std::snprintf(buf, sizeof buf, "%.1f d", s / 86400);
  return buf;
}

// All the state of one run. Actors are cooperative (one runs at a time), so the shared fields below need
// no locking; the mutexes exist only because SimGrid's condition variables require one.
class Simulation {
 public:
  Simulation(const Scenario& s, const RunOptions& o)
      : sc_(s), opt_(o), sched_(s.cluster.nodes, s.cluster.gpus_per_node, s.policy), facility_(make_facility_model(s)),
        rec_(s.horizon_s, s.warmup_s, s.timeseries_interval_s, facility_) {
    speed_levels_ = {1.0};
    if (s.facility.power_cap_w && !s.facility.hold_under_cap)
      for (int k = 1; k <= 18; ++k) speed_levels_.push_back(1.0 - 0.05 * k);
  }

  RunResult run();

 private:
  struct Worker {
    sg4::MutexPtr mutex = sg4::Mutex::create();
    sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
    JobId job = -1;
    double work = 0;                             // reference GPU-seconds per GPU (the run time on tranche 0's GPUs)
    std::vector<std::pair<int, int>> pod_threads;  // (pod, busy GPUs there), fastest pods first
    std::vector<sg4::ExecPtr> execs;
  };
  struct Pod {
    sg4::Host* host = nullptr;
    int tranche = 0;
    int first_node = 0;
    int nodes = 0;
    int busy = 0;     // GPUs running jobs
    int held = 0;     // GPUs allocated
    bool on = true;
    bool off_for_cap = false;  // switched off to keep within the power cap
    int rank = 0;              // order in which idle pods are switched off under a cap
  };

  void build_platform();
  void scheduler_actor();
  void worker_actor(Worker* w);
  void launch(const StartDecision& d, double now);
  ClusterState state() const;
  double plugin_energy() const;
  double compute_power(std::size_t level) const;
  void apply_power_cap(double now);
  void limit_starts(double now);  // hold mode: how many GPUs may start within the cap
  void service_changes(double now);  // tranche arrivals and retirements due at `now`
  double next_service_change(double now) const;
  void set_pod_on(int pod, bool on);
  void refresh_idle(int pod);
  bool manage_pods(double now, bool allow_on);
  void add_to_pod(int pod, int busy, int held, double job_speed);
  double pod_speed(int pod) const { return sc_.cluster.tranches[pods_[pod].tranche].speed; }
  void progress(double now, bool final);

  const Scenario& sc_;
  const RunOptions& opt_;
  Scheduler sched_;
  FacilityModel facility_;
  Recorder rec_;
  std::unique_ptr<JobSource> source_;
  RunResult result_;

  sg4::Host* controller_ = nullptr;
  std::vector<Pod> pods_;
  std::vector<int> node_pod_;
  struct PodShare {
    int pod, busy, held;
    double speed;  // the job's: its slowest pod's
  };
  std::vector<std::vector<PodShare>> job_pods_;  // by job, while it runs
  std::vector<char> tranche_in_service_, tranche_retired_;
  std::set<std::pair<int, int>> idle_pods_;     // (rank, pod): on, in service, no job: may be switched off
  std::set<std::pair<int, int>> off_for_cap_;   // (rank, pod) switched off under the cap
  long long gpus_off_ = 0;
  // Aggregates kept up to date as pods and jobs change (at full speed; the level scales them).
  double idle_on_w_ = 0;       // idle power of the pods that are on
  double dyn_busy_w_ = 0;      // active power of busy GPUs
  double busy_rate_ = 0;       // reference GPU-seconds of work per second of busy GPUs
  double held_rate_ = 0;       // the same for allocated GPUs
  long long gpus_in_service_ = 0;
  sg4::MutexPtr sched_mutex_;
  sg4::ConditionVariablePtr sched_cv_;
  std::vector<JobId> completed_;  // filled by workers, drained by the scheduler
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> idle_;
  long long gpus_busy_ = 0;
  long long gpus_held_ = 0;
  double last_service_check_ = 0;
  // Speed levels (pstates) of every node: only full speed without a power cap.
  std::vector<double> speed_levels_;
  std::size_t level_ = 0;
  long long jobs_done_ = 0;
  std::exception_ptr error_;
  bool interrupted_ = false;
  Clock::time_point wall_start_ = Clock::now();
  Clock::time_point last_progress_ = Clock::now();
};

void Simulation::build_platform() {
  auto t0 = Clock::now();
  const ClusterSpec& c = sc_.cluster;
  auto* zone = sg4::create_star_zone("cluster");
  controller_ = zone->create_host("controller", 1.0);
  controller_->set_property("wattage_per_state", "0:0");
  controller_->set_property("wattage_off", "0");
  node_pod_.resize(c.nodes);
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    const Tranche& tr = c.tranches[t];
    int base = tr.nodes / tr.pods, extra = tr.nodes % tr.pods, node = tr.first_node;
    for (int p = 0; p < tr.pods; ++p) {
      int n = base + (p < extra ? 1 : 0);
      // One multi-core host per pod, one core per GPU; a core's speed is the tranche's speed relative to
      // the reference accelerator (1 for tranche 0), so a job's work is its run time in reference
      // GPU-seconds and completion times are exact. The energy plugin is linear in busy cores, which gives
      // each node's idle + (peak - idle) x busy/GPUs exactly when summed over the pod. With a power cap,
      // each speed level is a pstate whose active power follows speed^exponent.
      std::vector<double> speeds;
      std::string watts;
      for (double level : speed_levels_) {
        speeds.push_back(tr.speed * level);
        char buf[128];
        double dyn = (tr.peak_w - tr.idle_w) * std::pow(level, sc_.facility.throttle_exponent);
        std::snprintf(buf, sizeof buf, "%s%.17g:%.17g", watts.empty() ? "" : ",", n * tr.idle_w, n * (tr.idle_w + dyn));
        watts += buf;
      }
      auto* h = zone->create_host("pod-" + std::to_string(pods_.size()), speeds);
      h->set_core_count(n * c.gpus_per_node);
      h->set_property("wattage_per_state", watts);
      h->set_property("wattage_off", "0");
      pods_.push_back(Pod{h, static_cast<int>(t), node, n, 0, 0, true, false, 0});
      for (int i = 0; i < n; ++i) node_pod_[node++] = static_cast<int>(pods_.size()) - 1;
    }
  }
  zone->seal();
  for (const Pod& p : pods_) {
    idle_on_w_ += p.nodes * c.tranches[p.tranche].idle_w;
  }
  gpus_in_service_ = c.gpus();
  tranche_in_service_.assign(c.tranches.size(), 1);
  tranche_retired_.assign(c.tranches.size(), 0);
  // Under a cap the slowest generation's pods go off first (they do the least work per idle watt), the last
  // pods of a generation before its first ones; they come back on in the reverse order.
  std::vector<int> order(pods_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    double sa = c.tranches[pods_[a].tranche].speed, sb = c.tranches[pods_[b].tranche].speed;
    return sa != sb ? sa < sb : a > b;
  });
  for (std::size_t r = 0; r < order.size(); ++r) pods_[order[r]].rank = static_cast<int>(r);
  for (std::size_t p = 0; p < pods_.size(); ++p) refresh_idle(static_cast<int>(p));
  result_.stats.pod_hosts = static_cast<int>(pods_.size());
  result_.stats.platform_build_s = std::chrono::duration<double>(Clock::now() - t0).count();
}

void Simulation::set_pod_on(int pod, bool on) {
  Pod& p = pods_[pod];
  if (p.on == on) return;
  p.on = on;
  const double idle = p.nodes * sc_.cluster.tranches[p.tranche].idle_w;
  idle_on_w_ += on ? idle : -idle;
  if (on) p.host->turn_on();
  else p.host->turn_off();
  refresh_idle(pod);
}

void Simulation::refresh_idle(int pod) {
  const Pod& p = pods_[pod];
  if (p.on && p.held == 0 && tranche_in_service_[p.tranche]) idle_pods_.insert({p.rank, pod});
  else idle_pods_.erase({p.rank, pod});
}

bool Simulation::manage_pods(double now, bool allow_on) {
  if (!sc_.facility.power_cap_w || !sc_.facility.switch_off_idle) return false;
  const double cap = *sc_.facility.power_cap_w;
  const std::size_t hour = facility_.hour_of(now);
  auto fits = [&](double extra_w) { return facility_.facility_w(compute_power(0) + extra_w, hour) <= cap; };
  while (!fits(0) && !idle_pods_.empty()) {
    const int pod = idle_pods_.begin()->second;
    Pod& p = pods_[pod];
    p.off_for_cap = true;
    off_for_cap_.insert({p.rank, pod});
    gpus_off_ += static_cast<long long>(p.nodes) * sc_.cluster.gpus_per_node;
    sched_.set_available(p.first_node, p.nodes, false);
    set_pod_on(pod, false);
  }
  // Back on, fastest first, while the pod's idle power and one of its nodes at full load still fit at full
  // speed (the margin keeps a pod from going on only to be switched off or throttled at once).
  bool added = false;
  while (allow_on && sched_.queued() > 0 && !off_for_cap_.empty()) {
    const int pod = std::prev(off_for_cap_.end())->second;
    Pod& p = pods_[pod];
    const Tranche& tr = sc_.cluster.tranches[p.tranche];
    if (!fits(p.nodes * tr.idle_w + (tr.peak_w - tr.idle_w))) break;
    off_for_cap_.erase(std::prev(off_for_cap_.end()));
    p.off_for_cap = false;
    gpus_off_ -= static_cast<long long>(p.nodes) * sc_.cluster.gpus_per_node;
    sched_.set_available(p.first_node, p.nodes, true);
    set_pod_on(pod, true);
    added = true;
  }
  return added;
}

void Simulation::add_to_pod(int pod, int busy, int held, double job_speed) {
  Pod& p = pods_[pod];
  const Tranche& tr = sc_.cluster.tranches[p.tranche];
  p.busy += busy;
  p.held += held;
  if (p.held == held || p.held == 0) refresh_idle(pod);
  dyn_busy_w_ += busy * (tr.peak_w - tr.idle_w) / sc_.cluster.gpus_per_node;
  busy_rate_ += busy * job_speed;
  held_rate_ += held * job_speed;
  // A retired pod switches off once its last job ends.
  if (p.held == 0 && tranche_retired_[p.tranche]) set_pod_on(pod, false);
}

void Simulation::service_changes(double now) {
  const ClusterSpec& c = sc_.cluster;
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    const Tranche& tr = c.tranches[t];
    bool should_serve = tr.arrive_s <= now && now < tr.retire_s;
    if (should_serve == static_cast<bool>(tranche_in_service_[t])) continue;
    tranche_in_service_[t] = should_serve;
    sched_.set_available(tr.first_node, tr.nodes, should_serve);
    gpus_in_service_ += (should_serve ? 1 : -1) * static_cast<long long>(tr.nodes) * c.gpus_per_node;
    if (now >= tr.retire_s) tranche_retired_[t] = 1;
    for (std::size_t p = 0; p < pods_.size(); ++p) {
      Pod& pod = pods_[p];
      if (pod.tranche != static_cast<int>(t)) continue;
      if (pod.off_for_cap) {  // a tranche entering or leaving service starts afresh
        pod.off_for_cap = false;
        off_for_cap_.erase({pod.rank, static_cast<int>(p)});
        gpus_off_ -= static_cast<long long>(pod.nodes) * c.gpus_per_node;
      }
      if (should_serve) set_pod_on(static_cast<int>(p), true);
      else if (pod.held == 0) set_pod_on(static_cast<int>(p), false);
      refresh_idle(static_cast<int>(p));
    }
  }
}

double Simulation::next_service_change(double now) const {
  double next = std::numeric_limits<double>::infinity();
  for (const Tranche& tr : sc_.cluster.tranches) {
    if (tr.arrive_s > now) next = std::min(next, tr.arrive_s);
    if (tr.retire_s > now) next = std::min(next, tr.retire_s);
  }
  return next;
}

ClusterState Simulation::state() const {
  ClusterState s;
  s.gpus_allocated = gpus_held_;
  s.gpus_busy = gpus_busy_;
  s.jobs_running = static_cast<long long>(sched_.running());
  s.jobs_queued = static_cast<long long>(sched_.queued());
  s.speed = speed_levels_[level_];
  s.held_by_cap = sched_.limited();
  s.compute_power_w = compute_power(level_);
  s.gpus_in_service = gpus_in_service_;
  s.gpus_off = gpus_off_;
  s.busy_work_rate = busy_rate_ * s.speed;
  s.held_work_rate = held_rate_ * s.speed;
  return s;
}

double Simulation::compute_power(std::size_t level) const {
  return idle_on_w_ + dyn_busy_w_ * std::pow(speed_levels_[level], sc_.facility.throttle_exponent);
}

void Simulation::limit_starts(double now) {
  if (!sc_.facility.power_cap_w || !sc_.facility.hold_under_cap) return;
  // Active power the cap leaves at this hour, shared out at the most power-hungry GPU's rate.
  const std::size_t hour = facility_.hour_of(now);
  double it_allowed = (*sc_.facility.power_cap_w - facility_.fixed_w) / (facility_.it_factor * facility_.multiplier[hour]);
  double spare_w = it_allowed - compute_power(0);
  double max_dyn = 0;
  for (const Tranche& t : sc_.cluster.tranches) max_dyn = std::max(max_dyn, (t.peak_w - t.idle_w) / sc_.cluster.gpus_per_node);
  long long limit = max_dyn <= 0 ? std::numeric_limits<long long>::max()  // busy GPUs draw nothing more
                    : spare_w <= 0 ? 0
                                   : static_cast<long long>(std::floor(spare_w / max_dyn + 1e-9));
  sched_.set_start_limit(limit);
}

void Simulation::apply_power_cap(double now) {
  if (!sc_.facility.power_cap_w || sc_.facility.hold_under_cap) return;
  // The fastest speed level whose facility power fits the cap (the slowest if none does).
  const std::size_t hour = facility_.hour_of(now);
  std::size_t level = 0;
  while (level + 1 < speed_levels_.size() && facility_.facility_w(compute_power(level), hour) > *sc_.facility.power_cap_w)
    ++level;
  if (level == level_) return;
  level_ = level;
  for (auto& p : pods_) p.host->set_pstate(static_cast<int>(level));
}

double Simulation::plugin_energy() const {
  double e = 0;
  for (const auto& p : pods_) e += sg_host_get_consumed_energy(p.host);
  return e;
}

void Simulation::launch(const StartDecision& d, double now) {
  JobRecord& r = result_.jobs[d.id];
  r.start_s = now;
  r.status = JobStatus::running;
  r.nodes = static_cast<int>(d.placement.size());
  // One Exec per pod the job touches, with one thread per busy GPU there.
  Worker* w;
  if (idle_.empty()) {
    workers_.push_back(std::make_unique<Worker>());
    w = workers_.back().get();
    sg4::Actor::create("worker", controller_, [this, w] { worker_actor(w); })->daemonize();
    ++result_.stats.worker_actors;
  } else {
    w = idle_.back();
    idle_.pop_back();
  }
  // A job spread over generations runs at the pace of its slowest GPUs (they synchronise): every pod
  // gets the work its speed does in the job's run time, so all its execs end together.
  double job_speed = std::numeric_limits<double>::infinity();
  for (const auto& share : d.placement) job_speed = std::min(job_speed, pod_speed(node_pod_[share.node]));
  std::vector<PodShare>& shares = job_pods_[d.id];
  std::size_t i = 0;
  while (i < d.placement.size()) {
    int pod = node_pod_[d.placement[i].node];
    if (!pods_[pod].on) throw std::logic_error("capsim: job " + std::to_string(d.id) + " placed on switched-off pod " + std::to_string(pod));
    int threads = 0, pod_held = 0;
    for (; i < d.placement.size() && node_pod_[d.placement[i].node] == pod; ++i) {
      threads += d.placement[i].used;
      pod_held += d.placement[i].held;
    }
    r.gpus_held += pod_held;
    shares.push_back({pod, threads, pod_held, job_speed});
    add_to_pod(pod, threads, pod_held, job_speed);
    if (threads == 0) continue;
    w->pod_threads.emplace_back(pod, threads);
    ++result_.stats.execs_started;
  }
  w->work = r.job.run_s / job_speed;  // seconds at the job's pace
  gpus_held_ += r.gpus_held;
  gpus_busy_ += r.job.gpus;
  w->job = d.id;
  w->cv->notify_one();
}

void Simulation::worker_actor(Worker* w) {
  std::unique_lock<sg4::Mutex> lock(*w->mutex);
  while (true) {
    while (w->job < 0) w->cv->wait(lock);
    // The worker starts the job's activities itself (at the same instant): SimGrid 3.32 keeps each
    // actor's activities in a list searched linearly, so thousands started by the scheduler would make
    // every completion cost a long walk.
    for (auto [pod, threads] : w->pod_threads)
      w->execs.push_back(sg4::Exec::init()
                             ->set_flops_amount(w->work * pod_speed(pod))
                             ->set_host(pods_[pod].host)
                             ->set_thread_count(threads)
                             ->start());
    // Execs on pods of one speed end in the same step, and the job's end is reported right after the first
    // wait returns, before any further simcall, so the scheduler sees every completion of an instant
    // together. A job over several generations waits on each (their ends may differ by rounding).
    std::size_t last = 0;
    for (std::size_t i = 1; i < w->pod_threads.size(); ++i)
      if (pod_speed(w->pod_threads[i].first) != pod_speed(w->pod_threads[0].first)) last = w->pod_threads.size() - 1;
    for (std::size_t i = 0; i <= last; ++i) w->execs[i]->wait();
    completed_.push_back(w->job);
    sched_cv_->notify_one();
    // The job is over: an exec still unfinished holds only rounding (its pod may be switched off at this
    // instant once the scheduler has freed it), so it is cancelled rather than waited on.
    for (std::size_t i = last + 1; i < w->execs.size(); ++i)
      if (!w->execs[i]->test()) w->execs[i]->cancel();
    w->pod_threads.clear();
    w->execs.clear();
    w->job = -1;
    idle_.push_back(w);
  }
}

void Simulation::progress(double now, bool final) {
  if (!opt_.progress) return;
  auto t = Clock::now();
  if (!final && t - last_progress_ < std::chrono::milliseconds(500)) return;
  last_progress_ = t;
  double wall = std::chrono::duration<double>(t - wall_start_).count();
  double frac = now / sc_.horizon_s;
  std::string eta = frac > 0.001 ? human_duration(wall / frac - wall) : "?";
  std::fprintf(stderr, "\r[capsim] simulated %s / %s (%3.0f%%)  jobs done %lld  queued %zu  ETA %s    %s",
               human_duration(now).c_str(), human_duration(sc_.horizon_s).c_str(), 100 * frac, jobs_done_,
               sched_.queued(), final ? "0 s" : eta.c_str(), final ? "\n" : "");
  std::fflush(stderr);
}

void Simulation::scheduler_actor() {
  try {
    std::unique_lock<sg4::Mutex> lock(*sched_mutex_);
    if (opt_.handle_signals) {
      // SimGrid installs its own SIGINT handler (print and exit) when the engine starts; replace it here,
      // once the engine runs, so an interrupt ends the run cleanly with nothing half-written.
      std::signal(SIGINT, on_stop_signal);
      std::signal(SIGTERM, on_stop_signal);
    }
    source_ = make_job_source(sc_);
    result_.class_names = source_->class_names();
    std::optional<Job> next = source_->next();
    bool warmup_sampled = sc_.warmup_s <= 0;
    double energy_at_warmup = 0;
    long long iterations = 0;
    service_changes(0);
    manage_pods(0, false);
    apply_power_cap(0);
    rec_.set(0, state());
    while (true) {
      double wake = sc_.horizon_s;
      if (next) wake = std::min(wake, next->submit_s);
      if (!warmup_sampled) wake = std::min(wake, sc_.warmup_s);
      // Under a cap with a climate-driven facility, the allowed speed changes with each hour's temperature.
      const bool hourly = sc_.facility.power_cap_w && sc_.facility.climate && !sc_.facility.hold_under_cap;
      if (hourly) wake = std::min(wake, (std::floor(sg4::Engine::get_clock() / 3600.0) + 1) * 3600.0);
      wake = std::min(wake, next_service_change(sg4::Engine::get_clock()));
      while (completed_.empty() && sg4::Engine::get_clock() < wake) sched_cv_->wait_until(lock, wake);
      // Let every actor woken at this instant run first, so all completions of the instant are seen.
      sg4::this_actor::yield();
      const double now = sg4::Engine::get_clock();
      ++result_.stats.scheduler_wakeups;
      if (g_stop) {
        interrupted_ = true;
        return;
      }
      // 1. completions, 2. arrivals, 3. one decision (only at instants with events: a decision with
      // nothing changed could still differ once an estimate is exceeded, so extra wake-ups must not decide).
      bool events = !completed_.empty();
      for (JobId id : completed_) {
        sched_.complete(id, now);
        JobRecord& r = result_.jobs[id];
        r.end_s = now;
        r.status = JobStatus::completed;
        gpus_busy_ -= r.job.gpus;
        gpus_held_ -= r.gpus_held;
        for (const PodShare& ps : job_pods_[id]) add_to_pod(ps.pod, -ps.busy, -ps.held, ps.speed);
        std::vector<PodShare>().swap(job_pods_[id]);
        ++jobs_done_;
      }
      completed_.clear();
      while (next && next->submit_s <= now) {
        JobRecord r;
        r.job = *next;
        bool accepted = sched_.submit({r.job.id, r.job.gpus, r.job.submit_s, r.job.estimate_s});
        if (!accepted) r.status = JobStatus::rejected;
        result_.jobs.push_back(r);
        job_pods_.emplace_back();
        next = source_->next();
        events = true;
      }
      // Tranches entering or leaving service are events too (after completions and arrivals).
      if (next_service_change(last_service_check_) <= now) {
        service_changes(now);
        events = true;
      }
      last_service_check_ = now;
      if (!warmup_sampled && now >= sc_.warmup_s) {
        energy_at_warmup = plugin_energy();
        warmup_sampled = true;
      }
      if (now >= sc_.horizon_s) {
        rec_.advance(now);
        result_.it_energy_total_j = plugin_energy();
        result_.it_energy_window_j = result_.it_energy_total_j - energy_at_warmup;
        progress(now, true);
        break;
      }
      // Pods switched back on under the cap add capacity: decide as for an event.
      if ((events || hourly) && manage_pods(now, true)) events = true;
      if (!events) {
        if (hourly) {
          apply_power_cap(now);
          rec_.set(now, state());
        }
        continue;
      }
      limit_starts(now);
      for (const StartDecision& d : sched_.decide(now)) launch(d, now);
      manage_pods(now, false);
      apply_power_cap(now);
      rec_.set(now, state());
      if ((++iterations & 1023) == 0) progress(now, false);
    }
    if (auto* swf = dynamic_cast<SwfSource*>(source_.get())) result_.trace_jobs_skipped = swf->skipped();
  } catch (...) {
    error_ = std::current_exception();
  }
}

RunResult Simulation::run() {
  xbt_log_control_set("root.thres:critical");
  int argc = 1;
  char name[] = "capsim";
  char* argv[] = {name, nullptr};
  sg4::Engine engine(&argc, argv);
  // Workers only wait on activities: small stacks without guard pages let tens of thousands coexist.
  engine.set_config("contexts/stack-size:128");
  engine.set_config("contexts/guard-size:0");
  sg_host_energy_plugin_init();
  build_platform();
  sched_mutex_ = sg4::Mutex::create();
  sched_cv_ = sg4::ConditionVariable::create();
  sg4::Actor::create("scheduler", controller_, [this] { scheduler_actor(); });
  engine.run();
  if (error_) std::rethrow_exception(error_);
  if (interrupted_) {
    if (opt_.progress) std::fprintf(stderr, "\n");
    throw Interrupted();
  }
  for (auto& r : result_.jobs)
    if (r.status == JobStatus::running) r.end_s = -1;
  result_.timeseries = rec_.rows();
  result_.window_allocated_gpu_s = rec_.window_allocated_gpu_s();
  result_.window_delivered_gpu_s = rec_.window_delivered_gpu_s();
  result_.window_busy_work_gpu_s = rec_.window_busy_work_gpu_s();
  result_.window_service_gpu_s = rec_.window_service_gpu_s();
  result_.window_busy_gpu_s = rec_.window_busy_gpu_s();
  result_.recorder_it_energy_window_j = rec_.window_compute_energy_j();
  result_.it_peak_w = rec_.window_peak_compute_power_w() * facility_.it_factor;
  result_.facility_peak_w = rec_.window_peak_facility_power_w();
  result_.capped_s = rec_.window_capped_s();
  result_.throttled_gpu_s = rec_.window_throttled_gpu_s();
  result_.off_gpu_s = rec_.window_off_gpu_s();
  result_.hourly_window_it_j = rec_.hourly_window_it_j();
  result_.hourly_window_facility_j = rec_.hourly_window_facility_j();
  result_.facility = facility_;
  return std::move(result_);
}

}  // namespace

RunResult run_simulation(const Scenario& s, const RunOptions& opt) {
  Simulation sim(s, opt);
  return sim.run();
}

}  // namespace capsim
