// Advance reservations of training runs (models/scheduling/reservations.cpp), decision by decision on
// four 8-GPU nodes, each placement worked out by hand.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/scheduling/scheduler.hpp"

namespace capsim {
namespace {

std::vector<int> nodes_of(const Placement& p) {
  std::vector<int> out;
  for (const NodeShare& s : p) out.push_back(s.node);
  return out;
}

const StartDecision* started(const std::vector<StartDecision>& d, JobId id) {
  auto it = std::find_if(d.begin(), d.end(), [&](const StartDecision& x) { return x.id == id; });
  return it == d.end() ? nullptr : &*it;
}

TEST(Reservation, ShortJobsUseTheReservedNodesBeforeItsStartAndTheRunGetsThemThen) {
  Scheduler s(4, 8, PolicyKind::easy);
  // A (node 0, planned to end at 100) runs; the run R (16 GPUs) reserves from 50 to 1,000.
  ASSERT_TRUE(s.submit({1, 8, 0, 100}));
  ASSERT_EQ(s.decide(0).size(), 1u);
  ASSERT_TRUE(s.submit_reserved({9, 16, 0, 400}, 50, 1000));
  // Its nodes: the placement rule on the pool at 50 (A still there): the lowest free whole nodes, 1 and 2.
  // B (ends by 40) goes on free node 3 in the queue's pass.
  ASSERT_TRUE(s.submit({2, 8, 0, 40}));
  auto d = s.decide(0);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(nodes_of(d[0].placement), std::vector<int>{3});
  // L (planned to end after 50) finds no node: 1 and 2 are reserved; T (ends by 50) may use them.
  ASSERT_TRUE(s.submit({3, 8, 1, 100}));
  ASSERT_TRUE(s.submit({4, 8, 2, 30}));
  d = s.decide(2);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].id, 4);
  EXPECT_EQ(nodes_of(d[0].placement), std::vector<int>{1});
  s.complete(4, 32);
  s.complete(2, 40);
  // Node 3 is free at 40 (not reserved): L starts there.
  d = s.decide(40);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].id, 3);
  EXPECT_EQ(nodes_of(d[0].placement), std::vector<int>{3});
  // At 50 no job is on the run's nodes, and it starts on exactly them.
  EXPECT_TRUE(s.overrunning(50).empty());
  d = s.decide(50);
  ASSERT_NE(started(d, 9), nullptr);
  EXPECT_EQ(nodes_of(started(d, 9)->placement), (std::vector<int>{1, 2}));
  EXPECT_EQ(s.reservation_shortfall(), 0);
}

TEST(Reservation, AJobStillOnTheNodesAtTheStartIsOverrunning) {
  Scheduler s(4, 8, PolicyKind::easy);
  ASSERT_TRUE(s.submit_reserved({9, 16, 0, 400}, 50, 1000));
  ASSERT_TRUE(s.decide(0).empty());  // nodes 0 and 1 fixed
  // Two jobs planned to end by 50 take the free nodes 2 and 3 in the queue's pass; a third, T, then
  // takes reserved node 0, and overruns its estimate.
  ASSERT_TRUE(s.submit({4, 8, 1, 40}));
  ASSERT_TRUE(s.submit({5, 8, 1, 40}));
  auto d = s.decide(1);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(nodes_of(d[0].placement), std::vector<int>{2});
  EXPECT_EQ(nodes_of(d[1].placement), std::vector<int>{3});
  ASSERT_TRUE(s.submit({6, 8, 2, 40}));
  d = s.decide(2);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(nodes_of(d[0].placement), std::vector<int>{0});
  EXPECT_EQ(s.overrunning(49), std::vector<JobId>{});
  EXPECT_EQ(s.overrunning(50), std::vector<JobId>{6});
  EXPECT_TRUE(s.overrunning(50).empty()) << "reported once";
  s.interrupt(6, 50);
  d = s.decide(50);
  ASSERT_NE(started(d, 9), nullptr);
  EXPECT_EQ(nodes_of(started(d, 9)->placement), (std::vector<int>{0, 1}));
}

TEST(Reservation, ADownNodeIsReplacedAndAShortfallWaits) {
  Scheduler s(4, 8, PolicyKind::easy);
  ASSERT_TRUE(s.submit({1, 8, 0, 1000}));
  ASSERT_TRUE(s.submit({2, 8, 0, 1000}));
  ASSERT_EQ(s.decide(0).size(), 2u);  // nodes 0 and 1
  ASSERT_TRUE(s.submit_reserved({9, 16, 0, 400}, 50, 2000));
  ASSERT_TRUE(s.decide(0).empty());  // nodes 2 and 3 fixed
  s.set_down(3, true);
  // At 50: node 2 and no free node to replace 3: one node short, the run waits.
  ASSERT_TRUE(s.overrunning(50).empty());
  EXPECT_TRUE(s.decide(50).empty());
  EXPECT_EQ(s.reservation_shortfall(), 1);
  // Node 0 frees at 100: it replaces node 3.
  s.complete(1, 100);
  auto d = s.decide(100);
  ASSERT_NE(started(d, 9), nullptr);
  EXPECT_EQ(nodes_of(started(d, 9)->placement), (std::vector<int>{2, 0}));
  // Sent back by a failure before the window's end, it waits for its nodes again, ahead of the queue.
  ASSERT_TRUE(s.submit({3, 8, 101, 50}));
  s.interrupt(9, 110);
  s.resubmit({9, 16, 0, 300}, true);
  d = s.decide(110);
  ASSERT_NE(started(d, 9), nullptr);
  EXPECT_EQ(nodes_of(started(d, 9)->placement), (std::vector<int>{2, 0}));
  // Its end ends the reservation: its nodes take other jobs.
  s.complete(9, 410);
  d = s.decide(410);
  ASSERT_NE(started(d, 3), nullptr);
  EXPECT_EQ(nodes_of(started(d, 3)->placement), std::vector<int>{0});
}

}  // namespace
}  // namespace capsim
