#include "sim/platform.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace sg4 = simgrid::s4u;

namespace capsim {

void Site::build(sg4::NetZone* zone, const std::string& prefix) {
  const ClusterSpec& c = sc.cluster;
  node_pod.resize(c.nodes);
  std::vector<std::string> accelerators;
  for (const PodState& pod : ctl.pods()) {
    const Tranche& tr = c.tranches[pod.tranche];
    const int n = pod.nodes;
    // One multi-core host per pod, one core per GPU; a core's speed is the tranche's speed relative to
    // the reference accelerator (1 for tranche 0), so a job's work is its run time in reference
    // GPU-seconds and completion times are exact. The energy plugin is linear in busy cores, which gives
    // each node's idle + f (peak - idle) x busy/GPUs exactly when summed over the pod. With a power cap,
    // each speed level is a pstate whose active power follows speed^exponent.
    std::vector<double> speeds;
    std::string watts;
    for (double lv : ctl.speed_levels()) {
      speeds.push_back(tr.speed * lv);
      char buf[128];
      double dyn = tr.active_w() * std::pow(lv, sc.facility.throttle_exponent);
      std::snprintf(buf, sizeof buf, "%s%.17g:%.17g", watts.empty() ? "" : ",", n * tr.idle_w, n * (tr.idle_w + dyn));
      watts += buf;
    }
    auto* h = zone->create_host(prefix + "pod-" + std::to_string(hosts.size()), speeds);
    h->set_core_count(n * c.gpus_per_node);
    h->set_property("wattage_per_state", watts);
    h->set_property("wattage_off", "0");
    for (int i = 0; i < n; ++i) node_pod[pod.first_node + i] = static_cast<int>(hosts.size());
    auto gen = std::find(accelerators.begin(), accelerators.end(), tr.accelerator);
    pod_generation.push_back(static_cast<int>(gen - accelerators.begin()));
    if (gen == accelerators.end()) accelerators.push_back(tr.accelerator);
    hosts.push_back(h);
  }
}

sg4::Host* build_platform(std::vector<std::unique_ptr<Site>>& sites, EngineStats& stats) {
  auto t0 = std::chrono::steady_clock::now();
  auto* zone = sg4::create_star_zone("cluster");
  sg4::Host* controller = zone->create_host("controller", 1.0);
  controller->set_property("wattage_per_state", "0:0");
  controller->set_property("wattage_off", "0");
  for (auto& site : sites) site->build(zone, sites.size() > 1 ? "site" + std::to_string(site->index) + "-" : "");
  zone->seal();
  for (const auto& site : sites) stats.pod_hosts += static_cast<int>(site->ctl.pods().size());
  stats.platform_build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return controller;
}

}  // namespace capsim
