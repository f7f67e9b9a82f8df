#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/common/errors.hpp"
#include "models/workload/swf.hpp"
#include "models/workload/workload.hpp"
#include "reports/stats.hpp"

namespace capsim {
namespace {

Scenario synthetic() {
  auto doc = nlohmann::json::parse(R"({"capsim": 1, "horizon": "400 d", "cluster": {"node_type": "h100-sxm-8", "nodes": 4},
    "workload": {"mean_interarrival": "100 s", "classes": [
      {"name": "a", "share": 3, "sizes": {"gpus": [1, 2], "weights": [1, 3]}, "durations": {"median": "1 h", "sigma": 1.5}},
      {"name": "b", "share": 1, "sizes": {"distribution": "powers_of_two", "max_exponent": 3, "ratio": 0.5},
       "durations": {"distribution": "exponential", "mean": "2 h"}, "estimate_factor": 2}]}})");
  return load_scenario_json(doc, "s.json", ".");
}

TEST(Synthetic, DrawsMatchTheirDistributions) {
  Scenario s = synthetic();
  auto src = make_job_source(s);
  std::vector<double> gaps, a_runs, b_runs;
  long long n = 0, in_a = 0, a_two = 0, b_one = 0, b_jobs = 0;
  double last = 0;
  while (auto j = src->next()) {
    ++n;
    gaps.push_back(j->submit_s - last);
    last = j->submit_s;
    ASSERT_GE(j->run_s, 1);
    ASSERT_EQ(j->run_s, std::ceil(j->run_s));
    if (j->class_index == 0) {
      ++in_a;
      a_two += j->gpus == 2;
      a_runs.push_back(j->run_s);
      ASSERT_EQ(j->estimate_s, j->run_s);
    } else {
      ++b_jobs;
      b_one += j->gpus == 1;
      b_runs.push_back(j->run_s);
      ASSERT_EQ(j->estimate_s, 2 * j->run_s);
    }
  }
  // ~345,600 jobs; tolerances are several standard errors.
  EXPECT_NEAR(stats::mean(gaps), 100, 1.0);
  EXPECT_NEAR(static_cast<double>(in_a) / n, 0.75, 0.005);
  EXPECT_NEAR(static_cast<double>(a_two) / in_a, 0.75, 0.005);
  EXPECT_NEAR(static_cast<double>(b_one) / b_jobs, 8.0 / 15.0, 0.01);  // 1 : 0.5 : 0.25 : 0.125
  EXPECT_NEAR(stats::percentile(a_runs, 50), 3600, 40);
  EXPECT_NEAR(stats::mean(b_runs), 7200.5, 7200 * 0.02);
}

TEST(Synthetic, SeedChangesTheStreamAndNamesAreIndependent) {
  Scenario s = synthetic();
  auto a = make_job_source(s);
  s.seed = 2;
  auto b = make_job_source(s);
  int same = 0;
  for (int i = 0; i < 100; ++i) same += a->next()->submit_s == b->next()->submit_s;
  EXPECT_LT(same, 10);
}

TEST(Synthetic, ProfilesAndGrowthShapeTheArrivalRate) {
  // Start at local midnight on a Monday (2026-01-05, +09:00). Class a arrives only 09:00-18:00 on
  // weekdays; class b is flat and its demand doubles each year.
  auto doc = nlohmann::json::parse(R"({"capsim": 1, "start": "2026-01-05T00:00:00+09:00", "horizon": "730 d",
    "cluster": {"node_type": "h100-sxm-8", "nodes": 4},
    "workload": {"mean_interarrival": "60 s", "growth_per_year": 1.0, "classes": [
      {"name": "a", "share": 1, "sizes": {"gpus": [1]}, "durations": {"distribution": "constant", "value": "1 s"},
       "profile": {"hourly": [0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0], "weekday": [1,1,1,1,1,0,0]}},
      {"name": "b", "share": 1, "sizes": {"distribution": "lognormal", "median": 4, "sigma": 1, "max": 64},
       "durations": {"distribution": "empirical", "values": ["1 h", "3 h"], "weights": [3, 1]}}]}})");
  Scenario s = load_scenario_json(doc, "s.json", ".");
  auto src = make_job_source(s);
  long long a_year[2] = {0, 0}, b_year[2] = {0, 0}, b_long = 0, b_n = 0, b_size_le4 = 0;
  while (auto j = src->next()) {
    int year = j->submit_s < 365 * 86400.0 ? 0 : 1;
    if (j->class_index == 0) {
      long long day = static_cast<long long>(j->submit_s) / 86400;
      int hour = static_cast<int>(static_cast<long long>(j->submit_s) % 86400 / 3600);
      ASSERT_GE(hour, 9);
      ASSERT_LT(hour, 18);
      ASSERT_LT(day % 7, 5) << "weekend arrival";
      ++a_year[year];
    } else {
      ++b_year[year];
      ++b_n;
      b_long += j->run_s == 3 * 3600;
      b_size_le4 += j->gpus <= 4;
      ASSERT_LE(j->gpus, 64);
    }
  }
  // Growth 2x per year, continuously: year 2 / year 1 = 2 for both classes.
  EXPECT_NEAR(static_cast<double>(b_year[1]) / b_year[0], 2.0, 0.03);
  EXPECT_NEAR(static_cast<double>(a_year[1]) / a_year[0], 2.0, 0.05);
  // The profile reshapes but keeps the mean: a's first-year count ~ half of the rate x (integral of growth).
  double expected_first_year = 0.5 / 60 * 365 * 86400 * (1.0 / std::log(2.0));
  EXPECT_NEAR(a_year[0] / expected_first_year, 1.0, 0.03);
  EXPECT_NEAR(b_year[0] / expected_first_year, 1.0, 0.02);
  EXPECT_NEAR(static_cast<double>(b_long) / b_n, 0.25, 0.01);
  EXPECT_NEAR(static_cast<double>(b_size_le4) / b_n, 0.5, 0.01);  // median 4 GPUs (ceil keeps P(<= 4) = 1/2)
}

TEST(Synthetic, NegativeGrowthShrinksAFlatClass) {
  auto doc = nlohmann::json::parse(R"({"capsim": 1, "horizon": "730 d", "cluster": {"node_type": "h100-sxm-8", "nodes": 4},
    "workload": {"mean_interarrival": "60 s", "growth_per_year": -0.5, "classes": [
      {"name": "a", "sizes": {"gpus": [1]}, "durations": {"distribution": "constant", "value": "1 s"}}]}})");
  Scenario s = load_scenario_json(doc, "s.json", ".");
  auto src = make_job_source(s);
  long long year[2] = {0, 0};
  while (auto j = src->next()) ++year[j->submit_s < 365 * 86400.0 ? 0 : 1];
  EXPECT_NEAR(static_cast<double>(year[1]) / year[0], 0.5, 0.02);
  // First year: rate x integral of 0.5^t over a year = 525,600 x 0.5 / ln 2.
  EXPECT_NEAR(year[0] / (525600 * 0.5 / std::log(2.0)), 1.0, 0.02);
}

std::string write_tmp(const std::string& name, const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / name;
  std::ofstream(p) << text;
  return p.string();
}

TEST(Swf, ReadsFieldsAndHeader) {
  SwfWorkload w;
  w.path = write_tmp("capsim_ok.swf",
                     "; MaxProcs: 240\n; UnixStartTime: 1027839845\n"
                     "1 0 5 100.5 4 -1 -1 6 200 -1 1 1 1 -1 -1 1 -1 -1\n"
                     "2 10 5 50 4 -1 -1 -1 -1 -1 1 1 1 -1 -1 1 -1 -1\n"
                     "3 20 5 -1 4 -1 -1 4 200 -1 0 1 1 -1 -1 1 -1 -1\n"
                     "4 30 5 10 -1 -1 -1 -1 50 -1 1 1 1 -1 -1 1 -1 -1\n");
  w.gpus_per_processor = 0.5;
  SwfSource src(w, 1e9);
  auto a = src.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->trace_id, 1);
  EXPECT_EQ(a->gpus, 3);  // requested 6 processors x 0.5
  EXPECT_EQ(a->run_s, 101);
  EXPECT_EQ(a->estimate_s, 200);
  auto b = src.next();
  EXPECT_EQ(b->gpus, 2);  // falls back to allocated processors
  EXPECT_EQ(b->estimate_s, 50);  // no requested time: the run time
  EXPECT_FALSE(src.next());  // job 3 has no run time, job 4 no size: both skipped
  EXPECT_EQ(src.skipped(), 2);
  EXPECT_EQ(src.header().at("MaxProcs"), "240");
}

TEST(Swf, ErrorsNameFileAndLine) {
  SwfWorkload w;
  w.path = write_tmp("capsim_bad.swf", "; x\n1 0 5 100 4 -1 -1 6 200 -1 1 1 1 -1 -1 1 -1 -1\n2 1 5 7x 4 -1 -1 6 200 -1 1 1 1 -1 -1 1 -1 -1\n");
  SwfSource src(w, 1e9);
  src.next();
  try {
    src.next();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), w.path + ":3: field 4: expected a number, found \"7x\"");
  }
}

TEST(Swf, ReadsTheSharedHpc2nLog) {
  const std::string path = std::string(CAPSIM_SHARED_DIR) + "/data/traces/swf/HPC2N-2002-2.2_excerpt_alea.swf";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared trace absent: " << path;
  SwfWorkload w;
  w.path = path;
  SwfSource src(w, 1e12);
  long long n = 0, gpu_s = 0;
  while (auto j = src.next()) {
    ++n;
    gpu_s += static_cast<long long>(j->run_s) * j->gpus;
    ASSERT_LE(j->gpus, 240);
  }
  EXPECT_EQ(n + src.skipped(), 3170);
  EXPECT_EQ(src.header().at("MaxProcs"), "240");
  // Independently: every non-comment line's 18 fields read with a stream; a job's processors are field 8
  // (requested) if positive, else field 5 (allocated); jobs with run time < 0 or no processors are skipped;
  // run time rounded up to whole seconds (at least 1).
  std::ifstream in(path);
  std::string line;
  long long jobs = 0, expect_gpu_s = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == ';') continue;
    std::istringstream ss(line);
    double f[18];
    for (double& x : f) ss >> x;
    const double procs = f[7] > 0 ? f[7] : f[4];
    if (f[3] < 0 || procs <= 0) continue;
    ++jobs;
    expect_gpu_s += static_cast<long long>(std::max(1.0, std::ceil(f[3]))) * static_cast<long long>(procs);
  }
  EXPECT_EQ(n, jobs);
  EXPECT_EQ(gpu_s, expect_gpu_s);
}

}  // namespace
}  // namespace capsim
