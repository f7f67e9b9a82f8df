#pragma once
// A job class's (or a trace's) `checkpoint` key, declared once for both (docs/failures.md).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "models/common/params.hpp"
#include "models/failures/failure_spec.hpp"

namespace capsim {

struct SectionContext;

params::Param checkpoint_param();
// The checkpointing at `p` (`at` is its parent in the resolved document): nullopt when absent; refused
// without a `failures` section.
std::optional<CheckpointSpec> read_checkpoint(SectionContext& ctx, const nlohmann::json& at, const std::string& p);

}  // namespace capsim
