// A GPU trace as the workload's job source, with its transforms (docs/traces.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "models/common/errors.hpp"
#include "models/workload/workload.hpp"

namespace capsim {

namespace {
constexpr double kDay = 86400;
}

GpuTraceSource::GpuTraceSource(const GpuTraceWorkload& w, double horizon_s, std::uint64_t seed)
    : w_(w), horizon_s_(horizon_s), trace_(w.trace), scale_(w.scale), blocks_(seed, "trace-resample") {
  TraceRow r;
  if (!trace_.next(r)) return;
  start_ = r.submit_s + w.from_s;
  end_ = w.to_s ? r.submit_s + *w.to_s : std::numeric_limits<double>::infinity();
  first_ = r;
  if (!w.offered_load && w.resample_block_s <= 0) return;
  while (pull(r)) rows_.push_back(r);
  held_ = true;
  // Without an end, the window is the whole days from its start that hold its last job.
  if (!w.to_s) end_ = start_ + (rows_.empty() ? 1 : std::floor((rows_.back().submit_s - start_) / kDay) + 1) * kDay;
  const double period = end_ - start_;
  double work = 0;
  for (const TraceRow& x : rows_) work += gpus_of(x) * run_of(x);
  // GPU-seconds per second the window offers at scale 1.
  const double offered = work / period;
  if (w.offered_load && offered > 0) scale_ = *w.offered_load * w.capacity_gpus / offered;
  if (w.resample_block_s <= 0) return;
  const auto blocks = static_cast<std::size_t>(std::floor(period / w.resample_block_s + 1e-9));
  if (blocks == 0)
  {
    char found[96];
    std::snprintf(found, sizeof found, "expected a trace window of at least one block (%g d), found %g d", w.resample_block_s / kDay, period / kDay);
    throw InputError(w.resample_where + ": " + found);
  }
  for (std::size_t k = 0; k <= blocks; ++k) {
    const double from = start_ + static_cast<double>(k) * w.resample_block_s;
    block_first_.push_back(static_cast<std::size_t>(
        std::lower_bound(rows_.begin(), rows_.end(), from, [](const TraceRow& x, double t) { return x.submit_s < t; }) - rows_.begin()));
  }
}

// The window's rows in submit order, from the stream or as held.
bool GpuTraceSource::pull(TraceRow& r) {
  if (held_) {
    if (next_row_ >= rows_.size()) return false;
    r = rows_[next_row_++];
    return true;
  }
  while (true) {
    if (first_) {
      r = *first_;
      first_.reset();
    } else if (!trace_.next(r)) {
      return false;
    }
    if (r.submit_s < start_) continue;
    return r.submit_s < end_;
  }
}

long long GpuTraceSource::skipped() const {
  long long n = 0;
  for (const auto& [reason, count] : trace_.reader().skipped) n += count;
  return n;
}

double GpuTraceSource::speedup_of(std::uint16_t gpu_type) const {
  double peak = w_.default_peak;
  if (gpu_type != 0) {
    auto it = w_.peaks.find(gpu_label_key(trace_.reader().labels.gpu_types[gpu_type]));
    peak = it != w_.peaks.end() ? it->second : 0;
  }
  return peak > 0 ? std::min(w_.reference_peak / peak, w_.max_speedup) : 1.0;
}

int GpuTraceSource::gpus_of(const TraceRow& r) const {
  int g = std::max(1, static_cast<int>(std::ceil(r.gpus - 1e-9)));
  if (w_.size_factor == 1) return g;
  g = static_cast<int>(std::ceil(g * w_.size_factor - 1e-9));
  return w_.max_gpus > 0 ? std::min(g, w_.max_gpus) : g;
}

double GpuTraceSource::run_of(const TraceRow& r) {
  if (r.gpu_type >= speedups_.size()) speedups_.resize(r.gpu_type + 1u, std::nan(""));
  double& speedup = speedups_[r.gpu_type];
  if (std::isnan(speedup)) speedup = speedup_of(r.gpu_type);
  return std::max(1.0, std::ceil(r.run_s / speedup - 1e-9));
}

std::optional<Job> GpuTraceSource::make(const TraceRow& r, double t) {
  Job j;
  j.id = next_id_++;
  j.trace_id = r.id;
  j.submit_s = std::floor(t);
  j.run_s = run_of(r);
  j.estimate_s = std::ceil(j.run_s * w_.estimate_factor);
  j.gpus = gpus_of(r);
  j.trace_gpus = static_cast<float>(r.gpus);
  j.speedup = static_cast<float>(speedups_[r.gpu_type]);
  j.tenant = r.tenant;
  j.trace_gpu_type = r.gpu_type;
  j.trace_status = r.status;
  return j;
}

std::optional<Job> GpuTraceSource::next() {
  if (w_.resample_block_s <= 0) {
    TraceRow r;
    if (!pull(r)) return std::nullopt;
    const double t = (r.submit_s - start_) / scale_;
    if (t >= horizon_s_) return std::nullopt;
    return make(r, t);
  }
  const double len = w_.resample_block_s;
  while (block_ < 0 || next_row_ >= block_end_) {
    ++block_;
    if (static_cast<double>(block_) * len / scale_ >= horizon_s_) return std::nullopt;
    const std::size_t blocks = block_first_.size() - 1;
    const auto k = std::min(blocks - 1, static_cast<std::size_t>(blocks_.uniform() * static_cast<double>(blocks)));
    next_row_ = block_first_[k];
    block_end_ = block_first_[k + 1];
    block_from_ = start_ + static_cast<double>(k) * len;
  }
  const TraceRow& r = rows_[next_row_++];
  const double t = (static_cast<double>(block_) * len + (r.submit_s - block_from_)) / scale_;
  if (t >= horizon_s_) return std::nullopt;
  return make(r, t);
}

}  // namespace capsim
