#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "models/common/random.hpp"
#include "models/scheduling/scheduler.hpp"
#include "models/workload/swf.hpp"
#include "tests/reference/brute_easy.hpp"
#include "tests/reference/count_easy.hpp"
#include "tests/reference/event_loop.hpp"
#include "tests/reference/vector_source.hpp"

namespace capsim {
namespace {
using reference::job;
using reference::VectorSource;

std::vector<double> starts(std::vector<Job> jobs, int nodes, int gpn, PolicyKind p, double horizon = 1e6) {
  VectorSource src(std::move(jobs));
  auto r = reference::run_reference(src, nodes, gpn, p, horizon);
  std::vector<double> out;
  for (const auto& j : r.jobs) out.push_back(j.start_s);
  return out;
}

// Four 1-GPU nodes. J0 holds 3 GPUs until t=100; J1 (4 GPUs) is the head, reserved at t=100.
TEST(Easy, ShortJobBackfills) {
  auto s = starts({job(0, 3, 100), job(1, 4, 100), job(2, 1, 50)}, 4, 1, PolicyKind::easy);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 2}));
}

TEST(Easy, LongJobDoesNotBackfillWhenNoGpusAreLeftAtTheShadowTime) {
  auto s = starts({job(0, 3, 100), job(1, 4, 100), job(2, 1, 150)}, 4, 1, PolicyKind::easy);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 200}));
}

TEST(Easy, JobEndingExactlyAtTheShadowTimeBackfills) {
  // Submitted at 2, 98 s: ends at 100 = shadow time.
  auto s = starts({job(0, 3, 100), job(1, 4, 100), job(2, 1, 98)}, 4, 1, PolicyKind::easy);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 2}));
}

TEST(Easy, JobThatWouldDelayTheHeadByOneSecondWaits) {
  auto s = starts({job(0, 3, 100), job(1, 4, 100), job(2, 1, 99)}, 4, 1, PolicyKind::easy);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 200}));
}

TEST(Easy, LongJobUsesGpusLeftOverAtTheShadowTime) {
  // Head needs 3 of 4 GPUs at t=100: one is left over, so a long 1-GPU job may take it now.
  auto s = starts({job(0, 3, 100), job(1, 3, 100), job(2, 1, 1000)}, 4, 1, PolicyKind::easy);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 2}));
}

TEST(Easy, PlansWithTheEstimateNotTheRunTime) {
  // J2 runs 10 s but asks for 500 s: the scheduler must not backfill it.
  auto s = starts({job(0, 3, 100), job(1, 4, 100), job(2, 1, 10, 500)}, 4, 1, PolicyKind::easy);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 200}));
}

TEST(Easy, ExceededEstimateCountsAsEndingNow) {
  // J0 asks for 50 s but runs 100 s. At t=60 (J2's arrival) the head's shadow is "now" (60), so a job
  // of 1 s planned to end at 61 > 60 is long, and no GPUs are left over: it waits.
  auto s = starts({job(0, 3, 100, 50), job(1, 4, 100), job(60, 1, 1)}, 4, 1, PolicyKind::easy);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 200}));
}

TEST(Fcfs, NeverBackfills) {
  auto s = starts({job(0, 3, 100), job(1, 4, 100), job(2, 1, 50)}, 4, 1, PolicyKind::fcfs);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 200}));
}

TEST(Scheduler, CompletionsBeforeArrivalsAtOneInstant) {
  // J0 ends at 100 exactly when J1 (4 GPUs) arrives: J1 starts at 100, not later.
  auto s = starts({job(0, 4, 100), job(100, 4, 10)}, 4, 1, PolicyKind::fcfs);
  EXPECT_EQ(s, (std::vector<double>{0, 100}));
}

TEST(Scheduler, QueueOrderIsSubmitTimeThenId) {
  // Two jobs arrive together; the first listed (lower id) starts first.
  auto s = starts({job(0, 4, 100), job(5, 4, 10), job(5, 4, 20)}, 4, 1, PolicyKind::fcfs);
  EXPECT_EQ(s, (std::vector<double>{0, 100, 110}));
}

TEST(Scheduler, JobLargerThanTheClusterIsRejectedAndDoesNotBlock) {
  VectorSource src({job(0, 5, 10), job(1, 1, 10)});
  auto r = reference::run_reference(src, 4, 1, PolicyKind::fcfs, 1000);
  EXPECT_TRUE(r.jobs[0].rejected);
  EXPECT_EQ(r.jobs[0].start_s, -1);
  EXPECT_EQ(r.jobs[1].start_s, 1);
}

TEST(Scheduler, MultiNodeJobHoldsWholeNodes) {
  // A 12-GPU job on 8-GPU nodes holds 2 nodes (16 GPUs): a 5-GPU job then cannot start on 2 nodes.
  Scheduler s(2, 8, PolicyKind::fcfs);
  ASSERT_TRUE(s.submit({0, 12, 0, 10}));
  ASSERT_TRUE(s.submit({1, 4, 0, 10}));
  auto d = s.decide(0);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].placement.size(), 2u);
  EXPECT_EQ(s.gpus_allocated(), 16);
  s.complete(0, 10);
  EXPECT_EQ(s.decide(10).size(), 1u);
  EXPECT_EQ(s.gpus_allocated(), 4);
}

// 10 to 59 jobs, arriving with many ties, of sizes drawn by `size`; estimates exact or (off `exact`) under
// and over the run time.
template <class Size>
std::vector<Job> random_jobs(Rng& rng, bool exact, Size size) {
  std::vector<Job> jobs;
  double t = 0;
  int n = 10 + static_cast<int>(rng.uniform() * 50);
  for (int i = 0; i < n; ++i) {
    t += std::floor(rng.uniform() * 6);
    int g = size();
    double run = 1 + std::floor(rng.uniform() * 40);
    double est = exact ? run
                 : rng.uniform() < 0.2 ? std::max(1.0, std::floor(run * rng.uniform()))
                                       : run + std::floor(rng.uniform() * 30);
    jobs.push_back(job(t, g, run, est));
  }
  return jobs;
}

// Randomised small cases: the scheduler and the brute-force reference give identical schedules.
TEST(Easy, MatchesBruteForceOnRandomSmallCases) {
  Rng rng(2024);
  int cases = 0;
  const int n_cases = 2000;
  for (int c = 0; c < n_cases; ++c) {
    int nodes = 1 + static_cast<int>(rng.uniform() * 6);
    int gpn = 1 + static_cast<int>(rng.uniform() * 4);
    PolicyKind policy = rng.uniform() < 0.8 ? PolicyKind::easy : PolicyKind::fcfs;
    // A third of the cases have exact estimates (jobs end at their planned end, the path where EASY
    // reuses its projection); the others over- and under-estimate.
    bool exact = c % 3 == 0;
    std::vector<Job> jobs = random_jobs(rng, exact, [&] { return 1 + static_cast<int>(rng.uniform() * (nodes * gpn + 1)); });
    VectorSource a(jobs), b(jobs);
    auto ra = reference::run_reference<Scheduler>(a, nodes, gpn, policy, 1e9);
    auto rb = reference::run_reference<reference::BruteScheduler>(b, nodes, gpn, policy, 1e9);
    ASSERT_EQ(ra.jobs.size(), rb.jobs.size());
    for (std::size_t i = 0; i < ra.jobs.size(); ++i) {
      ASSERT_EQ(ra.jobs[i].start_s, rb.jobs[i].start_s)
          << "case " << c << " job " << i << " (" << nodes << " nodes x " << gpn << " GPUs)";
      ASSERT_EQ(ra.jobs[i].rejected, rb.jobs[i].rejected);
    }
    ++cases;
  }
  EXPECT_EQ(cases, n_cases);
}

// Whole-node jobs on one generation: start times equal EASY counted in nodes (tests/reference/count_easy.hpp),
// which knows nothing of which node is which; the reserved nodes (busy ones first) make them agree.
TEST(Easy, MatchesCountBasedEasyOnWholeNodeJobs) {
  Rng rng(1997);
  const int n_cases = 2000;
  long long backfilled = 0;
  for (int c = 0; c < n_cases; ++c) {
    int nodes = 1 + static_cast<int>(rng.uniform() * 8);
    int gpn = 1 + static_cast<int>(rng.uniform() * 4);
    bool exact = c % 3 == 0;
    std::vector<Job> jobs = random_jobs(rng, exact, [&] { return gpn * (1 + static_cast<int>(rng.uniform() * nodes)); });  // whole nodes
    VectorSource a(jobs), b(jobs);
    auto ra = reference::run_reference<Scheduler>(a, nodes, gpn, PolicyKind::easy, 1e9);
    auto rb = reference::run_reference<reference::CountEasy>(b, nodes, gpn, PolicyKind::easy, 1e9);
    ASSERT_EQ(ra.jobs.size(), rb.jobs.size());
    for (std::size_t i = 0; i < ra.jobs.size(); ++i) {
      ASSERT_EQ(ra.jobs[i].start_s, rb.jobs[i].start_s) << "case " << c << " job " << i << " (" << nodes << " nodes x " << gpn << " GPUs)";
      if (i > 0 && ra.jobs[i].start_s < ra.jobs[i - 1].start_s) ++backfilled;
    }
  }
  EXPECT_GT(backfilled, 1000) << "the cases should backfill often";
}

TEST(Easy, MatchesCountBasedEasyOnHpc2n) {
  const std::string path = std::string(CAPSIM_SHARED_DIR) + "/data/traces/swf/HPC2N-2002-2.2_excerpt_alea.swf";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared trace absent: " << path;
  SwfWorkload w;
  w.path = path;
  SwfSource a(w, 1e12), b(w, 1e12);
  // 240 one-GPU nodes: one processor = one node, as the log's count of processors.
  auto ra = reference::run_reference<Scheduler>(a, 240, 1, PolicyKind::easy, 1e12);
  auto rb = reference::run_reference<reference::CountEasy>(b, 240, 1, PolicyKind::easy, 1e12);
  ASSERT_GT(ra.jobs.size(), 3000u);
  ASSERT_EQ(ra.jobs.size(), rb.jobs.size());
  long long backfilled = 0;
  for (std::size_t i = 0; i < ra.jobs.size(); ++i) {
    ASSERT_EQ(ra.jobs[i].start_s, rb.jobs[i].start_s) << "job " << i;
    if (i > 0 && ra.jobs[i].start_s >= 0 && ra.jobs[i].start_s < ra.jobs[i - 1].start_s) ++backfilled;
  }
  EXPECT_GT(backfilled, 100) << "EASY should backfill on this log";
}

// Jobs of a trace with their estimates raised to at least their run time (EASY's guarantee assumes no job
// outlives its estimate).
class ExactUpperBoundEstimates final : public JobSource {
 public:
  explicit ExactUpperBoundEstimates(JobSource& inner) : inner_(inner) {}
  std::optional<Job> next() override {
    auto j = inner_.next();
    if (j) j->estimate_s = std::max(j->estimate_s, j->run_s);
    return j;
  }
  const std::vector<std::string>& class_names() const override { return inner_.class_names(); }

 private:
  JobSource& inner_;
};

TEST(Easy, HeadNeverStartsLaterThanItsReservationOnHpc2n) {
  const std::string path = std::string(CAPSIM_SHARED_DIR) + "/data/traces/swf/HPC2N-2002-2.2_excerpt_alea.swf";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared trace absent: " << path;
  SwfWorkload w;
  w.path = path;
  SwfSource swf(w, 1e12);
  ExactUpperBoundEstimates src(swf);
  // HPC2N Seth: 120 nodes x 2 processors; one processor = one GPU.
  auto r = reference::run_reference(src, 120, 2, PolicyKind::easy, 1e12);
  std::map<JobId, double> earliest_shadow;
  for (const auto& res : r.reservations) {
    auto [it, inserted] = earliest_shadow.emplace(res.head, res.shadow_s);
    if (!inserted) it->second = std::min(it->second, res.shadow_s);
  }
  ASSERT_GT(r.jobs.size(), 3000u);
  ASSERT_GT(earliest_shadow.size(), 100u) << "the replay should block the queue head often";
  long long backfilled = 0;
  for (const auto& [id, shadow] : earliest_shadow) {
    ASSERT_GE(r.jobs[id].start_s, 0) << "job " << id;
    ASSERT_LE(r.jobs[id].start_s, shadow) << "head job " << id << " started after its reservation";
  }
  for (std::size_t i = 1; i < r.jobs.size(); ++i)
    if (r.jobs[i].start_s >= 0 && r.jobs[i].start_s < r.jobs[i - 1].start_s) ++backfilled;
  EXPECT_GT(backfilled, 0) << "EASY should backfill some jobs on this log";
}

}  // namespace
}  // namespace capsim
