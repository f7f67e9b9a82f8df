#include "models/scenario/section.hpp"

#include <filesystem>

namespace capsim {

std::string SectionContext::rel(const std::string& path) const {
  std::filesystem::path fp(path);
  return (fp.is_absolute() ? fp : std::filesystem::path(base_dir) / fp).lexically_normal().string();
}

void SectionContext::used_estimate(const std::string& catalog, const std::string& entry, const std::string& path) const {
  for (Scenario::EstimateUse& u : s.estimates_used)
    if (u.catalog == catalog && u.entry == entry) {
      u.paths.push_back(path);
      return;
    }
  s.estimates_used.push_back({catalog, entry, {path}});
}

const std::vector<Section>& scenario_sections() {
  static const std::vector<Section> sections = {
      general_section(),  site_section(),      cluster_section(), facility_section(),   costs_section(), network_section(),
      failures_section(), workload_section(), training_runs_section(), scheduler_section(), outputs_section(), federation_section(), inputs_section(),
  };
  return sections;
}

}  // namespace capsim
