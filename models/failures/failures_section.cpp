// The `failures` section: node failures, repairs and spare nodes (docs/failures.md); and the job classes'
// `checkpoint`, read by the workload section.
#include "models/scenario/section.hpp"

#include <cmath>

#include "models/common/errors.hpp"
#include "models/failures/checkpoint_param.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

std::vector<Param> declare() {
  Param mtbf = filled(quantity("node_mtbf", Dimension::time, json(), "Mean time between failures of one node, while it is on (switched off under a power cap or out of service, it does not fail)."),
                            "required unless `node_failures_per_day`");
  range(mtbf, 0.0, 1e12, true);
  Param rate = filled(number("node_failures_per_day", json(), "The same as a rate: failures per node per day (0: none). Llama 3's pre-training: 0.00379."),
                            "required unless `node_mtbf`");
  range(rate, 0.0, 1e6);
  Param dist = string("distribution", "exponential", "Time to failure of a node: \"exponential\" (a constant rate), or \"weibull\" with `weibull_shape` (its age restarts at each repair).");
  choices(dist, {"exponential", "weibull"});
  Param shape = filled(number("weibull_shape", json(), "Weibull shape k (< 1: failures more likely early after a repair; 1: exponential). The scale follows from the mean."),
                             "required with \"weibull\"");
  range(shape, 0.05, 20.0);
  shape.active_when = {{"distribution", {"weibull"}}};
  Param rdist = string("distribution", "fixed", "Repair time: \"fixed\" (always the mean), \"exponential\" or \"lognormal\" (with `sigma`).");
  choices(rdist, {"fixed", "exponential", "lognormal"});
  Param rmean = quantity("mean", Dimension::time, "2 h", "Mean repair time (AIReSim's automatic repair: 120 min).");
  range(rmean, 0.0, 10 * 365 * kDay);
  Param rsigma = number("sigma", 1.0, "Standard deviation of the log of the repair time.");
  range(rsigma, 0.0, 5.0);
  rsigma.active_when = {{"distribution", {"lognormal"}}};
  Param repair = object("repair", {rdist, rmean, rsigma}, "How long a failed node is out.");
  Param spares = integer("spare_nodes", 0, "Nodes held out of the scheduler's pool (the cluster's last) as warm spares: one stands in at once for a failed node, whose jobs restart in place; the repaired node becomes the spare.");
  range(spares, 0, 1e7);
  Param requeue = string("requeue", "front", "Where an interrupted job goes back in the queue when no spare stands in: \"front\" (its original place, by submit time) or \"back\".");
  choices(requeue, {"front", "back"});
  Param failures = filled(object("failures", {mtbf, rate, dist, shape, repair, spares, requeue}, "Node failures and repairs (docs/failures.md). Without it nothing fails."),
                                "none: nothing fails");
  return {failures};
}

void build(SectionContext& ctx) {
  if (!ctx.r.contains("failures")) return;
  const json& f = ctx.r["failures"];
  FailureSpec& s = ctx.s.failures;
  s.enabled = true;
  const bool has_mtbf = f.contains("node_mtbf"), has_rate = f.contains("node_failures_per_day");
  if (has_mtbf == has_rate)
    throw InputError(ctx.where("failures") + ": expected exactly one of `node_mtbf` and `node_failures_per_day`, found " + (has_mtbf ? "both" : "neither"));
  if (has_mtbf) {
    s.node_mtbf_s = quantity_value(f["node_mtbf"], Dimension::time);
  } else {
    const double per_day = f["node_failures_per_day"];
    s.node_mtbf_s = per_day > 0 ? kDay / per_day : std::numeric_limits<double>::infinity();
  }
  if (f["distribution"] == "weibull") {
    s.kind = FailureSpec::Kind::weibull;
    if (!f.contains("weibull_shape"))
      throw InputError(ctx.where("failures.weibull_shape") + ": missing required key `weibull_shape` (a number, such as 0.7), needed with distribution \"weibull\"");
    s.weibull_shape = f["weibull_shape"];
  }
  const json& r = f["repair"];
  s.repair.kind = r["distribution"] == "exponential" ? RepairSpec::Kind::exponential
                  : r["distribution"] == "lognormal" ? RepairSpec::Kind::lognormal
                                                     : RepairSpec::Kind::fixed;
  s.repair.mean_s = quantity_value(r["mean"], Dimension::time);
  if (r.contains("sigma")) s.repair.sigma = r["sigma"];
  s.spare_nodes = f["spare_nodes"];
  if (s.spare_nodes >= ctx.s.cluster.nodes)
    throw InputError(ctx.where("failures.spare_nodes") + ": expected fewer spares than the cluster's " + std::to_string(ctx.s.cluster.nodes) +
                     " nodes, found " + std::to_string(s.spare_nodes));
  s.requeue_front = f["requeue"] == "front";
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
