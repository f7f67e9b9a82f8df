#pragma once
// One error type per kind of failure, each mapped to a documented exit code (docs/errors.md), so a
// sweep script can tell a bad scenario from a machine that is too small from a crashed run.
#include <cstdio>
#include <string>
#include <stdexcept>
#include <string>

namespace capsim {

enum class ExitCode : int {
  ok = 0,
  internal = 1,
  bad_input = 2,
  too_large = 3,
  cannot_write = 4,
  interrupted = 130,
};

// A message as it may be shown on a terminal: what came from the input (keys, values, file names) may
// hold control characters, NULs or bytes that are not UTF-8; those are shown as \xNN.
inline std::string printable(const std::string& m) {
  // A message quotes the input: a key of a million characters must not become a message of two million.
  constexpr std::size_t kMax = 1000;
  std::string out;
  for (std::size_t i = 0; i < m.size();) {
    if (out.size() >= kMax) {
      out += "... (cut at " + std::to_string(kMax) + " characters)";
      break;
    }
    const auto c = static_cast<unsigned char>(m[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= m.size() && (len > 1 || (c >= 0x20 && c != 0x7f));
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(m[i + k]) >> 6) == 0x2;
    if (ok) {
      out.append(m, i, len);
      i += len;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
    }
  }
  return out;
}

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& what) : std::runtime_error(printable(what)), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// Usage, scenario, catalog or trace errors. The message names the file, the place (JSON path or line),
// what was expected and what was found.
class InputError : public Error {
 public:
  explicit InputError(const std::string& what) : Error(ExitCode::bad_input, what) {}
};

class TooLargeError : public Error {
 public:
  explicit TooLargeError(const std::string& what) : Error(ExitCode::too_large, what) {}
};

class OutputError : public Error {
 public:
  explicit OutputError(const std::string& what) : Error(ExitCode::cannot_write, what) {}
};

class Interrupted : public Error {
 public:
  Interrupted() : Error(ExitCode::interrupted, "interrupted") {}
};

}  // namespace capsim
