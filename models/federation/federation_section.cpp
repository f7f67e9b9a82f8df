// The `federation` section: several data centers, one workload dispatched job by job.
#include "models/scenario/section.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/common/errors.hpp"
#include "models/cost/cost.hpp"
#include "models/scenario/overrides.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

std::vector<Param> declare() {
  Param member_name = string("name", json(), "Member name used in outputs (summary.json `sites.NAME`, the `site` column of jobs.csv).");
  member_name.name_pattern = "a-z0-9_-";
  Param member_set = free_object("set", "Settings of this member, as `--set` paths and values (`{\"site\": \"kr-ulsan\", \"cluster.nodes\": 1500}`), applied to the scenario's own `site`, `site_catalog`, `cluster`, `facility`, `costs` and `scheduler`; everything else (calendar, seed, workload) is shared.");
  member_set.default_value = json::object();
  Param member_share = number("share", json(), "Share of the scenario's nodes at this member: every tranche's `nodes` (and `cluster.nodes`) times the share, rounded, at least 1; applied before `set`.");
  range(member_share, 0.0, 1.0, true);
  member_share.optional = true;
  member_share.default_note = "all of them";
  Param member_resolved = free_object("resolved", "The member's own `site`, `site_catalog`, `cluster`, `facility`, `costs` and `scheduler`, every default filled: what capsim writes in scenario.resolved.json in place of `share` and `set`.");
  member_resolved.optional = true;
  member_resolved.default_note = "derived from `share` and `set`";
  Param member = object("member", {member_name, member_share, member_set, member_resolved}, "A data center of the federation: the scenario with these settings.");
  Param members = array("members", member, "The federation's data centers, each a full cluster at its site.");
  members.min_items = 1;
  members.max_items = 64;
  Param dispatch = string("dispatch", "least_queued_work",
                          "Where each arriving job goes (unless pinned): \"least_queued_work\", the member where it could start soonest: the transfer of its input data there (workload `data_site`) plus, unless it can start there at once, the queued work (GPUs x estimate) per GPU switched on; \"cheapest_power\", the lowest electricity price at that local hour; \"lowest_carbon\", the lowest grid carbon intensity at that hour. Ties go to the least queued work, then the first member. A member whose cluster can never hold the job is skipped.");
  choices(dispatch, {"least_queued_work", "cheapest_power", "lowest_carbon"});
  Param pin_tenant = string("tenant", json(), "A tenant (a job class's `tenant`).");
  pin_tenant.name_pattern = "a-z0-9_-";
  Param pin_member = string("member", json(), "The member its jobs always go to.");
  pin_member.name_pattern = "a-z0-9_-";
  Param pin = object("pin", {pin_tenant, pin_member}, "Jobs of a tenant always go to one member.");
  Param pins = array("pins", pin, "Tenants pinned to members, whatever the dispatch policy.");
  pins.default_value = json::array();
  Param between = array("between", [] {
    Param m = string("member", json(), "A member's name.");
    m.name_pattern = "a-z0-9_-";
    return m;
  }(), "The two members the link joins.");
  between.min_items = between.max_items = 2;
  Param bandwidth = quantity("bandwidth", Dimension::data_rate, json(), "Capacity in each direction, shared by the transfers crossing it.");
  range(bandwidth, 0.0, 1e18, true);
  Param latency = quantity("latency", Dimension::time, "2 ms", "One-way latency (fibre: about 5 us per km of route).");
  range(latency, 0.0, 10.0);
  Param cost = string("cost_per_year", json(), "What the link costs per year (lease, or build amortised, with operations), added to the federation's opex. Money: \"AMOUNT CUR\", e.g. \"2000000 USD\".");
  Param link = object("link", {between, bandwidth, latency, cost}, "A data link between two members.");
  Param links = array("links", link, "The AI highways: links between members that jobs' input data crosses (workload `data_site`). A transfer takes the route with the fewest links.");
  links.optional = true;
  links.default_note = "none";
  Param federation = object("federation", {members, dispatch, pins, links},
                            "Several data centers run as one federation: one workload, dispatched job by job to the members (docs/federation.md).");
  federation.optional = true;
  federation.default_note = "one data center";
  return {federation};
}

std::string join_names(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// What a member sets for itself; everything else (calendar, seed, workload) the federation shares.
const std::vector<std::string> kPerMember = {"site", "site_catalog", "cluster", "facility", "costs", "network", "scheduler"};

// The member's document: the scenario itself (as written, with --set applied) with the member's settings
// on top (`resolved` as capsim writes it, or `share` and `set`).
json member_document(const json& doc, json& m, const std::string& file, const std::string& at) {
  json mdoc = doc;
  mdoc.erase("federation");
  // Where data lives is the federation's business: the workload it shares has it, members do not.
  if (mdoc.contains("workload") && mdoc["workload"].is_object()) {
    json& w = mdoc["workload"];
    for (const char* key : {"data_site", "input_data"}) w.erase(key);
    if (w.contains("classes") && w["classes"].is_array())
      for (json& c : w["classes"])
        if (c.is_object())
          for (const char* key : {"data_site", "input_data"}) c.erase(key);
  }
  if (m.contains("resolved")) {
    if (m.contains("share") || !m["set"].empty())
      throw InputError(file + ": " + at + ": expected either `resolved` (as capsim writes it) or `share` and `set`, found both");
    for (const auto& [key, _] : m["resolved"].items())
      if (std::find(kPerMember.begin(), kPerMember.end(), key) == kPerMember.end())
        throw InputError(file + ": " + at + ".resolved." + key + ": expected only site, site_catalog, cluster, facility, costs, network or scheduler (the rest is shared by the federation), found `" + key + "`");
    json shared = mdoc;
    mdoc = m["resolved"];
    for (const std::string& key : kPerMember) shared.erase(key);
    for (const auto& [key, value] : shared.items()) mdoc[key] = value;  // the federation's own, whatever the member says
  }
  if (m.contains("share")) {
    const double share = m["share"];
    auto scale = [&](json& n, const std::string& path) {
      if (!n.is_number_integer())
        throw InputError(file + ": " + at + ".share: expected " + path + " to be an integer to scale, found " + n.dump());
      n = std::max<long long>(1, std::llround(n.get<double>() * share));
    };
    json& c = mdoc["cluster"];
    if (c.contains("nodes")) scale(c["nodes"], "cluster.nodes");
    if (c.contains("pods")) scale(c["pods"], "cluster.pods");
    if (c.contains("tranches") && c["tranches"].is_array())
      for (std::size_t t = 0; t < c["tranches"].size(); ++t) {
        json& tr = c["tranches"][t];
        if (tr.contains("nodes")) scale(tr["nodes"], "cluster.tranches." + std::to_string(t) + ".nodes");
        if (tr.contains("pods")) scale(tr["pods"], "cluster.tranches." + std::to_string(t) + ".pods");
      }
  }
  for (const auto& [path, value] : m["set"].items()) {
    const std::string label = file + ": " + at + ".set." + path;
    const std::string head = path.substr(0, path.find('.'));
    if (std::find(kPerMember.begin(), kPerMember.end(), head) == kPerMember.end())
      throw InputError(label + ": expected a path under site, site_catalog, cluster, facility, costs, network or scheduler (the rest is shared by the federation), found `" + head + "`");
    set_path(mdoc, path, value, label, file);
  }
  return mdoc;
}

// Each class's tenant, by class index (a trace's one class is the tenant "trace").
std::vector<std::string> tenants_of(const Scenario& s) {
  std::vector<std::string> tenants;
  if (const auto* sw = std::get_if<SyntheticWorkload>(&s.workload))
    for (const auto& c : sw->classes) tenants.push_back(c.tenant);
  else
    tenants.push_back("trace");
  return tenants;
}

void read_pins(Scenario& s, const json& fed, const std::string& file) {
  const std::vector<std::string> tenants = tenants_of(s);
  for (std::size_t i = 0; i < fed["pins"].size(); ++i) {
    const json& p = fed["pins"][i];
    const std::string at = file + ": federation.pins." + std::to_string(i);
    auto m = std::find(s.member_names.begin(), s.member_names.end(), p["member"].get<std::string>());
    if (m == s.member_names.end())
      throw InputError(at + ".member: expected one of the members (" + join_names(s.member_names) + "), found \"" + p["member"].get<std::string>() + "\"");
    if (std::find(tenants.begin(), tenants.end(), p["tenant"].get<std::string>()) == tenants.end())
      throw InputError(at + ".tenant: expected a tenant of the workload (" + join_names(tenants) + "), found \"" + p["tenant"].get<std::string>() + "\"");
    for (const auto& [t, _] : s.pins)
      if (t == p["tenant"]) throw InputError(at + ".tenant: expected each tenant pinned once, found \"" + t + "\" again");
    s.pins.emplace_back(p["tenant"].get<std::string>(), static_cast<int>(m - s.member_names.begin()));
  }
}

// The limits of one run hold for the federation as a whole: every member's GPUs and timeseries rows
// (each member's and the totals') live in the one process.
void check_size(const Scenario& s, const std::string& file) {
  long long gpus = 0;
  for (const Scenario& m : s.members) gpus += m.cluster.gpus();
  if (gpus > 8'000'000)
    throw TooLargeError(file + ": federation.members: " + std::to_string(gpus) +
                        " GPUs over the members; this machine handles at most 8,000,000 per run (docs/errors.md)");
  const double rows = s.horizon_s / s.timeseries_interval_s * static_cast<double>(s.members.size() + 1);
  if (rows > 2e6)
    throw TooLargeError(file + ": federation.members: about " + std::to_string(static_cast<long long>(rows)) +
                        " timeseries rows (each member's and the totals); this machine handles at most 2,000,000 per run; use a longer outputs.timeseries_interval");
}

// Each member is the scenario itself with the member's settings on top. The resolved scenario carries each
// member fully resolved (`resolved`, without the shared keys), because defaults that depend on the site or
// node type must be resolved per member: running it gives the same.
// Shares split the scenario's nodes: every member has one and they add up to 1, or none has one.
void check_shares(const json& members, const std::string& file) {
  std::size_t with = 0;
  double total = 0;
  for (const json& m : members)
    if (m.contains("share")) {
      ++with;
      total += m["share"].get<double>();
    }
  if (with != 0 && with != members.size())
    throw InputError(file + ": federation.members: expected a share for every member or for none, found one for " + std::to_string(with) +
                     " of " + std::to_string(members.size()));
  if (with != 0 && std::fabs(total - 1) > 1e-9) {
    char found[32];
    std::snprintf(found, sizeof found, "%.10g", total);
    throw InputError(file + ": federation.members: expected shares adding up to 1, found " + found);
  }
}

// The data placement of each class (a trace is one class), with its JSON path.
std::vector<std::pair<const DataPlacement*, std::string>> class_placements(const Scenario& s) {
  std::vector<std::pair<const DataPlacement*, std::string>> out;
  if (const auto* sw = std::get_if<SyntheticWorkload>(&s.workload))
    for (std::size_t c = 0; c < sw->classes.size(); ++c) out.emplace_back(&sw->classes[c].data, "workload.classes." + std::to_string(c));
  else
    out.emplace_back(&s.trace_class()->data, "workload");
  return out;
}

void read_links(Scenario& s, const json& fed, const std::string& file) {
  if (!fed.contains("links")) return;
  for (std::size_t i = 0; i < fed["links"].size(); ++i) {
    const json& l = fed["links"][i];
    const std::string at = file + ": federation.links." + std::to_string(i);
    Highway h;
    int ends[2];
    for (int e = 0; e < 2; ++e) {
      const std::string name = l["between"][static_cast<std::size_t>(e)];
      auto m = std::find(s.member_names.begin(), s.member_names.end(), name);
      if (m == s.member_names.end())
        throw InputError(at + ".between." + std::to_string(e) + ": expected one of the members (" + join_names(s.member_names) + "), found \"" + name + "\"");
      ends[e] = static_cast<int>(m - s.member_names.begin());
    }
    if (ends[0] == ends[1]) throw InputError(at + ".between: expected two different members, found \"" + s.member_names[static_cast<std::size_t>(ends[0])] + "\" twice");
    h.a = std::min(ends[0], ends[1]);
    h.b = std::max(ends[0], ends[1]);
    for (const Highway& o : s.highways)
      if (o.a == h.a && o.b == h.b)
        throw InputError(at + ".between: expected one link per pair of members, found a second between " + s.member_names[static_cast<std::size_t>(h.a)] + " and " +
                         s.member_names[static_cast<std::size_t>(h.b)] + " (give one link their combined bandwidth)");
    h.bps = quantity_value(l["bandwidth"], Dimension::data_rate);
    h.latency_s = quantity_value(l["latency"], Dimension::time);
    auto cost = parse_money(l["cost_per_year"]);
    if (!cost || cost->amount < 0 || !s.costs.fx.per_usd.count(cost->currency))
      throw InputError(at + ".cost_per_year: expected money of at least 0 like \"2000000 USD\" in a currency of the cost catalog, found " + l["cost_per_year"].dump());
    h.cost_usd_per_year = s.costs.fx.to_usd(*cost);
    s.highways.push_back(h);
  }
}

// Each class's data site must be a member with a route to every member its jobs may run at.
void read_data_sites(Scenario& s, const std::string& file) {
  const auto placements = class_placements(s);
  if (std::none_of(placements.begin(), placements.end(), [](const auto& p) { return !p.first->site.empty(); })) return;
  const auto routes = highway_routes(static_cast<int>(s.members.size()), s.highways);
  const std::vector<std::string> tenants = tenants_of(s);
  for (std::size_t c = 0; c < placements.size(); ++c) {
    const auto& [data, at] = placements[c];
    Scenario::ClassData cd;
    if (!data->site.empty()) {
      auto m = std::find(s.member_names.begin(), s.member_names.end(), data->site);
      if (m == s.member_names.end())
        throw InputError(file + ": " + at + ".data_site: expected one of the members (" + join_names(s.member_names) + "), found \"" + data->site + "\"");
      cd.member = static_cast<int>(m - s.member_names.begin());
      cd.bytes = data->bytes;
      int pinned = -1;
      for (const auto& [t, member] : s.pins)
        if (t == tenants[c]) pinned = member;
      for (std::size_t to = 0; to < s.members.size(); ++to)
        if ((pinned < 0 || static_cast<int>(to) == pinned) && !routes[static_cast<std::size_t>(cd.member)][to])
          throw InputError(file + ": federation.links: expected a route from " + data->site + " (" + at + ".data_site) to every member its jobs may run at, found none to " +
                           s.member_names[to]);
    }
    s.class_data.push_back(cd);
  }
}

void build(SectionContext& ctx) {
  if (!ctx.r.contains("federation")) {
    for (const auto& [data, at] : class_placements(ctx.s))
      if (!data->site.empty())
        throw InputError(ctx.where(at + ".data_site") + ": applies only in a federation (docs/federation.md); remove it or add a `federation` section");
    return;
  }
  Scenario& s = ctx.s;
  if (!s.training_runs.empty())
    throw InputError(ctx.where("training_runs") + ": not supported in a federation yet (docs/training.md); run it at one member's scenario");
  if (std::holds_alternative<GpuTraceWorkload>(s.workload))
    throw InputError(ctx.where("workload.source") + ": a GPU trace in a federation is not supported yet (docs/traces.md); replay it at one member's scenario");
  json& fed = ctx.r["federation"];
  const std::string& file = ctx.file;
  const json members_as_written = fed["members"];  // each is replaced by its resolved form below
  for (std::size_t i = 0; i < fed["members"].size(); ++i) {
    json& m = fed["members"][i];
    const std::string name = m["name"];
    const std::string at = "federation.members." + std::to_string(i);
    if (std::find(s.member_names.begin(), s.member_names.end(), name) != s.member_names.end())
      throw InputError(file + ": " + at + ".name: expected a unique member name, found a second \"" + name + "\"");
    if (name == "all")
      throw InputError(file + ": " + at + ".name: expected a name other than \"all\" (timeseries.csv's federation totals), found \"all\"");
    json mdoc = member_document(ctx.doc, m, file, at);
    Scenario ms = load_scenario_json(mdoc, file + " (federation member " + name + ")", ctx.base_dir, {}, &s.inputs);
    ms.name = name;
    // One job stream, one unit of work: GPU-seconds of the federation's own accelerator. A member of
    // another generation runs the same job faster or slower, as a tranche does within a cluster.
    for (Tranche& t : ms.cluster.tranches) t.speed = t.bf16_flops / s.cluster.gpu_bf16_flops;
    ms.cluster.gpu_bf16_flops = s.cluster.gpu_bf16_flops;
    ms.cluster.accelerator = s.cluster.accelerator;
    json own = json::object();
    for (const std::string& key : kPerMember)
      if (ms.resolved.contains(key)) own[key] = ms.resolved[key];
    m = {{"name", name}, {"resolved", own}};
    s.member_names.push_back(name);
    s.warnings.insert(s.warnings.end(), ms.warnings.begin(), ms.warnings.end());
    s.members.push_back(std::move(ms));
  }
  const std::string d = fed["dispatch"];
  s.dispatch = d == "cheapest_power" ? DispatchPolicy::cheapest_power : d == "lowest_carbon" ? DispatchPolicy::lowest_carbon : DispatchPolicy::least_queued_work;
  if (s.dispatch != DispatchPolicy::least_queued_work)
    for (std::size_t i = 0; i < s.members.size(); ++i)
      if (!s.members[i].site)
        throw InputError(file + ": federation.dispatch: \"" + d + "\" needs every member at a site (with a tariff and carbon intensity), found member " +
                         s.member_names[i] + " without `site`");
  check_shares(members_as_written, file);
  read_pins(s, fed, file);
  read_links(s, fed, file);
  read_data_sites(s, file);
  check_size(s, file);
}

}  // namespace

Section federation_section() { return {declare, build}; }

}  // namespace capsim
