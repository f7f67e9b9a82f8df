// The `facility` section: PUE or climate-driven cooling, water, and the power cap.
#include "models/scenario/section.hpp"

#include <cstdio>

#include "models/common/errors.hpp"
#include "models/common/units.hpp"
#include "models/site/facility.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

std::vector<Param> declare() {
  Param pue = number("pue", 1.2, "Power usage effectiveness (facility / IT power) when `pue_model` is \"constant\".");
  range(pue, 1.0, 3.0);
  pue.active_when = {{"pue_model", {"constant"}}};
  Param pue_model = string("pue_model", "constant",
                           "\"constant\": facility power = IT power x `pue`. \"climate\": facility power = IT power x (1 + cooling share at the site's hourly temperature) + fixed power (needs `site`; see `cooling`).");
  choices(pue_model, {"constant", "climate"});
  Param overhead = number("it_overhead_share", 0.0, "Network and storage power as a share of the compute nodes' power; it is part of IT power. Not with a `network` section (see `storage_power_share`).");
  range(overhead, 0.0, 1.0);
  Param storage = number("storage_power_share", json(), "With a `network` section: storage power as a share of the compute nodes' power, part of IT power (the fabric's power is the network's).");
  range(storage, 0.0, 1.0);
  storage.optional = true;
  storage.default_note = "0, with a `network` section only";
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
  cooling.active_when = {{"pue_model", {"climate"}}};
  cooling.variants["liquid"] = cooling_fields(0.03, 0.004, 20.0, 0.04);
  cooling.variants["air"] = cooling_fields(0.10, 0.012, 15.0, 0.05);
  Param cap = quantity("power_cap", Dimension::power, json(),
                       "Facility power the site may draw. Above it the cluster throttles: every node runs at the highest speed level (1.0, 0.95, ... 0.1) that keeps facility power within the cap, so running jobs take longer.");
  range(cap, 0.0, 1e11, true);
  cap.optional = true;
  cap.default_note = "no cap (see `cap_at_grid_limit`)";
  Param cap_grid = boolean("cap_at_grid_limit", false, "Cap facility power at the site's grid connection limit (needs `site`; not with `power_cap`).");
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
  Param design_power = string("design_it_power", json(),
                        "IT power the facility is built for; its capex, staff and fixed power follow it. \"nameplate\": every node at its rating, with network and storage. \"grid\": the most the power cap can feed, the largest P with P x (1 + cooling share at the site's hottest hour + fixed share) <= cap (P x pue <= cap with a constant PUE), and at most the nameplate. Or a power (\"60 MW\").");
  design_power.optional = true;
  design_power.default_note = "\"grid\" with a power cap, else \"nameplate\"";
  // Only a power cap gives these an effect.
  for (Param* p : {&alpha, &cap_action, &switch_off, &switch_interval}) p->active_when = {{"power_cap", {"set"}}, {"cap_at_grid_limit", {"true"}}};
  Param facility = object("facility", {pue, pue_model, overhead, storage, wue, cooling, cap, cap_grid, cap_action, switch_off, switch_interval, alpha, design_power}, "Facility around the IT load.");
  return {facility};
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  auto where = [&](const std::string& p) { return ctx.where(p); };
  json& f = r["facility"];
  if (f.contains("pue")) s.pue = f["pue"];
  s.facility.climate = f["pue_model"] == "climate";
  if (s.facility.climate && !s.site)
    throw InputError(where("facility.pue_model") + ": expected a `site` (its climate drives the cooling), found none; use \"constant\" or name a site");
  // With a network section the fabric draws its own power; only storage stays a share of the nodes'.
  const bool written_overhead = ctx.doc.contains("facility") && ctx.doc["facility"].contains("it_overhead_share");
  if (ctx.doc.contains("network")) {
    if (written_overhead)
      throw InputError(where("facility.it_overhead_share") + ": not with a `network` section: the fabric's switches and optics draw their own power (docs/network.md); use `storage_power_share` for storage");
    f.erase("it_overhead_share");
    if (!f.contains("storage_power_share")) f["storage_power_share"] = 0.0;
    s.facility.it_overhead_share = f["storage_power_share"];
  } else {
    if (f.contains("storage_power_share"))
      throw InputError(where("facility.storage_power_share") + ": only with a `network` section; without one, `it_overhead_share` covers network and storage");
    s.facility.it_overhead_share = f["it_overhead_share"];
  }
  if (f.contains("power_cap_action")) {  // all four apply under a cap only
    s.facility.throttle_exponent = f["throttle_power_exponent"];
    s.facility.hold_under_cap = f["power_cap_action"] == "hold";
    s.facility.switch_off_idle = f["switch_off_idle"];
    s.facility.switch_interval_s = quantity_value(f["switch_interval"], Dimension::time);
  }
  if (f.contains("power_cap") && f["cap_at_grid_limit"].get<bool>())
    throw InputError(where("facility.cap_at_grid_limit") + ": has no effect with power_cap set; remove one of the two");
  if (f.contains("power_cap")) {
    s.facility.power_cap_w = quantity_value(f["power_cap"], Dimension::power);
  } else if (f["cap_at_grid_limit"].get<bool>()) {
    if (!s.site) throw InputError(where("facility.cap_at_grid_limit") + ": expected a `site` (its grid limit is the cap), found none");
    s.facility.power_cap_w = s.site->grid_limit_w;
  }
  if (f.contains("power_cap") && s.site && *s.facility.power_cap_w > s.site->grid_limit_w) {
    char mw[64];
    std::snprintf(mw, sizeof mw, "%g MW, above the %g MW", *s.facility.power_cap_w / 1e6, s.site->grid_limit_w / 1e6);
    ctx.warn("facility.power_cap", std::string(mw) + " grid connection of site \"" + s.site->key + "\": the site cannot draw it");
  }
  if (f.contains("cooling")) {
    const json& co = f["cooling"];
    s.facility.cooling = CoolingModel{co["free_share"], co["share_per_c"], co["free_cooling_below_c"], co["fixed_share"]};
    s.facility.diurnal_half_range_c = co["diurnal_half_range_c"];
  }
  if (!f.contains("wue_l_per_kwh") && s.site && s.site->wue_l_per_kwh) f["wue_l_per_kwh"] = *s.site->wue_l_per_kwh;
  if (f.contains("wue_l_per_kwh")) s.facility.wue_l_per_kwh = f["wue_l_per_kwh"].get<double>();
  if (!f.contains("design_it_power")) f["design_it_power"] = s.facility.power_cap_w ? "grid" : "nameplate";
  const std::string design = f["design_it_power"];
  if (design == "grid") {
    if (!s.facility.power_cap_w)
      throw InputError(where("facility.design_it_power") + ": expected a power cap (`power_cap` or `cap_at_grid_limit`) to size the facility on, found none; use \"nameplate\" or a power");
    s.facility.design = FacilitySpec::Design::grid;
  } else if (design != "nameplate") {
    const units::ParseResult p = units::parse(design, Dimension::power);
    if (!p.ok || p.value <= 0)
      throw InputError(where("facility.design_it_power") + ": expected \"nameplate\", \"grid\" or a positive power like \"60 MW\", found \"" + design + "\"");
    s.facility.design = FacilitySpec::Design::given;
    s.facility.design_it_w = p.value;
  }
  if (s.facility.power_cap_w) {
    // Facility power drawn with every node off: no cap below it can hold.
    const double fixed_w = make_facility_model(s).fixed_w;
    if (*s.facility.power_cap_w < fixed_w)
      throw InputError(where(r["facility"].contains("power_cap") ? "facility.power_cap" : "facility.cap_at_grid_limit") +
                       ": expected a cap of at least the facility's fixed power (" + std::to_string(fixed_w / 1e6) +
                       " MW: cooling.fixed_share x design IT power), found " + std::to_string(*s.facility.power_cap_w / 1e6) + " MW");
  }
}

}  // namespace

Section facility_section() { return {declare, build}; }

}  // namespace capsim
