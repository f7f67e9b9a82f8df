// The GPU-cluster trace readers (docs/traces.md lists each format's columns and what capsim takes from
// them). A job that cannot run on GPUs (no GPUs, never started, no end) is skipped and counted by reason.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <unordered_map>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/workload/csv_reader.hpp"
#include "models/workload/gpu_trace.hpp"
#include "models/workload/swf.hpp"

namespace capsim {

namespace {

constexpr double kMaxGpus = 1e8;

// `gpus` read from field `at`, named `column` in messages (which quote the field as written).
void check_gpus(const CsvReader& in, double gpus, int at, const std::string& column) {
  if (gpus < 0) in.fail("column `" + column + "`: expected a GPU count >= 0, found " + std::string(in.field(at)));
  if (gpus > kMaxGpus) in.fail("column `" + column + "`: expected at most 100,000,000 GPUs, found " + std::string(in.field(at)));
}

double datetime(const CsvReader& in, int column, const std::string& name) {
  const std::string_view f = in.field(column);
  const auto t = parse_local_datetime(f);
  if (!t) in.fail("column `" + name + "`: expected a date-time like \"2017-10-30 08:51:02\", found \"" + std::string(f) + "\"");
  return static_cast<double>(*t);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A job id that is a whole number, else -1 (kept out of jobs.csv's trace_id).
std::int64_t numeric_id(std::string_view f) {
  f = trim(f);
  std::int64_t v = -1;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  return ec == std::errc() && p == f.data() + f.size() && v >= 0 ? v : -1;
}

// A line-based format: one record per row, readable again at its byte offset.
class LineReader : public TraceReader {
 public:
  LineReader(const std::string& path, const char* what, std::vector<std::string> header = {}) : in_(path, what, ',', std::move(header)) {}
  bool next(TraceRow& row) override {
    while (in_.next()) {
      ++record_;
      if (parse(row)) return true;
    }
    return false;
  }
  // Only with the trace's own job ids: a record number could not be told again at a position (the formats
  // without ids are small enough to hold whole).
  bool seekable() const override { return seekable_; }
  std::int64_t position() const override { return in_.offset(); }
  void read_at(std::int64_t position, TraceRow& row) override {
    in_.seek(position, 0);
    parse(row);
  }

 protected:
  // Fills `row` from the current record; false if the job is skipped (counted).
  virtual bool parse(TraceRow& row) = 0;
  bool skip(const char* reason) {
    ++skipped[reason];
    return false;
  }
  CsvReader in_;
  std::int64_t record_ = 0;
  bool seekable_ = false;
};

// Philly as the Pollux authors derived it: timestamp, duration (s, over attempts), num_gpus, gpu_time,
// cluster (the VC).
class PhillyCsv final : public LineReader {
 public:
  explicit PhillyCsv(const std::string& path) : LineReader(path, "a Philly job CSV") {
    absolute_time = true;
    ts_ = in_.require("timestamp", "submit time, local");
    dur_ = in_.require("duration", "run time in seconds");
    gpus_ = in_.require("num_gpus", "GPUs");
    vc_ = in_.column("cluster");
  }

 private:
  bool parse(TraceRow& r) override {
    r = TraceRow{};
    r.id = record_;
    r.submit_s = datetime(in_, ts_, "timestamp");
    r.run_s = in_.number(dur_, "duration");
    if (r.run_s < 0) in_.fail("column `duration`: expected seconds >= 0, found " + std::string(in_.field(dur_)));
    r.gpus = in_.number(gpus_, "num_gpus");
    check_gpus(in_, r.gpus, gpus_, "num_gpus");
    if (vc_ >= 0) r.tenant = labels.tenant(trim(in_.field(vc_)));
    if (r.gpus == 0) return skip("no GPUs");
    return true;
  }
  int ts_, dur_, gpus_, vc_;
};

// Alibaba openb (2023) pods: num_gpu whole GPUs, or gpu_milli thousandths of one; creation, scheduling and
// deletion in seconds from the trace's start.
class OpenbPods final : public LineReader {
 public:
  explicit OpenbPods(const std::string& path) : LineReader(path, "an openb pod list") {
    num_ = in_.require("num_gpu", "GPUs");
    milli_ = in_.require("gpu_milli", "thousandths of a GPU when num_gpu is 1");
    spec_ = in_.column("gpu_spec");
    phase_ = in_.column("pod_phase");
    created_ = in_.require("creation_time", "submit time in seconds");
    scheduled_ = in_.require("scheduled_time", "start time in seconds");
    deleted_ = in_.require("deletion_time", "end time in seconds");
  }

 private:
  bool parse(TraceRow& r) override {
    r = TraceRow{};
    r.id = record_;
    const double num = in_.number(num_, "num_gpu");
    check_gpus(in_, num, num_, "num_gpu");
    const double milli = in_.number(milli_, "gpu_milli", true);
    if (!std::isnan(milli) && (milli < 0 || milli > 1000)) in_.fail("column `gpu_milli`: expected 0 to 1000, found " + std::string(in_.field(milli_)));
    r.gpus = num == 1 && !std::isnan(milli) && milli > 0 && milli < 1000 ? milli / 1000 : num;
    if (spec_ >= 0) r.gpu_type = labels.gpu_type(trim(in_.field(spec_)));
    if (phase_ >= 0) r.status = labels.status(trim(in_.field(phase_)));
    r.submit_s = in_.number(created_, "creation_time");
    const double start = in_.number(scheduled_, "scheduled_time", true), end = in_.number(deleted_, "deletion_time", true);
    if (r.gpus == 0) return skip("no GPUs");
    if (std::isnan(start) || std::isnan(end)) return skip("never started or no end");
    if (end < start) in_.fail("column `deletion_time`: expected a time >= scheduled_time (" + std::string(in_.field(scheduled_)) + "), found " + std::string(in_.field(deleted_)));
    r.run_s = end - start;
    return true;
  }
  int num_, milli_, spec_, phase_, created_, scheduled_, deleted_;
};

// Helios, Acme and any job log of one row per job, through a column map.
class JobLog final : public LineReader {
 public:
  JobLog(const std::string& path, const JobLogColumns& c) : LineReader(path, "a job-log CSV"), names_(c) {
    absolute_time = true;
    auto opt = [&](const std::string& name) { return name.empty() ? -1 : in_.column(name); };
    submit_ = in_.require(c.submit, "submit time");
    gpus_ = in_.require(c.gpus, "GPUs");
    duration_ = opt(c.duration);
    start_ = opt(c.start);
    end_ = opt(c.end);
    if (duration_ < 0 && (start_ < 0 || end_ < 0)) {
      auto named = [](const std::string& n, const char* role) { return n.empty() ? std::string("none named (workload.columns.") + role + ")" : "`" + n + "`"; };
      throw InputError(in_.path() + ":1: expected a run-time column " + named(c.duration, "duration") + ", or start and end columns " + named(c.start, "start") +
                       " and " + named(c.end, "end") + ", in the header");
    }
    id_ = opt(c.id);
    seekable_ = id_ >= 0;
    tenant_ = opt(c.tenant);
    if (tenant_ < 0) tenant_ = opt(c.user);
    status_ = opt(c.status);
    type_ = opt(c.gpu_type);
  }

 private:
  bool parse(TraceRow& r) override {
    r = TraceRow{};
    r.id = id_ >= 0 ? numeric_id(in_.field(id_)) : record_;
    r.submit_s = datetime(in_, submit_, names_.submit);
    r.gpus = in_.number(gpus_, names_.gpus.c_str());
    check_gpus(in_, r.gpus, gpus_, names_.gpus);
    if (tenant_ >= 0) r.tenant = labels.tenant(trim(in_.field(tenant_)));
    if (status_ >= 0) r.status = labels.status(trim(in_.field(status_)));
    if (type_ >= 0) r.gpu_type = labels.gpu_type(trim(in_.field(type_)));
    if (r.gpus == 0) return skip("no GPUs");
    if (duration_ >= 0) {
      const double d = in_.number(duration_, names_.duration.c_str(), true);
      if (std::isnan(d)) return skip("never started or no end");
      r.run_s = d;
    } else {
      if (trim(in_.field(start_)).empty() || trim(in_.field(end_)).empty()) return skip("never started or no end");
      r.run_s = datetime(in_, end_, names_.end) - datetime(in_, start_, names_.start);
    }
    if (r.run_s < 0) {
      char found[64];
      std::snprintf(found, sizeof found, "%g s", r.run_s);
      in_.fail(duration_ >= 0 ? "column `" + in_.header()[static_cast<std::size_t>(duration_)] + "`: expected a run time >= 0 s, found " + found
                              : "columns `" + in_.header()[static_cast<std::size_t>(end_)] + "` - `" + in_.header()[static_cast<std::size_t>(start_)] +
                                    "`: expected a run time >= 0 s, found " + found);
    }
    return true;
  }
  int submit_, gpus_, duration_, start_, end_, id_, tenant_, status_, type_;
  JobLogColumns names_;  // for messages: the file's own column names
};

// capsim's own CSV (what `capsim trace convert` writes): id, submit_s, duration_s, gpus, gpu_type, tenant,
// status, attempts (all but submit_s, duration_s and gpus optional); a `# time_base: YYYY-MM-DD HH:MM:SS` comment makes submit_s count from that local time.
class CapsimCsv final : public LineReader {
 public:
  explicit CapsimCsv(const std::string& path) : LineReader(path, "a capsim trace CSV") {
    id_ = in_.column("id");
    seekable_ = id_ >= 0;
    submit_ = in_.require("submit_s", "submit time in seconds");
    dur_ = in_.require("duration_s", "run time in seconds");
    gpus_ = in_.require("gpus", "GPUs, a fraction for a share of one");
    type_ = in_.column("gpu_type");
    tenant_ = in_.column("tenant");
    status_ = in_.column("status");
    attempts_ = in_.column("attempts");
  }

 private:
  bool parse(TraceRow& r) override {
    if (record_ == 1 && !based_) {
      based_ = true;
      if (auto b = in_.comments().find("time_base"); b != in_.comments().end()) {
        const auto t = parse_local_datetime(b->second);
        if (!t) throw InputError(in_.path() + ": # time_base: expected a date-time like \"2017-10-30 00:00:00\", found \"" + b->second + "\"");
        base_ = static_cast<double>(*t);
        absolute_time = true;
      }
    }
    r = TraceRow{};
    r.id = id_ >= 0 ? numeric_id(in_.field(id_)) : record_;
    r.submit_s = base_ + in_.number(submit_, "submit_s");
    r.run_s = in_.number(dur_, "duration_s");
    if (r.run_s < 0) in_.fail("column `duration_s`: expected seconds >= 0, found " + std::string(in_.field(dur_)));
    r.gpus = in_.number(gpus_, "gpus");
    check_gpus(in_, r.gpus, gpus_, "gpus");
    if (type_ >= 0) r.gpu_type = labels.gpu_type(trim(in_.field(type_)));
    if (tenant_ >= 0) r.tenant = labels.tenant(trim(in_.field(tenant_)));
    if (status_ >= 0) r.status = labels.status(trim(in_.field(status_)));
    if (attempts_ >= 0) {
      const double n = in_.number(attempts_, "attempts", true);
      if (!std::isnan(n) && (n < 1 || n != std::floor(n) || n > 1e9))
        in_.fail("column `attempts`: expected a whole number >= 1 (or empty), found " + std::string(in_.field(attempts_)));
      if (!std::isnan(n)) r.attempts = static_cast<int>(n);
    }
    if (r.gpus == 0) return skip("no GPUs");
    return true;
  }
  int id_, submit_, dur_, gpus_, type_, tenant_, status_, attempts_;
  bool based_ = false;
  double base_ = 0;
};

// An SWF log for `capsim trace`: its jobs as models/workload/swf.cpp reads them (one processor, one GPU).
class SwfTrace final : public TraceReader {
 public:
  explicit SwfTrace(const std::string& path) : src_(workload(path), std::numeric_limits<double>::infinity()) {}
  bool next(TraceRow& r) override {
    const std::optional<Job> j = src_.next();
    skipped["unknown run time or size"] = src_.skipped();
    if (!j) return false;
    r = TraceRow{};
    r.id = j->trace_id;
    r.submit_s = j->submit_s;
    r.run_s = j->run_s;
    r.gpus = j->gpus;
    return true;
  }

 private:
  static SwfWorkload workload(const std::string& path) {
    SwfWorkload w;
    w.path = path;
    return w;
  }
  SwfSource src_;
};

}  // namespace

std::unique_ptr<TraceReader> open_philly_json(const TraceOptions& o);
std::unique_ptr<TraceReader> open_pai_2020(const TraceOptions& o);

TraceCluster read_trace_cluster(const std::string& path) {
  require_regular_file(path, "a machine list");
  std::ifstream first(path);
  if (!first) throw InputError(path + ": cannot open the machine list (" + std::strerror(errno) + ")");
  std::string line;
  if (!std::getline(first, line) || line.empty()) throw InputError(path + ": expected a machine list, found an empty file");
  const bool pai = line.find("gpu") == std::string::npos && line.find("GPU") == std::string::npos;
  CsvReader in = pai ? CsvReader(path, "a PAI 2020 machine spec", ',', {"machine", "gpu_type", "cap_cpu", "cap_mem", "cap_gpu"})
                     : CsvReader(path, "a machine list");
  int gpus = 4, type = 1;
  if (!pai) {
    gpus = in.column("gpu") >= 0 ? in.column("gpu") : in.require("number of GPUs", "GPUs per machine: openb's `gpu` or Philly's `number of GPUs`");
    type = in.column("model") >= 0 ? in.column("model") : in.column("single GPU mem");
  }
  TraceCluster c;
  while (in.next()) {
    const double g = in.number(gpus, in.header()[static_cast<std::size_t>(gpus)].c_str());
    if (g < 0 || g != std::floor(g)) in.fail("column `" + in.header()[static_cast<std::size_t>(gpus)] + "`: expected a whole number of GPUs >= 0, found " + std::string(in.field(gpus)));
    ++c.nodes;
    c.gpus += static_cast<long long>(g);
    const std::string t(type >= 0 ? trim(in.field(type)) : std::string_view());
    if (g > 0) c.gpus_by_type[t.empty() ? "(none)" : t] += static_cast<long long>(g);
  }
  return c;
}

std::unique_ptr<TraceReader> open_trace(const TraceOptions& o) {
  switch (o.format) {
    case TraceFormat::philly_csv: return std::make_unique<PhillyCsv>(o.path);
    case TraceFormat::openb: return std::make_unique<OpenbPods>(o.path);
    case TraceFormat::job_log: return std::make_unique<JobLog>(o.path, o.columns);
    case TraceFormat::capsim_csv: return std::make_unique<CapsimCsv>(o.path);
    case TraceFormat::philly_json: return open_philly_json(o);
    case TraceFormat::pai_2020: return open_pai_2020(o);
    case TraceFormat::swf: return std::make_unique<SwfTrace>(o.path);
  }
  return nullptr;
}

}  // namespace capsim
