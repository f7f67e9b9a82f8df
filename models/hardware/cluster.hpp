#pragma once
// The cluster as the scenario describes it: its tranches of nodes (built by the `cluster` section).
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "models/cost/cost.hpp"

namespace capsim {

// Nodes that enter service together: the cluster's own nodes (tranche 0, at start) and each buildout phase.
struct Tranche {
  std::string name, node_type, accelerator;
  std::string path;  // in the scenario: "cluster" or "cluster.tranches.N"
  int first_node = 0, nodes = 0, pods = 0;
  int group_nodes = 0;  // nodes of each host group in node order, the last one partial (0: split evenly)
  double nic_bps = 0;   // per GPU, as written (0: the network catalog's for the node type)
  double arrive_s = 0;                                      // simulated time it enters service (0 if before start)
  double since_s = 0;  // when it was bought and entered service, negative before start (its age, its lifetime)
  double retire_s = std::numeric_limits<double>::infinity();  // takes no new jobs from then on
  double idle_w = 0, peak_w = 0;                            // per node, peak as rated
  double active_factor = 1;  // a busy node draws idle + active_factor x (peak - idle)
  double active_w() const { return active_factor * (peak_w - idle_w); }  // per node, all GPUs busy
  double bf16_flops = 0;  // per accelerator
  double speed = 1;       // work per second relative to tranche 0's accelerator (BF16 FLOP/s ratio)
  Money node_price;
};

struct ClusterSpec {
  std::string node_type;    // of tranche 0
  std::string accelerator;  // of tranche 0: the reference for work and FLOP
  int nodes = 0;            // over all tranches
  int gpus_per_node = 0;
  int pods = 0;             // over all tranches
  double node_idle_w = 0;   // tranche 0's
  double node_peak_w = 0;
  double gpu_bf16_flops = 0;  // peak dense BF16 FLOP/s of the reference accelerator
  std::vector<Tranche> tranches;
  long long gpus() const { return static_cast<long long>(nodes) * gpus_per_node; }
  // The first node of each generation (a run of tranches with one accelerator), in node order.
  std::vector<int> generation_starts() const {
    std::vector<const Tranche*> by_node;
    for (const Tranche& t : tranches) by_node.push_back(&t);
    std::sort(by_node.begin(), by_node.end(), [](const Tranche* a, const Tranche* b) { return a->first_node < b->first_node; });
    std::vector<int> starts;
    for (std::size_t i = 0; i < by_node.size(); ++i)
      if (i == 0 || by_node[i]->accelerator != by_node[i - 1]->accelerator) starts.push_back(by_node[i]->first_node);
    return starts;
  }
  // Reference GPU-seconds the GPUs in service over [from, to) could do at full speed.
  double capacity_gpu_s(double from, double to) const {
    double c = 0;
    for (const Tranche& t : tranches)
      c += std::max(0.0, std::min(t.retire_s, to) - std::max(t.arrive_s, from)) * t.nodes * gpus_per_node * t.speed;
    return c;
  }
  bool phased() const { return tranches.size() > 1 || tranches[0].retire_s < std::numeric_limits<double>::infinity(); }
};

}  // namespace capsim
