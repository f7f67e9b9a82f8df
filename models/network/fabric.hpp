#pragma once
// The fabric laid out from the `network` section and the cluster's tranches: host groups, leaves, pods of
// spines, core planes; the links between them; the parts and what they cost and draw, by tranche. Pure
// arithmetic (docs/network.md gives the rules); fabric_graph.hpp measures it.
#include <vector>

#include "models/hardware/cluster.hpp"
#include "models/network/network_spec.hpp"

namespace capsim {

// The engine's aggregation unit with a network section: the nodes under one leaf (clos) or one rail group.
struct HostGroup {
  int tranche = 0;
  int first_node = 0;  // in the cluster's build order (tranche by tranche, as bought)
  int nodes = 0;
  int pod = 0;
  int first_leaf = 0, leaves = 1;
};

struct FabricPod {
  int first_group = 0, groups = 0;
  int first_leaf = 0, leaves = 0;
  std::vector<int> spine_up_links;  // by spine; 3 tiers only
};

struct FabricParts {
  double switches_usd = 0, links_usd = 0;
  double switches_w = 0, transceivers_w = 0;
  double usd() const { return switches_usd + links_usd; }
  double power_w() const { return switches_w + transceivers_w; }
};

struct FabricLayout {
  std::vector<int> ports_per_node;   // by tranche: NIC bandwidth of a node over the link bandwidth
  std::vector<int> group_nodes;      // by tranche: nodes of a full host group
  int leaf_down_ports = 0;           // of a full leaf
  int leaf_up_ports = 0;             // every leaf's, spread over the spines of its pod
  int spines_per_pod = 0;
  int leaves_per_pod = 0;            // of a full pod
  std::vector<HostGroup> groups;     // in build order
  std::vector<FabricPod> pods;
  int core_planes = 0;               // one per spine of a pod (3 tiers)
  std::vector<int> cores_per_plane;  // 3 tiers
  long long leaves = 0, spines = 0, cores = 0;
  long long node_links = 0, leaf_spine_links = 0, spine_core_links = 0;
  long long transceivers = 0, copper_cables = 0;
  std::vector<FabricParts> by_tranche;  // its leaves and links, and its share (by leaves) of the rest
  // By host group: the power of its leaves and of the optics of its links to its nodes and up to the
  // spines, which go dark when all its nodes are off (part of its tranche's `by_tranche`).
  std::vector<double> group_leaf_w;
  FabricParts total;
};

// Throws InputError ("network.KEY: expected ..., found ...") when the switches cannot hold the fabric described.
FabricLayout layout_fabric(const NetworkSpec& net, const ClusterSpec& cluster, const ExchangeRates& fx);

}  // namespace capsim
