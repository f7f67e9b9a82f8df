#pragma once
// `capsim trace stats FILE` and `capsim trace convert FILE --out CSV` (docs/traces.md).
#include <string>

namespace CLI {
class App;
}

namespace capsim {

struct TraceArgs {
  std::string file, format, job_table, out, nodes;
  bool json = false, quiet = false;
  CLI::App* stats = nullptr;
  CLI::App* convert = nullptr;
};

// Adds the `trace` subcommand, filling `a`.
CLI::App* add_trace_command(CLI::App& app, TraceArgs& a);
int run_trace(const TraceArgs& a);

}  // namespace capsim
