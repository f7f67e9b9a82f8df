#pragma once
// The accelerators public GPU-cluster traces ran on (scenarios/catalog/trace_gpus.json, compiled in): the
// peak a recorded job's replay is scaled by (docs/traces.md).
#include <map>
#include <string>
#include <string_view>

namespace capsim {

struct TraceGpuCatalog {
  std::map<std::string, double> by_key;   // catalog key -> peak FLOP/s
  std::map<std::string, double> by_name;  // trace label, lowercased -> peak FLOP/s
};

std::string_view builtin_trace_gpus_json();
TraceGpuCatalog load_trace_gpus(std::string_view text, const std::string& origin);
const TraceGpuCatalog& builtin_trace_gpus();

}  // namespace capsim
