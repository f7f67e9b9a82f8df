#include "models/workload/trace_gpus.hpp"

#include "models/common/json_file.hpp"
#include "models/workload/gpu_trace.hpp"

namespace capsim {

TraceGpuCatalog load_trace_gpus(std::string_view text, const std::string& origin) {
  const nlohmann::json doc = parse_json_text(text, origin);
  CatalogReader r{origin};
  r.version(doc);
  const nlohmann::json& gpus = r.field(doc, "(top level)", "gpu_types");
  if (!gpus.is_object()) r.fail("gpu_types", "expected an object keyed by accelerator name");
  TraceGpuCatalog c;
  for (const auto& [key, g] : gpus.items()) {
    const std::string path = "gpu_types." + key;
    const double peak = r.number(g, path, "peak_flops", true, 1e18);
    r.sourced(g, path);
    c.by_key[key] = peak;
    const nlohmann::json& names = r.field(g, path, "trace_names");
    if (!names.is_array()) r.fail(path + ".trace_names", "expected a list of labels, found " + names.dump());
    for (const auto& n : names) {
      if (!n.is_string() || n.get<std::string>().empty()) r.fail(path + ".trace_names", "expected non-empty labels, found " + n.dump());
      if (!c.by_name.emplace(gpu_label_key(n.get<std::string>()), peak).second) r.fail(path + ".trace_names", "expected labels unique over the catalog, found a second " + n.dump());
    }
  }
  return c;
}

const TraceGpuCatalog& builtin_trace_gpus() {
  static const TraceGpuCatalog c = load_trace_gpus(builtin_trace_gpus_json(), "built-in trace GPU catalog");
  return c;
}

}  // namespace capsim
