#include "sim/cli/topology.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

#include <CLI/CLI.hpp>

#include "models/common/errors.hpp"
#include "models/network/fabric_graph.hpp"
#include "models/scenario/scenario.hpp"
#include "reports/atomic_file.hpp"
#include "reports/fabric_report.hpp"

namespace capsim {

CLI::App* add_topology_command(CLI::App& app, TopologyArgs& a) {
  auto* t = app.add_subcommand("topology", "Lay out and measure a scenario's fabric (switches, links, bisection, cost, power) without running it");
  t->add_option("FILE", a.file, "Scenario file (JSON) with a `network` section")->required();
  t->add_option("--set", a.sets, "Override a value: PATH=VALUE, e.g. network.tiers=3 (repeatable)");
  t->add_option("--json", a.json_out, "Write the figures as JSON to this file");
  t->add_option("--dot", a.dot_out, "Write the fabric as Graphviz to this file (for small fabrics)");
  return t;
}

int run_topology(const TopologyArgs& a) {
  std::vector<Override> overrides;
  for (const std::string& s : a.sets) overrides.push_back(parse_override(s));
  const auto t0 = std::chrono::steady_clock::now();
  Scenario s = load_scenario(a.file, overrides);
  for (const std::string& w : s.warnings) std::fprintf(stderr, "capsim: warning: %s\n", w.c_str());
  if (s.federated())
    throw InputError(a.file + ": expected a scenario of one data center, found a federation; run `capsim topology` on a member's scenario");
  if (!s.network.enabled) throw InputError(a.file + ": network: expected a `network` section (the fabric to describe), found none");
  const FabricMeasures m = measure_fabric(s.fabric, s.network, s.cluster);
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const nlohmann::json j = fabric_json(s, &m);
  if (!a.json_out.empty()) write_file_atomic(a.json_out, j.dump(2) + "\n");
  if (!a.dot_out.empty()) {
    std::ostringstream dot;
    write_fabric_dot(dot, s.fabric, s.network, s.cluster);
    write_file_atomic(a.dot_out, dot.str());
  }
  std::fputs(fabric_text(j).c_str(), stdout);
  // On stderr: the time varies, the outputs do not.
  std::fprintf(stderr, "capsim: fabric laid out and measured in %.2f s (graph of %lld vertices, %lld links)\n", took_s, m.graph_vertices, m.graph_edges);
  return 0;
}

}  // namespace capsim
