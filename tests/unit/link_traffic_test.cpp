#include <gtest/gtest.h>

#include "models/results/link_traffic.hpp"

namespace capsim {
namespace {

TEST(LinkTraffic, FlowBytesSpreadOverTheIntervalsOfTheirLife) {
  // Intervals of 10 s over 35 s (the last one 5 s); warm-up 10 s; one group of 10 bytes/s.
  LinkTraffic t(35, 10, 10, {10});
  t.add(0, 100, 5, 25);  // 5 bytes/s: 25, 50, 25 bytes in the first three intervals
  EXPECT_EQ(t.intervals(), 4u);
  EXPECT_DOUBLE_EQ(t.interval_utilization(0, 0), 25.0 / 100);
  EXPECT_DOUBLE_EQ(t.interval_utilization(0, 1), 50.0 / 100);
  EXPECT_DOUBLE_EQ(t.interval_utilization(0, 2), 25.0 / 100);
  EXPECT_DOUBLE_EQ(t.interval_utilization(0, 3), 0.0);
  EXPECT_DOUBLE_EQ(t.window_bytes(0), 75);  // from the warm-up on
  EXPECT_DOUBLE_EQ(t.window_utilization(0), 75.0 / (10 * 25));
  EXPECT_DOUBLE_EQ(t.window_peak_utilization(0), 0.5);
  // A flow cut by the horizon comes with its bytes moved until then; the short last interval is over its
  // own length.
  t.add(0, 20, 31, 35);
  EXPECT_DOUBLE_EQ(t.interval_utilization(0, 3), 20.0 / 50);
  // A flow whose end rounds onto its start keeps its bytes, in its instant's interval.
  t.add(0, 7, 12, 12);
  EXPECT_DOUBLE_EQ(t.interval_utilization(0, 1), 57.0 / 100);
  EXPECT_DOUBLE_EQ(t.window_bytes(0), 75 + 20 + 7);
}

}  // namespace
}  // namespace capsim
