#pragma once
// GPU-cluster traces (Microsoft Philly, Alibaba PAI 2020 and openb 2023, SenseTime Helios, Shanghai AI Lab
// Acme, and capsim's own CSV; docs/traces.md): each reader gives the jobs as the trace records them, in
// file order; SortedTrace gives them in submit order. No SimGrid and no scenario here: `capsim trace`
// and the workload's source share them.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace capsim {

// `swf` only for `capsim trace` (a scenario reads SWF through its own source, models/workload/swf.hpp).
enum class TraceFormat { philly_json, philly_csv, pai_2020, openb, job_log, capsim_csv, swf };
std::optional<TraceFormat> trace_format(std::string_view name);
const char* to_string(TraceFormat f);
// The GPU formats' names, as `workload.source` takes them (`capsim trace` takes swf too).
const std::vector<std::string>& trace_format_names();
// The format a file's name (.swf, .json) or header line shows, if it shows one (PAI 2020's tables have
// no header: never guessed).
std::optional<TraceFormat> detect_trace_format(const std::string& path);

// Labels a trace carries, interned: index 0 is "" (none).
struct TraceLabels {
  std::vector<std::string> tenants{""}, gpu_types{""}, statuses{""};
  std::uint32_t tenant(std::string_view s) { return intern(tenants, tenant_ix_, s, UINT32_MAX); }
  std::uint16_t gpu_type(std::string_view s) { return static_cast<std::uint16_t>(intern(gpu_types, gpu_type_ix_, s, UINT16_MAX)); }
  std::uint16_t status(std::string_view s) { return static_cast<std::uint16_t>(intern(statuses, status_ix_, s, UINT16_MAX)); }

 private:
  static std::uint32_t intern(std::vector<std::string>& v, std::unordered_map<std::string, std::uint32_t>& ix, std::string_view s, std::size_t most);
  std::unordered_map<std::string, std::uint32_t> tenant_ix_, gpu_type_ix_, status_ix_;
};

// The key a GPU-type label is looked up by: labels are compared without case ("V100" and "v100").
std::string gpu_label_key(std::string_view label);

// One job as the trace records it.
struct TraceRow {
  double submit_s = 0;  // on the trace's time base: with an absolute base, local wall-clock seconds since 1970
  double run_s = 0;     // its run time: the sum of its attempts'
  double gpus = 0;      // GPUs it asked for; a fraction for a share of one GPU
  std::int64_t id = -1;  // the trace's job number, else its record number (from 1)
  std::uint32_t tenant = 0;
  std::uint16_t gpu_type = 0, status = 0;
  int attempts = 1;
};

// Columns of a job-log CSV (Helios, Acme and their kin): the column holding each field; empty: none.
struct JobLogColumns {
  std::string id = "job_id", submit = "submit_time", start = "start_time", end = "end_time", duration = "duration", gpus = "gpu_num",
              tenant = "vc", user = "user", status = "state", gpu_type;
};

struct TraceOptions {
  TraceFormat format = TraceFormat::capsim_csv;
  std::string path;
  std::string job_table;  // pai_2020: the job table (submission time, user, status); optional
  JobLogColumns columns;  // job_log
};

// What a reader could not use, by reason ("no GPUs" -> 1,088), in reason order.
using SkipCounts = std::map<std::string, long long>;

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // The next row in file order; false at the end. Bad records throw InputError as `file:line: ...`.
  virtual bool next(TraceRow& row) = 0;
  // Whether rows can be read again by position (line-based formats), for sorting through an index.
  virtual bool seekable() const { return false; }
  virtual std::int64_t position() const { return 0; }  // of the row next() gave last
  virtual void read_at(std::int64_t /*position*/, TraceRow& /*row*/) {}

  TraceLabels labels;
  bool absolute_time = false;  // submit times are calendar times (local wall clock)
  SkipCounts skipped;
};

std::unique_ptr<TraceReader> open_trace(const TraceOptions& o);

// The rows in submit order (ties in file order). A file already sorted is read twice (once to find that
// out) and held nowhere; an unsorted line-based file through an index of 16 bytes per row, read again by
// position; the JSON and two-table formats are held whole.
class SortedTrace {
 public:
  // `progress` is told the rows read so far in each pass over the file (for a progress line).
  using Progress = std::function<void(const char* pass, long long rows)>;
  explicit SortedTrace(const TraceOptions& o, const Progress& progress = {});
  bool next(TraceRow& row);
  const TraceReader& reader() const { return *reader_; }
  bool was_sorted() const { return sorted_; }

 private:
  struct Entry {
    double submit_s;
    std::int64_t position;
  };
  std::unique_ptr<TraceReader> reader_;
  bool sorted_ = true;
  std::vector<Entry> index_;
  std::vector<TraceRow> held_;
  std::size_t next_ = 0;
};

// A trace's cluster from its machine list: openb's node list (`gpu`, `model`), Philly's
// cluster_machine_list (`number of GPUs`, `single GPU mem`) or PAI 2020's pai_machine_spec (no header:
// machine, gpu_type, cap_cpu, cap_mem, cap_gpu).
struct TraceCluster {
  long long nodes = 0, gpus = 0;
  std::map<std::string, long long> gpus_by_type;  // "(none)" where the list names no type
};
TraceCluster read_trace_cluster(const std::string& path);

// "2017-10-30 08:51:02", optionally with "T" and a "+08:00" or "Z" zone (dropped: times stay local wall
// clock), as seconds since 1970 on that clock; nullopt if it does not parse.
std::optional<long long> parse_local_datetime(std::string_view text);
std::string format_local_datetime(long long local_s);

}  // namespace capsim
