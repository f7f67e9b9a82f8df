// The JSON Schema (`capsim schema`) and the docs tables (`capsim schema --markdown`) from the declarations.
#include "models/common/params.hpp"

#include <sstream>

namespace capsim::params {
using nlohmann::json;

namespace {

json schema_of(const Param& p);

json object_schema(const std::vector<const Param*>& fields, const std::string& help) {
  json props = json::object();
  json required = json::array();
  for (const Param* f : fields) {
    props[f->name] = schema_of(*f);
    if (f->default_value.is_null() && !f->optional && f->kind != Kind::object) required.push_back(f->name);
  }
  json o = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) o["required"] = required;
  if (!help.empty()) o["description"] = help;
  return o;
}

json schema_of(const Param& p) {
  json s;
  switch (p.kind) {
    case Kind::object: {
      if (p.free_form) return {{"type", "object"}, {"description", p.help}};
      std::vector<const Param*> common;
      for (const Param& f : p.fields) common.push_back(&f);
      if (p.discriminator.empty()) {
        s = object_schema(common, p.help);
      } else {
        json one = json::array();
        for (const auto& [name, vf] : p.variants) {
          auto all = common;
          for (const Param& f : vf) all.push_back(&f);
          json o = object_schema(all, "");
          o["properties"][p.discriminator]["const"] = name;
          one.push_back(o);
        }
        s = {{"oneOf", one}, {"description", p.help}};
      }
      return s;
    }
    case Kind::array:
      s = {{"type", "array"}, {"items", schema_of(*p.items)}};
      if (p.min_items) s["minItems"] = p.min_items;
      if (p.max_items != SIZE_MAX) s["maxItems"] = p.max_items;
      break;
    case Kind::quantity:
      s = {{"type", "string"},
           {"pattern", "^\\s*[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?\\s*(" + [&] {
              std::string u = units::accepted_units(p.dim);
              std::string out;
              for (char c : u)
                if (c != ' ') out += (c == ',' ? '|' : c);
              return out;
            }() + ")\\s*$"}};
      break;
    case Kind::number:
    case Kind::integer:
      s = {{"type", p.kind == Kind::number ? "number" : "integer"}};
      if (p.min) s[p.min_exclusive ? "exclusiveMinimum" : "minimum"] = *p.min;
      if (p.max) s["maximum"] = *p.max;
      break;
    case Kind::string:
      s = {{"type", "string"}};
      if (!p.choices.empty()) s["enum"] = p.choices;
      if (!p.name_pattern.empty()) s["pattern"] = "^[" + p.name_pattern + "]+$";
      break;
    case Kind::boolean: s = {{"type", "boolean"}}; break;
    case Kind::datetime: s = {{"type", "string"}, {"format", "date-time"}}; break;
  }
  if (!p.help.empty()) s["description"] = p.help;
  if (!p.default_value.is_null()) s["default"] = p.default_value;
  return s;
}

std::string type_cell(const Param& p) {
  switch (p.kind) {
    case Kind::quantity: return std::string(units::dimension_name(p.dim)) + " (" + units::accepted_units(p.dim) + ")";
    case Kind::number: return "number";
    case Kind::integer: return "integer";
    case Kind::string: return p.choices.empty() ? (p.name_pattern.empty() ? "string" : "name [" + p.name_pattern + "]") : "one of " + [&] {
      std::string o;
      for (const auto& c : p.choices) o += (o.empty() ? "`" : ", `") + c + "`";
      return o;
    }();
    case Kind::boolean: return "boolean";
    case Kind::datetime: return "ISO 8601 date-time";
    case Kind::object: return "object";
    case Kind::array: return "array";
  }
  return "";
}

void table(std::ostringstream& out, const std::string& path, const std::vector<const Param*>& fields,
           const std::string& title) {
  out << "\n### `" << (path.empty() ? "(top level)" : path) << "`" << title << "\n\n";
  out << "| key | type | default | valid range | meaning |\n|---|---|---|---|---|\n";
  for (const Param* f : fields) {
    std::string def = !f->default_value.is_null() ? "`" + f->default_value.dump() + "`"
                      : f->optional                ? (f->default_note.empty() ? "(absent)" : f->default_note)
                      : f->kind == Kind::object    ? "(see below)"
                                                   : "**required**";
    std::string rng = range_text(*f);
    if (f->kind == Kind::array)
      rng = std::to_string(f->min_items) + (f->max_items == SIZE_MAX ? "+" : "-" + std::to_string(f->max_items)) + " items";
    out << "| `" << f->name << "` | " << type_cell(*f) << " | " << def << " | " << rng << " | " << f->help << " |\n";
  }
}

void walk(std::ostringstream& out, const Param& p, const std::string& path) {
  if (p.kind == Kind::array) {
    walk(out, *p.items, path + ".N");
    return;
  }
  if (p.kind != Kind::object || p.free_form) return;
  std::vector<const Param*> common;
  for (const Param& f : p.fields) common.push_back(&f);
  table(out, path, common, p.discriminator.empty() ? "" : " (all variants)");
  for (const Param* f : common) walk(out, *f, path.empty() ? f->name : path + "." + f->name);
  for (const auto& [name, vf] : p.variants) {
    std::vector<const Param*> fs;
    for (const Param& f : vf) fs.push_back(&f);
    table(out, path, fs, " when `" + p.discriminator + "` is `\"" + name + "\"`");
    for (const Param* f : fs) walk(out, *f, path + "." + f->name);
  }
}

}  // namespace

json json_schema(const Param& spec) {
  json s = schema_of(spec);
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["title"] = "capsim scenario";
  return s;
}

std::string markdown(const Param& spec) {
  std::ostringstream out;
  walk(out, spec, "");
  return out.str();
}

}  // namespace capsim::params
