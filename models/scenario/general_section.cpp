// The scenario's top-level keys: format version, name, calendar, horizon, warm-up and seed.
#include "models/scenario/section.hpp"

#include "models/common/errors.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

std::vector<Param> declare() {
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

  return {version, name, description, start, horizon, warmup, seed};
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  s.name = r["name"];
  s.start = r["start"];
  s.start_epoch_s = *parse_iso8601(s.start);
  s.horizon_s = quantity_value(r["horizon"], Dimension::time);
  s.warmup_s = quantity_value(r["warmup"], Dimension::time);
  if (s.warmup_s >= s.horizon_s)
    throw InputError(ctx.where("warmup") + ": expected a duration below horizon (" + r["horizon"].get<std::string>() + "), found " +
                     r["warmup"].dump());
  s.seed = r["seed"].get<std::uint64_t>();
}

}  // namespace

Section general_section() { return {declare, build}; }

}  // namespace capsim
