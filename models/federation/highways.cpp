#include "models/federation/highways.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace capsim {

std::vector<std::vector<std::optional<HighwayRoute>>> highway_routes(int members, const std::vector<Highway>& links) {
  const auto n = static_cast<std::size_t>(members);
  std::vector<std::vector<std::optional<HighwayRoute>>> out(n, std::vector<std::optional<HighwayRoute>>(n));
  // Members are few (at most 64): a Dijkstra from each on the key (hops, latency, link indices) is plenty.
  using Key = std::tuple<std::size_t, double, std::vector<int>>;
  for (std::size_t from = 0; from < n; ++from) {
    std::vector<std::optional<Key>> best(n);
    std::vector<HighwayRoute> route(n);
    std::vector<char> done(n, 0);
    best[from] = Key{0, 0.0, {}};
    while (true) {
      std::size_t u = n;
      for (std::size_t v = 0; v < n; ++v)
        if (!done[v] && best[v] && (u == n || *best[v] < *best[u])) u = v;
      if (u == n) break;
      done[u] = 1;
      for (std::size_t l = 0; l < links.size(); ++l) {
        const Highway& h = links[l];
        const bool forward = static_cast<std::size_t>(h.a) == u;
        if (!forward && static_cast<std::size_t>(h.b) != u) continue;
        const auto v = static_cast<std::size_t>(forward ? h.b : h.a);
        Key k = *best[u];
        ++std::get<0>(k);
        std::get<1>(k) += h.latency_s;
        std::get<2>(k).push_back(static_cast<int>(l));
        if (!done[v] && (!best[v] || k < *best[v])) {
          best[v] = std::move(k);
          route[v] = route[u];
          route[v].push_back({static_cast<int>(l), forward});
        }
      }
    }
    for (std::size_t to = 0; to < n; ++to)
      if (best[to]) out[from][to] = route[to];
  }
  return out;
}

double transfer_time_s(double bytes, const HighwayRoute& route, const std::vector<Highway>& links) {
  if (route.empty()) return 0;
  double latency = 0, bps = std::numeric_limits<double>::infinity();
  for (const HighwayHop& h : route) {
    latency += links[static_cast<std::size_t>(h.link)].latency_s;
    bps = std::min(bps, links[static_cast<std::size_t>(h.link)].bps);
  }
  return latency + bytes * 8 / bps;
}

}  // namespace capsim
