// A site's failures (docs/failures.md): the units each class's failures take down, outages from failure to
// repair with their hanging jobs, spares, lemon nodes; and the accounting of a job's checkpointed attempts.
#include <algorithm>
#include <cmath>

#include "sim/site.hpp"

namespace capsim {

void Site::init_failures() {
  const FailureSpec& f = sc.failures;
  // Spares are the last nodes: out of the pool for good (they stand in by count, not by place).
  working_nodes = sc.cluster.nodes - f.spare_nodes;
  for (int n = working_nodes; n < sc.cluster.nodes; ++n) sched.set_down(n, true);
  spares_ready = f.spare_nodes;
  node_jobs.resize(static_cast<std::size_t>(sc.cluster.nodes));
  down_by.assign(static_cast<std::size_t>(sc.cluster.nodes), 0);
  node_failures.assign(static_cast<std::size_t>(sc.cluster.nodes), 0);
  maintained.assign(static_cast<std::size_t>(sc.cluster.nodes), 0);
  std::vector<int> units;
  for (const FailureClass& c : f.classes) units.push_back(units_of(c.domain));
  injector.emplace(f, sc.seed, index, units);
  if (f.maintenance.enabled) injector->plan_maintenance(units_of(f.maintenance.domain));
  for (std::size_t c = 0; c < f.classes.size(); ++c) node_failure_rate += units[c] / f.classes[c].mtbf_s / working_nodes;
  lemon.assign(static_cast<std::size_t>(sc.cluster.nodes), 0);
  for (int n = 0; n < working_nodes; ++n) lemon[static_cast<std::size_t>(n)] = injector->lemon(n);
  result.lemon_nodes = std::count(lemon.begin(), lemon.end(), 1);
  result.class_failures.assign(f.classes.size(), 0);
  result.class_interruptions.assign(f.classes.size(), 0);
  for (std::size_t c = 0; c < f.classes.size(); ++c)
    for (int u = 0; u < units[c]; ++u) injector->up(static_cast<int>(c), u, 0, multiplier(static_cast<int>(c), u));
}

double Site::multiplier(int cls, int unit) const {
  const bool node_class = sc.failures.classes[static_cast<std::size_t>(cls)].domain == FailureDomain::node;
  return node_class && lemon[static_cast<std::size_t>(unit)] ? sc.failures.lemons.multiplier : 1;
}

int Site::units_of(FailureDomain d) const {
  const int per = d == FailureDomain::rack ? sc.failures.nodes_per_rack : sc.failures.nodes_per_leaf;
  if (d == FailureDomain::node) return working_nodes;
  if (d == FailureDomain::leaf && sc.network.enabled) return static_cast<int>(ctl.pods().size());
  return (working_nodes + per - 1) / per;
}

std::vector<int> Site::nodes_in(FailureDomain d, int unit) const {
  const FailureSpec& f = sc.failures;
  if (d == FailureDomain::node) return {unit};
  int first = unit * (d == FailureDomain::rack ? f.nodes_per_rack : f.nodes_per_leaf), count = d == FailureDomain::rack ? f.nodes_per_rack : f.nodes_per_leaf;
  if (d == FailureDomain::leaf && sc.network.enabled) {
    first = ctl.pod(unit).first_node;
    count = ctl.pod(unit).nodes;
  }
  std::vector<int> out;
  for (int n = first; n < std::min(first + count, working_nodes); ++n) out.push_back(n);  // spares do not fail
  return out;
}

std::vector<JobId> Site::jobs_on(const std::vector<int>& nodes) const {
  std::vector<JobId> jobs;
  for (int n : nodes)
    for (JobId id : node_jobs[static_cast<std::size_t>(n)])
      if (std::find(jobs.begin(), jobs.end(), id) == jobs.end()) jobs.push_back(id);
  return jobs;
}

void Site::refresh_pool(int node) { sched.set_down(node, out_of_pool(node)); }

void Site::mark_down(int node, int delta) {
  int& d = down_by[static_cast<std::size_t>(node)];
  const bool was = d > 0;
  d += delta;
  if (was == (d > 0)) return;
  refresh_pool(node);
  nodes_down += d > 0 ? 1 : -1;
}

std::vector<JobId> Site::unit_failed(const FailureEvent& e, double now) {
  const std::vector<int> nodes = nodes_in(sc.failures.classes[static_cast<std::size_t>(e.cls)].domain, e.unit);
  // A unit whose nodes are all switched off (under a cap, or out of service), down, retired or in their
  // maintenance window cannot fail: its next failure is drawn from now.
  const bool on = std::any_of(nodes.begin(), nodes.end(), [&](int n) {
    const auto k = static_cast<std::size_t>(n);
    return ctl.pod(node_pod[k]).on && down_by[k] == 0 && maintained[k] != kInWindow;
  });
  if (!on) {
    injector->up(e.cls, e.unit, now, multiplier(e.cls, e.unit));
    return {};
  }
  ++result.node_failures;
  ++result.class_failures[static_cast<std::size_t>(e.cls)];
  Outage o;
  o.nodes = nodes;
  const bool node_class = sc.failures.classes[static_cast<std::size_t>(e.cls)].domain == FailureDomain::node;
  if (node_class) {
    const int n = nodes.front();
    if (lemon[static_cast<std::size_t>(n)]) ++result.lemon_failures;
    const int k = sc.failures.lemons.retire_after;
    o.retire = k > 0 && ++node_failures[static_cast<std::size_t>(n)] >= k;
  }
  o.stand_in = node_class && !o.retire && spares_ready > 0;
  if (o.stand_in) {
    --spares_ready;
    ++result.spare_stand_ins;
  }
  const RepairDraw d = injector->repair(e.cls, e.unit, now, o.stand_in);
  account_repair(d, now);
  for (int n : nodes) mark_down(n, 1);
  o.jobs = jobs_on(nodes);
  result.class_interruptions[static_cast<std::size_t>(e.cls)] += static_cast<long long>(o.jobs.size());
  std::vector<JobId> jobs = o.jobs;
  outages[{e.cls, e.unit}] = std::move(o);
  events = true;
  return jobs;
}

// Time from `from` to `from + d` inside the window, added to repair stage `stage`.
void Site::account_stage(int stage, double from, double d) {
  const double a = std::max(from, sc.warmup_s), b = std::min(from + d, sc.horizon_s);
  if (b > a) result.repair_stage_s[static_cast<std::size_t>(stage)] += b - a;
}

void Site::account_repair(const RepairDraw& d, double now) {
  // Each stage's time inside the window, for the mean number of repairs in it; with a limit on
  // technicians, the manual stage is added when it starts (`technician`).
  account_stage(0, now, d.detect_s);
  account_stage(1, now + d.detect_s, d.automatic_s);
  const bool waits = sc.failures.technicians > 0;
  if (!waits) account_stage(2, now + d.detect_s + d.automatic_s, d.manual_s);
  if (d.manual_s > 0) ++result.escalations;
  result.repair_total_s += waits ? d.detect_s + d.automatic_s : d.total_s();
  ++result.repairs;
}

void Site::technician(const FailureEvent& e) {
  const std::optional<ManualRepair> m = injector->technician(e);
  if (!m) return;
  const double wait = e.time_s - m->queued_s;
  account_stage(3, m->queued_s, wait);
  account_stage(2, e.time_s, m->manual_s);
  result.repair_total_s += wait + m->manual_s;
  result.technician_wait_s += wait;
  ++result.technician_starts;
}

void Site::finish_failures() {
  // Repairs still waiting for a technician at the horizon: their wait so far.
  for (int ref : injector->waiting()) account_stage(3, injector->manual(ref).queued_s, sc.horizon_s - injector->manual(ref).queued_s);
}

std::vector<JobId> Site::unit_detected(const FailureEvent& e, double now, bool& stand_in) {
  auto it = outages.find({e.cls, e.unit});
  if (it == outages.end()) return {};  // the failure was dropped (its unit was off)
  Outage& o = it->second;
  stand_in = o.stand_in;
  std::vector<JobId> jobs = std::move(o.jobs);
  o.jobs.clear();
  if (o.stand_in) {
    // The spare takes the node's place: the node works again; the failed machine's repair goes on.
    mark_down(o.nodes.front(), -1);
    injector->up(e.cls, e.unit, now, multiplier(e.cls, e.unit));
    outages.erase(it);
  }
  events = true;
  return jobs;
}

void Site::unit_repaired(const FailureEvent& e, double now) {
  auto it = outages.find({e.cls, e.unit});
  const Outage& o = it->second;
  for (int n : o.nodes) {
    if (o.retire) {
      // It leaves service for good: out of the pool still, no longer counted as down.
      --nodes_down;
      ++result.nodes_retired;
      continue;
    }
    mark_down(n, -1);
  }
  if (!o.retire) injector->up(e.cls, e.unit, now, multiplier(e.cls, e.unit));
  outages.erase(it);
  events = true;
}

bool Site::in_place_possible(JobId id) const {
  for (const NodeShare& n : sched.placement(id))
    if (out_of_pool(n.node)) return false;
  return true;
}

Attempt Site::attempt_of(const JobRecord& r, double work_s, double pace, int nodes) const {
  Attempt a;
  a.useful_s = work_s / pace;
  const CheckpointSpec* c = sc.class_checkpoint(r.job.class_index);
  if (!c) return a;
  a.restart_s = failures_of(r).interruptions > 0 ? c->restart_s : 0;
  a.cost_s = c->cost_s;
  a.interval_s = checkpoint_interval_s(*c, 1 / (node_failure_rate * nodes));
  return a;
}

double Site::estimate_of(const JobRecord& r) const {
  if (!sc.failures.enabled) return r.job.estimate_s;
  return attempt_of(r, std::max(0.0, r.job.estimate_s - saved_s(r)), 1, sched.pool().nodes_needed(r.job.gpus)).total_s();
}

Attempt::Progress Site::end_attempt(JobRecord& r, double done, double now) {
  auto it = attempts.find(r.job.id);
  const Running& run = it->second;
  Attempt::Progress p = run.attempt.at(done * run.attempt.total_s());
  for (double* x : {&p.restart_s, &p.saved_s, &p.unsaved_s, &p.checkpoint_s}) *x *= run.pace;
  JobFailures& f = failures_of(r);
  f.overhead_gpu_s += r.job.gpus * (p.restart_s + p.checkpoint_s);
  f.running_s += now - run.start_s;
  for (int n : run.nodes) {
    std::vector<JobId>& on = node_jobs[static_cast<std::size_t>(n)];
    on.erase(std::find(on.begin(), on.end(), r.job.id));
  }
  attempts.erase(it);
  return p;
}

double Site::interrupt(JobRecord& r, double done, double now) {
  const Attempt::Progress p = end_attempt(r, done, now);
  JobFailures& f = failures_of(r);
  f.saved_s += p.saved_s;
  r.done_gpu_s = r.job.gpus * f.saved_s;  // kept, whether it waits again or restarts
  f.lost_gpu_s += r.job.gpus * p.unsaved_s;
  ++f.interruptions;
  untrack_links(r);
  // It hangs until the failure is detected: its GPUs held, idle.
  if (r.compute_end_s < 0) compute_done(r);
  return r.job.gpus * p.unsaved_s;
}

void Site::resume(JobRecord& r, bool in_place) {
  if (in_place) {
    // It keeps its pods (a retired one emptied now would switch off under it), whose GPUs work again.
    gpus_busy += r.job.gpus;
    for (PodShare& ps : job_pods.at(r.job.id)) {
      add_to_pod(ps.pod, ps.threads, 0, ps.speed);
      ps.busy = ps.threads;
    }
  } else {
    release(r);
    r.gpus_held = 0;  // taken again where it restarts
  }
  r.compute_end_s = -1;
}

void Site::requeue(JobRecord& r) {
  r.status = JobStatus::queued;
  const double estimate = estimate_of(r);
  sched.resubmit({r.job.id, r.job.gpus, r.job.submit_s, estimate}, sc.failures.requeue_front);
  queued_work_gpu_s += r.job.gpus * estimate;
  queued_gpus += r.job.gpus;
}

double Site::progress_gpu_s(const JobRecord& r, double done) const {
  const Running& run = attempts.at(r.job.id);
  const Attempt::Progress p = run.attempt.at(done * run.attempt.total_s());
  return r.job.gpus * (failures_of(r).saved_s + (p.saved_s + p.unsaved_s) * run.pace);
}

}  // namespace capsim
