#pragma once
// The AI highways of a federation: links between member data centers (docs/federation.md). The routes a
// transfer takes and its time alone on them are pure functions of the links; the engine (sim/) turns a
// route into a SimGrid route whose sharing gives the contention between transfers.
#include <optional>
#include <vector>

namespace capsim {

struct Highway {
  int a = 0, b = 0;               // members, a < b
  double bps = 0;                 // each direction
  double latency_s = 0;
  double cost_usd_per_year = 0;   // lease or amortised build, operations included
};

struct HighwayHop {
  int link = 0;
  bool forward = true;  // from a to b
};
using HighwayRoute = std::vector<HighwayHop>;

// The route between every ordered pair of members: the fewest links, then the lowest total latency, then
// the lowest link indices along the way. [from][to] is empty for from == to and nullopt when no route exists.
std::vector<std::vector<std::optional<HighwayRoute>>> highway_routes(int members, const std::vector<Highway>& links);

// Alone on its route: the links' latencies plus the bytes at the narrowest link's bandwidth.
double transfer_time_s(double bytes, const HighwayRoute& route, const std::vector<Highway>& links);

}  // namespace capsim
