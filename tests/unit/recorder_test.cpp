#include <gtest/gtest.h>

#include "models/results/recorder.hpp"

namespace capsim {
namespace {

TEST(Recorder, IntegratesStepsIntoBinsAndWindow) {
  FacilityModel f;
  f.multiplier = {1.5};
  f.fixed_w = 10;
  Recorder r(10, 2, 4, f);  // horizon 10 s, warm-up 2 s, bins [0,4) [4,8) [8,10)
  ClusterState s;
  s.compute_power_w = 100;
  s.gpus_allocated = 2;
  r.set(0, s);
  s.compute_power_w = 300;
  s.gpus_allocated = 6;
  r.set(3, s);
  r.advance(10);
  auto rows = r.rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_DOUBLE_EQ(rows[0].it_power_w, (3 * 100 + 1 * 300) / 4.0);
  EXPECT_DOUBLE_EQ(rows[1].it_power_w, 300);
  EXPECT_DOUBLE_EQ(rows[2].end_s, 10);
  EXPECT_DOUBLE_EQ(r.total_compute_energy_j(), 3 * 100 + 7 * 300);
  EXPECT_DOUBLE_EQ(r.window_compute_energy_j(), 1 * 100 + 7 * 300);
  EXPECT_DOUBLE_EQ(r.window_allocated_gpu_s(), 1 * 2 + 7 * 6);
  EXPECT_DOUBLE_EQ(r.window_peak_compute_power_w(), 300);
  EXPECT_DOUBLE_EQ(r.window_peak_facility_power_w(), 300 * 1.5 + 10);
  EXPECT_DOUBLE_EQ(r.hourly_window_facility_j()[0], (1 * 100 + 7 * 300) * 1.5 + 8 * 10);
  EXPECT_DOUBLE_EQ(rows[1].facility_power_w, 300 * 1.5 + 10);
}

TEST(Recorder, PeakIgnoresStatesBeforeTheWarmup) {
  FacilityModel f;
  f.multiplier = {1.0};
  Recorder r(10, 5, 10, f);
  ClusterState s;
  s.compute_power_w = 900;
  r.set(0, s);
  s.compute_power_w = 100;
  r.set(4, s);
  r.advance(10);
  EXPECT_DOUBLE_EQ(r.window_peak_compute_power_w(), 100);
}

// Each tranche's window totals: its GPUs held and busy over time, and their work at the cap's speed level.
TEST(Recorder, IntegratesEachTrancheAtTheSpeedLevel) {
  FacilityModel f;
  f.multiplier = {1.0};
  Recorder r(10, 2, 10, f);
  ClusterState s;
  s.tranches = {{8, 4, 8.0, 4.0}, {0, 0, 0.0, 0.0}};
  r.set(0, s);
  s.speed = 0.5;
  s.tranches = {{8, 8, 8.0, 8.0}, {16, 16, 36.0, 36.0}};  // 16 GPUs of speed 2.25
  r.set(6, s);
  r.advance(10);
  const auto& t = r.window_tranches();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_DOUBLE_EQ(t[0].allocated_gpu_s, 8 * 8);
  EXPECT_DOUBLE_EQ(t[0].busy_gpu_s, 4 * 4 + 8 * 4);
  EXPECT_DOUBLE_EQ(t[0].delivered_gpu_s, 8 * 4 + 8 * 0.5 * 4);
  EXPECT_DOUBLE_EQ(t[0].busy_work_gpu_s, 4 * 4 + 8 * 0.5 * 4);
  EXPECT_DOUBLE_EQ(t[1].allocated_gpu_s, 16 * 4);
  EXPECT_DOUBLE_EQ(t[1].delivered_gpu_s, 36 * 0.5 * 4);
}

}  // namespace
}  // namespace capsim
