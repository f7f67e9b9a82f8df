// Training runs defined by their work (docs/training.md), checked on one engine run each (ctest picks the
// check with --gtest_filter):  usage: capsim_training_test SCENARIO [--set PATH=VALUE]... --gtest_filter=Training.NAME
#include <gtest/gtest.h>

#include <cmath>

#include "reports/summary.hpp"
#include "tests/integration/one_run.hpp"

namespace capsim {
namespace {

using one_run::res;
using one_run::sc;

const JobRecord& run_job(std::size_t k) {
  const int cls = sc().source_classes() + static_cast<int>(k);
  for (const JobRecord& j : res().jobs)
    if (j.job.class_index == cls) return j;
  ADD_FAILURE() << "run " << k << " has no job";
  return res().jobs.front();
}

double facility_j() {
  double e = 0;
  for (double x : res().hourly_window_facility_j) e += x;
  return e;
}

TEST(Training, RunTimeIsItsWorkOverGpusPeakAndMfu) {
  // Alone on the cluster, without failures, cap or fabric: a run of F FLOP on G GPUs of peak P at
  // utilisation U takes F / (G P U) seconds, not rounded, and delivers F.
  ASSERT_FALSE(sc().training_runs.empty());
  ASSERT_FALSE(sc().failures.enabled || sc().facility.power_cap_w || sc().network.enabled);
  const double peak = sc().cluster.tranches.front().bf16_flops;
  for (std::size_t k = 0; k < sc().training_runs.size(); ++k) {
    const TrainingRunSpec& t = sc().training_runs[k];
    const JobRecord& j = run_job(k);
    ASSERT_EQ(j.status, JobStatus::completed) << t.name;
    EXPECT_EQ(j.start_s, t.submit_s) << t.name << " starts at once on an empty cluster";
    const double expect_s = t.flop / (t.gpus * peak * t.mfu);
    EXPECT_NEAR(j.end_s - j.start_s, expect_s, 1e-9 * expect_s) << t.name;
    EXPECT_NEAR(j.done_gpu_s * sc().cluster.gpu_bf16_flops * t.mfu, t.flop, 1e-12 * t.flop) << t.name;
  }
  const nlohmann::json m = make_summary(sc(), res());
  for (const TrainingRunSpec& t : sc().training_runs) {
    const nlohmann::json& o = m["training_runs"][t.name];
    EXPECT_NEAR(o["delivered_flop"].get<double>(), t.flop, 1e-12 * t.flop);
    EXPECT_NEAR(o["time_to_train_days"].get<double>() * 86400, t.flop / (t.gpus * peak * t.mfu), 1e-6);
  }
}

TEST(Training, RunsEnergyPlusUnallocatedIdleIsTheFacilitys) {
  // One generation, constant PUE, no fixed power or fabric: a run's nodes draw idle + active power while
  // it runs, so its facility energy is nodes x (idle + active) x IT factor x PUE x its duration; with only
  // the runs on the cluster, the facility's energy is theirs plus the other nodes' idle power over the
  // node-seconds no run held.
  ASSERT_EQ(sc().cluster.tranches.size(), 1u);
  ASSERT_EQ(res().facility.fixed_w, 0);
  const Tranche& tr = sc().cluster.tranches.front();
  const double scale = res().facility.it_factor * sc().pue;
  double runs_j = 0, held_node_s = 0;
  for (std::size_t k = 0; k < sc().training_runs.size(); ++k) {
    const JobRecord& j = run_job(k);
    const double d = j.end_s - j.start_s;
    double run_j = 0;
    for (double x : res().run_hourly_facility_j[k]) run_j += x;
    EXPECT_NEAR(run_j, j.nodes * (tr.idle_w + tr.active_w()) * scale * d, 1e-9 * run_j) << sc().training_runs[k].name;
    EXPECT_NEAR(res().run_it_j[k], run_j / sc().pue, 1e-9 * run_j);
    runs_j += run_j;
    held_node_s += j.nodes * d;
  }
  for (const JobRecord& j : res().jobs) ASSERT_TRUE(sc().run_of_class(j.job.class_index)) << "only the runs on the cluster";
  const double idle_j = (sc().cluster.nodes * sc().horizon_s - held_node_s) * tr.idle_w * scale;
  EXPECT_NEAR(runs_j + idle_j, facility_j(), 1e-9 * facility_j());
}

TEST(Training, AReservedRunStartsAtItsDateAndOverrunnersAreRequeued) {
  // The run's nodes are fixed at its submit, a day before its reservation's start, on a cluster that one-node
  // jobs of 1 to 4 days keep busy: some of its nodes still hold jobs at the start (planned to end after
  // it), which are interrupted and requeued; it starts exactly then. Every job is accounted for.
  ASSERT_EQ(sc().training_runs.size(), 1u);
  const TrainingRunSpec& t = sc().training_runs.front();
  ASSERT_TRUE(t.reservation);
  const JobRecord& j = run_job(0);
  EXPECT_EQ(j.start_s, t.reservation->start_s);
  EXPECT_GT(res().reservation_interruptions, 0);
  EXPECT_LT(res().reservation_interruptions, sc().cluster.nodes);
  EXPECT_EQ(res().reservation_shortfall_nodes, 0);
  // Each interrupted job ran from before the start and its record ends after it (requeued, run again).
  long long spanning = 0;
  for (const JobRecord& o : res().jobs)
    if (&o != &j && o.start_s >= 0 && o.start_s < j.start_s && (o.end_s < 0 || o.end_s > j.start_s)) ++spanning;
  EXPECT_GE(spanning, res().reservation_interruptions);
  const nlohmann::json m = make_summary(sc(), res());
  EXPECT_EQ(m["jobs"]["submitted"].get<long long>(), m["jobs"]["completed"].get<long long>() + m["jobs"]["running_at_end"].get<long long>() +
                                                         m["jobs"]["queued_at_end"].get<long long>() + m["jobs"]["rejected"].get<long long>());
  for (const TimeseriesRow& row : res().timeseries) EXPECT_LE(row.gpus_allocated, sc().cluster.gpus() + 1e-9);
  EXPECT_EQ(m["reservations"]["jobs_interrupted"].get<long long>(), res().reservation_interruptions);
}

TEST(Training, AReservationsPodsAreKeptOnUnderTheCap) {
  // Under a binding cap, idle pods switch off. The run's nodes free up days before its start and nothing
  // may backfill them (every job is planned longer than the gap), so without its pods kept on from the
  // start the run would find them off and wait. It starts exactly at its date on whole nodes, none short,
  // and facility power stays within the cap throughout.
  ASSERT_TRUE(sc().facility.power_cap_w);
  ASSERT_EQ(sc().training_runs.size(), 1u);
  const TrainingRunSpec& t = sc().training_runs.front();
  ASSERT_TRUE(t.reservation);
  const JobRecord& j = run_job(0);
  EXPECT_EQ(j.start_s, t.reservation->start_s);
  EXPECT_EQ(j.nodes * sc().cluster.gpus_per_node, t.gpus) << "whole nodes";
  EXPECT_EQ(res().reservation_shortfall_nodes, 0);
  double off_before = 0;
  for (const TimeseriesRow& row : res().timeseries) {
    if (row.end_s <= t.reservation->start_s) off_before = std::max(off_before, row.gpus_off);
    EXPECT_LE(row.facility_power_w, *sc().facility.power_cap_w * (1 + 1e-9)) << row.start_s;
  }
  EXPECT_GT(off_before, 0) << "the cap must switch idle pods off before the start, or this checks nothing";
}

}  // namespace
}  // namespace capsim

int main(int argc, char** argv) { return capsim::one_run::main(argc, argv); }
