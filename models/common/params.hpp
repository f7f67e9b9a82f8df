#pragma once
// Each scenario parameter is declared once, with its type, unit, default, valid range and help text.
// Validation (with the JSON path in every message), default filling, the JSON Schema printed by
// `capsim schema` and the tables in docs/scenario.md are all derived from these declarations.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/units.hpp"

namespace capsim::params {

enum class Kind { object, array, quantity, number, integer, string, boolean, datetime };

struct Param {
  std::string name;
  Kind kind = Kind::string;
  std::string help;
  nlohmann::json default_value;  // null: no default (then the key is required unless `optional`)
  bool optional = false;         // may be absent, with no default (e.g. filled from the catalog)
  std::string default_note;      // how an absent optional value is filled, for the docs
  units::Dimension dim = units::Dimension::time;
  std::optional<double> min, max;  // numbers and quantities (base units)
  bool min_exclusive = false;
  std::vector<std::string> choices;  // allowed strings
  std::string name_pattern;          // strings: a character class such as "a-z0-9_-" (no other check)
  std::vector<Param> fields;         // object
  bool free_form = false;            // object: any keys and values, checked by the loader (e.g. --set paths)
  std::string discriminator;         // object: field whose value selects one of `variants`
  std::map<std::string, std::vector<Param>> variants;
  std::shared_ptr<Param> items;  // array element
  std::size_t min_items = 0;
  std::size_t max_items = SIZE_MAX;
  // Applies only while one of these holds: a sibling key has one of the values (a string as written,
  // a boolean as "true" or "false", "set" for any value present), e.g. `pue` with `pue_model` "constant".
  // Written while none holds, it is an input error (never a silent no-op); left out, it is omitted from
  // the resolved document. Empty: always applies.
  struct ActiveWhen {
    std::string key;
    std::vector<std::string> values;
  };
  std::vector<ActiveWhen> active_when;
};

// Builders, so a declaration reads as one line.
Param quantity(std::string name, units::Dimension dim, nlohmann::json def, std::string help);
Param number(std::string name, nlohmann::json def, std::string help);
Param integer(std::string name, nlohmann::json def, std::string help);
Param string(std::string name, nlohmann::json def, std::string help);
Param datetime(std::string name, nlohmann::json def, std::string help);
Param boolean(std::string name, nlohmann::json def, std::string help);
Param object(std::string name, std::vector<Param> fields, std::string help);
Param free_object(std::string name, std::string help);
Param array(std::string name, Param items, std::string help);

Param& range(Param& p, std::optional<double> min, std::optional<double> max, bool min_exclusive = false);
Param& choices(Param& p, std::vector<std::string> allowed);
// A key that may be left out, with no default: the loader fills it or requires it in some mode; `note`
// says how, for the docs.
Param filled(Param p, std::string note);

// Validates `in` against `spec` and returns it with every default filled. Throws InputError whose
// message is "FILE: PATH: expected ..., found ..." (PATH is dotted, like --set paths).
nlohmann::json resolve(const nlohmann::json& in, const Param& spec, const std::string& file);

// Value of a quantity string already validated by resolve().
double quantity_value(const nlohmann::json& v, units::Dimension dim);

// Looks up the declaration of a dotted path ("workload.classes.0.share"), following variants as selected
// by `doc`. Returns nullptr if the path is unknown and sets `suggestion` to the nearest known key.
const Param* find(const Param& spec, const nlohmann::json& doc, const std::vector<std::string>& path,
                  std::string* known_prefix, std::string* bad_key, std::string* suggestion);

// Nearest candidate by edit distance, or "" if none is close.
std::string near_miss(const std::string& key, const std::vector<std::string>& candidates);

// Parses "2026-01-01T00:00:00+09:00" (or Z); returns seconds since the Unix epoch, or nullopt.
std::optional<long long> parse_iso8601(const std::string& text);
// The UTC offset of such a date-time in seconds (+09:00 -> 32400), or nullopt if it does not parse.
std::optional<int> parse_iso8601_offset(const std::string& text);

// The declared range as text ("from 1 to 3", "> 0 s"), "" if none.
std::string range_text(const Param& p);

nlohmann::json json_schema(const Param& spec);
std::string markdown(const Param& spec);

}  // namespace capsim::params
