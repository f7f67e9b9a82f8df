#include "models/common/json_file.hpp"

#include <set>
#include <vector>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace capsim {

void require_regular_file(const std::string& path, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || st.type() == fs::file_type::regular) return;  // a missing file is reported when opened
  const char* found = st.type() == fs::file_type::directory ? "a directory"
                      : st.type() == fs::file_type::fifo    ? "a FIFO"
                      : st.type() == fs::file_type::socket  ? "a socket"
                                                            : "a device";
  throw InputError(path + ": expected " + what + ", found " + found);
}

std::string read_text_file(const std::string& path) {
  require_regular_file(path, "a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the file (" + std::string(std::strerror(errno)) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

FileDigest digest_file(const std::string& path, const std::string& what) {
  require_regular_file(path, what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the file (" + std::string(std::strerror(errno)) + ")");
  Sha256 h;
  std::uint64_t size = 0;
  std::vector<char> chunk(1 << 20);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    h.update(std::string_view(chunk.data(), got));
    size += got;
  }
  if (in.bad()) throw InputError(path + ": cannot read the file (" + std::string(std::strerror(errno)) + ")");
  return {h.hex_digest(), size};
}

void check_json_depth(std::string_view text, const std::string& origin) {
  constexpr int kMaxDepth = 64;
  bool in_number = false;
  int depth = 0;
  std::size_t line = 1, col = 0;
  bool in_string = false, escaped = false;
  for (const char& c : text) {
    ++col;
    if (c == '\n') {
      ++line;
      col = 0;
    }
    if (in_number && !std::strchr("+-0123456789.eE", c)) in_number = false;
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (!in_number && (c == '-' || (c >= '0' && c <= '9'))) {
      // A number so small it would read as 0 (1e-400) is as wrong as one too large: refuse it here,
      // where its place is known (the parser quietly makes it 0).
      in_number = true;
      const std::size_t start = static_cast<std::size_t>(&c - text.data());
      std::size_t end = start;
      while (end < text.size() && std::strchr("+-0123456789.eE", text[end])) ++end;
      const std::string token(text.substr(start, end - start));
      errno = 0;
      const double v = std::strtod(token.c_str(), nullptr);
      if (errno == ERANGE && v == 0 && token.find_first_of("123456789") < token.find_first_of("eE"))
        throw InputError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                         ": expected a number within the range of a double (about 2.2e-308 to 1.8e308), found " + token + " (it would read as 0)");
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth)
        throw InputError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) + ": expected arrays and objects nested at most " +
                         std::to_string(kMaxDepth) + " levels deep, found a level " + std::to_string(depth));
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

nlohmann::json parse_json_text(std::string_view text, const std::string& origin) {
  check_json_depth(text, origin);
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
  } catch (const nlohmann::json::out_of_range& e) {
    // A number too large for a double ("1e400"): the message quotes it, which places it in the text.
    std::string what = e.what();
    auto q = what.find('\'');
    std::string number = q == std::string::npos ? "" : what.substr(q + 1, what.find('\'', q + 1) - q - 1);
    std::size_t at = number.empty() ? std::string_view::npos : text.find(number);
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; at != std::string_view::npos && i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw InputError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": expected a number within the range of a double (about 1.8e308), found " + number);
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
