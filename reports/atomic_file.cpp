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

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  fs::path p(path_);
  // The rename would replace whatever is there: a device or a directory is not an output file.
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw OutputError(path_ + ": cannot write (expected a regular file, found " + (fs::is_directory(st) ? "a directory" : "a device, FIFO or socket") + ")");
  tmp_ = (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd_ < 0) throw OutputError(path_ + ": cannot write (" + std::strerror(errno) + ")");
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
}

void AtomicFileWriter::write(const char* data, std::size_t left) {
  while (left > 0) {
    ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw OutputError(path_ + ": cannot write (" + std::strerror(errno) + ")");
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::flush() {
  write(buf_.data(), buf_.size());
  buf_.clear();
}

void AtomicFileWriter::append(const std::string& piece) {
  constexpr std::size_t kBuffer = 1u << 20;
  if (piece.size() >= kBuffer) {  // written through, not copied
    flush();
    write(piece.data(), piece.size());
    return;
  }
  buf_ += piece;
  if (buf_.size() >= kBuffer) flush();
}

void AtomicFileWriter::commit() {
  flush();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp_.c_str());
    throw OutputError(path_ + ": cannot write (" + std::strerror(err) + ")");
  }
}

void write_file_atomic(const std::string& path, const std::string& content) {
  AtomicFileWriter w(path);
  w.append(content);
  w.commit();
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
