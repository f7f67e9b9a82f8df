#pragma once
// Where a federation sends each arriving job (docs/federation.md).

namespace capsim {

enum class DispatchPolicy { least_queued_work, cheapest_power, lowest_carbon };

}  // namespace capsim
