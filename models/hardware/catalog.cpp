#include "models/hardware/catalog.hpp"

#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/common/params.hpp"

namespace capsim {
using nlohmann::json;

Catalog load_catalog_text(std::string_view text, const std::string& origin) {
  json doc = parse_json_text(text, origin);
  CatalogReader r{origin};
  Catalog c;
  c.origin = origin;
  if (!doc.is_object()) r.fail("(top level)", "expected an object, found " + doc.dump().substr(0, 40));
  r.version(doc);
  const json& accs = r.field(doc, "(top level)", "accelerators");
  const json& nodes = r.field(doc, "(top level)", "node_types");
  if (!accs.is_object()) r.fail("accelerators", "expected an object keyed by accelerator name");
  if (!nodes.is_object()) r.fail("node_types", "expected an object keyed by node type name");
  for (const auto& [key, a] : accs.items()) {
    std::string path = "accelerators." + key;
    if (!a.is_object()) r.fail(path, "expected an object");
    AcceleratorSpec s;
    s.key = key;
    s.name = r.text(a, path, "name");
    s.bf16_dense_flops = r.number(a, path, "bf16_dense_flops", true, 1e18);
    if (a.contains("fp8_dense_flops") && !a["fp8_dense_flops"].is_null())
      s.fp8_dense_flops = r.number(a, path, "fp8_dense_flops", true, 1e18);
    s.tdp_w = r.number(a, path, "tdp_w");
    s.memory_gb = r.number(a, path, "memory_gb");
    s.memory_bandwidth_tbps = r.number(a, path, "memory_bandwidth_tbps");
    s.estimate = a.value("estimate", false);
    r.sourced(a, path);
    c.accelerators.emplace(key, s);
  }
  for (const auto& [key, n] : nodes.items()) {
    std::string path = "node_types." + key;
    if (!n.is_object()) r.fail(path, "expected an object");
    NodeTypeSpec s;
    s.key = key;
    s.name = r.text(n, path, "name");
    s.accelerator = r.text(n, path, "accelerator");
    if (!c.accelerators.count(s.accelerator))
      r.fail(path + ".accelerator", "unknown accelerator \"" + s.accelerator + "\"");
    double g = r.number(n, path, "gpus_per_node");
    if (g != static_cast<int>(g)) r.fail(path + ".gpus_per_node", "expected an integer, found " + n["gpus_per_node"].dump());
    s.gpus_per_node = static_cast<int>(g);
    s.idle_power_w = r.number(n, path, "idle_power_w");
    s.peak_power_w = r.number(n, path, "peak_power_w");
    if (s.peak_power_w < s.idle_power_w)
      r.fail(path, "peak_power_w (" + std::to_string(s.peak_power_w) + ") is below idle_power_w");
    if (n.contains("active_power_factor")) {
      s.active_power_factor = r.number(n, path, "active_power_factor", true, 1);
    }
    s.estimate = n.value("estimate", false);
    r.sourced(n, path);
    c.node_types.emplace(key, s);
  }
  return c;
}


const Catalog& builtin_catalog() {
  static const Catalog c = load_catalog_text(builtin_catalog_json(), "built-in catalog");
  return c;
}

const NodeTypeSpec& Catalog::node_type(const std::string& key, const std::string& where) const {
  return lookup_or_suggest(node_types, key, where, "node type", origin);
}
const AcceleratorSpec& Catalog::accelerator(const std::string& key, const std::string& where) const {
  return lookup_or_suggest(accelerators, key, where, "accelerator", origin);
}

}  // namespace capsim
