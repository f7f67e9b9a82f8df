#pragma once
// Local calendar time of simulated seconds, for tariffs, profiles and climate (proleptic Gregorian,
// fixed UTC offset of the scenario's `start`).
#include <cmath>
#include <cstdio>
#include <string>

namespace capsim {

struct LocalTime {
  int year = 1970, month = 1, day = 1, hour = 0;  // month 1-12, day 1-31, hour 0-23
  int weekday = 3;                                 // 0 = Monday
  int days_in_month = 31;
};

inline LocalTime local_time(long long unix_local_s) {
  long long days = unix_local_s >= 0 ? unix_local_s / 86400 : (unix_local_s - 86399) / 86400;
  LocalTime t;
  t.hour = static_cast<int>((unix_local_s - days * 86400) / 3600);
  t.weekday = static_cast<int>(((days + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  // Civil from days (Howard Hinnant's algorithm).
  long long z = days + 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(y + (t.month <= 2));
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (t.year % 4 == 0 && t.year % 100 != 0) || t.year % 400 == 0;
  t.days_in_month = mdays[t.month - 1] + (t.month == 2 && leap ? 1 : 0);
  return t;
}

// Index 0-8759 of a local hour in a 365-day year (series start on 1 January 00:00); 29 February reuses
// the hours of 28 February.
inline int hour_of_year(const LocalTime& t) {
  static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int day = before[t.month - 1] + (t.month == 2 && t.day == 29 ? 28 : t.day) - 1;
  return day * 24 + t.hour;
}

// Local time of simulated time `t_s` for a run starting at Unix time `start_epoch_s` with `utc_offset_s`.
inline LocalTime local_time(double t_s, long long start_epoch_s, int utc_offset_s) {
  return local_time(static_cast<long long>(std::floor(t_s)) + start_epoch_s + utc_offset_s);
}

// "2026-01-01T09:30:00+09:00": ISO 8601 local time of a Unix time at a fixed UTC offset (whole seconds).
inline std::string iso_local(long long unix_s, int utc_offset_s) {
  const long long local = unix_s + utc_offset_s;
  const LocalTime t = local_time(local);
  const long long in_hour = ((local % 3600) + 3600) % 3600;
  const int off = utc_offset_s < 0 ? -utc_offset_s : utc_offset_s;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02lld:%02lld%c%02d:%02d", t.year, t.month, t.day, t.hour, in_hour / 60, in_hour % 60,
                utc_offset_s < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
  return buf;
}

}  // namespace capsim
