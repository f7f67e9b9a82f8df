// A GPU trace replayed as recorded, or scaled to a larger cluster (docs/traces.md), checked on one engine
// run: what the replay and the scaling must keep. usage: capsim_trace_test SCENARIO [--set PATH=VALUE]... --gtest_filter=Trace.NAME
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "reports/summary.hpp"
#include "tests/integration/one_run.hpp"

namespace capsim {
namespace {

using one_run::res;
using one_run::sc;

const GpuTraceWorkload& trace() { return std::get<GpuTraceWorkload>(sc().workload); }

// The trace's jobs read here on their own (the Philly CSV: duration and num_gpus columns), as the engine
// would replay them: run time rounded up to whole seconds (at least 1), GPUs x size_factor, capped.
struct Recorded {
  std::vector<double> run_s;
  std::vector<int> gpus;
};
Recorded recorded() {
  std::ifstream in(trace().trace.path);
  std::string line;
  std::getline(in, line);  // timestamp,duration,num_gpus,gpu_time,cluster
  Recorded r;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string ts, dur, gpus;
    std::getline(ss, ts, ',');
    std::getline(ss, dur, ',');
    std::getline(ss, gpus, ',');
    r.run_s.push_back(std::max(1.0, std::ceil(std::stod(dur))));
    r.gpus.push_back(static_cast<int>(std::min<double>(static_cast<double>(sc().cluster.gpus()), std::ceil(std::stod(gpus) * trace().size_factor))));
  }
  return r;
}

TEST(Trace, AllocatedUtilisationIsTheTargetLoad) {
  // After the 7-day warm-up the cluster is allocated the share of its capacity the scaling asked for,
  // within 3 points (nothing queues at these loads on a 100,000-GPU cluster, so allocated = offered).
  ASSERT_TRUE(trace().offered_load);
  const nlohmann::json m = make_summary(sc(), res());
  EXPECT_NEAR(m["utilization"]["allocated"].get<double>(), *trace().offered_load, 0.03);
  EXPECT_GT(m["trace"]["scale"].get<double>(), 1) << "the demand was compressed in time";
}

TEST(Trace, DurationsKeepTheirDistribution) {
  // Two-sample Kolmogorov-Smirnov statistic between the replayed jobs' run times and the trace's, below
  // the 1 % critical value 1.628 sqrt((n + m) / (n m)).
  std::vector<double> a, b = recorded().run_s;
  for (const JobRecord& j : res().jobs) a.push_back(j.job.run_s);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  double d = 0;
  std::size_t i = 0, k = 0;
  while (i < a.size() && k < b.size()) {
    const double x = std::min(a[i], b[k]);
    while (i < a.size() && a[i] == x) ++i;
    while (k < b.size() && b[k] == x) ++k;
    d = std::max(d, std::fabs(static_cast<double>(i) / a.size() - static_cast<double>(k) / b.size()));
  }
  const double n = static_cast<double>(a.size()), mm = static_cast<double>(b.size());
  const double critical = 1.628 * std::sqrt((n + mm) / (n * mm));
  EXPECT_LT(d, critical) << "D = " << d << " over " << a.size() << " and " << b.size() << " jobs";
}

TEST(Trace, SizesKeepTheirSupportAndFrequencies) {
  // Each trace size s becomes min(8 s, the cluster); the replayed sizes are those and no other, each
  // with the trace's frequency within 0.01.
  std::map<int, double> want, got;
  const Recorded r = recorded();
  for (int g : r.gpus) want[g] += 1.0 / r.gpus.size();
  for (const JobRecord& j : res().jobs) got[j.job.gpus] += 1.0 / res().jobs.size();
  for (const auto& [g, f] : got) EXPECT_TRUE(want.count(g)) << g << " GPUs is not a mapped trace size";
  for (const auto& [g, f] : want) EXPECT_NEAR(got[g], f, 0.01) << g << " GPUs";
}

TEST(Trace, EveryJobIsAccountedForAndGpuHoursAreConserved) {
  // The states add up to the jobs submitted, and the work offered is exactly the jobs' GPUs x run time.
  const nlohmann::json m = make_summary(sc(), res());
  EXPECT_EQ(m["jobs"]["submitted"].get<long long>(), m["jobs"]["completed"].get<long long>() + m["jobs"]["running_at_end"].get<long long>() +
                                                         m["jobs"]["queued_at_end"].get<long long>() + m["jobs"]["rejected"].get<long long>());
  double offered = 0;
  for (const JobRecord& j : res().jobs)
    if (j.job.submit_s >= sc().warmup_s) offered += j.job.gpus * j.job.run_s;
  EXPECT_NEAR(m["demand"]["offered_gpu_s"].get<double>(), offered, 1e-9 * offered);
}

TEST(Trace, AReplayConservesTheTracesGpuHours) {
  // Replayed as recorded (no transform, no speedup), every job of the file is submitted, and the work is
  // exactly the file's: the sum of ceil(duration) x num_gpus, here read by the test itself.
  ASSERT_EQ(trace().size_factor, 1);
  ASSERT_FALSE(trace().offered_load);
  const Recorded r = recorded();
  double want = 0;
  for (std::size_t i = 0; i < r.run_s.size(); ++i) want += r.run_s[i] * r.gpus[i];
  double got = 0;
  for (const JobRecord& j : res().jobs) got += j.job.gpus * j.job.run_s;
  EXPECT_EQ(res().jobs.size(), r.run_s.size());
  EXPECT_EQ(got, want);
}

TEST(Trace, QueueingOnPhillysOwnGpuCount) {
  // The week offers under 20 % of 312 x 8 GPUs: almost nothing waits (under 1 % of jobs).
  long long waited = 0;
  for (const JobRecord& j : res().jobs) waited += j.start_s < 0 || j.start_s > j.job.submit_s;
  EXPECT_LT(static_cast<double>(waited) / res().jobs.size(), 0.01) << waited << " waited";
}

}  // namespace
}  // namespace capsim

int main(int argc, char** argv) { return capsim::one_run::main(argc, argv); }
