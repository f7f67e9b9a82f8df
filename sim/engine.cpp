#include "sim/engine.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "models/common/errors.hpp"
#include "models/common/stop_signal.hpp"
#include "models/federation/dispatch.hpp"
#include "sim/platform.hpp"
#include "sim/simulation.hpp"


namespace capsim {
namespace {

std::string human_duration(double s) {
  char buf[64];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else if (s < 2 * 86400) std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  else std::snprintf(buf, sizeof buf, "%.1f d", s / 86400);
  return buf;
}

}  // namespace

int Simulation::dispatch(const Job& j, double now) {
  if (sites_.size() == 1) return 0;
  if (class_pin_[j.class_index] >= 0) return class_pin_[j.class_index];
  std::vector<MemberView> views;
  for (const auto& s : sites_) views.push_back(s->view(j, now));
  if (const Scenario::ClassData* d = class_data(j))
    for (std::size_t m = 0; m < views.size(); ++m)
      if (static_cast<int>(m) != d->member && platform_.highways) views[m].transfer_s = platform_.highways->expected_s(d->member, static_cast<int>(m), d->bytes);
  return dispatch_job(sc_.dispatch, class_pin_[j.class_index], views);
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

void Simulation::open_job_source() {
  source_ = make_job_source(sc_);
  class_names_ = source_->class_names();
  class_pin_.assign(class_names_.size(), -1);
  if (const auto* sw = std::get_if<SyntheticWorkload>(&sc_.workload)) {
    for (std::size_t c = 0; c < sw->classes.size(); ++c)
      if (auto it = pins_.find(sw->classes[c].tenant); it != pins_.end()) class_pin_[c] = it->second;
  } else if (auto it = pins_.find("trace"); it != pins_.end()) {
    class_pin_.assign(class_names_.size(), it->second);
  }
  next_ = source_->next();
}

double Simulation::next_wake(double clock, bool warmup_sampled, bool any_hourly) const {
  double wake = sc_.horizon_s;
  if (next_) wake = std::min(wake, next_->submit_s);
  if (!warmup_sampled) wake = std::min(wake, sc_.warmup_s);
  if (any_hourly) wake = std::min(wake, (std::floor(clock / 3600.0) + 1) * 3600.0);
  for (const auto& s : sites_) wake = std::min({wake, s->next_service_change(clock), s->sched.next_reservation_event(clock)});
  return wake;
}

void Simulation::take_completions(double now) {
  // GPUs that finished computing but wait on the fabric draw idle power from now: a new state to record,
  // not an event to decide on.
  for (auto [site, id] : completed_.compute_done) {
    site->compute_done(jobs_[id]);
    site->record(now);
  }
  completed_.compute_done.clear();
  for (auto [site, id] : completed_.jobs) {
    site->sched.complete(id, now);
    JobRecord& r = jobs_[id];
    r.end_s = now;
    r.status = JobStatus::completed;
    r.done_gpu_s = r.job.gpus * r.job.run_s;
    site->complete(r);
    site->events = true;
    ++jobs_done_;
  }
  completed_.jobs.clear();
}

void Simulation::take_arrivals(double now) {
  while (next_ && next_->submit_s <= now) {
    JobRecord r;
    r.job = *next_;
    if (job_failures_) job_failures_->emplace_back();
    const int m = dispatch(r.job, now);
    Site& site = *sites_[m];
    const Scenario::ClassData* d = class_data(r.job);
    if (d && d->member != m && site.sched.pool().could_ever_fit(r.job.gpus)) {
      // Its input data moves first; the job holds nothing until it enters the queue (take_staged).
      site.incoming(r);
      platform_.highways->stage(r.job.id, d->member, m, d->bytes, &site, completed_, stats_);
    } else {
      site.submit(r);
      site.events = true;
    }
    jobs_.push_back(r);
    next_ = source_->next();
  }
}

void Simulation::take_staged(double now) {
  for (auto [site, id] : completed_.staged) {
    JobRecord& r = jobs_[id];
    r.staged_s = now - r.job.submit_s;
    site->arrived(r);
    site->submit(r);
    site->events = true;
  }
  completed_.staged.clear();
}

// One decision per site with events (a decision with nothing changed could still differ once an estimate
// is exceeded, so extra wake-ups must not decide), the power-cap controller around it. Returns whether
// any site decided.
bool Simulation::decide(double now) {
  bool decided = false;
  for (auto& sp : sites_) {
    Site& s = *sp;
    if (!s.sc.training_runs.empty()) reservations_due(s, now);
    // Pods switched back on under the cap add capacity: decide as for an event.
    if ((s.events || s.ctl.hourly()) && s.manage_pods(now, true)) s.events = true;
    if (!s.events) {
      if (s.ctl.hourly()) {
        s.apply_power_cap(now);
        s.record(now);
      }
      continue;
    }
    s.limit_starts(now);
    for (const StartDecision& d : s.sched.decide(now)) {
      JobRecord& r = jobs_[d.id];
      if (r.start_s < 0) r.start_s = sg4::Engine::get_clock();
      r.status = JobStatus::running;
      r.nodes = static_cast<int>(d.placement.size());
      workers_->run(s, d.id, s.place(d, r, stats_));
    }
    s.manage_pods(now, false);
    s.apply_power_cap(now);
    s.record(now);
    decided = true;
  }
  return decided;
}

void Simulation::finish(double now) {
  for (auto& s : sites_) {
    s->rec.advance(now);
    s->result.it_energy_total_j = s->plugin_energy();
    s->result.it_energy_window_j = s->result.it_energy_total_j - s->energy_at_warmup;
  }
  for (auto [id, done] : workers_->progress()) {
    JobRecord& r = jobs_[id];
    if (sc_.failures.enabled) {
      Site& site = *sites_[r.site];
      r.done_gpu_s = site.progress_gpu_s(r, done);
      site.end_attempt(r, done, now);
    } else {
      r.done_gpu_s = r.job.gpus * r.job.run_s * done;
    }
  }
  progress(now, true);
}

void Simulation::scheduler_actor() {
  try {
    std::unique_lock<sg4::Mutex> lock(*sched_mutex_);
    if (opt_.handle_signals) {
      // SimGrid installs its own SIGINT handler (print and exit) when the engine starts; replace it here,
      // once the engine runs, then let through what was held since before the engine was built.
      install_stop_handlers();
      unblock_stop_signals();
    }
    open_job_source();
    bool warmup_sampled = sc_.warmup_s <= 0;
    long long iterations = 0;
    bool any_hourly = false;
    for (auto& s : sites_) {
      s->service_changes(0);
      s->manage_pods(0, false);
      s->apply_power_cap(0);
      s->record(0);
      any_hourly = any_hourly || s->ctl.hourly();
    }
    while (true) {
      const double wake = next_wake(sg4::Engine::get_clock(), warmup_sampled, any_hourly);
      while (completed_.jobs.empty() && completed_.compute_done.empty() && completed_.staged.empty() && completed_.failures.empty() &&
             sg4::Engine::get_clock() < wake)
        completed_.cv->wait_until(lock, wake);
      // Let every actor woken at this instant run first, so all completions of the instant are seen.
      sg4::this_actor::yield();
      const double now = sg4::Engine::get_clock();
      ++stats_.scheduler_wakeups;
      if (opt_.handle_signals && stop_requested()) {
        interrupted_ = true;
        workers_->cancel_flows();
        if (platform_.highways) platform_.highways->cancel();
        sg4::this_actor::yield();  // the workers and transfers waiting on them end
        return;
      }
      // 1. completions, 2. jobs whose data arrived, then new arrivals, 3. tranches entering or leaving service, 4. one decision per site.
      for (auto& s : sites_) s->events = false;
      take_completions(now);
      if (!completed_.failures.empty()) take_failures(now);
      take_staged(now);
      take_arrivals(now);
      for (auto& s : sites_) {
        if (s->next_service_change(s->last_service_check) <= now) {
          s->service_changes(now);
          s->events = true;
        }
        if (s->sched.next_reservation_event(s->last_service_check) <= now) s->events = true;
        s->last_service_check = now;
      }
      if (!warmup_sampled && now >= sc_.warmup_s) {
        for (auto& s : sites_) s->energy_at_warmup = s->plugin_energy();
        warmup_sampled = true;
      }
      if (now >= sc_.horizon_s) {
        finish(now);
        break;
      }
      if (decide(now) && (++iterations & 1023) == 0) progress(now, false);
    }
    trace_jobs_skipped_ = source_->skipped();
  } catch (...) {
    error_ = std::current_exception();
  }
}

std::vector<RunResult> Simulation::results() {
  for (auto& r : jobs_)
    if (r.status == JobStatus::running) r.end_s = -1;
  std::vector<RunResult> out;
  for (auto& sp : sites_) {
    Site& s = *sp;
    RunResult& res = s.result;
    const Recorder& rec = s.rec;
    if (s.injector) s.finish_failures();
    if (sites_.size() == 1) {
      res.jobs = std::move(jobs_);
    } else {
      for (const JobRecord& j : jobs_)
        if (j.site == s.index) res.jobs.push_back(j);
    }
    res.class_names = class_names_;
    res.trace_jobs_skipped = trace_jobs_skipped_;
    if (const TraceLabels* l = source_->labels()) res.trace_labels = *l;
    res.trace_skipped = source_->skip_reasons();
    res.trace_scale = source_->trace_scale();
    res.stats = stats_;
    res.stats.pod_switches = s.ctl.switches();
    res.timeseries = rec.rows();
    res.window_allocated_gpu_s = rec.window_allocated_gpu_s();
    res.window_delivered_gpu_s = rec.window_delivered_gpu_s();
    res.window_busy_work_gpu_s = rec.window_busy_work_gpu_s();
    res.window_service_gpu_s = rec.window_service_gpu_s();
    res.window_busy_gpu_s = rec.window_busy_gpu_s();
    res.recorder_it_energy_window_j = rec.window_compute_energy_j();
    res.it_peak_w = rec.window_peak_it_power_w();
    res.fabric_energy_window_j = rec.window_fabric_energy_j();
    res.facility_peak_w = rec.window_peak_facility_power_w();
    res.capped_s = rec.window_capped_s();
    res.throttled_gpu_s = rec.window_throttled_gpu_s();
    res.off_gpu_s = rec.window_off_gpu_s();
    res.down_node_s = rec.window_down_node_s();
    res.job_failures = job_failures_;
    res.window_tranches = rec.window_tranches();
    res.window_tranches.resize(s.sc.cluster.tranches.size());  // a window without any state has none
    res.hourly_window_it_j = rec.hourly_window_it_j();
    res.hourly_window_facility_j = rec.hourly_window_facility_j();
    res.hourly_window_cap_room_s = rec.hourly_window_cap_room_s();
    res.run_hourly_facility_j = rec.run_hourly_facility_j();
    res.run_it_j = rec.run_it_j();
    res.run_hourly_facility_j.resize(s.sc.training_runs.size(), std::vector<double>(s.facility.multiplier.size(), 0.0));
    res.run_it_j.resize(s.sc.training_runs.size(), 0.0);
    res.reservation_shortfall_nodes = s.sched.reservation_shortfall();
    res.facility = s.facility;
    if (platform_.highways) res.highway_traffic = platform_.highways->traffic();
    res.fabric_traffic = s.fabric_traffic;
    out.push_back(std::move(res));
  }
  return out;
}

std::vector<RunResult> Simulation::run() {
  if (opt_.handle_signals) block_stop_signals();
  xbt_log_control_set("root.thres:critical");
  int argc = 1;
  char name[] = "capsim";
  char* argv[] = {name, nullptr};
  sg4::Engine engine(&argc, argv);
  // Workers only wait on activities: small stacks without guard pages let tens of thousands coexist.
  engine.set_config("contexts/stack-size:128");
  engine.set_config("contexts/guard-size:0");
  sg_host_energy_plugin_init();
  if (sc_.network.enabled || !sc_.highways.empty() ||
      std::any_of(sc_.members.begin(), sc_.members.end(), [](const Scenario& m) { return m.network.enabled; }))
    use_fabric_network_model(engine);
  platform_ = build_platform(sites_, sc_.highways, sc_.horizon_s, sc_.warmup_s, sc_.timeseries_interval_s, stats_);
  sg4::Host* controller = platform_.controller;
  sched_mutex_ = sg4::Mutex::create();
  completed_.cv = sg4::ConditionVariable::create();
  workers_ = std::make_unique<WorkerPool>(controller, platform_.timer, sc_.horizon_s, completed_, stats_);
  sg4::Actor::create("scheduler", controller, [this] { scheduler_actor(); });
  if (sc_.failures.enabled) {
    injector_mutex_ = sg4::Mutex::create();
    injector_cv_ = sg4::ConditionVariable::create();
    sg4::Actor::create("injector", controller, [this] { injector_actor(); })->daemonize();
  }
  engine.run();
  if (error_) std::rethrow_exception(error_);
  if (interrupted_) {
    if (opt_.progress) std::fprintf(stderr, "\n");
    throw Interrupted();
  }
  return results();
}

std::vector<RunResult> run_sites(const Scenario& s, const RunOptions& opt) {
  Simulation sim(s, opt);
  return sim.run();
}

RunResult run_simulation(const Scenario& s, const RunOptions& opt) {
  if (s.federated()) throw std::logic_error("capsim: run_simulation on a federation; use run_sites");
  return std::move(run_sites(s, opt).front());
}

}  // namespace capsim
