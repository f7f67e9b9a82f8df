#include "models/scenario/overrides.hpp"

#include <algorithm>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"

namespace capsim {
using nlohmann::json;

namespace {

std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : p) {
    if (c == '.') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

// Sets a dotted path in a scenario document; `label` starts every error message ("--set cluster.nodes").
void set_path(json& doc, const std::string& dotted, const json& value, const std::string& label, const std::string& file) {
  auto path = split_path(dotted);
  for (const auto& k : path)
    if (k.empty()) throw InputError(label + ": expected a dotted path like cluster.nodes, found an empty key");
  std::string prefix, bad, hint;
  if (!params::find(scenario_spec(), doc, path, &prefix, &bad, &hint)) {
    std::string p2, b2, h2;
    const params::Param* parent = prefix.empty() ? nullptr : params::find(scenario_spec(), doc, split_path(prefix), &p2, &b2, &h2);
    if (parent && parent->kind == params::Kind::array)
      throw InputError(label + ": expected an array index (" +
                       (parent->max_items == SIZE_MAX ? std::string("a whole number from 0") : "0 to " + std::to_string(parent->max_items - 1)) +
                       ") under `" + prefix + "`, found `" + bad + "`");
    throw InputError(label + ": unknown key `" + bad + "`" + (prefix.empty() ? "" : " under `" + prefix + "`") +
                     (hint.empty() ? "" : ", did you mean `" + (prefix.empty() ? hint : prefix + "." + hint) + "`?"));
  }
  // Below a free-form object (a federation member's `set`) the rest of the path is one dotted key.
  for (std::size_t k = 1; k < path.size(); ++k) {
    std::vector<std::string> head(path.begin(), path.begin() + static_cast<long>(k));
    const params::Param* p = params::find(scenario_spec(), doc, head, &prefix, &bad, &hint);
    if (p && p->free_form) {
      std::string rest = path[k];
      for (std::size_t i = k + 1; i < path.size(); ++i) rest += "." + path[i];
      path.resize(k);
      path.push_back(rest);
      break;
    }
  }
  // A file set anew is the file as it is now: its recorded digest no longer binds the run.
  if (doc.contains("inputs") && doc["inputs"].is_object())
    if (const json* old = find_dotted(doc, dotted); old && old->is_string()) doc["inputs"].erase(old->get<std::string>());
  // Walk down, creating what is missing: an array where the next key is an index (the declarations put
  // arrays exactly there), an object elsewhere.
  auto is_index = [](const std::string& k) {
    return k.size() <= 9 && std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  json* node = &doc;
  std::string walked;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& k = path[i];
    const bool last = i + 1 == path.size();
    if (node->is_null()) *node = is_index(k) ? json::array() : json::object();
    if (is_index(k)) {
      if (!node->is_array())
        throw InputError(label + ": expected `" + walked + "` to be an array in " + file + ", found " + node->dump().substr(0, 40));
      std::size_t idx = std::stoul(k);
      if (idx > node->size())
        throw InputError(label + ": index " + k + " is past the end of an array of " + std::to_string(node->size()) +
                         " items in " + file);
      if (idx == node->size()) node->push_back(json());
      node = &(*node)[idx];
    } else {
      if (!node->is_object())
        throw InputError(label + ": expected `" + walked + "` to be an object in " + file + ", found " + node->dump().substr(0, 40));
      node = &(*node)[k];
    }
    walked += (walked.empty() ? "" : ".") + k;
    if (last) *node = value;
  }
}

void apply_override(json& doc, const Override& o, const std::string& file) {
  json value;
  check_json_depth(o.value, "--set " + o.path);
  try {
    value = json::parse(o.value);
  } catch (const json::parse_error&) {
    value = o.value;
  } catch (const json::out_of_range&) {
    throw InputError("--set " + o.path + ": expected a number within the range of a double (about 1.8e308), found " + o.value);
  }
  set_path(doc, o.path, value, "--set " + o.path, file);
}

Override parse_override(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + arg + ": expected PATH=VALUE, e.g. --set cluster.nodes=12500");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

}  // namespace capsim
