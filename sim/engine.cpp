#include "sim/engine.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <map>
#include <set>
#include <unordered_map>
#include <stdexcept>
#include <unistd.h>

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "models/common/calendar.hpp"
#include "models/federation/dispatch.hpp"
#include "models/common/errors.hpp"
#include "models/scheduling/scheduler.hpp"
#include "models/workload/swf.hpp"

namespace sg4 = simgrid::s4u;

namespace capsim {

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

struct Site;

// A pooled daemon actor's slot: the job it runs and the activities it waits on. Actors are cooperative
// (one runs at a time), so the state here and in Site needs no locking; the mutexes exist only because
// SimGrid's condition variables require one.
struct Worker {
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
  Site* site = nullptr;
  JobId job = -1;
  double work = 0;                               // reference GPU-seconds per GPU (the run time on tranche 0's GPUs)
  std::vector<std::pair<int, int>> pod_threads;  // (pod, busy GPUs there)
  std::vector<sg4::ExecPtr> execs;
};

// One data center: its cluster as pods on SimGrid hosts, its scheduler, facility, power cap and recorder.
struct Site {
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
    double switched_s = -std::numeric_limits<double>::infinity();  // last switched on or off under the cap
  };
  struct PodShare {
    int pod, busy, held;
    double speed;  // the job's: its slowest pod's
  };

  Site(const Scenario& s, int index)
      : sc(s), index(index), sched(s.cluster.nodes, s.cluster.gpus_per_node, s.policy), facility(make_facility_model(s)),
        rec(s.horizon_s, s.warmup_s, s.timeseries_interval_s, facility) {
    speed_levels = {1.0};
    for (const Tranche& t : s.cluster.tranches) max_node_active_w = std::max(max_node_active_w, t.peak_w - t.idle_w);
    // Holding jobs keeps the cap when they start; if a hotter hour then pushes the running jobs above it,
    // the nodes throttle for that hour as a last resort, so the cap holds in both modes.
    if (s.facility.power_cap_w)
      for (int k = 1; k <= 18; ++k) speed_levels.push_back(1.0 - 0.05 * k);
    if (s.facility.power_cap_w && !s.facility.hold_under_cap) {
      // Under a cap, n GPUs at speed v deliver n v for n (idle + active v^a) watts: work per watt peaks at
      // v* = (idle / (active (a - 1)))^(1/a). Pods are switched on while the cluster can run at or above v*.
      double idle = 0, active = 0;
      for (const Tranche& t : s.cluster.tranches) {
        idle += t.nodes * t.idle_w;
        active += t.nodes * (t.peak_w - t.idle_w);
      }
      const double a = s.facility.throttle_exponent;
      const double v = active > 0 && a > 1 ? std::pow(idle / (active * (a - 1)), 1 / a) : 1.0;
      while (target_level + 1 < speed_levels.size() && speed_levels[target_level + 1] >= v - 1e-12) ++target_level;
    }
  }

  void build(sg4::NetZone* zone, const std::string& prefix);
  void set_pod_on(int pod, bool on);
  void refresh_idle(int pod);
  void mark_off_for_cap(int pod, bool off);
  bool manage_pods(double now, bool allow_on);
  void add_to_pod(int pod, int busy, int held, double job_speed);
  void service_changes(double now);
  double next_service_change(double now) const;
  ClusterState state() const;
  double compute_power(std::size_t level) const {
    return idle_on_w + dyn_busy_w * std::pow(speed_levels[level], sc.facility.throttle_exponent);
  }
  void limit_starts(double now);
  void apply_power_cap(double now);
  double plugin_energy() const;
  double pod_speed(int pod) const { return sc.cluster.tranches[pods[pod].tranche].speed; }
  // Under a cap with a climate-driven facility, the allowed speed changes with each hour's temperature.
  bool hourly() const { return sc.facility.power_cap_w && sc.facility.climate; }
  // Takes the GPUs of a started job and fills the worker's activities.
  void place(const StartDecision& d, JobRecord& r, Worker* w, EngineStats& stats);
  void complete(JobRecord& r);
  void submit(JobRecord& r);
  MemberView view(const Job& j, double now) const;

  const Scenario& sc;
  const int index;
  Scheduler sched;
  FacilityModel facility;
  Recorder rec;
  RunResult result;
  std::vector<Pod> pods;
  std::vector<int> node_pod;
  std::unordered_map<JobId, std::vector<PodShare>> job_pods;  // while a job runs
  std::vector<char> tranche_in_service, tranche_retired;
  std::set<std::pair<int, int>> idle_pods;    // (rank, pod): on, in service, no job: may be switched off
  // (rank, pod) switched off under the cap, highest rank (fastest generation) first: the order they go back on.
  std::set<std::pair<int, int>, std::greater<>> off_for_cap;
  long long gpus_off = 0;
  // Aggregates kept up to date as pods and jobs change (at full speed; the level scales them).
  double idle_on_w = 0;   // idle power of the pods that are on
  double dyn_busy_w = 0;  // active power of busy GPUs
  double busy_rate = 0;   // reference GPU-seconds of work per second of busy GPUs
  double held_rate = 0;   // the same for allocated GPUs
  long long gpus_in_service = 0;
  long long gpus_busy = 0;
  long long gpus_held = 0;
  double queued_work_gpu_s = 0;
  double last_service_check = 0;
  double energy_at_warmup = 0;
  bool events = false;  // something happened at this instant: decide
  // Speed levels (pstates) of every node: only full speed without a power cap.
  std::vector<double> speed_levels;
  std::size_t level = 0;
  std::size_t target_level = 0;  // the most efficient speed level under a cap (hold mode: full speed)
  int utc_offset_s = sc.site_utc_offset_s;
  double max_node_active_w = 0;  // peak - idle of the most power-hungry node type
  long long switches = 0;
};

void Site::build(sg4::NetZone* zone, const std::string& prefix) {
  const ClusterSpec& c = sc.cluster;
  node_pod.resize(c.nodes);
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
      for (double lv : speed_levels) {
        speeds.push_back(tr.speed * lv);
        char buf[128];
        double dyn = (tr.peak_w - tr.idle_w) * std::pow(lv, sc.facility.throttle_exponent);
        std::snprintf(buf, sizeof buf, "%s%.17g:%.17g", watts.empty() ? "" : ",", n * tr.idle_w, n * (tr.idle_w + dyn));
        watts += buf;
      }
      auto* h = zone->create_host(prefix + "pod-" + std::to_string(pods.size()), speeds);
      h->set_core_count(n * c.gpus_per_node);
      h->set_property("wattage_per_state", watts);
      h->set_property("wattage_off", "0");
      pods.push_back(Pod{h, static_cast<int>(t), node, n, 0, 0, true, false, 0, -std::numeric_limits<double>::infinity()});
      for (int i = 0; i < n; ++i) node_pod[node++] = static_cast<int>(pods.size()) - 1;
    }
  }
}

void Site::set_pod_on(int pod, bool on) {
  Pod& p = pods[pod];
  if (p.on == on) return;
  p.on = on;
  const double idle = p.nodes * sc.cluster.tranches[p.tranche].idle_w;
  idle_on_w += on ? idle : -idle;
  if (on) p.host->turn_on();
  else p.host->turn_off();
  refresh_idle(pod);
}

void Site::refresh_idle(int pod) {
  const Pod& p = pods[pod];
  if (p.on && p.held == 0 && tranche_in_service[p.tranche]) idle_pods.insert({p.rank, pod});
  else idle_pods.erase({p.rank, pod});
}

void Site::mark_off_for_cap(int pod, bool off) {
  Pod& p = pods[pod];
  if (p.off_for_cap == off) return;
  p.off_for_cap = off;
  if (off) off_for_cap.insert({p.rank, pod});
  else off_for_cap.erase({p.rank, pod});
  gpus_off += (off ? 1 : -1) * static_cast<long long>(p.nodes) * sc.cluster.gpus_per_node;
}

bool Site::manage_pods(double now, bool allow_on) {
  if (!sc.facility.power_cap_w || !sc.facility.switch_off_idle) return false;
  const double cap = *sc.facility.power_cap_w;
  const std::size_t hour = facility.hour_of(now);
  const double alpha = sc.facility.throttle_exponent;
  // Whether facility power fits the cap at speed level `lv` with a pod's idle power and some active power more.
  auto fits_at = [&](std::size_t lv, double extra_idle_w, double extra_dyn_w) {
    return facility.facility_w(idle_on_w + extra_idle_w + (dyn_busy_w + extra_dyn_w) * std::pow(speed_levels[lv], alpha), hour) <= cap;
  };
  // An idle pod only draws power: off when the cap binds at full speed, unless queued work could use it
  // at the efficient speed. A pod switched in the last `switch_interval` is left alone, unless the cap
  // cannot be met even at the slowest speed.
  // Holding jobs instead, idle pods must leave room for at least one more busy node, or held jobs never start.
  const bool waiting = sched.queued() > 0;
  const double dwell = sc.facility.switch_interval_s;
  const bool hold = sc.facility.hold_under_cap;
  auto switch_pod = [&](int pod, bool off) {
    pods[pod].switched_s = now;
    ++switches;
    mark_off_for_cap(pod, off);
    sched.set_available(pods[pod].first_node, pods[pod].nodes, !off);
    set_pod_on(pod, !off);
  };
  for (auto it = idle_pods.begin(); it != idle_pods.end();) {
    const bool must = !fits_at(speed_levels.size() - 1, 0, 0);
    const bool keep = hold ? fits_at(0, 0, waiting ? max_node_active_w : 0)
                           : fits_at(0, 0, 0) || (waiting && fits_at(target_level, 0, 0));
    if (!must && keep) break;
    const int pod = it->second;
    ++it;  // switching the pod off erases it from idle_pods
    if (!must && now - pods[pod].switched_s < dwell) continue;
    switch_pod(pod, true);
  }
  // Back on, fastest first, while queued work waits and the pod's idle power with one of its nodes busy
  // still fits at the efficient speed (the margin keeps a pod from going on only to be switched off).
  bool added = false;
  for (auto it = off_for_cap.begin(); allow_on && sched.queued() > 0 && it != off_for_cap.end();) {
    const int pod = it->second;
    const Pod& p = pods[pod];
    ++it;  // switching the pod on erases it from off_for_cap
    if (now - p.switched_s < dwell) continue;
    const Tranche& tr = sc.cluster.tranches[p.tranche];
    if (!fits_at(target_level, p.nodes * tr.idle_w, tr.peak_w - tr.idle_w)) break;
    switch_pod(pod, false);
    added = true;
  }
  return added;
}

void Site::add_to_pod(int pod, int busy, int held, double job_speed) {
  Pod& p = pods[pod];
  const Tranche& tr = sc.cluster.tranches[p.tranche];
  p.busy += busy;
  p.held += held;
  if (p.held == held || p.held == 0) refresh_idle(pod);
  dyn_busy_w += busy * (tr.peak_w - tr.idle_w) / sc.cluster.gpus_per_node;
  busy_rate += busy * job_speed;
  held_rate += held * job_speed;
  // A retired pod switches off once its last job ends.
  if (p.held == 0 && tranche_retired[p.tranche]) set_pod_on(pod, false);
}

void Site::service_changes(double now) {
  const ClusterSpec& c = sc.cluster;
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    const Tranche& tr = c.tranches[t];
    bool should_serve = tr.arrive_s <= now && now < tr.retire_s;
    if (should_serve == static_cast<bool>(tranche_in_service[t])) continue;
    tranche_in_service[t] = should_serve;
    sched.set_available(tr.first_node, tr.nodes, should_serve);
    gpus_in_service += (should_serve ? 1 : -1) * static_cast<long long>(tr.nodes) * c.gpus_per_node;
    if (now >= tr.retire_s) tranche_retired[t] = 1;
    for (std::size_t p = 0; p < pods.size(); ++p) {
      Pod& pod = pods[p];
      if (pod.tranche != static_cast<int>(t)) continue;
      mark_off_for_cap(static_cast<int>(p), false);  // a tranche entering or leaving service starts afresh
      if (should_serve) set_pod_on(static_cast<int>(p), true);
      else if (pod.held == 0) set_pod_on(static_cast<int>(p), false);
      refresh_idle(static_cast<int>(p));
    }
  }
}

double Site::next_service_change(double now) const {
  double next = std::numeric_limits<double>::infinity();
  for (const Tranche& tr : sc.cluster.tranches) {
    if (tr.arrive_s > now) next = std::min(next, tr.arrive_s);
    if (tr.retire_s > now) next = std::min(next, tr.retire_s);
  }
  return next;
}

ClusterState Site::state() const {
  ClusterState s;
  s.gpus_allocated = gpus_held;
  s.gpus_busy = gpus_busy;
  s.jobs_running = static_cast<long long>(sched.running());
  s.jobs_queued = static_cast<long long>(sched.queued());
  s.speed = speed_levels[level];
  s.held_by_cap = sched.limited();
  s.compute_power_w = compute_power(level);
  s.gpus_in_service = gpus_in_service;
  s.gpus_off = gpus_off;
  s.busy_work_rate = busy_rate * s.speed;
  s.held_work_rate = held_rate * s.speed;
  return s;
}

void Site::limit_starts(double now) {
  if (!sc.facility.power_cap_w || !sc.facility.hold_under_cap) return;
  // Active power the cap leaves at this hour, shared out at the most power-hungry GPU's rate.
  const std::size_t hour = facility.hour_of(now);
  double it_allowed = (*sc.facility.power_cap_w - facility.fixed_w) / (facility.it_factor * facility.multiplier[hour]);
  double spare_w = it_allowed - compute_power(0);
  double max_dyn = 0;
  for (const Tranche& t : sc.cluster.tranches) max_dyn = std::max(max_dyn, (t.peak_w - t.idle_w) / sc.cluster.gpus_per_node);
  long long limit = max_dyn <= 0 ? std::numeric_limits<long long>::max()  // busy GPUs draw nothing more
                    : spare_w <= 0 ? 0
                                   : static_cast<long long>(std::floor(spare_w / max_dyn + 1e-9));
  sched.set_start_limit(limit);
}

void Site::apply_power_cap(double now) {
  if (!sc.facility.power_cap_w) return;
  // The fastest speed level whose facility power fits the cap (the slowest if none does).
  const std::size_t hour = facility.hour_of(now);
  std::size_t lv = 0;
  while (lv + 1 < speed_levels.size() && facility.facility_w(compute_power(lv), hour) > *sc.facility.power_cap_w) ++lv;
  if (lv == level) return;
  level = lv;
  for (auto& p : pods) p.host->set_pstate(static_cast<int>(lv));
}

double Site::plugin_energy() const {
  double e = 0;
  for (const auto& p : pods) e += sg_host_get_consumed_energy(p.host);
  return e;
}

void Site::submit(JobRecord& r) {
  r.site = index;
  if (!sched.submit({r.job.id, r.job.gpus, r.job.submit_s, r.job.estimate_s})) {
    r.status = JobStatus::rejected;
    return;
  }
  queued_work_gpu_s += r.job.gpus * r.job.estimate_s;
}

void Site::place(const StartDecision& d, JobRecord& r, Worker* w, EngineStats& stats) {
  // A job spread over generations runs at the pace of its slowest GPUs (they synchronise): every pod
  // gets the work its speed does in the job's run time, so all its execs end together.
  double job_speed = std::numeric_limits<double>::infinity();
  for (const auto& share : d.placement) job_speed = std::min(job_speed, pod_speed(node_pod[share.node]));
  std::vector<PodShare>& shares = job_pods[d.id];
  std::size_t i = 0;
  while (i < d.placement.size()) {
    int pod = node_pod[d.placement[i].node];
    if (!pods[pod].on) throw std::logic_error("capsim: job " + std::to_string(d.id) + " placed on switched-off pod " + std::to_string(pod));
    int threads = 0, pod_held = 0;
    for (; i < d.placement.size() && node_pod[d.placement[i].node] == pod; ++i) {
      threads += d.placement[i].used;
      pod_held += d.placement[i].held;
    }
    r.gpus_held += pod_held;
    shares.push_back({pod, threads, pod_held, job_speed});
    add_to_pod(pod, threads, pod_held, job_speed);
    if (threads == 0) continue;
    w->pod_threads.emplace_back(pod, threads);
    ++stats.execs_started;
  }
  w->work = r.job.run_s / job_speed;  // seconds at the job's pace
  w->site = this;
  gpus_held += r.gpus_held;
  gpus_busy += r.job.gpus;
  queued_work_gpu_s = sched.queued() == 0 ? 0 : queued_work_gpu_s - r.job.gpus * r.job.estimate_s;
}

void Site::complete(JobRecord& r) {
  gpus_busy -= r.job.gpus;
  gpus_held -= r.gpus_held;
  auto it = job_pods.find(r.job.id);
  for (const PodShare& ps : it->second) add_to_pod(ps.pod, -ps.busy, -ps.held, ps.speed);
  job_pods.erase(it);
}

MemberView Site::view(const Job& j, double now) const {
  MemberView v;
  const NodePool& pool = sched.pool();
  v.can_hold = pool.could_ever_fit(j.gpus);
  v.can_hold_now = j.gpus >= 1 && pool.nodes_needed(j.gpus) <= gpus_in_service / sc.cluster.gpus_per_node;
  v.can_start_now = sched.queued() == 0 && pool.place(j.gpus).has_value();
  v.queued_work_gpu_s = queued_work_gpu_s;
  v.gpus_on = gpus_in_service - gpus_off;
  v.gpus_free = std::max<long long>(0, v.gpus_on - gpus_held);
  if (sc.site) {
    LocalTime lt = local_time(now, sc.start_epoch_s, utc_offset_s);
    v.price_usd_per_kwh = sc.costs.fx.to_usd({sc.site->tariff.price(lt), sc.site->tariff.currency});
    v.carbon_g_per_kwh = site_carbon_g_per_kwh(*sc.site, lt);
  }
  return v;
}

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
  }

  std::vector<RunResult> run();

 private:
  void build_platform();
  void scheduler_actor();
  void worker_actor(Worker* w);
  void launch(Site& site, const StartDecision& d);
  int dispatch(const Job& j, double now);
  void progress(double now, bool final);

  const Scenario& sc_;
  const RunOptions& opt_;
  std::vector<std::unique_ptr<Site>> sites_;
  std::map<std::string, int> pins_;
  std::vector<int> class_pin_;  // member index by class, -1 if not pinned
  std::unique_ptr<JobSource> source_;
  std::vector<JobRecord> jobs_;  // indexed by JobId
  std::vector<std::string> class_names_;
  long long trace_jobs_skipped_ = 0;
  EngineStats stats_;
  sg4::Host* controller_ = nullptr;
  sg4::MutexPtr sched_mutex_;
  sg4::ConditionVariablePtr sched_cv_;
  std::vector<std::pair<Site*, JobId>> completed_;  // filled by workers, drained by the scheduler
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> idle_;
  long long jobs_done_ = 0;
  std::exception_ptr error_;
  bool interrupted_ = false;
  Clock::time_point wall_start_ = Clock::now();
  Clock::time_point last_progress_ = Clock::now();
};

void Simulation::build_platform() {
  auto t0 = Clock::now();
  auto* zone = sg4::create_star_zone("cluster");
  controller_ = zone->create_host("controller", 1.0);
  controller_->set_property("wattage_per_state", "0:0");
  controller_->set_property("wattage_off", "0");
  for (auto& site : sites_) site->build(zone, sites_.size() > 1 ? "site" + std::to_string(site->index) + "-" : "");
  zone->seal();
  for (auto& site : sites_) {
    Site& s = *site;
    const ClusterSpec& c = s.sc.cluster;
    for (const auto& p : s.pods) s.idle_on_w += p.nodes * c.tranches[p.tranche].idle_w;
    s.gpus_in_service = c.gpus();
    s.tranche_in_service.assign(c.tranches.size(), 1);
    s.tranche_retired.assign(c.tranches.size(), 0);
    // Under a cap the slowest generation's pods go off first (they do the least work per idle watt), the
    // last pods of a generation before its first ones; they come back on in the reverse order.
    std::vector<int> order(s.pods.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      double sa = c.tranches[s.pods[a].tranche].speed, sb = c.tranches[s.pods[b].tranche].speed;
      return sa != sb ? sa < sb : a > b;
    });
    for (std::size_t r = 0; r < order.size(); ++r) s.pods[order[r]].rank = static_cast<int>(r);
    for (std::size_t p = 0; p < s.pods.size(); ++p) s.refresh_idle(static_cast<int>(p));
    stats_.pod_hosts += static_cast<int>(s.pods.size());
  }
  stats_.platform_build_s = std::chrono::duration<double>(Clock::now() - t0).count();
}

int Simulation::dispatch(const Job& j, double now) {
  if (sites_.size() == 1) return 0;
  std::vector<MemberView> views;
  for (const auto& s : sites_) views.push_back(s->view(j, now));
  return dispatch_job(sc_.dispatch, class_pin_[j.class_index], views);
}

void Simulation::launch(Site& site, const StartDecision& d) {
  JobRecord& r = jobs_[d.id];
  r.start_s = sg4::Engine::get_clock();
  r.status = JobStatus::running;
  r.nodes = static_cast<int>(d.placement.size());
  // One Exec per pod the job touches, with one thread per busy GPU there.
  Worker* w;
  if (idle_.empty()) {
    workers_.push_back(std::make_unique<Worker>());
    w = workers_.back().get();
    sg4::Actor::create("worker", controller_, [this, w] { worker_actor(w); })->daemonize();
    ++stats_.worker_actors;
  } else {
    w = idle_.back();
    idle_.pop_back();
  }
  site.place(d, r, w, stats_);
  w->job = d.id;
  w->cv->notify_one();
}

void Simulation::worker_actor(Worker* w) {
  std::unique_lock<sg4::Mutex> lock(*w->mutex);
  while (true) {
    while (w->job < 0) w->cv->wait(lock);
    Site& site = *w->site;
    // The worker starts the job's activities itself (at the same instant): SimGrid 3.32 keeps each
    // actor's activities in a list searched linearly, so thousands started by the scheduler would make
    // every completion cost a long walk.
    for (auto [pod, threads] : w->pod_threads)
      w->execs.push_back(sg4::Exec::init()
                             ->set_flops_amount(w->work * site.pod_speed(pod))
                             ->set_host(site.pods[pod].host)
                             ->set_thread_count(threads)
                             ->start());
    // Execs on pods of one speed end in the same step, and the job's end is reported right after the first
    // wait returns, before any further simcall, so the scheduler sees every completion of an instant
    // together. A job over several generations waits on each (their ends may differ by rounding).
    std::size_t last = 0;
    for (std::size_t i = 1; i < w->pod_threads.size(); ++i)
      if (site.pod_speed(w->pod_threads[i].first) != site.pod_speed(w->pod_threads[0].first)) last = w->pod_threads.size() - 1;
    for (std::size_t i = 0; i <= last; ++i) w->execs[i]->wait();
    completed_.emplace_back(&site, w->job);
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
  std::size_t queued = 0;
  for (const auto& s : sites_) queued += s->sched.queued();
  std::fprintf(stderr, "\r[capsim] simulated %s / %s (%3.0f%%)  jobs done %lld  queued %zu  ETA %s    %s",
               human_duration(now).c_str(), human_duration(sc_.horizon_s).c_str(), 100 * frac, jobs_done_, queued,
               final ? "0 s" : eta.c_str(), final ? "\n" : "");
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
    class_names_ = source_->class_names();
    class_pin_.assign(class_names_.size(), -1);
    if (const auto* sw = std::get_if<SyntheticWorkload>(&sc_.workload)) {
      for (std::size_t c = 0; c < sw->classes.size(); ++c)
        if (auto it = pins_.find(sw->classes[c].tenant); it != pins_.end()) class_pin_[c] = it->second;
    } else if (auto it = pins_.find("trace"); it != pins_.end()) {
      class_pin_.assign(class_names_.size(), it->second);
    }
    std::optional<Job> next = source_->next();
    bool warmup_sampled = sc_.warmup_s <= 0;
    long long iterations = 0;
    bool any_hourly = false;
    for (auto& s : sites_) {
      s->service_changes(0);
      s->manage_pods(0, false);
      s->apply_power_cap(0);
      s->rec.set(0, s->state());
      any_hourly = any_hourly || s->hourly();
    }
    while (true) {
      const double clock = sg4::Engine::get_clock();
      double wake = sc_.horizon_s;
      if (next) wake = std::min(wake, next->submit_s);
      if (!warmup_sampled) wake = std::min(wake, sc_.warmup_s);
      if (any_hourly) wake = std::min(wake, (std::floor(clock / 3600.0) + 1) * 3600.0);
      for (const auto& s : sites_) wake = std::min(wake, s->next_service_change(clock));
      while (completed_.empty() && sg4::Engine::get_clock() < wake) sched_cv_->wait_until(lock, wake);
      // Let every actor woken at this instant run first, so all completions of the instant are seen.
      sg4::this_actor::yield();
      const double now = sg4::Engine::get_clock();
      ++stats_.scheduler_wakeups;
      if (g_stop) {
        interrupted_ = true;
        return;
      }
      // 1. completions, 2. arrivals, 3. one decision per site (only at a site with events: a decision with
      // nothing changed could still differ once an estimate is exceeded, so extra wake-ups must not decide).
      for (auto& s : sites_) s->events = false;
      for (auto [site, id] : completed_) {
        site->sched.complete(id, now);
        JobRecord& r = jobs_[id];
        r.end_s = now;
        r.status = JobStatus::completed;
        site->complete(r);
        site->events = true;
        ++jobs_done_;
      }
      completed_.clear();
      while (next && next->submit_s <= now) {
        JobRecord r;
        r.job = *next;
        Site& site = *sites_[dispatch(r.job, now)];
        site.submit(r);
        site.events = true;
        jobs_.push_back(r);
        next = source_->next();
      }
      // Tranches entering or leaving service are events too (after completions and arrivals).
      for (auto& s : sites_) {
        if (s->next_service_change(s->last_service_check) <= now) {
          s->service_changes(now);
          s->events = true;
        }
        s->last_service_check = now;
      }
      if (!warmup_sampled && now >= sc_.warmup_s) {
        for (auto& s : sites_) s->energy_at_warmup = s->plugin_energy();
        warmup_sampled = true;
      }
      if (now >= sc_.horizon_s) {
        for (auto& s : sites_) {
          s->rec.advance(now);
          s->result.it_energy_total_j = s->plugin_energy();
          s->result.it_energy_window_j = s->result.it_energy_total_j - s->energy_at_warmup;
        }
        progress(now, true);
        break;
      }
      bool decided = false;
      for (auto& sp : sites_) {
        Site& s = *sp;
        // Pods switched back on under the cap add capacity: decide as for an event.
        if ((s.events || s.hourly()) && s.manage_pods(now, true)) s.events = true;
        if (!s.events) {
          if (s.hourly()) {
            s.apply_power_cap(now);
            s.rec.set(now, s.state());
          }
          continue;
        }
        s.limit_starts(now);
        for (const StartDecision& d : s.sched.decide(now)) launch(s, d);
        s.manage_pods(now, false);
        s.apply_power_cap(now);
        s.rec.set(now, s.state());
        decided = true;
      }
      if (decided && (++iterations & 1023) == 0) progress(now, false);
    }
    if (auto* swf = dynamic_cast<SwfSource*>(source_.get())) trace_jobs_skipped_ = swf->skipped();
  } catch (...) {
    error_ = std::current_exception();
  }
}

std::vector<RunResult> Simulation::run() {
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
  for (auto& r : jobs_)
    if (r.status == JobStatus::running) r.end_s = -1;
  std::vector<RunResult> out;
  for (auto& sp : sites_) {
    Site& s = *sp;
    RunResult& res = s.result;
    const Recorder& rec = s.rec;
    if (sites_.size() == 1) {
      res.jobs = std::move(jobs_);
    } else {
      for (const JobRecord& j : jobs_)
        if (j.site == s.index) res.jobs.push_back(j);
    }
    res.class_names = class_names_;
    res.trace_jobs_skipped = trace_jobs_skipped_;
    res.stats = stats_;
    res.stats.pod_switches = s.switches;
    res.timeseries = rec.rows();
    res.window_allocated_gpu_s = rec.window_allocated_gpu_s();
    res.window_delivered_gpu_s = rec.window_delivered_gpu_s();
    res.window_busy_work_gpu_s = rec.window_busy_work_gpu_s();
    res.window_service_gpu_s = rec.window_service_gpu_s();
    res.window_busy_gpu_s = rec.window_busy_gpu_s();
    res.recorder_it_energy_window_j = rec.window_compute_energy_j();
    res.it_peak_w = rec.window_peak_compute_power_w() * s.facility.it_factor;
    res.facility_peak_w = rec.window_peak_facility_power_w();
    res.capped_s = rec.window_capped_s();
    res.throttled_gpu_s = rec.window_throttled_gpu_s();
    res.off_gpu_s = rec.window_off_gpu_s();
    res.hourly_window_it_j = rec.hourly_window_it_j();
    res.hourly_window_facility_j = rec.hourly_window_facility_j();
    res.facility = s.facility;
    out.push_back(std::move(res));
  }
  return out;
}

}  // namespace

std::vector<RunResult> run_sites(const Scenario& s, const RunOptions& opt) {
  Simulation sim(s, opt);
  return sim.run();
}

RunResult run_simulation(const Scenario& s, const RunOptions& opt) {
  if (s.federated()) throw std::logic_error("capsim: run_simulation on a federation; use run_sites");
  return std::move(run_sites(s, opt).front());
}

}  // namespace capsim
