#pragma once
// SIGINT and SIGTERM ask a run to stop: the run ends with exit code 130 and leaves --out as it was. The
// flag is set by capsim's handler at any phase (loading, platform build, simulation, before the outputs
// are written); the engine polls it.
namespace capsim {

// Installs capsim's handler for SIGINT and SIGTERM.
void install_stop_handlers();
// Whether a stop was asked for.
bool stop_requested();
// Holds SIGINT and SIGTERM pending (SimGrid replaces the SIGINT handler with one that calls exit(1) when
// its engine starts; the signals stay blocked until capsim's handler is back), then releases them.
void block_stop_signals();
void unblock_stop_signals();

}  // namespace capsim
