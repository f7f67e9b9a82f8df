#include "models/network/network_catalog.hpp"

#include <nlohmann/json.hpp>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/common/units.hpp"

namespace capsim {
using nlohmann::json;
using units::Dimension;

NetworkCatalog load_network_catalog_text(std::string_view text, const std::string& origin) {
  const json doc = parse_json_text(text, origin);
  const CatalogReader rd{origin};
  rd.version(doc);
  NetworkCatalog c;
  auto quantity = [&](const json& o, const std::string& path, const std::string& key, Dimension d) {
    const std::string t = rd.text(o, path, key);
    units::ParseResult r = units::parse(t, d);
    if (!r.ok || r.value < 0) rd.fail(path + "." + key, r.ok ? "expected a non-negative value, found \"" + t + "\"" : r.error);
    return r.value;
  };
  auto money = [&](const json& o, const std::string& path, const std::string& key) {
    const std::string t = rd.text(o, path, key);
    auto m = parse_money(t);
    if (!m || m->amount < 0) rd.fail(path + "." + key, "expected money like \"36000 USD\", found \"" + t + "\"");
    return *m;
  };
  auto entry = [&](const json& o, const std::string& path) {
    rd.text(o, path, "source");
    const bool est = o.contains("estimate") && o["estimate"] == true;
    if (o.contains("estimate") && !o["estimate"].is_boolean()) rd.fail(path + ".estimate", "expected true or false, found " + o["estimate"].dump());
    c.estimate[path] = est;
    return est;
  };
  for (const auto& [k, v] : rd.field(doc, "(top level)", "switches").items()) {
    const std::string path = "switches." + k;
    SwitchPart s;
    s.key = k;
    s.name = rd.text(v, path, "name");
    s.ports = static_cast<int>(rd.number(v, path, "ports", true, 4096));
    s.port_bps = quantity(v, path, "port_bandwidth", Dimension::data_rate);
    s.latency_s = quantity(v, path, "latency", Dimension::time);
    s.price = money(v, path, "price");
    s.power_w = quantity(v, path, "power", Dimension::power);
    if (s.port_bps <= 0) rd.fail(path + ".port_bandwidth", "expected a positive bandwidth");
    entry(v, path);
    c.switches[k] = s;
  }
  for (const auto& [k, v] : rd.field(doc, "(top level)", "links").items()) {
    const std::string path = "links." + k;
    units::ParseResult bw = units::parse(k, Dimension::data_rate);
    if (!bw.ok || bw.value <= 0) rd.fail(path, "expected a link bandwidth as the key, like \"400 Gbps\": " + bw.error);
    LinkPart l;
    l.transceiver_price = money(v, path, "transceiver_price");
    l.copper_price = money(v, path, "copper_price");
    l.transceiver_w = quantity(v, path, "transceiver_power", Dimension::power);
    entry(v, path);
    c.links[k] = l;
    c.link_keys[bw.value] = k;
  }
  for (const auto& [k, v] : rd.field(doc, "(top level)", "node_types").items()) {
    const std::string path = "node_types." + k;
    NodeFabric n;
    n.nic_bps_per_gpu = quantity(v, path, "nic_bandwidth_per_gpu", Dimension::data_rate);
    n.scale_up_gpus = static_cast<int>(rd.number(v, path, "scale_up_gpus", true, 1e6));
    n.switch_key = rd.text(v, path, "switch");
    if (!c.switches.count(n.switch_key)) rd.fail(path + ".switch", "unknown switch \"" + n.switch_key + "\" (not in `switches`)");
    n.estimate = entry(v, path);
    c.node_types[k] = n;
  }
  return c;
}

const NetworkCatalog& builtin_network_catalog() {
  static const NetworkCatalog c = load_network_catalog_text(builtin_network_json(), "built-in network catalog");
  return c;
}

}  // namespace capsim
