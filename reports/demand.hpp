#pragma once
// What was asked of a cluster and how much of it was done (docs/outputs.md, `demand`): the work of the
// jobs submitted in the window, in reference GPU-seconds (one second of one GPU of the reference
// accelerator), against the capacity in service.
#include <nlohmann/json.hpp>

#include "models/results/run_result.hpp"

namespace capsim {

struct DemandTotals {
  double offered_gpu_s = 0;
  double served_gpu_s = 0;
  // The unserved rest, by why.
  double not_started_gpu_s = 0, running_remainder_gpu_s = 0, rejected_gpu_s = 0;

  // A job submitted in the window.
  void add(const JobRecord& j);
  void add(const DemandTotals& o);
  double unserved_gpu_s() const { return not_started_gpu_s + running_remainder_gpu_s + rejected_gpu_s; }
};

// The per-class block (work only).
nlohmann::json demand_json(const DemandTotals& d);
// The run's block: with the capacity in service (reference GPU-seconds) and the GPU-seconds in service.
nlohmann::json demand_json(const DemandTotals& d, double capacity_gpu_s, double service_gpu_s);
// The same, added up over federation members' blocks.
DemandTotals demand_from_json(const nlohmann::json& block);

}  // namespace capsim
