#pragma once
// One error type per kind of failure, each mapped to a documented exit code (docs/errors.md), so a
// sweep script can tell a bad scenario from a machine that is too small from a crashed run.
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

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
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
