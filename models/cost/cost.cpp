#include "models/cost/cost.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace capsim {

std::optional<Money> parse_money(const std::string& text) {
  double amount = 0;
  char code[8] = {};
  int used = 0;
  if (std::sscanf(text.c_str(), " %lf %3[A-Z]%n", &amount, code, &used) != 2) return std::nullopt;
  if (used != static_cast<int>(text.size()) || std::string(code).size() != 3 || !std::isfinite(amount)) return std::nullopt;
  return Money{amount, code};
}

CostResult compute_costs(const CostInputs& in) {
  CostResult r;
  std::vector<Purchase> hardware = in.hardware;
  if (hardware.empty()) hardware.push_back({in.hardware_capex_usd, 0});
  double years = 0, electricity = 0;
  for (std::size_t y = 0; y < in.year_fraction.size(); ++y) {
    years += in.year_fraction[y];
    electricity += in.electricity_usd_by_year[y];
  }
  // Years a purchase is in service within [a, b) of the window.
  auto in_service = [](const Purchase& p, double a, double b) {
    return std::max(0.0, std::min(b, p.end_y) - std::max(a, p.start_y));
  };
  // Years within [a, b) it depreciates in: in service and within its life (straight line from its purchase).
  auto depreciating = [&](const Purchase& p, double a, double b) {
    return std::max(0.0, std::min(std::min(b, p.end_y), p.start_y + in.server_life_y) - std::max(a, p.start_y));
  };
  // What it costs to hold at the window's start or when it arrives: its price, or its book value at the
  // window's start if bought before it; and its book value when it leaves the window.
  auto entry = [&](const Purchase& p) { return p.start_y < 0 ? p.usd * std::max(0.0, 1 + p.start_y / in.server_life_y) : p.usd; };
  auto residual_of = [&](const Purchase& p) {
    return std::max(0.0, p.usd * (1 - std::max(0.0, std::min(years, p.end_y) - p.start_y) / in.server_life_y));
  };
  double depreciation = in.facility_capex_usd / in.facility_life_y * years, maintenance = 0;
  for (const Purchase& p : hardware) {
    r.capex_usd += p.usd;
    depreciation += p.usd / in.server_life_y * depreciating(p, 0, years);
    maintenance += p.usd * in.maintenance_share_per_year * in_service(p, 0, years);
  }
  r.capex_usd += in.facility_capex_usd;
  const double per_year = years > 0 ? 1 / years : 0;
  r.depreciation_per_year_usd = depreciation * per_year;
  r.electricity_per_year_usd = electricity * per_year;
  r.opex_per_year_usd = (electricity + maintenance) * per_year + in.staff_per_year_usd;
  r.total_per_year_usd = r.depreciation_per_year_usd + r.opex_per_year_usd;

  r.cash_flow_usd.assign(in.year_fraction.size() + 1, 0.0);
  r.cash_flow_usd[0] -= in.facility_capex_usd;
  double residual = std::max(0.0, in.facility_capex_usd * (1 - years / in.facility_life_y));
  for (const Purchase& p : hardware) {
    std::size_t year = static_cast<std::size_t>(std::floor(std::max(0.0, p.start_y)));
    r.cash_flow_usd[std::min(year, r.cash_flow_usd.size() - 1)] -= entry(p);
    residual += residual_of(p);
  }
  double a = 0;
  for (std::size_t y = 0; y < in.year_fraction.size(); ++y) {
    double b = a + in.year_fraction[y];
    double upkeep = in.staff_per_year_usd * in.year_fraction[y];
    for (const Purchase& p : hardware) upkeep += p.usd * in.maintenance_share_per_year * in_service(p, a, b);
    r.cash_flow_usd[y + 1] -= in.electricity_usd_by_year[y] + upkeep;
    a = b;
  }
  if (!in.year_fraction.empty()) r.cash_flow_usd.back() += residual;
  auto discounted = [&](double usd, double at_y) { return usd / std::pow(1 + in.discount_rate, at_y); };
  for (std::size_t y = 0; y < r.cash_flow_usd.size(); ++y) r.npv_window_usd += discounted(r.cash_flow_usd[y], static_cast<double>(y));

  const double life = in.server_life_y;
  r.npv_lifetime_usd = -in.facility_capex_usd;
  for (const Purchase& p : hardware) r.npv_lifetime_usd -= discounted(entry(p), std::floor(std::max(0.0, p.start_y)));
  for (double end = 1; end - 1 < life; ++end) {
    const double at = std::min(end, life);
    r.npv_lifetime_usd -= discounted(r.opex_per_year_usd * (at - (end - 1)), at);
  }
  r.npv_lifetime_usd += discounted(std::max(0.0, in.facility_capex_usd * (1 - life / in.facility_life_y)), life);
  return r;
}

}  // namespace capsim
