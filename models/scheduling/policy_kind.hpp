#pragma once
// Which scheduling policy runs (docs/scheduling.md).

namespace capsim {

enum class PolicyKind { fcfs, easy };

}  // namespace capsim
