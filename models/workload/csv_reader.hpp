#pragma once
// A streamed reader of delimited text (CSV and its kin): one record per line, fields split on a delimiter
// with RFC 4180 quotes inside a line, a header naming the columns (or given by the caller), and errors
// as `file:line: ...`. Lines are bounded in length, so a file of one endless line is an error, not a
// full memory. Each record's byte offset is kept, so an index can read records again out of order.
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

class CsvReader {
 public:
  // `what` names the file in errors ("a Philly job CSV"). With `header` empty the first line is the
  // header; else those are the columns and every line is a record.
  CsvReader(std::string path, std::string what, char delimiter = ',', std::vector<std::string> header = {});

  // The next record's fields (views into an internal buffer, valid until the next call); false at the end.
  // Blank lines and lines starting with `#` are skipped (`#` lines are kept as comments()).
  bool next();
  const std::vector<std::string_view>& fields() const { return fields_; }
  std::string_view field(int column) const { return fields_[static_cast<std::size_t>(column)]; }
  long long line() const { return line_no_; }
  std::int64_t offset() const { return offset_; }  // byte offset of the current record's line
  // Reads the record at `offset` again (from an earlier offset() and line()).
  void seek(std::int64_t offset, long long line);
  const std::string& path() const { return path_; }

  // The column's index, or -1; `required` throws naming the file, what was expected and what was found.
  int column(const std::string& name) const;
  int require(const std::string& name, const std::string& meaning) const;
  const std::vector<std::string>& header() const { return header_; }
  // `#` comment lines before the first record, "key: value" -> key, value.
  const std::map<std::string, std::string>& comments() const { return comments_; }

  // `path:line: ` for messages about the current record.
  std::string where() const { return path_ + ":" + std::to_string(line_no_) + ": "; }
  [[noreturn]] void fail(const std::string& message) const;
  // Number parsers for a field: a finite number (empty and "NA" are errors unless `optional`, then NaN).
  double number(int column, const char* name, bool optional = false) const;

 private:
  static constexpr std::size_t kMaxLine = 1 << 20;
  bool read_line();
  void split();

  std::string path_, what_;
  char delim_;
  std::ifstream in_;
  std::string line_, unquoted_;
  std::vector<std::string_view> fields_;
  std::vector<std::string> header_;
  std::map<std::string, std::string> comments_;
  long long line_no_ = 0;
  std::int64_t offset_ = 0, next_offset_ = 0;
  bool in_records_ = false;
  bool header_given_;  // by the caller: the file has none
};

}  // namespace capsim
