#pragma once
// Reading JSON input files (scenarios, catalogs, studies) with messages that name the file and place.
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/errors.hpp"
#include "models/common/params.hpp"
#include "models/common/sha256.hpp"

namespace capsim {

// The whole file; InputError "PATH: cannot open the file (reason)" if it cannot be read, or "PATH: expected
// a regular file, found ..." for a directory, FIFO or device (which would read as empty, block or never end).
std::string read_text_file(const std::string& path);
// The SHA-256 and size of a file, read in chunks (a trace may be large); the same errors as read_text_file.
FileDigest digest_file(const std::string& path, const std::string& what);
// Throws that InputError unless `path` is a regular file (after symlinks); `what` is what was expected
// ("a regular file", "an SWF trace file").
void require_regular_file(const std::string& path, const std::string& what);
// Throws InputError "ORIGIN:LINE:COLUMN: expected arrays and objects nested at most 64 levels deep, ..." for
// deeper input, which would overflow the stack while parsed or destroyed.
void check_json_depth(std::string_view text, const std::string& origin);
// Parses JSON; InputError "ORIGIN:LINE:COLUMN: not valid JSON: ..." on a syntax error.
nlohmann::json parse_json_text(std::string_view text, const std::string& origin);

// Reads fields of a catalog (hardware, sites): every failure names the catalog and the dotted path.
struct CatalogReader {
  const std::string& origin;
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(origin + ": " + path + ": " + what);
  }
  const nlohmann::json& field(const nlohmann::json& o, const std::string& path, const std::string& key) const {
    if (!o.is_object() || !o.contains(key)) fail(path, "missing required key `" + key + "`");
    return o[key];
  }
  // A positive number (or, with positive = false, a non-negative one), at most `max`.
  double number(const nlohmann::json& o, const std::string& path, const std::string& key, bool positive = true,
                double max = 1e15) const {
    const nlohmann::json& v = field(o, path, key);
    if (!v.is_number() || (positive && v.get<double>() <= 0) || v.get<double>() < 0 || v.get<double>() > max) {
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", max);
      fail(path + "." + key, std::string("expected a ") + (positive ? "positive" : "non-negative") + " number of at most " + limit +
                                 ", found " + v.dump());
    }
    return v.get<double>();
  }
  // The catalog format version, when given: 1.
  void version(const nlohmann::json& doc) const {
    if (doc.is_object() && doc.contains("catalog_version") && doc["catalog_version"] != 1)
      fail("catalog_version", "expected catalog format version 1, found " + doc["catalog_version"].dump());
  }
  std::string text(const nlohmann::json& o, const std::string& path, const std::string& key) const {
    const nlohmann::json& v = field(o, path, key);
    if (!v.is_string()) fail(path + "." + key, "expected a string, found " + v.dump());
    return v.get<std::string>();
  }
  // Every catalog entry names its sources.
  void sourced(const nlohmann::json& o, const std::string& path) const {
    const nlohmann::json& s = field(o, path, "sources");
    if (!s.is_array() || s.empty()) fail(path + ".sources", "expected a non-empty array of sources, found " + s.dump());
  }
};

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

// The value at a dotted path of nested objects ("cost.usd.capex"), or nullptr if any key is missing.
inline const nlohmann::json* find_dotted(const nlohmann::json& doc, const std::string& dotted) {
  const nlohmann::json* cur = &doc;
  std::size_t pos = 0;
  while (true) {
    std::size_t dot = dotted.find('.', pos);
    std::string key = dotted.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    if (dot == std::string::npos) return cur;
    pos = dot + 1;
  }
}

}  // namespace capsim
