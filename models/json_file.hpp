#pragma once
// Reading JSON input files (scenarios, catalogs, studies) with messages that name the file and place.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/errors.hpp"
#include "models/params.hpp"

namespace capsim {

// The whole file; InputError "PATH: cannot open the file (reason)" if it cannot be read.
std::string read_text_file(const std::string& path);
// Parses JSON; InputError "ORIGIN:LINE:COLUMN: not valid JSON: ..." on a syntax error.
nlohmann::json parse_json_text(std::string_view text, const std::string& origin);

// The entry `key` of a catalog map, or InputError "WHERE: unknown WHAT "key" in the ORIGIN, did you mean ...".
template <class Map>
const typename Map::mapped_type& lookup_or_suggest(const Map& m, const std::string& key, const std::string& where,
                                                   const std::string& what, const std::string& origin) {
  auto it = m.find(key);
  if (it != m.end()) return it->second;
  std::vector<std::string> keys;
  std::string all;
  for (const auto& [k, _] : m) {
    keys.push_back(k);
    all += (all.empty() ? "" : ", ") + k;
  }
  std::string hint = params::near_miss(key, keys);
  throw InputError(where + ": unknown " + what + " \"" + key + "\" in the " + origin +
                   (hint.empty() ? " (known: " + all + ")" : ", did you mean \"" + hint + "\"?"));
}

}  // namespace capsim
