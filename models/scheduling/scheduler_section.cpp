// The `scheduler` section: the scheduling policy.
#include "models/scenario/section.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;

namespace {

std::vector<Param> declare() {
  Param policy = string("policy", "easy", "Scheduling policy (docs/scheduling.md).");
  choices(policy, {"fcfs", "easy"});
  Param scheduler = object("scheduler", {policy}, "How queued jobs are started.");
  return {scheduler};
}

void build(SectionContext& ctx) {
  ctx.s.policy = ctx.r["scheduler"]["policy"] == "fcfs" ? PolicyKind::fcfs : PolicyKind::easy;
}

}  // namespace

Section scheduler_section() { return {declare, build}; }

}  // namespace capsim
