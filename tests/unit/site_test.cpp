#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/common/calendar.hpp"
#include "models/common/errors.hpp"
#include "models/site/site.hpp"

namespace capsim {
namespace {
using nlohmann::json;

json site_json() {
  return json::parse(R"({"sites": {"x": {"name": "X", "region": "R", "country": "KR", "grid_limit_mw": 10,
    "grid_available": "2030-01-01",
    "tariff": {"kind": "time_of_use", "currency": "KRW", "default_price_per_kwh": 100,
               "bands": [{"months": [6, 7, 8], "hours": [[15, 21]], "price_per_kwh": 250}]},
    "carbon_gco2_per_kwh": 400,
    "climate": {"monthly_mean_c": [0, 2, 6, 12, 18, 22, 26, 27, 22, 15, 8, 2]},
    "construction_cost_per_mw": {"amount": 1e9, "currency": "KRW"},
    "sources": [{"what": "test"}]}}})");
}

TEST(Calendar, LocalTimeAndHourOfYear) {
  // 2030-01-01T00:00:00+09:00 is Unix 1893423600; local = +32400.
  LocalTime t = local_time(0.0, 1893423600LL, 32400);
  EXPECT_EQ(t.year, 2030);
  EXPECT_EQ(t.month, 1);
  EXPECT_EQ(t.day, 1);
  EXPECT_EQ(t.hour, 0);
  EXPECT_EQ(t.weekday, 1);  // a Tuesday
  EXPECT_EQ(hour_of_year(t), 0);
  LocalTime dec31 = local_time(364 * 86400.0 + 23 * 3600, 1893423600LL, 32400);
  EXPECT_EQ(hour_of_year(dec31), 8759);
  // 2028 is a leap year: 29 February reuses 28 February's hours, 1 March is day 59 as in any year.
  LocalTime feb29 = local_time(1830297600LL + 59 * 86400LL + 5 * 3600);  // 2028-01-01 UTC + 59 d 5 h
  EXPECT_EQ(feb29.month, 2);
  EXPECT_EQ(feb29.day, 29);
  EXPECT_EQ(hour_of_year(feb29), 58 * 24 + 5);
  EXPECT_EQ(feb29.days_in_month, 29);
}

TEST(Calendar, IsoLocalTime) {
  EXPECT_EQ(iso_local(1893423600LL, 32400), "2030-01-01T00:00:00+09:00");
  EXPECT_EQ(iso_local(1893423600LL + 5400 + 7, 32400), "2030-01-01T01:30:07+09:00");
  // Half-hour offsets and offsets west of UTC; the local date rolls back across midnight.
  EXPECT_EQ(iso_local(0, 19800), "1970-01-01T05:30:00+05:30");
  EXPECT_EQ(iso_local(0, -12600), "1969-12-31T20:30:00-03:30");
}

TEST(Site, TimeOfUseTariffAndMonthlyClimate) {
  SiteCatalog c = load_site_catalog_text(site_json().dump(), "sites.json");
  const SiteSpec& s = c.site("x", "test");
  LocalTime summer_peak;
  summer_peak.month = 7;
  summer_peak.hour = 16;
  EXPECT_EQ(s.tariff.price(summer_peak), 250);
  summer_peak.hour = 21;  // bands are [from, to)
  EXPECT_EQ(s.tariff.price(summer_peak), 100);
  // Mid-month the expansion returns the monthly mean at the daily mean hours (cos = 0 at 09:00, 21:00).
  LocalTime mid_july;
  mid_july.month = 7;
  mid_july.day = 16;
  mid_july.days_in_month = 31;
  mid_july.hour = 21;
  EXPECT_NEAR(site_temperature_c(s, mid_july, 4), 26.0, 1e-9);
  mid_july.hour = 15;
  EXPECT_NEAR(site_temperature_c(s, mid_july, 4), 30.0, 1e-9);
  EXPECT_EQ(site_carbon_g_per_kwh(s, mid_july), 400);
}

// A projection by year sets each year's intensity; years outside it take the nearest; gaps are refused.
TEST(Site, CarbonByYearIsTheYearsProjection) {
  json j = site_json();
  j["sites"]["x"]["carbon_gco2_per_kwh_by_year"] = {{"2026", 380.0}, {"2027", 360.0}, {"2028", 350.0}};
  SiteCatalog c = load_site_catalog_text(j.dump(), "sites.json");
  const SiteSpec& s = c.site("x", "test");
  LocalTime t;
  for (const auto& [year, want] : std::vector<std::pair<int, double>>{{2020, 380}, {2026, 380}, {2027, 360}, {2028, 350}, {2031, 350}}) {
    t.year = year;
    EXPECT_EQ(site_carbon_g_per_kwh(s, t), want) << year;
  }
  j["sites"]["x"]["carbon_gco2_per_kwh_by_year"].erase("2027");
  try {
    load_site_catalog_text(j.dump(), "sites.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "sites.json: sites.x.carbon_gco2_per_kwh_by_year: expected every year from 2026 to 2028");
  }
}

TEST(Site, HourlySeriesWinOverMonthlyAndAnnualFigures) {
  json j = site_json();
  json& x = j["sites"]["x"];
  std::vector<double> temp(8760), carbon(8760), price(8760);
  for (int h = 0; h < 8760; ++h) {
    temp[h] = h % 24;
    carbon[h] = 100 + h % 7;
    price[h] = h;
  }
  x["climate"]["hourly_c"] = temp;
  x["carbon_hourly_gco2_per_kwh"] = carbon;
  x["tariff"] = {{"kind", "hourly"}, {"currency", "KRW"}, {"prices_per_kwh", price}};
  SiteCatalog c = load_site_catalog_text(j.dump(), "sites.json");
  const SiteSpec& s = c.site("x", "test");
  LocalTime t = local_time(0.0, 1893423600LL + 40 * 86400 + 7 * 3600, 32400);  // 10 February 07:00
  int h = hour_of_year(t);
  EXPECT_EQ(h, 40 * 24 + 7);
  EXPECT_EQ(site_temperature_c(s, t, 4), 7);
  EXPECT_EQ(site_carbon_g_per_kwh(s, t), 100 + h % 7);
  EXPECT_EQ(s.tariff.price(t), h);

  x["climate"]["hourly_c"] = std::vector<double>(100, 1.0);
  try {
    load_site_catalog_text(j.dump(), "sites.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "sites.json: sites.x.climate.hourly_c: expected 8760 hourly values (a 365-day year from 1 January 00:00 local time), found 100 values");
  }
}

TEST(Site, BuiltInCatalogHasTheKoreanSitesWithSources) {
  const SiteCatalog& c = builtin_site_catalog();
  for (const char* k : {"kr-jeonnam-haenam", "kr-ulsan", "kr-capital-region"}) {
    ASSERT_TRUE(c.sites.count(k)) << k;
    const SiteSpec& s = c.sites.at(k);
    EXPECT_GT(s.grid_limit_w, 0);
    EXPECT_EQ(s.tariff.currency, "KRW");
    EXPECT_GT(s.carbon_g_per_kwh, 0);
  }
  bool foreign = false;
  for (const auto& [k, s] : c.sites) foreign |= s.country != "KR";
  EXPECT_TRUE(foreign);
}


// Demand charges by hand: June from the 16th (half the month) peaking at 3 MW, July at 5 MW, August at
// 2 MW but billed at July's 5 MW through the ratchet; September's own peak 1 MW, billed 5 MW too.
TEST(Site, MonthlyDemandChargesWithRatchet) {
  Tariff t;
  t.demand_per_kw_month = 1000;
  t.ratchet_months = {7};
  std::vector<std::pair<LocalTime, double>> hours;
  auto month = [&](int m, int days, int from_day, double base_w, double peak_w) {
    for (int d = from_day; d <= days; ++d)
      for (int h = 0; h < 24; ++h) {
        LocalTime lt;
        lt.year = 2030;
        lt.month = m;
        lt.day = d;
        lt.hour = h;
        lt.days_in_month = days;
        hours.emplace_back(lt, d == 20 && h == 14 ? peak_w : base_w);
      }
  };
  month(6, 30, 16, 1e6, 3e6);
  month(7, 31, 1, 1e6, 5e6);
  month(8, 31, 1, 1e6, 2e6);
  month(9, 30, 1, 0.5e6, 1e6);
  std::vector<MonthlyDemand> m = monthly_demand_charges(t, hours);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_DOUBLE_EQ(m[0].share, 0.5);
  EXPECT_DOUBLE_EQ(m[0].charge, 1000 * 3000 * 0.5);
  EXPECT_DOUBLE_EQ(m[1].charge, 1000 * 5000);
  EXPECT_DOUBLE_EQ(m[2].peak_w, 2e6);
  EXPECT_DOUBLE_EQ(m[2].billed_w, 5e6);
  EXPECT_DOUBLE_EQ(m[3].charge, 1000 * 5000);
  // Without the ratchet each month pays its own peak.
  t.ratchet_months.clear();
  m = monthly_demand_charges(t, hours);
  EXPECT_DOUBLE_EQ(m[2].charge, 1000 * 2000);
  EXPECT_DOUBLE_EQ(m[3].charge, 1000 * 1000);
  // Adders are charged on every kWh.
  t.flat_per_kwh = 100;
  t.adder_per_kwh = 14;
  EXPECT_EQ(t.price(hours[0].first), 114);
}

}  // namespace
}  // namespace capsim
