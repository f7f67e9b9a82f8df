#pragma once
// The facility as the scenario describes it (built by the `facility` section).
#include <optional>

#include "models/site/site.hpp"

namespace capsim {

struct FacilitySpec {
  bool climate = false;  // PUE from the site's climate (else constant `Scenario::pue`)
  CoolingModel cooling;
  double diurnal_half_range_c = 4;
  double it_overhead_share = 0;  // network and storage power / compute node power
  std::optional<double> wue_l_per_kwh;
  std::optional<double> power_cap_w;  // facility power cap
  double throttle_exponent = 2;       // active power at speed s: s^exponent of full
  bool hold_under_cap = false;        // under a cap, hold jobs in the queue rather than throttle
  bool switch_off_idle = true;        // under a cap, switch idle pods off first
  double switch_interval_s = 900;     // a pod stays on or off at least this long (unless the cap forces it)
  // The IT power the facility is built for (its capex, staff and fixed power follow it): every node at its
  // rating, the most the cap can feed at the hottest hour, or a given power.
  enum class Design { nameplate, grid, given } design = Design::nameplate;
  double design_it_w = 0;  // Design::given
};

}  // namespace capsim
