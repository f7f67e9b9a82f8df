#pragma once
// The SimGrid platform: one star zone with a controller host (scheduler and workers run there; it never
// fails) and every site's pods as multi-core hosts.
#include <memory>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/site.hpp"

namespace capsim {

// Builds and seals the platform; returns the controller host. Counts pod hosts and build time in `stats`.
simgrid::s4u::Host* build_platform(std::vector<std::unique_ptr<Site>>& sites, EngineStats& stats);

}  // namespace capsim
