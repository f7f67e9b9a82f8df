#include "reports/output_set.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "models/common/errors.hpp"
#include "models/common/stop_signal.hpp"
#include "reports/atomic_file.hpp"

namespace capsim {
namespace fs = std::filesystem;

namespace {

std::string error_text() { return std::strerror(errno); }

}  // namespace

OutputSet::OutputSet(const std::string& out, bool force) : force_(force) {
  std::error_code ec;
  // "link/" names what "link" names: without the slash, symbolic links are seen (and resolved) below.
  std::string dir = out;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  fs::path p = fs::absolute(dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "out/" names out
  name_ = p.filename().string();
  parent_ = p.parent_path().string();
  if (check_output_dir(out, force)) {
    // The swap moves DIR itself: through a symbolic link it would replace the link, not the folder.
    if (fs::is_symlink(fs::symlink_status(dir, ec))) {
      p = fs::canonical(dir, ec);
      name_ = p.filename().string();
      parent_ = p.parent_path().string();
    }
    // Files are kept through the swap by linking them into the new set; a folder or a link cannot be
    // carried over atomically, and a run killed while moving it would lose it.
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (!e.is_regular_file(ec) || e.is_symlink(ec))
        throw InputError("--out " + out + ": holds `" + e.path().filename().string() +
                         "`, which is not a file; --force keeps only files besides capsim's outputs: move it away or choose another --out");
  }
  fs::create_directories(parent_, ec);
  if (ec) throw OutputError(dir + ": cannot create the output directory (" + ec.message() + ")");
  // The lock: taken without waiting; checked to be the file still at its path (a run ending unlinks it).
  lock_path_ = (fs::path(parent_) / (name_ + ".capsim-lock")).string();
  for (int attempt = 0; attempt < 3 && lock_fd_ < 0; ++attempt) {
    int fd = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw OutputError(dir + ": cannot create the output directory (" + error_text() + ")");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      throw OutputError("--out " + dir + ": another capsim run is writing there (it holds " + lock_path_ + ")");
    }
    struct stat held {}, now {};
    if (::fstat(fd, &held) == 0 && ::stat(lock_path_.c_str(), &now) == 0 && held.st_ino == now.st_ino && held.st_dev == now.st_dev)
      lock_fd_ = fd;
    else
      ::close(fd);
  }
  if (lock_fd_ < 0) throw OutputError("--out " + dir + ": another capsim run is writing there (its lock keeps changing)");
  // Holding the lock, no live run writes DIR: temporary folders of runs that died are left-overs.
  const std::string stale = name_ + ".capsim-tmp-";
  for (const auto& e : fs::directory_iterator(parent_, ec))
    if (e.path().filename().string().rfind(stale, 0) == 0) fs::remove_all(e.path(), ec);
  tmp_ = (fs::path(parent_) / (stale + std::to_string(::getpid()))).string();
  if (::access(parent_.c_str(), W_OK) != 0)
    throw OutputError(dir + ": cannot create the output directory (" + error_text() + ")");
}

OutputSet::~OutputSet() {
  std::error_code ec;
  if (!tmp_.empty()) fs::remove_all(tmp_, ec);
  if (lock_fd_ >= 0) {
    ::unlink(lock_path_.c_str());  // while still held, so no run can lock the old file after us
    ::close(lock_fd_);
  }
}

void OutputSet::write(const std::string& name, const std::string& content) {
  std::error_code ec;
  if (names_.empty()) {
    fs::remove_all(tmp_, ec);
    if (!fs::create_directory(tmp_, ec)) throw OutputError(tmp_ + ": cannot create (" + ec.message() + ")");
  }
  write_file_atomic((fs::path(tmp_) / name).string(), content);
  names_.push_back(name);
}

void OutputSet::commit() {
  std::error_code ec;
  const fs::path dir = fs::path(parent_) / name_;
  // With --force, files DIR holds besides the set stay (a study's logs of this run, a user's notes): they
  // are linked into the new set (folders were refused when the set was opened).
  if (force_ && fs::is_directory(dir, ec)) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string n = e.path().filename().string();
      bool ours = n.find(".tmp-") != std::string::npos;  // left by an interrupted write of an older capsim
      for (const auto& f : names_) ours = ours || f == n;
      if (ours) continue;
      if (::link(e.path().c_str(), (fs::path(tmp_) / n).c_str()) != 0)
        throw OutputError(e.path().string() + ": cannot keep it in the new outputs (" + error_text() + ")");
    }
  }
  if (stop_requested()) throw Interrupted();
  if (!fs::exists(dir, ec) || fs::is_empty(dir, ec)) {
    if (::rename(tmp_.c_str(), dir.c_str()) != 0) throw OutputError(dir.string() + ": cannot write the outputs (" + error_text() + ")");
  } else if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
    throw OutputError(dir.string() + ": cannot swap in the outputs (" + error_text() + ")");
  }
  // tmp_ now holds the old set (or nothing), removed by the destructor.
}

}  // namespace capsim
