#include "reports/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <unistd.h>

#include "models/common/errors.hpp"

namespace capsim {
namespace fs = std::filesystem;

void write_file_atomic(const std::string& path, const std::string& content) {
  fs::path p(path);
  std::string tmp = (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw OutputError(path + ": cannot write (" + std::strerror(errno) + ")");
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw OutputError(path + ": cannot write (" + std::strerror(err) + ")");
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw OutputError(path + ": cannot write (" + std::strerror(err) + ")");
  }
}

bool check_output_dir(const std::string& dir, bool force) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(dir, ec)) && !fs::exists(dir, ec))
    throw InputError("--out " + dir + ": expected a directory, found a symbolic link to nothing (" + fs::read_symlink(dir, ec).string() + ")");
  if (!fs::exists(dir, ec)) return false;
  if (!fs::is_directory(dir, ec))
    throw InputError("--out " + dir + ": expected a directory, found " + (fs::is_regular_file(dir, ec) ? "a file" : "a device, FIFO or socket"));
  if (!force && !fs::is_empty(dir, ec))
    throw InputError("--out " + dir + ": the directory is not empty; use --force to overwrite its files");
  return true;
}

void prepare_output_dir(const std::string& dir, bool force) {
  std::error_code ec;
  if (!check_output_dir(dir, force)) {
    fs::create_directories(dir, ec);
    if (ec) throw OutputError(dir + ": cannot create the output directory (" + ec.message() + ")");
  }
  if (::access(dir.c_str(), W_OK) != 0)
    throw OutputError(dir + ": cannot write to the output directory (" + std::strerror(errno) + ")");
}

}  // namespace capsim
