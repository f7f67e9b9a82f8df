#pragma once
// A run's outputs appear as one set or not at all. The files are written into DIR.capsim-tmp-PID beside
// DIR and swapped in with one rename (the old set is then deleted; with --force, files in DIR that are not
// part of the set are kept). A lock on DIR.capsim-lock, held from the check of DIR to the swap, keeps a
// second run from writing the same DIR; temporary folders left by runs that died are removed at start.
#include <string>
#include <vector>

namespace capsim {

class OutputSet {
 public:
  // Checks DIR (absent or empty, unless `force`; InputError otherwise, exit 2) and takes the lock
  // (OutputError, exit 4, if another run holds it or DIR's folder cannot be written).
  OutputSet(const std::string& dir, bool force);
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // Writes one file of the set (into the temporary folder, so each file's text can be freed at once).
  void write(const std::string& name, const std::string& content);
  // Swaps the files written in as DIR. Throws Interrupted, leaving DIR as it was, if a stop was asked for
  // before the swap.
  void commit();

 private:
  std::string parent_, name_, lock_path_, tmp_;
  bool force_;
  std::vector<std::string> names_;  // written so far
  int lock_fd_ = -1;
};

}  // namespace capsim
