#include <cmath>

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
  EXPECT_NEAR(r.npv_window_usd, -3000 + 2440 / 1.1, 1e-9);
}

// Hand-computed: 1,000 USD of servers bought 2 years before a 4-year window (5-year life) count at their
// book value then, 600 USD, depreciate 200 a year until their life ends in year 3, and return nothing; a
// purchase in year 1 of 500 USD depreciates 100 a year for 3 years and returns 200.
TEST(Costs, PurchasesBeforeTheWindowCountAtTheirBookValue) {
  CostInputs in;
  in.hardware = {{1000, -2}, {500, 1}};
  in.hardware_capex_usd = 1500;
  in.server_life_y = 5;
  in.maintenance_share_per_year = 0;
  in.electricity_usd_by_year = {0, 0, 0, 0};
  in.year_fraction = {1, 1, 1, 1};
  in.discount_rate = 0;
  CostResult r = compute_costs(in);
  EXPECT_DOUBLE_EQ(r.capex_usd, 1500);  // what was spent
  EXPECT_DOUBLE_EQ(r.depreciation_per_year_usd, (600 + 300) / 4.0);
  ASSERT_EQ(r.cash_flow_usd.size(), 5u);
  EXPECT_DOUBLE_EQ(r.cash_flow_usd[0], -600);
  EXPECT_DOUBLE_EQ(r.cash_flow_usd[1], -500);
  EXPECT_DOUBLE_EQ(r.cash_flow_usd[4], 200);
  EXPECT_DOUBLE_EQ(r.npv_window_usd, -600 - 500 + 200);  // undiscounted: what the window used up
}

TEST(Cost, LifetimeNpvByHand) {
  CostInputs in;
  in.facility_capex_usd = 100;
  in.hardware = {{50, 0}, {20, 1.5}};  // the second arrives after the one-year window
  in.hardware_capex_usd = 70;
  in.server_life_y = 3;
  in.facility_life_y = 10;
  in.maintenance_share_per_year = 0.1;
  in.staff_per_year_usd = 5;
  in.electricity_usd_by_year = {10};
  in.year_fraction = {1};
  in.discount_rate = 0.1;
  const CostResult r = compute_costs(in);
  // Opex per year over the window: electricity 10 + staff 5 + maintenance 0.1 x 50 (the first purchase
  // only) = 20. Years 1-3 pay it at their ends; the second purchase is paid at the start of year 1; the
  // facility keeps 1 - 3/10 of its value at the end of year 3.
  EXPECT_DOUBLE_EQ(r.opex_per_year_usd, 20);
  const double expected = -100 - 50 - 20 / 1.1 - 20 / 1.1 - 20 / (1.1 * 1.1) - 20 / (1.1 * 1.1 * 1.1) + 70 / (1.1 * 1.1 * 1.1);
  EXPECT_NEAR(r.npv_lifetime_usd, expected, 1e-9);
  // A life of 2.5 years: the third year pays half the opex, at 2.5 years, when the facility's 75 % returns.
  in.server_life_y = 2.5;
  const double half = -100 - 50 - 20 / 1.1 - 20 / 1.1 - 20 / (1.1 * 1.1) - 10 / std::pow(1.1, 2.5) + 75 / std::pow(1.1, 2.5);
  EXPECT_NEAR(compute_costs(in).npv_lifetime_usd, half, 1e-9);
}

}  // namespace
}  // namespace capsim
