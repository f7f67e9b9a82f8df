#pragma once
// The cost catalog (scenarios/catalog/costs.json): exchange rates and sourced default cost figures.
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "models/cost/cost.hpp"

namespace capsim {

struct CostCatalog {
  ExchangeRates fx;
  std::map<std::string, Money> node_prices;  // by node type
  Money network_per_gpu, facility_per_mw, electricity_price, staff_per_mw_year;
  double server_life_years = 0, facility_life_years = 0, maintenance_share_per_year = 0, discount_rate = 0;
  std::set<std::string> estimates;  // the entries flagged as estimates: "node_prices.b200-8", "discount_rate"
  std::string currencies() const;  // "KRW, USD"
};

std::string format_money(const Money& m);
std::string_view builtin_costs_json();
CostCatalog load_cost_catalog_text(std::string_view text, const std::string& origin);
const CostCatalog& builtin_cost_catalog();

}  // namespace capsim
