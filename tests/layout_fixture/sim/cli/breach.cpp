// Breaks the layout rules on purpose: the command line may not include the engine.
#include "sim/engine.hpp"
