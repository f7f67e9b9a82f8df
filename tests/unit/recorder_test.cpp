#include <gtest/gtest.h>

#include "sim/recorder.hpp"

namespace capsim {
namespace {

TEST(Recorder, IntegratesStepsIntoBinsAndWindow) {
  Recorder r(10, 2, 4);  // horizon 10 s, warm-up 2 s, bins [0,4) [4,8) [8,10)
  ClusterState s;
  s.it_power_w = 100;
  s.gpus_allocated = 2;
  r.set(0, s);
  s.it_power_w = 300;
  s.gpus_allocated = 6;
  r.set(3, s);
  r.advance(10);
  auto rows = r.rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_DOUBLE_EQ(rows[0].it_power_w, (3 * 100 + 1 * 300) / 4.0);
  EXPECT_DOUBLE_EQ(rows[1].it_power_w, 300);
  EXPECT_DOUBLE_EQ(rows[2].end_s, 10);
  EXPECT_DOUBLE_EQ(r.total_it_energy_j(), 3 * 100 + 7 * 300);
  EXPECT_DOUBLE_EQ(r.window_it_energy_j(), 1 * 100 + 7 * 300);
  EXPECT_DOUBLE_EQ(r.window_allocated_gpu_s(), 1 * 2 + 7 * 6);
  EXPECT_DOUBLE_EQ(r.window_peak_it_power_w(), 300);
}

TEST(Recorder, PeakIgnoresStatesBeforeTheWarmup) {
  Recorder r(10, 5, 10);
  ClusterState s;
  s.it_power_w = 900;
  r.set(0, s);
  s.it_power_w = 100;
  r.set(4, s);
  r.advance(10);
  EXPECT_DOUBLE_EQ(r.window_peak_it_power_w(), 100);
}

}  // namespace
}  // namespace capsim
