// The power-cap controller alone (no SimGrid), on hand-computed cases. The cluster: 8-GPU nodes of
// 1,000 W idle and 5,000 W at full load (500 W per busy GPU), facility power = IT power x the hour's
// multiplier, no fixed power.
#include <gtest/gtest.h>

#include "models/power/cap_controller.hpp"

namespace capsim {
namespace {

Tranche tranche(int first_node, int nodes, int pods, double speed) {
  Tranche t;
  t.first_node = first_node;
  t.nodes = nodes;
  t.pods = pods;
  t.idle_w = 1000;
  t.peak_w = 5000;
  t.speed = speed;
  return t;
}

ClusterSpec cluster(std::vector<Tranche> tranches) {
  ClusterSpec c;
  c.gpus_per_node = 8;
  for (const Tranche& t : tranches) c.nodes += t.nodes;
  c.tranches = std::move(tranches);
  return c;
}

FacilityModel facility(std::vector<double> multiplier) {
  FacilityModel m;
  m.multiplier = std::move(multiplier);
  return m;
}

FacilitySpec cap(double w, bool hold = false) {
  FacilitySpec f;
  f.power_cap_w = w;
  f.hold_under_cap = hold;
  return f;
}

TEST(PodLayout, SplitsEachTrancheEvenlyInNodeOrder) {
  auto pods = pod_layout(cluster({tranche(0, 10, 3, 1), tranche(10, 4, 2, 2)}));
  ASSERT_EQ(pods.size(), 5u);
  std::vector<int> nodes, first, tr;
  for (const auto& p : pods) {
    nodes.push_back(p.nodes);
    first.push_back(p.first_node);
    tr.push_back(p.tranche);
  }
  EXPECT_EQ(nodes, (std::vector<int>{4, 3, 3, 2, 2}));
  EXPECT_EQ(first, (std::vector<int>{0, 4, 7, 10, 12}));
  EXPECT_EQ(tr, (std::vector<int>{0, 0, 0, 1, 1}));
}

TEST(CapController, WithoutACapDecidesNothing) {
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, FacilitySpec{}, m);
  EXPECT_EQ(ctl.speed_levels(), std::vector<double>{1.0});
  ctl.add_load(0, 16, 16);
  EXPECT_TRUE(ctl.manage_pods(0, 5, true).empty());
  EXPECT_FALSE(ctl.start_limit(0).has_value());
  EXPECT_FALSE(ctl.update_level(0));
  EXPECT_DOUBLE_EQ(ctl.compute_power_w(), 4 * 1000 + 16 * 500);  // idle of 4 nodes + 16 busy GPUs
}

TEST(CapController, ThrottlesToTheFastestLevelWithinTheCap) {
  // All 32 GPUs busy: 4,000 W idle + 16,000 W v^2 <= 12,000 W gives v <= 0.707: level 0.70.
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, cap(12000), m);
  ctl.add_load(0, 16, 16);
  ctl.add_load(1, 16, 16);
  EXPECT_TRUE(ctl.update_level(0));
  EXPECT_NEAR(ctl.speed(), 0.70, 1e-12);
  EXPECT_NEAR(ctl.compute_power_w(), 4000 + 16000 * 0.49, 1e-6);
  EXPECT_FALSE(ctl.update_level(0));  // unchanged
  // Half the load ends: 4,000 + 8,000 = 12,000 W fits at full speed.
  ctl.add_load(1, -16, -16);
  EXPECT_TRUE(ctl.update_level(0));
  EXPECT_EQ(ctl.speed(), 1.0);
}

TEST(CapController, SwitchesIdlePodsOffInRankOrderAndBackOnWhenPowerAllows) {
  // Hour 0 is hot (multiplier 2): idle power alone is 4,000 W x 2 against a 5,000 W cap, so idle pods go
  // off, the last pod of the generation first, until 2,000 W x 2 fits. Hour 1 (multiplier 0.8): with work
  // queued, the pod comes back on because its idle power with both its nodes busy fits at the efficient
  // speed v* = (4,000 / 16,000)^(1/2) = 0.5: (2,000 + 2,000 + 8,000 x 0.25) x 0.8 = 4,800 W <= 5,000 W.
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({2.0, 0.8});
  PowerCapController ctl(c, cap(5000), m);
  auto off = ctl.manage_pods(0, 0, false);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_EQ(off[0].pod, 1);
  EXPECT_FALSE(off[0].on);
  EXPECT_TRUE(off[0].for_cap);
  EXPECT_FALSE(ctl.pod(1).on);
  EXPECT_EQ(ctl.gpus_off(), 16);
  EXPECT_DOUBLE_EQ(ctl.compute_power_w(), 2000);
  EXPECT_TRUE(ctl.manage_pods(3600, 0, true).empty());  // nothing queued: it stays off
  auto on = ctl.manage_pods(3600, 1, true);
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].pod, 1);
  EXPECT_TRUE(on[0].on);
  EXPECT_EQ(ctl.gpus_off(), 0);
  EXPECT_EQ(ctl.switches(), 2);
}

TEST(CapController, APodsLeavesGoOffWithIt) {
  // A fabric of 1,500 W: each pod's leaves 500 W, spines 500 W. Hour 0 (multiplier 2), cap 6,001 W:
  // (4,000 idle + 1,500) x 2 does not fit; pod 1 off leaves (2,000 + 1,000) x 2 = 6,000 W, which fits, so
  // pod 0 stays on (with the leaves always on, 7,000 W would switch it off too). Hour 1 (0.8), work queued:
  // pod 1 comes back with its leaves when (2,000 + 2,000 + 8,000 x 0.25 + 1,500) x 0.8 = 6,000 W fits.
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({2.0, 0.8});
  m.tranche_fabric_w = {1500};
  m.pod_leaf_w = {500, 500};
  PowerCapController ctl(c, cap(6001), m);
  EXPECT_DOUBLE_EQ(ctl.fabric_power_w(), 1500);
  auto off = ctl.manage_pods(0, 0, false);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_EQ(off[0].pod, 1);
  EXPECT_TRUE(ctl.pod(0).on);
  EXPECT_DOUBLE_EQ(ctl.fabric_power_w(), 1000);
  auto on = ctl.manage_pods(3600, 1, true);
  ASSERT_EQ(on.size(), 1u);
  EXPECT_TRUE(on[0].on);
  EXPECT_DOUBLE_EQ(ctl.fabric_power_w(), 1500);
  // Out of service, the tranche's whole fabric is off, whatever its pods did under the cap.
  ctl.set_in_service(0, false, true);
  EXPECT_DOUBLE_EQ(ctl.fabric_power_w(), 0);
}

TEST(CapController, APodStaysSwitchedForTheDwellTime) {
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({2.0, 1.0});
  FacilitySpec f = cap(5000);
  f.switch_interval_s = 7200;
  PowerCapController ctl(c, f, m);
  ASSERT_EQ(ctl.manage_pods(0, 0, false).size(), 1u);
  EXPECT_TRUE(ctl.manage_pods(3600, 1, true).empty());  // switched 3,600 s ago, dwell 7,200 s
  EXPECT_EQ(ctl.gpus_off(), 16);
}

TEST(CapController, TheSlowestGenerationGoesOffFirst) {
  // Pod 0: the first tranche (speed 1); pod 1: a faster generation (speed 2). One must go: the slow one.
  ClusterSpec c = cluster({tranche(0, 2, 1, 1), tranche(2, 2, 1, 2)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, cap(3000), m);
  auto off = ctl.manage_pods(0, 0, false);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_EQ(off[0].pod, 0);
  EXPECT_TRUE(ctl.pod(1).on);
}

TEST(CapController, HoldingJobsLimitsStartsToTheSparePower) {
  // Cap 10,000 W, 4,000 W idle: 6,000 W spare at 500 W per busy GPU: 12 GPUs. With 8 busy: 2,000 W, 4 GPUs.
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, cap(10000, true), m);
  EXPECT_EQ(ctl.start_limit(0), 12);
  ctl.add_load(0, 8, 8);
  EXPECT_EQ(ctl.start_limit(0), 4);
  ctl.add_load(1, 12, 16);
  EXPECT_EQ(ctl.start_limit(0), 0);  // 4,000 + 10,000 W: above the cap, nothing more starts
}

TEST(CapController, ARetiredPodSwitchesOffAfterItsLastJob) {
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, FacilitySpec{}, m);
  ctl.add_load(0, 8, 8);
  auto sw = ctl.set_in_service(0, false, true);
  ASSERT_EQ(sw.size(), 1u);  // the idle pod goes off at once, the busy one keeps running its job
  EXPECT_EQ(sw[0].pod, 1);
  EXPECT_TRUE(ctl.pod(0).on);
  auto off = ctl.add_load(0, -8, -8);
  ASSERT_TRUE(off.has_value());
  EXPECT_EQ(off->pod, 0);
  EXPECT_FALSE(off->for_cap);
  EXPECT_DOUBLE_EQ(ctl.compute_power_w(), 0);
}


TEST(CapController, DrainsABusyPodWhenTheLoadWouldRunBelowTheEfficientSpeed) {
  // Two pods of 2 nodes (1,000 W idle, 4,000 W active each), both full, under 5,000 W: together they run
  // at v <= 0.25 (4,000 + 16,000 v^2), below v* = 0.5, and do 32 x 0.25 = 8 GPUs of work. With jobs
  // waiting, one pod takes no more jobs (pod 1: the last of its generation); when its jobs end it switches
  // off and the other runs at 0.60 (2,000 + 8,000 v^2 <= 5,000 gives v <= 0.612): 16 x 0.60 = 9.6.
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, cap(5000), m);
  ctl.add_load(0, 16, 16);
  ctl.add_load(1, 16, 16);
  EXPECT_TRUE(ctl.manage_pods(0, 0, true).empty());  // nothing waits: the load is what it is
  auto drain = ctl.manage_pods(0, 3, true);
  ASSERT_EQ(drain.size(), 1u);
  EXPECT_EQ(drain[0].pod, 1);
  EXPECT_FALSE(drain[0].on);
  EXPECT_TRUE(drain[0].drain);
  EXPECT_TRUE(ctl.pod(1).on);
  EXPECT_TRUE(ctl.pod(1).draining);
  EXPECT_TRUE(ctl.manage_pods(60, 3, true).empty());  // the rest already runs at v* once pod 1 is empty
  auto off = ctl.add_load(1, -16, -16);
  ASSERT_TRUE(off.has_value());
  EXPECT_EQ(off->pod, 1);
  EXPECT_FALSE(off->on);
  EXPECT_FALSE(ctl.pod(1).on);
  EXPECT_EQ(ctl.gpus_off(), 16);
  ctl.update_level(60);
  EXPECT_NEAR(ctl.speed(), 0.60, 1e-12);
}

TEST(CapController, ADrainingPodTakesJobsAgainWhenPowerAllows) {
  // Under 7,000 W, both pods full need 4,000 + 16,000 x 0.25 = 8,000 W at v* = 0.5: pod 1 drains. Once
  // pod 0's jobs end, taking jobs on pod 1 again needs 4,000 W idle + its own load 8,000 x 0.25 + nothing
  // for free GPUs (it has none) = 6,000 W <= 7,000 W: it rejoins the pool.
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, cap(7000), m);
  ctl.add_load(0, 16, 16);
  ctl.add_load(1, 16, 16);
  // 4,000 + 16,000 x 0.25 = 8,000 W > 7,000 W at v*: drain pod 1.
  auto drain = ctl.manage_pods(0, 3, true);
  ASSERT_EQ(drain.size(), 1u);
  EXPECT_TRUE(ctl.pod(1).draining);
  ctl.add_load(0, -16, -16);  // pod 0 empties; pod 1 still runs its jobs
  // Undraining pod 1 needs 4,000 + 8,000 x 0.25 (its load) + 0 (no GPU of it is free) = 6,000 W <= 7,000 W.
  auto back = ctl.manage_pods(120, 3, true);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].pod, 1);
  EXPECT_TRUE(back[0].on);
  EXPECT_TRUE(back[0].drain);
  EXPECT_FALSE(ctl.pod(1).draining);
}

TEST(CapController, APinnedPodStaysOnAndComesBackOnWhenPinned) {
  // As above, hour 0 is hot (4,000 W idle x 2 against 5,000 W): one idle pod must go off. Pod 1 holds an
  // open reservation, so pod 0 goes instead; once unpinned, pod 1 may go off too when the cap still binds
  // at the slowest speed. Pinning pod 1 again switches it back on at once (and rejoins the pool).
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({2.0});
  PowerCapController ctl(c, cap(5000), m);
  EXPECT_FALSE(ctl.pin(0, 1, true).has_value());  // on already: nothing to switch
  auto off = ctl.manage_pods(0, 0, false);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_EQ(off[0].pod, 0);
  EXPECT_TRUE(ctl.pod(1).on);
  EXPECT_TRUE(ctl.manage_pods(600, 0, false).empty());  // 2,000 W x 2 fits: pod 1 stays
  ctl.pin(600, 1, false);
  FacilityModel hotter = facility({3.0});  // 2,000 W x 3 > 5,000 W: the last idle pod must go too
  PowerCapController ctl2(c, cap(5000), hotter);
  ctl2.pin(0, 0, true);
  ctl2.pin(0, 1, true);
  EXPECT_TRUE(ctl2.manage_pods(0, 0, false).empty()) << "pinned pods are never switched off";
  ctl2.pin(0, 1, false);
  off = ctl2.manage_pods(0, 0, false);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_EQ(off[0].pod, 1);
  EXPECT_EQ(ctl2.gpus_off(), 16);
  auto on = ctl2.pin(60, 1, true);
  ASSERT_TRUE(on.has_value());
  EXPECT_EQ(on->pod, 1);
  EXPECT_TRUE(on->on);
  EXPECT_TRUE(on->for_cap);
  EXPECT_FALSE(on->drain);
  EXPECT_TRUE(ctl2.pod(1).on);
  EXPECT_EQ(ctl2.gpus_off(), 0);
}

TEST(CapController, APinnedPodIsNotDrainedAndPinningUndrainsIt) {
  // The drain case above (5,000 W, both pods full, jobs waiting): pod 1 would drain. Pinned, it is kept
  // taking jobs and pod 0 drains instead; pinning a draining pod takes it back into the pool.
  ClusterSpec c = cluster({tranche(0, 4, 2, 1)});
  FacilityModel m = facility({1.0});
  PowerCapController ctl(c, cap(5000), m);
  ctl.add_load(0, 16, 16);
  ctl.add_load(1, 16, 16);
  ctl.pin(0, 1, true);
  auto drain = ctl.manage_pods(0, 3, true);
  ASSERT_EQ(drain.size(), 1u);
  EXPECT_EQ(drain[0].pod, 0);
  EXPECT_TRUE(drain[0].drain);
  EXPECT_FALSE(ctl.pod(1).draining);
  auto back = ctl.pin(60, 0, true);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->pod, 0);
  EXPECT_TRUE(back->on);
  EXPECT_TRUE(back->drain);
  EXPECT_FALSE(ctl.pod(0).draining);
}

}  // namespace
}  // namespace capsim
