#pragma once
// `capsim trace stats`: what a GPU trace holds, read in one pass (docs/traces.md).
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "models/workload/gpu_trace.hpp"

namespace capsim {

// Jobs, GPU-hours (GPUs as recorded x run time), size and run-time quantiles (linear between closest
// ranks), arrivals by local hour and weekday (with an absolute time base), statuses, tenants, GPU types
// and the jobs skipped, by reason.
// With its cluster (`capsim trace stats --nodes`): its GPUs and the load the trace offered them.
// `progress` is told the rows read so far.
nlohmann::json trace_stats(TraceReader& reader, const std::string& format, const TraceCluster* cluster = nullptr,
                           const std::function<void(long long rows)>& progress = {});
std::string trace_stats_text(const nlohmann::json& stats);

}  // namespace capsim
