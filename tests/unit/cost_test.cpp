#include <gtest/gtest.h>

#include "models/cost/cost.hpp"

namespace capsim {
namespace {

TEST(Money, Parses) {
  auto m = parse_money("317000 USD");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->amount, 317000);
  EXPECT_EQ(m->currency, "USD");
  EXPECT_EQ(parse_money("8.3e9 KRW")->amount, 8.3e9);
  EXPECT_FALSE(parse_money("300k USD"));
  EXPECT_FALSE(parse_money("300 usd"));
  EXPECT_FALSE(parse_money("300"));
  EXPECT_FALSE(parse_money("300 USDX"));
}

// Hand-computed: one purchase in service for the first half-year then retired, one from mid-year on.
TEST(Costs, PurchasesCountWhileInService) {
  CostInputs in;
  in.hardware = {{1000, 0, 0.5}, {2000, 0.5}};
  in.hardware_capex_usd = 3000;
  in.server_life_y = 5;
  in.maintenance_share_per_year = 0.1;
  in.staff_per_year_usd = 10;
  in.electricity_usd_by_year = {100};
  in.year_fraction = {1};
  in.discount_rate = 0.1;
  CostResult r = compute_costs(in);
  EXPECT_DOUBLE_EQ(r.capex_usd, 3000);
  EXPECT_DOUBLE_EQ(r.depreciation_per_year_usd, 1000.0 / 5 * 0.5 + 2000.0 / 5 * 0.5);  // 300
  EXPECT_DOUBLE_EQ(r.opex_per_year_usd, 100 + 0.1 * (1000 * 0.5 + 2000 * 0.5) + 10);  // 260
  EXPECT_DOUBLE_EQ(r.total_per_year_usd, 560);
  ASSERT_EQ(r.cash_flow_usd.size(), 2u);
  EXPECT_DOUBLE_EQ(r.cash_flow_usd[0], -3000);
  // Year 1: opex 260; back: book values 1000 x (1 - 0.5/5) + 2000 x (1 - 0.5/5) = 2700.
  EXPECT_DOUBLE_EQ(r.cash_flow_usd[1], -260 + 2700);
  EXPECT_NEAR(r.npv_usd, -3000 + 2440 / 1.1, 1e-9);
}

}  // namespace
}  // namespace capsim
