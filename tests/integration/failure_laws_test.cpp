// Laws of the failure model checked on one engine run each (ctest picks the law with --gtest_filter):
//   usage: capsim_failure_laws_test SCENARIO [--set PATH=VALUE]... --gtest_filter=Laws.NAME
#include <gtest/gtest.h>

#include <cmath>

#include "tests/integration/one_run.hpp"

namespace capsim {
namespace {

using one_run::res;
using one_run::sc;

const FailureClass& only_class() {
  EXPECT_EQ(sc().failures.classes.size(), 1u) << "a law of one class";
  return sc().failures.classes.front();
}

TEST(Laws, DomainFailureInterruptsEveryJobOnIt) {
  // Every node of the cluster runs a one-node job whenever it is up (a long queue), so a failure of a rack
  // or leaf of k nodes interrupts exactly k jobs: all those on it, and no other.
  const FailureClass& c = only_class();
  ASSERT_NE(c.domain, FailureDomain::node);
  const int k = c.domain == FailureDomain::rack ? sc().failures.nodes_per_rack : sc().failures.nodes_per_leaf;
  ASSERT_EQ(sc().cluster.nodes % k, 0) << "whole domains only";
  ASSERT_GT(res().class_failures[0], 10);
  EXPECT_EQ(res().class_interruptions[0], k * res().class_failures[0]);
  long long by_jobs = 0;
  for (const JobRecord& j : res().jobs) {
    ASSERT_EQ(j.job.gpus, sc().cluster.gpus_per_node);
    by_jobs += res().failures_of(j).interruptions;
  }
  EXPECT_EQ(by_jobs, res().class_interruptions[0]);
}

TEST(Laws, LittlesLawAndTimeToReturn) {
  // Exponential stages: a repair takes W = detection + automatic + share x manual on average, and the nodes
  // in repair (integrated by the recorder from the nodes' state) are on average the failure rate x W.
  const FailureClass& c = only_class();
  ASSERT_EQ(c.domain, FailureDomain::node);
  ASSERT_EQ(sc().failures.spare_nodes, 0);
  const RepairPipeline& p = c.repair;
  ASSERT_EQ(p.automatic.kind, RepairSpec::Kind::exponential);
  ASSERT_EQ(p.manual.kind, RepairSpec::Kind::exponential);
  const double a = p.automatic.mean_s, m = p.manual.mean_s, q = p.escalate_share;
  const double w = p.detect_s + a + q * m;
  const double var = a * a + q * 2 * m * m - q * q * m * m;  // automatic + Bernoulli(q) x manual
  const double n = static_cast<double>(res().repairs), se = std::sqrt(var / n);
  ASSERT_GT(n, 5000);
  const double mean = res().repair_total_s / n;
  EXPECT_NEAR(mean, w, 4 * se) << "mean time to return, closed form " << w << " s";
  const double window = sc().horizon_s - sc().warmup_s;
  const double in_repair = res().down_node_s / window, rate = static_cast<double>(res().node_failures) / window;
  EXPECT_NEAR(in_repair, rate * w, 4 * se / w * rate * w + rate * w / std::sqrt(n)) << "Little's law: nodes in repair";
  EXPECT_NEAR(static_cast<double>(res().escalations) / n, q, 4 * std::sqrt(q * (1 - q) / n));
}

// Erlang C: the probability that an arrival waits in an M/M/c queue with offered load a = lambda / mu < c.
double erlang_c(int c, double a) {
  double term = 1, sum = 0;  // a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double last = term * c / (c - a);
  return last / (sum + last);
}

TEST(Laws, TechniciansAreAnErlangCQueue) {
  // Every failure escalates at once (no detection, automatic repair 0 s) to an exponential manual repair,
  // and c technicians take them in turn: with nodes far more than those in repair, failures arrive as a
  // Poisson process, so repairs queue as M/M/c. The mean wait for a technician is Erlang C's
  // C(c, a) / (c mu - lambda), lambda measured (the nodes in repair do not fail). Ten years at 65 % load
  // give a standard error of about 2 % (seeds 1-6: within 3.3 %); the tolerance is 8 %.
  const FailureClass& k = only_class();
  const RepairPipeline& p = k.repair;
  ASSERT_EQ(p.detect_s, 0);
  ASSERT_EQ(p.automatic.mean_s, 0);
  ASSERT_EQ(p.escalate_share, 1);
  ASSERT_EQ(p.manual.kind, RepairSpec::Kind::exponential);
  const int c = sc().failures.technicians;
  ASSERT_GT(c, 0);
  const double window = sc().horizon_s - sc().warmup_s;
  ASSERT_EQ(sc().warmup_s, 0);
  const double lambda = static_cast<double>(res().node_failures) / window, mu = 1 / p.manual.mean_s, a = lambda / mu;
  ASSERT_LT(a, 0.8 * c) << "a stable queue, not too close to saturation";
  ASSERT_GT(res().technician_starts, 50000);
  const double wq = erlang_c(c, a) / (c * mu - lambda);
  const double got = res().technician_wait_s / static_cast<double>(res().technician_starts);
  EXPECT_NEAR(got / wq, 1, 0.08) << "mean wait " << got << " s, Erlang C " << wq << " s";
  // Little's law for the technicians at work (a = lambda / mu) and for the repairs waiting (lambda x Wq).
  EXPECT_NEAR(res().repair_stage_s[2] / window / a, 1, 0.03);
  EXPECT_NEAR(res().repair_stage_s[3] / window / (lambda * got), 1, 0.01);
  // Nodes in repair: both.
  EXPECT_NEAR(res().down_node_s / window, a + lambda * got, 0.01 * (a + lambda * got));
}

TEST(Laws, MaintenanceDrainsAndInterruptsItsUnitOnly) {
  // Nothing fails and every node runs a one-node job whenever it can (a long queue). The schedule, from
  // its definition: unit u of U is out from first + (k + u / U) x every for `duration`, draining `notice`
  // before. Without notice, each window interrupts exactly the jobs on its unit's nodes (all busy); with a
  // notice at least the longest job, none (no job starts on a draining node, and those on it end in time).
  const FailureSpec& f = sc().failures;
  const MaintenanceSpec& m = f.maintenance;
  ASSERT_TRUE(m.enabled);
  ASSERT_EQ(m.domain, FailureDomain::rack);
  ASSERT_EQ(res().node_failures, 0);
  ASSERT_EQ(sc().cluster.nodes % f.nodes_per_rack, 0) << "whole racks only";
  const int units = sc().cluster.nodes / f.nodes_per_rack;
  const double t0 = sc().warmup_s, t1 = sc().horizon_s;
  auto inside = [&](double a, double b) { return std::max(0.0, std::min(b, t1) - std::max(a, t0)); };
  long long windows = 0;
  double in_window = 0, draining = 0, longest = 0;
  for (int u = 0; u < units; ++u)
    for (int k = 0; m.window(u, units, k).drain_s < t1; ++k) {
      const MaintenanceSpec::Window w = m.window(u, units, k);
      windows += w.start_s >= t0 && w.start_s < t1;
      in_window += f.nodes_per_rack * inside(w.start_s, w.end_s);
      draining += f.nodes_per_rack * inside(w.drain_s, w.start_s);
    }
  ASSERT_GT(windows, 10);
  EXPECT_EQ(res().maintenance_windows, windows);
  EXPECT_NEAR(res().maintenance_node_s, in_window, 1e-6 * in_window);
  EXPECT_NEAR(res().draining_node_s, draining, 1e-6 * (draining + 1));
  long long by_jobs = 0;
  double lost = 0;
  for (const JobRecord& j : res().jobs) {
    ASSERT_EQ(j.job.gpus, sc().cluster.gpus_per_node);
    by_jobs += res().failures_of(j).interruptions;
    lost += res().failures_of(j).lost_gpu_s;
    longest = std::max(longest, j.job.run_s);
  }
  EXPECT_EQ(by_jobs, res().maintenance_interruptions);
  EXPECT_NEAR(lost, res().maintenance_lost_gpu_s, 1e-9 * lost) << "nothing else loses work";
  // The jobs do not checkpoint: an interrupted job loses all it had done.
  if (m.notice_s == 0) {
    EXPECT_EQ(res().maintenance_interruptions, f.nodes_per_rack * windows);
    EXPECT_GT(res().maintenance_lost_gpu_s, 0);
  } else if (m.notice_s >= longest) {
    EXPECT_EQ(res().maintenance_interruptions, 0);
    EXPECT_EQ(res().maintenance_lost_gpu_s, 0);
  } else {
    GTEST_SKIP() << "a notice shorter than some jobs interrupts some of them";
  }
}

TEST(Laws, LemonShareOfFailures) {
  // With repairs short against the time between failures, the share of failures on lemons is
  // f m / (1 - f + f m), f the share of nodes that are lemons (as drawn), m their multiplier.
  const FailureClass& c = only_class();
  ASSERT_EQ(c.domain, FailureDomain::node);
  ASSERT_LT(c.repair.mean_s(), 1e-3 * c.mtbf_s / sc().failures.lemons.multiplier) << "repairs must not keep lemons down noticeably";
  const double f = static_cast<double>(res().lemon_nodes) / (sc().cluster.nodes - sc().failures.spare_nodes), mult = sc().failures.lemons.multiplier;
  ASSERT_GT(res().lemon_nodes, 10);
  const double want = f * mult / (1 - f + f * mult), n = static_cast<double>(res().node_failures);
  const double got = static_cast<double>(res().lemon_failures) / n;
  EXPECT_NEAR(got, want, 4 * std::sqrt(want * (1 - want) / n)) << res().lemon_failures << " of " << n << " failures on " << res().lemon_nodes << " lemons";
}

TEST(Laws, ClassCountsFollowTheirRates) {
  // Each class's failures: Poisson with mean units x time / MTBF, less the time its units spend in their own
  // repairs (at most each failure's repair; no power cap, so nothing is switched off).
  ASSERT_FALSE(sc().facility.power_cap_w.has_value());
  const FailureSpec& f = sc().failures;
  const double t = sc().horizon_s, working = sc().cluster.nodes - f.spare_nodes;
  for (std::size_t c = 0; c < f.classes.size(); ++c) {
    const FailureClass& k = f.classes[c];
    const int per = k.domain == FailureDomain::node ? 1 : k.domain == FailureDomain::rack ? f.nodes_per_rack : f.nodes_per_leaf;
    const double units = std::ceil(working / per), expected = units * t / k.mtbf_s;
    const double got = static_cast<double>(res().class_failures[c]);
    const double in_repair = got * k.repair.mean_s() / k.mtbf_s;  // expected failures missed while in repair
    EXPECT_LE(got, expected + 5 * std::sqrt(expected) + 1) << k.name;
    EXPECT_GE(got, expected - in_repair - 5 * std::sqrt(expected) - 1) << k.name;
  }
}

}  // namespace
}  // namespace capsim

int main(int argc, char** argv) { return capsim::one_run::main(argc, argv); }
