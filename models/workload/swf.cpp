#include "models/workload/swf.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"

namespace capsim {

SwfSource::SwfSource(const SwfWorkload& w, double horizon_s)
    : path_(w.path), gpus_per_processor_(w.gpus_per_processor), scale_(w.scale), horizon_s_(horizon_s) {
  // Only a regular file: a directory reads as empty, a FIFO blocks, a device may never end.
  require_regular_file(path_, "an SWF trace file");
  in_.open(path_);
  if (!in_) throw InputError(path_ + ": cannot open the SWF trace (" + std::string(std::strerror(errno)) + ")");
}

// One line into `line`, bounded: a longer one is an error before it is read whole (a file of one endless
// line would otherwise fill memory).
bool SwfSource::read_line(std::string& line) {
  in_.getline(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  if (in_.bad()) throw InputError(path_ + ":" + std::to_string(line_no_ + 1) + ": cannot read the SWF trace (" + std::strerror(errno) + ")");
  const std::streamsize n = in_.gcount();
  if (in_.fail()) {
    if (in_.eof()) return false;  // nothing left
    throw InputError(path_ + ":" + std::to_string(line_no_ + 1) + ": expected a line of at most " + std::to_string(kMaxLine) +
                     " characters, found a longer one");
  }
  ++line_no_;
  line.assign(buf_.data(), static_cast<std::size_t>(in_.eof() ? n : n - 1));
  return true;
}

std::optional<Job> SwfSource::next() {
  std::string line;
  while (read_line(line)) {
    auto where = [&] { return path_ + ":" + std::to_string(line_no_) + ": "; };
    std::size_t p = line.find_first_not_of(" \t\r");
    if (p == std::string::npos) continue;
    if (line[p] == ';') {
      auto colon = line.find(':', p);
      if (colon != std::string::npos) {
        auto key_begin = line.find_first_not_of(" \t", p + 1);
        std::string key = line.substr(key_begin, colon - key_begin);
        auto vb = line.find_first_not_of(" \t", colon + 1);
        header_[key] = vb == std::string::npos ? "" : line.substr(vb);
      }
      continue;
    }
    double f[18];
    int n = 0;
    const char* s = line.data();
    const char* end = line.data() + line.size();
    while (true) {
      while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) ++s;
      if (s >= end) break;
      if (n == 18) throw InputError(where() + "expected 18 fields, found more");
      auto [ptr, ec] = std::from_chars(s, end, f[n], std::chars_format::general);
      if (ec != std::errc() || !std::isfinite(f[n]) || (ptr < end && *ptr != ' ' && *ptr != '\t' && *ptr != '\r')) {
        const char* tok_end = s;
        while (tok_end < end && *tok_end != ' ' && *tok_end != '\t') ++tok_end;
        throw InputError(where() + "field " + std::to_string(n + 1) + ": expected a number, found \"" +
                         std::string(s, tok_end) + "\"");
      }
      ++n;
      s = ptr;
    }
    if (n != 18) throw InputError(where() + "expected 18 fields, found " + std::to_string(n));
    double submit = f[1], run = f[3], alloc = f[4], requested = f[7], req_time = f[8];
    if (submit < 0) throw InputError(where() + "field 2 (submit time): expected >= 0, found " + std::to_string(submit));
    if (submit < last_submit_)
      throw InputError(where() + "field 2 (submit time): expected lines sorted by submit time, found " +
                       std::to_string(static_cast<long long>(submit)) + " after " + std::to_string(static_cast<long long>(last_submit_)));
    last_submit_ = submit;
    submit /= scale_;  // a denser (scale > 1) or sparser demand, same jobs
    if (submit >= horizon_s_) return std::nullopt;
    double procs = requested > 0 ? requested : alloc;
    if (procs * gpus_per_processor_ > 1e8)
      throw InputError(where() + "fields 5 and 8 (processors): expected at most 100,000,000 GPUs' worth, found " +
                       std::to_string(static_cast<long long>(procs)));
    if (run < 0 || procs <= 0) {
      ++skipped_;
      continue;
    }
    // Job numbers and processor counts are whole numbers in SWF; anything else is not a trace line.
    if (std::floor(procs) != procs)
    {
      char found[32];
      std::snprintf(found, sizeof found, "%.10g", procs);
      throw InputError(where() + "fields 5 and 8 (processors): expected a whole number, found " + found);
    }
    if (std::floor(f[0]) != f[0] || std::fabs(f[0]) > 9e15)
      throw InputError(where() + "field 1 (job number): expected a whole number of at most 9e15, found " +
                       line.substr(p, line.find_first_of(" \t\r", p) - p));
    Job j;
    j.id = next_id_++;
    j.trace_id = static_cast<std::int64_t>(f[0]);
    j.submit_s = std::floor(submit);
    j.run_s = std::max(1.0, std::ceil(run));
    j.estimate_s = req_time > 0 ? std::ceil(req_time) : j.run_s;
    j.gpus = static_cast<int>(std::ceil(procs * gpus_per_processor_ - 1e-9));
    return j;
  }
  return std::nullopt;
}

}  // namespace capsim
