#pragma once
// timeseries.csv: the recorder's interval means, with the calendar, the cap and the site's hourly inputs
// (outside temperature, electricity price, carbon intensity) beside them.
#include <optional>
#include <string>

#include "models/results/run_result.hpp"
#include "models/scenario/scenario.hpp"
#include "models/site/facility.hpp"

namespace capsim {

inline constexpr const char* kTimeseriesCsvHeader =
    "start_s,end_s,gpus_allocated,gpus_busy,jobs_running,jobs_queued,it_power_mw,facility_power_mw,local_time,"
    "gpus_in_service,gpus_switched_off,capacity_gpus,speed_level,cap_mw,pue,outside_temp_c,price_usd_per_kwh,carbon_g_per_kwh";

class TimeseriesWriter {
 public:
  // `hourly_inputs` false: the site columns stay empty (a federation's totals, over several sites).
  TimeseriesWriter(const Scenario& s, bool hourly_inputs, std::optional<double> cap_w);
  void append_row(std::string& out, const TimeseriesRow& row) const;  // no newline

 private:
  const Scenario& s_;
  bool hourly_inputs_;
  std::optional<double> cap_w_;
  std::optional<FacilityModel> facility_;  // for the outside temperature (climate model)
};

// With a network section the rows gain the fabric's utilisation by tier (docs/outputs.md).
inline constexpr const char* kTimeseriesNetworkColumns = ",leaf_uplink_utilization,spine_uplink_utilization";
// Those columns of interval k (empty without the data: a 2-tier fabric's spines, a site without a fabric).
void append_fabric_utilization(std::string& out, const RunResult& r, std::size_t k);

std::string timeseries_csv(const Scenario& s, const RunResult& r);

}  // namespace capsim
