#include "reports/timeseries.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/calendar.hpp"
#include "models/site/site.hpp"
#include "reports/summary.hpp"

namespace capsim {

TimeseriesWriter::TimeseriesWriter(const Scenario& s, bool hourly_inputs, std::optional<double> cap_w)
    : s_(s), hourly_inputs_(hourly_inputs), cap_w_(cap_w) {
  if (hourly_inputs) facility_ = make_facility_model(s);
}

void TimeseriesWriter::append_row(std::string& out, const TimeseriesRow& row) const {
  out += num(row.start_s) + ',' + num(row.end_s) + ',' + num(row.gpus_allocated) + ',' + num(row.gpus_busy) + ',' +
         num(row.jobs_running) + ',' + num(row.jobs_queued) + ',' + num(row.it_power_w / 1e6) + ',' +
         num(row.facility_power_w / 1e6) + ',' +
         iso_local(s_.start_epoch_s + static_cast<long long>(std::floor(row.start_s)), s_.site_utc_offset_s) + ',' +
         num(row.gpus_in_service) + ',' + num(row.gpus_off) + ',' + num(row.capacity_gpus) + ',' + num(row.speed_level) + ',';
  if (cap_w_) out += num(*cap_w_ / 1e6);
  out += ',';
  if (row.it_power_w > 0) out += num(row.facility_power_w / row.it_power_w);
  out += ',';
  if (!hourly_inputs_) {
    out += ",,";
    return;
  }
  // Means over the hours the interval starts in (the site's inputs are hourly).
  double temp = 0, price = 0, carbon = 0;
  int hours = 0;
  for (double h = std::floor(row.start_s / 3600); h * 3600 < row.end_s; ++h, ++hours) {
    const std::size_t hour = facility_->hour_of(h * 3600);
    if (hour < facility_->temperature_c.size()) temp += facility_->temperature_c[hour];
    if (s_.site) {
      const LocalTime lt = local_time(h * 3600, s_.start_epoch_s, s_.site_utc_offset_s);
      price += s_.costs.fx.to_usd({s_.site->tariff.price(lt), s_.site->tariff.currency});
      carbon += site_carbon_g_per_kwh(*s_.site, lt);
    } else {
      price += s_.costs.fx.to_usd(s_.costs.electricity_price);
    }
  }
  if (!facility_->temperature_c.empty()) out += num(temp / hours);
  out += ',' + num(price / hours) + ',';
  if (s_.site) out += num(carbon / hours);
}

void append_fabric_utilization(std::string& out, const RunResult& r, std::size_t k) {
  for (std::size_t g = 0; g < 2; ++g) {
    out += ',';
    if (r.fabric_traffic && g < r.fabric_traffic->groups()) out += num(r.fabric_traffic->interval_utilization(g, k));
  }
}

std::string timeseries_csv(const Scenario& s, const RunResult& r) {
  const TimeseriesWriter w(s, true, s.facility.power_cap_w);
  std::string out = std::string(kTimeseriesCsvHeader) + (s.network.enabled ? kTimeseriesNetworkColumns : "") + (s.failures.enabled ? ",nodes_down" : "") + "\n";
  for (std::size_t k = 0; k < r.timeseries.size(); ++k) {
    w.append_row(out, r.timeseries[k]);
    if (s.network.enabled) append_fabric_utilization(out, r, k);
    if (s.failures.enabled) out += ',' + num(r.timeseries[k].nodes_down);
    out += '\n';
  }
  return out;
}

}  // namespace capsim
