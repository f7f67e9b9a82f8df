#pragma once
// Money and the cost model: capex, depreciation, opex, cost per delivered GPU-hour and FLOP, and the net
// present cost over the horizon. Pure functions; all amounts in USD inside, converted at the edges.
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

struct Money {
  double amount = 0;
  std::string currency;
};
// "317000 USD", "8.3e9 KRW": a number, a space, a three-letter currency code.
std::optional<Money> parse_money(const std::string& text);

struct ExchangeRates {
  std::map<std::string, double> per_usd;  // units of the currency per US dollar
  double to_usd(const Money& m) const { return m.amount / per_usd.at(m.currency); }
  double from_usd(double usd, const std::string& currency) const { return usd * per_usd.at(currency); }
};

struct Purchase {
  double usd = 0;
  double start_y = 0;  // years from the window's start when it entered service (negative: bought before the window)
  double end_y = std::numeric_limits<double>::infinity();  // when it retires
};

struct CostInputs {
  double hardware_capex_usd = 0;  // nodes and network, all purchases
  std::vector<Purchase> hardware; // when bought; empty means all at year 0
  double facility_capex_usd = 0;  // building, power and cooling plant, land
  double server_life_y = 5, facility_life_y = 20;
  double maintenance_share_per_year = 0.05;  // of hardware capex
  double staff_per_year_usd = 0;
  std::vector<double> electricity_usd_by_year;  // simulated, per year of the window (last may be partial)
  std::vector<double> year_fraction;            // length of each of those years, in years (<= 1)
  double discount_rate = 0.07;
};

struct CostResult {
  double capex_usd = 0;
  double depreciation_per_year_usd = 0;
  double electricity_per_year_usd = 0;  // mean over the window, per 365 days
  double opex_per_year_usd = 0;         // electricity + maintenance + staff
  double total_per_year_usd = 0;        // depreciation + opex
  double npv_window_usd = 0;            // net present value of the window's cash flows (negative: a cost)
  std::vector<double> cash_flow_usd;    // year 0 (capex), then each year of the window
  double npv_lifetime_usd = 0;          // over server_life_y from the window's start (compute_costs below)
};

// Year 0 pays the facility and the hardware in service from the start; hardware arriving later (buildout
// phases) is paid at the start of the year it arrives in. Hardware bought before the window counts at its
// book value at the window's start (straight line over the server life from its purchase), and depreciates
// only until the end of its life. Each year y of the window pays its opex:
// electricity as simulated, staff pro rata, maintenance on the hardware in service during that year. The
// remaining book value (straight line from each purchase's start of service) comes back at the end of the
// last year. Cash flows of year y are discounted by (1 + rate)^y. Per-year figures (depreciation,
// maintenance) are averages over the window, counting each purchase only while it is in service.
// The lifetime NPV runs over the servers' life from the window's start: each purchase paid in its year as
// above; every year (the last pro rata when the life is not whole) pays the window's opex per year, at
// its end; no hardware is replaced; the facility's straight-line book value comes back at the end of the
// life. Hardware bought late keeps no residual value (its remaining book value is not counted).
CostResult compute_costs(const CostInputs& in);

}  // namespace capsim
