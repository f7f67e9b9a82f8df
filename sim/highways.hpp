#pragma once
// A federation's AI highways at run time (docs/federation.md): a gateway host per member and the links
// between them in one zone, and the transfers of jobs' input data over them, each a SimGrid comm between
// two gateways whose sharing of the links gives the contention.
#include <memory>
#include <optional>
#include <vector>

#include <simgrid/s4u.hpp>

#include "models/federation/highways.hpp"
#include "models/results/link_traffic.hpp"
#include "models/results/run_result.hpp"
#include "sim/workers.hpp"

namespace capsim {

class Highways {
 public:
  // Adds the gateways and links to a zone of their own under `parent`. Gateways never switch off (SimGrid
  // asserts on a comm to a host that is off) and draw nothing.
  Highways(simgrid::s4u::NetZone* parent, int members, const std::vector<Highway>& links, double horizon_s, double warmup_s, double interval_s);

  // The time `bytes` take from member `from` to `to` alone on the route (0 for the same member, infinite
  // without a route).
  double expected_s(int from, int to, double bytes) const;
  // Starts moving a job's input data to `site` (member `to`); the job is posted to `done.staged` when it
  // has arrived. A transfer still going at the horizon ends there, with its bytes moved so far counted.
  void stage(JobId job, int from, int to, double bytes, Site* site, Completions& done, EngineStats& stats);
  // A run stopped before its horizon: cancels the transfers under way (as WorkerPool::cancel_flows).
  void cancel();
  // What crossed each link (both directions), by link.
  const LinkTraffic& traffic() const { return traffic_; }

 private:
  struct Transfer {
    simgrid::s4u::CommPtr comm;  // kept here: destroying an unfinished comm on an actor's stack aborts
    std::vector<simgrid::s4u::ActivityPtr> waited;
  };
  void account(int from, int to, double bytes, double t0, double t1);

  std::vector<Highway> links_;
  std::vector<std::vector<std::optional<HighwayRoute>>> routes_;
  std::vector<simgrid::s4u::Host*> gateways_;
  LinkTraffic traffic_;
  std::vector<std::unique_ptr<Transfer>> transfers_;
  double horizon_s_;
};

}  // namespace capsim
