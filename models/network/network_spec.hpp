#pragma once
// The scale-out fabric as the scenario describes it (built by the `network` section): a folded Clos of 2
// or 3 tiers of switches, its parts from the network catalog (scenarios/catalog/network.json).
#include <string>
#include <vector>

#include "models/cost/cost.hpp"

namespace capsim {

// "clos": a node's links all go to the leaf of its rack (top of rack), so a host group is the nodes under
// one leaf. "rail_optimised": link r of every node of a rail group goes to the group's leaf r, so a host
// group is a rail group and its leaves (NVIDIA's HGX reference architectures).
enum class FabricKind { clos, rail_optimised };

struct SwitchPart {
  std::string key, name;
  int ports = 0;  // of the catalog model; each tier may use a larger radix (a chassis), priced per port
  double port_bps = 0;
  double latency_s = 0;
  Money price;
  double power_w = 0;  // without its transceivers
  double price_per_port_usd = 0, power_per_port_w = 0;
};

struct LinkPart {
  Money transceiver_price, copper_price;  // an optical link has a transceiver at each end; copper is one cable
  double transceiver_w = 0;               // passive copper draws nothing
};

struct NetworkSpec {
  bool enabled = false;
  FabricKind kind = FabricKind::rail_optimised;
  int tiers = 3;
  int scale_up_gpus = 8;              // GPUs in one scale-up (NVLink) domain: their traffic stays off the fabric
  std::vector<double> nic_bps;        // per GPU, by tranche
  SwitchPart sw;
  LinkPart link;
  int leaf_radix = 0, spine_radix = 0, core_radix = 0;  // ports per switch of each tier
  double link_bps = 0, link_latency_s = 0;
  int nodes_per_leaf = 0;             // clos: nodes under one leaf; rail: nodes of one rail group
  int leaves_per_pod = 0;             // 3 tiers: leaves under one spine block; 2 tiers: all of them
  double leaf_oversubscription = 1;   // leaf down / up bandwidth
  double spine_oversubscription = 1;  // 3 tiers: spine down / up bandwidth
  bool copper_to_leaf = false;        // node-to-leaf links are copper (leaf in the rack)
};

}  // namespace capsim
