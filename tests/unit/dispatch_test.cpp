#include <gtest/gtest.h>

#include "models/dispatch.hpp"

namespace capsim {
namespace {

MemberView member(double queued, long long on, long long free_gpus, double price = 0.1, double carbon = 400) {
  MemberView v;
  v.can_hold = true;
  v.queued_work_gpu_s = queued;
  v.gpus_on = on;
  v.gpus_free = free_gpus;
  v.price_usd_per_kwh = price;
  v.carbon_g_per_kwh = carbon;
  return v;
}

TEST(Dispatch, PinnedJobsGoToTheirMemberWhateverTheLoad) {
  std::vector<MemberView> m = {member(0, 100, 100), member(1e9, 100, 0)};
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, 8, 1, m), 1);
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, 8, 1, m), 1);
}

TEST(Dispatch, LeastQueuedWorkPerGpuThenMostFreeThenFirst) {
  // 1000 GPU-s queued on 10 GPUs (100 per GPU) beats 5000 on 20 (250 per GPU).
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, 1, -1, {member(5000, 20, 0), member(1000, 10, 0)}), 1);
  // Nothing queued anywhere: the larger share of free GPUs wins (30 % < 50 %).
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, 1, -1, {member(0, 100, 30), member(0, 10, 5)}), 1);
  // A full tie: the first member.
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, 1, -1, {member(0, 10, 5), member(0, 10, 5)}), 0);
}

TEST(Dispatch, MembersThatCanNeverHoldTheJobAreSkipped) {
  std::vector<MemberView> m = {member(0, 100, 100), member(50, 100, 0)};
  m[0].can_hold = false;
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, 512, -1, m), 1);
  EXPECT_EQ(dispatch_job(DispatchPolicy::lowest_carbon, 512, -1, m), 1);
  m[1].can_hold = false;
  EXPECT_EQ(dispatch_job(DispatchPolicy::least_queued_work, 512, -1, m), 0);  // none can: member 0 rejects it
}

TEST(Dispatch, CheapestAndCleanestAmongMembersThatCanStartAtOnce) {
  // Member 1 is cheapest but has no room for 16 GPUs; member 2 is cheaper than member 0 and has room.
  std::vector<MemberView> m = {member(0, 64, 64, 0.12, 100), member(0, 64, 8, 0.05, 50), member(0, 64, 32, 0.08, 500)};
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, 16, -1, m), 2);
  EXPECT_EQ(dispatch_job(DispatchPolicy::lowest_carbon, 16, -1, m), 0);
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, 8, -1, m), 1);
  // Queued work means the job would wait there: not a candidate.
  m[2].queued_work_gpu_s = 1;
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, 16, -1, m), 0);
  // Nobody can start it at once: least queued work decides (member 0 and 1 have none queued, 1 has fewer free).
  EXPECT_EQ(dispatch_job(DispatchPolicy::cheapest_power, 128, -1, m), 0);
}

}  // namespace
}  // namespace capsim
