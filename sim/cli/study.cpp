#include "sim/cli/study.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include <nlohmann/json.hpp>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/common/params.hpp"
#include "models/common/random.hpp"
#include "models/scenario/overrides.hpp"
#include "models/scenario/scenario.hpp"
#include "reports/atomic_file.hpp"
#include "reports/comparison.hpp"

extern char** environ;

namespace capsim {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct StudyScenario {
  std::string name;  // variant name, or the file's stem
  std::string file;
  std::vector<Override> overrides;
  std::vector<std::pair<std::string, std::string>> variants;  // (axis, variant name) that make it
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

volatile std::sig_atomic_t g_study_stop = 0;
void on_study_signal(int) { g_study_stop = 1; }

[[noreturn]] void fail_at(const std::string& file, const std::string& path, const std::string& what) {
  throw InputError(file + ": " + path + ": " + what);
}

// Scenario names become folders under runs/: nothing that climbs out of --out or hides there.
void check_run_name(const std::string& name, const std::string& file, const std::string& path) {
  static const std::regex ok("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
  if (!std::regex_match(name, ok))
    fail_at(file, path, "expected a name of letters, digits, '_', '.' or '-', not starting with '.' or '-', at most 100 characters, found \"" +
                            name + "\"");
}

// The study file's own keys, checked. Kept in file order: scenarios and variants run and are shown in
// the order they are written.
using StudyJson = nlohmann::ordered_json;
StudyJson read_study_file(const std::string& file) {
  const std::string text = read_text_file(file);
  parse_json_text(text, file);  // the syntax errors, with line and column
  StudyJson st = StudyJson::parse(text);
  auto fail = [&](const std::string& path, const std::string& what) { fail_at(file, path, what); };
  if (!st.is_object()) fail("(top level)", "expected an object");
  if (!st.contains("capsim_study") || st["capsim_study"] != 1)
    fail("capsim_study", "expected study format version 1, found " + (st.contains("capsim_study") ? st["capsim_study"].dump() : "nothing"));
  if (st.contains("name") && !st["name"].is_string()) fail("name", "expected a string, found " + st["name"].dump());
  if (st.contains("replications") && !st["replications"].is_number_integer())
    fail("replications", "expected an integer from 1 to 1000, found " + st["replications"].dump());
  if (st.contains("baseline") && !st["baseline"].is_string()) fail("baseline", "expected a scenario name, found " + st["baseline"].dump());
  for (const auto& [k, _] : st.items()) {
    static const std::vector<std::string> known = {"capsim_study", "name",         "description", "base",
                                                   "scenarios",    "variants",     "replications", "baseline"};
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      std::string hint = params::near_miss(k, known);
      fail(k, "unknown key `" + k + "`" + (hint.empty() ? "" : ", did you mean `" + hint + "`?"));
    }
  }
  return st;
}

// A variant's value as --set takes it (JSON text when it parses, else a string): a string that would parse
// as something else ("2026", "true") is passed quoted, so it stays a string.
std::string override_text(const StudyJson& v) {
  if (!v.is_string()) return v.dump();
  const std::string& t = v.get_ref<const std::string&>();
  return json::accept(t) ? v.dump() : t;
}

// A base with named variants: the product of the axes, names joined with "-".
std::vector<StudyScenario> expand_variants(const StudyJson& st, const std::string& file, const fs::path& dir) {
  auto fail = [&](const std::string& path, const std::string& what) { fail_at(file, path, what); };
  if (!st.contains("base") || !st["base"].is_string()) fail("base", "expected the base scenario file (or a `scenarios` list)");
  std::string base = (dir / st["base"].get<std::string>()).lexically_normal().string();
  struct Combo {
    std::string name;
    std::vector<Override> overrides;
    std::vector<std::pair<std::string, std::string>> variants;
  };
  std::vector<Combo> combos = {{"", {}, {}}};
  if (st.contains("variants")) {
    if (!st["variants"].is_object() || st["variants"].empty())
      fail("variants", "expected an object of axes, each an object of named variants, found " + st["variants"].dump().substr(0, 40));
    for (const auto& [axis, values] : st["variants"].items()) {
      if (!values.is_object() || values.empty()) fail("variants." + axis, "expected an object of named variants");
      std::vector<Combo> next;
      for (const Combo& c : combos) {
        for (const auto& [vname, sets] : values.items()) {
          check_run_name(vname, file, "variants." + axis + "." + vname);
          if (!sets.is_object()) fail("variants." + axis + "." + vname, "expected an object of PATH: VALUE overrides");
          Combo n = c;
          for (const auto& [path, v] : sets.items()) n.overrides.push_back({path, override_text(v)});
          n.name = c.name.empty() ? vname : c.name + "-" + vname;
          n.variants.emplace_back(axis, vname);
          next.push_back(std::move(n));
        }
      }
      combos = std::move(next);
    }
  }
  std::vector<StudyScenario> out;
  for (auto& c : combos) out.push_back({c.name.empty() ? fs::path(base).stem().string() : c.name, base, c.overrides, c.variants});
  return out;
}

// The scenarios of the study: a list of files, or a base with variants. Every one is validated before any
// runs, so a typo fails in a second, not after an hour (traces are read by the runs themselves). Returns
// each scenario's seed in `seeds`.
std::vector<StudyScenario> study_scenarios(const StudyJson& st, const std::string& file, const std::vector<Override>& sets,
                                           std::map<std::string, std::uint64_t>& seeds) {
  const fs::path dir = fs::absolute(file).parent_path();
  std::vector<StudyScenario> scenarios;
  if (st.contains("scenarios") && (st.contains("base") || st.contains("variants")))
    fail_at(file, "scenarios", "expected either `scenarios` (a list of files) or `base` with `variants`, found both");
  if (st.contains("scenarios")) {
    if (!st["scenarios"].is_array() || st["scenarios"].empty()) fail_at(file, "scenarios", "expected a non-empty array of scenario files");
    for (const auto& f : st["scenarios"]) {
      if (!f.is_string()) fail_at(file, "scenarios", "expected file names, found " + f.dump());
      fs::path p = dir / f.get<std::string>();
      check_run_name(p.stem().string(), file, "scenarios." + std::to_string(scenarios.size()));
      scenarios.push_back({p.stem().string(), p.lexically_normal().string(), {}, {}});
    }
  } else {
    scenarios = expand_variants(st, file, dir);
  }
  for (StudyScenario& sc : scenarios) {
    sc.overrides.insert(sc.overrides.end(), sets.begin(), sets.end());
    check_run_name(sc.name, file, st.contains("scenarios") ? "scenarios" : "variants");
    if (seeds.count(sc.name))
      fail_at(file, st.contains("scenarios") ? "scenarios" : "variants", "expected distinct scenario names, found \"" + sc.name + "\" twice");
    seeds[sc.name] = 0;
  }
  for (const StudyScenario& sc : scenarios) {
    const Scenario loaded = load_scenario(sc.file, sc.overrides);
    seeds[sc.name] = loaded.seed;
    for (const std::string& w : loaded.warnings) std::fprintf(stderr, "capsim: warning: %s: %s\n", sc.name.c_str(), w.c_str());
  }
  return scenarios;
}

// One run per scenario and replication, each with a directory of its own; replications get derived seeds.
std::vector<Run> plan_runs(const std::vector<StudyScenario>& scenarios, int replications, const std::map<std::string, std::uint64_t>& seeds,
                           const std::string& out) {
  std::vector<Run> runs;
  for (const StudyScenario& sc : scenarios) {
    for (int r = 0; r < replications; ++r) {
      Run run;
      run.scenario = sc.name;
      run.replication = r;
      run.overrides = sc.overrides;
      if (replications > 1) {
        std::uint64_t state = seeds.at(sc.name) + 0x9e3779b97f4a7c15ULL * (r + 1);
        run.overrides.push_back({"seed", std::to_string(splitmix64(state) >> 12)});
      }
      run.dir = (fs::path(out) / "runs" / (replications > 1 ? sc.name + "/rep-" + std::to_string(r) : sc.name)).string();
      std::error_code ec;
      fs::create_directories(run.dir, ec);
      if (ec) throw OutputError(run.dir + ": cannot create the run's directory (" + ec.message() + ")");
      runs.push_back(run);
    }
  }
  return runs;
}

void spawn(Run& r, const std::string& self, const std::string& file) {
  std::vector<std::string> args = {self, "run", file, "--out", r.dir, "--force", "--quiet"};
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
  // The child stops if this process dies (sim/cli/app.cpp, follow_study_parent).
  std::vector<std::string> env_text = {"CAPSIM_STUDY_PARENT=" + std::to_string(getpid())};
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "CAPSIM_STUDY_PARENT=", 20) != 0) env_text.emplace_back(*e);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  r.started = std::chrono::steady_clock::now();
  int rc = posix_spawn(&r.pid, self.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw Error(ExitCode::internal, "cannot start " + self + ": " + std::strerror(rc));
}

// Runs them, at most `jobs` at a time, each in its own process (one SimGrid engine per process). Returns
// false if interrupted (the runs still going are told to stop).
bool run_all(std::vector<Run>& runs, const StudyArgs& a, const std::map<std::string, std::string>& files, int replications) {
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
      spawn(r, a.self, files.at(r.scenario));
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
  return !g_study_stop;
}

// The exit code of the first failed run (docs/errors.md), or 0.
int first_failure(const std::vector<Run>& runs) {
  for (const auto& r : runs) {
    if (r.exit_code == 0) continue;
    std::string err;
    std::ifstream e(r.dir + "/stderr.txt");
    std::getline(e, err);
    std::fprintf(stderr, "capsim: study run %s failed with exit code %d: %s\n", r.dir.c_str(), r.exit_code, err.c_str());
    // A run's documented code (bad input, too large, cannot write, interrupted) is the study's too.
    for (ExitCode c : {ExitCode::bad_input, ExitCode::too_large, ExitCode::cannot_write, ExitCode::interrupted})
      if (r.exit_code == static_cast<int>(c)) return r.exit_code;
    return static_cast<int>(ExitCode::internal);
  }
  return 0;
}

}  // namespace

int run_study(const StudyArgs& a) {
  const StudyJson st = read_study_file(a.file);
  int replications = a.replications > 0 ? a.replications : st.value("replications", 1);
  if (replications < 1 || replications > 1000)
    fail_at(a.file, "replications", "expected an integer from 1 to 1000, found " + std::to_string(replications));
  std::map<std::string, std::uint64_t> seeds;
  std::vector<Override> sets;
  for (const std::string& s : a.sets) sets.push_back(parse_override(s));
  const std::vector<StudyScenario> scenarios = study_scenarios(st, a.file, sets, seeds);
  const std::string baseline = !a.baseline.empty() ? a.baseline : st.value("baseline", "");
  if (!baseline.empty() && !seeds.count(baseline)) {
    std::string names;
    for (const StudyScenario& sc : scenarios) names += (names.empty() ? "" : ", ") + sc.name;
    fail_at(a.file, "baseline", "expected one of the study's scenarios (" + names + "), found \"" + baseline + "\"");
  }

  prepare_output_dir(a.out, a.force);
  std::vector<Run> runs = plan_runs(scenarios, replications, seeds, a.out);
  std::map<std::string, std::string> files;
  for (const StudyScenario& sc : scenarios) files[sc.name] = sc.file;
  if (!run_all(runs, a, files, replications)) {
    std::fprintf(stderr, "capsim: study interrupted; finished runs are in %s/runs\n", a.out.c_str());
    return static_cast<int>(ExitCode::interrupted);
  }
  if (int rc = first_failure(runs)) return rc;

  std::vector<ScenarioRuns> results;
  for (const StudyScenario& sc : scenarios) {
    ScenarioRuns sr;
    sr.name = sc.name;
    sr.variants = sc.variants;
    for (const auto& o : sc.overrides) sr.overrides += (sr.overrides.empty() ? "" : " ") + o.path + "=" + o.value;
    for (const auto& r : runs) {
      if (r.scenario != sc.name) continue;
      std::ifstream sf(r.dir + "/summary.json");
      sr.summaries.push_back(json::parse(sf));
    }
    results.push_back(std::move(sr));
  }
  const Comparison c = make_comparison(st.value("name", fs::path(a.file).stem().string()), replications, results, baseline);
  write_file_atomic((fs::path(a.out) / "comparison.csv").string(), c.csv);
  write_file_atomic((fs::path(a.out) / "replications.csv").string(), c.replications_csv);
  // A file this study does not produce must not be left from an earlier one (--force).
  for (const auto& [name, text] : {std::pair<const char*, const std::string&>{"members.csv", c.members_csv}, {"differences.csv", c.differences_csv}}) {
    const fs::path path = fs::path(a.out) / name;
    std::error_code absent_is_fine;
    if (!text.empty()) write_file_atomic(path.string(), text);
    else fs::remove(path, absent_is_fine);
  }
  write_file_atomic((fs::path(a.out) / "comparison.json").string(), c.json.dump(2) + "\n");
  std::fputs(comparison_table(c).c_str(), stdout);
  std::printf("outputs: %s/comparison.csv, comparison.json, replications.csv, %s%sruns/<scenario>/\n", a.out.c_str(),
              c.members_csv.empty() ? "" : "members.csv, ", c.differences_csv.empty() ? "" : "differences.csv, ");
  return 0;
}

}  // namespace capsim
