#include "sim/cli/app.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "models/common/errors.hpp"
#include "models/common/stop_signal.hpp"
#include "models/scenario/footprint.hpp"
#include "models/scenario/scenario.hpp"
#include "models/workload/workload.hpp"
#include "reports/output_set.hpp"
#include "reports/federation.hpp"
#include "reports/summary.hpp"
#include "reports/timeseries.hpp"
#include "sim/cli/study.hpp"
#include "sim/cli/topology.hpp"
#include "sim/cli/trace.hpp"

namespace capsim {
namespace {

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

std::string hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

struct RunArgs {
  std::string file;
  std::string out;
  std::optional<std::string> seed;  // checked as written: CLI11 would read 017 as octal and wrap -1
  std::vector<std::string> sets;
  bool quiet = false;
  bool force = false;
};

std::vector<Override> overrides_of(const RunArgs& a) {
  std::vector<Override> o;
  for (const auto& s : a.sets) o.push_back(parse_override(s));
  if (a.seed) {
    const std::string& t = *a.seed;
    const bool digits = !t.empty() && t.size() <= 16 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoull(t) > 9007199254740992ULL)
      throw InputError("--seed: expected an integer from 0 to 9007199254740992, found \"" + t + "\"");
    o.push_back({"seed", std::to_string(std::stoull(t))});
  }
  return o;
}

void print_warnings(const Scenario& s) {
  for (const std::string& w : s.warnings) std::fprintf(stderr, "capsim: warning: %s\n", w.c_str());
}

int cmd_validate(const RunArgs& a) {
  Scenario s = load_scenario(a.file, overrides_of(a));
  print_warnings(s);
  // A trace is read through once, so a bad line is reported now rather than in the middle of a run.
  // The jobs are those the run will submit (same seed), so the offered work is exact.
  long long jobs = 0;
  double offered = 0;
  auto src = make_job_source(s);
  while (auto j = src->next()) {
    ++jobs;
    if (j->submit_s >= s.warmup_s) offered += j->gpus * j->run_s;
  }
  s.expected_jobs = static_cast<double>(jobs);  // counted: a trace's transforms make the estimate from its size wrong
  long long gpus = s.cluster.gpus();
  double capacity = s.cluster.capacity_gpu_s(s.warmup_s, s.horizon_s);
  if (s.federated()) {
    gpus = 0;
    capacity = 0;
    for (const Scenario& m : s.members) {
      gpus += m.cluster.gpus();
      capacity += m.cluster.capacity_gpu_s(s.warmup_s, s.horizon_s);
    }
  }
  std::printf("%s: valid (capsim format 1, %lld GPUs, %lld jobs over the horizon, about %.2f GiB of memory at peak, sha256 %s)\n",
              a.file.c_str(), gpus, jobs, footprint(s).bytes() / (1 << 30), s.sha256.c_str());
  std::printf("demand: %.0f GPU-hours offered after the warm-up against a capacity of %.0f: offered load %.2f\n", offered / 3600,
              capacity / 3600, capacity > 0 ? offered / capacity : 0.0);
  return 0;
}

// A run started by `capsim study` stops when the study's process ends, even by SIGKILL: it is told so by
// the kernel (SIGTERM), and checks that the study still exists (it may have died before that was set).
void follow_study_parent() {
  const char* parent = std::getenv("CAPSIM_STUDY_PARENT");
  if (!parent) return;
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (std::to_string(getppid()) != parent) throw Interrupted();
}

int cmd_run(const RunArgs& a, const std::string& command_line, RunSites run_sites) {
  auto wall0 = std::chrono::steady_clock::now();
  install_stop_handlers();
  follow_study_parent();
  std::string started = utc_now();
  Scenario s = load_scenario(a.file, overrides_of(a));
  print_warnings(s);
  std::string out = a.out.empty() ? "capsim-out" : a.out;
  OutputSet outputs(out, a.force);

  RunOptions opt;
  opt.progress = !a.quiet && isatty(STDERR_FILENO);
  opt.handle_signals = true;
  std::vector<RunResult> rs = run_sites(s, opt);
  const RunResult& r = rs.front();
  long long pod_switches = 0;
  for (const RunResult& x : rs) pod_switches += x.stats.pod_switches;

  nlohmann::json summary = s.federated() ? make_federation_summary(s, rs) : make_summary(s, r);
  if (!s.warnings.empty()) summary["warnings"] = s.warnings;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  nlohmann::json run = {{"capsim_version", CAPSIM_VERSION},
                        {"command_line", command_line},
                        {"host", hostname()},
                        {"started_at", started},
                        {"wall_s", wall},
                        {"peak_memory_mb", peak_rss_mb()},
                        {"peak_memory_estimate_mb", footprint(s).bytes() / (1 << 20)},
                        {"engine",
                         {{"simgrid_execs", r.stats.execs_started},
                          {"simgrid_comms", r.stats.comms_started},
                          {"worker_actors", r.stats.worker_actors},
                          {"scheduler_wakeups", r.stats.scheduler_wakeups},
                          {"pod_hosts", r.stats.pod_hosts},
                          {"pod_switches", pod_switches},
                          {"platform_build_s", r.stats.platform_build_s}}}};
  outputs.write("scenario.resolved.json", s.resolved.dump(2) + "\n");
  outputs.write("jobs.csv", s.federated() ? federation_jobs_csv(s, rs) : jobs_csv(s, r));
  outputs.write("timeseries.csv", s.federated() ? federation_timeseries_csv(s, rs) : timeseries_csv(s, r));
  outputs.write("run.json", run.dump(2) + "\n");
  outputs.write("summary.json", summary.dump(2) + "\n");
  // A stop asked for during the run or while the outputs are written leaves --out as it was.
  outputs.commit();
  std::fputs((s.federated() ? federation_summary_text(s, summary) : summary_text(s, summary)).c_str(), stdout);
  std::printf("outputs      %s/ (summary.json, jobs.csv, timeseries.csv, scenario.resolved.json, run.json)\n",
              out.c_str());
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv, RunSites run_sites) {
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);

  CLI::App app{"capsim: simulate GPU clusters at national scale (scenario format: docs/scenario.md)", "capsim"};
  app.set_version_flag("--version", std::string("capsim ") + CAPSIM_VERSION);
  app.require_subcommand(1);

  RunArgs a;
  auto* validate = app.add_subcommand("validate", "Check a scenario file (and its trace) without running it");
  validate->add_option("FILE", a.file, "Scenario file (JSON)")->required();
  validate->add_option("--set", a.sets, "Override a value: PATH=VALUE, e.g. cluster.nodes=12500 (repeatable)");

  auto* run = app.add_subcommand("run", "Run a scenario and write its outputs");
  run->add_option("FILE", a.file, "Scenario file (JSON)")->required();
  run->add_option("--out", a.out, "Output directory (absent or empty unless --force; default ./capsim-out)");
  run->add_option("--seed", a.seed, "Seed, overriding the scenario's");
  run->add_option("--set", a.sets, "Override a value: PATH=VALUE, e.g. cluster.nodes=12500 (repeatable)");
  run->add_flag("--quiet,-q", a.quiet, "No progress on stderr");
  run->add_flag("--force", a.force, "Write into a non-empty output directory");

  StudyArgs sa;
  auto* study = app.add_subcommand("study", "Run the scenarios of a study file side by side (one process per run)");
  study->add_option("FILE", sa.file, "Study file (JSON)")->required();
  study->add_option("--out", sa.out, "Output directory (absent or empty unless --force; default ./capsim-study)");
  study->add_option("--jobs,-j", sa.jobs, "Runs in parallel (default: the number of cores)")->check(CLI::Range(1, 1024));
  study->add_option("--replications,-r", sa.replications, "Runs per scenario with derived seeds; means with 95% CIs")
      ->check(CLI::Range(1, 1000));
  study->add_option("--set", sa.sets, "Override a value in every scenario, after the variants: PATH=VALUE, e.g. horizon=30d (repeatable)");
  study->add_option("--baseline", sa.baseline, "Scenario the others are compared with (differences.csv; default: the study file's)");
  study->add_flag("--quiet,-q", sa.quiet, "No progress on stderr");
  study->add_flag("--force", sa.force, "Write into a non-empty output directory");

  TopologyArgs ta;
  auto* topology = add_topology_command(app, ta);
  TraceArgs tra;
  auto* trace = add_trace_command(app, tra);

  bool markdown = false;
  auto* schema = app.add_subcommand("schema", "Print the JSON Schema of the scenario format");
  schema->add_flag("--markdown", markdown, "Print the field tables of docs/scenario.md instead");

  if (argc >= 2 && argv[1][0] != '-') {
    const std::string cmd = argv[1];
    if (cmd != "validate" && cmd != "run" && cmd != "study" && cmd != "topology" && cmd != "trace" && cmd != "schema") {
      std::fprintf(stderr, "capsim: unknown command `%s`; expected validate, run, study, topology, trace or schema (see capsim --help)\n", cmd.c_str());
      return static_cast<int>(ExitCode::bad_input);
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "capsim: %s (see capsim --help)\n", e.what());
    return static_cast<int>(ExitCode::bad_input);
  }

  auto command = [&]() -> int {
    if (*validate) return cmd_validate(a);
    if (*run) return cmd_run(a, command_line, run_sites);
    if (*topology) return run_topology(ta);
    if (*trace) return run_trace(tra);
    if (*study) {
      if (sa.out.empty()) sa.out = "capsim-study";
      sa.self = std::filesystem::read_symlink("/proc/self/exe").string();
      return run_study(sa);
    }
    if (markdown) std::fputs(params::markdown(scenario_spec()).c_str(), stdout);
    else std::printf("%s\n", params::json_schema(scenario_spec()).dump(2).c_str());
    return 0;
  };
  try {
    if ((run->count("--out") > 0 && a.out.empty()) || (study->count("--out") > 0 && sa.out.empty()))
      throw InputError("--out: expected a directory, found an empty path");
    const int rc = command();
    // What a command prints is part of its result (the schema is nothing else): a full disk or a closed
    // pipe is an error, not a silent success.
    if (std::fflush(stdout) != 0 || std::ferror(stdout))
      throw OutputError(std::string("standard output: cannot write (") + std::strerror(errno) + ")");
    return rc;
  } catch (const Error& e) {
    std::fprintf(stderr, "capsim: %s\n", e.what());
    return static_cast<int>(e.code());
  } catch (const nlohmann::json::exception& e) {
    // Only input documents are read as JSON: a type the loaders did not check is still bad input.
    std::fprintf(stderr, "capsim: invalid input: %s\n", printable(e.what()).c_str());
    return static_cast<int>(ExitCode::bad_input);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "capsim: out of memory; the run is too large for this machine\n");
    return static_cast<int>(ExitCode::too_large);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "capsim: internal error: %s\n", e.what());
    return static_cast<int>(ExitCode::internal);
  }
}

}  // namespace capsim
