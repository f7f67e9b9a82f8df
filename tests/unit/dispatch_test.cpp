#include <gtest/gtest.h>

#include "models/federation/dispatch.hpp"

namespace capsim {
namespace {

MemberView member(double queued, long long on, long long free_gpus, bool start_now = false, double price = 0.1, double carbon = 400) {
  MemberView v;
  v.can_hold = v.can_hold_now = true;
  v.can_start_now = start_now;
  v.queued_work_gpu_s = queued;
  v.gpus_on = on;
  v.gpus_free = free_gpus;
  v.price_usd_per_kwh = price;
  v.carbon_g_per_kwh = carbon;
  return v;
}

TEST(Dispatch, PinnedJobsGoToTheirMemberWhateverTheLoad) {
  std::vector<MemberView> m = {member(0, 100, 100, true), member(1e9, 100, 0)};
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, 1, m), 1);
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, 1, m), 1);
}

TEST(Dispatch, StartsAtOnceThenLeastQueuedWorkPerGpuThenMostFreeThenFirst) {
  // A member where the job starts at once wins over any queue length elsewhere.
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, {member(0, 100, 2), member(0, 10, 8, true)}), 1);
  // 1000 GPU-s queued on 10 GPUs (100 per GPU) beats 5000 on 20 (250 per GPU).
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, {member(5000, 20, 0), member(1000, 10, 0)}), 1);
  // Nothing queued anywhere and no start at once: the larger share of free GPUs wins (30 % < 50 %).
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, {member(0, 100, 30), member(0, 10, 5)}), 1);
  // A full tie: the first member.
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, {member(0, 10, 5), member(0, 10, 5)}), 0);
}

TEST(Dispatch, LeastQueuedWorkAddsTheDataTransfer) {
  // The data site has 100 s of queued work per GPU; the other member could start at once after its data's
  // transfer: 99 s wins, 101 s loses, and a tie goes to the member that can start at once.
  for (auto [transfer, want] : {std::pair{99.0, 1}, {101.0, 0}, {100.0, 1}}) {
    std::vector<MemberView> m = {member(1000, 10, 0), member(0, 10, 10, true)};
    m[1].transfer_s = transfer;
    EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, m), want) << transfer;
  }
  // Two busy members: queue per GPU plus transfer, 50 + 60 against 100.
  std::vector<MemberView> m = {member(1000, 10, 0), member(500, 10, 0)};
  m[1].transfer_s = 60;
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, m), 0);
  m[1].transfer_s = 40;
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, m), 1);
}

TEST(Dispatch, OnlyMembersThatCanHoldTheJobNowUnlessNoneCan) {
  std::vector<MemberView> m = {member(0, 100, 100, true), member(50, 100, 0), member(0, 100, 100, true)};
  m[0].can_hold_now = false;  // its big tranche retired or has not arrived
  m[0].can_start_now = false;
  m[2].can_hold = m[2].can_hold_now = m[2].can_start_now = false;  // never big enough
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, m), 1);
  EXPECT_EQ(dispatch_job(DispatchPolicy::lowest_carbon, -1, m), 1);
  m[1].can_hold_now = false;  // none can now: those that could once all tranches serve
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, m), 0);
  m[0].can_hold = m[1].can_hold = false;  // none ever can: member 0 rejects it
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, -1, m), 0);
}

TEST(Dispatch, CheapestAndCleanestAmongMembersThatCanStartAtOnce) {
  // Member 1 is cheapest but cannot start the job now; member 2 is cheaper than member 0 and can.
  std::vector<MemberView> m = {member(0, 64, 64, true, 0.12, 100), member(0, 64, 8, false, 0.05, 50), member(0, 64, 32, true, 0.08, 500)};
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, -1, m), 2);
  EXPECT_EQ(dispatch_job(DispatchPolicy::lowest_carbon, -1, m), 0);
  m[1].can_start_now = true;
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, -1, m), 1);
  // Nobody can start it at once: least queued work decides (all empty; member 0 has the most free).
  for (auto& v : m) v.can_start_now = false;
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, -1, m), 0);
}

}  // namespace
}  // namespace capsim
