#include "models/scenario/footprint.hpp"

#include <cstdio>

#include "models/common/errors.hpp"

namespace capsim {

// Measured peak RSS (Release build, one process): 36 MB with nothing to simulate; 125,000 pods add 225 MB
// (1.8 kB each: a SimGrid host, its link and actor state); 125,000 nodes in few pods add 10 MB; 500,000
// more jobs add 146 MB (290 B each: the job and its record until jobs.csv is written); 864,000 timeseries
// rows add 158 MB (183 B each). Each coefficient is rounded up, so the estimate errs high.
constexpr double kBase = 40e6, kPerPod = 2000, kPerNode = 100, kPerJob = 320, kPerRow = 200;

double Footprint::bytes() const { return kBase + kPerPod * pods + kPerNode * nodes + kPerJob * jobs + kPerRow * rows; }

Footprint footprint(const Scenario& s) {
  Footprint f;
  const auto add_cluster = [&](const Scenario& m) {
    f.pods += m.cluster.pods;
    f.nodes += m.cluster.nodes;
  };
  if (s.federated())
    for (const Scenario& m : s.members) add_cluster(m);
  else
    add_cluster(s);
  f.jobs = s.expected_jobs;
  f.rows = s.horizon_s / s.timeseries_interval_s * static_cast<double>(s.federated() ? s.members.size() + 1 : 1);
  return f;
}

void check_footprint(const Scenario& s, const std::string& file) {
  const Footprint f = footprint(s);
  if (f.bytes() <= kMaxPeakMemoryBytes) return;
  const double by_pods = kPerPod * f.pods, by_jobs = kPerJob * f.jobs, by_rows = kPerRow * f.rows;
  const char* place = by_pods >= by_jobs && by_pods >= by_rows ? (s.federated() ? "federation.members" : "cluster.pods")
                      : by_jobs >= by_rows                     ? "workload"
                                                               : "outputs.timeseries_interval";
  char what[240];
  std::snprintf(what, sizeof what, "about %.1f GiB of memory at peak (%.0f pods, %.0f jobs, %.0f timeseries rows)", f.bytes() / (1 << 30),
                f.pods, f.jobs, f.rows);
  throw TooLargeError(file + ": " + place + ": " + what + "; this machine runs at most 16 GiB per run (docs/errors.md)");
}

}  // namespace capsim
