#include "models/site/site.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "models/common/calendar.hpp"
#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/common/params.hpp"

namespace capsim {
using nlohmann::json;

double Tariff::price(const LocalTime& t) const {
  if (!hourly_per_kwh.empty()) return hourly_per_kwh[hour_of_year(t)] + adder_per_kwh;
  for (const auto& b : bands) {
    if (std::find(b.months.begin(), b.months.end(), t.month) == b.months.end()) continue;
    for (auto [from, to] : b.hours)
      if (t.hour >= from && t.hour < to) return b.price_per_kwh + adder_per_kwh;
  }
  return flat_per_kwh + adder_per_kwh;
}

std::vector<MonthlyDemand> monthly_demand_charges(const Tariff& t, const std::vector<std::pair<LocalTime, double>>& hourly_w) {
  std::vector<MonthlyDemand> months;
  std::vector<double> hours;
  for (const auto& [lt, w] : hourly_w) {
    if (months.empty() || months.back().year != lt.year || months.back().month != lt.month) {
      months.push_back({lt.year, lt.month});
      hours.push_back(0);
      months.back().share = 1.0 / (lt.days_in_month * 24);
    }
    months.back().peak_w = std::max(months.back().peak_w, w);
    hours.back() += 1;
  }
  auto index = [](const MonthlyDemand& m) { return m.year * 12 + m.month - 1; };
  for (std::size_t i = 0; i < months.size(); ++i) {
    MonthlyDemand& m = months[i];
    m.share *= hours[i];
    m.billed_w = m.peak_w;
    for (std::size_t j = 0; j < i; ++j)
      if (index(m) - index(months[j]) <= 11 &&
          std::find(t.ratchet_months.begin(), t.ratchet_months.end(), months[j].month) != t.ratchet_months.end())
        m.billed_w = std::max(m.billed_w, months[j].peak_w);
    m.charge = t.demand_per_kw_month * m.billed_w / 1000 * m.share;
  }
  return months;
}

double site_temperature_c(const SiteSpec& s, const LocalTime& t, double half_range) {
  if (!s.hourly_c.empty()) return s.hourly_c[hour_of_year(t)];
  return hourly_temperature_c(s.monthly_mean_c, t.month, t.day, t.days_in_month, t.hour, half_range);
}

double site_carbon_g_per_kwh(const SiteSpec& s, const LocalTime& t) {
  if (!s.carbon_hourly_g_per_kwh.empty()) return s.carbon_hourly_g_per_kwh[hour_of_year(t)];
  if (s.carbon_by_year_g_per_kwh.empty()) return s.carbon_g_per_kwh;
  const auto& by_year = s.carbon_by_year_g_per_kwh;
  if (t.year <= by_year.begin()->first) return by_year.begin()->second;
  if (t.year >= by_year.rbegin()->first) return by_year.rbegin()->second;
  return by_year.at(t.year);
}

double CoolingModel::cooling_share(double outside_c) const {
  return free + per_c * std::max(0.0, outside_c - threshold_c);
}

double hourly_temperature_c(const std::array<double, 12>& m, int month, int day, int days_in_month, int hour,
                            double half_range) {
  // Position within the year in months, with mid-month (day (n+1)/2) at integer + 0.5.
  double pos = (month - 1) + (day - 0.5) / days_in_month;  // 0..12
  double x = pos - 0.5;                                    // mid-January at 0
  int i = static_cast<int>(std::floor(x));
  double f = x - i;
  double a = m[((i % 12) + 12) % 12], b = m[(((i + 1) % 12) + 12) % 12];
  double daily = a + (b - a) * f;
  return daily + half_range * std::cos(2 * M_PI * (hour - 15) / 24.0);
}

namespace {


// An hourly series: 8,760 numbers for the hours of a 365-day year from 1 January 00:00 local time.
std::vector<double> read_series(const CatalogReader& r, const json& o, const std::string& path, const std::string& key, bool non_negative) {
  const json& v = r.field(o, path, key);
  if (!v.is_array() || v.size() != 8760)
    r.fail(path + "." + key, "expected 8760 hourly values (a 365-day year from 1 January 00:00 local time), found " +
                                 (v.is_array() ? std::to_string(v.size()) + " values" : v.dump().substr(0, 40)));
  std::vector<double> out;
  out.reserve(8760);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number() || (non_negative && v[i].get<double>() < 0))
      r.fail(path + "." + key + "." + std::to_string(i), std::string("expected a ") + (non_negative ? "non-negative " : "") + "number, found " + v[i].dump());
    out.push_back(v[i].get<double>());
  }
  return out;
}

Tariff read_tariff(const CatalogReader& r, const json& t, const std::string& path) {
  Tariff out;
  out.currency = r.text(t, path, "currency");
  std::string kind = r.text(t, path, "kind");
  if (kind == "flat") {
    out.flat_per_kwh = r.number(t, path, "price_per_kwh");
  } else if (kind == "time_of_use") {
    out.flat_per_kwh = r.number(t, path, "default_price_per_kwh");
    const json& bands = r.field(t, path, "bands");
    if (!bands.is_array()) r.fail(path + ".bands", "expected an array");
    for (std::size_t i = 0; i < bands.size(); ++i) {
      std::string bp = path + ".bands." + std::to_string(i);
      TariffBand b;
      b.price_per_kwh = r.number(bands[i], bp, "price_per_kwh");
      for (const auto& m : r.field(bands[i], bp, "months")) {
        if (!m.is_number_integer() || m.get<long long>() < 1 || m.get<long long>() > 12) r.fail(bp + ".months", "expected months 1-12, found " + m.dump());
        b.months.push_back(m.get<int>());
      }
      for (const auto& h : r.field(bands[i], bp, "hours")) {
        if (!h.is_array() || h.size() != 2 || !h[0].is_number_integer() || !h[1].is_number_integer() || h[0].get<long long>() < 0 ||
            h[1].get<long long>() > 24 || h[0].get<long long>() >= h[1].get<long long>())
          r.fail(bp + ".hours", "expected [from, to) hour pairs within 0-24, found " + h.dump());
        b.hours.emplace_back(h[0].get<int>(), h[1].get<int>());
      }
      out.bands.push_back(b);
    }
  } else if (kind == "hourly") {
    out.hourly_per_kwh = read_series(r, t, path, "prices_per_kwh", true);
  } else {
    r.fail(path + ".kind", "expected \"flat\", \"time_of_use\" or \"hourly\", found \"" + kind + "\"");
  }
  if (t.contains("adder_per_kwh")) out.adder_per_kwh = r.number(t, path, "adder_per_kwh", false);
  if (t.contains("demand_charge_per_kw_month")) out.demand_per_kw_month = r.number(t, path, "demand_charge_per_kw_month", false);
  if (t.contains("demand_ratchet_months")) {
    if (!t["demand_ratchet_months"].is_array()) r.fail(path + ".demand_ratchet_months", "expected an array of months 1-12");
    for (const auto& m : r.field(t, path, "demand_ratchet_months")) {
      if (!m.is_number_integer() || m.get<long long>() < 1 || m.get<long long>() > 12)
        r.fail(path + ".demand_ratchet_months", "expected months 1-12, found " + m.dump());
      out.ratchet_months.push_back(m.get<int>());
    }
  }
  return out;
}

}  // namespace

SiteCatalog load_site_catalog_text(std::string_view text, const std::string& origin) {
  json doc = parse_json_text(text, origin);
  CatalogReader r{origin};
  SiteCatalog c;
  c.origin = origin;
  r.version(doc);
  const json& sites = r.field(doc, "(top level)", "sites");
  if (!sites.is_object()) r.fail("sites", "expected an object keyed by site name");
  for (const auto& [key, s] : sites.items()) {
    std::string path = "sites." + key;
    SiteSpec o;
    o.key = key;
    o.name = r.text(s, path, "name");
    o.region = r.text(s, path, "region");
    o.country = r.text(s, path, "country");
    if (s.contains("utc_offset")) {
      const json& u = s["utc_offset"];
      std::optional<int> off = u.is_string() ? params::parse_iso8601_offset("2000-01-01T00:00:00" + u.get<std::string>()) : std::nullopt;
      if (!off) r.fail(path + ".utc_offset", "expected an offset like \"+09:00\", found " + u.dump());
      o.utc_offset_s = *off;
    }
    o.grid_limit_w = r.number(s, path, "grid_limit_mw") * 1e6;
    o.grid_available = r.text(s, path, "grid_available");
    o.tariff = read_tariff(r, r.field(s, path, "tariff"), path + ".tariff");
    o.carbon_g_per_kwh = r.number(s, path, "carbon_gco2_per_kwh", false);
    if (s.contains("carbon_gco2_per_kwh_by_year")) {
      const json& by = s["carbon_gco2_per_kwh_by_year"];
      const std::string at = path + ".carbon_gco2_per_kwh_by_year";
      if (!by.is_object() || by.empty()) r.fail(at, "expected an object of years, e.g. {\"2030\": 322.1}");
      for (const auto& [year, v] : by.items()) {
        if (year.size() != 4 || !std::all_of(year.begin(), year.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
          r.fail(at + "." + year, "expected a four-digit year");
        if (!v.is_number() || v.get<double>() < 0) r.fail(at + "." + year, "expected a non-negative number, found " + v.dump());
        o.carbon_by_year_g_per_kwh[std::stoi(year)] = v.get<double>();
      }
      const int first = o.carbon_by_year_g_per_kwh.begin()->first, last = o.carbon_by_year_g_per_kwh.rbegin()->first;
      if (last - first + 1 != static_cast<int>(o.carbon_by_year_g_per_kwh.size())) r.fail(at, "expected every year from " + std::to_string(first) + " to " + std::to_string(last));
    }
    if (s.contains("carbon_hourly_gco2_per_kwh")) o.carbon_hourly_g_per_kwh = read_series(r, s, path, "carbon_hourly_gco2_per_kwh", true);
    if (r.field(s, path, "climate").contains("hourly_c")) o.hourly_c = read_series(r, s["climate"], path + ".climate", "hourly_c", false);
    const json& monthly = r.field(r.field(s, path, "climate"), path + ".climate", "monthly_mean_c");
    if (!monthly.is_array() || monthly.size() != 12) r.fail(path + ".climate.monthly_mean_c", "expected 12 monthly means");
    for (int i = 0; i < 12; ++i) {
      // Earth's records are -89 and 57 C: anything outside is a typo that would give absurd PUEs.
      if (!monthly[i].is_number() || monthly[i].get<double>() < -90 || monthly[i].get<double>() > 60)
        r.fail(path + ".climate.monthly_mean_c." + std::to_string(i), "expected a temperature from -90 to 60 C, found " + monthly[i].dump());
      o.monthly_mean_c[i] = monthly[i].get<double>();
    }
    if (s.contains("wue_l_per_kwh")) o.wue_l_per_kwh = r.number(s, path, "wue_l_per_kwh", false);
    const json& cc = r.field(s, path, "construction_cost_per_mw");
    o.construction_per_mw = r.number(cc, path + ".construction_cost_per_mw", "amount");
    o.construction_currency = r.text(cc, path + ".construction_cost_per_mw", "currency");
    if (s.contains("land_cost_per_mw")) {
      const json& lc = s["land_cost_per_mw"];
      double land = r.number(lc, path + ".land_cost_per_mw", "amount", false);
      if (r.text(lc, path + ".land_cost_per_mw", "currency") != o.construction_currency)
        r.fail(path + ".land_cost_per_mw.currency", "expected the construction cost's currency " + o.construction_currency);
      o.land_per_mw = land;
    }
    r.sourced(s, path);
    if (s.contains("estimates"))
      for (const auto& e : s["estimates"]) o.estimates.push_back(e.get<std::string>());
    c.sites.emplace(key, o);
  }
  return c;
}


const SiteCatalog& builtin_site_catalog() {
  static const SiteCatalog c = load_site_catalog_text(builtin_sites_json(), "built-in site catalog");
  return c;
}

const SiteSpec& SiteCatalog::site(const std::string& key, const std::string& where) const {
  return lookup_or_suggest(sites, key, where, "site", origin);
}

}  // namespace capsim
