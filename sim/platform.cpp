#include "sim/platform.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace sg4 = simgrid::s4u;

namespace capsim {

sg4::Host* Site::create_host(sg4::NetZone* zone, const std::string& name, const PodState& pod) {
  const Tranche& tr = sc.cluster.tranches[pod.tranche];
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
  auto* h = zone->create_host(name, speeds);
  h->set_core_count(n * sc.cluster.gpus_per_node);
  h->set_property("wattage_per_state", watts);
  h->set_property("wattage_off", "0");
  return h;
}

void Site::build(sg4::NetZone* zone, const std::string& prefix) {
  const ClusterSpec& c = sc.cluster;
  node_pod.resize(c.nodes);
  std::vector<std::string> accelerators;
  if (sc.network.enabled) build_fabric(zone, prefix);
  for (int p = 0; p < static_cast<int>(ctl.pods().size()); ++p) {
    const PodState& pod = ctl.pod(p);
    if (!sc.network.enabled) hosts.push_back(create_host(zone, prefix + "pod-" + std::to_string(p), pod));
    const Tranche& tr = c.tranches[pod.tranche];
    for (int i = 0; i < pod.nodes; ++i) node_pod[pod.first_node + i] = p;
    auto gen = std::find(accelerators.begin(), accelerators.end(), tr.accelerator);
    pod_generation.push_back(static_cast<int>(gen - accelerators.begin()));
    if (gen == accelerators.end()) accelerators.push_back(tr.accelerator);
  }
}

// The fabric as zones (../shared/SIMGRID.md: few, large ones): a star zone per fabric pod with its host
// groups, each behind a split-duplex link with its leaves' uplink bandwidth; the pods in a star zone of the
// site, each behind its spines' uplinks to the core (3 tiers). Inside a pod the spines, and across pods the
// core, are non-blocking for traffic spread evenly over them (docs/network.md), so the uplinks are the links
// that can be shared. SimGrid 3.32 ignores Comm::set_rate on host-to-host comms, so a flow's cap at its NICs
// is a FATPIPE link (a bound per flow, shared by none): a flow from k nodes of a group leaves from the
// group's k-th NIC host, behind k nodes' NIC bandwidth. NIC hosts never switch off and run no execs.
// Links carry no latency: a job's latency terms are counted per step (communication.hpp).
void Site::build_fabric(sg4::NetZone* parent, const std::string& prefix) {
  const FabricLayout& f = sc.fabric;
  const NetworkSpec& net = sc.network;
  if (f.groups.size() != ctl.pods().size()) throw std::logic_error("capsim: host groups and fabric groups differ");
  auto* site_zone = sg4::create_star_zone(prefix + "fabric");
  site_zone->set_parent(parent);
  hosts.resize(f.groups.size());
  nic_hosts.resize(f.groups.size());
  double leaf_capacity = 0, spine_capacity = 0;  // bytes/s, both directions
  group_pod.resize(f.groups.size());
  for (std::size_t p = 0; p < f.pods.size(); ++p) {
    const FabricPod& fp = f.pods[p];
    const std::string pod_name = prefix + "fabric-pod-" + std::to_string(p);
    auto* zone = sg4::create_star_zone(pod_name);
    zone->set_parent(site_zone);
    for (int g = fp.first_group; g < fp.first_group + fp.groups; ++g) {
      const auto gi = static_cast<std::size_t>(g);
      const HostGroup& gr = f.groups[gi];
      const PodState& pod = ctl.pod(g);
      if (pod.tranche != gr.tranche || pod.nodes != gr.nodes) throw std::logic_error("capsim: host group " + std::to_string(g) + " differs from its fabric group");
      const std::string name = prefix + "pod-" + std::to_string(g);
      hosts[gi] = create_host(zone, name, pod);
      group_pod[gi] = static_cast<int>(p);
      auto* up = zone->create_split_duplex_link(name + "-up", gr.leaves * f.leaf_up_ports * net.link_bps / 8);
      leaf_capacity += 2 * gr.leaves * f.leaf_up_ports * net.link_bps / 8;
      const double node_bytes_per_s = sc.cluster.gpus_per_node * net.nic_bps[static_cast<std::size_t>(gr.tranche)] / 8;
      for (int k = 1; k <= gr.nodes; ++k) {
        const std::string nic = name + "-nic-" + std::to_string(k);
        sg4::Host* h = zone->create_host(nic, 1.0);
        h->set_property("wattage_per_state", "0:0");
        h->set_property("wattage_off", "0");
        sg4::Link* cap = zone->create_link(nic, k * node_bytes_per_s)->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE);
        zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(cap), {up, sg4::LinkInRoute::Direction::UP}}, false);
        zone->add_route(nullptr, h->get_netpoint(), nullptr, nullptr, {{up, sg4::LinkInRoute::Direction::DOWN}}, false);
        nic_hosts[gi].push_back(h);
      }
    }
    auto* gw = zone->create_router(pod_name + "-gw");
    zone->add_route(gw, nullptr, nullptr, nullptr, {}, true);
    zone->seal();
    std::vector<sg4::LinkInRoute> to_core;
    if (net.tiers == 3) {
      double bps = 0;
      for (int links : fp.spine_up_links) bps += links * net.link_bps;
      spine_capacity += 2 * bps / 8;
      to_core.emplace_back(site_zone->create_split_duplex_link(pod_name + "-up", bps / 8), sg4::LinkInRoute::Direction::UP);
    }
    site_zone->add_route(zone->get_netpoint(), nullptr, gw, nullptr, to_core, true);
  }
  site_zone->seal();
  std::vector<double> tiers = {leaf_capacity};
  if (net.tiers == 3) tiers.push_back(spine_capacity);
  fabric_traffic.emplace(sc.horizon_s, sc.warmup_s, sc.timeseries_interval_s, tiers);
}

void use_fabric_network_model(sg4::Engine& engine) {
  engine.set_config("network/model:CM02");
  engine.set_config("network/TCP-gamma:1e20");
  engine.set_config("network/crosstraffic:0");
}

Platform build_platform(std::vector<std::unique_ptr<Site>>& sites, const std::vector<Highway>& highways, double horizon_s, double warmup_s,
                        double interval_s, EngineStats& stats) {
  auto t0 = std::chrono::steady_clock::now();
  auto* zone = sg4::create_star_zone("cluster");
  Platform p;
  p.controller = zone->create_host("controller", 1.0);
  p.controller->set_property("wattage_per_state", "0:0");
  p.controller->set_property("wattage_off", "0");
  for (auto& site : sites) {
    if (site->sc.network.enabled && !p.timer) {
      // A latency term is a one-thread exec of its duration at speed 1; a core per running job at most.
      p.timer = zone->create_host("latency-timer", 1.0);
      p.timer->set_core_count(1 << 24);
      p.timer->set_property("wattage_per_state", "0:0");
      p.timer->set_property("wattage_off", "0");
    }
    site->build(zone, sites.size() > 1 ? "site" + std::to_string(site->index) + "-" : "");
  }
  if (!highways.empty()) p.highways = std::make_unique<Highways>(zone, static_cast<int>(sites.size()), highways, horizon_s, warmup_s, interval_s);
  zone->seal();
  for (const auto& site : sites) stats.pod_hosts += static_cast<int>(site->ctl.pods().size());
  stats.platform_build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return p;
}

}  // namespace capsim
