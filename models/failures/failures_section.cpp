// The `failures` section: component classes failing per node, rack or leaf, their repair pipelines, lemon
// nodes and spares (docs/failures.md); and the job classes' `checkpoint`, read by the workload section.
#include "models/scenario/section.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/errors.hpp"
#include "models/common/sha256.hpp"
#include "models/failures/checkpoint_param.hpp"
#include "models/failures/failure_catalog.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

Param stage_distribution(const char* what) {
  Param dist = string("distribution", "fixed", std::string(what) + ": \"fixed\" (always the mean), \"exponential\" or \"lognormal\" (with `sigma`).");
  choices(dist, {"fixed", "exponential", "lognormal"});
  return dist;
}

Param stage_sigma() {
  Param sigma = number("sigma", 1.0, "Standard deviation of the log of the time.");
  range(sigma, 0.0, 5.0);
  sigma.active_when = {{"distribution", {"lognormal"}}};
  return sigma;
}

// The repair pipeline; in a class, every key left out is the section's `repair`.
Param pipeline(bool in_class) {
  Param detect = quantity("detect", Dimension::time, "0 s", "From the failure to its detection: the failed unit's jobs hang meanwhile, holding their GPUs, before they restart or go back to the queue.");
  range(detect, 0.0, 30 * kDay);
  Param mean = quantity("mean", Dimension::time, "2 h", "Mean automatic repair time (reboot, reimage; AIReSim's: 120 min).");
  range(mean, 0.0, 10 * 365 * kDay);
  Param share = number("escalate_share", 0.0, "Share of automatic repairs that escalate to a manual repair or replacement (`manual`), after it.");
  range(share, 0.0, 1.0);
  Param mmean = quantity("mean", Dimension::time, "2 d", "Mean manual repair time (AIReSim's: 2 days).");
  range(mmean, 0.0, 10 * 365 * kDay);
  Param manual = object("manual", {stage_distribution("Manual repair time"), mmean, stage_sigma()}, "The manual repair or replacement.");
  std::vector<Param> fields = {detect, stage_distribution("Automatic repair time"), mean, stage_sigma(), share, manual};
  if (in_class)
    for (Param& f : fields) {
      f.default_value = json();
      f = filled(f, "the section's `repair`");
    }
  return object("repair", std::move(fields),
                in_class ? "This class's repair pipeline, where it differs from the section's."
                         : "How long a failed unit is out: detection, automatic repair, and for a share a manual repair after it (docs/failures.md).");
}

Param weibull_shape() {
  Param shape = filled(number("weibull_shape", json(), "Weibull shape k (< 1: failures more likely early after a repair; 1: exponential). The scale follows from the mean."),
                       "required with \"weibull\"");
  range(shape, 0.05, 20.0);
  shape.active_when = {{"distribution", {"weibull"}}};
  return shape;
}

Param distribution(std::vector<Param::ActiveWhen> when) {
  Param dist = string("distribution", "exponential", "Time to failure: \"exponential\" (a constant rate), or \"weibull\" with `weibull_shape` (its age restarts at each repair).");
  choices(dist, {"exponential", "weibull"});
  dist.active_when = std::move(when);
  return dist;
}

Param failure_class() {
  Param name = string("name", json(), "Component class name used in outputs (e.g. gpu, network).");
  name.name_pattern = "a-z0-9_-";
  Param per = string("per", "node", "What one failure takes down: a \"node\", every node of its \"rack\" (`nodes_per_rack`), or of its \"leaf\" (the network's host group, else `nodes_per_leaf`).");
  choices(per, {"node", "rack", "leaf"});
  Param rate = number("failures_per_day", json(), "Failures per unit of `per` (a node, a rack, a leaf) per day while on.");
  range(rate, 0.0, 1e6);
  Param source = filled(string("source", json(), "Where the rate comes from (free text)."), "none");
  return object("class", {name, per, rate, distribution({}), weibull_shape(), pipeline(true), source}, "A component class.");
}

Param maintenance() {
  Param per = string("per", "rack", "What is maintained at once: a \"node\", a \"rack\" (`nodes_per_rack`) or a \"leaf\" (the network's host group, else `nodes_per_leaf`).");
  choices(per, {"node", "rack", "leaf"});
  Param every = filled(quantity("every", Dimension::time, json(), "How often each unit is maintained; the units' windows are spread evenly over this period."), "required");
  range(every, 0.0, 10 * 365 * kDay, true);
  Param duration = filled(quantity("duration", Dimension::time, json(), "One unit's window: its nodes are out of service, and the jobs still on them are interrupted at its start."), "required");
  range(duration, 0.0, 365 * kDay, true);
  Param notice = quantity("notice", Dimension::time, "1 d", "The drain before a window: from then on the unit's nodes take no new job, and the jobs on them run on.");
  range(notice, 0.0, 365 * kDay);
  Param first = filled(quantity("first", Dimension::time, json(), "When the first unit's first window starts, from the start of the run."), "`notice`: the first drain starts with the run");
  range(first, 0.0, 50 * 365 * kDay);
  return filled(object("maintenance", {per, every, duration, notice, first}, "Planned maintenance as scheduled drains, unit after unit (docs/failures.md)."), "none");
}

std::vector<Param> declare() {
  Param mtbf = filled(quantity("node_mtbf", Dimension::time, json(), "One class of node failures (instead of `classes`): mean time between failures of one node, while it is on (switched off under a power cap or out of service, it does not fail)."),
                      "`classes`");
  range(mtbf, 0.0, 1e12, true);
  Param rate = filled(number("node_failures_per_day", json(), "The same as a rate: failures per node per day (0: none). Llama 3's pre-training: 0.00379."), "`classes`");
  range(rate, 0.0, 1e6);
  Param classes = filled(array("classes", failure_class(), "Component classes, each failing on its own (docs/failures.md)."),
                         "the built-in failure catalog's (calibrated on Llama 3), unless `node_mtbf` or `node_failures_per_day` is given");
  classes.min_items = 1;
  classes.max_items = 64;
  Param npr = integer("nodes_per_rack", 4, "Nodes in one rack (consecutive nodes): what a \"rack\" failure takes down.");
  range(npr, 1, 1e6);
  Param npl = filled(integer("nodes_per_leaf", json(), "Without a network section: nodes under one leaf, what a \"leaf\" failure takes down (with one: a host group)."),
                     "`nodes_per_rack`");
  range(npl, 1, 1e6);
  Param fraction = number("fraction", 0.0, "Share of nodes that are lemons (drawn once from the seed).");
  range(fraction, 0.0, 1.0);
  Param mult = number("multiplier", 1.0, "A lemon's failures of node classes come this many times as often.");
  range(mult, 1.0, 1e4);
  Param retire = integer("retire_after", 0, "A node that failed this many times (node classes) leaves service for good after its last repair (0: never).");
  range(retire, 0, 1e6);
  Param lemons = object("lemons", {fraction, mult, retire}, "Lemon nodes: a few nodes that fail far more often (Meta and a Korean B200 operator report them).");
  Param spares = integer("spare_nodes", 0, "Nodes held out of the scheduler's pool (the cluster's last) as warm spares: once a node failure is detected, one stands in for the node, whose jobs restart in place; the repaired node becomes the spare.");
  range(spares, 0, 1e7);
  Param techs = filled(integer("technicians", json(), "Manual repairs under way at once at the site (technicians, repair crews): an escalated repair waits its turn for one, first come first served."),
                       "no limit: every manual repair starts at once");
  range(techs, 1, 1e7);
  Param requeue = string("requeue", "front", "Where an interrupted job goes back in the queue when no spare stands in: \"front\" (its original place, by submit time) or \"back\".");
  choices(requeue, {"front", "back"});
  const std::vector<Param::ActiveWhen> shorthand = {{"node_mtbf", {"set"}}, {"node_failures_per_day", {"set"}}};
  Param failures = filled(object("failures", {mtbf, rate, distribution(shorthand), weibull_shape(), classes, npr, npl, pipeline(false), lemons, spares, techs, maintenance(), requeue},
                                 "Failures of nodes and of their racks and leaves, their repairs, lemon nodes and spares (docs/failures.md). Without it nothing fails."),
                          "none: nothing fails");
  return {failures};
}

RepairSpec read_stage(const json& r) {
  RepairSpec s;
  s.kind = r["distribution"] == "exponential" ? RepairSpec::Kind::exponential
           : r["distribution"] == "lognormal" ? RepairSpec::Kind::lognormal
                                              : RepairSpec::Kind::fixed;
  s.mean_s = quantity_value(r["mean"], Dimension::time);
  if (r.contains("sigma")) s.sigma = r["sigma"];
  return s;
}

RepairPipeline read_pipeline(const json& r) {
  RepairPipeline p;
  p.detect_s = quantity_value(r["detect"], Dimension::time);
  p.automatic = read_stage(r);
  p.escalate_share = r["escalate_share"];
  p.manual = read_stage(r["manual"]);
  return p;
}

// `over` written on top of `base`, objects merged key by key (a class's repair over the section's).
json overlay(json base, const json& over) {
  for (const auto& [k, v] : over.items()) base[k] = v.is_object() && base.contains(k) ? overlay(base[k], v) : v;
  return base;
}

// The built-in catalog's classes, and its pipeline under what the scenario writes of `repair`: the resolved
// scenario carries them, so it runs without the catalog.
void fill_from_catalog(SectionContext& ctx, json& f) {
  static const std::string label = "built-in failure catalog";
  const json cat = json::parse(builtin_failures_json());
  ctx.s.inputs[label] = digest_of(builtin_failures_json());
  f["repair"] = resolve(overlay(cat["repair"], ctx.doc["failures"].value("repair", json::object())), pipeline(false), label);
  f["classes"] = json::array();
  for (const json& c : cat["classes"]) f["classes"].push_back(resolve(c, failure_class(), label));
  ctx.used_estimate(label, "classes", "failures.classes");
}

void read_shape(SectionContext& ctx, const json& at, const std::string& p, FailureClass& c) {
  if (at["distribution"] != "weibull") return;
  if (!at.contains("weibull_shape"))
    throw InputError(ctx.where(p + ".weibull_shape") + ": missing required key `weibull_shape` (a number, such as 0.7), needed with distribution \"weibull\"");
  c.kind = FailureClass::Kind::weibull;
  c.weibull_shape = at["weibull_shape"];
}

double mtbf_of(double per_day) { return per_day > 0 ? kDay / per_day : std::numeric_limits<double>::infinity(); }

void read_classes(SectionContext& ctx, json& f, FailureSpec& s) {
  const bool has_mtbf = f.contains("node_mtbf"), has_rate = f.contains("node_failures_per_day");
  if (has_mtbf && has_rate)
    throw InputError(ctx.where("failures") + ": expected at most one of `node_mtbf` and `node_failures_per_day`, found both");
  if ((has_mtbf || has_rate) && f.contains("classes"))
    throw InputError(ctx.where("failures.classes") + ": not with `" + (has_mtbf ? "node_mtbf" : "node_failures_per_day") +
                     "`, which is one class of node failures; write it as a class or remove it");
  if (has_mtbf || has_rate) {
    FailureClass c;
    c.name = "node";
    c.mtbf_s = has_mtbf ? quantity_value(f["node_mtbf"], Dimension::time) : mtbf_of(f["node_failures_per_day"]);
    read_shape(ctx, f, "failures", c);
    c.repair = read_pipeline(f["repair"]);
    s.classes.push_back(c);
    return;
  }
  if (!f.contains("classes")) fill_from_catalog(ctx, f);
  for (std::size_t i = 0; i < f["classes"].size(); ++i) {
    const std::string p = "failures.classes." + std::to_string(i);
    const json& at = f["classes"][i];
    FailureClass c;
    c.name = at["name"];
    for (const FailureClass& other : s.classes)
      if (other.name == c.name) throw InputError(ctx.where(p + ".name") + ": expected a unique class name, found a second \"" + c.name + "\"");
    c.mtbf_s = mtbf_of(at["failures_per_day"]);
    c.domain = at["per"] == "rack" ? FailureDomain::rack : at["per"] == "leaf" ? FailureDomain::leaf : FailureDomain::node;
    read_shape(ctx, at, p, c);
    c.repair = read_pipeline(overlay(f["repair"], at.value("repair", json::object())));
    s.classes.push_back(std::move(c));
  }
}

// Keys that change nothing given the others (valid, likely not what was meant).
void warn_no_effect(SectionContext& ctx, const FailureSpec& s) {
  const json& w = ctx.doc["failures"];
  auto any = [&](auto pred) { return std::any_of(s.classes.begin(), s.classes.end(), pred); };
  const FailureDomain m = s.maintenance.enabled ? s.maintenance.domain : FailureDomain::node;
  if (w.contains("nodes_per_rack") && m != FailureDomain::rack && !any([](const FailureClass& c) { return c.domain == FailureDomain::rack; }))
    ctx.warn("failures.nodes_per_rack", "has no effect: no class fails per rack");
  if (w.contains("nodes_per_leaf") && m != FailureDomain::leaf && !any([](const FailureClass& c) { return c.domain == FailureDomain::leaf; }))
    ctx.warn("failures.nodes_per_leaf", "has no effect: no class fails per leaf");
  if (w.contains("lemons") && w["lemons"].contains("multiplier") && s.lemons.fraction == 0)
    ctx.warn("failures.lemons.multiplier", "has no effect: `lemons.fraction` is 0");
  if (w.contains("repair") && w["repair"].contains("manual") && !any([](const FailureClass& c) { return c.repair.escalate_share > 0; }))
    ctx.warn("failures.repair.manual", "has no effect: no class escalates (`escalate_share` 0)");
  if (w.contains("technicians") && !any([](const FailureClass& c) { return c.repair.escalate_share > 0; }))
    ctx.warn("failures.technicians", "has no effect: no class escalates to a manual repair (`escalate_share` 0)");
  if (!w.contains("classes")) return;
  for (std::size_t i = 0; i < s.classes.size() && i < w["classes"].size(); ++i) {
    const json& c = w["classes"][i];
    if (c.contains("repair") && c["repair"].contains("manual") && s.classes[i].repair.escalate_share == 0)
      ctx.warn("failures.classes." + std::to_string(i) + ".repair.manual", "has no effect: the class does not escalate (`escalate_share` 0)");
  }
}

void read_maintenance(SectionContext& ctx, const json& f, MaintenanceSpec& m) {
  if (!f.contains("maintenance")) return;
  const json& w = f["maintenance"];
  for (const char* key : {"every", "duration"})
    if (!w.contains(key))
      throw InputError(ctx.where("failures.maintenance." + std::string(key)) + ": missing required key `" + key + "` (a time, such as \"" +
                       (key == std::string("every") ? "90 d" : "8 h") + "\")");
  m.enabled = true;
  m.domain = w["per"] == "node" ? FailureDomain::node : w["per"] == "leaf" ? FailureDomain::leaf : FailureDomain::rack;
  m.every_s = quantity_value(w["every"], Dimension::time);
  m.duration_s = quantity_value(w["duration"], Dimension::time);
  m.notice_s = quantity_value(w["notice"], Dimension::time);
  m.first_s = w.contains("first") ? quantity_value(w["first"], Dimension::time) : m.notice_s;
  if (m.duration_s + m.notice_s >= m.every_s)
    throw InputError(ctx.where("failures.maintenance.every") + ": expected a period longer than `duration` + `notice` (" +
                     units::format(m.duration_s + m.notice_s, Dimension::time) + "), found " + units::format(m.every_s, Dimension::time) + ": the unit would never serve");
  if (m.first_s < m.notice_s)
    throw InputError(ctx.where("failures.maintenance.first") + ": expected at least `notice` (" + units::format(m.notice_s, Dimension::time) +
                     "), the drain before the first window, found " + units::format(m.first_s, Dimension::time));
}

void build(SectionContext& ctx) {
  if (!ctx.r.contains("failures")) return;
  json& f = ctx.r["failures"];
  FailureSpec& s = ctx.s.failures;
  s.enabled = true;
  read_classes(ctx, f, s);
  s.nodes_per_rack = f["nodes_per_rack"];
  if (ctx.s.network.enabled && f.contains("nodes_per_leaf"))
    throw InputError(ctx.where("failures.nodes_per_leaf") + ": not with a `network` section, whose host groups are the leaves; remove it");
  s.nodes_per_leaf = f.contains("nodes_per_leaf") ? f["nodes_per_leaf"].get<int>() : s.nodes_per_rack;
  s.lemons.fraction = f["lemons"]["fraction"];
  s.lemons.multiplier = f["lemons"]["multiplier"];
  s.lemons.retire_after = f["lemons"]["retire_after"];
  s.spare_nodes = f["spare_nodes"];
  if (s.spare_nodes >= ctx.s.cluster.nodes)
    throw InputError(ctx.where("failures.spare_nodes") + ": expected fewer spares than the cluster's " + std::to_string(ctx.s.cluster.nodes) +
                     " nodes, found " + std::to_string(s.spare_nodes));
  s.requeue_front = f["requeue"] == "front";
  if (f.contains("technicians")) s.technicians = f["technicians"];
  read_maintenance(ctx, f, s.maintenance);
  warn_no_effect(ctx, s);
}

}  // namespace

Section failures_section() { return {declare, build}; }

params::Param checkpoint_param() {
  Param interval = string("interval", "daly", "Work between checkpoints: \"daly\" (Daly 2006's optimum for the job's mean time between interruptions, its nodes x the node failure rate), \"young\" (sqrt(2 x cost x that time)) or \"fixed\" (`every`).");
  choices(interval, {"daly", "young", "fixed"});
  Param every = filled(quantity("every", Dimension::time, json(), "Work between two checkpoints, at the job's pace."), "required with \"fixed\"");
  range(every, 0.0, 10 * 365 * kDay, true);
  every.active_when = {{"interval", {"fixed"}}};
  Param cost = filled(quantity("cost", Dimension::time, json(), "Time one checkpoint takes (the job's GPUs stay busy meanwhile)."), "`size` / `write_bandwidth`");
  range(cost, 0.0, 365 * kDay);
  Param size = filled(quantity("size", Dimension::data_size, json(), "Size of one checkpoint of a job, written at `write_bandwidth`."), "none: `cost` is given");
  range(size, 0.0, 1e18, true);
  Param bw = filled(quantity("write_bandwidth", Dimension::data_rate, json(), "Storage bandwidth one job writes its checkpoint at."), "required with `size`");
  range(bw, 0.0, 1e16, true);
  bw.active_when = {{"size", {"set"}}};
  Param restart = filled(quantity("restart", Dimension::time, json(), "Time a job takes to restart from its last checkpoint after an interruption (reading it back, rebuilding state)."),
                               "the checkpoint's cost");
  range(restart, 0.0, 365 * kDay);
  return filled(object("checkpoint", {interval, every, cost, size, bw, restart}, "Checkpointing of the jobs (with a `failures` section, docs/failures.md): an interrupted job loses the work since its last checkpoint."),
                      "none: an interrupted job starts over");
}

std::optional<CheckpointSpec> read_checkpoint(SectionContext& ctx, const json& at, const std::string& p) {
  if (!at.contains("checkpoint")) return std::nullopt;
  if (!ctx.s.failures.enabled)
    throw InputError(ctx.where(p + ".checkpoint") + ": applies only with a `failures` section (docs/failures.md); remove it or add one");
  const json& c = at["checkpoint"];
  CheckpointSpec s;
  const bool has_cost = c.contains("cost"), has_size = c.contains("size");
  if (has_cost == has_size)
    throw InputError(ctx.where(p + ".checkpoint") + ": expected exactly one of `cost` (a time) and `size` (with `write_bandwidth`), found " + (has_cost ? "both" : "neither"));
  if (has_size && !c.contains("write_bandwidth"))
    throw InputError(ctx.where(p + ".checkpoint.write_bandwidth") + ": missing required key `write_bandwidth` (a data rate, such as \"400 Gbps\"), needed with `size`");
  s.cost_s = has_cost ? quantity_value(c["cost"], Dimension::time)
                      : quantity_value(c["size"], Dimension::data_size) / (quantity_value(c["write_bandwidth"], Dimension::data_rate) / 8);
  s.restart_s = c.contains("restart") ? quantity_value(c["restart"], Dimension::time) : s.cost_s;
  if (c["interval"] == "fixed") {
    s.rule = CheckpointSpec::Interval::fixed;
    if (!c.contains("every"))
      throw InputError(ctx.where(p + ".checkpoint.every") + ": missing required key `every` (a time, such as \"30 min\"), needed with interval \"fixed\"");
    s.interval_s = quantity_value(c["every"], Dimension::time);
  } else {
    s.rule = c["interval"] == "young" ? CheckpointSpec::Interval::young : CheckpointSpec::Interval::daly;
    if (s.cost_s <= 0)
      throw InputError(ctx.where(p + ".checkpoint.cost") + ": expected a positive cost with interval \"" + c["interval"].get<std::string>() + "\" (its optimum is 0 otherwise), found 0 s");
  }
  return s;
}

}  // namespace capsim
