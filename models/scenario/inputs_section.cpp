// The `inputs` key: the SHA-256 and size of every file the results depend on (the trace, catalogs given by
// path) and of the built-in catalogs used. capsim writes it into scenario.resolved.json, so it is part of
// scenario_sha256; a file that records it is run only with those very inputs.
#include "models/scenario/section.hpp"

#include <algorithm>

#include "models/common/errors.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;

namespace {

std::vector<Param> declare() {
  Param inputs = free_object("inputs", "The SHA-256 and size of each input, by its path as resolved or as `built-in hardware catalog`, `built-in site catalog`, `built-in cost catalog`: `{\"/data/trace.swf\": {\"sha256\": \"9f86…\", \"size_bytes\": 1234}}`. capsim records it in scenario.resolved.json; given, a recorded input that differs from the file is an error (exit 2). Setting a file parameter (`--set workload.path=…`) drops its record.");
  inputs.optional = true;
  inputs.default_note = "nothing recorded";
  return {inputs};
}

FileDigest recorded_digest(const json& entry, const std::string& at) {
  if (!entry.is_object()) throw InputError(at + ": expected an object with `sha256` and `size_bytes`, found " + entry.dump().substr(0, 60));
  for (const auto& [key, _] : entry.items())
    if (key != "sha256" && key != "size_bytes") throw InputError(at + "." + key + ": unknown key (expected sha256 or size_bytes)");
  const json* sha = entry.contains("sha256") ? &entry["sha256"] : nullptr;
  const std::string hex = sha && sha->is_string() ? sha->get<std::string>() : "";
  if (hex.size() != 64 || !std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    throw InputError(at + ".sha256: expected 64 lower-case hexadecimal digits, found " + (sha ? sha->dump().substr(0, 80) : "nothing"));
  const json* size = entry.contains("size_bytes") ? &entry["size_bytes"] : nullptr;
  if (!size || !size->is_number_unsigned())
    throw InputError(at + ".size_bytes: expected a whole number of bytes, found " + (size ? size->dump().substr(0, 40) : "nothing"));
  return {hex, size->get<std::uint64_t>()};
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  if (ctx.r.contains("inputs")) {
    for (const auto& [name, entry] : ctx.r["inputs"].items()) {
      const std::string at = ctx.where("inputs.\"" + name + "\"");
      const FileDigest recorded = recorded_digest(entry, at);
      auto used = s.inputs.find(name);
      if (used == s.inputs.end()) continue;  // recorded for a setting since changed: nothing to hold to
      if (used->second != recorded)
        throw InputError(at + ": expected sha256 " + recorded.sha256 + " and " + std::to_string(recorded.size_bytes) +
                         " bytes (recorded when the scenario was resolved), found sha256 " + used->second.sha256 + " and " +
                         std::to_string(used->second.size_bytes) + " bytes: the input changed; remove its record to run with it as it is");
    }
  }
  for (const Scenario& m : s.members) s.inputs.insert(m.inputs.begin(), m.inputs.end());
  json out = json::object();
  for (const auto& [name, digest] : s.inputs) out[name] = digest.to_json();
  ctx.r["inputs"] = out;
}

}  // namespace

Section inputs_section() { return {declare, build}; }

}  // namespace capsim
