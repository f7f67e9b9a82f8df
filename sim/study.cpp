#include "sim/study.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/common/params.hpp"
#include "models/common/random.hpp"
#include "models/scenario/scenario.hpp"
#include "reports/atomic_file.hpp"
#include "reports/stats.hpp"

extern char** environ;

namespace capsim {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Key metrics of the comparison: (summary path, column name).
const std::vector<std::pair<std::string, std::string>> kMetrics = {
    {"gpus_installed", "gpus"},
    {"jobs.submitted", "jobs_submitted"},
    {"jobs.completed", "jobs_completed"},
    {"jobs.queued_at_end", "jobs_queued_at_end"},
    {"wait_s.mean", "wait_mean_s"},
    {"wait_s.p95", "wait_p95_s"},
    {"utilization.allocated", "utilization_allocated"},
    {"gpu_hours.delivered", "gpu_hours_delivered"},
    {"compute.delivered_exaflop", "delivered_exaflop"},
    {"energy.it_mwh", "it_energy_mwh"},
    {"energy.facility_mwh", "facility_energy_mwh"},
    {"power.facility_peak_mw", "facility_peak_mw"},
    {"power.hours_capped", "hours_capped"},
    {"pue.mean", "pue_mean"},
    {"carbon.tco2", "carbon_tco2"},
    {"cost.usd.capex", "capex_usd"},
    {"cost.usd.total_per_year", "total_cost_per_year_usd"},
    {"cost.usd.per_gpu_hour_delivered", "cost_per_gpu_hour_usd"},
    {"cost.usd.per_exaflop_delivered", "cost_per_exaflop_usd"},
    {"cost.usd.npv", "npv_usd"},
};

struct Run {
  std::string scenario;  // variant name
  int replication = 0;
  std::vector<Override> overrides;
  std::string dir;
  pid_t pid = -1;
  int exit_code = -1;
  double wall_s = 0;
  std::chrono::steady_clock::time_point started;
};

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

volatile std::sig_atomic_t g_study_stop = 0;
void on_study_signal(int) { g_study_stop = 1; }

}  // namespace

int run_study(const StudyArgs& a) {
  // Read and check the study file.
  json st = parse_json_text(read_text_file(a.file), a.file);
  auto fail = [&](const std::string& path, const std::string& what) { throw InputError(a.file + ": " + path + ": " + what); };
  if (!st.is_object()) fail("(top level)", "expected an object");
  if (!st.contains("capsim_study") || st["capsim_study"] != 1)
    fail("capsim_study", "expected study format version 1, found " + (st.contains("capsim_study") ? st["capsim_study"].dump() : "nothing"));
  if (st.contains("name") && !st["name"].is_string()) fail("name", "expected a string, found " + st["name"].dump());
  if (st.contains("replications") && !st["replications"].is_number_integer())
    fail("replications", "expected an integer from 1 to 1000, found " + st["replications"].dump());
  for (const auto& [k, _] : st.items()) {
    static const std::vector<std::string> known = {"capsim_study", "name", "description", "base", "scenarios", "variants", "replications"};
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      std::string hint = params::near_miss(k, known);
      fail(k, "unknown key `" + k + "`" + (hint.empty() ? "" : ", did you mean `" + hint + "`?"));
    }
  }
  const fs::path dir = fs::absolute(a.file).parent_path();
  int replications = a.replications > 0 ? a.replications : st.value("replications", 1);
  if (replications < 1 || replications > 1000) fail("replications", "expected 1 to 1000");

  // Scenarios: a list of files, or a base with named variants (the product of the axes).
  std::vector<std::pair<std::string, std::pair<std::string, std::vector<Override>>>> scenarios;  // name -> file, overrides
  if (st.contains("scenarios")) {
    if (!st["scenarios"].is_array() || st["scenarios"].empty()) fail("scenarios", "expected a non-empty array of scenario files");
    for (const auto& f : st["scenarios"]) {
      if (!f.is_string()) fail("scenarios", "expected file names, found " + f.dump());
      fs::path p = dir / f.get<std::string>();
      scenarios.push_back({p.stem().string(), {p.lexically_normal().string(), {}}});
    }
  } else {
    if (!st.contains("base") || !st["base"].is_string()) fail("base", "expected the base scenario file (or a `scenarios` list)");
    std::string base = (dir / st["base"].get<std::string>()).lexically_normal().string();
    std::vector<std::pair<std::string, std::vector<Override>>> combos = {{"", {}}};
    if (st.contains("variants")) {
      if (!st["variants"].is_object() || st["variants"].empty())
        fail("variants", "expected an object of axes, each an object of named variants, found " + st["variants"].dump().substr(0, 40));
      for (const auto& [axis, values] : st["variants"].items()) {
        if (!values.is_object() || values.empty()) fail("variants." + axis, "expected an object of named variants");
        std::vector<std::pair<std::string, std::vector<Override>>> next;
        for (const auto& c : combos) {
          for (const auto& [vname, sets] : values.items()) {
            if (!sets.is_object()) fail("variants." + axis + "." + vname, "expected an object of PATH: VALUE overrides");
            auto o = c.second;
            for (const auto& [path, v] : sets.items()) o.push_back({path, v.is_string() ? v.get<std::string>() : v.dump()});
            next.push_back({c.first.empty() ? vname : c.first + "-" + vname, o});
          }
        }
        combos = std::move(next);
      }
    }
    for (auto& c : combos) scenarios.push_back({c.first.empty() ? fs::path(base).stem().string() : c.first, {base, c.second}});
  }
  // Validate every scenario before running any, so a typo fails in a second, not after an hour (traces
  // are read by the runs themselves).
  std::map<std::string, std::uint64_t> seeds;
  for (const auto& [name, spec] : scenarios) {
    if (seeds.count(name))
      fail(st.contains("scenarios") ? "scenarios" : "variants", "expected distinct scenario names, found \"" + name + "\" twice");
    seeds[name] = 0;
  }
  for (const auto& [name, spec] : scenarios) {
    Scenario s = load_scenario(spec.first, spec.second);
    seeds[name] = s.seed;
  }

  prepare_output_dir(a.out, a.force);
  std::vector<Run> runs;
  for (const auto& [name, spec] : scenarios) {
    for (int r = 0; r < replications; ++r) {
      Run run;
      run.scenario = name;
      run.replication = r;
      run.overrides = spec.second;
      if (replications > 1) {
        std::uint64_t state = seeds[name] + 0x9e3779b97f4a7c15ULL * (r + 1);
        run.overrides.push_back({"seed", std::to_string(splitmix64(state) >> 12)});
      }
      run.dir = (fs::path(a.out) / "runs" / (replications > 1 ? name + "/rep-" + std::to_string(r) : name)).string();
      std::error_code ec;
      fs::create_directories(run.dir, ec);
      if (ec) throw OutputError(run.dir + ": cannot create the run's directory (" + ec.message() + ")");
      runs.push_back(run);
    }
  }
  std::map<std::string, std::string> files;
  for (const auto& [name, spec] : scenarios) files[name] = spec.first;

  // Run them, at most `jobs` at a time, each in its own process.
  int jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  // Without SA_RESTART, so waitpid returns on a signal and the runs can be told to stop.
  struct sigaction stop{}, prev_int{}, prev_term{};
  stop.sa_handler = on_study_signal;
  sigemptyset(&stop.sa_mask);
  stop.sa_flags = 0;
  sigaction(SIGINT, &stop, &prev_int);
  sigaction(SIGTERM, &stop, &prev_term);
  std::size_t next = 0, done = 0, running = 0;
  const bool progress = !a.quiet && isatty(STDERR_FILENO);
  auto t0 = std::chrono::steady_clock::now();
  while (done < runs.size()) {
    while (!g_study_stop && running < static_cast<std::size_t>(jobs) && next < runs.size()) {
      Run& r = runs[next++];
      std::vector<std::string> args = {a.self, "run", files[r.scenario], "--out", r.dir, "--force", "--quiet"};
      for (const auto& o : r.overrides) {
        args.push_back("--set");
        args.push_back(o.path + "=" + o.value);
      }
      std::vector<char*> argv;
      for (auto& s : args) argv.push_back(s.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      std::string out_log = r.dir + "/stdout.txt", err_log = r.dir + "/stderr.txt";
      posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      r.started = std::chrono::steady_clock::now();
      int rc = posix_spawn(&r.pid, a.self.c_str(), &fa, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&fa);
      if (rc != 0) throw Error(ExitCode::internal, "cannot start " + a.self + ": " + std::strerror(rc));
      ++running;
    }
    if (running == 0) break;  // interrupted before everything started
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) {
        for (auto& r : runs)
          if (r.pid > 0 && r.exit_code < 0) kill(r.pid, SIGINT);
        continue;
      }
      break;
    }
    for (auto& r : runs) {
      if (r.pid != pid) continue;
      r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - r.started).count();
      --running;
      ++done;
      if (progress)
        std::fprintf(stderr, "[capsim study] %zu/%zu done: %s%s (%.1f s, exit %d), elapsed %.0f s\n", done, runs.size(),
                     r.scenario.c_str(), replications > 1 ? (" rep " + std::to_string(r.replication)).c_str() : "",
                     r.wall_s, r.exit_code,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  sigaction(SIGINT, &prev_int, nullptr);
  sigaction(SIGTERM, &prev_term, nullptr);
  if (g_study_stop) {
    std::fprintf(stderr, "capsim: study interrupted; finished runs are in %s/runs\n", a.out.c_str());
    return static_cast<int>(ExitCode::interrupted);
  }
  for (const auto& r : runs) {
    if (r.exit_code != 0) {
      std::string err;
      std::ifstream e(r.dir + "/stderr.txt");
      std::getline(e, err);
      std::fprintf(stderr, "capsim: study run %s failed with exit code %d: %s\n", r.dir.c_str(), r.exit_code, err.c_str());
      // A run's documented code (bad input, too large, cannot write, interrupted) is the study's too.
      for (ExitCode c : {ExitCode::bad_input, ExitCode::too_large, ExitCode::cannot_write, ExitCode::interrupted})
        if (r.exit_code == static_cast<int>(c)) return r.exit_code;
      return static_cast<int>(ExitCode::internal);
    }
  }

  // Aggregate: one row per scenario; with replications, means and 95% confidence half-widths. A
  // federation's members get rows of their own in members.csv and comparison.json's `members`.
  json rows = json::array(), member_rows = json::array();
  std::string header;
  for (const auto& [_, col] : kMetrics) header += "," + col + (replications > 1 ? "," + col + "_ci95" : "");
  std::string csv = "scenario,replications" + header + "\n";
  std::string members_csv = "scenario,member,site,replications" + header + "\n";
  // Fills `row` (and appends to `out`) from the summaries of one scenario's runs, or of one member in them.
  auto aggregate = [&](const std::vector<json>& summaries, json& row, std::string& out) {
    std::map<std::string, std::vector<double>> values;
    for (const json& summary : summaries)
      for (const auto& [path, col] : kMetrics)
        if (const json* v = find_dotted(summary, path); v && v->is_number()) values[col].push_back(v->get<double>());
    for (const auto& [path, col] : kMetrics) {
      const auto& v = values[col];
      if (v.size() != static_cast<std::size_t>(replications)) {
        out += replications > 1 ? ",," : ",";
        continue;
      }
      double mean = stats::mean(v);
      row[col] = mean;
      out += "," + num(mean);
      if (replications > 1) {
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        double half = stats::t95(replications - 1) * std::sqrt(var / (replications - 1) / replications);
        row[col + "_ci95"] = half;
        out += "," + num(half);
      }
    }
    out += "\n";
  };
  for (const auto& [name, spec] : scenarios) {
    std::vector<json> summaries;
    for (const auto& r : runs) {
      if (r.scenario != name) continue;
      std::ifstream sf(r.dir + "/summary.json");
      summaries.push_back(json::parse(sf));
    }
    json row = {{"scenario", name}, {"replications", replications}};
    csv += csv_field(name) + "," + std::to_string(replications);
    aggregate(summaries, row, csv);
    std::string set_text;
    for (const auto& o : spec.second) set_text += (set_text.empty() ? "" : " ") + o.path + "=" + o.value;
    row["overrides"] = set_text;
    rows.push_back(row);
    if (summaries.empty() || !summaries.front().contains("sites")) continue;
    for (const auto& [member, first] : summaries.front()["sites"].items()) {
      std::vector<json> of_member;
      for (const json& sm : summaries) of_member.push_back(sm["sites"][member]);
      const std::string site = first.contains("site") ? first["site"]["key"].get<std::string>() : "";
      json mrow = {{"scenario", name}, {"member", member}, {"site", site}, {"replications", replications}};
      members_csv += csv_field(name) + "," + csv_field(member) + "," + csv_field(site) + "," + std::to_string(replications);
      aggregate(of_member, mrow, members_csv);
      member_rows.push_back(mrow);
    }
  }
  json comparison = {{"capsim_version", CAPSIM_VERSION}, {"study", st.value("name", fs::path(a.file).stem().string())},
                     {"replications", replications}, {"scenarios", rows}};
  if (!member_rows.empty()) comparison["members"] = member_rows;
  write_file_atomic((fs::path(a.out) / "comparison.csv").string(), csv);
  if (!member_rows.empty()) write_file_atomic((fs::path(a.out) / "members.csv").string(), members_csv);
  write_file_atomic((fs::path(a.out) / "comparison.json").string(), comparison.dump(2) + "\n");

  // The side-by-side table: scenarios as columns.
  const std::vector<std::pair<std::string, std::string>> shown = {
      {"gpus", "GPUs"},
      {"utilization_allocated", "utilisation"},
      {"wait_mean_s", "mean wait (h)"},
      {"wait_p95_s", "p95 wait (h)"},
      {"delivered_exaflop", "delivered ZFLOP"},
      {"facility_peak_mw", "facility peak (MW)"},
      {"facility_energy_mwh", "facility energy (GWh)"},
      {"hours_capped", "hours power-capped"},
      {"pue_mean", "PUE"},
      {"carbon_tco2", "carbon (kt CO2)"},
      {"capex_usd", "capex (M USD)"},
      {"total_cost_per_year_usd", "cost per year (M USD)"},
      {"cost_per_gpu_hour_usd", "USD per GPU-hour"}};
  std::printf("%-24s", "");
  for (const auto& row : rows) std::printf(" %14.14s", row["scenario"].get<std::string>().c_str());
  std::printf("\n");
  for (const auto& [col, label] : shown) {
    std::printf("%-24s", label.c_str());
    for (const auto& row : rows) {
      if (!row.contains(col)) {
        std::printf(" %14s", "-");
        continue;
      }
      double v = row[col].get<double>();
      if (col == "wait_mean_s" || col == "wait_p95_s") v /= 3600;
      if (col == "facility_energy_mwh") v /= 1000;
      if (col == "delivered_exaflop") v /= 1000;
      if (col == "carbon_tco2") v /= 1000;
      if (col == "capex_usd" || col == "total_cost_per_year_usd") v /= 1e6;
      if (col == "utilization_allocated") v *= 100;
      std::printf(" %14s", num(std::round(v * 100) / 100).c_str());
    }
    std::printf("\n");
  }
  std::printf("outputs: %s/comparison.csv, comparison.json, %sruns/<scenario>/\n", a.out.c_str(),
              member_rows.empty() ? "" : "members.csv, ");
  return 0;
}

}  // namespace capsim
