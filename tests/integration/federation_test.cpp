// Runs a federation scenario once and checks it against independent references: every job is dispatched
// to exactly one member, pinned tenants go to their member, each member's schedule equals a plain event loop
// fed with the jobs it received, each member's energy matches the plugin, a member that received no job
// drew exactly its idle power, and the federation's totals add up.
//   usage: capsim_federation_test SCENARIO [--set PATH=VALUE]... [gtest flags]
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "models/site/facility.hpp"
#include "models/scenario/scenario.hpp"
#include "models/workload/workload.hpp"
#include "reports/federation.hpp"
#include "sim/engine.hpp"
#include "tests/integration/scenario_args.hpp"
#include "tests/reference/event_loop.hpp"
#include "tests/reference/vector_source.hpp"

namespace capsim {
namespace {

const Scenario* g_scenario = nullptr;
const std::vector<RunResult>* g_results = nullptr;
const Scenario& sc() { return *g_scenario; }
const std::vector<RunResult>& res() { return *g_results; }

TEST(Federation, EveryJobDispatchedToExactlyOneMember) {
  ASSERT_TRUE(sc().federated());
  ASSERT_EQ(res().size(), sc().members.size());
  auto src = make_job_source(sc());
  std::vector<int> seen;
  long long expected = 0;
  while (auto j = src->next())
    if (j->submit_s < sc().horizon_s) ++expected;
  seen.assign(expected, 0);
  for (std::size_t m = 0; m < res().size(); ++m)
    for (const JobRecord& j : res()[m].jobs) {
      ASSERT_LT(j.job.id, expected);
      ++seen[j.job.id];
      EXPECT_EQ(j.site, static_cast<int>(m));
    }
  for (long long i = 0; i < expected; ++i) ASSERT_EQ(seen[i], 1) << "job " << i;
}

TEST(Federation, PinnedTenantsGoToTheirMember) {
  const auto* sw = std::get_if<SyntheticWorkload>(&sc().workload);
  if (!sw || sc().pins.empty()) GTEST_SKIP() << "no pins";
  for (const auto& [tenant, member] : sc().pins)
    for (std::size_t m = 0; m < res().size(); ++m)
      for (const JobRecord& j : res()[m].jobs)
        if (sw->classes[j.job.class_index].tenant == tenant) {
          ASSERT_EQ(static_cast<int>(m), member) << "job " << j.job.id;
        }
}

// Each member schedules exactly as a plain event loop (no SimGrid) given only the jobs dispatched to it, each
// arriving when it entered the member's queue: its submission, or when its input data arrived (staged_s).
// At one instant, jobs whose data arrived enter before new ones. Jobs still in transit at the end never entered.
TEST(Federation, EachMemberMatchesThePlainEventLoopOnItsJobs) {
  for (std::size_t m = 0; m < res().size(); ++m) {
    const Scenario& ms = sc().members[m];
    if (ms.facility.power_cap_w || ms.cluster.phased() || ms.cluster.tranches[0].speed != 1) continue;
    std::vector<const JobRecord*> entered;
    for (const JobRecord& j : res()[m].jobs) {
      const bool moves = !sc().class_data.empty() && sc().class_data[j.job.class_index].member >= 0 &&
                         sc().class_data[j.job.class_index].member != static_cast<int>(m) && j.status != JobStatus::rejected;
      if (!moves || j.staged_s >= 0) entered.push_back(&j);
    }
    auto entry = [](const JobRecord* j) { return j->job.submit_s + std::max(0.0, j->staged_s); };
    std::stable_sort(entered.begin(), entered.end(), [&](const JobRecord* a, const JobRecord* b) {
      if (entry(a) != entry(b)) return entry(a) < entry(b);
      return (a->staged_s >= 0) > (b->staged_s >= 0);
    });
    std::vector<Job> jobs;
    for (const JobRecord* j : entered) {
      jobs.push_back(j->job);
      jobs.back().submit_s = entry(j);
    }
    reference::VectorSource src(jobs);
    auto ref = reference::run_reference(src, ms.cluster.nodes, ms.cluster.gpus_per_node, ms.policy, ms.horizon_s);
    ASSERT_EQ(ref.jobs.size(), entered.size()) << sc().member_names[m];
    for (std::size_t i = 0; i < ref.jobs.size(); ++i) {
      const JobRecord& a = *entered[i];
      ASSERT_EQ(a.start_s, ref.jobs[i].start_s) << sc().member_names[m] << " job " << a.job.id;
      ASSERT_EQ(a.end_s, ref.jobs[i].end_s) << sc().member_names[m] << " job " << a.job.id;
    }
  }
}

// A member of another generation runs each job in run time x (reference FLOP/s / its FLOP/s).
TEST(Federation, MembersOfAnotherGenerationRunJobsAtTheirSpeed) {
  for (std::size_t m = 0; m < res().size(); ++m) {
    const Scenario& ms = sc().members[m];
    if (ms.facility.power_cap_w || ms.cluster.phased()) continue;
    const double speed = ms.cluster.tranches[0].bf16_flops / sc().cluster.gpu_bf16_flops;
    EXPECT_DOUBLE_EQ(ms.cluster.tranches[0].speed, speed);
    for (const JobRecord& j : res()[m].jobs)
      if (j.status == JobStatus::completed) {
        ASSERT_NEAR(j.end_s - j.start_s, j.job.run_s / speed, 1e-6 * j.job.run_s) << sc().member_names[m] << " job " << j.job.id;
      }
  }
}

TEST(Federation, MemberEnergyMatchesThePluginAndIdleMembersDrawIdlePower) {
  for (std::size_t m = 0; m < res().size(); ++m) {
    const RunResult& r = res()[m];
    const Scenario& ms = sc().members[m];
    EXPECT_NEAR(r.recorder_it_energy_window_j, r.it_energy_window_j, 1e-9 * r.it_energy_window_j) << sc().member_names[m];
    if (!r.jobs.empty() || ms.facility.power_cap_w || ms.cluster.phased()) continue;
    double idle_w = 0;
    for (const Tranche& t : ms.cluster.tranches) idle_w += t.nodes * t.idle_w;
    EXPECT_NEAR(r.it_energy_window_j, idle_w * (ms.horizon_s - ms.warmup_s), 1e-9 * r.it_energy_window_j) << sc().member_names[m];
  }
}

TEST(Federation, TotalsAddUp) {
  nlohmann::json f = make_federation_summary(sc(), res());
  double it = 0, facility = 0, gpu_h = 0, capex = 0;
  long long submitted = 0, gpus = 0;
  for (const auto& name : sc().member_names) {
    const auto& m = f["sites"][name];
    it += m["energy"]["it_mwh"].get<double>();
    facility += m["energy"]["facility_mwh"].get<double>();
    gpu_h += m["gpu_hours"]["delivered"].get<double>();
    capex += m["cost"]["usd"]["capex"].get<double>();
    submitted += m["jobs"]["submitted"].get<long long>();
    gpus += m["gpus_installed"].get<long long>();
  }
  EXPECT_NEAR(f["energy"]["it_mwh"].get<double>(), it, 1e-9 * it);
  EXPECT_NEAR(f["energy"]["facility_mwh"].get<double>(), facility, 1e-9 * facility);
  EXPECT_NEAR(f["gpu_hours"]["delivered"].get<double>(), gpu_h, 1e-9 * gpu_h);
  EXPECT_NEAR(f["cost"]["usd"]["capex"].get<double>(), capex, 1e-9 * capex);
  EXPECT_EQ(f["jobs"]["submitted"].get<long long>(), submitted);
  EXPECT_EQ(f["gpus_installed"].get<long long>(), gpus);
  // The federation's highest hour is at most the sum of the members' instantaneous peaks.
  EXPECT_LE(f["power"]["facility_peak_hourly_mw"].get<double>(), f["power"]["facility_peak_mw"].get<double>() * (1 + 1e-12));
}

}  // namespace
}  // namespace capsim

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  static capsim::Scenario s = capsim::scenario_from_args(argc, argv);
  static std::vector<capsim::RunResult> r = capsim::run_sites(s, {});
  capsim::g_scenario = &s;
  capsim::g_results = &r;
  return RUN_ALL_TESTS();
}
