// Trace formats, labels, date-times, the two readers that hold a trace whole (Philly's JSON job log and
// PAI 2020's task and job tables) and the sorted view of any trace.
#include "models/workload/gpu_trace.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "models/common/calendar.hpp"
#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/workload/csv_reader.hpp"

namespace capsim {

namespace {
struct FormatName {
  TraceFormat format;
  const char* name;
};
constexpr FormatName kFormats[] = {{TraceFormat::philly_json, "philly_json"}, {TraceFormat::philly_csv, "philly_csv"}, {TraceFormat::pai_2020, "pai_2020"},
                                   {TraceFormat::openb, "openb"},             {TraceFormat::job_log, "job_log"},       {TraceFormat::capsim_csv, "capsim_csv"},
                                   {TraceFormat::swf, "swf"}};
}  // namespace

std::optional<TraceFormat> trace_format(std::string_view name) {
  for (const FormatName& f : kFormats)
    if (name == f.name) return f.format;
  return std::nullopt;
}

const char* to_string(TraceFormat f) {
  for (const FormatName& n : kFormats)
    if (n.format == f) return n.name;
  return "?";
}

const std::vector<std::string>& trace_format_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const FormatName& f : kFormats)
      if (f.format != TraceFormat::swf) v.emplace_back(f.name);
    return v;
  }();
  return names;
}

std::string gpu_label_key(std::string_view label) {
  std::string k(label);
  for (char& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return k;
}

std::optional<TraceFormat> detect_trace_format(const std::string& path) {
  auto ends = [&](const char* ext) { return path.size() > std::strlen(ext) && path.compare(path.size() - std::strlen(ext), std::string::npos, ext) == 0; };
  if (ends(".swf")) return TraceFormat::swf;
  if (ends(".json")) return TraceFormat::philly_json;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line) && (line.empty() || line[0] == '#')) {
  }
  auto has = [&](const char* column) {
    const std::string c = column;
    for (std::size_t at = line.find(c); at != std::string::npos; at = line.find(c, at + 1)) {
      const bool starts = at == 0 || line[at - 1] == ',' || line[at - 1] == ' ';
      const std::size_t end = at + c.size();
      if (starts && (end == line.size() || line[end] == ',' || line[end] == '\r' || line[end] == ' ')) return true;
    }
    return false;
  };
  if (has("timestamp") && has("num_gpus")) return TraceFormat::philly_csv;
  if (has("num_gpu") && has("gpu_milli")) return TraceFormat::openb;
  if (has("submit_s") && has("duration_s")) return TraceFormat::capsim_csv;
  if (has("submit_time") && has("gpu_num")) return TraceFormat::job_log;
  return std::nullopt;
}

std::uint32_t TraceLabels::intern(std::vector<std::string>& v, std::unordered_map<std::string, std::uint32_t>& ix, std::string_view s, std::size_t most) {
  if (s.empty()) return 0;
  auto [it, added] = ix.try_emplace(std::string(s), static_cast<std::uint32_t>(v.size()));
  if (added) {
    if (v.size() > most) throw InputError("expected a trace with at most " + std::to_string(most) + " distinct labels of a kind, found more (at \"" + std::string(s) + "\")");
    v.emplace_back(s);
  }
  return it->second;
}

std::optional<long long> parse_local_datetime(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '"')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '"')) t.remove_suffix(1);
  if (t.size() < 19) return std::nullopt;
  int v[6];
  const int at[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};
  for (int k = 0; k < 6; ++k) {
    v[k] = 0;
    for (int i = at[k]; i < at[k] + len[k]; ++i) {
      if (t[static_cast<std::size_t>(i)] < '0' || t[static_cast<std::size_t>(i)] > '9') return std::nullopt;
      v[k] = v[k] * 10 + (t[static_cast<std::size_t>(i)] - '0');
    }
  }
  if (t[4] != '-' || t[7] != '-' || (t[10] != ' ' && t[10] != 'T') || t[13] != ':' || t[16] != ':') return std::nullopt;
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60) return std::nullopt;
  // What may follow: fractions of a second, then a zone (Z, +08:00, +0800); the wall clock is kept.
  std::string_view rest = t.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  if (!(rest.empty() || rest == "Z" || ((rest.front() == '+' || rest.front() == '-') && (rest.size() == 6 || rest.size() == 5 || rest.size() == 3))))
    return std::nullopt;
  // Days from civil (Howard Hinnant's algorithm).
  const int y = v[0] - (v[1] <= 2);
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(v[1] + (v[1] > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(v[2]) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long long days = era * 146097 + static_cast<long long>(doe) - 719468;
  return days * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
}

std::string format_local_datetime(long long s) {
  const LocalTime t = local_time(s);
  const long long in_hour = ((s % 3600) + 3600) % 3600;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02lld:%02lld", t.year, t.month, t.day, t.hour, in_hour / 60, in_hour % 60);
  return buf;
}

namespace {

// A trace read whole into memory.
class HeldReader : public TraceReader {
 public:
  bool next(TraceRow& row) override {
    if (next_ >= rows_.size()) return false;
    row = rows_[next_++];
    return true;
  }

 protected:
  std::vector<TraceRow> rows_;
  std::size_t next_ = 0;
};

// Microsoft Philly's cluster_job_log: a JSON list of jobs with their attempts. Each job is taken as the
// parser completes it and then dropped, so the document is never held whole.
class PhillyJson final : public HeldReader {
 public:
  explicit PhillyJson(const std::string& path) {
    absolute_time = true;
    require_regular_file(path, "a Philly job log (JSON)");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open the Philly job log");
    std::int64_t index = 0;
    using Event = nlohmann::json::parse_event_t;
    auto take = [&](int depth, Event event, nlohmann::json& parsed) {
      // An object at the top (its start: its members would be taken for jobs) or a scalar there.
      if (depth == 0 && (event == Event::object_start || (event == Event::value && !parsed.is_array())))
        throw InputError(path + ": expected a JSON list of jobs (Philly's cluster_job_log), found " + (event == Event::object_start ? "object" : std::string(parsed.type_name())));
      // An element of the list that is not an object (a scalar, or a list ended).
      if (depth == 1 && (event == Event::value || event == Event::array_end))
        throw InputError(path + ": [" + std::to_string(index) + "]: expected a job object, found " + std::string(parsed.type_name()));
      if (depth != 1 || event != Event::object_end) return true;
      job(path, index++, parsed);
      return false;
    };
    try {
      const nlohmann::json rest = nlohmann::json::parse(in, take);  // the jobs were taken and dropped
      (void)rest;
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(path + ": expected JSON (Philly's cluster_job_log), found an error at byte " + std::to_string(e.byte) + ": " + e.what());
    }
  }

 private:
  static double time_of(const nlohmann::json& v, const std::string& where) {
    if (v.is_null() || (v.is_string() && (v == "None" || v == ""))) return std::nan("");
    const auto t = v.is_string() ? parse_local_datetime(v.get<std::string>()) : std::nullopt;
    if (!t) throw InputError(where + ": expected a date-time like \"2017-10-03 02:45:36\" or null, found " + v.dump());
    return static_cast<double>(*t);
  }
  void job(const std::string& path, std::int64_t index, const nlohmann::json& j) {
    const std::string at = path + ": [" + std::to_string(index) + "]";
    if (!j.is_object()) throw InputError(at + ": expected a job object, found " + std::string(j.type_name()));
    TraceRow r;
    r.id = index + 1;
    auto str = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string(); };
    r.tenant = labels.tenant(str("vc").empty() ? str("user") : str("vc"));
    r.status = labels.status(str("status"));
    if (!j.contains("submitted_time")) throw InputError(at + ".submitted_time: missing required key (the submit time)");
    r.submit_s = time_of(j["submitted_time"], at + ".submitted_time");
    if (std::isnan(r.submit_s)) throw InputError(at + ".submitted_time: expected a date-time, found null");
    const nlohmann::json& attempts = j.contains("attempts") ? j["attempts"] : nlohmann::json::array();
    if (!attempts.is_array()) throw InputError(at + ".attempts: expected a list, found " + std::string(attempts.type_name()));
    r.attempts = 0;
    bool started = false;  // an attempt has a start time
    for (std::size_t k = 0; k < attempts.size(); ++k) {
      const std::string ak = at + ".attempts[" + std::to_string(k) + "]";
      const nlohmann::json& a = attempts[k];
      if (!a.is_object()) throw InputError(ak + ": expected an attempt object, found " + std::string(a.type_name()));
      double gpus = 0;
      if (a.contains("detail")) {
        if (!a["detail"].is_array()) throw InputError(ak + ".detail: expected a list of machines, found " + std::string(a["detail"].type_name()));
        for (const auto& m : a["detail"])
          if (m.is_object() && m.contains("gpus") && m["gpus"].is_array()) gpus += static_cast<double>(m["gpus"].size());
      }
      r.gpus = std::max(r.gpus, gpus);
      const double start = time_of(a.value("start_time", nlohmann::json()), ak + ".start_time");
      const double end = time_of(a.value("end_time", nlohmann::json()), ak + ".end_time");
      started = started || !std::isnan(start);
      if (std::isnan(start) || std::isnan(end)) continue;
      if (end < start) throw InputError(ak + ".end_time: expected a time after start_time, found " + a["end_time"].dump());
      r.run_s += end - start;
      ++r.attempts;
    }
    // A job with no attempt started (`attempts` empty) has no machines, so no GPUs recorded: it never
    // started; it is not a CPU job.
    if (!started || (r.gpus > 0 && r.attempts == 0)) ++skipped["never started or no end"];
    else if (r.gpus == 0) ++skipped["no GPUs"];
    else rows_.push_back(r);
  }
};

// Alibaba PAI 2020: a job's tasks (task table; plan_gpu in percent of a GPU per instance) summed into one
// job; its submission, user and status from the job table when given, else its first task's start.
class Pai2020 final : public HeldReader {
 public:
  explicit Pai2020(const TraceOptions& o) {
    absolute_time = true;  // seconds on a shifted base that keeps time of day and weekday in UTC+8
    static const std::vector<std::string> task_cols = {"job_name", "task_name", "inst_num", "status", "start_time", "end_time", "plan_cpu", "plan_mem", "plan_gpu", "gpu_type"};
    CsvReader t(o.path, "a PAI 2020 task table", ',', task_cols);
    std::unordered_map<std::string, std::size_t> by_name;
    std::vector<double> ends, most_gpus;
    while (t.next()) {
      if (t.line() == 1 && t.field(0) == "job_name") continue;  // a header line
      const double inst = t.number(2, "inst_num"), plan = t.number(8, "plan_gpu", true);
      if (inst < 0) t.fail("column `inst_num`: expected a count >= 0, found " + std::string(t.field(2)));
      if (!std::isnan(plan) && plan < 0) t.fail("column `plan_gpu`: expected a percentage >= 0, found " + std::string(t.field(8)));
      const double gpus = std::isnan(plan) ? 0 : inst * plan / 100;
      if (gpus > 1e8) t.fail("column `plan_gpu`: expected at most 100,000,000 GPUs, found " + std::to_string(gpus));
      const double start = t.number(4, "start_time", true), end = t.number(5, "end_time", true);
      auto [it, added] = by_name.try_emplace(std::string(t.field(0)), rows_.size());
      if (added) {
        TraceRow r;
        r.id = static_cast<std::int64_t>(rows_.size()) + 1;
        r.submit_s = std::isnan(start) ? std::nan("") : start + kUtc8;
        r.attempts = 0;
        rows_.push_back(r);
        ends.push_back(std::nan(""));
        most_gpus.push_back(0);
      }
      TraceRow& r = rows_[it->second];
      r.gpus += gpus;
      if (!std::isnan(start)) r.submit_s = std::isnan(r.submit_s) ? start + kUtc8 : std::min(r.submit_s, start + kUtc8);
      if (!std::isnan(end)) ends[it->second] = std::isnan(ends[it->second]) ? end + kUtc8 : std::max(ends[it->second], end + kUtc8);
      if (gpus > most_gpus[it->second]) {
        most_gpus[it->second] = gpus;
        r.gpu_type = labels.gpu_type(t.field(9));
        r.status = labels.status(t.field(3));
      }
    }
    if (!o.job_table.empty()) join_jobs(o.job_table, by_name);
    std::vector<TraceRow> kept;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      TraceRow& r = rows_[i];
      if (r.gpus == 0) {
        ++skipped["no GPUs"];
      } else if (std::isnan(r.submit_s) || std::isnan(ends[i]) || ends[i] < r.submit_s) {
        ++skipped["never started or no end"];
      } else {
        r.run_s = ends[i] - r.submit_s;
        r.attempts = 1;
        if (!submitted_.empty() && !std::isnan(submitted_[i]) && submitted_[i] <= r.submit_s) r.submit_s = submitted_[i];
        kept.push_back(r);
      }
    }
    rows_ = std::move(kept);
  }

 private:
  static constexpr double kUtc8 = 8 * 3600;
  std::vector<double> submitted_;  // by job, from the job table
  void join_jobs(const std::string& path, const std::unordered_map<std::string, std::size_t>& by_name) {
    static const std::vector<std::string> job_cols = {"job_name", "inst_id", "user", "status", "start_time", "end_time"};
    CsvReader j(path, "a PAI 2020 job table", ',', job_cols);
    submitted_.assign(rows_.size(), std::nan(""));
    while (j.next()) {
      if (j.line() == 1 && j.field(0) == "job_name") continue;
      auto it = by_name.find(std::string(j.field(0)));
      if (it == by_name.end()) continue;
      TraceRow& r = rows_[it->second];
      r.tenant = labels.tenant(j.field(2));
      r.status = labels.status(j.field(3));
      const double submitted = j.number(4, "start_time", true);
      if (!std::isnan(submitted)) submitted_[it->second] = submitted + kUtc8;
    }
  }
};

}  // namespace

std::unique_ptr<TraceReader> open_philly_json(const TraceOptions& o) { return std::make_unique<PhillyJson>(o.path); }
std::unique_ptr<TraceReader> open_pai_2020(const TraceOptions& o) { return std::make_unique<Pai2020>(o); }

SortedTrace::SortedTrace(const TraceOptions& o, const Progress& progress) : reader_(open_trace(o)) {
  auto tell = [&](const char* pass, long long rows) {
    if (progress && (rows & 0xffff) == 0) progress(pass, rows);
  };
  TraceRow row;
  double last = -std::numeric_limits<double>::infinity();
  if (!reader_->seekable()) {
    while (reader_->next(row)) {
      sorted_ = sorted_ && row.submit_s >= last;
      last = row.submit_s;
      held_.push_back(row);
      tell("reading", static_cast<long long>(held_.size()));
    }
    std::stable_sort(held_.begin(), held_.end(), [](const TraceRow& a, const TraceRow& b) { return a.submit_s < b.submit_s; });
    return;
  }
  std::size_t rows = 0;
  while (reader_->next(row)) {
    sorted_ = sorted_ && row.submit_s >= last;
    last = row.submit_s;
    tell("checking the order", static_cast<long long>(++rows));
  }
  reader_ = open_trace(o);
  if (sorted_) return;
  index_.reserve(rows);  // exactly 16 bytes a row, no growth
  while (reader_->next(row)) {
    index_.push_back({row.submit_s, reader_->position()});
    tell("indexing", static_cast<long long>(index_.size()));
  }
  // Positions grow in file order, so this is the stable order, without stable_sort's buffer.
  std::sort(index_.begin(), index_.end(), [](const Entry& a, const Entry& b) { return std::pair(a.submit_s, a.position) < std::pair(b.submit_s, b.position); });
}

bool SortedTrace::next(TraceRow& row) {
  if (!held_.empty() || !reader_->seekable()) {
    if (next_ >= held_.size()) return false;
    row = held_[next_++];
    return true;
  }
  if (sorted_) return reader_->next(row);
  if (next_ >= index_.size()) return false;
  reader_->read_at(index_[next_++].position, row);
  return true;
}

}  // namespace capsim
