#include <gtest/gtest.h>

#include "models/common/units.hpp"

namespace capsim::units {
namespace {

TEST(Units, ParsesEachDimension) {
  EXPECT_DOUBLE_EQ(parse("700 W", Dimension::power).value, 700);
  EXPECT_DOUBLE_EQ(parse("10.2 kW", Dimension::power).value, 10200);
  EXPECT_DOUBLE_EQ(parse("1.5MW", Dimension::power).value, 1.5e6);
  EXPECT_DOUBLE_EQ(parse("30 d", Dimension::time).value, 30 * 86400);
  EXPECT_DOUBLE_EQ(parse("2 h", Dimension::time).value, 7200);
  EXPECT_DOUBLE_EQ(parse("31.5 s", Dimension::time).value, 31.5);
  EXPECT_DOUBLE_EQ(parse("1 y", Dimension::time).value, 365 * 86400);
  EXPECT_DOUBLE_EQ(parse("400 Gbps", Dimension::data_rate).value, 400e9);
  EXPECT_DOUBLE_EQ(parse("80 GB", Dimension::data_size).value, 80e9);
  EXPECT_DOUBLE_EQ(parse("2 GiB", Dimension::data_size).value, 2.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(parse("1 MWh", Dimension::energy).value, 3.6e9);
  EXPECT_DOUBLE_EQ(parse("  1e3 W ", Dimension::power).value, 1000);
}

TEST(Units, RejectsWithReasons) {
  auto r = parse("30 days", Dimension::time);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "unknown duration unit \"days\" in \"30 days\" (expected one of: s, min, h, d, w, y, ms, us, ns)");
  EXPECT_FALSE(parse("30", Dimension::time).ok);
  EXPECT_FALSE(parse("W", Dimension::power).ok);
  EXPECT_FALSE(parse("", Dimension::power).ok);
  EXPECT_FALSE(parse("700 w", Dimension::power).ok);  // units are case-sensitive: w is weeks, not watts
  EXPECT_FALSE(parse("7 h", Dimension::power).ok);     // a time unit is not a power unit
  EXPECT_FALSE(parse("inf W", Dimension::power).ok);
}

TEST(Units, FormatsReadably) {
  EXPECT_EQ(format(30 * 86400, Dimension::time), "30 d");
  EXPECT_EQ(format(5400, Dimension::time), "1.5 h");
  EXPECT_EQ(format(100, Dimension::time), "100 s");
  EXPECT_EQ(format(2000, Dimension::power), "2 kW");
  EXPECT_EQ(format(10200, Dimension::power), "10.2 kW");
  EXPECT_EQ(format(0.5, Dimension::time), "0.5 s");
  // Round trip.
  for (double v : {1.0, 59.0, 3600.0, 12345.0, 7 * 86400.0})
    EXPECT_DOUBLE_EQ(parse(format(v, Dimension::time), Dimension::time).value, v);
}

}  // namespace
}  // namespace capsim::units
