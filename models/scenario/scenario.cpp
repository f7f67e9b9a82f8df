#include "models/scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "models/hardware/catalog.hpp"
#include "models/cost/cost_catalog.hpp"
#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/site/facility.hpp"
#include "models/common/sha256.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

constexpr double kDay = 86400.0;

Param make_spec() {
  Param version = integer("capsim", json(), "Scenario format version; must be 1.");
  range(version, 1, 1);
  Param name = string("name", "", "Short name shown in reports.");
  Param description = string("description", "", "Free text.");
  Param start = datetime("start", "2026-01-01T00:00:00+09:00",
                         "Calendar time of simulated time 0, with its time zone. Tariffs, tranches and reservations are placed on this calendar.");
  Param horizon = quantity("horizon", Dimension::time, "365 d", "Simulated time span; jobs are submitted in [0, horizon).");
  range(horizon, 1.0, 50 * 365 * kDay);
  Param warmup = quantity("warmup", Dimension::time, "0 s",
                          "Initial span excluded from every metric (jobs submitted before it, energy and utilisation during it). Must be below `horizon`.");
  range(warmup, 0.0, 50 * 365 * kDay);
  Param seed = integer("seed", 1, "Seed of every random stream; same scenario and seed give byte-identical outputs.");
  range(seed, 0, 9.007199254740992e15);

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
  Param t_arrives = datetime("arrives", json(), "Date-time the tranche enters service (after `start`; at or after the horizon it never does in this run).");
  Param t_pods = integer("pods", json(), "Pods of the tranche.");
  range(t_pods, 1, 2e6);
  t_pods.optional = true;
  t_pods.default_note = "ceil(nodes / 32)";
  Param t_idle = idle, t_peak = peak;
  Param t_price = string("node_price", json(), "Price of one node of the tranche. Money: \"AMOUNT CUR\".");
  t_price.optional = true;
  t_price.default_note = "from the cost catalog";
  Param t_name = string("name", "", "Label of the tranche.");
  Param tranche = object("tranche", {t_name, t_nodes, t_type, t_arrives, lifetime, t_pods, t_idle, t_peak, t_price},
                         "Nodes added on a date.");
  Param tranches = array("tranches", tranche, "Buildout phases: nodes that arrive after `start`, in any order (the nodes above arrive at `start`).");
  tranches.optional = true;
  tranches.default_note = "none";
  tranches.max_items = 64;
  Param cluster = object("cluster", {node_type, nodes, gpn, pods, idle, peak, catalog, lifetime, tranches}, "The GPU cluster.");
  cluster.optional = false;

  Param pue = number("pue", 1.2, "Power usage effectiveness (facility / IT power) when `pue_model` is \"constant\".");
  range(pue, 1.0, 3.0);
  Param pue_model = string("pue_model", "constant",
                           "\"constant\": facility power = IT power x `pue`. \"climate\": facility power = IT power x (1 + cooling share at the site's hourly temperature) + fixed power (needs `site`; see `cooling`).");
  choices(pue_model, {"constant", "climate"});
  Param overhead = number("it_overhead_share", 0.0, "Network and storage power as a share of the compute nodes' power; it is part of IT power.");
  range(overhead, 0.0, 1.0);
  Param wue = number("wue_l_per_kwh", json(), "Water use per kWh of IT energy (litres).");
  range(wue, 0.0, 20.0);
  wue.optional = true;
  wue.default_note = "the site's, if it has one";
  // The cooling design picks the defaults of its parameters (assumptions, documented in docs/scenario.md):
  // direct liquid cooling needs little fan power and free-cools up to warm water temperatures; an air-cooled
  // hall needs more fan and chiller power and leaves free cooling earlier.
  auto cooling_fields = [](double free, double per_c_default, double threshold_c, double fixed) {
    Param free_share = number("free_share", free, "Cooling power as a share of IT power at or below `free_cooling_below_c` (pumps, fans, dry coolers).");
    range(free_share, 0.0, 2.0);
    Param per_c = number("share_per_c", per_c_default, "Added cooling share per degree C above `free_cooling_below_c` (mechanical cooling).");
    range(per_c, 0.0, 0.2);
    Param threshold = number("free_cooling_below_c", threshold_c, "Outside dry-bulb temperature (C) up to which free cooling suffices.");
    range(threshold, -50.0, 60.0);
    Param fixed_share = number("fixed_share", fixed, "Fixed facility power (UPS losses, lighting, controls) as a share of the design IT power, drawn whatever the load.");
    range(fixed_share, 0.0, 1.0);
    return std::vector<Param>{free_share, per_c, threshold, fixed_share};
  };
  Param design = string("design", "liquid", "Cooling design; it sets the defaults of the other cooling parameters.");
  choices(design, {"liquid", "air"});
  Param diurnal = number("diurnal_half_range_c", 4.0, "Half the daily temperature range (C) used to expand monthly means to hours (peak at 15:00).");
  range(diurnal, 0.0, 20.0);
  Param cooling = object("cooling", {design, diurnal},
                         "Cooling design for `pue_model` \"climate\" (defaults are assumptions, see docs/scenario.md).");
  cooling.discriminator = "design";
  cooling.variants["liquid"] = cooling_fields(0.03, 0.004, 20.0, 0.04);
  cooling.variants["air"] = cooling_fields(0.10, 0.012, 15.0, 0.05);
  Param cap = quantity("power_cap", Dimension::power, json(),
                       "Facility power the site may draw. Above it the cluster throttles: every node runs at the highest speed level (1.0, 0.95, ... 0.1) that keeps facility power within the cap, so running jobs take longer.");
  range(cap, 0.0, 1e11, true);
  cap.optional = true;
  cap.default_note = "no cap (see `cap_at_grid_limit`)";
  Param cap_grid = boolean("cap_at_grid_limit", false, "Cap facility power at the site's grid connection limit (needs `site`; `power_cap` wins if both are set).");
  Param alpha = number("throttle_power_exponent", 2.0,
                       "A throttled GPU at speed s draws idle + (peak - idle) x s^exponent (an assumption: 2 means 70 % of the active power keeps about 84 % of the speed).");
  range(alpha, 1.0, 3.0);
  Param cap_action = string("power_cap_action", "throttle",
                            "What keeps facility power within the cap: \"throttle\" slows every node (running jobs take longer); \"hold\" starts a job only if facility power at full speed stays within the cap at that hour, otherwise the job waits in the queue (a hotter hour that pushes running jobs above the cap throttles them for that hour).");
  choices(cap_action, {"throttle", "hold"});
  Param switch_off = boolean("switch_off_idle", true,
                             "Under a power cap, switch idle pods off (they draw nothing and take no jobs) before throttling or holding jobs, and back on when the queue has work and a switched-on pod at full load would fit within the cap. Without it, idle power alone may exceed the cap.");
  Param switch_interval = quantity("switch_interval", Dimension::time, "15 min",
                                   "Under a power cap, a pod switched on or off stays so at least this long, unless the cap cannot be met otherwise (nodes take minutes to boot; operators do not cycle them faster).");
  range(switch_interval, 0.0, 30 * kDay);
  Param facility = object("facility", {pue, pue_model, overhead, wue, cooling, cap, cap_grid, cap_action, switch_off, switch_interval, alpha}, "Facility around the IT load.");

  Param site = string("site", json(), "Site key in the site catalog (scenarios/catalog/sites.json): tariff, carbon, climate, construction cost.");
  site.optional = true;
  site.default_note = "none: no climate, tariff or carbon of a place";
  Param site_catalog = string("site_catalog", json(), "Site catalog file (relative to the scenario file).");
  site_catalog.optional = true;
  site_catalog.default_note = "the built-in site catalog";

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
  Param electricity = money("electricity_price", "Price of one kWh when the scenario has no site (a site brings its tariff).");
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

  // Job classes of the synthetic workload.
  Param cls_name = string("name", json(), "Class name used in outputs.");
  cls_name.name_pattern = "a-z0-9_-";
  Param share = number("share", 1.0, "Relative share of arrivals (shares are normalised over the classes).");
  range(share, 0.0, 1e9);
  Param size_dist = string("distribution", "empirical", "How job sizes (in GPUs) are drawn.");
  choices(size_dist, {"empirical", "powers_of_two", "lognormal"});
  Param size_gpus = array("gpus", [] { Param p = integer("gpus", json(), "A job size in GPUs."); range(p, 1, 1e8); return p; }(),
                          "Job sizes in GPUs.");
  size_gpus.min_items = 1;
  // Optional relative weights, one per entry of a list (equal when absent).
  auto weights = [](std::string help) {
    Param item = number("weight", json(), "Relative weight.");
    range(item, 0.0, 1e12);
    Param p = array("weights", item, std::move(help));
    p.optional = true;
    p.default_note = "equal weights";
    return p;
  };
  Param size_w = weights("Relative weight of each size (same length as `gpus`).");
  Param max_exp = integer("max_exponent", json(), "Sizes are 2^k GPUs for k = 0 .. max_exponent.");
  range(max_exp, 0, 26);
  Param ratio = number("ratio", 0.5, "P(2^k) is proportional to ratio^k.");
  range(ratio, 0.0, 1e3, true);
  Param size_median = number("median", json(), "Median job size in GPUs (drawn log-normal, rounded up to whole GPUs).");
  range(size_median, 0.0, 1e8, true);
  Param size_sigma = number("sigma", 1.0, "Standard deviation of the log of the size.");
  range(size_sigma, 0.0, 5.0);
  Param size_max = integer("max", json(), "Largest size in GPUs (larger draws are cut to it).");
  range(size_max, 1, 1e8);
  Param sizes = object("sizes", {size_dist}, "Job size distribution.");
  sizes.discriminator = "distribution";
  sizes.variants["empirical"] = {size_gpus, size_w};
  sizes.variants["powers_of_two"] = {max_exp, ratio};
  sizes.variants["lognormal"] = {size_median, size_sigma, size_max};

  Param dur_dist = string("distribution", "lognormal", "How job run times are drawn (rounded up to whole seconds, at least 1 s).");
  choices(dur_dist, {"lognormal", "exponential", "constant", "empirical"});
  Param median = quantity("median", Dimension::time, json(), "Median run time.");
  range(median, 0.0, 10 * 365 * kDay, true);
  Param sigma = number("sigma", 1.0, "Standard deviation of the log of the run time.");
  range(sigma, 0.0, 5.0);
  Param mean = quantity("mean", Dimension::time, json(), "Mean run time.");
  range(mean, 0.0, 10 * 365 * kDay, true);
  Param value = quantity("value", Dimension::time, json(), "Run time of every job.");
  range(value, 0.0, 10 * 365 * kDay, true);
  Param dur_values = array("values", [] { Param p = quantity("value", Dimension::time, json(), "A run time."); range(p, 0.0, 10 * 365 * kDay, true); return p; }(),
                           "Run times (drawn with the weights).");
  dur_values.min_items = 1;
  Param dur_w = weights("Relative weight of each run time (same length as `values`).");
  Param durations = object("durations", {dur_dist}, "Run time distribution.");
  durations.discriminator = "distribution";
  durations.variants["lognormal"] = {median, sigma};
  durations.variants["exponential"] = {mean};
  durations.variants["constant"] = {value};
  durations.variants["empirical"] = {dur_values, dur_w};
  Param est = number("estimate_factor", 1.0, "Requested time = run time x this factor; EASY plans with the requested time.");
  range(est, 1.0, 1000.0);
  Param mfu = number("mfu", 0.4, "Model FLOP utilisation: delivered FLOP = GPU-seconds x peak dense BF16 FLOP/s x mfu.");
  range(mfu, 0.0, 1.0, true);
  Param hourly = array("hourly", [] { Param p = number("weight", json(), "Relative arrival rate in this hour."); range(p, 0.0, 1e6); return p; }(),
                       "24 relative arrival rates, for local hours 0-23 (normalised to mean 1).");
  hourly.min_items = hourly.max_items = 24;
  hourly.optional = true;
  hourly.default_note = "flat";
  Param weekday = array("weekday", [] { Param p = number("weight", json(), "Relative arrival rate on this day."); range(p, 0.0, 1e6); return p; }(),
                        "7 relative arrival rates, Monday to Sunday, local time (normalised to mean 1).");
  weekday.min_items = weekday.max_items = 7;
  weekday.optional = true;
  weekday.default_note = "flat";
  Param profile = object("profile", {hourly, weekday}, "Daily and weekly shape of the class's arrivals, on the calendar of `start`.");
  Param tenant = string("tenant", json(), "Who submits the class's jobs (a federation's `pins` send a tenant's jobs to one member).");
  tenant.name_pattern = "a-z0-9_-";
  tenant.optional = true;
  tenant.default_note = "the class name";
  Param cls = object("class", {cls_name, share, sizes, durations, est, mfu, profile, tenant}, "A job class.");
  Param classes = array("classes", cls, "Job classes mixed by share.");
  classes.min_items = 1;
  classes.max_items = 64;

  Param source = string("source", "synthetic", "Where jobs come from.");
  choices(source, {"synthetic", "swf"});
  Param mia = quantity("mean_interarrival", Dimension::time, json(),
                       "Mean time between job arrivals, all classes together, at the start and averaged over a week. Each class arrives as its own Poisson process with its share of the rate, shaped by its profile.");
  range(mia, 0.0, 365 * kDay, true);
  Param growth = number("growth_per_year", 0.0, "Demand growth: the arrival rate is multiplied by (1 + growth_per_year) per 365 days, continuously.");
  range(growth, -0.9, 10.0);
  Param swf_path = string("path", json(), "Standard Workload Format file (relative to the scenario file).");
  Param gpp = number("gpus_per_processor", 1.0, "GPUs per SWF processor.");
  range(gpp, 0.0, 1024.0, true);
  Param workload = object("workload", {source}, "The jobs submitted to the cluster.");
  workload.discriminator = "source";
  workload.variants["synthetic"] = {mia, growth, classes};
  workload.variants["swf"] = {swf_path, gpp, mfu};

  Param policy = string("policy", "easy", "Scheduling policy (docs/scheduling.md).");
  choices(policy, {"fcfs", "easy"});
  Param scheduler = object("scheduler", {policy}, "How queued jobs are started.");

  Param ts = quantity("timeseries_interval", Dimension::time, "1 h", "Interval of timeseries.csv.");
  range(ts, 1.0, 365 * kDay);
  Param outputs = object("outputs", {ts}, "Output options.");

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
                          "Where each arriving job goes (unless pinned): \"least_queued_work\", the member whose queued work (GPUs x estimate) per GPU switched on is lowest; \"cheapest_power\", the lowest electricity price at that local hour; \"lowest_carbon\", the lowest grid carbon intensity at that hour. Ties go to the least queued work, then the first member. A member whose cluster can never hold the job is skipped.");
  choices(dispatch, {"least_queued_work", "cheapest_power", "lowest_carbon"});
  Param pin_tenant = string("tenant", json(), "A tenant (a job class's `tenant`).");
  pin_tenant.name_pattern = "a-z0-9_-";
  Param pin_member = string("member", json(), "The member its jobs always go to.");
  pin_member.name_pattern = "a-z0-9_-";
  Param pin = object("pin", {pin_tenant, pin_member}, "Jobs of a tenant always go to one member.");
  Param pins = array("pins", pin, "Tenants pinned to members, whatever the dispatch policy.");
  pins.default_value = json::array();
  Param federation = object("federation", {members, dispatch, pins},
                            "Several data centers run as one federation: one workload, dispatched job by job to the members (docs/federation.md).");
  federation.optional = true;
  federation.default_note = "one data center";

  Param root = object("", {version, name, description, start, horizon, warmup, seed, site, site_catalog, cluster, facility, costs, workload, scheduler, outputs, federation},
                      "A capsim scenario.");
  return root;
}

std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : p) {
    if (c == '.') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string join_names(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// Sets a dotted path in a scenario document; `label` starts every error message ("--set cluster.nodes").
void set_path(json& doc, const std::string& dotted, const json& value, const std::string& label, const std::string& file) {
  auto path = split_path(dotted);
  for (const auto& k : path)
    if (k.empty()) throw InputError(label + ": expected a dotted path like cluster.nodes, found an empty key");
  std::string prefix, bad, hint;
  if (!params::find(scenario_spec(), doc, path, &prefix, &bad, &hint)) {
    throw InputError(label + ": unknown key `" + bad + "`" + (prefix.empty() ? "" : " under `" + prefix + "`") +
                     (hint.empty() ? "" : ", did you mean `" + (prefix.empty() ? hint : prefix + "." + hint) + "`?"));
  }
  // Below a free-form object (a federation member's `set`) the rest of the path is one dotted key.
  for (std::size_t k = 1; k < path.size(); ++k) {
    std::vector<std::string> head(path.begin(), path.begin() + static_cast<long>(k));
    const params::Param* p = params::find(scenario_spec(), doc, head, &prefix, &bad, &hint);
    if (p && p->free_form) {
      std::string rest = path[k];
      for (std::size_t i = k + 1; i < path.size(); ++i) rest += "." + path[i];
      path.resize(k);
      path.push_back(rest);
      break;
    }
  }
  // Walk down, creating what is missing: an array where the next key is an index (the declarations put
  // arrays exactly there), an object elsewhere.
  auto is_index = [](const std::string& k) {
    return k.size() <= 9 && std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  json* node = &doc;
  std::string walked;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& k = path[i];
    const bool last = i + 1 == path.size();
    if (node->is_null()) *node = is_index(k) ? json::array() : json::object();
    if (is_index(k)) {
      if (!node->is_array())
        throw InputError(label + ": expected `" + walked + "` to be an array in " + file + ", found " + node->dump().substr(0, 40));
      std::size_t idx = std::stoul(k);
      if (idx > node->size())
        throw InputError(label + ": index " + k + " is past the end of an array of " + std::to_string(node->size()) +
                         " items in " + file);
      if (idx == node->size()) node->push_back(json());
      node = &(*node)[idx];
    } else {
      if (!node->is_object())
        throw InputError(label + ": expected `" + walked + "` to be an object in " + file + ", found " + node->dump().substr(0, 40));
      node = &(*node)[k];
    }
    walked += (walked.empty() ? "" : ".") + k;
    if (last) *node = value;
  }
}

void apply_override(json& doc, const Override& o, const std::string& file) {
  json value;
  try {
    value = json::parse(o.value);
  } catch (const json::parse_error&) {
    value = o.value;
  }
  set_path(doc, o.path, value, "--set " + o.path, file);
}

}  // namespace
Scenario load_scenario_json_impl(const json& input, const std::string& file, const std::string& base_dir,
                                 const std::vector<Override>& overrides);
namespace {

// Each member is the scenario itself (as written, with --set applied) with the member's settings on top.
// Each member is the scenario itself (as written, with --set applied) with the member's settings on top.
// The resolved scenario carries each member fully resolved (`resolved`, without the shared keys), because
// defaults that depend on the site or node type must be resolved per member: running it gives the same.
void load_federation(Scenario& s, const json& doc, json& fed, const std::string& file, const std::string& base_dir) {
  static const std::vector<std::string> per_member = {"site", "site_catalog", "cluster", "facility", "costs", "scheduler"};
  for (std::size_t i = 0; i < fed["members"].size(); ++i) {
    json& m = fed["members"][i];
    const std::string name = m["name"];
    const std::string at = "federation.members." + std::to_string(i);
    if (std::find(s.member_names.begin(), s.member_names.end(), name) != s.member_names.end())
      throw InputError(file + ": " + at + ".name: expected a unique member name, found a second \"" + name + "\"");
    if (name == "all")
      throw InputError(file + ": " + at + ".name: expected a name other than \"all\" (timeseries.csv's federation totals), found \"all\"");
    json mdoc = doc;
    mdoc.erase("federation");
    if (m.contains("resolved")) {
      if (m.contains("share") || !m["set"].empty())
        throw InputError(file + ": " + at + ": expected either `resolved` (as capsim writes it) or `share` and `set`, found both");
      for (const auto& [key, _] : m["resolved"].items())
        if (std::find(per_member.begin(), per_member.end(), key) == per_member.end())
          throw InputError(file + ": " + at + ".resolved." + key + ": expected only site, site_catalog, cluster, facility, costs or scheduler (the rest is shared by the federation), found `" + key + "`");
      json shared = mdoc;
      mdoc = m["resolved"];
      for (const std::string& key : per_member) shared.erase(key);
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
      if (std::find(per_member.begin(), per_member.end(), head) == per_member.end())
        throw InputError(label + ": expected a path under site, site_catalog, cluster, facility, costs or scheduler (the rest is shared by the federation), found `" + head + "`");
      set_path(mdoc, path, value, label, file);
    }
    Scenario ms = load_scenario_json_impl(mdoc, file + " (federation member " + name + ")", base_dir, {});
    ms.name = name;
    // One job stream, one unit of work: GPU-seconds of the federation's own accelerator. A member of
    // another generation runs the same job faster or slower, as a tranche does within a cluster.
    for (Tranche& t : ms.cluster.tranches) t.speed = t.bf16_flops / s.cluster.gpu_bf16_flops;
    ms.cluster.gpu_bf16_flops = s.cluster.gpu_bf16_flops;
    ms.cluster.accelerator = s.cluster.accelerator;
    json own = json::object();
    for (const std::string& key : per_member)
      if (ms.resolved.contains(key)) own[key] = ms.resolved[key];
    m = {{"name", name}, {"resolved", own}};
    s.member_names.push_back(name);
    s.members.push_back(std::move(ms));
  }
  const std::string d = fed["dispatch"];
  s.dispatch = d == "cheapest_power" ? DispatchPolicy::cheapest_power : d == "lowest_carbon" ? DispatchPolicy::lowest_carbon : DispatchPolicy::least_queued_work;
  if (s.dispatch != DispatchPolicy::least_queued_work)
    for (std::size_t i = 0; i < s.members.size(); ++i)
      if (!s.members[i].site)
        throw InputError(file + ": federation.dispatch: \"" + d + "\" needs every member at a site (with a tariff and carbon intensity), found member " +
                         s.member_names[i] + " without `site`");
  std::vector<std::string> tenants;
  if (const auto* sw = std::get_if<SyntheticWorkload>(&s.workload))
    for (const auto& c : sw->classes) tenants.push_back(c.tenant);
  else
    tenants.push_back("trace");
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

std::string watts(double w) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g W", w);
  return buf;
}

SizeDist read_sizes(const json& s) {
  SizeDist d;
  std::vector<double> w;
  if (s["distribution"] == "empirical") {
    for (const auto& g : s["gpus"]) d.gpus.push_back(g.get<int>());
    if (s.contains("weights")) {
      for (const auto& x : s["weights"]) w.push_back(x.get<double>());
    } else {
      w.assign(d.gpus.size(), 1.0);
    }
  } else if (s["distribution"] == "lognormal") {
    d.lognormal_median = s["median"].get<double>();
    d.lognormal_sigma = s["sigma"].get<double>();
    d.lognormal_max = s["max"].get<int>();
    d.gpus.push_back(d.lognormal_max);
    w.push_back(1.0);
  } else {
    int kmax = s["max_exponent"].get<int>();
    double r = s["ratio"].get<double>();
    for (int k = 0; k <= kmax; ++k) {
      d.gpus.push_back(1 << k);
      w.push_back(std::pow(r, k));
    }
  }
  double acc = 0;
  for (double x : w) d.cumulative_weights.push_back(acc += x);
  return d;
}

DurationDist read_durations(const json& s) {
  DurationDist d;
  const std::string kind = s["distribution"];
  if (kind == "lognormal") {
    d.kind = DurationDist::Kind::lognormal;
    d.median_s = quantity_value(s["median"], Dimension::time);
    d.sigma = s["sigma"].get<double>();
  } else if (kind == "exponential") {
    d.kind = DurationDist::Kind::exponential;
    d.mean_s = quantity_value(s["mean"], Dimension::time);
  } else if (kind == "empirical") {
    d.kind = DurationDist::Kind::empirical;
    double acc = 0;
    for (std::size_t i = 0; i < s["values"].size(); ++i) {
      d.values_s.push_back(quantity_value(s["values"][i], Dimension::time));
      d.cumulative_weights.push_back(acc += s.contains("weights") ? s["weights"][i].get<double>() : 1.0);
    }
  } else {
    d.kind = DurationDist::Kind::constant;
    d.value_s = quantity_value(s["value"], Dimension::time);
  }
  return d;
}

}  // namespace

const Param& scenario_spec() {
  static const Param spec = make_spec();
  return spec;
}

double Scenario::class_mfu(int i) const {
  if (const auto* syn = std::get_if<SyntheticWorkload>(&workload)) return syn->classes[i].mfu;
  return std::get<SwfWorkload>(workload).mfu;
}

Override parse_override(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + arg + ": expected PATH=VALUE, e.g. --set cluster.nodes=12500");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  std::string text = read_text_file(path);
  json doc = parse_json_text(text, path);
  std::string dir = std::filesystem::absolute(path).parent_path().string();
  return load_scenario_json(doc, path, dir, overrides);
}

Scenario load_scenario_json(const json& input, const std::string& file, const std::string& base_dir,
                            const std::vector<Override>& overrides) {
  return load_scenario_json_impl(input, file, base_dir, overrides);
}

Scenario load_scenario_json_impl(const json& input, const std::string& file, const std::string& base_dir,
                                 const std::vector<Override>& overrides) {
  json doc = input;
  if (!doc.is_object()) throw InputError(file + ": (top level): expected an object, found " + doc.dump().substr(0, 40));
  if (!doc.contains("capsim"))
    throw InputError(file + ": capsim: missing required key `capsim` (the format version, 1)");
  if (doc["capsim"] != 1)
    throw InputError(file + ": capsim: expected format version 1, found " + doc["capsim"].dump());
  for (const auto& o : overrides) apply_override(doc, o, file);

  json r = params::resolve(doc, scenario_spec(), file);
  auto where = [&](const std::string& p) { return file + ": " + p; };
  auto rel = [&](const std::string& p) {
    std::filesystem::path fp(p);
    return (fp.is_absolute() ? fp : std::filesystem::path(base_dir) / fp).lexically_normal().string();
  };

  Scenario s;
  s.file = file;
  s.name = r["name"];
  s.start = r["start"];
  s.start_epoch_s = *parse_iso8601(s.start);
  s.horizon_s = quantity_value(r["horizon"], Dimension::time);
  s.warmup_s = quantity_value(r["warmup"], Dimension::time);
  if (s.warmup_s >= s.horizon_s)
    throw InputError(where("warmup") + ": expected a duration below horizon (" + r["horizon"].get<std::string>() + "), found " +
                     r["warmup"].dump());
  s.seed = r["seed"].get<std::uint64_t>();

  // Cluster: fill what the scenario leaves to the catalog, so the resolved file stands alone.
  json& c = r["cluster"];
  Catalog file_catalog;
  const Catalog* cat = &builtin_catalog();
  if (c.contains("catalog")) {
    c["catalog"] = rel(c["catalog"]);
    try {
      file_catalog = load_catalog_file(c["catalog"]);
    } catch (const InputError& e) {
      throw InputError(where("cluster.catalog") + ": " + e.what());
    }
    cat = &file_catalog;
  }
  const NodeTypeSpec& nt = cat->node_type(c["node_type"], where("cluster.node_type"));
  const AcceleratorSpec& acc = cat->accelerator(nt.accelerator, where("cluster.node_type"));
  if (!c.contains("gpus_per_node")) c["gpus_per_node"] = nt.gpus_per_node;
  s.cluster.node_type = nt.key;
  s.cluster.accelerator = acc.key;
  s.cluster.gpu_bf16_flops = acc.bf16_dense_flops;
  s.cluster.gpus_per_node = c["gpus_per_node"];
  // The nodes at `start` are tranche 0; `tranches` add more. Node numbers follow tranche order.
  auto add_tranche = [&](json& t, const std::string& path, const NodeTypeSpec& type, double arrive_s) {
    Tranche tr;
    tr.name = t.value("name", "");
    tr.node_type = type.key;
    const AcceleratorSpec& a = cat->accelerator(type.accelerator, where(path + ".node_type"));
    tr.accelerator = a.key;
    tr.bf16_flops = a.bf16_dense_flops;
    tr.speed = a.bf16_dense_flops / s.cluster.gpu_bf16_flops;
    tr.nodes = t["nodes"];
    if (!t.contains("node_idle_power")) t["node_idle_power"] = watts(type.idle_power_w);
    if (!t.contains("node_peak_power")) t["node_peak_power"] = watts(type.peak_power_w);
    tr.idle_w = quantity_value(t["node_idle_power"], Dimension::power);
    tr.peak_w = quantity_value(t["node_peak_power"], Dimension::power);
    if (tr.peak_w < tr.idle_w)
      throw InputError(where(path + ".node_peak_power") + ": expected at least node_idle_power (" +
                       t["node_idle_power"].get<std::string>() + "), found " + t["node_peak_power"].dump());
    if (!t.contains("pods")) t["pods"] = (tr.nodes + 31) / 32;
    tr.pods = t["pods"];
    if (tr.pods > tr.nodes)
      throw InputError(where(path + ".pods") + ": expected at most " + std::to_string(tr.nodes) + " pods (one per node), found " +
                       std::to_string(tr.pods));
    tr.arrive_s = arrive_s;
    if (t.contains("lifetime")) tr.retire_s = arrive_s + quantity_value(t["lifetime"], Dimension::time);
    tr.first_node = s.cluster.nodes;
    s.cluster.nodes += tr.nodes;
    s.cluster.pods += tr.pods;
    s.cluster.tranches.push_back(tr);
  };
  add_tranche(c, "cluster", nt, 0.0);
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
      if (arrive <= 0)
        throw InputError(where(path + ".arrives") + ": expected a date-time after start (" + s.start + "), found " + t["arrives"].dump());
      add_tranche(t, path, tt, arrive);
    }
  }

  // Site and facility.
  if (r.contains("site")) {
    SiteCatalog file_sites;
    const SiteCatalog* sites = &builtin_site_catalog();
    if (r.contains("site_catalog")) {
      r["site_catalog"] = rel(r["site_catalog"]);
      try {
        file_sites = load_site_catalog_file(r["site_catalog"]);
      } catch (const InputError& e) {
        throw InputError(where("site_catalog") + ": " + e.what());
      }
      sites = &file_sites;
    }
    s.site = sites->site(r["site"], where("site"));
  }
  s.site_utc_offset_s = s.site && s.site->utc_offset_s ? *s.site->utc_offset_s : *parse_iso8601_offset(s.start);
  json& f = r["facility"];
  s.pue = f["pue"];
  s.facility.climate = f["pue_model"] == "climate";
  if (s.facility.climate && !s.site)
    throw InputError(where("facility.pue_model") + ": expected a `site` (its climate drives the cooling), found none; use \"constant\" or name a site");
  s.facility.it_overhead_share = f["it_overhead_share"];
  s.facility.throttle_exponent = f["throttle_power_exponent"];
  s.facility.hold_under_cap = f["power_cap_action"] == "hold";
  s.facility.switch_off_idle = f["switch_off_idle"];
  s.facility.switch_interval_s = quantity_value(f["switch_interval"], Dimension::time);
  if (f.contains("power_cap")) {
    s.facility.power_cap_w = quantity_value(f["power_cap"], Dimension::power);
  } else if (f["cap_at_grid_limit"].get<bool>()) {
    if (!s.site) throw InputError(where("facility.cap_at_grid_limit") + ": expected a `site` (its grid limit is the cap), found none");
    s.facility.power_cap_w = s.site->grid_limit_w;
  }
  const json& co = f["cooling"];
  s.facility.cooling = CoolingModel{co["free_share"], co["share_per_c"], co["free_cooling_below_c"], co["fixed_share"]};
  s.facility.diurnal_half_range_c = co["diurnal_half_range_c"];
  if (!f.contains("wue_l_per_kwh") && s.site && s.site->wue_l_per_kwh) f["wue_l_per_kwh"] = *s.site->wue_l_per_kwh;
  if (f.contains("wue_l_per_kwh")) s.facility.wue_l_per_kwh = f["wue_l_per_kwh"].get<double>();

  // Costs: fill what the scenario leaves to the site and the cost catalog.
  const CostCatalog& cc = builtin_cost_catalog();
  json& k = r["costs"];
  s.costs.fx = cc.fx;
  s.costs.currency = k["currency"];
  if (!cc.fx.per_usd.count(s.costs.currency))
    throw InputError(where("costs.currency") + ": expected a currency of the cost catalog (" + cc.currencies() + "), found \"" + s.costs.currency + "\"");
  auto money_at = [&](const char* key, const std::optional<Money>& fallback, const std::string& why) {
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
    return *m;
  };
  std::optional<Money> catalog_node;
  if (auto it = cc.node_prices.find(s.cluster.node_type); it != cc.node_prices.end()) catalog_node = it->second;
  s.costs.node_price = money_at("node_price", catalog_node, "the cost catalog has no price for node type \"" + s.cluster.node_type + "\"; set costs.node_price");
  s.cluster.tranches[0].node_price = s.costs.node_price;
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
  }
  s.costs.network_per_gpu = money_at("network_per_gpu", cc.network_per_gpu, "");
  std::optional<Money> site_facility;
  if (s.site) site_facility = Money{s.site->construction_per_mw + s.site->land_per_mw, s.site->construction_currency};
  s.costs.facility_per_mw = money_at("facility_per_mw", site_facility ? site_facility : std::optional<Money>(cc.facility_per_mw), "");
  s.costs.electricity_price = money_at("electricity_price", cc.electricity_price, "");
  s.costs.staff_per_mw_year = money_at("staff_per_mw_year", cc.staff_per_mw_year, "");
  auto number_at = [&](const char* key, double fallback) {
    if (!k.contains(key)) k[key] = fallback;
    return k[key].get<double>();
  };
  s.costs.server_life_y = number_at("server_life_years", cc.server_life_years);
  s.costs.facility_life_y = number_at("facility_life_years", cc.facility_life_years);
  s.costs.maintenance_share = number_at("maintenance_share_per_year", cc.maintenance_share_per_year);
  s.costs.discount_rate = number_at("discount_rate", cc.discount_rate);
  if (s.site && !cc.fx.per_usd.count(s.site->tariff.currency))
    throw InputError(where("site") + ": the site's tariff currency " + s.site->tariff.currency + " is not in the cost catalog");

  const json& w = r["workload"];
  if (w["source"] == "synthetic") {
    SyntheticWorkload sw;
    sw.mean_interarrival_s = quantity_value(w["mean_interarrival"], Dimension::time);
    sw.growth_per_year = w["growth_per_year"];
    sw.utc_offset_s = *parse_iso8601_offset(s.start);
    sw.start_epoch_s = s.start_epoch_s;
    double total_share = 0;
    for (std::size_t i = 0; i < w["classes"].size(); ++i) {
      const json& jc = w["classes"][i];
      std::string p = "workload.classes." + std::to_string(i);
      JobClassSpec jcs;
      jcs.name = jc["name"];
      for (const auto& other : sw.classes)
        if (other.name == jcs.name)
          throw InputError(where(p + ".name") + ": expected a unique class name, found a second \"" + jcs.name + "\"");
      jcs.share = jc["share"];
      total_share += jcs.share;
      if (jc["sizes"]["distribution"] == "empirical" && jc["sizes"].contains("weights") &&
          jc["sizes"]["weights"].size() != jc["sizes"]["gpus"].size())
        throw InputError(where(p + ".sizes.weights") + ": expected " + std::to_string(jc["sizes"]["gpus"].size()) +
                         " weights (one per entry of gpus), found " + std::to_string(jc["sizes"]["weights"].size()));
      jcs.sizes = read_sizes(jc["sizes"]);
      if (jcs.sizes.cumulative_weights.back() <= 0)
        throw InputError(where(p + ".sizes.weights") + ": expected at least one positive weight, found all zero");
      const json& jd = jc["durations"];
      if (jd["distribution"] == "empirical" && jd.contains("weights") && jd["weights"].size() != jd["values"].size())
        throw InputError(where(p + ".durations.weights") + ": expected " + std::to_string(jd["values"].size()) +
                         " weights (one per entry of values), found " + std::to_string(jd["weights"].size()));
      jcs.durations = read_durations(jd);
      if (jcs.durations.kind == DurationDist::Kind::empirical && jcs.durations.cumulative_weights.back() <= 0)
        throw InputError(where(p + ".durations.weights") + ": expected at least one positive weight, found all zero");
      for (const char* key : {"hourly", "weekday"}) {
        std::vector<double>& v = std::string(key) == "hourly" ? jcs.hourly : jcs.weekday;
        if (!jc["profile"].contains(key)) continue;
        double sum = 0;
        for (const auto& x : jc["profile"][key]) sum += x.get<double>();
        if (sum <= 0)
          throw InputError(where(p + ".profile." + key) + ": expected at least one positive rate, found all zero");
        for (const auto& x : jc["profile"][key]) v.push_back(x.get<double>() * jc["profile"][key].size() / sum);
      }
      jcs.estimate_factor = jc["estimate_factor"];
      jcs.mfu = jc["mfu"];
      if (!jc.contains("tenant")) r["workload"]["classes"][i]["tenant"] = jcs.name;
      jcs.tenant = r["workload"]["classes"][i]["tenant"];
      sw.classes.push_back(std::move(jcs));
    }
    if (total_share <= 0)
      throw InputError(where("workload.classes") + ": expected at least one class with a positive share, found all zero");
    double expected_jobs = s.horizon_s / sw.mean_interarrival_s * std::max(1.0, std::pow(1 + sw.growth_per_year, s.horizon_s / (365 * kDay)));
    if (expected_jobs > 50e6)
      throw TooLargeError(where("workload.mean_interarrival") + ": about " + std::to_string(static_cast<long long>(expected_jobs)) +
                          " jobs over the horizon; this machine handles at most 50,000,000 per run (docs/errors.md)");
    s.workload = std::move(sw);
  } else {
    SwfWorkload sw;
    r["workload"]["path"] = rel(w["path"]);
    sw.path = r["workload"]["path"];
    sw.gpus_per_processor = w["gpus_per_processor"];
    sw.mfu = w["mfu"];
    s.workload = std::move(sw);
  }
  s.policy = r["scheduler"]["policy"] == "fcfs" ? PolicyKind::fcfs : PolicyKind::easy;
  s.timeseries_interval_s = quantity_value(r["outputs"]["timeseries_interval"], Dimension::time);
  if (s.horizon_s / s.timeseries_interval_s > 2e6)
    throw TooLargeError(where("outputs.timeseries_interval") + ": more than 2,000,000 timeseries rows over the horizon; use a longer interval");
  if (s.cluster.gpus() > 8'000'000)
    throw TooLargeError(where("cluster.nodes") + ": " + std::to_string(s.cluster.gpus()) +
                        " GPUs; this machine handles at most 8,000,000 per run (docs/errors.md)");

  if (s.facility.power_cap_w) {
    // Facility power drawn with every node off: no cap below it can hold.
    const double fixed_w = make_facility_model(s).fixed_w;
    if (*s.facility.power_cap_w < fixed_w)
      throw InputError(where(r["facility"].contains("power_cap") ? "facility.power_cap" : "facility.cap_at_grid_limit") +
                       ": expected a cap of at least the facility's fixed power (" + std::to_string(fixed_w / 1e6) +
                       " MW: cooling.fixed_share x design IT power), found " + std::to_string(*s.facility.power_cap_w / 1e6) + " MW");
  }
  if (r.contains("federation")) load_federation(s, doc, r["federation"], file, base_dir);

  s.resolved = r;
  s.sha256 = sha256_hex(r.dump());
  return s;
}

}  // namespace capsim
