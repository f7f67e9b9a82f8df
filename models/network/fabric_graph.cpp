#include "models/network/fabric_graph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

#include "models/common/errors.hpp"

namespace capsim {

namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
// Capacities in Mb/s, integers: max-flow on exact sums.
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, long long,
                    boost::property<boost::edge_residual_capacity_t, long long, boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
using Vertex = Traits::vertex_descriptor;

long long mbps(double bps) { return std::llround(bps / 1e6); }

// Each link is a pair of opposite arcs, each the other's reverse: an undirected capacity for max-flow.
void link(Graph& g, Vertex u, Vertex v, long long cap) {
  auto a = boost::add_edge(u, v, g).first, b = boost::add_edge(v, u, g).first;
  boost::put(boost::edge_capacity, g, a, cap);
  boost::put(boost::edge_capacity, g, b, cap);
  boost::put(boost::edge_reverse, g, a, b);
  boost::put(boost::edge_reverse, g, b, a);
}

// The graph over a range of host groups: their endpoints, leaves, spines and (whole fabric) cores.
// Endpoints of the first half of their nodes hang from the source, the rest from the sink.
struct FabricGraph {
  Graph g;
  Vertex source = 0, sink = 0;
  std::vector<Vertex> endpoints;
  std::map<int, Vertex> leaf, spine, core;  // by global index (spine: pod * S + s; core: plane offset + c)

  Vertex vertex() { return boost::add_vertex(g); }
  // Over host groups [g0, g1): their nodes [lo, hi).
  FabricGraph(const FabricLayout& f, const NetworkSpec& net, const ClusterSpec& c, std::size_t g0, std::size_t g1, bool with_cores) {
    const int lo = f.groups[g0].first_node, hi = f.groups[g1 - 1].first_node + f.groups[g1 - 1].nodes;
    source = vertex();
    sink = vertex();
    const int mid = lo + (hi - lo) / 2;
    const int U = f.leaf_up_ports, S = f.spines_per_pod;
    for (std::size_t i = g0; i < g1; ++i) {
      const HostGroup& gr = f.groups[i];
      const int a = gr.first_node, b = gr.first_node + gr.nodes;
      const double node_bps = c.gpus_per_node * net.nic_bps[static_cast<std::size_t>(gr.tranche)];
      for (auto [x, y] : {std::pair{a, std::min(b, mid)}, std::pair{std::max(a, mid), b}}) {
        if (x >= y) continue;
        Vertex e = vertex();
        endpoints.push_back(e);
        // At the nodes' NIC bandwidth, which their leaf links carry anyway: sums stay far from overflow.
        link(g, x < mid ? source : e, x < mid ? e : sink, mbps((y - x) * node_bps));
        for (int l = gr.first_leaf; l < gr.first_leaf + gr.leaves; ++l) link(g, e, leaf_vertex(l), mbps((y - x) * node_bps / gr.leaves));
      }
    }
    for (auto [l, v] : leaf) {
      const int pod = pod_of(f, l);
      for (int s = 0; s < S; ++s) link(g, v, spine_vertex(pod * S + s), (U / S + (s < U % S ? 1 : 0)) * mbps(net.link_bps));
    }
    if (!with_cores || net.tiers == 2) return;
    std::vector<int> plane_first(static_cast<std::size_t>(S), 0);
    for (int s = 1; s < S; ++s) plane_first[static_cast<std::size_t>(s)] = plane_first[static_cast<std::size_t>(s - 1)] + f.cores_per_plane[static_cast<std::size_t>(s - 1)];
    for (std::size_t p = 0; p < f.pods.size(); ++p)
      for (int s = 0; s < S; ++s) {
        const int links = f.pods[p].spine_up_links[static_cast<std::size_t>(s)];
        const int planes = f.cores_per_plane[static_cast<std::size_t>(s)];  // cores of plane s
        std::map<int, long long> to;  // core in the plane -> links
        for (int j = 0; j < links; ++j) ++to[j % planes];
        auto sp = spine.find(static_cast<int>(p) * S + s);
        if (sp == spine.end()) continue;
        for (auto [k, n] : to) link(g, sp->second, core_vertex(plane_first[static_cast<std::size_t>(s)] + k), n * mbps(net.link_bps));
      }
  }
  static int pod_of(const FabricLayout& f, int l) {
    auto it = std::upper_bound(f.pods.begin(), f.pods.end(), l, [](int x, const FabricPod& p) { return x < p.first_leaf; });
    return static_cast<int>(it - f.pods.begin()) - 1;
  }
  Vertex leaf_vertex(int l) { return find_or_add(leaf, l); }
  Vertex spine_vertex(int s) { return find_or_add(spine, s); }
  Vertex core_vertex(int k) { return find_or_add(core, k); }
  Vertex find_or_add(std::map<int, Vertex>& m, int key) {
    auto it = m.find(key);
    if (it != m.end()) return it->second;
    return m[key] = vertex();
  }
  double max_flow_bps() { return static_cast<double>(boost::push_relabel_max_flow(g, source, sink)) * 1e6; }
};

// Links on the longest shortest path between two endpoints, from the first and the last endpoint (the
// fabric is symmetric but for its last, partial pod); -1 when an endpoint is unreachable. Capsim's layout
// always joins every pod; the check guards the graph against a layout that would not.
int diameter(FabricGraph& fg) {
  int worst = 0;
  const std::size_t n = boost::num_vertices(fg.g);
  for (Vertex from : {fg.endpoints.front(), fg.endpoints.back()}) {
    std::vector<int> dist(n, -1);
    dist[from] = 0;
    // The source and the sink join every endpoint: kept out of the search by starting them as visited.
    dist[fg.source] = dist[fg.sink] = 0;
    std::vector<boost::default_color_type> color(n, boost::white_color);
    color[fg.source] = color[fg.sink] = boost::black_color;
    boost::breadth_first_visit(fg.g, from, boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge())))
                                             .color_map(boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, fg.g))));
    for (Vertex e : fg.endpoints) {
      if (e == from) continue;
      if (color[e] == boost::white_color) return -1;
      worst = std::max(worst, dist[e]);
    }
  }
  return worst;  // an endpoint's edges to its leaves are its nodes' links: the distance counts them
}

}  // namespace

FabricMeasures measure_fabric(const FabricLayout& f, const NetworkSpec& net, const ClusterSpec& c) {
  FabricMeasures m;
  FabricGraph whole(f, net, c, 0, f.groups.size(), true);
  m.graph_vertices = static_cast<long long>(boost::num_vertices(whole.g));
  m.graph_edges = static_cast<long long>(boost::num_edges(whole.g) / 2);
  if (whole.endpoints.size() > 1) {
    m.diameter_hops = diameter(whole);
    if (m.diameter_hops < 0) throw InputError("network: the fabric is disconnected: some nodes cannot reach others (docs/network.md)");
  }
  m.bisection_bps = whole.max_flow_bps();
  for (const FabricPod& p : f.pods) {
    FabricGraph pod(f, net, c, static_cast<std::size_t>(p.first_group), static_cast<std::size_t>(p.first_group + p.groups), false);
    m.pod_bisection_bps.push_back(pod.max_flow_bps());
  }
  m.leaf_oversubscription = static_cast<double>(f.leaf_down_ports) / f.leaf_up_ports;
  if (net.tiers == 3)
    for (const FabricPod& p : f.pods) {
      long long up = 0;
      for (int l : p.spine_up_links) up += l;
      m.spine_oversubscription = std::max(m.spine_oversubscription, up > 0 ? static_cast<double>(p.leaves) * f.leaf_up_ports / up : 0.0);
    }
  return m;
}

void write_fabric_dot(std::ostream& out, const FabricLayout& f, const NetworkSpec& net, const ClusterSpec& c) {
  FabricGraph fg(f, net, c, 0, f.groups.size(), true);
  std::map<Vertex, std::string> name;
  for (std::size_t i = 0; i < fg.endpoints.size(); ++i) name[fg.endpoints[i]] = "group" + std::to_string(i);
  for (auto [k, v] : fg.leaf) name[v] = "leaf" + std::to_string(k);
  for (auto [k, v] : fg.spine) name[v] = "spine" + std::to_string(k);
  for (auto [k, v] : fg.core) name[v] = "core" + std::to_string(k);
  out << "graph fabric {\n  node [shape=box];\n";
  for (auto [v, n] : name) out << "  " << n << ";\n";
  for (auto e : boost::make_iterator_range(boost::edges(fg.g))) {
    const Vertex u = boost::source(e, fg.g), v = boost::target(e, fg.g);
    if (!name.count(u) || !name.count(v) || u > v) continue;  // each link once; the source and sink left out
    out << "  " << name[u] << " -- " << name[v] << " [label=\"" << boost::get(boost::edge_capacity, fg.g, e) / 1000 << " Gbps\"];\n";
  }
  out << "}\n";
}

}  // namespace capsim
