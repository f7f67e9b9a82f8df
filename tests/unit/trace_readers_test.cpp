// The GPU-trace readers (models/workload/gpu_trace.hpp) on the hand-made files of tests/traces/ (see its
// README.md) and on the real samples in /work/shared. Every expected number below is worked out by hand
// from the file's rows (the comments say how), never by calling the code under test; the real samples
// are checked against a simple parse of the file done here (std::getline and splitting on commas).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/errors.hpp"
#include "models/workload/gpu_trace.hpp"
#include "models/workload/trace_gpus.hpp"
#include "models/workload/workload.hpp"

namespace capsim {
namespace {

std::string hand_made(const char* name) { return std::string(CAPSIM_SOURCE_DIR) + "/tests/traces/" + name; }

TraceOptions options(TraceFormat f, const std::string& path, const std::string& job_table = "") {
  TraceOptions o;
  o.format = f;
  o.path = path;
  o.job_table = job_table;
  return o;
}

// What a reader gave, with its labels and skips (copied out of the reader).
struct Read {
  std::vector<TraceRow> rows;
  TraceLabels labels;
  SkipCounts skipped;
  bool absolute_time = false;
  bool was_sorted = true;  // SortedTrace only

  double gpu_hours() const {
    double s = 0;
    for (const TraceRow& r : rows) s += r.gpus * r.run_s;
    return s / 3600;
  }
  std::map<std::string, int> statuses() const {
    std::map<std::string, int> m;
    for (const TraceRow& r : rows) ++m[labels.statuses[r.status]];
    return m;
  }
  std::map<std::string, int> gpu_types() const {
    std::map<std::string, int> m;
    for (const TraceRow& r : rows) ++m[labels.gpu_types[r.gpu_type]];
    return m;
  }
  std::map<std::string, int> tenants() const {
    std::map<std::string, int> m;
    for (const TraceRow& r : rows) ++m[labels.tenants[r.tenant]];
    return m;
  }
  std::vector<std::int64_t> ids() const {
    std::vector<std::int64_t> v;
    for (const TraceRow& r : rows) v.push_back(r.id);
    return v;
  }
  const TraceRow& by_id(std::int64_t id) const {
    for (const TraceRow& r : rows)
      if (r.id == id) return r;
    throw std::runtime_error("no row with id " + std::to_string(id));
  }
  int fractional() const {
    int n = 0;
    for (const TraceRow& r : rows) n += r.gpus != std::floor(r.gpus);
    return n;
  }
};

// In file order, through open_trace.
Read in_file_order(const TraceOptions& o) {
  auto reader = open_trace(o);
  Read out;
  TraceRow r;
  while (reader->next(r)) out.rows.push_back(r);
  out.labels = reader->labels;
  out.skipped = reader->skipped;
  out.absolute_time = reader->absolute_time;
  return out;
}

// In submit order, through SortedTrace; checks that the submit times never go backwards.
Read in_submit_order(const TraceOptions& o) {
  SortedTrace t(o);
  Read out;
  TraceRow r;
  while (t.next(r)) {
    if (!out.rows.empty()) {
      EXPECT_GE(r.submit_s, out.rows.back().submit_s) << "row " << out.rows.size();
    }
    out.rows.push_back(r);
  }
  out.labels = t.reader().labels;
  out.skipped = t.reader().skipped;
  out.absolute_time = t.reader().absolute_time;
  out.was_sorted = t.was_sorted();
  return out;
}

bool file_order_sorted(const Read& r) {
  for (std::size_t i = 1; i < r.rows.size(); ++i)
    if (r.rows[i].submit_s < r.rows[i - 1].submit_s) return false;
  return true;
}

// Local midnights, counted by hand as days since 1970-01-01 x 86,400 (leap years 1972, 1976, ... 2020):
// 2017-10-03: 47 years (17,155 days) + 12 leap days + 273 days (Jan-Sep 2017) + 2 = 17,442 days.
constexpr double k2017_10_03 = 17442.0 * 86400;  // 1,506,988,800
// 2020-06-01: 50 years (18,250) + 12 leap days + 152 days (Jan-May of leap 2020) = 18,414 days.
constexpr double k2020_06_01 = 18414.0 * 86400;  // 1,590,969,600
// 2023-03-01: 53 years (19,345) + 13 leap days + 59 days (Jan-Feb 2023) = 19,417 days.
constexpr double k2023_03_01 = 19417.0 * 86400;  // 1,677,628,800
// 2024-03-04: 54 years (19,710) + 13 leap days + 63 days (Jan 31 + Feb 29 + 3) = 19,786 days.
constexpr double k2024_03_04 = 19786.0 * 86400;  // 1,709,510,400

// ---- capsim CSV: tests/traces/capsim_trace.csv ----------------------------------------------------------
// 22 rows, ids 1-22 in a shuffled order; ids 5 and 12 have gpus 0 (CPU jobs). GPU-hours of the other 20,
// gpus x duration_s / 3600 row by row: 1: 8x1 h = 8, 2: 4x2 h = 8, 3: 1x0.5 h = 0.5, 4: 0.5x1 h = 0.5,
// 6: 16x4 h = 64, 7: 2x0.5 h = 1, 8: 1x0 = 0, 9: 0.25x1 h = 0.25, 10: 1x2 h = 2, 11: 8x1 h = 8,
// 13: 4x0.5 h = 2, 14: 2x1 h = 2, 15: 0.5x0.25 h = 0.125, 16: 1x1 h = 1, 17: 4x3 h = 12, 18: 1x1 h = 1,
// 19: 8x0.5 h = 4, 20: 0.5x1 h = 0.5, 21: 2x2 h = 4, 22: 1x1 h = 1; sum 119.875.
TEST(TraceReaders, CapsimCsvHandMade) {
  const Read r = in_file_order(options(TraceFormat::capsim_csv, hand_made("capsim_trace.csv")));
  ASSERT_EQ(r.rows.size(), 20u);
  EXPECT_EQ(r.skipped, (SkipCounts{{"no GPUs", 2}}));
  EXPECT_DOUBLE_EQ(r.gpu_hours(), 119.875);
  EXPECT_FALSE(file_order_sorted(r));
  // The `# time_base` line (before the header, where `capsim trace convert` writes it) sets the base.
  EXPECT_TRUE(r.absolute_time);
  EXPECT_EQ(r.rows[0].id, 6);  // the file's first row
  EXPECT_DOUBLE_EQ(r.rows[0].submit_s, k2024_03_04 + 10800);
  // Shares of a GPU: ids 4, 15, 20 (0.5) and 9 (0.25).
  EXPECT_EQ(r.fractional(), 4);
  EXPECT_DOUBLE_EQ(r.by_id(9).gpus, 0.25);
  EXPECT_DOUBLE_EQ(r.by_id(15).gpus, 0.5);
  EXPECT_DOUBLE_EQ(r.by_id(15).run_s, 900);
  EXPECT_DOUBLE_EQ(r.by_id(8).run_s, 0);  // cancelled with no run time: kept, 0 s
  // Counted in the file: Pass ids 1 2 4 7 9 13 14 15 16 17 19 20 22; Failed 3 10 18; Killed 6 11 21;
  // Cancelled 8. A100 ids 1 2 6 11 13 18 19 22; V100 3 7 8 10 14 17 21; T4 4 9 15 16 20.
  EXPECT_EQ(r.statuses(), (std::map<std::string, int>{{"Pass", 13}, {"Failed", 3}, {"Killed", 3}, {"Cancelled", 1}}));
  EXPECT_EQ(r.gpu_types(), (std::map<std::string, int>{{"A100", 8}, {"V100", 7}, {"T4", 5}}));
  // vc-a: 1 3 6 10 14 17 20; vc-b: 2 7 8 11 15 18 21; vc-c: 4 9 13 16 19 22.
  EXPECT_EQ(r.tenants(), (std::map<std::string, int>{{"vc-a", 7}, {"vc-b", 7}, {"vc-c", 6}}));
}

TEST(TraceReaders, CapsimCsvSortedThroughItsIndex) {
  // With an id column the file is sorted through an index and read again by position. By submit_s:
  // 3 (0), 2 (1800), 4 (3600), 7 (5400), 1 (7200), 8 (9000), 6 (10800), 9 (12600), 10 (14400),
  // 11 (16200), 13 (18000), 14 (19800), 15 (21600), 16 (23400), 17 (25200), 18 (27000), 19 (28800),
  // 21 and 20 (both 30600; 21 comes first in the file), 22 (34200).
  const Read r = in_submit_order(options(TraceFormat::capsim_csv, hand_made("capsim_trace.csv")));
  EXPECT_FALSE(r.was_sorted);
  EXPECT_EQ(r.ids(), (std::vector<std::int64_t>{3, 2, 4, 7, 1, 8, 6, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 21, 20, 22}));
  ASSERT_EQ(r.rows.size(), 20u);
  EXPECT_DOUBLE_EQ(r.rows.front().submit_s, k2024_03_04);
  EXPECT_DOUBLE_EQ(r.rows.back().submit_s, k2024_03_04 + 34200);
  EXPECT_DOUBLE_EQ(r.gpu_hours(), 119.875);
  EXPECT_EQ(r.skipped, (SkipCounts{{"no GPUs", 2}}));  // counted once, though the file is read twice
  EXPECT_EQ(r.labels.tenants[r.rows[17].tenant], "vc-b");  // id 21, read again at its offset
  EXPECT_EQ(r.labels.statuses[r.rows[17].status], "Killed");
}

// ---- Philly cluster_job_log: tests/traces/philly_job_log.json -------------------------------------------
// 23 jobs on 2017-10-03, numbered 1-23 in the file (the reader's ids are record numbers). Skipped: job 6
// (attempts empty: never started), job 15 (its one attempt has end_time "None") and job 7 (an attempt on
// a machine with no GPUs). Each kept job's GPUs are the GPUs of its largest attempt and its run time the
// sum of its attempts with both times; GPU-hours: 1: 4x1 h = 4, 2: 1x0.5 h = 0.5, 3: 2x(10+20+30 min) = 2,
// 4: 8x2 h = 16, 5: (8+8 on two machines)x1 h = 16, 8: max(1, 1+1)x(10+50 min) = 2, 9: 1, 10: 2x0.5 h = 1,
// 11: 4x0.25 h = 1, 12: 1x2 h = 2, 13: 1x6 min = 0.1, 14: (4+4)x1 h = 8, 16: 1, 17: 2x0.5 h = 1,
// 18: 4x(30+30 min) = 4, 19: 1, 20: 1x0.5 h = 0.5, 21: 2x1 h = 2, 22: 1, 23: 1x0.5 h (its second attempt
// has no end) = 0.5; sum 64.6.
TEST(TraceReaders, PhillyJsonHandMade) {
  const Read r = in_file_order(options(TraceFormat::philly_json, hand_made("philly_job_log.json")));
  ASSERT_EQ(r.rows.size(), 20u);
  EXPECT_EQ(r.skipped, (SkipCounts{{"never started or no end", 2}, {"no GPUs", 1}}));
  EXPECT_NEAR(r.gpu_hours(), 64.6, 1e-9);
  EXPECT_TRUE(r.absolute_time);
  EXPECT_FALSE(file_order_sorted(r));
  EXPECT_EQ(r.fractional(), 0);
  // Multi-attempt jobs: 3 (three attempts: 600 + 1200 + 1800 s), 8 (600 + 3000 s, on 1 then 2 GPUs),
  // 18 (1800 + 1800 s); 23 has one attempt that ended, of 1800 s.
  EXPECT_EQ(r.by_id(3).attempts, 3);
  EXPECT_DOUBLE_EQ(r.by_id(3).run_s, 3600);
  EXPECT_DOUBLE_EQ(r.by_id(3).gpus, 2);
  EXPECT_EQ(r.by_id(8).attempts, 2);
  EXPECT_DOUBLE_EQ(r.by_id(8).run_s, 3600);
  EXPECT_DOUBLE_EQ(r.by_id(8).gpus, 2);
  EXPECT_EQ(r.by_id(18).attempts, 2);
  EXPECT_DOUBLE_EQ(r.by_id(18).run_s, 3600);
  EXPECT_EQ(r.by_id(23).attempts, 1);
  EXPECT_DOUBLE_EQ(r.by_id(23).run_s, 1800);
  EXPECT_DOUBLE_EQ(r.by_id(5).gpus, 16);  // two machines of 8
  EXPECT_DOUBLE_EQ(r.by_id(1).submit_s, k2017_10_03 + 10 * 3600);
  // Kept: Pass 1 4 5 9 10 12 14 16 17 19 20 21 22; Killed 2 11 18 23; Failed 3 8 13.
  EXPECT_EQ(r.statuses(), (std::map<std::string, int>{{"Pass", 13}, {"Killed", 4}, {"Failed", 3}}));
  EXPECT_EQ(r.gpu_types(), (std::map<std::string, int>{{"", 20}}));  // Philly records none
  // vc-a: 1 3 10 13 18 23; vc-b: 2 5 8 11 14 19 21; vc-c: 4 9 12 16 20 22; job 17 has no vc: its user.
  EXPECT_EQ(r.tenants(), (std::map<std::string, int>{{"vc-a", 6}, {"vc-b", 7}, {"vc-c", 6}, {"u17", 1}}));
}

TEST(TraceReaders, PhillyJsonSorted) {
  // By submitted_time: 20 (00:30), 18 (01:00), 16, 14, 12, 10, 8 (02:00 ... 06:00 hourly), 5 (07:30),
  // 2 (08:00), 3, 1 (09:00, 10:00), 4 (12:00), 9, 11, 13 (14:00 ... 16:00), 17 (18:00), 19 (19:00),
  // 21, 22, 23 (21:00 ... 23:00).
  const Read r = in_submit_order(options(TraceFormat::philly_json, hand_made("philly_job_log.json")));
  EXPECT_FALSE(r.was_sorted);
  EXPECT_EQ(r.ids(), (std::vector<std::int64_t>{20, 18, 16, 14, 12, 10, 8, 5, 2, 3, 1, 4, 9, 11, 13, 17, 19, 21, 22, 23}));
  ASSERT_FALSE(r.rows.empty());
  EXPECT_DOUBLE_EQ(r.rows.front().submit_s, k2017_10_03 + 1800);
  EXPECT_DOUBLE_EQ(r.rows.back().submit_s, k2017_10_03 + 23 * 3600);
}

std::string write_tmp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "capsim_trace_readers_test";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

std::string error_of(const TraceOptions& o) {
  try {
    in_file_order(o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TraceReaders, PhillyJsonNotAList) {
  // An object at the top is not Philly's list of jobs (its members are not to be taken for jobs), nor is
  // a list of anything but objects.
  const std::string job = R"({"status": "Pass", "submitted_time": "2017-10-03 10:00:00", "attempts": [{"start_time": "2017-10-03 10:00:00",
    "end_time": "2017-10-03 11:00:00", "detail": [{"ip": "m1", "gpus": ["gpu0"]}]}]})";
  const std::string object = write_tmp("object.json", "{\"jobs\": " + job + "}");
  EXPECT_EQ(error_of(options(TraceFormat::philly_json, object)), object + ": expected a JSON list of jobs (Philly's cluster_job_log), found object");
  const std::string number = write_tmp("number.json", "[" + job + ", 7]");
  EXPECT_EQ(error_of(options(TraceFormat::philly_json, number)), number + ": [1]: expected a job object, found number");
  const std::string list = write_tmp("list.json", "[[" + job + "]]");
  EXPECT_EQ(error_of(options(TraceFormat::philly_json, list)), list + ": [0]: expected a job object, found array");
  const std::string fine = write_tmp("fine.json", "[" + job + "]");
  EXPECT_EQ(in_file_order(options(TraceFormat::philly_json, fine)).rows.size(), 1u);
}

// ---- Helios cluster_log.csv: tests/traces/helios_cluster_log.csv ----------------------------------------
// 24 jobs 1001-1024 on 2020-06-01, as Helios writes them (duration = end - start, queue = start - submit).
// Skipped: 1003 and 1013 (gpu_num 0), 1005 and 1017 (cancelled in the queue: no start, end or duration).
// GPU-hours, gpu_num x duration / 3600: 1001: 8x2 h = 16, 1002: 1, 1004: 16x0.5 h = 8, 1006: 4x4 h = 16,
// 1007: 1x0.5 h = 0.5, 1008: 1x6 min = 0.1, 1009: 2x0.5 h = 1, 1010: 8, 1011: 0, 1012: 32, 1014: 4x0.5 h = 2,
// 1015: 1x2 h = 2, 1016: 2x0.75 h = 1.5, 1018: 8x0.25 h = 2, 1019: 1, 1020: 2, 1021: 4x2 h = 8,
// 1022: 0.5, 1023: 8x2 h (past midnight) = 16, 1024: 0.5; sum 118.1.
TEST(TraceReaders, HeliosJobLogHandMade) {
  const Read r = in_file_order(options(TraceFormat::job_log, hand_made("helios_cluster_log.csv")));
  ASSERT_EQ(r.rows.size(), 20u);
  EXPECT_EQ(r.skipped, (SkipCounts{{"never started or no end", 2}, {"no GPUs", 2}}));
  EXPECT_NEAR(r.gpu_hours(), 118.1, 1e-9);
  EXPECT_TRUE(r.absolute_time);
  EXPECT_FALSE(file_order_sorted(r));
  EXPECT_EQ(r.rows[0].id, 1001);
  EXPECT_DOUBLE_EQ(r.rows[0].submit_s, k2020_06_01 + 10 * 3600);
  EXPECT_DOUBLE_EQ(r.by_id(1023).run_s, 7200);
  EXPECT_DOUBLE_EQ(r.by_id(1011).run_s, 0);
  EXPECT_DOUBLE_EQ(r.by_id(1012).gpus, 32);
  // Kept: COMPLETED 1001 1002 1008 1010 1012 1014 1015 1016 1019 1020 1022 1023 1024; FAILED 1004 1011
  // 1018; TIMEOUT 1006 1021; NODE_FAIL 1007; CANCELLED 1009 (after it started).
  EXPECT_EQ(r.statuses(), (std::map<std::string, int>{{"COMPLETED", 13}, {"FAILED", 3}, {"TIMEOUT", 2}, {"NODE_FAIL", 1}, {"CANCELLED", 1}}));
  // The vc column: vcA 1001 1006 1009 1012 1015 1018 1021 1024; vcB 1002 1008 1011 1016 1019 1022;
  // vcC 1004 1007 1010 1014 1020 1023.
  EXPECT_EQ(r.tenants(), (std::map<std::string, int>{{"vcA", 8}, {"vcB", 6}, {"vcC", 6}}));
}

TEST(TraceReaders, HeliosJobLogSorted) {
  // By submit_time: 1018 (00:30), 1016, 1014, 1012, 1010, 1008, 1006, 1004, 1002 (01:00 ... 08:00 hourly),
  // 1001 (10:00), 1007, 1009, 1011 (12:00 ... 14:00), 1015 (16:00), 1019 ... 1022 (18:00 ... 21:00),
  // 1024 (22:00), 1023 (23:00).
  const Read r = in_submit_order(options(TraceFormat::job_log, hand_made("helios_cluster_log.csv")));
  EXPECT_FALSE(r.was_sorted);
  EXPECT_EQ(r.ids(), (std::vector<std::int64_t>{1018, 1016, 1014, 1012, 1010, 1008, 1006, 1004, 1002, 1001, 1007, 1009, 1011, 1015, 1019, 1020,
                                                1021, 1022, 1024, 1023}));
  EXPECT_NEAR(r.gpu_hours(), 118.1, 1e-9);
  EXPECT_EQ(r.skipped, (SkipCounts{{"never started or no end", 2}, {"no GPUs", 2}}));
}

TEST(TraceReaders, JobLogErrorsNameTheFilesColumns) {
  // A column map: messages name the file's own columns, and quote the field as written.
  const std::string path = write_tmp("mapped.csv", "id,t0,n,secs\n1,2020-06-01 10:00:00,1,60\n2,2020-06-01 10:00:00,-2,60\n");
  TraceOptions o = options(TraceFormat::job_log, path);
  o.columns.id = "id";
  o.columns.submit = "t0";
  o.columns.gpus = "n";
  o.columns.duration = "secs";
  EXPECT_EQ(error_of(o), path + ":3: column `n`: expected a GPU count >= 0, found -2");
  const std::string date = write_tmp("mapped_date.csv", "id,t0,n,secs\n3,2020-06-01,1,60\n");
  o.path = date;
  EXPECT_EQ(error_of(o), date + ":2: column `t0`: expected a date-time like \"2017-10-30 08:51:02\", found \"2020-06-01\"");
}

// ---- Acme: tests/traces/acme_trace.csv ------------------------------------------------------------------
// 24 jobs dlc01-dlc24 on 2023-03-01, times with +08:00 (dropped: wall clock kept), no vc column (the
// tenant is the user), job ids not numbers (id -1). Skipped: dlc03 and dlc12 (gpu_num 0), dlc05 and dlc16
// (cancelled before they started). GPU-hours, gpu_num x duration / 3600 (= gpu_time / 3600): dlc01: 8x4 h
// = 32, dlc02: 0.5, dlc04: 32x1 h = 32, dlc06: 4, dlc07: 0.25, dlc08: 8x2 h = 16, dlc09: 0.1, dlc10: 16x2 h
// = 32, dlc11: 1, dlc13: 4, dlc14: 1x12 min = 0.2, dlc15: 8x1.5 h = 12, dlc17: 2x0.75 h = 1.5, dlc18: 8,
// dlc19: 1, dlc20: 2, dlc21: 0.5, dlc22: 8, dlc23: 2, dlc24: 1x1.5 h = 1.5; sum 158.55.
TEST(TraceReaders, AcmeJobLogHandMade) {
  const Read r = in_file_order(options(TraceFormat::job_log, hand_made("acme_trace.csv")));
  ASSERT_EQ(r.rows.size(), 20u);
  EXPECT_EQ(r.skipped, (SkipCounts{{"never started or no end", 2}, {"no GPUs", 2}}));
  EXPECT_NEAR(r.gpu_hours(), 158.55, 1e-9);
  EXPECT_TRUE(r.absolute_time);
  EXPECT_FALSE(file_order_sorted(r));
  for (const TraceRow& row : r.rows) EXPECT_EQ(row.id, -1);
  EXPECT_DOUBLE_EQ(r.rows[0].submit_s, k2023_03_01 + 10 * 3600);  // dlc01, 10:00:00+08:00
  EXPECT_DOUBLE_EQ(r.rows[0].run_s, 14400);
  // Kept: COMPLETED 15 (all but dlc04 dlc09 dlc20 FAILED, dlc07 CANCELLED, dlc10 TIMEOUT).
  EXPECT_EQ(r.statuses(), (std::map<std::string, int>{{"COMPLETED", 15}, {"FAILED", 3}, {"CANCELLED", 1}, {"TIMEOUT", 1}}));
  // Users of the kept jobs: user1 dlc01 04 09 14 19 24; user2 02 06 11 21; user3 08 13 18 23; user4 10 15
  // 20; user5 07 17 22.
  EXPECT_EQ(r.tenants(), (std::map<std::string, int>{{"user1", 6}, {"user2", 4}, {"user3", 4}, {"user4", 3}, {"user5", 3}}));
}

TEST(TraceReaders, AcmeJobLogSorted) {
  // By submit_time: dlc18 (00:30), dlc14 (02:00), dlc10, dlc08, dlc06, dlc04, dlc02 (04:00 ... 08:00),
  // dlc01 (10:00), dlc07, dlc09, dlc11, dlc13, dlc15, dlc17, dlc19 ... dlc24 (12:00 ... 23:00, hourly);
  // their durations in that order:
  const Read r = in_submit_order(options(TraceFormat::job_log, hand_made("acme_trace.csv")));
  EXPECT_FALSE(r.was_sorted);
  std::vector<double> runs;
  for (const TraceRow& row : r.rows) runs.push_back(row.run_s);
  EXPECT_EQ(runs, (std::vector<double>{3600, 720, 7200, 7200, 3600, 3600, 1800, 14400, 900, 360, 1800, 3600, 5400, 2700, 3600, 1800, 1800, 3600, 3600,
                                       5400}));
  ASSERT_FALSE(r.rows.empty());
  EXPECT_DOUBLE_EQ(r.rows.front().submit_s, k2023_03_01 + 1800);
  EXPECT_DOUBLE_EQ(r.rows.back().submit_s, k2023_03_01 + 23 * 3600);
}

// ---- PAI 2020: tests/traces/pai_task_table.csv (no header) and pai_job_table.csv (a header) -------------
// 30 tasks of 24 jobs job01-job24 (ids in order of first appearance = the number in the name); a task's
// GPUs are inst_num x plan_gpu / 100, a job's the sum over its tasks, its run from its first task's start to
// its last task's end. Skipped: job03 (no plan_gpu) and job12 (plan_gpu 0) as "no GPUs"; job05 (no start)
// and job22 (Running: no end) as "never started or no end". GPU-hours: job01: 4 workers x 100 % (the ps
// has none) x 1 h = 4, job02: 50 % x 1 h = 0.5, job04: (2 x 100 % + 1 x 50 %) x 9,000 s (2,980,000 to
// 2,989,000) = 6.25, job06: 8 x 25 % x 1 h = 2, job07: 1 x 0.1 h = 0.1, job08: 200 % x 2 h = 4, job09: 4 x 50
// % x 0.5 h = 1, job10: 1, job11: 50 % x 2 h = 1, job13: 2 x 0.5 h = 1, job14: 16, job15: 1 x 0.25 h = 0.25,
// job16: (1 + 1) x 1 h = 2, job17: 1, job18: 4, job19: 50 % x 1 h = 0.5, job20: 2 x 0.5 h = 1, job21: 1 x 2 h
// = 2, job23: 1, job24: 1; sum 49.6.
TEST(TraceReaders, Pai2020HandMade) {
  const Read r = in_file_order(options(TraceFormat::pai_2020, hand_made("pai_task_table.csv"), hand_made("pai_job_table.csv")));
  ASSERT_EQ(r.rows.size(), 20u);
  EXPECT_EQ(r.skipped, (SkipCounts{{"never started or no end", 2}, {"no GPUs", 2}}));
  EXPECT_NEAR(r.gpu_hours(), 49.6, 1e-9);
  EXPECT_TRUE(r.absolute_time);
  EXPECT_FALSE(file_order_sorted(r));
  // Shares of a GPU: job02, job11, job19 (0.5) and job04 (2.5); job06 (8 x 25 %) and job09 (4 x 50 %)
  // come to 2 whole GPUs.
  EXPECT_EQ(r.fractional(), 4);
  EXPECT_DOUBLE_EQ(r.by_id(2).gpus, 0.5);
  EXPECT_DOUBLE_EQ(r.by_id(4).gpus, 2.5);
  EXPECT_DOUBLE_EQ(r.by_id(4).run_s, 9000);
  EXPECT_DOUBLE_EQ(r.by_id(6).gpus, 2);
  EXPECT_DOUBLE_EQ(r.by_id(16).gpus, 2);  // two tasks of one GPU
  // Times + 8 h (UTC+8). The submission is the job table's start_time (job01: 3,000,000) when not after
  // the first task's start (job09's 3,030,050 is: its task's 3,030,000 is kept); job23 is not in the job
  // table. The run time counts from the first task's start either way (job01: 3,000,100 to 3,003,700).
  EXPECT_DOUBLE_EQ(r.by_id(1).submit_s, 3000000 + 28800);
  EXPECT_DOUBLE_EQ(r.by_id(1).run_s, 3600);
  EXPECT_DOUBLE_EQ(r.by_id(9).submit_s, 3030000 + 28800);
  EXPECT_DOUBLE_EQ(r.by_id(23).submit_s, 3100000 + 28800);
  // Status from the job table (job04 Failed, job07 Failed), else the task's (job23 Terminated). gpu_type
  // from the task with the most GPUs: V100 job01 07 13 16 18 23; T4 02 09 11 15 19 24; P100 04 10 17 20;
  // MISC 06 21; V100M32 08 14.
  EXPECT_EQ(r.statuses(), (std::map<std::string, int>{{"Terminated", 18}, {"Failed", 2}}));
  EXPECT_EQ(r.gpu_types(), (std::map<std::string, int>{{"V100", 6}, {"T4", 6}, {"P100", 4}, {"MISC", 2}, {"V100M32", 2}}));
  // Users from the job table (job99 there has no tasks and is ignored): u1 job01 04 09 14 19; u2 02 06 11
  // 16 21; u3 08 13 18 24; u4 10 15 20; u5 07 17; job23 none.
  EXPECT_EQ(r.tenants(), (std::map<std::string, int>{{"u1", 5}, {"u2", 5}, {"u3", 4}, {"u4", 3}, {"u5", 2}, {"", 1}}));
}

TEST(TraceReaders, Pai2020WithoutJobTable) {
  // The task table alone: submissions are first task starts, no users, statuses from the tasks (job04's
  // largest task, its workers, is Terminated; job07's is Failed).
  const Read r = in_file_order(options(TraceFormat::pai_2020, hand_made("pai_task_table.csv")));
  ASSERT_EQ(r.rows.size(), 20u);
  EXPECT_NEAR(r.gpu_hours(), 49.6, 1e-9);
  EXPECT_EQ(r.skipped, (SkipCounts{{"never started or no end", 2}, {"no GPUs", 2}}));
  EXPECT_DOUBLE_EQ(r.by_id(1).submit_s, 3000100 + 28800);
  EXPECT_EQ(r.statuses(), (std::map<std::string, int>{{"Terminated", 19}, {"Failed", 1}}));
  EXPECT_EQ(r.tenants(), (std::map<std::string, int>{{"", 20}}));
}

TEST(TraceReaders, Pai2020Sorted) {
  // By submission (job table, seconds before + 8 h): job21 (2,899,900), 19, 17, 15, 13, 10, 08, 06, 04,
  // 02 (2,909,900 ... 2,989,900), job01 (3,000,000), 07 (3,019,900), 09 (3,030,000), 11, 14, 16, 18, 20
  // (3,039,900 ... 3,079,900), 23 (3,100,000), 24 (3,109,900).
  const Read r = in_submit_order(options(TraceFormat::pai_2020, hand_made("pai_task_table.csv"), hand_made("pai_job_table.csv")));
  EXPECT_FALSE(r.was_sorted);
  EXPECT_EQ(r.ids(), (std::vector<std::int64_t>{21, 19, 17, 15, 13, 10, 8, 6, 4, 2, 1, 7, 9, 11, 14, 16, 18, 20, 23, 24}));
  ASSERT_FALSE(r.rows.empty());
  EXPECT_DOUBLE_EQ(r.rows.front().submit_s, 2899900 + 28800);
}

// ---- capsim CSV round trip -------------------------------------------------------------------------------
std::string text_of(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

TEST(TraceReaders, CapsimCsvRoundTrip) {
  // `capsim trace convert` is not in the library: write its layout here (a `# time_base` line, the
  // header, rows in submit order with submit_s from the base) from the Helios file read in submit order,
  // with the base written by hand (its first day, 2020-06-01 00:00:00), and read it back.
  const Read helios = in_submit_order(options(TraceFormat::job_log, hand_made("helios_cluster_log.csv")));
  std::string csv = "# time_base: 2020-06-01 00:00:00\nid,submit_s,duration_s,gpus,gpu_type,tenant,status\n";
  for (const TraceRow& r : helios.rows)
    csv += std::to_string(r.id) + ',' + text_of(r.submit_s - k2020_06_01) + ',' + text_of(r.run_s) + ',' + text_of(r.gpus) + ',' +
           helios.labels.gpu_types[r.gpu_type] + ',' + helios.labels.tenants[r.tenant] + ',' + helios.labels.statuses[r.status] + '\n';
  const std::string path = write_tmp("round_trip.csv", csv);
  const Read back = in_submit_order(options(TraceFormat::capsim_csv, path));
  EXPECT_TRUE(back.was_sorted);
  EXPECT_TRUE(back.absolute_time);
  EXPECT_TRUE(back.skipped.empty());
  ASSERT_EQ(back.rows.size(), helios.rows.size());
  for (std::size_t i = 0; i < back.rows.size(); ++i) {
    const TraceRow &a = helios.rows[i], &b = back.rows[i];
    EXPECT_EQ(b.id, a.id);
    EXPECT_DOUBLE_EQ(b.submit_s, a.submit_s) << "id " << a.id;
    EXPECT_DOUBLE_EQ(b.run_s, a.run_s);
    EXPECT_DOUBLE_EQ(b.gpus, a.gpus);
    EXPECT_EQ(back.labels.tenants[b.tenant], helios.labels.tenants[a.tenant]);
    EXPECT_EQ(back.labels.statuses[b.status], helios.labels.statuses[a.status]);
    EXPECT_EQ(back.labels.gpu_types[b.gpu_type], "");
  }
}

TEST(TraceReaders, CapsimCsvByHand) {
  // Written by hand: no id column (ids are record numbers, the file held whole to sort), no time base
  // (submit_s as is), CRLF line ends, a quoted tenant with a comma, shares of a GPU, a CPU job, the
  // columns in another order.
  const std::string path = write_tmp("by_hand.csv",
                                     "gpus,submit_s,duration_s,tenant,status\r\n"
                                     "0.5,100,60,\"lab, north\",ok\r\n"
                                     "0,50,60,lab,ok\r\n"
                                     "2,20,30.5,lab,failed\r\n"
                                     "\r\n"
                                     "0.125,100,10,lab,ok\r\n");
  const Read r = in_submit_order(options(TraceFormat::capsim_csv, path));
  EXPECT_FALSE(r.was_sorted);
  EXPECT_FALSE(r.absolute_time);
  EXPECT_EQ(r.skipped, (SkipCounts{{"no GPUs", 1}}));
  // Record 3 (submit 20) first, then records 1 and 4 (both 100, in file order).
  EXPECT_EQ(r.ids(), (std::vector<std::int64_t>{3, 1, 4}));
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_DOUBLE_EQ(r.rows[0].run_s, 30.5);
  EXPECT_DOUBLE_EQ(r.rows[1].gpus, 0.5);
  EXPECT_EQ(r.labels.tenants[r.rows[1].tenant], "lab, north");
  EXPECT_EQ(r.labels.statuses[r.rows[2].status], "ok");
  EXPECT_DOUBLE_EQ(r.rows[2].gpus, 0.125);
  // 2 x 30.5 + 0.5 x 60 + 0.125 x 10 = 92.25 GPU-seconds.
  EXPECT_DOUBLE_EQ(r.gpu_hours() * 3600, 92.25);
}

// ---- Real samples (skipped without /work/shared) ----------------------------------------------------------
std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream s(line);
    std::string x;
    while (std::getline(s, x, ',')) f.push_back(x);
    if (!line.empty() && line.back() == ',') f.emplace_back();  // a last, empty field
    rows.push_back(f);
  }
  return rows;
}

TEST(TraceReaders, RealPhillyWeek) {
  const std::string path = std::string(CAPSIM_SHARED_DIR) + "/data/traces/philly/philly_jobs_pollux_week_2017-10-30_to_11-05.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared trace absent: " << path;
  // Independently: columns timestamp,duration,num_gpus,gpu_time,cluster; a job is a row with num_gpus > 0
  // (the week has none with 0); GPU-hours = sum of duration x num_gpus / 3600.
  long long jobs = 0, cpu = 0;
  double gpu_s = 0;
  for (const auto& f : csv_rows(path)) {
    ASSERT_EQ(f.size(), 5u);
    const double gpus = std::stod(f[2]);
    if (gpus == 0) {
      ++cpu;
      continue;
    }
    ++jobs;
    gpu_s += std::stod(f[1]) * gpus;
  }
  EXPECT_EQ(jobs, 3805);  // the count in /work/shared/data/traces/README.md
  EXPECT_NEAR(gpu_s / 3600, 74697, 0.5);  // its 74,697 GPU-hours
  const Read r = in_submit_order(options(TraceFormat::philly_csv, path));
  EXPECT_EQ(static_cast<long long>(r.rows.size()), jobs);
  EXPECT_NEAR(r.gpu_hours(), gpu_s / 3600, 1e-6 * gpu_s / 3600);
  EXPECT_EQ(r.skipped.count("no GPUs") ? r.skipped.at("no GPUs") : 0, cpu);
  EXPECT_FALSE(r.was_sorted);  // the README: original row order kept, not sorted
  EXPECT_TRUE(r.absolute_time);
  ASSERT_FALSE(r.rows.empty());
  // The week is ISO week 44: 2017-10-30 (17,442 + 27 days) to 2017-11-05, by its timestamps.
  EXPECT_GE(r.rows.front().submit_s, (17442.0 + 27) * 86400);
  EXPECT_LT(r.rows.back().submit_s, (17442.0 + 34) * 86400);
}

TEST(TraceReaders, RealOpenbPods) {
  const std::string path = std::string(CAPSIM_SHARED_DIR) + "/data/traces/alibaba_pai_v2023/openb_pod_list_default.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared trace absent: " << path;
  // Independently: columns name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,
  // creation_time,deletion_time,scheduled_time. A job is a pod with num_gpu > 0 and both scheduled_time
  // and deletion_time present; its GPUs gpu_milli / 1000 when num_gpu == 1 and 0 < gpu_milli < 1000, else
  // num_gpu; its run deletion_time - scheduled_time.
  long long pods = 0, jobs = 0, cpu = 0, unstarted = 0, shares = 0;
  double gpu_s = 0;
  for (const auto& f : csv_rows(path)) {
    ASSERT_EQ(f.size(), 11u);
    ++pods;
    const double num = std::stod(f[3]), milli = f[4].empty() ? 0 : std::stod(f[4]);
    if (num == 0) {
      ++cpu;
      continue;
    }
    if (f[9].empty() || f[10].empty()) {
      ++unstarted;
      continue;
    }
    const bool share = num == 1 && milli > 0 && milli < 1000;
    shares += share;
    ++jobs;
    gpu_s += (share ? milli / 1000 : num) * (std::stod(f[9]) - std::stod(f[10]));
  }
  EXPECT_EQ(pods, 8152);  // the counts in /work/shared/data/traces/README.md
  EXPECT_EQ(cpu, 1088);
  const Read r = in_submit_order(options(TraceFormat::openb, path));
  EXPECT_EQ(static_cast<long long>(r.rows.size()), jobs);
  EXPECT_NEAR(r.gpu_hours(), gpu_s / 3600, 1e-6 * gpu_s / 3600);
  EXPECT_EQ(r.skipped, (SkipCounts{{"never started or no end", unstarted}, {"no GPUs", cpu}}));
  EXPECT_EQ(r.fractional(), shares);
  EXPECT_FALSE(r.absolute_time);  // seconds from the trace's start
}


// Replay speedups by GPU type: run time / min(reference peak / its peak, max_speedup), rounded up. The
// peaks are the trace GPU catalog's (dense BF16, else FP16): A100 312, V100 125, T4 65 TFLOP/s, against an
// H100's 989; jobs without a type replay as recorded.
TEST(TraceSpeedup, ByTheTracesGpuTypeCappedAtMaxSpeedup) {
  GpuTraceWorkload w;
  w.trace.format = TraceFormat::capsim_csv;
  w.trace.path = hand_made("capsim_trace.csv");
  w.peaks = builtin_trace_gpus().by_name;
  w.reference_peak = 989e12;
  w.max_speedup = 5;
  const std::map<std::string, double> want = {{"A100", 989.0 / 312}, {"V100", 5}, {"T4", 5}, {"", 1}};
  std::map<std::string, std::pair<double, double>> recorded;  // by id: type and duration, read here
  {
    std::ifstream in(w.trace.path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#' || line.rfind("id,", 0) == 0) continue;
      std::stringstream ss(line);
      std::string id, submit, dur, gpus, type;
      std::getline(ss, id, ',');
      std::getline(ss, submit, ',');
      std::getline(ss, dur, ',');
      std::getline(ss, gpus, ',');
      std::getline(ss, type, ',');
      recorded[id] = {want.at(type), std::stod(dur)};
    }
  }
  GpuTraceSource src(w, 1e12, 1);
  int n = 0;
  while (auto j = src.next()) {
    ++n;
    const auto& [speedup, dur] = recorded.at(std::to_string(j->trace_id));
    EXPECT_NEAR(j->speedup, speedup, 1e-6) << j->trace_id;
    EXPECT_EQ(j->run_s, std::max(1.0, std::ceil(dur / speedup - 1e-9))) << j->trace_id;
  }
  EXPECT_GT(n, 15);
}


TEST(TraceFormat, DetectedFromTheNameOrTheHeader) {
  const std::string src = CAPSIM_SOURCE_DIR;
  EXPECT_EQ(detect_trace_format(hand_made("philly_job_log.json")), TraceFormat::philly_json);
  EXPECT_EQ(detect_trace_format(hand_made("helios_cluster_log.csv")), TraceFormat::job_log);
  EXPECT_EQ(detect_trace_format(hand_made("acme_trace.csv")), TraceFormat::job_log);
  EXPECT_EQ(detect_trace_format(hand_made("capsim_trace.csv")), TraceFormat::capsim_csv);
  EXPECT_EQ(detect_trace_format(src + "/scenarios/traces/philly_jobs_pollux_week_2017-10-30_to_11-05.csv"), TraceFormat::philly_csv);
  EXPECT_EQ(detect_trace_format(src + "/tests/scenarios/empty.swf"), TraceFormat::swf);
  EXPECT_EQ(detect_trace_format(hand_made("pai_task_table.csv")), std::nullopt) << "PAI's tables have no header";
  EXPECT_EQ(detect_trace_format(hand_made("pai_job_table.csv")), std::nullopt) << "nor a header of another format";
}


TEST(TraceCluster, TheSharedMachineLists) {
  // The shared folder's README counts them: openb 1,213 GPU nodes, 6,212 GPUs (G2 549 nodes, T4 404,
  // P100 134, V100M16 55, G3 39, V100M32 30, A10 2); Philly 552 machines = 321 x 2 + 231 x 8 = 2,490
  // GPUs; PAI 2020 1,897 machines, 6,742 GPUs (MISC 2,240, P100 1,596, T4 994, V100M32 1,080, V100 832).
  const std::string d = std::string(CAPSIM_SHARED_DIR) + "/data/traces/";
  if (!std::filesystem::exists(d)) GTEST_SKIP() << "shared traces absent: " << d;
  const TraceCluster openb = read_trace_cluster(d + "alibaba_pai_v2023/openb_node_list_gpu_node.csv");
  EXPECT_EQ(openb.nodes, 1213);
  EXPECT_EQ(openb.gpus, 6212);
  const TraceCluster philly = read_trace_cluster(d + "philly/cluster_machine_list.csv");
  EXPECT_EQ(philly.nodes, 552);
  EXPECT_EQ(philly.gpus, 321 * 2 + 231 * 8);
  EXPECT_EQ(philly.gpus_by_type.at("12GB"), 321 * 2);
  const TraceCluster pai = read_trace_cluster(d + "alibaba_pai_v2020/pai_machine_spec.csv");
  EXPECT_EQ(pai.nodes, 1897);
  EXPECT_EQ(pai.gpus, 6742);
  EXPECT_EQ(pai.gpus_by_type.at("MISC"), 2240);
  EXPECT_EQ(pai.gpus_by_type.at("V100"), 832);
}

}  // namespace
}  // namespace capsim
