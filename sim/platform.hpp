#pragma once
// The SimGrid platform: one star zone with a controller host and every site's pods as multi-core hosts;
// with a network section, a site's pods sit in zones of its fabric (Site::build_fabric).
#include <memory>
#include <vector>

#include <simgrid/s4u.hpp>

#include "models/federation/highways.hpp"
#include "sim/highways.hpp"
#include "sim/site.hpp"

namespace capsim {

struct Platform {
  simgrid::s4u::Host* controller = nullptr;  // scheduler and workers run there; it never fails
  simgrid::s4u::Host* timer = nullptr;       // with a network section: runs jobs' latency terms
  std::unique_ptr<Highways> highways;         // a federation with links
};

// The network model for fabrics: max-min fair sharing without TCP's window limit or reverse traffic
// (../shared/SIMGRID.md). Between the engine's construction and the platform's.
void use_fabric_network_model(simgrid::s4u::Engine& engine);

// Builds and seals the platform. Counts pod hosts and build time in `stats`.
// `highways` with the horizon, warm-up and timeseries interval of their traffic.
Platform build_platform(std::vector<std::unique_ptr<Site>>& sites, const std::vector<Highway>& highways, double horizon_s, double warmup_s,
                        double interval_s, EngineStats& stats);

}  // namespace capsim
