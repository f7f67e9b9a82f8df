#include "models/cost.hpp"

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
  r.capex_usd = in.hardware_capex_usd + in.facility_capex_usd;
  r.depreciation_per_year_usd = in.hardware_capex_usd / in.server_life_y + in.facility_capex_usd / in.facility_life_y;
  const double fixed_per_year = in.hardware_capex_usd * in.maintenance_share_per_year + in.staff_per_year_usd;
  double years = 0, electricity = 0;
  for (std::size_t y = 0; y < in.year_fraction.size(); ++y) {
    years += in.year_fraction[y];
    electricity += in.electricity_usd_by_year[y];
  }
  r.electricity_per_year_usd = years > 0 ? electricity / years : 0;
  r.opex_per_year_usd = r.electricity_per_year_usd + fixed_per_year;
  r.total_per_year_usd = r.depreciation_per_year_usd + r.opex_per_year_usd;

  std::vector<Purchase> hardware = in.hardware;
  if (hardware.empty()) hardware.push_back({in.hardware_capex_usd, 0, years});
  r.cash_flow_usd.assign(in.year_fraction.size() + 1, 0.0);
  r.cash_flow_usd[0] -= in.facility_capex_usd;
  double residual = std::max(0.0, in.facility_capex_usd * (1 - years / in.facility_life_y));
  for (const Purchase& p : hardware) {
    r.cash_flow_usd[std::min<std::size_t>(p.year, r.cash_flow_usd.size() - 1)] -= p.usd;
    residual += std::max(0.0, p.usd * (1 - p.years_in_service / in.server_life_y));
  }
  for (std::size_t y = 0; y < in.year_fraction.size(); ++y)
    r.cash_flow_usd[y + 1] -= in.electricity_usd_by_year[y] + fixed_per_year * in.year_fraction[y];
  if (!in.year_fraction.empty()) r.cash_flow_usd.back() += residual;
  for (std::size_t y = 0; y < r.cash_flow_usd.size(); ++y)
    r.npv_usd += r.cash_flow_usd[y] / std::pow(1 + in.discount_rate, static_cast<double>(y));
  return r;
}

}  // namespace capsim
