#pragma once
// The memory a run will need, estimated from the scenario alone (never from the machine), so the same
// scenario is refused or accepted everywhere.
#include <string>

#include "models/scenario/scenario.hpp"

namespace capsim {

struct Footprint {
  double pods = 0;   // SimGrid hosts, over all members
  double nodes = 0;  // over all members
  double jobs = 0;   // expected over the horizon (a trace: at most one per 40 bytes)
  double rows = 0;   // timeseries rows held until written, each member's and a federation's totals
  // Peak resident memory in bytes: fitted to measured runs (docs/errors.md gives the figures).
  double bytes() const;
};

Footprint footprint(const Scenario& s);

// Runs are refused above this estimate (exit 3): 16 GiB, two thirds of the 24 GiB machine capsim targets.
inline constexpr double kMaxPeakMemoryBytes = 16.0 * (1 << 30);

// Throws TooLargeError naming the largest term's place in FILE when footprint(s).bytes() is above the limit.
void check_footprint(const Scenario& s, const std::string& file);

}  // namespace capsim
