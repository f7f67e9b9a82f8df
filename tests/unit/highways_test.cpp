#include <gtest/gtest.h>

#include "models/federation/highways.hpp"

namespace capsim {
namespace {

Highway link(int a, int b, double gbps, double latency_ms) { return {a, b, gbps * 1e9, latency_ms / 1e3, 0}; }

TEST(Highways, RoutesTakeTheFewestLinksThenTheLowestLatency) {
  // 0 - 1 - 2 - 3 in a line, plus 0 - 3 direct (slow but one hop) and 0 - 4 - 2 (two hops, lower latency).
  const std::vector<Highway> links = {link(0, 1, 100, 1), link(1, 2, 100, 1), link(2, 3, 100, 1), link(0, 3, 10, 50), link(0, 4, 100, 0.1), link(2, 4, 100, 0.1)};
  const auto r = highway_routes(6, links);
  ASSERT_TRUE(r[0][3]);
  ASSERT_EQ(r[0][3]->size(), 1u);
  EXPECT_EQ((*r[0][3])[0].link, 3);
  ASSERT_TRUE(r[0][2]);
  ASSERT_EQ(r[0][2]->size(), 2u);  // through 4 (0.2 ms), not 1 (2 ms)
  EXPECT_EQ((*r[0][2])[0].link, 4);
  EXPECT_EQ((*r[0][2])[1].link, 5);
  EXPECT_TRUE((*r[0][2])[0].forward);
  EXPECT_FALSE((*r[0][2])[1].forward);  // link 5 is 2 - 4, crossed from 4 to 2
  // The way back crosses the same links the other way, in reverse order.
  ASSERT_TRUE(r[2][0]);
  EXPECT_EQ((*r[2][0])[0].link, 5);
  EXPECT_TRUE((*r[2][0])[0].forward);
  EXPECT_FALSE((*r[2][0])[1].forward);
  EXPECT_TRUE(r[1][1] && r[1][1]->empty());
  EXPECT_FALSE(r[0][5]);  // member 5 has no link
  EXPECT_FALSE(r[5][0]);
}

TEST(Highways, TransferAloneIsLatenciesPlusBytesAtTheNarrowestLink) {
  const std::vector<Highway> links = {link(0, 1, 400, 2), link(1, 2, 100, 3)};
  const auto r = highway_routes(3, links);
  // 1 TB at 100 Gbps is 80 s, plus 5 ms of latency.
  EXPECT_DOUBLE_EQ(transfer_time_s(1e12, *r[0][2], links), 80.005);
  EXPECT_DOUBLE_EQ(transfer_time_s(1e12, *r[2][0], links), 80.005);
  EXPECT_DOUBLE_EQ(transfer_time_s(1e12, *r[0][0], links), 0.0);
}

}  // namespace
}  // namespace capsim
