// The `network` section: the scale-out fabric (docs/network.md). With it, host groups are the fabric's
// leaves (or rail groups), and the fabric's parts price the network and draw its power.
#include "models/scenario/section.hpp"

#include <algorithm>
#include <cstdio>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/network/fabric.hpp"
#include "models/network/network_catalog.hpp"
#include "models/site/facility.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

std::vector<Param> declare() {
  Param catalog = filled(string("catalog", json(), "Network catalog file (relative to the scenario file)."), "the built-in catalog");
  Param fabric = string("fabric", "rail_optimised",
                        "\"rail_optimised\": link r of each node of a rail group goes to the group's leaf r (NVIDIA's HGX reference architectures); \"clos\": all links of a node go to the leaf of its rack (top of rack).");
  choices(fabric, {"rail_optimised", "clos"});
  Param tiers = filled(integer("tiers", json(), "Switch tiers: 2 (leaves and spines) or 3 (pods of leaves and spines, joined by core switches)."), "the fewest that hold the cluster");
  range(tiers, 2, 3);
  Param sw = filled(string("switch", json(), "Switch model in the network catalog; its price and power per port price every tier."),
                   "the reference design's for the cluster's node type");
  Param radix = filled(integer("switch_radix", json(), "Ports of a leaf switch."), "the switch model's ports");
  range(radix, 4, 4096);
  Param spine_radix = filled(integer("spine_radix", json(), "Ports of a spine switch (a chassis may have more than the model)."), "`switch_radix`");
  range(spine_radix, 4, 4096);
  Param core_radix = filled(integer("core_radix", json(), "Ports of a core switch (3 tiers)."), "`switch_radix`");
  range(core_radix, 4, 4096);
  Param link_bw = filled(quantity("link_bandwidth", Dimension::data_rate, json(), "Bandwidth of one link (and switch port); the network catalog prices links of this bandwidth."),
                        "the switch model's port bandwidth");
  range(link_bw, 0.0, 1e15, true);
  Param latency = filled(quantity("link_latency", Dimension::time, json(), "Latency of one hop."), "the switch model's");
  range(latency, 0.0, 1.0);
  Param scale_up = filled(integer("scale_up_gpus", json(), "GPUs in one scale-up domain (NVLink): traffic inside it never touches the fabric."), "the cluster's node type's");
  range(scale_up, 1, 1e6);
  Param npl = filled(integer("nodes_per_leaf", json(), "\"clos\": nodes under one leaf; \"rail_optimised\": nodes of one rail group."),
                    "as many as a leaf's down ports hold");
  range(npl, 1, 1e6);
  Param lpp = filled(integer("leaves_per_pod", json(), "With 3 tiers: leaves under one block of spines (a pod)."), "as many as a spine's down ports hold");
  range(lpp, 1, 1e6);
  Param o_leaf = number("leaf_oversubscription", 1.0, "Down over up bandwidth of a leaf (1: non-blocking).");
  range(o_leaf, 1.0, 64.0);
  Param o_spine = number("spine_oversubscription", 1.0, "With 3 tiers: down over up bandwidth of a pod's spines (Llama 3's fabric: 7).");
  range(o_spine, 1.0, 64.0);
  Param leaf_links = filled(string("leaf_links", json(), "Medium of the node-to-leaf links: \"copper\" (leaf in the rack, passive cables) or \"optical\" (two transceivers per link)."),
                           "copper for \"clos\", optical for \"rail_optimised\"");
  choices(leaf_links, {"copper", "optical"});
  Param network = filled(object("network", {catalog, fabric, tiers, sw, radix, spine_radix, core_radix, link_bw, latency, scale_up, npl, lpp, o_leaf, o_spine, leaf_links},
                                "The scale-out fabric (docs/network.md). Without it, a flat network cost per GPU and `facility.it_overhead_share` stand for the network."),
                         "none");
  return {network};
}

std::string gbps(double bps) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g Gbps", bps / 1e9);
  return buf;
}

std::string seconds(double s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g ns", s * 1e9);
  return buf;
}

// Host groups are the fabric's: `pods` written anywhere in the cluster is an error, and the resolved
// scenario leaves them out.
void reject_pods(SectionContext& ctx) {
  const json& c = ctx.doc["cluster"];
  if (c.contains("pods"))
    throw InputError(ctx.where("cluster.pods") + ": not with a `network` section: host groups are the nodes under one leaf (or rail group); remove it");
  if (c.contains("tranches"))
    for (std::size_t i = 0; i < c["tranches"].size(); ++i)
      if (c["tranches"][i].contains("pods"))
        throw InputError(ctx.where("cluster.tranches." + std::to_string(i) + ".pods") + ": not with a `network` section: host groups are the nodes under one leaf (or rail group); remove it");
  json& r = ctx.r["cluster"];
  r.erase("pods");
  if (r.contains("tranches"))
    for (json& t : r["tranches"]) t.erase("pods");
}

const NetworkCatalog& load_catalog(SectionContext& ctx, json& n, NetworkCatalog& from_file, std::string& label) {
  if (!n.contains("catalog")) {
    static const FileDigest builtin = digest_of(builtin_network_json());
    label = "built-in network catalog";
    ctx.s.inputs[label] = builtin;
    return builtin_network_catalog();
  }
  label = ctx.rel(n["catalog"]);
  n["catalog"] = label;
  try {
    const std::string text = read_text_file(label);
    ctx.s.inputs[label] = digest_of(text);
    from_file = load_network_catalog_text(text, label);
  } catch (const InputError& e) {
    throw InputError(ctx.where("network.catalog") + ": " + e.what());
  }
  return from_file;
}

json& find_tranche(SectionContext& ctx, const Tranche& t) {
  const std::size_t i = std::stoul(t.path.substr(std::string("cluster.tranches.").size()));
  return ctx.r["cluster"]["tranches"][i];
}

// Fills what the scenario leaves to the catalog into `n` (so the resolved scenario stands alone) and `net`.
void fill_from_catalog(SectionContext& ctx, json& n, NetworkSpec& net, const NetworkCatalog& cat, const std::string& label) {
  Scenario& s = ctx.s;
  const std::string& type = s.cluster.node_type;
  const NodeFabric& nf = lookup_or_suggest(cat.node_types, type, ctx.where("cluster.node_type"), "node type (for its fabric)", label);
  bool node_used = false;
  if (!n.contains("switch")) n["switch"] = nf.switch_key, node_used = true;
  const SwitchPart& sw = lookup_or_suggest(cat.switches, n["switch"].get<std::string>(), ctx.where("network.switch"), "switch", label);
  net.sw = sw;
  if (cat.estimate.at("switches." + sw.key)) ctx.used_estimate(label, "switches." + sw.key, "network.switch");
  if (!n.contains("switch_radix")) n["switch_radix"] = sw.ports;
  if (!n.contains("spine_radix")) n["spine_radix"] = n["switch_radix"];
  if (!n.contains("core_radix")) n["core_radix"] = n["switch_radix"];
  if (!n.contains("link_bandwidth")) n["link_bandwidth"] = gbps(sw.port_bps);
  if (!n.contains("link_latency")) n["link_latency"] = seconds(sw.latency_s);
  if (!n.contains("scale_up_gpus")) n["scale_up_gpus"] = nf.scale_up_gpus, node_used = true;
  net.leaf_radix = n["switch_radix"];
  net.spine_radix = n["spine_radix"];
  net.core_radix = n["core_radix"];
  net.link_bps = quantity_value(n["link_bandwidth"], Dimension::data_rate);
  net.link_latency_s = quantity_value(n["link_latency"], Dimension::time);
  net.scale_up_gpus = n["scale_up_gpus"];
  auto link = cat.link_keys.find(net.link_bps);
  if (link == cat.link_keys.end()) {
    std::string known;
    for (const auto& [_, k] : cat.link_keys) known += (known.empty() ? "" : ", ") + k;
    throw InputError(ctx.where("network.link_bandwidth") + ": expected a link bandwidth the " + label + " prices (" + known + "), found " + n["link_bandwidth"].dump());
  }
  net.link = cat.links.at(link->second);
  if (cat.estimate.at("links." + link->second)) ctx.used_estimate(label, "links." + link->second, "network.link_bandwidth");
  for (Tranche& t : s.cluster.tranches) {
    const NodeFabric& tf = lookup_or_suggest(cat.node_types, t.node_type, ctx.where(t.path + ".node_type"), "node type (for its fabric)", label);
    json& tj = t.path == "cluster" ? ctx.r["cluster"] : find_tranche(ctx, t);
    if (t.nic_bps == 0) {
      t.nic_bps = tf.nic_bps_per_gpu;
      tj["nic_bandwidth"] = gbps(t.nic_bps);
      if (tf.estimate) ctx.used_estimate(label, "node_types." + t.node_type, t.path + ".nic_bandwidth");
    }
    net.nic_bps.push_back(t.nic_bps);
  }
  if (node_used && nf.estimate) ctx.used_estimate(label, "node_types." + type, "network");
}

FabricLayout lay_out(SectionContext& ctx, NetworkSpec& net) {
  try {
    return layout_fabric(net, ctx.s.cluster, ctx.s.costs.fx);
  } catch (const InputError& e) {
    throw InputError(ctx.file + ": " + e.what());
  }
}

// The facility section checked the cap against the fixed power before the fabric existed; with the fabric,
// what is drawn with every host group off is also its switches and optics (x the hour's multiplier).
void check_cap(SectionContext& ctx) {
  const Scenario& s = ctx.s;
  if (!s.facility.power_cap_w) return;
  const FacilityModel m = make_facility_model(s);
  double fabric_w = 0;
  for (const Tranche& at : s.cluster.tranches) {
    double w = 0;
    for (std::size_t t = 0; t < s.cluster.tranches.size(); ++t)
      if (s.cluster.tranches[t].arrive_s <= at.arrive_s && at.arrive_s < s.cluster.tranches[t].retire_s) w += m.tranche_fabric_w[t];
    fabric_w = std::max(fabric_w, w);
  }
  const double floor_w = fabric_w * *std::max_element(m.multiplier.begin(), m.multiplier.end()) + m.fixed_w;
  if (*s.facility.power_cap_w < floor_w)
    throw InputError(ctx.where(ctx.r["facility"].contains("power_cap") ? "facility.power_cap" : "facility.cap_at_grid_limit") +
                     ": expected a cap of at least the power drawn with every host group off (" + std::to_string(floor_w / 1e6) +
                     " MW: the fabric's switches and optics, which stay on, x the highest hourly multiplier, plus the fixed power), found " +
                     std::to_string(*s.facility.power_cap_w / 1e6) + " MW");
}

void build(SectionContext& ctx) {
  if (!ctx.r.contains("network")) return;
  Scenario& s = ctx.s;
  json& n = ctx.r["network"];
  NetworkSpec& net = s.network;
  net.enabled = true;
  reject_pods(ctx);
  NetworkCatalog from_file;
  std::string label;
  const NetworkCatalog& cat = load_catalog(ctx, n, from_file, label);
  fill_from_catalog(ctx, n, net, cat, label);
  net.kind = n["fabric"] == "clos" ? FabricKind::clos : FabricKind::rail_optimised;
  if (!n.contains("leaf_links")) n["leaf_links"] = net.kind == FabricKind::clos ? "copper" : "optical";
  net.copper_to_leaf = n["leaf_links"] == "copper";
  if (n.contains("nodes_per_leaf")) net.nodes_per_leaf = n["nodes_per_leaf"];
  if (n.contains("leaves_per_pod")) net.leaves_per_pod = n["leaves_per_pod"];
  net.leaf_oversubscription = n["leaf_oversubscription"];
  net.spine_oversubscription = n["spine_oversubscription"];
  // Without `tiers`, the fewest that hold the cluster: 2 when one block of spines joins every leaf.
  net.tiers = n.contains("tiers") ? n["tiers"].get<int>() : 2;
  // Keys of the third tier ask for it; with 2 tiers written they are errors.
  for (const char* key : {"leaves_per_pod", "spine_oversubscription", "core_radix"}) {
    if (net.tiers == 3 || !ctx.doc["network"].contains(key)) continue;
    if (ctx.doc["network"].contains("tiers"))
      throw InputError(ctx.where(std::string("network.") + key) + ": applies with 3 tiers only (2 tiers have one block of spines and no core), found tiers 2");
    net.tiers = 3;
  }
  if (!n.contains("tiers")) {
    try {
      layout_fabric(net, s.cluster, s.costs.fx);
    } catch (const InputError&) {
      net.tiers = 3;  // an error that is not about the tiers comes again below
    }
    n["tiers"] = net.tiers;
  }
  s.fabric = lay_out(ctx, net);
  if (net.tiers == 2) {
    n.erase("spine_oversubscription");
    n.erase("core_radix");
  }
  // The engine's host groups are the fabric's.
  s.cluster.pods = 0;
  for (Tranche& t : s.cluster.tranches) t.pods = 0;
  for (const HostGroup& g : s.fabric.groups) ++s.cluster.tranches[static_cast<std::size_t>(g.tranche)].pods;
  for (std::size_t t = 0; t < s.cluster.tranches.size(); ++t) {
    s.cluster.tranches[t].group_nodes = s.fabric.group_nodes[t];
    s.cluster.pods += s.cluster.tranches[t].pods;
  }
  check_cap(ctx);
}

}  // namespace

Section network_section() { return {declare, build}; }

}  // namespace capsim
