// The `costs` section: capex and opex assumptions, filled from the site and the cost catalog.
#include "models/scenario/section.hpp"

#include "models/common/errors.hpp"
#include "models/cost/cost_catalog.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;

namespace {

constexpr const char* kCatalog = "built-in cost catalog";

bool same_money(const Money& a, const Money& b) { return a.amount == b.amount && a.currency == b.currency; }

std::vector<Param> declare() {
  auto money = [](std::string name, std::string help) {
    Param p = string(std::move(name), json(), std::move(help) + " Money: \"AMOUNT CUR\", e.g. \"317000 USD\".");
    p.optional = true;
    p.default_note = "from the cost catalog";
    return p;
  };
  Param currency = string("currency", "USD", "Currency of the reported costs (a currency of the cost catalog; costs are also reported in USD).");
  Param node_price = money("node_price", "Price of one node (servers with their accelerators and NICs).");
  Param network = money("network_per_gpu", "Network switches and cables per GPU.");
  Param facility_mw = money("facility_per_mw", "Facility construction (and land) per MW of design IT power; default: the site's, else the cost catalog's.");
  facility_mw.default_note = "the site's, else the cost catalog's";
  Param electricity = money("electricity_price", "Price of one kWh when the scenario has no site (a site brings its tariff; written with a site, it is an error).");
  Param staff = money("staff_per_mw_year", "Operations staff cost per MW of design IT power per year.");
  auto catalog_number = [](std::string name, double lo, double hi, std::string help) {
    Param p = number(std::move(name), json(), std::move(help));
    range(p, lo, hi);
    p.optional = true;
    p.default_note = "from the cost catalog";
    return p;
  };
  Param server_life = catalog_number("server_life_years", 1, 20, "Depreciation period of nodes and network (years, straight line).");
  Param facility_life = catalog_number("facility_life_years", 1, 60, "Depreciation period of the facility (years, straight line).");
  Param maintenance = catalog_number("maintenance_share_per_year", 0, 1, "Maintenance per year as a share of node and network capex.");
  Param discount = catalog_number("discount_rate", 0, 1, "Discount rate per year for the net present value.");
  Param costs = object("costs", {currency, node_price, network, facility_mw, electricity, staff, server_life, facility_life, maintenance, discount},
                       "Capex and opex assumptions (defaults and their sources: scenarios/catalog/costs.json).");
  return {costs};
}

// Each tranche's node price: its own, else the cost catalog's for its node type.
void build_tranche_prices(SectionContext& ctx, const CostCatalog& cc) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  auto where = [&](const std::string& p) { return ctx.where(p); };
  for (std::size_t i = 1; i < s.cluster.tranches.size(); ++i) {
    Tranche& tr = s.cluster.tranches[i];
    json& t = r["cluster"]["tranches"][i - 1];
    std::string p = "cluster.tranches." + std::to_string(i - 1) + ".node_price";
    if (!t.contains("node_price")) {
      auto it = cc.node_prices.find(tr.node_type);
      if (it == cc.node_prices.end())
        throw InputError(where(p) + ": missing: the cost catalog has no price for node type \"" + tr.node_type + "\"; set it");
      t["node_price"] = format_money(it->second);
    }
    auto m = parse_money(t["node_price"]);
    if (!m || !cc.fx.per_usd.count(m->currency) || m->amount < 0)
      throw InputError(where(p) + ": expected money like \"317000 USD\" in a currency of the cost catalog (" + cc.currencies() + "), found " +
                       t["node_price"].dump());
    tr.node_price = *m;
    auto it = cc.node_prices.find(tr.node_type);
    if (it != cc.node_prices.end() && same_money(*m, it->second) && cc.estimates.count("node_prices." + tr.node_type))
      ctx.used_estimate(kCatalog, "node_prices." + tr.node_type, p);
  }
}

// The site's figures flagged as estimates, where the scenario uses them: the tariff and the projected
// carbon intensity always; the climate with the climate PUE model; the grid limit as the cap; construction
// cost where facility_per_mw is the site's.
// (The grid's date is for readers: no model uses it.)
void site_estimates(SectionContext& ctx, bool site_facility_cost) {
  const Scenario& s = ctx.s;
  const std::string catalog = ctx.r.contains("site_catalog") ? ctx.r["site_catalog"].get<std::string>() : "built-in site catalog";
  for (const std::string& field : s.site->estimates) {
    std::string path;
    if (field == "tariff" || field == "carbon_gco2_per_kwh_by_year") path = "site";
    else if (field == "climate" && s.facility.climate) path = "facility.pue_model";
    else if (field == "grid_limit_mw" && ctx.r["facility"].value("cap_at_grid_limit", false)) path = "facility.cap_at_grid_limit";
    else if ((field == "construction_cost_per_mw" || field == "land_cost_per_mw") && site_facility_cost) path = "costs.facility_per_mw";
    if (!path.empty()) ctx.used_estimate(catalog, "sites." + s.site->key + "." + field, path);
  }
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  auto where = [&](const std::string& p) { return ctx.where(p); };
  const CostCatalog& cc = builtin_cost_catalog();
  static const FileDigest builtin = digest_of(builtin_costs_json());
  ctx.s.inputs[kCatalog] = builtin;
  json& k = r["costs"];
  s.costs.fx = cc.fx;
  s.costs.currency = k["currency"];
  if (!cc.fx.per_usd.count(s.costs.currency))
    throw InputError(where("costs.currency") + ": expected a currency of the cost catalog (" + cc.currencies() + "), found \"" + s.costs.currency + "\"");
  // `entry`: the catalog entry the fallback comes from; a value equal to it, filled or written, is recorded
  // when the entry is an estimate (so the resolved scenario, rerun, records the same).
  auto money_at = [&](const char* key, const std::optional<Money>& fallback, const std::string& why, const std::string& entry) {
    std::string p = std::string("costs.") + key;
    if (!k.contains(key)) {
      if (!fallback) throw InputError(where(p) + ": missing: " + why);
      k[key] = format_money(*fallback);
    }
    auto m = parse_money(k[key]);
    if (!m) throw InputError(where(p) + ": expected money like \"317000 USD\", found " + k[key].dump());
    if (!cc.fx.per_usd.count(m->currency))
      throw InputError(where(p) + ": expected a currency of the cost catalog (" + cc.currencies() + "), found \"" + m->currency + "\"");
    if (m->amount < 0) throw InputError(where(p) + ": expected a non-negative amount, found " + k[key].dump());
    if (fallback && same_money(*m, *fallback) && cc.estimates.count(entry)) ctx.used_estimate(kCatalog, entry, p);
    return *m;
  };
  std::optional<Money> catalog_node;
  if (auto it = cc.node_prices.find(s.cluster.node_type); it != cc.node_prices.end()) catalog_node = it->second;
  s.costs.node_price = money_at("node_price", catalog_node, "the cost catalog has no price for node type \"" + s.cluster.node_type + "\"; set costs.node_price",
                               "node_prices." + s.cluster.node_type);
  s.cluster.tranches[0].node_price = s.costs.node_price;
  build_tranche_prices(ctx, cc);
  // With a `network` section the fabric's parts price the network (models/network/).
  if (ctx.doc.contains("network")) {
    if (ctx.doc.contains("costs") && ctx.doc["costs"].contains("network_per_gpu"))
      throw InputError(where("costs.network_per_gpu") + ": not with a `network` section: the fabric's switches and links price the network (docs/network.md); remove it");
  } else {
    s.costs.network_per_gpu = money_at("network_per_gpu", cc.network_per_gpu, "", "network_per_gpu");
  }
  std::optional<Money> site_facility;
  if (s.site) site_facility = Money{s.site->construction_per_mw + s.site->land_per_mw, s.site->construction_currency};
  s.costs.facility_per_mw = money_at("facility_per_mw", site_facility ? site_facility : std::optional<Money>(cc.facility_per_mw), "",
                                     site_facility ? "" : "facility_per_mw");
  // A site's tariff sets the price; the flat price is for scenarios without one.
  if (s.site && ctx.doc.contains("costs") && ctx.doc["costs"].contains("electricity_price"))
    throw InputError(where("costs.electricity_price") + ": has no effect with a `site` (its tariff sets the price); remove it or remove `site`");
  if (!s.site) s.costs.electricity_price = money_at("electricity_price", cc.electricity_price, "", "electricity_price");
  s.costs.staff_per_mw_year = money_at("staff_per_mw_year", cc.staff_per_mw_year, "", "staff_per_mw_year");
  auto number_at = [&](const char* key, double fallback) {
    if (!k.contains(key)) k[key] = fallback;
    if (k[key].get<double>() == fallback && cc.estimates.count(key)) ctx.used_estimate(kCatalog, key, std::string("costs.") + key);
    return k[key].get<double>();
  };
  s.costs.server_life_y = number_at("server_life_years", cc.server_life_years);
  s.costs.facility_life_y = number_at("facility_life_years", cc.facility_life_years);
  s.costs.maintenance_share = number_at("maintenance_share_per_year", cc.maintenance_share_per_year);
  s.costs.discount_rate = number_at("discount_rate", cc.discount_rate);
  if (s.site) site_estimates(ctx, site_facility && same_money(s.costs.facility_per_mw, *site_facility));
  if (s.site && !cc.fx.per_usd.count(s.site->tariff.currency))
    throw InputError(where("site") + ": the site's tariff currency " + s.site->tariff.currency + " is not in the cost catalog");
}

}  // namespace

Section costs_section() { return {declare, build}; }

}  // namespace capsim
