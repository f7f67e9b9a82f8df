#pragma once
// Sites (scenarios/catalog/sites.json): grid connection, electricity tariff, grid carbon intensity, climate,
// construction cost; and the facility model that turns IT power into facility power at a site.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

struct TariffBand {
  std::vector<int> months;                  // 1-12
  std::vector<std::pair<int, int>> hours;   // [from, to) local hours
  double price_per_kwh = 0;
};

struct LocalTime;

struct Tariff {
  std::string currency;
  double flat_per_kwh = 0;  // used when bands is empty, and for hours no band covers
  std::vector<TariffBand> bands;
  std::vector<double> hourly_per_kwh;  // "hourly": 8,760 prices, from 1 January 00:00 local time
  double adder_per_kwh = 0;            // per-kWh charges on top of the energy price (levies, fuel adjustment)
  double demand_per_kw_month = 0;      // demand (capacity) charge on each month's billing demand
  std::vector<int> ratchet_months;     // months (1-12) whose peaks set the billing demand for 11 months after
  // Price of one kWh in `currency` at a local time, adders included.
  double price(const LocalTime& t) const;
};

// One calendar month's demand charge.
struct MonthlyDemand {
  int year = 0, month = 0;
  double peak_w = 0;    // highest hourly mean power of the month (within the window)
  double billed_w = 0;  // the billing demand: the peak, or a higher ratchet-month peak of the last 11 months
  double share = 0;     // hours of the month inside the window / hours of the month
  double charge = 0;    // demand_per_kw_month x billed kW x share, in the tariff's currency
};
// Demand charges for a window given its hourly mean power in time order, one (local time, watts) pair per
// hour. Months before the window are unknown: the ratchet sees only months inside it.
std::vector<MonthlyDemand> monthly_demand_charges(const Tariff& t, const std::vector<std::pair<LocalTime, double>>& hourly_w);

struct SiteSpec {
  std::string key, name, region, country;
  std::optional<int> utc_offset_s;  // standard time (no daylight saving); local hours of tariff, climate, carbon
  double grid_limit_w = 0;
  std::string grid_available;  // ISO date
  Tariff tariff;
  double carbon_g_per_kwh = 0;                // annual mean
  std::map<int, double> carbon_by_year_g_per_kwh;  // projected annual means by calendar year, when known
  std::vector<double> carbon_hourly_g_per_kwh;  // 8,760 values when known
  std::array<double, 12> monthly_mean_c{};
  std::vector<double> hourly_c;                 // 8,760 dry-bulb temperatures when known
  std::optional<double> wue_l_per_kwh;
  double construction_per_mw = 0;  // in construction_currency
  double land_per_mw = 0;
  std::string construction_currency;
  std::vector<std::string> estimates;  // field names whose values are estimates
};

// The site's outside temperature at a local time: its hourly series if it has one, else the expansion of
// its monthly means (hourly_temperature_c below).
double site_temperature_c(const SiteSpec& s, const LocalTime& t, double diurnal_half_range_c);
// The site's grid carbon intensity at a local time: its hourly series if it has one, else its projection
// for that year (the nearest year listed outside their range), else its annual mean.
double site_carbon_g_per_kwh(const SiteSpec& s, const LocalTime& t);

struct SiteCatalog {
  std::string origin;
  std::map<std::string, SiteSpec> sites;
  const SiteSpec& site(const std::string& key, const std::string& where) const;
};

std::string_view builtin_sites_json();
SiteCatalog load_site_catalog_text(std::string_view text, const std::string& origin);
const SiteCatalog& builtin_site_catalog();

// Hourly dry-bulb temperature from monthly means: linear between mid-month values (the year wraps), plus
// a daily cycle of +/- diurnal_half_range_c peaking at 15:00 local time. An estimate, flagged as such.
double hourly_temperature_c(const std::array<double, 12>& monthly_mean_c, int month, int day_of_month,
                            int days_in_month, int hour, double diurnal_half_range_c);

// Facility power = IT power x (1 + cooling share(T)) + fixed power. The cooling share is `free` below
// `threshold_c` (free cooling) and rises by `per_c` per degree above it; the fixed power (UPS, lighting,
// controls) is `fixed_share` of the design IT power. PUE = facility / IT therefore falls with load and
// rises with outside temperature.
struct CoolingModel {
  double free = 0.03, per_c = 0.004, threshold_c = 20, fixed_share = 0.04;
  double cooling_share(double outside_c) const;
};

}  // namespace capsim
