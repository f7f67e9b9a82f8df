// The `cluster` section: node types from the hardware catalog, tranches of a phased buildout.
#include "models/scenario/section.hpp"

#include <cstdio>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/hardware/catalog.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

std::vector<Param> declare() {
  Param node_type = string("node_type", json(), "Node type key in the hardware catalog (e.g. `h100-sxm-8`).");
  Param nodes = integer("nodes", json(), "Number of nodes.");
  range(nodes, 1, 2e6);
  Param gpn = integer("gpus_per_node", json(), "Accelerators per node.");
  range(gpn, 1, 1024);
  gpn.optional = true;
  gpn.default_note = "from the catalog";
  Param pods = integer("pods", json(), "Pods the nodes are split into (as evenly as possible). A pod is the unit the engine aggregates nodes into (one multi-core SimGrid host).");
  range(pods, 1, 2e6);
  pods.optional = true;
  pods.default_note = "ceil(nodes / 32)";
  Param idle = quantity("node_idle_power", Dimension::power, json(), "Power of one node with all accelerators idle.");
  range(idle, 0.0, 1e6);
  idle.optional = true;
  idle.default_note = "from the catalog";
  Param peak = quantity("node_peak_power", Dimension::power, json(), "Power of one node with all accelerators busy; power rises linearly with busy accelerators.");
  range(peak, 0.0, 1e6);
  peak.optional = true;
  peak.default_note = "from the catalog";
  Param factor = number("active_power_factor", json(), "Share of (peak - idle) a busy node draws above idle: training draws less than the rating (measured 8.4 kW on a 10.2 kW 8xH100 node, 0.78). Energy, the power cap and the controller use it; the facility is sized on the rating.");
  range(factor, 0.0, 1.0, true);
  factor.optional = true;
  factor.default_note = "from the catalog";
  Param nic = quantity("nic_bandwidth", Dimension::data_rate, json(), "With a `network` section: scale-out NIC bandwidth per GPU.");
  range(nic, 0.0, 1e15, true);
  nic.optional = true;
  nic.default_note = "the node type's, from the network catalog";
  Param catalog = string("catalog", json(), "Hardware catalog file (relative to the scenario file).");
  catalog.optional = true;
  catalog.default_note = "the built-in catalog";
  Param lifetime = quantity("lifetime", Dimension::time, json(), "Service life of these nodes: from their arrival plus this, they take no new jobs and switch off once idle.");
  range(lifetime, 0.0, 100 * 365 * kDay, true);
  lifetime.optional = true;
  lifetime.default_note = "beyond the horizon";
  Param t_nodes = integer("nodes", json(), "Nodes in the tranche.");
  range(t_nodes, 1, 2e6);
  Param t_type = string("node_type", json(), "Node type of the tranche (another generation, possibly); it must have the cluster's GPUs per node.");
  t_type.optional = true;
  t_type.default_note = "`cluster.node_type`";
  Param t_arrives = datetime("arrives", json(), "Date-time the tranche is bought and enters service: after `start` it arrives during the run; at or before it, it is in service from the start, aged (its lifetime and book value count from this date); at or after the horizon it never does in this run.");
  Param arrives = datetime("arrives", json(), "Date-time the cluster's own nodes were bought and entered service, at or before `start`: their lifetime and book value count from it.");
  arrives.optional = true;
  arrives.default_note = "`start`";
  Param t_pods = integer("pods", json(), "Pods of the tranche.");
  range(t_pods, 1, 2e6);
  t_pods.optional = true;
  t_pods.default_note = "ceil(nodes / 32)";
  Param t_idle = idle, t_peak = peak, t_factor = factor, t_nic = nic;
  Param t_price = string("node_price", json(), "Price of one node of the tranche. Money: \"AMOUNT CUR\".");
  t_price.optional = true;
  t_price.default_note = "from the cost catalog";
  Param t_name = string("name", "", "Label of the tranche.");
  Param tranche = object("tranche", {t_name, t_nodes, t_type, t_arrives, lifetime, t_pods, t_idle, t_peak, t_factor, t_price, t_nic},
                         "Nodes added on a date.");
  Param tranches = array("tranches", tranche, "Buildout phases: nodes that arrive after `start`, in any order (the nodes above arrive at `start`).");
  tranches.optional = true;
  tranches.default_note = "none";
  tranches.max_items = 64;
  Param cluster = object("cluster", {node_type, nodes, gpn, pods, idle, peak, factor, nic, catalog, arrives, lifetime, tranches}, "The GPU cluster.");
  cluster.optional = false;
  return {cluster};
}

std::string watts(double w) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g W", w);
  return buf;
}

// Appends one tranche of nodes (`t`: its resolved object, filled here from the node type's catalog entry).
// `label`: the catalog as `inputs` names it. A value equal to its catalog entry's, filled or written, is
// recorded when that entry is an estimate (so the resolved scenario, rerun, records the same).
void add_tranche(SectionContext& ctx, const Catalog& cat, const std::string& label, json& t, const std::string& path,
                 const NodeTypeSpec& type, double since_s) {
  Scenario& s = ctx.s;
  auto where = [&](const std::string& p) { return ctx.where(p); };
  Tranche tr;
  tr.name = t.value("name", "");
  tr.node_type = type.key;
  const AcceleratorSpec& a = cat.accelerator(type.accelerator, where(path + ".node_type"));
  tr.accelerator = a.key;
  tr.bf16_flops = a.bf16_dense_flops;
  tr.speed = a.bf16_dense_flops / s.cluster.gpu_bf16_flops;
  if (a.estimate) ctx.used_estimate(label, "accelerators." + a.key, path + ".node_type");
  auto from_type = [&](const char* key, bool same) {
    if (same && type.estimate) ctx.used_estimate(label, "node_types." + type.key, path + "." + key);
  };
  tr.nodes = t["nodes"];
  tr.path = path;
  if (t.contains("nic_bandwidth")) {
    if (!ctx.doc.contains("network"))
      throw InputError(where(path + ".nic_bandwidth") + ": only with a `network` section (no fabric is modelled without one)");
    tr.nic_bps = quantity_value(t["nic_bandwidth"], Dimension::data_rate);
  }
  if (!t.contains("node_idle_power")) t["node_idle_power"] = watts(type.idle_power_w);
  if (!t.contains("node_peak_power")) t["node_peak_power"] = watts(type.peak_power_w);
  tr.idle_w = quantity_value(t["node_idle_power"], Dimension::power);
  tr.peak_w = quantity_value(t["node_peak_power"], Dimension::power);
  if (tr.peak_w < tr.idle_w)
    throw InputError(where(path + ".node_peak_power") + ": expected at least node_idle_power (" +
                     t["node_idle_power"].get<std::string>() + "), found " + t["node_peak_power"].dump());
  if (!t.contains("active_power_factor")) t["active_power_factor"] = type.active_power_factor;
  tr.active_factor = t["active_power_factor"];
  from_type("node_idle_power", tr.idle_w == type.idle_power_w);
  from_type("node_peak_power", tr.peak_w == type.peak_power_w);
  from_type("active_power_factor", tr.active_factor == type.active_power_factor);
  if (!t.contains("pods")) t["pods"] = (tr.nodes + 31) / 32;
  tr.pods = t["pods"];
  if (tr.pods > tr.nodes)
    throw InputError(where(path + ".pods") + ": expected at most " + std::to_string(tr.nodes) + " pods (one per node), found " +
                     std::to_string(tr.pods));
  tr.since_s = since_s;
  tr.arrive_s = std::max(0.0, since_s);
  if (t.contains("lifetime")) tr.retire_s = since_s + quantity_value(t["lifetime"], Dimension::time);
  tr.first_node = s.cluster.nodes;
  s.cluster.nodes += tr.nodes;
  s.cluster.pods += tr.pods;
  s.cluster.tranches.push_back(tr);
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  auto where = [&](const std::string& p) { return ctx.where(p); };
  // Fill what the scenario leaves to the catalog, so the resolved file stands alone.
  json& c = r["cluster"];
  Catalog file_catalog;
  const Catalog* cat = &builtin_catalog();
  std::string label = "built-in hardware catalog";
  if (c.contains("catalog")) {
    const std::string path = ctx.rel(c["catalog"]);
    label = path;
    c["catalog"] = path;
    try {
      const std::string text = read_text_file(path);
      s.inputs[path] = digest_of(text);
      file_catalog = load_catalog_text(text, path);
    } catch (const InputError& e) {
      throw InputError(where("cluster.catalog") + ": " + e.what());
    }
    cat = &file_catalog;
  } else {
    static const FileDigest builtin = digest_of(builtin_catalog_json());
    s.inputs["built-in hardware catalog"] = builtin;
  }
  const NodeTypeSpec& nt = cat->node_type(c["node_type"], where("cluster.node_type"));
  const AcceleratorSpec& acc = cat->accelerator(nt.accelerator, where("cluster.node_type"));
  if (!c.contains("gpus_per_node")) c["gpus_per_node"] = nt.gpus_per_node;
  if (nt.estimate && c["gpus_per_node"] == nt.gpus_per_node) ctx.used_estimate(label, "node_types." + nt.key, "cluster.gpus_per_node");
  s.cluster.node_type = nt.key;
  s.cluster.accelerator = acc.key;
  s.cluster.gpu_bf16_flops = acc.bf16_dense_flops;
  s.cluster.gpus_per_node = c["gpus_per_node"];
  // The nodes at `start` are tranche 0; `tranches` add more. Node numbers follow tranche order here; the
  // scheduler section renumbers them in placement order.
  double since = 0;
  if (c.contains("arrives")) {
    since = static_cast<double>(*parse_iso8601(c["arrives"]) - s.start_epoch_s);
    if (since > 0)
      throw InputError(where("cluster.arrives") + ": expected a date-time at or before start (" + s.start + "), found " + c["arrives"].dump() +
                       "; nodes arriving later are a tranche");
  }
  add_tranche(ctx, *cat, label, c, "cluster", nt, since);
  if (s.cluster.tranches[0].retire_s <= 0)
    throw InputError(where("cluster.lifetime") + ": the cluster's own nodes retire at or before start (" + s.start + "); nothing would serve");
  s.cluster.node_idle_w = s.cluster.tranches[0].idle_w;
  s.cluster.node_peak_w = s.cluster.tranches[0].peak_w;
  if (c.contains("tranches")) {
    for (std::size_t i = 0; i < c["tranches"].size(); ++i) {
      json& t = c["tranches"][i];
      std::string path = "cluster.tranches." + std::to_string(i);
      if (!t.contains("node_type")) t["node_type"] = nt.key;
      const NodeTypeSpec& tt = cat->node_type(t["node_type"], where(path + ".node_type"));
      if (tt.key != nt.key && tt.gpus_per_node != s.cluster.gpus_per_node)
        throw InputError(where(path + ".node_type") + ": expected a node type with " + std::to_string(s.cluster.gpus_per_node) +
                         " GPUs per node like the cluster's, found \"" + tt.key + "\" with " + std::to_string(tt.gpus_per_node));
      double arrive = static_cast<double>(*parse_iso8601(t["arrives"]) - s.start_epoch_s);
      if (arrive <= 0 && t.contains("lifetime") && arrive + quantity_value(t["lifetime"], Dimension::time) <= 0) {
        ctx.warn(path + ".lifetime", "the tranche arrived " + t["arrives"].get<std::string>() + " and retires at or before start: it is left out (its GPUs, costs and design power)");
        continue;
      }
      if (arrive >= s.horizon_s) {
        ctx.warn(path + ".arrives", t["arrives"].get<std::string>() + " is at or after the horizon: the tranche is left out (its GPUs, costs and design power)");
        continue;
      }
      add_tranche(ctx, *cat, label, t, path, tt, arrive);
    }
  }
  if (s.cluster.gpus() > 8'000'000) {
    const bool phased = s.cluster.tranches.size() > 1;
    throw TooLargeError(where(phased ? "cluster.tranches" : "cluster.nodes") + ": " + std::to_string(s.cluster.gpus()) +
                        (phased ? " GPUs over the cluster's nodes and its tranches" : " GPUs") +
                        "; this machine handles at most 8,000,000 per run (docs/errors.md)");
  }
}

}  // namespace

Section cluster_section() { return {declare, build}; }

}  // namespace capsim
