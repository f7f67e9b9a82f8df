#include "sim/cli/trace.hpp"

#include <chrono>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "reports/atomic_file.hpp"
#include "reports/summary.hpp"
#include "reports/trace_stats.hpp"

namespace capsim {

CLI::App* add_trace_command(CLI::App& app, TraceArgs& a) {
  auto* t = app.add_subcommand("trace", "Describe a GPU-cluster trace, or convert it to capsim's CSV (docs/traces.md)");
  t->require_subcommand(1);
  std::string formats;
  for (const std::string& f : trace_format_names()) formats += (formats.empty() ? "" : ", ") + f;
  auto common = [&](CLI::App* c) {
    c->add_option("FILE", a.file, "The trace file")->required();
    c->add_option("--format,-f", a.format, "Its format: " + formats + " or swf (default: from the file's name or header)");
    c->add_option("--job-table", a.job_table, "pai_2020: the job table (FILE is the task table)");
    c->add_flag("--quiet,-q", a.quiet, "No progress on stderr");
  };
  a.stats = t->add_subcommand("stats", "Jobs, GPU-hours, size and duration quantiles, arrivals by hour and weekday, statuses");
  common(a.stats);
  a.stats->add_flag("--json", a.json, "Print JSON (for scripts)");
  a.stats->add_option("--nodes", a.nodes, "The trace's machine list (openb node list, Philly's cluster_machine_list, PAI 2020's pai_machine_spec): its GPUs and the load offered them");
  a.convert = t->add_subcommand("convert", "Write the trace, sorted by submit time, as capsim's CSV (to fix by hand and read back as capsim_csv)");
  common(a.convert);
  a.convert->add_option("--out,-o", a.out, "The CSV file to write")->required();
  return t;
}

namespace {

// "[capsim] indexing 1,200,000 jobs" on stderr, at most twice a second, on a terminal and without --quiet.
class ProgressLine {
 public:
  explicit ProgressLine(bool quiet) : on_(!quiet && isatty(STDERR_FILENO)) {}
  ~ProgressLine() { done(); }
  void done() {
    if (shown_) std::fputs("\n", stderr);
    shown_ = false;
  }
  void operator()(const char* pass, long long rows) {
    const auto now = std::chrono::steady_clock::now();
    if (!on_ || now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    shown_ = true;
    std::fprintf(stderr, "\r[capsim] %s: %lld jobs    ", pass, rows);
    std::fflush(stderr);
  }

 private:
  bool on_, shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

TraceOptions options(const TraceArgs& a) {
  TraceOptions o;
  std::string formats;
  for (const std::string& n : trace_format_names()) formats += n + ", ";
  formats += "swf";
  if (a.format.empty()) {
    require_regular_file(a.file, "a trace file");
    if (!std::ifstream(a.file)) throw InputError(a.file + ": cannot open the trace file (" + std::strerror(errno) + ")");
  }
  const auto f = a.format.empty() ? detect_trace_format(a.file) : trace_format(a.format);
  if (!f && a.format.empty())
    throw InputError(a.file + ": cannot tell the trace's format from its name or header; expected --format (one of " + formats + ")");
  if (!f) throw InputError("--format: expected one of " + formats + ", found \"" + a.format + "\"");
  if (!a.job_table.empty() && *f != TraceFormat::pai_2020) throw InputError("--job-table: expected only with --format pai_2020, found " + std::string(to_string(*f)));
  o.format = *f;
  o.path = a.file;
  o.job_table = a.job_table;
  return o;
}

// capsim's CSV: submit_s from the trace's first job's day (00:00 local), given as `# time_base` when the
// trace has calendar times.
int convert(const TraceArgs& a) {
  ProgressLine progress(a.quiet);
  SortedTrace trace(options(a), [&](const char* pass, long long rows) { progress(pass, rows); });
  AtomicFileWriter out(a.out);
  TraceRow r;
  bool first = true;
  double base = 0;
  long long written = 0;
  std::string rows;
  while (trace.next(r)) {
    if (first) {
      first = false;
      if (trace.reader().absolute_time) {
        base = std::floor(r.submit_s / 86400) * 86400;
        rows += "# time_base: " + format_local_datetime(static_cast<long long>(base)) + "\n";
      }
      rows += "id,submit_s,duration_s,gpus,gpu_type,tenant,status,attempts\n";
    }
    const TraceLabels& l = trace.reader().labels;
    progress("writing", ++written);
    rows += (r.id >= 0 ? std::to_string(r.id) : "") + ',' + num(r.submit_s - base) + ',' + num(r.run_s) + ',' + num(r.gpus) + ',' + csv_field(l.gpu_types[r.gpu_type]) +
            ',' + csv_field(l.tenants[r.tenant]) + ',' + csv_field(l.statuses[r.status]) + ',' + std::to_string(r.attempts) + '\n';
    if (rows.size() > (1u << 20)) {
      out.append(rows);
      rows.clear();
    }
  }
  if (first) rows += "id,submit_s,duration_s,gpus,gpu_type,tenant,status,attempts\n";
  out.append(rows);
  out.commit();
  progress.done();
  long long skipped = 0;
  for (const auto& [reason, n] : trace.reader().skipped) skipped += n;
  std::fprintf(stderr, "capsim: wrote %s%s; %lld records skipped\n", a.out.c_str(), trace.was_sorted() ? "" : " (sorted by submit time)", skipped);
  return 0;
}

}  // namespace

int run_trace(const TraceArgs& a) {
  if (a.convert->parsed()) return convert(a);
  const TraceOptions o = options(a);
  std::optional<TraceCluster> cluster;
  if (!a.nodes.empty()) cluster = read_trace_cluster(a.nodes);
  auto reader = open_trace(o);
  ProgressLine progress(a.quiet);
  const nlohmann::json s = trace_stats(*reader, to_string(o.format), cluster ? &*cluster : nullptr, [&](long long rows) { progress("reading", rows); });
  progress.done();
  if (a.json) std::printf("%s\n", s.dump(2).c_str());
  else std::fputs(trace_stats_text(s).c_str(), stdout);
  return 0;
}

}  // namespace capsim
