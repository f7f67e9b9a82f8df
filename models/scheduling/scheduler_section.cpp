// The `scheduler` section: the scheduling policy, and the order in which nodes are preferred.
#include "models/scenario/section.hpp"

#include "models/common/errors.hpp"

#include <algorithm>
#include <numeric>

namespace capsim {
using nlohmann::json;
using namespace params;

namespace {

std::vector<Param> declare() {
  Param policy = string("policy", "easy", "Scheduling policy (docs/scheduling.md).");
  choices(policy, {"fcfs", "easy"});
  Param placement = string("placement", "fastest_first",
                           "Which generation's nodes a job goes to first (docs/scheduling.md): \"fastest_first\" (most BF16 FLOP/s per GPU) or \"work_per_watt\" (most work per watt of a busy node); ties keep tranche order.");
  choices(placement, {"fastest_first", "work_per_watt"});
  Param fabric = string("fabric_placement", json(),
                        "With a network section (docs/scheduling.md): \"topology\" puts a job of whole nodes inside one host group (leaf or rail group) if one holds it, else inside one fabric pod, else over the fewest pods; \"node_order\" takes the lowest-numbered free nodes, as without a network.");
  choices(fabric, {"topology", "node_order"});
  fabric.optional = true;
  fabric.default_note = "\"topology\" with a network section; absent without one";
  Param scheduler = object("scheduler", {policy, placement, fabric}, "How queued jobs are started.");
  return {scheduler};
}

// Node numbers are the placement order (the pool prefers low numbers): tranche by tranche, the preferred
// generation first, so a job fills the nodes of one generation before it spans into the next.
std::vector<std::size_t> placement_order(const ClusterSpec& c, bool work_per_watt) {
  auto key = [&](const Tranche& t) { return work_per_watt ? t.speed / (t.idle_w + t.active_w()) : t.speed; };
  std::vector<std::size_t> order(c.tranches.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(c.tranches[a]) > key(c.tranches[b]); });
  return order;
}

void number_nodes(ClusterSpec& c, const std::vector<std::size_t>& order) {
  int next = 0;
  for (std::size_t t : order) {
    c.tranches[t].first_node = next;
    next += c.tranches[t].nodes;
  }
}

bool written(const json& doc, const char* section, const char* key) { return doc.contains(section) && doc[section].contains(key); }

void build(SectionContext& ctx) {
  const json& sc = ctx.r["scheduler"];
  ctx.s.policy = sc["policy"] == "fcfs" ? PolicyKind::fcfs : PolicyKind::easy;
  const auto order = placement_order(ctx.s.cluster, sc["placement"] == "work_per_watt");
  // A key without effect is left out of the resolved scenario, as inactive keys are.
  if (order == placement_order(ctx.s.cluster, sc["placement"] != "work_per_watt")) {
    if (written(ctx.doc, "scheduler", "placement")) ctx.warn("scheduler.placement", "has no effect here: both rules rank the tranches the same way");
    ctx.r["scheduler"].erase("placement");
  }
  number_nodes(ctx.s.cluster, order);
  if (!ctx.s.network.enabled) {
    if (sc.contains("fabric_placement"))
      throw InputError(ctx.where("scheduler.fabric_placement") + ": applies only with a `network` section; remove it or add one");
  } else {
    if (!sc.contains("fabric_placement")) ctx.r["scheduler"]["fabric_placement"] = "topology";
    ctx.s.topology_placement = ctx.r["scheduler"]["fabric_placement"] == "topology";
  }
  // Estimates are read by EASY and by a federation's least-queued-work dispatch. A federation member
  // (loaded with the federation's digests) cannot see the dispatch, so only a plain scenario warns.
  const bool plain = !ctx.doc.contains("federation") && ctx.known_inputs == nullptr;
  if (ctx.s.policy == PolicyKind::fcfs && plain && ctx.r["workload"].contains("classes"))
    for (std::size_t i = 0; i < ctx.r["workload"]["classes"].size(); ++i) {
      if (ctx.doc["workload"]["classes"][i].contains("estimate_factor"))
        ctx.warn("workload.classes." + std::to_string(i) + ".estimate_factor", "has no effect with scheduler.policy \"fcfs\" (only EASY plans with estimates)");
      ctx.r["workload"]["classes"][i].erase("estimate_factor");
    }
}

}  // namespace

Section scheduler_section() { return {declare, build}; }

}  // namespace capsim
