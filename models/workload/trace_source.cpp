// A GPU trace as the workload's job source (docs/traces.md).
#include <algorithm>
#include <cctype>
#include <cmath>

#include "models/workload/workload.hpp"

namespace capsim {

GpuTraceSource::GpuTraceSource(const GpuTraceWorkload& w, double horizon_s) : w_(w), horizon_s_(horizon_s), trace_(w.trace) {}

long long GpuTraceSource::skipped() const {
  long long n = 0;
  for (const auto& [reason, count] : trace_.reader().skipped) n += count;
  return n;
}

double GpuTraceSource::speedup_of(std::uint16_t gpu_type) const {
  double peak = w_.default_peak;
  if (gpu_type != 0) {
    std::string key = trace_.reader().labels.gpu_types[gpu_type];
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto it = w_.peaks.find(key);
    peak = it != w_.peaks.end() ? it->second : 0;
  }
  return peak > 0 ? std::min(w_.reference_peak / peak, w_.max_speedup) : 1.0;
}

std::optional<Job> GpuTraceSource::next() {
  TraceRow r;
  while (trace_.next(r)) {
    if (!origin_) origin_ = r.submit_s;
    const double t = (r.submit_s - *origin_) / w_.scale;
    if (t >= horizon_s_) return std::nullopt;
    if (r.gpu_type >= speedups_.size()) speedups_.resize(r.gpu_type + 1u, std::nan(""));
    double& speedup = speedups_[r.gpu_type];
    if (std::isnan(speedup)) speedup = speedup_of(r.gpu_type);
    Job j;
    j.id = next_id_++;
    j.trace_id = r.id;
    j.submit_s = std::floor(t);
    j.run_s = std::max(1.0, std::ceil(r.run_s / speedup - 1e-9));
    j.estimate_s = std::ceil(j.run_s * w_.estimate_factor);
    j.gpus = std::max(1, static_cast<int>(std::ceil(r.gpus - 1e-9)));
    j.trace_gpus = static_cast<float>(r.gpus);
    j.speedup = static_cast<float>(speedup);
    j.tenant = r.tenant;
    j.trace_gpu_type = r.gpu_type;
    j.trace_status = r.status;
    return j;
  }
  return std::nullopt;
}

}  // namespace capsim
