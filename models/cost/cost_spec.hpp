#pragma once
// Cost assumptions as the scenario gives them (built by the `costs` section).
#include <string>

#include "models/cost/cost.hpp"

namespace capsim {

struct CostSpec {
  std::string currency = "USD";
  ExchangeRates fx;
  Money node_price, network_per_gpu, facility_per_mw, electricity_price, staff_per_mw_year;
  double server_life_y = 5, facility_life_y = 20, maintenance_share = 0.05, discount_rate = 0.07;
};

}  // namespace capsim
