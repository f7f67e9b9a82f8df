#include "models/common/params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "models/common/errors.hpp"

namespace capsim::params {
using nlohmann::json;

Param quantity(std::string name, units::Dimension dim, json def, std::string help) {
  Param p;
  p.name = std::move(name);
  p.kind = Kind::quantity;
  p.dim = dim;
  p.default_value = std::move(def);
  p.help = std::move(help);
  return p;
}
static Param simple(Kind k, std::string name, json def, std::string help) {
  Param p;
  p.name = std::move(name);
  p.kind = k;
  p.default_value = std::move(def);
  p.help = std::move(help);
  return p;
}
Param number(std::string n, json d, std::string h) { return simple(Kind::number, std::move(n), std::move(d), std::move(h)); }
Param integer(std::string n, json d, std::string h) { return simple(Kind::integer, std::move(n), std::move(d), std::move(h)); }
Param string(std::string n, json d, std::string h) { return simple(Kind::string, std::move(n), std::move(d), std::move(h)); }
Param datetime(std::string n, json d, std::string h) { return simple(Kind::datetime, std::move(n), std::move(d), std::move(h)); }
Param boolean(std::string n, json d, std::string h) { return simple(Kind::boolean, std::move(n), std::move(d), std::move(h)); }
Param free_object(std::string name, std::string help) {
  Param p = simple(Kind::object, std::move(name), json(), std::move(help));
  p.free_form = true;
  return p;
}
Param object(std::string name, std::vector<Param> fields, std::string help) {
  Param p = simple(Kind::object, std::move(name), json(), std::move(help));
  p.fields = std::move(fields);
  return p;
}
Param array(std::string name, Param items, std::string help) {
  Param p = simple(Kind::array, std::move(name), json(), std::move(help));
  p.items = std::make_shared<Param>(std::move(items));
  return p;
}
Param& range(Param& p, std::optional<double> min, std::optional<double> max, bool min_exclusive) {
  p.min = min;
  p.max = max;
  p.min_exclusive = min_exclusive;
  return p;
}
Param& choices(Param& p, std::vector<std::string> allowed) {
  p.choices = std::move(allowed);
  return p;
}
Param filled(Param p, std::string note) {
  p.optional = true;
  p.default_note = std::move(note);
  return p;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string describe(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string fmt_number(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 1e17) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}


std::string kind_text(const Param& p) {
  switch (p.kind) {
    case Kind::object: return "an object";
    case Kind::array: return "an array";
    case Kind::quantity: return "a " + std::string(units::dimension_name(p.dim)) + " string with a unit";
    case Kind::number: return "a number";
    case Kind::integer: return "an integer";
    case Kind::string: return "a string";
    case Kind::boolean: return "true or false";
    case Kind::datetime: return "an ISO 8601 date-time with a time zone";
  }
  return "?";
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

struct Resolver {
  const std::string& file;

  [[noreturn]] void fail(const std::string& path, const std::string& expected, const json& found) const {
    throw InputError(file + ": " + (path.empty() ? "(top level)" : path) + ": expected " + expected +
                     ", found " + describe(found));
  }

  void check_range(const Param& p, const std::string& path, double v, const json& found) const {
    bool low = p.min && (p.min_exclusive ? v <= *p.min : v < *p.min);
    bool high = p.max && v > *p.max;
    if (low || high) fail(path, kind_text(p) + " " + range_text(p), found);
  }

  // The fields that apply to an object value: common ones plus those of its selected variant.
  std::vector<const Param*> fields_for(const Param& spec, const json& in, const std::string& path) const {
    std::vector<const Param*> out;
    for (const Param& f : spec.fields) out.push_back(&f);
    if (!spec.discriminator.empty()) {
      const Param* disc = nullptr;
      for (const Param& f : spec.fields)
        if (f.name == spec.discriminator) disc = &f;
      std::string which = in.contains(spec.discriminator) && in[spec.discriminator].is_string()
                              ? in[spec.discriminator].get<std::string>()
                              : (disc && disc->default_value.is_string() ? disc->default_value.get<std::string>() : "");
      auto it = spec.variants.find(which);
      if (it == spec.variants.end()) {
        std::vector<std::string> names;
        if (disc && !disc->choices.empty())
          for (const auto& k : disc->choices) names.push_back("\"" + k + "\"");
        else
          for (const auto& [k, _] : spec.variants) names.push_back("\"" + k + "\"");
        fail(child_path(path, spec.discriminator), "one of " + join(names, ", "),
             in.contains(spec.discriminator) ? in[spec.discriminator] : json(which));
      }
      for (const Param& f : it->second) out.push_back(&f);
    }
    return out;
  }

  json resolve_object(const json& in, const Param& spec, const std::string& path) const {
    if (!in.is_object()) fail(path, "an object", in);
    if (spec.free_form) return in;
    auto fields = fields_for(spec, in, path);
    std::vector<std::string> names;
    for (const Param* f : fields) names.push_back(f->name);
    for (const auto& [key, _] : in.items()) {
      if (std::find(names.begin(), names.end(), key) != names.end()) continue;
      std::string hint = near_miss(key, names);
      throw InputError(file + ": " + child_path(path, key) + ": unknown key `" + key + "`" +
                       (hint.empty() ? " (known keys: " + join(names, ", ") + ")"
                                     : ", did you mean `" + hint + "`?"));
    }
    json out = json::object();
    for (const Param* f : fields) {
      std::string p = child_path(path, f->name);
      if (in.contains(f->name)) {
        out[f->name] = resolve(in[f->name], *f, p);
      } else if (!f->default_value.is_null()) {
        out[f->name] = resolve(f->default_value, *f, p);
      } else if (f->kind == Kind::object && !f->optional) {
        out[f->name] = resolve(json::object(), *f, p);  // all of its fields may have defaults
      } else if (!f->optional) {
        throw InputError(file + ": " + p + ": missing required key `" + f->name + "` (" + kind_text(*f) +
                         (f->help.empty() ? "" : ": " + f->help) + ")");
      }
    }
    for (const Param* f : fields) {
      if (f->active_when.empty() || !out.contains(f->name) || active(*f, out)) continue;
      if (in.contains(f->name)) throw InputError(file + ": " + child_path(path, f->name) + ": " + inactive_text(*f, out));
      out.erase(f->name);
    }
    return out;
  }

  // A sibling's value as ActiveWhen compares it.
  static std::string mode_of(const json& obj, const std::string& key) {
    if (!obj.contains(key)) return "";
    const json& v = obj[key];
    return v.is_string() ? v.get<std::string>() : v.is_boolean() ? (v.get<bool>() ? "true" : "false") : "set";
  }

  static bool active(const Param& f, const json& obj) {
    for (const auto& [key, values] : f.active_when) {
      const std::string mode = mode_of(obj, key);
      for (const std::string& v : values)
        if (v == mode || (v == "set" && !mode.empty())) return true;
    }
    return false;
  }

  static std::string inactive_text(const Param& f, const json& obj) {
    const auto& first = f.active_when.front();
    if (f.active_when.size() == 1 && first.values.front() != "set")
      return "has no effect with " + first.key + " \"" + mode_of(obj, first.key) + "\"; remove it or set " + first.key + " to \"" +
             first.values.front() + "\"";
    std::vector<std::string> any;
    for (const auto& [key, values] : f.active_when) any.push_back(key + (values.front() == "set" ? " set" : " " + values.front()));
    return "has no effect without " + join(any, " or ") + "; remove it or set " + first.key;
  }

  json resolve(const json& in, const Param& spec, const std::string& path) const {
    switch (spec.kind) {
      case Kind::object:
        return resolve_object(in, spec, path);
      case Kind::array: {
        if (!in.is_array()) fail(path, "an array", in);
        if (spec.min_items == spec.max_items && in.size() != spec.min_items)
          fail(path, "an array of exactly " + std::to_string(spec.min_items) + " items", in);
        if (in.size() < spec.min_items) fail(path, "an array of at least " + std::to_string(spec.min_items) + " items", in);
        if (in.size() > spec.max_items) fail(path, "an array of at most " + std::to_string(spec.max_items) + " items", in);
        json out = json::array();
        for (std::size_t i = 0; i < in.size(); ++i)
          out.push_back(resolve(in[i], *spec.items, child_path(path, std::to_string(i))));
        return out;
      }
      case Kind::quantity: {
        if (!in.is_string())
          fail(path, kind_text(spec) + " like \"" + units::format(spec.min.value_or(1.0) > 0 ? spec.min.value_or(1.0) * 10 : 10, spec.dim) + "\"", in);
        auto r = units::parse(in.get<std::string>(), spec.dim);
        if (!r.ok) throw InputError(file + ": " + path + ": " + r.error);
        check_range(spec, path, r.value, in);
        return in;
      }
      case Kind::number: {
        if (!in.is_number()) fail(path, "a number", in);
        check_range(spec, path, in.get<double>(), in);
        return in;
      }
      case Kind::integer: {
        if (!in.is_number_integer()) {
          if (in.is_number_float()) {
            double d = in.get<double>();
            if (std::floor(d) == d && std::fabs(d) < 9e15) {
              json as_int = static_cast<long long>(d);
              check_range(spec, path, d, in);
              return as_int;
            }
          }
          fail(path, "an integer" + (range_text(spec).empty() ? "" : " " + range_text(spec)), in);
        }
        double v = in.is_number_unsigned() ? static_cast<double>(in.get<unsigned long long>())
                                            : static_cast<double>(in.get<long long>());
        if ((spec.min && v < *spec.min) || (spec.max && v > *spec.max))
          fail(path, "an integer " + range_text(spec), in);
        return in;
      }
      case Kind::string: {
        if (!in.is_string()) fail(path, "a string", in);
        const auto& s = in.get_ref<const std::string&>();
        if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
          std::vector<std::string> q;
          for (const auto& c : spec.choices) q.push_back("\"" + c + "\"");
          std::string hint = near_miss(s, spec.choices);
          fail(path, "one of " + join(q, ", ") + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"), in);
        }
        if (!spec.name_pattern.empty()) {
          bool ok = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
          });
          if (!ok) fail(path, "a name made of [" + spec.name_pattern + "]", in);
        }
        return in;
      }
      case Kind::boolean: {
        if (!in.is_boolean()) fail(path, "true or false", in);
        return in;
      }
      case Kind::datetime: {
        if (!in.is_string() || !parse_iso8601(in.get<std::string>())) {
          // A well-formed date on a day the month does not have (2026-02-30) gets its own message.
          int Y = 0, M = 0, D = 0;
          if (in.is_string() && std::sscanf(in.get<std::string>().c_str(), "%4d-%2d-%2d", &Y, &M, &D) == 3 && M >= 1 && M <= 12 && D >= 29 &&
              D <= 31) {
            static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            const bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
            const int days = mdays[M - 1] + (M == 2 && leap ? 1 : 0);
            if (D > days) {
              char ym[16];
              std::snprintf(ym, sizeof ym, "%04d-%02d", Y, M);
              fail(path, std::string("a day that exists (") + ym + " has " + std::to_string(days) + " days)", in);
            }
          }
          fail(path, "an ISO 8601 date-time with a time zone like \"2026-01-01T00:00:00+09:00\"", in);
        }
        return in;
      }
    }
    return in;
  }
};

}  // namespace

std::string range_text(const Param& p) {
  auto show = [&](double v) {
    return p.kind == Kind::quantity ? units::format(v, p.dim) : fmt_number(v);
  };
  if (p.min && p.max) return (p.min_exclusive ? "> " : "from ") + show(*p.min) + (p.min_exclusive ? " and <= " : " to ") + show(*p.max);
  if (p.min) return (p.min_exclusive ? "> " : ">= ") + show(*p.min);
  if (p.max) return "<= " + show(*p.max);
  return "";
}

std::string near_miss(const std::string& key, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(key, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
  return best_d <= limit ? best : "";
}

json resolve(const json& in, const Param& spec, const std::string& file) {
  return Resolver{file}.resolve(in, spec, "");
}

double quantity_value(const json& v, units::Dimension dim) {
  return units::parse(v.get<std::string>(), dim).value;
}

const Param* find(const Param& spec, const json& doc, const std::vector<std::string>& path,
                  std::string* known_prefix, std::string* bad_key, std::string* suggestion) {
  const Param* cur = &spec;
  const json* node = &doc;
  std::string prefix;
  for (const auto& key : path) {
    if (cur->free_form) return cur;  // its keys are checked by the loader
    if (cur->kind == Kind::array) {
      bool numeric = !key.empty() && key.size() <= 9 && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!numeric) {
        *known_prefix = prefix;
        *bad_key = key;
        *suggestion = "";
        return nullptr;
      }
      std::size_t i = std::stoul(key);
      node = (node && node->is_array() && i < node->size()) ? &(*node)[i] : nullptr;
      cur = cur->items.get();
    } else if (cur->kind == Kind::object) {
      std::vector<const Param*> fields;
      for (const Param& f : cur->fields) fields.push_back(&f);
      if (!cur->discriminator.empty()) {
        std::string which;
        if (node && node->is_object() && node->contains(cur->discriminator) && (*node)[cur->discriminator].is_string())
          which = (*node)[cur->discriminator].get<std::string>();
        else
          for (const Param& f : cur->fields)
            if (f.name == cur->discriminator && f.default_value.is_string()) which = f.default_value.get<std::string>();
        auto it = cur->variants.find(which);
        if (it != cur->variants.end())
          for (const Param& f : it->second) fields.push_back(&f);
      }
      const Param* next = nullptr;
      std::vector<std::string> names;
      for (const Param* f : fields) {
        names.push_back(f->name);
        if (f->name == key) next = f;
      }
      if (!next) {
        *known_prefix = prefix;
        *bad_key = key;
        *suggestion = near_miss(key, names);
        return nullptr;
      }
      node = (node && node->is_object() && node->contains(key)) ? &(*node)[key] : nullptr;
      cur = next;
    } else {
      *known_prefix = prefix;
      *bad_key = key;
      *suggestion = "";
      return nullptr;
    }
    prefix = child_path(prefix, key);
  }
  return cur;
}

std::optional<long long> parse_iso8601(const std::string& t) {
  // Exactly YYYY-MM-DDTHH:MM:SS, then Z or +HH:MM / -HH:MM.
  static const char layout[] = "dddd-dd-ddTdd:dd:dd";
  if (t.size() < 20) return std::nullopt;
  for (int i = 0; i < 19; ++i) {
    char want = layout[i];
    bool ok = want == 'd' ? (t[i] >= '0' && t[i] <= '9') : want == 'T' ? (t[i] == 'T' || t[i] == ' ') : t[i] == want;
    if (!ok) return std::nullopt;
  }
  int Y, M, D, h, m, s;
  char sep;
  int consumed = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &Y, &M, &D, &sep, &h, &m, &s, &consumed) != 7) return std::nullopt;
  if (sep != 'T' && sep != ' ') return std::nullopt;
  if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || s > 60 || h < 0 || m < 0 || s < 0) return std::nullopt;
  std::string zone = t.substr(consumed);
  long long offset = 0;
  if (zone == "Z") {
    offset = 0;
  } else {
    int zh, zm;
    char sign;
    int n2 = 0;
    if (std::sscanf(zone.c_str(), "%c%2d:%2d%n", &sign, &zh, &zm, &n2) != 3 || n2 != static_cast<int>(zone.size()) ||
        (sign != '+' && sign != '-') || zh > 14 || zm > 59)
      return std::nullopt;
    offset = (sign == '+' ? 1 : -1) * (zh * 3600LL + zm * 60LL);
  }
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
  if (D > mdays[M - 1] + (M == 2 && leap ? 1 : 0)) return std::nullopt;
  // Days from civil (Howard Hinnant's algorithm).
  int y = Y - (M <= 2);
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long long days = era * 146097 + static_cast<long long>(doe) - 719468;
  return days * 86400 + h * 3600LL + m * 60LL + s - offset;
}

std::optional<int> parse_iso8601_offset(const std::string& text) {
  auto local = parse_iso8601(text.substr(0, 19) + "Z");
  auto utc = parse_iso8601(text);
  if (!local || !utc) return std::nullopt;
  return static_cast<int>(*local - *utc);
}

}  // namespace capsim::params
