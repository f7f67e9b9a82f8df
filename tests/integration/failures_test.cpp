// Checks one engine run with a failures section (one SimGrid engine per process: ctest starts this binary
// once per scenario) against conservation laws and closed forms. The run starts counting at 0 (warm-up 0
// s, forced here) so that every job's work lies inside the recorder's window.
//   usage: capsim_failures_test SCENARIO [--set PATH=VALUE]... [gtest flags]
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/scenario/scenario.hpp"
#include "models/workload/workload.hpp"
#include "tests/integration/one_run.hpp"

namespace capsim {
namespace {

using one_run::res;
using one_run::sc;

TEST(Failures, ScenarioIsInScope) {
  ASSERT_TRUE(sc().failures.enabled);
  ASSERT_FALSE(sc().network.enabled) << "jobs with flows idle their GPUs before they end: work is not busy time";
  EXPECT_GT(res().node_failures, 0) << "a check of failures needs some";
}

TEST(Failures, JobStreamIsTheWorkloadsAlone) {
  // Failures draw from streams of their own: the jobs are those the workload gives without failures.
  auto src = make_job_source(sc());
  std::size_t i = 0;
  while (auto j = src->next()) {
    ASSERT_LT(i, res().jobs.size());
    const Job& got = res().jobs[i++].job;
    ASSERT_EQ(got.submit_s, j->submit_s);
    ASSERT_EQ(got.gpus, j->gpus);
    ASSERT_EQ(got.run_s, j->run_s);
  }
  EXPECT_EQ(i, res().jobs.size());
}

TEST(Failures, WorkIsConserved) {
  // The work busy GPUs did (GPU-seconds x their pace x the cap's speed level), integrated by the recorder
  // over the run, is exactly what the jobs' records split into useful work, work lost to failures, and
  // checkpoints and restarts; what throttling withheld is in neither.
  double useful = 0, lost = 0, overhead = 0;
  for (const JobRecord& j : res().jobs) {
    useful += j.done_gpu_s;
    lost += res().failures_of(j).lost_gpu_s;
    overhead += res().failures_of(j).overhead_gpu_s;
  }
  const double busy = res().window_busy_work_gpu_s;
  EXPECT_NEAR(useful + lost + overhead, busy, 1e-9 * busy) << "useful " << useful << ", lost " << lost << ", overhead " << overhead;
  EXPECT_GT(lost, 0);
}

TEST(Failures, EveryJobIsAccountedFor) {
  long long interruptions = 0;
  const auto& t = sc().cluster.tranches;
  const bool one_speed = std::all_of(t.begin(), t.end(), [&](const Tranche& x) { return x.speed == t.front().speed; });
  const bool throttled = res().throttled_gpu_s > 0;
  for (const JobRecord& j : res().jobs) {
    const JobFailures& f = res().failures_of(j);
    ASSERT_GE(f.interruptions, 0);
    ASSERT_GE(f.lost_gpu_s, 0) << "job " << j.job.id;
    ASSERT_GE(f.overhead_gpu_s, 0) << "job " << j.job.id;
    ASSERT_LE(f.saved_s, j.job.run_s * (1 + 1e-12)) << "job " << j.job.id;
    interruptions += f.interruptions;
    if (j.status == JobStatus::queued && f.interruptions == 0) {
      ASSERT_LT(j.start_s, 0) << "job " << j.job.id;
    }
    if (j.start_s < 0) continue;
    ASSERT_LE(f.running_s, (j.end_s >= 0 ? j.end_s : sc().horizon_s) - j.start_s + 1e-6) << "job " << j.job.id;
    if (j.status != JobStatus::completed) continue;
    ASSERT_EQ(j.done_gpu_s, j.job.gpus * j.job.run_s);
    // A job never interrupted and never checkpointing runs exactly its run time at its pace.
    if (f.interruptions == 0 && f.overhead_gpu_s == 0 && !throttled) {
      ASSERT_NEAR(j.end_s - j.start_s, j.job.run_s / f.pace, 1e-9 * j.job.run_s) << "job " << j.job.id;
    }
    // Time running is the useful work, the lost work and the overhead at the job's pace (one pace when
    // every generation has the same speed; a requeued job may restart on another).
    if (one_speed && !throttled) {
      ASSERT_NEAR(f.running_s * f.pace * j.job.gpus, j.done_gpu_s + f.lost_gpu_s + f.overhead_gpu_s, 1e-6 * j.done_gpu_s) << "job " << j.job.id;
    }
  }
  EXPECT_GE(interruptions, res().node_failures - res().spare_stand_ins > 0 ? 1 : 0);
}

TEST(Failures, AllocatedGpusNeverExceedWorkingOnes) {
  const int gpn = sc().cluster.gpus_per_node;
  const double working = static_cast<double>(sc().cluster.nodes - sc().failures.spare_nodes) * gpn;
  for (const TimeseriesRow& row : res().timeseries) ASSERT_LE(row.gpus_allocated + row.nodes_down * gpn, working + 1e-6) << "interval from " << row.start_s;
}

TEST(Failures, DownTimeFollowsTheRepairs) {
  // Each failure not met by a spare keeps one node down for a repair time drawn from the repair
  // distribution: the down node-seconds are their sum (less what the horizon cuts off).
  if (sc().failures.classes.size() != 1 || sc().failures.classes[0].repair.detect_s > 0 || sc().failures.classes[0].repair.escalate_share > 0)
    GTEST_SKIP() << "one class repaired in one stage only";
  const RepairSpec& r = sc().failures.classes[0].repair.automatic;
  const double n = static_cast<double>(res().node_failures - res().spare_stand_ins);
  const double cv = r.kind == RepairSpec::Kind::fixed ? 0 : r.kind == RepairSpec::Kind::exponential ? 1 : std::sqrt(std::exp(r.sigma * r.sigma) - 1);
  const double expected = n * r.mean_s, sd = std::sqrt(n) * r.mean_s * cv;
  const double cut = static_cast<double>(sc().cluster.nodes) * r.mean_s * (1 + 5 * cv);  // repairs still going at the end
  EXPECT_LE(res().down_node_s, expected + 5 * sd + 1e-6);
  EXPECT_GE(res().down_node_s, expected - 5 * sd - cut);
}

TEST(Failures, CountFollowsTheRate) {
  // Exponential failures of nodes that are up: Poisson with mean (node-seconds up) / MTBF. Nodes are up
  // while their tranche serves (a retired pod running its last jobs adds a little), spares never fail.
  const auto& cls = sc().failures.classes;
  if (cls.size() != 1 || cls[0].kind != FailureClass::Kind::exponential || cls[0].domain != FailureDomain::node)
    GTEST_SKIP() << "one class of exponential node failures only";
  if (res().off_gpu_s > 0) GTEST_SKIP() << "nodes switched off under the cap do not fail";
  double up = -res().down_node_s, last = 0;
  for (const Tranche& t : sc().cluster.tranches) {
    last = std::max(0.0, std::min(t.retire_s, sc().horizon_s) - t.arrive_s);
    up += t.nodes * last;
  }
  up -= sc().failures.spare_nodes * last;
  up -= res().maintenance_node_s;  // nodes in a maintenance window do not fail
  const double expected = up / cls[0].mtbf_s;
  EXPECT_NEAR(static_cast<double>(res().node_failures), expected, 5 * std::sqrt(expected));
}

}  // namespace
}  // namespace capsim

int main(int argc, char** argv) { return capsim::one_run::main(argc, argv, {"warmup=\"0 s\""}); }
