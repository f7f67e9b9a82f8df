#include "models/cost/cost_catalog.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"

namespace capsim {
using nlohmann::json;

std::string format_money(const Money& m) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g %s", m.amount, m.currency.c_str());
  return buf;
}

std::string CostCatalog::currencies() const {
  std::string out;
  for (const auto& [c, _] : fx.per_usd) out += (out.empty() ? "" : ", ") + c;
  return out;
}

CostCatalog load_cost_catalog_text(std::string_view text, const std::string& origin) {
  json doc = parse_json_text(text, origin);
  auto fail = [&](const std::string& path, const std::string& what) { throw InputError(origin + ": " + path + ": " + what); };
  auto get = [&](const json& o, const std::string& path, const std::string& key) -> const json& {
    if (!o.is_object() || !o.contains(key)) fail(path, "missing required key `" + key + "`");
    return o[key];
  };
  CatalogReader{origin}.version(doc);
  CostCatalog c;
  for (const auto& [cur, v] : get(doc, "(top level)", "usd_rates").items()) {
    const json& r = get(v, "usd_rates." + cur, "per_usd");
    if (!r.is_number() || r.get<double>() <= 0) fail("usd_rates." + cur + ".per_usd", "expected a positive number");
    get(v, "usd_rates." + cur, "source");
    c.fx.per_usd[cur] = r.get<double>();
  }
  auto flag = [&](const json& v, const std::string& path) {
    if (!v.contains("estimate")) return;
    if (!v["estimate"].is_boolean()) fail(path + ".estimate", "expected true or false, found " + v["estimate"].dump());
    if (v["estimate"].get<bool>()) c.estimates.insert(path);
  };
  auto money = [&](const json& v, const std::string& path) {
    get(v, path, "source");
    flag(v, path);
    const json& p = get(v, path, "price");
    auto m = p.is_string() ? parse_money(p.get<std::string>()) : std::nullopt;
    if (!m) fail(path + ".price", "expected money like \"317000 USD\", found " + p.dump());
    if (!c.fx.per_usd.count(m->currency)) fail(path + ".price", "currency " + m->currency + " has no rate in usd_rates");
    return *m;
  };
  auto value = [&](const std::string& key) {
    const json& v = get(doc, "(top level)", key);
    get(v, key, "source");
    flag(v, key);
    const json& x = get(v, key, "value");
    if (!x.is_number() || x.get<double>() < 0) fail(key + ".value", "expected a non-negative number");
    return x.get<double>();
  };
  for (const auto& [k, v] : get(doc, "(top level)", "node_prices").items()) c.node_prices[k] = money(v, "node_prices." + k);
  c.network_per_gpu = money(get(doc, "(top level)", "network_per_gpu"), "network_per_gpu");
  c.facility_per_mw = money(get(doc, "(top level)", "facility_per_mw"), "facility_per_mw");
  c.electricity_price = money(get(doc, "(top level)", "electricity_price"), "electricity_price");
  c.staff_per_mw_year = money(get(doc, "(top level)", "staff_per_mw_year"), "staff_per_mw_year");
  c.server_life_years = value("server_life_years");
  c.facility_life_years = value("facility_life_years");
  c.maintenance_share_per_year = value("maintenance_share_per_year");
  c.discount_rate = value("discount_rate");
  return c;
}

const CostCatalog& builtin_cost_catalog() {
  static const CostCatalog c = load_cost_catalog_text(builtin_costs_json(), "built-in cost catalog");
  return c;
}

}  // namespace capsim
