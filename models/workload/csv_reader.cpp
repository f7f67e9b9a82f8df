#include "models/workload/csv_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"

namespace capsim {

namespace {
// A `# key: value` comment line into `comments`.
void keep_comment(const std::string& line, std::map<std::string, std::string>& comments) {
  const std::size_t colon = line.find(':');
  if (colon == std::string::npos) return;
  std::size_t kb = line.find_first_not_of(" #"), vb = line.find_first_not_of(' ', colon + 1);
  if (kb < colon) comments[line.substr(kb, colon - kb)] = vb == std::string::npos ? "" : line.substr(vb);
}
}  // namespace

CsvReader::CsvReader(std::string path, std::string what, char delimiter, std::vector<std::string> header)
    : path_(std::move(path)), what_(std::move(what)), delim_(delimiter), header_(std::move(header)), header_given_(!header_.empty()) {
  require_regular_file(path_, what_);
  in_.open(path_, std::ios::binary);
  if (!in_) throw InputError(path_ + ": cannot open " + what_ + " (" + std::strerror(errno) + ")");
  if (!header_.empty()) return;
  while (read_line()) {
    if (line_.empty()) continue;
    if (line_[0] == '#') {
      keep_comment(line_, comments_);  // before the header too: `capsim trace convert` writes `# time_base` there
      continue;
    }
    split();
    for (std::string_view f : fields_) {
      std::size_t b = f.find_first_not_of(' '), e = f.find_last_not_of(' ');
      header_.emplace_back(b == std::string_view::npos ? std::string_view() : f.substr(b, e - b + 1));
    }
    return;
  }
  throw InputError(path_ + ": expected " + what_ + " with a header line, found an empty file");
}

void CsvReader::fail(const std::string& message) const { throw InputError(where() + message); }

bool CsvReader::read_line() {
  offset_ = next_offset_;
  if (!std::getline(in_, line_)) {
    if (in_.bad()) throw InputError(path_ + ":" + std::to_string(line_no_ + 1) + ": cannot read " + what_ + " (" + std::strerror(errno) + ")");
    return false;
  }
  ++line_no_;
  next_offset_ = offset_ + static_cast<std::int64_t>(line_.size()) + (in_.eof() ? 0 : 1);
  if (line_.size() > kMaxLine) fail("expected a line of at most " + std::to_string(kMaxLine) + " characters, found a longer one");
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (line_no_ == 1 && line_.compare(0, 3, "\xEF\xBB\xBF") == 0) line_.erase(0, 3);  // a UTF-8 byte-order mark
  return true;
}

void CsvReader::split() {
  fields_.clear();
  if (line_.find('"') == std::string::npos) {
    std::size_t b = 0;
    while (true) {
      std::size_t e = line_.find(delim_, b);
      fields_.emplace_back(std::string_view(line_).substr(b, e == std::string::npos ? std::string::npos : e - b));
      if (e == std::string::npos) return;
      b = e + 1;
    }
  }
  // Quoted fields: unquote into a second buffer first (sized once, so views stay valid), then split it.
  unquoted_.clear();
  unquoted_.reserve(line_.size());
  std::vector<std::size_t> ends;
  bool quoted = false;
  for (std::size_t i = 0; i < line_.size(); ++i) {
    const char c = line_[i];
    if (quoted) {
      if (c == '"' && i + 1 < line_.size() && line_[i + 1] == '"') unquoted_ += line_[++i];
      else if (c == '"') quoted = false;
      else unquoted_ += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == delim_) {
      ends.push_back(unquoted_.size());
    } else {
      unquoted_ += c;
    }
  }
  if (quoted) fail("expected a closing quote (\") in the line, found none");
  ends.push_back(unquoted_.size());
  std::size_t b = 0;
  for (std::size_t e : ends) {
    fields_.emplace_back(std::string_view(unquoted_).substr(b, e - b));
    b = e;
  }
}

bool CsvReader::next() {
  while (read_line()) {
    if (line_.empty()) continue;
    if (line_[0] == '#') {
      if (!in_records_) keep_comment(line_, comments_);
      continue;
    }
    in_records_ = true;
    split();
    if (fields_.size() != header_.size())
      fail("expected " + std::to_string(header_.size()) + (header_given_ ? " fields (the format's columns), found " : " fields (the header's), found ") +
           std::to_string(fields_.size()));
    return true;
  }
  return false;
}

void CsvReader::seek(std::int64_t offset, long long line) {
  in_.clear();
  in_.seekg(offset);
  next_offset_ = offset;
  line_no_ = line - 1;
  if (!next()) throw InputError(path_ + ":" + std::to_string(line) + ": cannot read " + what_ + " again (changed while read?)");
}

int CsvReader::column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvReader::require(const std::string& name, const std::string& meaning) const {
  const int c = column(name);
  if (c >= 0) return c;
  std::string found;
  for (const std::string& h : header_) found += (found.empty() ? "" : ", ") + h;
  throw InputError(path_ + ":1: expected a column `" + name + "` (" + meaning + ") in the header, found " + found);
}

double CsvReader::number(int column, const char* name, bool optional) const {
  std::string_view f = field(column);
  while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
  while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
  if (optional && (f.empty() || f == "NA" || f == "nan" || f == "None")) return std::nan("");
  double v = 0;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || ec != std::errc() || p != f.data() + f.size() || !std::isfinite(v))
    fail(std::string("column `") + name + "`: expected a number, found \"" + std::string(f) + "\"");
  return v;
}

}  // namespace capsim
