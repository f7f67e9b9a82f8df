#pragma once
// Changing a scenario document by dotted path: `--set`, study variants and a federation member's `set`.
#include <string>

#include <nlohmann/json.hpp>

#include "models/scenario/scenario.hpp"

namespace capsim {

// Sets a dotted path in a scenario document, creating what is missing; the path must be declared.
// `label` starts every error message ("--set cluster.nodes").
void set_path(nlohmann::json& doc, const std::string& dotted, const nlohmann::json& value, const std::string& label,
              const std::string& file);
// The value is parsed as JSON when it parses, else taken as a string.
void apply_override(nlohmann::json& doc, const Override& o, const std::string& file);

}  // namespace capsim
