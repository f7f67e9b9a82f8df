#pragma once
// The built-in failure catalog (scenarios/catalog/failures.json, compiled in): the default component classes
// and repair pipeline of the `failures` section, with their sources.
#include <string_view>

namespace capsim {

std::string_view builtin_failures_json();

}  // namespace capsim
