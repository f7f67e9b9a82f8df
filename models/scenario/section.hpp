#pragma once
// A scenario section: the top-level keys it declares (validation, defaults, `capsim schema` and the docs
// tables all come from these declarations) and how it builds its part of the typed Scenario from the
// resolved document. The loader composes the sections (models/scenario/sections.cpp); adding a section
// is one file and one line there.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/params.hpp"
#include "models/scenario/scenario.hpp"

namespace capsim {

inline constexpr double kDay = 86400.0;

struct SectionContext {
  nlohmann::json& r;          // the resolved document; a section fills what the declarations cannot default
  const nlohmann::json& doc;  // as written, --set applied (a federation's members start from it)
  Scenario& s;                // the sections before this one have built their parts
  const std::string& file;
  const std::string& base_dir;
  // Digests already taken in this load (a federation's, for its members, which share its trace).
  const std::map<std::string, FileDigest>* known_inputs;
  // "FILE: PATH", the start of every error message.
  std::string where(const std::string& path) const { return file + ": " + path; }
  void warn(const std::string& path, const std::string& what) const { s.warnings.push_back(where(path) + ": " + what); }
  // Records that the value at `path` came from a catalog entry flagged as an estimate.
  void used_estimate(const std::string& catalog, const std::string& entry, const std::string& path) const;
  // A path in the scenario, made absolute against the scenario file's folder.
  std::string rel(const std::string& path) const;
};

struct Section {
  std::vector<params::Param> (*declare)();  // top-level keys, in the order of the format
  void (*build)(SectionContext& ctx);       // throws InputError or TooLargeError
};

// In the order of the format and of building: a section may use what those before it built.
const std::vector<Section>& scenario_sections();

Section general_section();
Section site_section();
Section cluster_section();
Section facility_section();
Section costs_section();
Section network_section();
Section failures_section();
Section workload_section();
Section training_runs_section();
Section scheduler_section();
Section outputs_section();
Section federation_section();
Section inputs_section();

}  // namespace capsim
