// Jobs on the fabric against closed forms (one SimGrid engine per process: ctest starts this binary once
// per case):
//   capsim_fabric_test bisection SCENARIO [--set PATH=VALUE]...
//       flows from every host group of the first half of the nodes to one of the second half, all at once:
//       their aggregate rate equals the graph's max-flow bisection (fabric_graph.hpp) within 1 %
//   capsim_fabric_test ring N SCENARIO [--set ...]
//       the scenario's first job alone (a communication-bound ring over N scale-up domains):
//       time per step = 2 (N - 1) / N x S / B + 2 (N - 1) x path latency, within 5 %
//   capsim_fabric_test ratio R TOLERANCE SCENARIO_ALONE SCENARIO_TOGETHER
//       the first job's communication time with the second over its time alone (its trace without the
//       second): R within TOLERANCE (relative). Run as two processes by the wrapper below.
//   capsim_fabric_test runtime SECONDS SCENARIO [--set ...]
//       the first job's run time is SECONDS (relative 1e-9)
//   capsim_fabric_test time SCENARIO [--set ...]
//       prints the first job's run time (for `ratio`, and for the compute-bound check)
//   capsim_fabric_test slowdown SCENARIO [--set ...]
//       prints the mean communication slowdown of the communicating jobs completed, after checking that
//       each job spans no more host groups than its nodes fill nor fabric pods than it needs
//   capsim_fabric_test serial SCENARIO [--set ...]
//       with overlap false and no link latency, the first job takes its compute time plus its traffic at
//       its NICs' rate (flat fabric, alone on its uplinks): T = T_compute + T_comm
//   capsim_fabric_test traffic SCENARIO [--set ...]
//       every job completes: the leaf uplinks carried each flow's bytes twice (up, then down), over the run and
//       summed over the timeseries intervals (1e-9); spine uplinks carried something exactly when a
//       communicating job spanned pods, and never more than the leaves; no interval above full utilisation
//   capsim_fabric_test below A B MARGIN
//       A <= B x (1 - MARGIN)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "models/network/fabric_graph.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/engine.hpp"
#include "sim/platform.hpp"
#include "sim/site.hpp"
#include "tests/integration/scenario_args.hpp"

namespace sg4 = simgrid::s4u;
using namespace capsim;

namespace {

bool within(double got, double want, double rel, const char* what) {
  const bool ok = std::fabs(got - want) <= rel * std::fabs(want);
  std::printf("%s: %s %.9g, expected %.9g (tolerance %.2g %%)\n", ok ? "ok" : "FAIL", what, got, want, rel * 100);
  return ok;
}

int bisection(const Scenario& s) {
  const FabricMeasures m = measure_fabric(s.fabric, s.network, s.cluster);
  xbt_log_control_set("root.thres:critical");
  int argc = 1;
  char name[] = "capsim_fabric_test";
  char* argv[] = {name, nullptr};
  sg4::Engine engine(&argc, argv);
  use_fabric_network_model(engine);
  sg_host_energy_plugin_init();
  std::vector<std::unique_ptr<Site>> sites;
  sites.push_back(std::make_unique<Site>(s, 0));
  EngineStats stats;
  Platform p = build_platform(sites, {}, 1e9, 0, 3600, stats);
  // The halves as measure_fabric splits the nodes (build order); host groups split whole here.
  const auto& groups = s.fabric.groups;
  const int half = static_cast<int>(groups.size()) / 2;
  if (s.fabric.groups[static_cast<std::size_t>(half)].first_node != s.cluster.nodes / 2) {
    std::printf("FAIL: the halves divide a host group\n");
    return 1;
  }
  const double bytes = 1e12;
  double end = 0;
  sg4::Actor::create("flows", p.controller, [&] {
    std::vector<sg4::CommPtr> comms;
    for (int g = 0; g < half; ++g)
      comms.push_back(sg4::Comm::sendto_async(sites[0]->nic_host(g, groups[static_cast<std::size_t>(g)].nodes), sites[0]->nic_host(g + half, 1),
                                              static_cast<std::uint64_t>(bytes * groups[static_cast<std::size_t>(g)].nodes)));
    sg4::Comm::wait_all(comms);
    end = sg4::Engine::get_clock();
  });
  engine.run();
  double total = 0;
  for (int g = 0; g < half; ++g) total += bytes * groups[static_cast<std::size_t>(g)].nodes;
  return within(total * 8 / end, m.bisection_bps, 0.01, "aggregate rate between the halves (bps)") ? 0 : 1;
}

double first_job_time(const Scenario& s) {
  RunResult r = run_simulation(s, {});
  if (r.jobs.empty() || r.jobs[0].status != JobStatus::completed) {
    std::printf("FAIL: the first job did not complete\n");
    std::exit(1);
  }
  return r.jobs[0].end_s - r.jobs[0].start_s;
}

int ring(int n, const Scenario& s) {
  RunResult r = run_simulation(s, {});
  const JobRecord& j = r.jobs.at(0);
  if (j.status != JobStatus::completed || !j.communicates) {
    std::printf("FAIL: the first job did not complete communicating\n");
    return 1;
  }
  for (std::size_t i = 1; i < r.jobs.size(); ++i)
    if (r.jobs[i].start_s >= 0 && r.jobs[i].start_s < j.end_s) {
      std::printf("FAIL: job %zu ran alongside the first\n", i);
      return 1;
    }
  const CommProfile& p = *s.class_comm(0);
  // Each GPU's shard of the gradients, all-reduced over the N replicas (one per domain here).
  const double shard = p.parameters * p.bytes_per_parameter * p.data_parallel / j.job.gpus;
  const double nic = s.network.nic_bps[0] / 8;
  const double uplink = s.fabric.leaf_up_ports * s.network.link_bps / 8 / (s.cluster.gpus_per_node * s.network.nodes_per_leaf);
  const double b = std::min(nic, uplink);
  const double path_latency = 4 * s.network.link_latency_s;  // node, leaf, spine, leaf, node
  const double step = 2.0 * (n - 1) / n * shard / b + 2.0 * (n - 1) * path_latency;
  const double steps = j.job.run_s / p.step_s;
  return within((j.end_s - j.start_s) / steps, step, 0.05, "time per step (s)") ? 0 : 1;
}

int serial(const Scenario& s) {
  RunResult r = run_simulation(s, {});
  const JobRecord& j = r.jobs.at(0);
  const CommProfile& p = *s.class_comm(0);
  const double comm = p.bytes_per_gpu_s(j.job.gpus) * j.job.run_s / (s.network.nic_bps[0] / 8);
  bool ok = within(j.compute_end_s - j.start_s, j.job.run_s, 1e-12, "computation (s)");
  ok = within(j.end_s - j.start_s, j.job.run_s + comm, 1e-9, "run time, computation then communication (s)") && ok;
  // Both jobs of the pair are alike on disjoint uplinks: they end at one instant.
  if (r.jobs.size() > 1) ok = within(r.jobs[1].end_s, j.end_s, 0, "the second job's end (s)") && ok;
  return ok ? 0 : 1;
}

double mean_slowdown(const Scenario& s) {
  RunResult r = run_simulation(s, {});
  double sum = 0;
  long long n = 0;
  const int per_group = s.fabric.group_nodes.empty() ? 1 : s.fabric.group_nodes[0];
  const int groups_per_pod = s.fabric.pods.empty() ? 1 : s.fabric.pods[0].groups;
  for (const JobRecord& j : r.jobs) {
    if (j.start_s < 0) continue;
    const int least_groups = (j.nodes + per_group - 1) / per_group;
    if (s.topology_placement && j.fabric_pods > (least_groups + groups_per_pod - 1) / groups_per_pod + 1) {
      std::printf("FAIL: job %lld spans %d fabric pods for %d nodes\n", static_cast<long long>(j.job.id), j.fabric_pods, j.nodes);
      std::exit(1);
    }
    if (j.status != JobStatus::completed || !j.communicates) continue;
    sum += (j.end_s - j.start_s) / (j.compute_end_s - j.start_s);
    ++n;
  }
  return n > 0 ? sum / static_cast<double>(n) : 1.0;
}

int traffic(const Scenario& s) {
  RunResult r = run_simulation(s, {});
  double bytes = 0;
  bool across_pods = false;
  for (const JobRecord& j : r.jobs) {
    if (j.status != JobStatus::completed) {
      std::printf("FAIL: job %lld did not complete\n", static_cast<long long>(j.job.id));
      return 1;
    }
    bytes += j.fabric_bytes;
    across_pods = across_pods || (j.over_fabric && j.fabric_pods > 1);
  }
  const LinkTraffic& t = *r.fabric_traffic;
  bool ok = within(t.window_bytes(0), 2 * bytes, 1e-9, "leaf uplink bytes");
  for (std::size_t g = 0; g < t.groups(); ++g) {
    double sum = 0, cap = t.window_bytes(g) / std::max(1e-300, t.window_utilization(g) * s.horizon_s);  // capacity, bytes/s
    for (std::size_t k = 0; k < t.intervals(); ++k) {
      const double len = std::min(s.horizon_s, (k + 1) * s.timeseries_interval_s) - k * s.timeseries_interval_s;
      sum += t.interval_utilization(g, k) * cap * len;
      if (t.interval_utilization(g, k) > 1 + 1e-9) {
        std::printf("FAIL: tier %zu above full utilisation in interval %zu: %.9g\n", g, k, t.interval_utilization(g, k));
        ok = false;
      }
    }
    if (t.window_bytes(g) > 0) ok = within(sum, t.window_bytes(g), 1e-9, g == 0 ? "leaf bytes over the intervals" : "spine bytes over the intervals") && ok;
  }
  if (t.groups() > 1) {
    const bool spine = t.window_bytes(1) > 0;
    std::printf("%s: spine uplinks carried %.9g bytes; a job's flows crossed pods: %s\n", spine == across_pods && t.window_bytes(1) <= t.window_bytes(0) ? "ok" : "FAIL",
                t.window_bytes(1), across_pods ? "yes" : "no");
    ok = ok && spine == across_pods && t.window_bytes(1) <= t.window_bytes(0);
  }
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "bisection") return bisection(scenario_from_args(argc - 1, argv + 1));
    if (mode == "ring" && argc > 3) return ring(std::atoi(argv[2]), scenario_from_args(argc - 2, argv + 2));
    if (mode == "time") {
      std::printf("%.17g\n", first_job_time(scenario_from_args(argc - 1, argv + 1)));
      return 0;
    }
    if (mode == "serial") return serial(scenario_from_args(argc - 1, argv + 1));
    if (mode == "runtime" && argc > 3)
      return within(first_job_time(scenario_from_args(argc - 2, argv + 2)), std::atof(argv[2]), 1e-9, "run time (s)") ? 0 : 1;
    if (mode == "traffic") return traffic(scenario_from_args(argc - 1, argv + 1));
    if (mode == "slowdown") {
      std::printf("%.17g\n", mean_slowdown(scenario_from_args(argc - 1, argv + 1)));
      return 0;
    }
    if (mode == "below" && argc == 5) {
      const double a = std::atof(argv[2]), b = std::atof(argv[3]), margin = std::atof(argv[4]);
      const bool ok = a <= b * (1 - margin);
      std::printf("%s: mean slowdown %.6g with topology placement, %.6g in node order (at least %.0f %% lower required)\n", ok ? "ok" : "FAIL", a, b, margin * 100);
      return ok ? 0 : 1;
    }
    if (mode == "ratio" && argc == 6) {
      const double want = std::atof(argv[2]), tol = std::atof(argv[3]), got = std::atof(argv[4]) / std::atof(argv[5]);
      return within(got, want, tol, "communication time together over alone") ? 0 : 1;
    }
  } catch (const std::exception& e) {
    std::printf("FAIL: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: see the top of tests/integration/fabric_test.cpp\n");
  return 2;
}
