#pragma once
// The laid-out fabric as a Boost.Graph graph, and what is measured on it: bisection bandwidth (max-flow
// between the two halves of the endpoints), per pod and for the whole fabric, and the diameter in hops.
// Endpoints are aggregated per host group (split where the halves divide one), which leaves every cut
// between the halves unchanged: a group's nodes share the same links to the same leaves.
#include <ostream>
#include <vector>

#include "models/network/fabric.hpp"

namespace capsim {

struct FabricMeasures {
  double bisection_bps = 0;
  std::vector<double> pod_bisection_bps;  // by pod, on the pod's own leaves and spines
  int diameter_hops = 0;                  // links between the two farthest nodes
  double leaf_oversubscription = 1;       // achieved: a full leaf's down over up ports
  double spine_oversubscription = 1;      // achieved: the most of any pod's spines (3 tiers)
  long long graph_vertices = 0, graph_edges = 0;  // of the whole fabric's graph
};

FabricMeasures measure_fabric(const FabricLayout& f, const NetworkSpec& net, const ClusterSpec& c);

// Graphviz: a vertex per host group, leaf, spine and core, an edge per pair of linked vertices labelled
// with its bandwidth. Meant for small fabrics.
void write_fabric_dot(std::ostream& out, const FabricLayout& f, const NetworkSpec& net, const ClusterSpec& c);

}  // namespace capsim
