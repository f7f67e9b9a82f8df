#pragma once
// Outputs appear whole or not at all: each file is written to a temporary name in the same directory and
// renamed over the final name.
#include <string>

namespace capsim {

// Throws OutputError (exit 4) naming the file and the system error.
void write_file_atomic(const std::string& path, const std::string& content);

// The same for output too large to hold: appended in pieces, it appears under its name at commit();
// destroyed before that (an error on the way), it leaves nothing.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void append(const std::string& piece);  // buffered
  void commit();

 private:
  void flush();
  void write(const char* data, std::size_t size);
  std::string path_, tmp_, buf_;
  int fd_ = -1;
};

// Checks an output directory: absent (returns false), or a directory, empty unless `force` (returns true);
// InputError (exit 2) otherwise.
bool check_output_dir(const std::string& dir, bool force);

// Prepares an output directory: creates it if absent; if it exists and is not empty, refuses (InputError,
// exit 2) unless `force`. Throws OutputError if it cannot be created or written.
void prepare_output_dir(const std::string& dir, bool force);

}  // namespace capsim
