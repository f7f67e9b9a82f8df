#pragma once
// Outputs appear whole or not at all: each file is written to a temporary name in the same directory and
// renamed over the final name.
#include <string>

namespace capsim {

// Throws OutputError (exit 4) naming the file and the system error.
void write_file_atomic(const std::string& path, const std::string& content);

// Checks an output directory: absent (returns false), or a directory, empty unless `force` (returns true);
// InputError (exit 2) otherwise.
bool check_output_dir(const std::string& dir, bool force);

// Prepares an output directory: creates it if absent; if it exists and is not empty, refuses (InputError,
// exit 2) unless `force`. Throws OutputError if it cannot be created or written.
void prepare_output_dir(const std::string& dir, bool force);

}  // namespace capsim
