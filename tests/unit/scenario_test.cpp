#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "models/common/calendar.hpp"
#include "models/cost/cost_catalog.hpp"
#include "models/hardware/catalog.hpp"
#include "models/site/site.hpp"
#include "models/site/facility.hpp"
#include "models/common/errors.hpp"
#include "models/scenario/scenario.hpp"

namespace capsim {
namespace {
using nlohmann::json;

json minimal() {
  return json::parse(R"({"capsim": 1, "horizon": "10 d", "cluster": {"node_type": "h100-sxm-8", "nodes": 4},
    "workload": {"mean_interarrival": "1 h", "classes": [{"name": "a", "sizes": {"gpus": [1, 8]},
    "durations": {"median": "1 h"}}]}})");
}

std::string error_of(const json& doc, std::vector<Override> o = {}) {
  try {
    load_scenario_json(doc, "s.json", ".", o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Scenario, FillsDefaultsFromDeclarationsAndCatalog) {
  Scenario s = load_scenario_json(minimal(), "s.json", ".");
  const auto& nt = builtin_catalog().node_types.at("h100-sxm-8");
  EXPECT_EQ(s.cluster.gpus_per_node, nt.gpus_per_node);
  EXPECT_DOUBLE_EQ(s.cluster.node_idle_w, nt.idle_power_w);
  EXPECT_DOUBLE_EQ(s.cluster.node_peak_w, nt.peak_power_w);
  EXPECT_EQ(s.cluster.pods, 1);
  EXPECT_EQ(s.policy, PolicyKind::easy);
  EXPECT_DOUBLE_EQ(s.pue, 1.2);
  EXPECT_EQ(s.resolved["warmup"], "0 s");
  EXPECT_EQ(s.resolved["workload"]["classes"][0]["durations"]["distribution"], "lognormal");
  EXPECT_EQ(s.resolved["cluster"]["node_idle_power"], std::to_string(static_cast<int>(nt.idle_power_w)) + " W");
}

// estimates_used against the catalogs' own text: an entry flagged `"estimate": true` is listed, with the
// paths it filled, exactly when the scenario leaves those values to it.
std::map<std::string, std::vector<std::string>> estimates(const Scenario& s) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& u : s.estimates_used) out[u.entry] = u.paths;
  return out;
}

TEST(Scenario, EstimatesUsedAreTheFlaggedCatalogEntriesLeftToTheCatalog) {
  const json hw = json::parse(builtin_catalog_json()), costs = json::parse(builtin_costs_json()), sites = json::parse(builtin_sites_json());
  std::map<std::string, std::vector<std::string>> expected;
  ASSERT_TRUE(hw["node_types"]["h100-sxm-8"]["estimate"].get<bool>()) << "the case below needs a flagged node type";
  expected["node_types.h100-sxm-8"] = {"cluster.gpus_per_node", "cluster.node_idle_power", "cluster.node_peak_power", "cluster.active_power_factor"};
  if (hw["accelerators"]["h100-sxm"]["estimate"].get<bool>()) expected["accelerators.h100-sxm"] = {"cluster.node_type"};
  if (costs["node_prices"]["h100-sxm-8"]["estimate"].get<bool>()) expected["node_prices.h100-sxm-8"] = {"costs.node_price"};
  std::vector<std::string> flagged_costs;
  for (const char* k : {"network_per_gpu", "facility_per_mw", "electricity_price", "staff_per_mw_year", "server_life_years",
                        "facility_life_years", "maintenance_share_per_year", "discount_rate"})
    if (costs[k]["estimate"].get<bool>()) {
      expected[k] = {std::string("costs.") + k};
      flagged_costs.push_back(k);
    }
  ASSERT_FALSE(flagged_costs.empty());
  EXPECT_EQ(estimates(load_scenario_json(minimal(), "s.json", ".")), expected);

  // A value the scenario sets otherwise leaves the list; the catalog's own value, written out, stays in it.
  std::vector<Override> o = {{"cluster.node_idle_power", "\"1 kW\""}, {"cluster.node_peak_power", "\"9 kW\""},
                             {"cluster.active_power_factor", "0.7"}, {"cluster.gpus_per_node", "8"}};
  expected["node_types.h100-sxm-8"] = {"cluster.gpus_per_node"};
  ASSERT_EQ(hw["node_types"]["h100-sxm-8"]["gpus_per_node"], 8);
  std::vector<std::string> numbers;
  for (const std::string& k : flagged_costs)
    if (costs[k].contains("value")) numbers.push_back(k);
  ASSERT_GE(numbers.size(), 2u) << "the case needs two flagged numbers";
  o.push_back({"costs." + numbers[0], json(costs[numbers[0]]["value"].get<double>() / 2).dump()});
  expected.erase(numbers[0]);
  o.push_back({"costs." + numbers[1], costs[numbers[1]]["value"].dump()});
  EXPECT_EQ(estimates(load_scenario_json(minimal(), "s.json", ".", o)), expected);

  // A site's flagged fields, where a model uses them.
  json doc = minimal();
  doc["site"] = "kr-jeonnam-haenam";
  doc["facility"] = {{"pue_model", "climate"}};
  const json& haenam = sites["sites"]["kr-jeonnam-haenam"];
  auto site_entries = [&](const Scenario& sc) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [e, paths] : estimates(sc))
      if (e.rfind("sites.", 0) == 0) out[e] = paths;
    return out;
  };
  std::map<std::string, std::vector<std::string>> site_expected;
  for (const auto& f : haenam["estimates"]) {
    const std::string field = f;
    if (field == "tariff" || field == "carbon_gco2_per_kwh_by_year") site_expected["sites.kr-jeonnam-haenam." + field] = {"site"};
    if (field == "climate") site_expected["sites.kr-jeonnam-haenam.climate"] = {"facility.pue_model"};
    if (field == "construction_cost_per_mw") site_expected["sites.kr-jeonnam-haenam.construction_cost_per_mw"] = {"costs.facility_per_mw"};
  }
  ASSERT_GE(site_expected.size(), 3u) << "the case needs a site with a flagged tariff, climate and construction cost";
  EXPECT_EQ(site_entries(load_scenario_json(doc, "s.json", ".")), site_expected);
  doc["facility"] = {{"pue_model", "constant"}};
  doc["costs"] = {{"facility_per_mw", "10e6 USD"}};
  site_expected.erase("sites.kr-jeonnam-haenam.climate");
  site_expected.erase("sites.kr-jeonnam-haenam.construction_cost_per_mw");
  EXPECT_EQ(site_entries(load_scenario_json(doc, "s.json", ".")), site_expected);
}

// Members inherit the scenario, take their share of every tranche's nodes, then their own settings.
TEST(Scenario, FederationMembersInheritScaleAndOverride) {
  json doc = minimal();
  doc["cluster"]["nodes"] = 10;
  doc["cluster"]["tranches"] = json::parse(R"([{"nodes": 20, "node_type": "b200-8", "arrives": "2026-01-05T00:00:00Z"}])");
  doc["start"] = "2026-01-01T00:00:00Z";
  doc["federation"] = json::parse(R"({"members": [
      {"name": "a", "share": 0.25, "set": {"site": "kr-ulsan"}},
      {"name": "b", "share": 0.75, "set": {"cluster.tranches.0.nodes": 2, "scheduler.policy": "fcfs"}}]})");
  Scenario s = load_scenario_json(doc, "s.json", ".");
  ASSERT_EQ(s.members.size(), 2u);
  EXPECT_EQ(s.members[0].cluster.tranches[0].nodes, 3);   // 2.5 rounded
  EXPECT_EQ(s.members[0].cluster.tranches[1].nodes, 5);
  EXPECT_EQ(s.members[0].site->key, "kr-ulsan");
  EXPECT_EQ(s.members[0].policy, PolicyKind::easy);
  EXPECT_EQ(s.members[1].cluster.tranches[0].nodes, 8);   // 7.5 rounded
  EXPECT_EQ(s.members[1].cluster.tranches[1].nodes, 2);   // `set` wins over the share
  EXPECT_FALSE(s.members[1].site.has_value());
  EXPECT_EQ(s.members[1].policy, PolicyKind::fcfs);
  EXPECT_EQ(s.members[1].seed, s.seed);
  EXPECT_EQ(s.members[1].horizon_s, s.horizon_s);
}

// --set into a member's `set` writes one dotted key there; it does not replace the member's whole section.
TEST(Scenario, OverrideIntoAMembersSetIsOneDottedKey) {
  json doc = minimal();
  doc["federation"] = json::parse(R"({"members": [{"name": "a", "set": {"scheduler.policy": "fcfs"}}]})");
  Scenario s = load_scenario_json(doc, "s.json", ".", {parse_override("federation.members.0.set.cluster.nodes=3")});
  EXPECT_EQ(s.resolved["federation"]["members"][0]["resolved"]["cluster"]["node_type"], "h100-sxm-8");
  EXPECT_EQ(s.members[0].cluster.nodes, 3);
  EXPECT_EQ(s.members[0].policy, PolicyKind::fcfs);
}

// Site-local hours (climate, tariff, carbon) follow the site's own UTC offset, not the offset `start` is
// written in: Ashburn (-05:00) in a scenario written in Korean time.
TEST(Scenario, SiteLocalTimeFollowsTheSitesOffset) {
  json doc = minimal();
  doc["start"] = "2030-07-01T00:00:00+09:00";
  doc["site"] = "us-virginia-ashburn";
  doc["facility"] = {{"pue_model", "climate"}};
  Scenario s = load_scenario_json(doc, "s.json", ".");
  EXPECT_EQ(s.site_utc_offset_s, -5 * 3600);
  FacilityModel f = make_facility_model(s);
  bool differs = false;
  for (std::size_t h = 0; h < 48; ++h) {
    double at_site = site_temperature_c(*s.site, local_time(h * 3600.0, s.start_epoch_s, -5 * 3600), 4);
    double at_start = site_temperature_c(*s.site, local_time(h * 3600.0, s.start_epoch_s, 9 * 3600), 4);
    EXPECT_DOUBLE_EQ(f.temperature_c[h], at_site) << "hour " << h;
    differs = differs || std::abs(at_site - at_start) > 1;
  }
  EXPECT_TRUE(differs) << "the check cannot tell the two offsets apart";
}

TEST(Scenario, ResolvedScenarioResolvesToItself) {
  Scenario a = load_scenario_json(minimal(), "s.json", ".");
  Scenario b = load_scenario_json(a.resolved, "resolved.json", ".");
  EXPECT_EQ(a.resolved, b.resolved) << json::diff(a.resolved, b.resolved).dump(2);
  EXPECT_EQ(a.sha256, b.sha256);
}

TEST(Scenario, OverridesFollowDottedPathsAndParseJson) {
  Scenario s = load_scenario_json(minimal(), "s.json", ".",
                                  {{"cluster.nodes", "12"}, {"workload.classes.0.share", "0.3"},
                                   {"scheduler.policy", "fcfs"}, {"name", "x y"}});
  EXPECT_EQ(s.cluster.nodes, 12);
  EXPECT_DOUBLE_EQ(std::get<SyntheticWorkload>(s.workload).classes[0].share, 0.3);
  EXPECT_EQ(s.policy, PolicyKind::fcfs);
  EXPECT_EQ(s.name, "x y");
  EXPECT_EQ(s.resolved["cluster"]["nodes"], 12);
}

TEST(Scenario, UnknownOverridePathSuggestsTheNearKey) {
  EXPECT_EQ(error_of(minimal(), {{"cluster.node", "3"}}), "--set cluster.node: unknown key `node` under `cluster`, did you mean `cluster.nodes`?");
  EXPECT_EQ(error_of(minimal(), {{"horizn", "3 d"}}), "--set horizn: unknown key `horizn`, did you mean `horizon`?");
  EXPECT_EQ(error_of(minimal(), {{"cluster.nodes=3", "x"}}).substr(0, 22), "--set cluster.nodes=3:");
}

TEST(Scenario, OverrideValuesAreValidatedLikeTheFile) {
  EXPECT_EQ(error_of(minimal(), {{"cluster.nodes", "zero"}}), "s.json: cluster.nodes: expected an integer from 1 to 2000000, found \"zero\"");
}

TEST(Scenario, VariantFieldsDependOnTheDiscriminator) {
  json d = minimal();
  d["workload"]["classes"][0]["durations"] = {{"distribution", "exponential"}, {"median", "1 h"}};
  EXPECT_EQ(error_of(d), "s.json: workload.classes.0.durations.median: unknown key `median`, did you mean `mean`?");
  d["workload"]["classes"][0]["durations"] = {{"distribution", "weibull"}};
  EXPECT_EQ(error_of(d), "s.json: workload.classes.0.durations.distribution: expected one of \"lognormal\", \"exponential\", \"constant\", \"empirical\", found \"weibull\"");
}

TEST(Scenario, SchemaIsGeneratedFromTheDeclarations) {
  json s = params::json_schema(scenario_spec());
  EXPECT_EQ(s["properties"]["horizon"]["default"], "365 d");
  EXPECT_EQ(s["additionalProperties"], false);
  EXPECT_EQ(s["properties"]["scheduler"]["properties"]["policy"]["enum"], json({"fcfs", "easy"}));
  EXPECT_TRUE(s["properties"]["workload"].contains("oneOf"));
  std::string md = params::markdown(scenario_spec());
  EXPECT_NE(md.find("| `horizon` | duration"), std::string::npos);
}

TEST(Scenario, CoolingDesignSetsItsDefaults) {
  json d = minimal();
  d["site"] = "kr-ulsan";
  d["facility"] = {{"pue_model", "climate"}};
  Scenario liquid = load_scenario_json(d, "s.json", ".");
  d["facility"]["cooling"] = {{"design", "air"}};
  Scenario air = load_scenario_json(d, "s.json", ".");
  EXPECT_DOUBLE_EQ(liquid.facility.cooling.free, 0.03);
  EXPECT_DOUBLE_EQ(air.facility.cooling.free, 0.10);
  EXPECT_EQ(air.resolved["facility"]["cooling"]["free_cooling_below_c"], 15.0);
  // An air-cooled hall needs more cooling power at every hour of the year at the same site.
  FacilityModel fl = make_facility_model(liquid), fa = make_facility_model(air);
  ASSERT_EQ(fl.multiplier.size(), fa.multiplier.size());
  for (std::size_t h = 0; h < fl.multiplier.size(); ++h) ASSERT_GT(fa.multiplier[h], fl.multiplier[h]) << "hour " << h;
  // Keys of the other design are unknown keys.
  d["facility"]["cooling"] = {{"design", "air"}, {"free_sharee", 0.1}};
  EXPECT_EQ(error_of(d), "s.json: facility.cooling.free_sharee: unknown key `free_sharee`, did you mean `free_share`?");
}

TEST(Params, Iso8601WithZone) {
  EXPECT_EQ(*params::parse_iso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*params::parse_iso8601("2026-01-01T09:00:00+09:00"), 1767225600);
  EXPECT_FALSE(params::parse_iso8601("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(params::parse_iso8601("2026-01-01T00:00:00"));
  EXPECT_TRUE(params::parse_iso8601("2024-02-29T00:00:00-05:00"));
}

TEST(Params, NearMiss) {
  EXPECT_EQ(params::near_miss("horizn", {"horizon", "warmup"}), "horizon");
  EXPECT_EQ(params::near_miss("zzzzzz", {"horizon", "warmup"}), "");
}

TEST(Catalog, EveryEntryIsSourcedAndConsistent) {
  const Catalog& c = builtin_catalog();
  ASSERT_GE(c.accelerators.size(), 5u);
  for (const char* k : {"h100-sxm", "h200-sxm", "b200", "gb200"}) EXPECT_TRUE(c.accelerators.count(k)) << k;
  bool korean = false;
  for (const auto& [k, a] : c.accelerators) korean |= k.rfind("rebellions", 0) == 0 || k.rfind("furiosa", 0) == 0;
  EXPECT_TRUE(korean);
  for (const auto& [k, n] : c.node_types) {
    const auto& a = c.accelerators.at(n.accelerator);
    // A node's peak power covers at least its accelerators at TDP.
    EXPECT_GE(n.peak_power_w, n.gpus_per_node * a.tdp_w) << k;
    EXPECT_LT(n.idle_power_w, n.peak_power_w) << k;
  }
}

TEST(Catalog, BadCatalogsAreExplained) {
  try {
    load_catalog_text(R"({"accelerators": {"x": {"name": "X"}}, "node_types": {}})", "cat.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "cat.json: accelerators.x: missing required key `bf16_dense_flops`");
  }
}

}  // namespace
}  // namespace capsim
