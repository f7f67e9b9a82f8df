#pragma once
// Facility power around the compute nodes, hour by hour: IT power = compute power x (1 + network/storage
// share); facility power = IT power x multiplier(hour) + fixed power. With a constant PUE the multiplier is
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
  std::vector<double> multiplier;     // per hour of the horizon
  std::vector<double> temperature_c;  // per hour (climate model only)

  std::size_t hour_of(double t_s) const;
  double facility_w(double compute_w, std::size_t hour) const { return compute_w * it_factor * multiplier[hour] + fixed_w; }
};

FacilityModel make_facility_model(const Scenario& s);

}  // namespace capsim
