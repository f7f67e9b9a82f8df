#include "models/scenario/scenario.hpp"

#include <filesystem>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/common/sha256.hpp"
#include "models/scenario/footprint.hpp"
#include "models/scenario/overrides.hpp"
#include "models/scenario/section.hpp"

namespace capsim {
using nlohmann::json;

namespace {

params::Param make_spec() {
  std::vector<params::Param> keys;
  for (const Section& section : scenario_sections())
    for (params::Param& p : section.declare()) keys.push_back(std::move(p));
  return params::object("", std::move(keys), "A capsim scenario.");
}

}  // namespace

const params::Param& scenario_spec() {
  static const params::Param spec = make_spec();
  return spec;
}

int Scenario::source_classes() const {
  if (const auto* syn = std::get_if<SyntheticWorkload>(&workload)) return static_cast<int>(syn->classes.size());
  return 1;
}

const TrainingRunSpec* Scenario::run_of_class(int i) const {
  const int k = i - source_classes();
  return k >= 0 ? &training_runs[static_cast<std::size_t>(k)] : nullptr;
}

const TraceClass* Scenario::trace_class() const {
  if (const auto* swf = std::get_if<SwfWorkload>(&workload)) return swf;
  return std::get_if<GpuTraceWorkload>(&workload);
}

const CommProfile* Scenario::class_comm(int i) const {
  if (const TrainingRunSpec* t = run_of_class(i)) return t->comm ? &*t->comm : nullptr;
  const std::optional<CommProfile>& c = trace_class() ? trace_class()->comm : std::get<SyntheticWorkload>(workload).classes[i].comm;
  return c ? &*c : nullptr;
}

const CheckpointSpec* Scenario::class_checkpoint(int i) const {
  if (const TrainingRunSpec* t = run_of_class(i)) return t->checkpoint ? &*t->checkpoint : nullptr;
  const std::optional<CheckpointSpec>& c = trace_class() ? trace_class()->checkpoint : std::get<SyntheticWorkload>(workload).classes[i].checkpoint;
  return c ? &*c : nullptr;
}

double Scenario::class_mfu(int i) const {
  if (const TrainingRunSpec* t = run_of_class(i)) return t->mfu;
  if (const TraceClass* tc = trace_class()) return tc->mfu;
  return std::get<SyntheticWorkload>(workload).classes[i].mfu;
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  std::string text = read_text_file(path);
  json doc = parse_json_text(text, path);
  std::string dir = std::filesystem::absolute(path).parent_path().string();
  return load_scenario_json(doc, path, dir, overrides);
}

Scenario load_scenario_json(const json& input, const std::string& file, const std::string& base_dir,
                            const std::vector<Override>& overrides, const std::map<std::string, FileDigest>* known_inputs) {
  json doc = input;
  if (!doc.is_object()) throw InputError(file + ": (top level): expected an object, found " + doc.dump().substr(0, 40));
  if (!doc.contains("capsim") && doc.contains("capsim_study"))
    throw InputError(file + ": capsim_study: expected a scenario, found a study file; run it with `capsim study`");
  if (!doc.contains("capsim"))
    throw InputError(file + ": capsim: missing required key `capsim` (the format version, 1)");
  if (doc["capsim"] != 1)
    throw InputError(file + ": capsim: expected format version 1, found " + doc["capsim"].dump());
  for (const auto& o : overrides) apply_override(doc, o, file);

  json r = params::resolve(doc, scenario_spec(), file);
  Scenario s;
  s.file = file;
  SectionContext ctx{r, doc, s, file, base_dir, known_inputs};
  for (const Section& section : scenario_sections()) section.build(ctx);
  check_footprint(s, file);
  s.resolved = r;
  s.sha256 = sha256_hex(r.dump());
  return s;
}

}  // namespace capsim
