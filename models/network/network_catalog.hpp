#pragma once
// The network catalog (scenarios/catalog/network.json): switches, links by speed, and what each node type
// brings to the fabric (NIC bandwidth per GPU, scale-up domain, the switch of its reference design).
#include <map>
#include <string>
#include <string_view>

#include "models/network/network_spec.hpp"

namespace capsim {

struct NodeFabric {
  double nic_bps_per_gpu = 0;
  int scale_up_gpus = 1;
  std::string switch_key;
  bool estimate = false;
};

struct NetworkCatalog {
  std::map<std::string, SwitchPart> switches;
  std::map<std::string, LinkPart> links;  // by bandwidth, as written ("400 Gbps")
  std::map<double, std::string> link_keys;  // bandwidth in bit/s -> key
  std::map<std::string, NodeFabric> node_types;
  std::map<std::string, bool> estimate;  // "switches.ndr-64x400g", "links.400 Gbps", "node_types.b300-8"
};

std::string_view builtin_network_json();
NetworkCatalog load_network_catalog_text(std::string_view text, const std::string& origin);
const NetworkCatalog& builtin_network_catalog();

}  // namespace capsim
