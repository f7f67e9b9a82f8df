#include "models/common/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <span>

namespace capsim::units {
namespace {

struct Unit {
  std::string_view symbol;
  double factor;  // base units per one of this unit
};

// A year is 365 days: simulated calendars use days, and analysts read "1 y" as 8,760 hours.
constexpr std::array time_units{Unit{"s", 1.0},        Unit{"min", 60.0},      Unit{"h", 3600.0},
                                Unit{"d", 86400.0},    Unit{"w", 604800.0},    Unit{"y", 31536000.0},
                                Unit{"ms", 1e-3},      Unit{"us", 1e-6},       Unit{"ns", 1e-9}};
constexpr std::array power_units{Unit{"W", 1.0}, Unit{"kW", 1e3}, Unit{"MW", 1e6}, Unit{"GW", 1e9}};
constexpr std::array energy_units{Unit{"J", 1.0},       Unit{"kJ", 1e3},         Unit{"MJ", 1e6},
                                  Unit{"Wh", 3600.0},   Unit{"kWh", 3.6e6},      Unit{"MWh", 3.6e9},
                                  Unit{"GWh", 3.6e12}};
constexpr std::array rate_units{Unit{"bps", 1.0}, Unit{"kbps", 1e3}, Unit{"Mbps", 1e6}, Unit{"Gbps", 1e9},
                                Unit{"Tbps", 1e12}};
constexpr std::array size_units{Unit{"B", 1.0},      Unit{"kB", 1e3},        Unit{"MB", 1e6},
                                Unit{"GB", 1e9},     Unit{"TB", 1e12},       Unit{"PB", 1e15},
                                Unit{"KiB", 1024.0}, Unit{"MiB", 1048576.0}, Unit{"GiB", 1073741824.0}};

std::span<const Unit> units_of(Dimension d) {
  switch (d) {
    case Dimension::time: return time_units;
    case Dimension::power: return power_units;
    case Dimension::energy: return energy_units;
    case Dimension::data_rate: return rate_units;
    case Dimension::data_size: return size_units;
  }
  return {};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view base_unit(Dimension d) { return units_of(d).front().symbol; }

std::string_view dimension_name(Dimension d) {
  switch (d) {
    case Dimension::time: return "duration";
    case Dimension::power: return "power";
    case Dimension::energy: return "energy";
    case Dimension::data_rate: return "data rate";
    case Dimension::data_size: return "data size";
  }
  return "?";
}

std::string accepted_units(Dimension d) {
  std::string out;
  for (const Unit& u : units_of(d)) {
    if (!out.empty()) out += ", ";
    out += u.symbol;
  }
  return out;
}

ParseResult parse(std::string_view text, Dimension d) {
  ParseResult r;
  std::string_view s = trim(text);
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  double number = 0.0;
  auto [ptr, ec] = std::from_chars(begin, end, number, std::chars_format::general);
  if (ec != std::errc() || ptr == begin) {
    r.error = "expected a " + std::string(dimension_name(d)) + " like \"10 " + std::string(units_of(d)[1].symbol) +
              "\" (a number then a unit), found \"" + std::string(text) + "\"";
    return r;
  }
  if (!std::isfinite(number)) {
    r.error = "expected a finite number, found \"" + std::string(text) + "\"";
    return r;
  }
  std::string_view unit = trim(std::string_view(ptr, end - ptr));
  if (unit.empty()) {
    r.error = "missing unit in \"" + std::string(text) + "\" (a " + std::string(dimension_name(d)) +
              " in one of: " + accepted_units(d) + ")";
    return r;
  }
  for (const Unit& u : units_of(d)) {
    if (u.symbol == unit) {
      r.ok = true;
      r.value = number * u.factor;
      return r;
    }
  }
  r.error = "unknown " + std::string(dimension_name(d)) + " unit \"" + std::string(unit) + "\" in \"" +
            std::string(text) + "\" (expected one of: " + accepted_units(d) + ")";
  return r;
}

std::string format(double base_value, Dimension d) {
  auto us = units_of(d);
  // The largest unit giving a value of at least 1 with at most three decimals ("10.2 kW", "1.5 h",
  // "30 d" rather than "4.28571 w"); else the largest unit not above the value. Never sub-base units.
  const Unit* neat = nullptr;
  const Unit* below = &us.front();
  for (const Unit& u : us) {
    if (u.factor < 1.0) continue;
    double q = base_value / u.factor;
    double milli = q * 1000;
    if (std::fabs(q) >= 1.0 && std::fabs(milli - std::round(milli)) < 1e-6 * std::fabs(milli) &&
        (!neat || u.factor > neat->factor))
      neat = &u;
    if (std::fabs(base_value) >= u.factor && u.factor > below->factor) below = &u;
  }
  const Unit* best = neat ? neat : below;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g %s", base_value / best->factor, std::string(best->symbol).c_str());
  return buf;
}

}  // namespace capsim::units
