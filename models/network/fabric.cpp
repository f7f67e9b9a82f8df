#include "models/network/fabric.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "models/common/errors.hpp"

namespace capsim {

namespace {

std::string num(long long v) { return std::to_string(v); }
std::string ratio(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", r);
  return buf;
}

// Most down ports of a switch of `radix` ports that keeps down / up <= ratio with whole up ports.
int max_down_ports(int radix, double ratio) {
  int d = static_cast<int>(std::floor(radix * ratio / (1 + ratio)));
  while (d > 0 && d + static_cast<int>(std::ceil(d / ratio - 1e-9)) > radix) --d;
  return d;
}

int up_ports(long long down, double ratio) { return static_cast<int>(std::ceil(static_cast<double>(down) / ratio - 1e-9)); }

// Host groups per tranche in build order, filling pods with whole groups.
void place_groups(FabricLayout& f, const NetworkSpec& net, const ClusterSpec& c) {
  int node = 0, leaf = 0;
  FabricPod pod;
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    const Tranche& tr = c.tranches[t];
    const int leaves = net.kind == FabricKind::rail_optimised ? f.ports_per_node[t] : 1;
    for (int left = tr.nodes; left > 0;) {
      HostGroup g;
      g.tranche = static_cast<int>(t);
      g.first_node = node;
      g.nodes = std::min(left, f.group_nodes[t]);
      g.leaves = leaves;
      if (pod.leaves + leaves > f.leaves_per_pod && pod.leaves > 0) {
        f.pods.push_back(pod);
        pod = FabricPod{static_cast<int>(f.groups.size()), 0, leaf, 0, {}};
      }
      g.pod = static_cast<int>(f.pods.size());
      g.first_leaf = leaf;
      f.groups.push_back(g);
      ++pod.groups;
      pod.leaves += leaves;
      leaf += leaves;
      node += g.nodes;
      left -= g.nodes;
      f.node_links += static_cast<long long>(g.nodes) * f.ports_per_node[t];
    }
  }
  f.pods.push_back(pod);
  f.leaves = leaf;
}

void wire_upper_tiers(FabricLayout& f, const NetworkSpec& net) {
  const int U = f.leaf_up_ports;
  if (net.tiers == 2 && f.leaves > net.spine_radix)
    throw InputError("network.tiers: expected 3 tiers: 2 tiers of " + num(net.spine_radix) + "-port spines join at most " + num(net.spine_radix) +
                     " leaves, and this fabric has " + num(f.leaves));
  // A spine takes as many links from each leaf of its pod as its down ports allow, so the fewest spines
  // carry every leaf's uplinks; a leaf's uplink i goes to spine i mod S.
  const int spine_down = net.tiers == 2 ? net.spine_radix : max_down_ports(net.spine_radix, net.spine_oversubscription);
  const int per_leaf = std::max(1, std::min(U, spine_down / std::max(1, f.leaves_per_pod)));
  f.spines_per_pod = (U + per_leaf - 1) / per_leaf;
  const int S = f.spines_per_pod;
  f.spines = static_cast<long long>(f.pods.size()) * S;
  f.leaf_spine_links = f.leaves * U;
  if (net.tiers == 2) return;
  if (static_cast<long long>(f.pods.size()) > net.core_radix)
    throw InputError("network.core_radix: expected at least the number of pods (" + num(static_cast<long long>(f.pods.size())) +
                     "): a core switch needs a port for each pod, found " + num(net.core_radix) +
                     "; use larger pods (network.leaves_per_pod), a larger core radix or more oversubscription");
  f.core_planes = S;
  std::vector<int> plane_up(static_cast<std::size_t>(S), 0);  // the most uplinks of any pod's spine s
  for (FabricPod& p : f.pods) {
    // The pod's uplink bandwidth is its leaves' uplinks over the spine oversubscription, in whole links
    // spread over its spines: the first spines take one more.
    const long long up = up_ports(static_cast<long long>(p.leaves) * U, net.spine_oversubscription);
    p.spine_up_links.assign(static_cast<std::size_t>(S), static_cast<int>(up / S));
    for (long long s = 0; s < up % S; ++s) ++p.spine_up_links[static_cast<std::size_t>(s)];
    for (int s = 0; s < S; ++s) plane_up[static_cast<std::size_t>(s)] = std::max(plane_up[static_cast<std::size_t>(s)], p.spine_up_links[static_cast<std::size_t>(s)]);
    f.spine_core_links += up;
  }
  // Plane s joins spine s of every pod. Each of its cores takes the same number of links from every pod
  // (as many as its ports allow), so a spine's j-th uplink goes to core j mod C and no core favours a pod.
  const int per_pod = net.core_radix / static_cast<int>(f.pods.size());
  for (int up : plane_up) {
    f.cores_per_plane.push_back((up + per_pod - 1) / per_pod);  // a plane without uplinks has no core
    f.cores += f.cores_per_plane.back();
  }
}

void price_parts(FabricLayout& f, const NetworkSpec& net, const ClusterSpec& c, const ExchangeRates& fx) {
  const double per_port_usd = fx.to_usd(net.sw.price) / net.sw.ports, per_port_w = net.sw.power_w / net.sw.ports;
  const double optical_usd = 2 * fx.to_usd(net.link.transceiver_price), optical_w = 2 * net.link.transceiver_w;
  const double copper_usd = fx.to_usd(net.link.copper_price);
  // What every leaf shares alike: spines, cores and the links above the leaves.
  FabricParts shared;
  shared.switches_usd = (f.spines * net.spine_radix + f.cores * net.core_radix) * per_port_usd;
  shared.switches_w = (f.spines * net.spine_radix + f.cores * net.core_radix) * per_port_w;
  shared.links_usd = f.spine_core_links * optical_usd;
  shared.transceivers_w = f.spine_core_links * optical_w;
  f.by_tranche.assign(c.tranches.size(), FabricParts{});
  std::vector<long long> leaves(c.tranches.size(), 0), links(c.tranches.size(), 0);
  for (const HostGroup& g : f.groups) {
    const long long node_links = static_cast<long long>(g.nodes) * f.ports_per_node[static_cast<std::size_t>(g.tranche)];
    leaves[static_cast<std::size_t>(g.tranche)] += g.leaves;
    links[static_cast<std::size_t>(g.tranche)] += node_links;
    f.group_leaf_w.push_back(g.leaves * net.leaf_radix * per_port_w + (net.copper_to_leaf ? 0 : node_links * optical_w) +
                             static_cast<double>(g.leaves) * f.leaf_up_ports * optical_w);
  }
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    FabricParts& p = f.by_tranche[t];
    const double share = static_cast<double>(leaves[t]) / static_cast<double>(f.leaves);
    const long long up = leaves[t] * f.leaf_up_ports;
    p.switches_usd = leaves[t] * net.leaf_radix * per_port_usd + share * shared.switches_usd;
    p.switches_w = leaves[t] * net.leaf_radix * per_port_w + share * shared.switches_w;
    p.links_usd = links[t] * (net.copper_to_leaf ? copper_usd : optical_usd) + up * optical_usd + share * shared.links_usd;
    p.transceivers_w = (net.copper_to_leaf ? 0 : links[t] * optical_w) + up * optical_w + share * shared.transceivers_w;
    f.total.switches_usd += p.switches_usd;
    f.total.switches_w += p.switches_w;
    f.total.links_usd += p.links_usd;
    f.total.transceivers_w += p.transceivers_w;
  }
  const long long optical = (net.copper_to_leaf ? 0 : f.node_links) + f.leaf_spine_links + f.spine_core_links;
  f.transceivers = 2 * optical;
  f.copper_cables = net.copper_to_leaf ? f.node_links : 0;
}

}  // namespace

FabricLayout layout_fabric(const NetworkSpec& net, const ClusterSpec& c, const ExchangeRates& fx) {
  FabricLayout f;
  const bool rail = net.kind == FabricKind::rail_optimised;
  const int down_max = max_down_ports(net.leaf_radix, net.leaf_oversubscription);
  int design_down = 0, max_ppn = 1;
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    const double node_bps = c.gpus_per_node * net.nic_bps[t];
    const int ppn = std::max(1, static_cast<int>(std::ceil(node_bps / net.link_bps - 1e-9)));
    f.ports_per_node.push_back(ppn);
    max_ppn = std::max(max_ppn, ppn);
    // A rail leaf takes one link of each node of its group; a top-of-rack leaf all links of its nodes.
    const int per_node = rail ? 1 : ppn;
    const int nodes = net.nodes_per_leaf > 0 ? net.nodes_per_leaf : down_max / per_node;
    if (nodes < 1 || nodes * per_node > down_max)
      throw InputError("network." + std::string(net.nodes_per_leaf > 0 ? "nodes_per_leaf" : "switch_radix") + ": expected a leaf of " +
                       num(net.leaf_radix) + " ports at oversubscription " + ratio(net.leaf_oversubscription) + " (" + num(down_max) +
                       " down ports) to hold " + (net.nodes_per_leaf > 0 ? num(net.nodes_per_leaf) : std::string("one")) + " node(s) of " +
                       num(per_node) + " links (tranche " + num(static_cast<long long>(t)) + "), found room for " + num(down_max / per_node));
    f.group_nodes.push_back(nodes);
    design_down = std::max(design_down, nodes * per_node);
  }
  f.leaf_down_ports = design_down;
  f.leaf_up_ports = up_ports(design_down, net.leaf_oversubscription);
  const int group_leaves = rail ? max_ppn : 1;
  if (net.tiers == 2) {
    f.leaves_per_pod = std::numeric_limits<int>::max();
  } else {
    const int spine_down = max_down_ports(net.spine_radix, net.spine_oversubscription);
    f.leaves_per_pod = net.leaves_per_pod > 0 ? net.leaves_per_pod : spine_down / group_leaves * group_leaves;
    if (net.leaves_per_pod == 0 && f.leaves_per_pod < group_leaves)
      throw InputError("network.spine_radix: expected a spine whose down ports hold the " + num(group_leaves) + " leaves of a host group, found " +
                       num(net.spine_radix) + " ports (" + num(spine_down) + " down ports at oversubscription " + ratio(net.spine_oversubscription) + ")");
    if (f.leaves_per_pod < group_leaves || f.leaves_per_pod > spine_down)
      throw InputError("network.leaves_per_pod: expected " + num(group_leaves) + " to " + num(spine_down) + " leaves per pod (a spine of " +
                       num(net.spine_radix) + " ports at oversubscription " + ratio(net.spine_oversubscription) + " has " + num(spine_down) +
                       " down ports; a host group has " + num(group_leaves) + (group_leaves == 1 ? " leaf" : " leaves") + "), found " + num(f.leaves_per_pod));
  }
  place_groups(f, net, c);
  if (net.tiers == 2) f.leaves_per_pod = static_cast<int>(f.leaves);
  wire_upper_tiers(f, net);
  price_parts(f, net, c, fx);
  return f;
}

}  // namespace capsim
