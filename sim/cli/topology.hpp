#pragma once
// `capsim topology FILE`: the scenario's fabric, laid out and measured without simulating (docs/network.md).
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace capsim {

struct TopologyArgs {
  std::string file;
  std::vector<std::string> sets;
  std::string json_out, dot_out;  // empty: not written
};

// Adds the `topology` subcommand, filling `a`.
CLI::App* add_topology_command(CLI::App& app, TopologyArgs& a);
int run_topology(const TopologyArgs& a);

}  // namespace capsim
