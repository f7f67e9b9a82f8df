#pragma once
// Facility power around the compute nodes, hour by hour: IT power = compute power x (1 + network/storage
// share) + fabric power (with a network section, where the share is storage's only); facility power = IT power x multiplier(hour) + fixed power. With a constant PUE the multiplier is
// the PUE and there is no fixed power; with the climate model the multiplier is 1 + the cooling share at
// the hour's outside temperature and the fixed power is a share of the design IT power.
#include <cstddef>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace capsim {

struct FacilityModel {
  double it_factor = 1;   // IT power / compute node power
  double fixed_w = 0;     // facility power drawn whatever the load
  double design_it_w = 0; // all nodes at peak, with network and storage
  std::vector<double> tranche_fabric_w;  // with a network section: each tranche's fabric power while it serves
  std::vector<double> pod_leaf_w;        // the same: of it, each pod's (host group's) leaves, off with the pod
  std::vector<double> multiplier;     // per hour of the horizon
  std::vector<double> temperature_c;  // per hour (climate model only)

  std::size_t hour_of(double t_s) const;
  // `fabric_w`: the switches and optics of the tranches in service (a network section), whatever the load.
  double it_w(double compute_w, double fabric_w) const { return compute_w * it_factor + fabric_w; }
  double facility_w(double compute_w, std::size_t hour, double fabric_w) const { return it_w(compute_w, fabric_w) * multiplier[hour] + fixed_w; }
};

FacilityModel make_facility_model(const Scenario& s);

}  // namespace capsim
