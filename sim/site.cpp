#include "sim/site.hpp"

#include <algorithm>
#include <bitset>
#include <stdexcept>

#include <simgrid/plugins/energy.h>

#include "models/common/calendar.hpp"

namespace capsim {

Site::Site(const Scenario& s, int index)
    : sc(s),
      index(index),
      sched(s.cluster.nodes, s.cluster.gpus_per_node, s.policy),
      facility(make_facility_model(s)),
      ctl(s.cluster, s.facility, facility),
      rec(s.horizon_s, s.warmup_s, s.timeseries_interval_s, facility),
      tranche_load(s.cluster.tranches.size()),
      gpus_in_service(s.cluster.gpus()),
      utc_offset_s(s.site_utc_offset_s) {
  run_jobs.assign(s.training_runs.size(), -1);
  sched.set_groups(s.cluster.generation_starts());
  if (s.network.enabled && s.topology_placement) {
    std::vector<int> group_of_node(static_cast<std::size_t>(s.cluster.nodes)), pod_of_group(s.fabric.groups.size());
    for (int p = 0; p < static_cast<int>(ctl.pods().size()); ++p)
      for (int i = 0; i < ctl.pod(p).nodes; ++i) group_of_node[static_cast<std::size_t>(ctl.pod(p).first_node + i)] = p;
    for (std::size_t fp = 0; fp < s.fabric.pods.size(); ++fp)
      for (int g = s.fabric.pods[fp].first_group; g < s.fabric.pods[fp].first_group + s.fabric.pods[fp].groups; ++g)
        pod_of_group[static_cast<std::size_t>(g)] = static_cast<int>(fp);
    sched.set_fabric(std::move(group_of_node), std::move(pod_of_group));
  }
  for (const Tranche& t : s.cluster.tranches) service_rate += static_cast<double>(t.nodes) * s.cluster.gpus_per_node * t.speed;
  if (s.failures.enabled) init_failures();
}

void Site::apply(const PodSwitch& s) {
  const PodState& p = ctl.pod(s.pod);
  if (s.for_cap) sched.set_available(p.first_node, p.nodes, s.on);
  if (s.drain) return;
  if (s.on) hosts[s.pod]->turn_on();
  else hosts[s.pod]->turn_off();
}

void Site::add_to_pod(int pod, int busy, int held, double job_speed) {
  busy_rate += busy * job_speed;
  held_rate += held * job_speed;
  TrancheLoad& t = tranche_load[static_cast<std::size_t>(ctl.pod(pod).tranche)];
  t.gpus_busy += busy;
  t.gpus_allocated += held;
  t.busy_rate += busy * job_speed;
  t.held_rate += held * job_speed;
  // A retired pod switches off once its last job ends.
  if (auto off = ctl.add_load(pod, busy, held)) apply(*off);
}

bool Site::pin_reserved(double now) {
  if (sched.pins_version() == pins_seen) return false;
  pins_seen = sched.pins_version();
  std::vector<char> want(hosts.size(), 0);
  for (int n : sched.pinned_nodes()) want[static_cast<std::size_t>(node_pod[static_cast<std::size_t>(n)])] = 1;
  bool added = false;
  for (std::size_t p = 0; p < hosts.size(); ++p) {
    const int pod = static_cast<int>(p);
    if (static_cast<bool>(want[p]) == ctl.pod(pod).pinned) continue;
    if (auto s = ctl.pin(now, pod, want[p] != 0)) {
      apply(*s);
      added = true;
    }
  }
  return added;
}

bool Site::manage_pods(double now, bool allow_on) {
  bool added = pin_reserved(now);
  for (const PodSwitch& s : ctl.manage_pods(now, queued_gpus, allow_on)) {
    apply(s);
    added = added || s.on;
  }
  return added;
}

void Site::limit_starts(double now) {
  if (auto limit = ctl.start_limit(now)) sched.set_start_limit(*limit);
}

void Site::apply_power_cap(double now) {
  if (!ctl.update_level(now)) return;
  for (std::size_t p = 0; p < hosts.size(); ++p) hosts[p]->set_pstate(static_cast<int>(ctl.level(static_cast<int>(p))));
}

void Site::service_changes(double now) {
  const ClusterSpec& c = sc.cluster;
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    const Tranche& tr = c.tranches[t];
    bool should_serve = tr.arrive_s <= now && now < tr.retire_s;
    if (should_serve == ctl.in_service(static_cast<int>(t))) continue;
    sched.set_available(tr.first_node, tr.nodes, should_serve);
    gpus_in_service += (should_serve ? 1 : -1) * static_cast<long long>(tr.nodes) * c.gpus_per_node;
    service_rate += (should_serve ? 1 : -1) * static_cast<double>(tr.nodes) * c.gpus_per_node * tr.speed;
    for (const PodSwitch& s : ctl.set_in_service(static_cast<int>(t), should_serve, now >= tr.retire_s)) apply(s);
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

void Site::record(double now) {
  ClusterState& s = recorded;
  s.gpus_allocated = gpus_held;
  s.gpus_busy = gpus_busy;
  s.jobs_running = static_cast<long long>(sched.running());
  s.jobs_queued = static_cast<long long>(sched.queued());
  s.speed = ctl.speed();
  s.held_by_cap = sched.limited();
  s.compute_power_w = ctl.compute_power_w();
  s.fabric_power_w = ctl.fabric_power_w();
  s.gpus_in_service = gpus_in_service;
  s.gpus_off = ctl.gpus_off();
  s.service_rate = service_rate;
  s.busy_work_rate = busy_rate * s.speed;
  s.held_work_rate = held_rate * s.speed;
  s.tranches.assign(tranche_load.begin(), tranche_load.end());
  s.cap_room = false;
  s.nodes_down = nodes_down;
  s.run_compute_w.resize(run_jobs.size());
  for (std::size_t k = 0; k < run_jobs.size(); ++k) s.run_compute_w[k] = run_jobs[k] >= 0 ? run_power_w(run_jobs[k]) : 0;
  if (sc.facility.power_cap_w && !ctl.holds() && (s.gpus_off > 0 || s.speed < 1) && sched.queued() > 0 &&
      now - ctl.last_switch_s() >= ctl.switch_interval_s()) {
    const NodePool& pool = sched.pool();
    const int head = sched.head_gpus(), gpn = pool.gpus_per_node();
    s.cap_room = head <= gpn ? s.gpus_off > 0 || pool.place(head).has_value()
                             : pool.nodes_needed(head) <= pool.free_nodes() + s.gpus_off / gpn;
  }
  rec.set(now, s);
}

double Site::run_power_w(JobId id) const {
  auto it = job_pods.find(id);
  if (it == job_pods.end()) return 0;
  const double gpn = sc.cluster.gpus_per_node;
  double w = 0;
  for (const PodShare& ps : it->second) {
    const Tranche& tr = sc.cluster.tranches[static_cast<std::size_t>(ctl.pod(ps.pod).tranche)];
    w += ps.held / gpn * tr.idle_w + ps.busy / gpn * tr.active_w() * ctl.active_scale();
  }
  return w;
}

double Site::plugin_energy() const {
  double e = 0;
  for (const auto* h : hosts) e += sg_host_get_consumed_energy(h);
  return e;
}

void Site::submit(JobRecord& r) {
  r.site = index;
  const TrainingRunSpec* run = sc.run_of_class(r.job.class_index);
  if (run) run_jobs[static_cast<std::size_t>(r.job.class_index - sc.source_classes())] = r.job.id;
  const double estimate = estimate_of(r);
  const JobRequest req{r.job.id, r.job.gpus, r.job.submit_s, estimate};
  const bool accepted = run && run->reservation
                            ? sched.submit_reserved(req, run->reservation->start_s, run->reservation->start_s + run->reservation->duration_s)
                            : sched.submit(req);
  if (!accepted) {
    r.status = JobStatus::rejected;
    return;
  }
  queued_work_gpu_s += r.job.gpus * estimate;
  queued_gpus += r.job.gpus;
}

void Site::flow_moved(const RingFlow& f, double bytes, double t0, double t1) {
  // Up its source group's uplink and down its destination's; between pods, up and down the spines' too.
  fabric_traffic->add(0, 2 * bytes, t0, t1);
  if (fabric_traffic->groups() > 1 && group_pod[static_cast<std::size_t>(f.src)] != group_pod[static_cast<std::size_t>(f.dst)])
    fabric_traffic->add(1, 2 * bytes, t0, t1);
}

void Site::incoming(JobRecord& r) {
  r.site = index;
  incoming_work_gpu_s += r.job.gpus * r.job.estimate_s;
  ++incoming_jobs;
}

void Site::arrived(const JobRecord& r) {
  incoming_work_gpu_s -= r.job.gpus * r.job.estimate_s;
  --incoming_jobs;
}

Site::Launch Site::place(const StartDecision& d, JobRecord& r, EngineStats& stats, bool from_queue) {
  // A job spread over generations runs at the pace of its slowest GPUs (they synchronise): every pod
  // gets the work its speed does in the job's run time, so all its execs end together.
  double job_speed = std::numeric_limits<double>::infinity();
  for (const auto& share : d.placement) job_speed = std::min(job_speed, pod_speed(node_pod[share.node]));
  Launch launch;
  std::vector<PodShare>& shares = job_pods[d.id];
  std::size_t i = 0;
  while (from_queue && i < d.placement.size()) {
    int pod = node_pod[d.placement[i].node];
    if (!ctl.pod(pod).on) throw std::logic_error("capsim: job " + std::to_string(d.id) + " placed on switched-off pod " + std::to_string(pod));
    int threads = 0, pod_held = 0;
    for (; i < d.placement.size() && node_pod[d.placement[i].node] == pod; ++i) {
      threads += d.placement[i].used;
      pod_held += d.placement[i].held;
    }
    r.gpus_held += pod_held;
    shares.push_back({pod, threads, pod_held, job_speed, threads});
    add_to_pod(pod, threads, pod_held, job_speed);
  }
  // Restarting in place, it keeps its pods and their load (Site::interrupt).
  for (const PodShare& ps : shares) {
    if (ps.threads == 0) continue;
    launch.pod_threads.emplace_back(ps.pod, ps.threads);
    ++stats.execs_started;
  }
  std::bitset<128> generations;  // at most 65 tranches, so at most 65 accelerators
  for (const PodShare& ps : shares) generations.set(static_cast<std::size_t>(pod_generation[ps.pod]));
  r.generations = static_cast<int>(generations.count());
  launch.work = r.job.run_s / job_speed;
  if (sc.failures.enabled) {
    JobFailures& f = failures_of(r);
    f.pace = std::max(f.pace, job_speed);  // the fastest it ran at: its failure-free run time is the shortest
    Running& run = attempts[d.id];
    run.attempt = attempt_of(r, r.job.run_s - f.saved_s, job_speed, static_cast<int>(d.placement.size()));
    run.start_s = simgrid::s4u::Engine::get_clock();
    run.pace = job_speed;
    run.nodes.clear();
    for (const NodeShare& n : d.placement) {
      run.nodes.push_back(n.node);
      node_jobs[static_cast<std::size_t>(n.node)].push_back(d.id);
    }
    launch.work = run.attempt.total_s();
  }
  if (sc.network.enabled) plan_flows(r, d, shares, launch);
  stats.comms_started += static_cast<long long>(launch.flows.size());
  if (from_queue) {
    gpus_held += r.gpus_held;
    gpus_busy += r.job.gpus;
    queued_work_gpu_s = sched.queued() == 0 ? 0 : queued_work_gpu_s - r.job.gpus * estimate_of(r);
    queued_gpus -= r.job.gpus;
  }
  return launch;
}

void Site::plan_flows(JobRecord& r, const StartDecision& d, const std::vector<PodShare>& shares, Launch& launch) {
  std::vector<GroupShare> ring;
  std::vector<int> pods;
  for (const PodShare& ps : shares) {
    if (ps.busy == 0) continue;
    ring.push_back({ps.pod, ps.busy, sc.network.nic_bps[static_cast<std::size_t>(ctl.pod(ps.pod).tranche)] / 8});
    if (std::find(pods.begin(), pods.end(), group_pod[ps.pod]) == pods.end()) pods.push_back(group_pod[ps.pod]);
  }
  r.host_groups = static_cast<int>(ring.size());
  r.fabric_pods = static_cast<int>(pods.size());
  const CommProfile* profile = sc.class_comm(r.job.class_index);
  if (!profile) return;
  // Scale-up domains are consecutive nodes of a tranche (a node when it is one).
  const int per_domain = std::max(1, sc.network.scale_up_gpus / sc.cluster.gpus_per_node);
  int domains = 0;
  long long last = -1;
  for (const NodeShare& n : d.placement) {
    if (n.used == 0) continue;
    const Tranche& tr = sc.cluster.tranches[static_cast<std::size_t>(ctl.pod(node_pod[n.node]).tranche)];
    const long long key = (static_cast<long long>(tr.first_node) << 32) + (n.node - tr.first_node) / per_domain;
    if (key != last) ++domains;
    last = key;
  }
  RingPlan plan = plan_ring(ring, domains, *profile, r.job.gpus, r.job.run_s - saved_s(r), sc.cluster.gpus_per_node, group_pod, sc.network.link_latency_s);
  r.communicates = plan.communicates;
  r.over_fabric = !plan.flows.empty();
  for (const RingFlow& f : plan.flows) r.fabric_bytes += f.bytes;
  track_links(r.job.id, plan.flows);
  launch.flows = std::move(plan.flows);
  launch.local_s = plan.local_s;
  launch.latency_s = plan.latency_s;
  launch.overlap = profile->overlap;
}

void Site::track_links(JobId id, const std::vector<RingFlow>& flows) {
  if (flows.empty()) return;
  const int groups = static_cast<int>(group_pod.size());
  if (link_jobs.empty()) link_jobs.resize(2 * static_cast<std::size_t>(groups + sc.fabric.pods.size()));
  std::vector<int>& links = job_links[id];
  for (const RingFlow& f : flows) {
    links.push_back(2 * f.src);
    links.push_back(2 * f.dst + 1);
    const int a = group_pod[f.src], b = group_pod[f.dst];
    if (a != b && sc.network.tiers == 3) {
      links.push_back(2 * (groups + a));
      links.push_back(2 * (groups + b) + 1);
    }
  }
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  for (int l : links) {
    std::vector<JobId>& on = link_jobs[static_cast<std::size_t>(l)];
    if (!on.empty()) {
      shared_jobs.insert(id);
      shared_jobs.insert(on.begin(), on.end());
    }
    on.push_back(id);
  }
}

void Site::untrack_links(JobRecord& r) {
  auto it = job_links.find(r.job.id);
  if (it == job_links.end()) return;
  for (int l : it->second) {
    std::vector<JobId>& on = link_jobs[static_cast<std::size_t>(l)];
    on.erase(std::find(on.begin(), on.end(), r.job.id));
  }
  job_links.erase(it);
  r.shared_link = shared_jobs.erase(r.job.id) > 0;
}

void Site::compute_done(JobRecord& r) {
  r.compute_end_s = simgrid::s4u::Engine::get_clock();
  gpus_busy -= r.job.gpus;
  for (PodShare& ps : job_pods.at(r.job.id)) {
    add_to_pod(ps.pod, -ps.busy, 0, ps.speed);
    ps.busy = 0;
  }
}

void Site::complete(JobRecord& r) {
  if (sc.failures.enabled) {
    end_attempt(r, 1, simgrid::s4u::Engine::get_clock());
    failures_of(r).saved_s = r.job.run_s;
  }
  release(r);
}

void Site::release(JobRecord& r) {
  untrack_links(r);
  if (r.compute_end_s < 0) {
    r.compute_end_s = simgrid::s4u::Engine::get_clock();
    gpus_busy -= r.job.gpus;
  }
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
  v.can_start_now = sched.queued() == 0 && incoming_jobs == 0 && pool.place(j.gpus).has_value();
  v.queued_work_gpu_s = queued_work_gpu_s + incoming_work_gpu_s;
  v.gpus_on = gpus_in_service - ctl.gpus_off();
  v.gpus_free = std::max<long long>(0, v.gpus_on - gpus_held);
  if (sc.site) {
    LocalTime lt = local_time(now, sc.start_epoch_s, utc_offset_s);
    v.price_usd_per_kwh = sc.costs.fx.to_usd({sc.site->tariff.price(lt), sc.site->tariff.currency});
    v.carbon_g_per_kwh = site_carbon_g_per_kwh(*sc.site, lt);
  }
  return v;
}

}  // namespace capsim
