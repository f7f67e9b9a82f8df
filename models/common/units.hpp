#pragma once
// Quantities with units, written as strings in scenario files ("700 W", "400 Gbps", "30 d").
// Everything is converted to SI base units on parsing: seconds, watts, joules, bits per second, bytes.
#include <string>
#include <string_view>

namespace capsim::units {

enum class Dimension { time, power, energy, data_rate, data_size };

// Name of the base unit a dimension is converted to ("s", "W", ...).
std::string_view base_unit(Dimension d);
std::string_view dimension_name(Dimension d);
// Accepted unit symbols for a dimension, for messages and docs ("s, min, h, d, w, y").
std::string accepted_units(Dimension d);

struct ParseResult {
  bool ok = false;
  double value = 0.0;  // in the base unit
  std::string error;   // why it failed, when !ok
};

// Parses "<number> <unit>" (the space is optional). The number may have a decimal part and an exponent.
ParseResult parse(std::string_view text, Dimension d);

// Formats a base-unit value with the most readable unit of the dimension, e.g. 5400 s -> "1.5 h".
std::string format(double base_value, Dimension d);

}  // namespace capsim::units
