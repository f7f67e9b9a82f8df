#include "reports/demand.hpp"

namespace capsim {
using nlohmann::json;

void DemandTotals::add(const JobRecord& j) {
  const double work = j.job.gpus * j.job.run_s;
  offered_gpu_s += work;
  served_gpu_s += j.done_gpu_s;
  switch (j.status) {
    case JobStatus::completed: break;
    case JobStatus::running: running_remainder_gpu_s += work - j.done_gpu_s; break;
    case JobStatus::queued: not_started_gpu_s += work; break;
    case JobStatus::rejected: rejected_gpu_s += work; break;
  }
}

void DemandTotals::add(const DemandTotals& o) {
  offered_gpu_s += o.offered_gpu_s;
  served_gpu_s += o.served_gpu_s;
  not_started_gpu_s += o.not_started_gpu_s;
  running_remainder_gpu_s += o.running_remainder_gpu_s;
  rejected_gpu_s += o.rejected_gpu_s;
}

json demand_json(const DemandTotals& d) {
  return {{"offered_gpu_s", d.offered_gpu_s},
          {"served_gpu_s", d.served_gpu_s},
          {"unserved_gpu_s", d.unserved_gpu_s()},
          {"unserved", {{"not_started_gpu_s", d.not_started_gpu_s},
                        {"running_remainder_gpu_s", d.running_remainder_gpu_s},
                        {"rejected_gpu_s", d.rejected_gpu_s}}},
          {"offered_gpu_hours", d.offered_gpu_s / 3600},
          {"served_gpu_hours", d.served_gpu_s / 3600},
          {"unserved_gpu_hours", d.unserved_gpu_s() / 3600}};
}

json demand_json(const DemandTotals& d, double capacity_gpu_s, double service_gpu_s) {
  json out = demand_json(d);
  out["capacity_gpu_s"] = capacity_gpu_s;
  out["capacity_gpu_hours"] = capacity_gpu_s / 3600;
  out["service_gpu_hours"] = service_gpu_s / 3600;
  out["offered_load"] = capacity_gpu_s > 0 ? json(d.offered_gpu_s / capacity_gpu_s) : json(nullptr);
  return out;
}

DemandTotals demand_from_json(const json& b) {
  DemandTotals d;
  d.offered_gpu_s = b["offered_gpu_s"].get<double>();
  d.served_gpu_s = b["served_gpu_s"].get<double>();
  d.not_started_gpu_s = b["unserved"]["not_started_gpu_s"].get<double>();
  d.running_remainder_gpu_s = b["unserved"]["running_remainder_gpu_s"].get<double>();
  d.rejected_gpu_s = b["unserved"]["rejected_gpu_s"].get<double>();
  return d;
}

}  // namespace capsim
