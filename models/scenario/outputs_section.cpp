// The `outputs` section: output options.
#include "models/scenario/section.hpp"

#include "models/common/errors.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

std::vector<Param> declare() {
  Param ts = quantity("timeseries_interval", Dimension::time, "1 h", "Interval of timeseries.csv.");
  range(ts, 1.0, 365 * kDay);
  Param outputs = object("outputs", {ts}, "Output options.");
  return {outputs};
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  s.timeseries_interval_s = quantity_value(ctx.r["outputs"]["timeseries_interval"], Dimension::time);
  if (s.horizon_s / s.timeseries_interval_s > 2e6)
    throw TooLargeError(ctx.where("outputs.timeseries_interval") + ": more than 2,000,000 timeseries rows over the horizon; use a longer interval");
}

}  // namespace

Section outputs_section() { return {declare, build}; }

}  // namespace capsim
