#include "models/common/json_file.hpp"

#include <set>
#include <vector>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace capsim {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the file (" + std::string(std::strerror(errno)) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json parse_json_text(std::string_view text, const std::string& origin) {
  // JSON lets a key appear twice in one object and keeps the last; a scenario where the first silently
  // loses is a mistake, so it is an error. One key set per open object; the enclosing keys name the place.
  std::vector<std::set<std::string>> keys;
  std::vector<std::string> where;
  std::string last_key;
  auto check = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start || event == E::array_start) {
      keys.emplace_back();
      where.push_back(last_key);
      last_key.clear();
    } else if (event == E::object_end || event == E::array_end) {
      keys.pop_back();
      where.pop_back();
    } else if (event == E::key) {
      last_key = parsed.get<std::string>();
      if (!keys.back().insert(last_key).second) {
        std::string path;
        for (const auto& w : where)
          if (!w.empty()) path += (path.empty() ? "" : ".") + w;
        throw InputError(origin + ": " + (path.empty() ? "(top level)" : path) + ": expected each key once in an object, found `" +
                         last_key + "` twice (the first would be ignored)");
      }
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text, check);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset into line:column, which is what editors jump to.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto pos = what.find(": ", what.find("parse error"));
    std::string detail = pos == std::string::npos ? what : what.substr(pos + 2);
    throw InputError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) + ": not valid JSON: " + detail);
  }
}

}  // namespace capsim
