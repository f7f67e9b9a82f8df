#include <gtest/gtest.h>

#include <cmath>

#include "models/common/random.hpp"
#include "reports/stats.hpp"

namespace capsim::stats {
namespace {

TEST(Stats, PercentileInterpolates) {
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile({5, 1, 3}, 0), 1);
  EXPECT_DOUBLE_EQ(percentile({5, 1, 3}, 100), 5);
  EXPECT_DOUBLE_EQ(percentile({10, 20}, 95), 19.5);
  EXPECT_DOUBLE_EQ(percentile({}, 50), 0);
}

TEST(Stats, BatchMeansCoversTheTrueMeanOfIidData) {
  // 95% intervals over independent replications should cover the true mean about 95% of the time.
  Rng rng(11);
  int covered = 0;
  const int reps = 400;
  for (int r = 0; r < reps; ++r) {
    std::vector<double> x;
    for (int i = 0; i < 2000; ++i) x.push_back(rng.exponential(3.0));
    auto ci = batch_means_ci(x, 20);
    covered += ci.low <= 3.0 && 3.0 <= ci.high;
  }
  EXPECT_GT(covered, 0.92 * reps);
  EXPECT_LT(covered, 0.98 * reps);
}

}  // namespace
}  // namespace capsim::stats
