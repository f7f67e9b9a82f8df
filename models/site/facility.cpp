#include "models/site/facility.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/calendar.hpp"

namespace capsim {

std::size_t FacilityModel::hour_of(double t_s) const {
  auto h = static_cast<std::size_t>(std::max(0.0, std::floor(t_s / 3600.0)));
  return std::min(h, multiplier.size() - 1);
}

FacilityModel make_facility_model(const Scenario& s) {
  FacilityModel m;
  m.it_factor = 1 + s.facility.it_overhead_share;
  for (const Tranche& t : s.cluster.tranches) m.design_it_w += t.nodes * t.peak_w * m.it_factor;
  if (s.network.enabled) {
    for (const FabricParts& p : s.fabric.by_tranche) {
      m.tranche_fabric_w.push_back(p.power_w());
      m.design_it_w += p.power_w();
    }
    m.pod_leaf_w = s.fabric.group_leaf_w;
  }
  if (s.facility.design == FacilitySpec::Design::given) m.design_it_w = s.facility.design_it_w;
  std::size_t hours = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(s.horizon_s / 3600.0)));
  if (!s.facility.climate) {
    m.multiplier.assign(hours, s.pue);
    if (s.facility.design == FacilitySpec::Design::grid) m.design_it_w = std::min(m.design_it_w, *s.facility.power_cap_w / s.pue);
    return m;
  }
  if (s.facility.design == FacilitySpec::Design::grid) {
    // Sized on the site's hottest hour of a whole year, whatever the horizon: a building stands all year.
    double hottest = 0;
    for (std::size_t h = 0; h < 8760; ++h)
      hottest = std::max(hottest, s.facility.cooling.cooling_share(site_temperature_c(
                                      *s.site, local_time(h * 3600.0, s.start_epoch_s, s.site_utc_offset_s), s.facility.diurnal_half_range_c)));
    m.design_it_w = std::min(m.design_it_w, *s.facility.power_cap_w / (1 + hottest + s.facility.cooling.fixed_share));
  }
  m.fixed_w = s.facility.cooling.fixed_share * m.design_it_w;
  const int offset = s.site_utc_offset_s;
  m.multiplier.resize(hours);
  m.temperature_c.resize(hours);
  for (std::size_t h = 0; h < hours; ++h) {
    LocalTime lt = local_time(h * 3600.0, s.start_epoch_s, offset);
    double t = site_temperature_c(*s.site, lt, s.facility.diurnal_half_range_c);
    m.temperature_c[h] = t;
    m.multiplier[h] = 1 + s.facility.cooling.cooling_share(t);
  }
  return m;
}

}  // namespace capsim
