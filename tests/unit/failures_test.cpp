#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "models/failures/checkpoint.hpp"
#include "models/failures/injector.hpp"
#include "models/scheduling/scheduler.hpp"

namespace capsim {
namespace {

TEST(Checkpoint, AttemptByHand) {
  // 10 s of work in intervals of 4 s, checkpoints of 1 s, restart 2 s: R 2, work 4, C 1, work 4, C 1, work 2.
  const Attempt a{2, 10, 4, 1};
  EXPECT_EQ(a.checkpoints(), 2);
  EXPECT_DOUBLE_EQ(a.total_s(), 14);
  auto p = a.at(1);  // in the restart
  EXPECT_DOUBLE_EQ(p.restart_s, 1);
  EXPECT_DOUBLE_EQ(p.saved_s + p.unsaved_s + p.checkpoint_s, 0);
  p = a.at(5);  // 3 s into the first interval
  EXPECT_DOUBLE_EQ(p.unsaved_s, 3);
  EXPECT_DOUBLE_EQ(p.saved_s, 0);
  p = a.at(6.5);  // half-way through the first checkpoint: its work is not saved yet
  EXPECT_DOUBLE_EQ(p.saved_s, 0);
  EXPECT_DOUBLE_EQ(p.unsaved_s, 4);
  EXPECT_DOUBLE_EQ(p.checkpoint_s, 0.5);
  p = a.at(8);  // 1 s into the second interval
  EXPECT_DOUBLE_EQ(p.saved_s, 4);
  EXPECT_DOUBLE_EQ(p.unsaved_s, 1);
  EXPECT_DOUBLE_EQ(p.checkpoint_s, 1);
  p = a.at(14);  // the end: the last interval has no checkpoint after it
  EXPECT_DOUBLE_EQ(p.restart_s + p.saved_s + p.unsaved_s + p.checkpoint_s, 14);
  EXPECT_DOUBLE_EQ(p.saved_s + p.unsaved_s, 10);
  EXPECT_DOUBLE_EQ(p.checkpoint_s, 2);
}

TEST(Checkpoint, AttemptPartsAddUpToElapsedTime) {
  const Attempt a{30, 1000, 70, 9};
  for (double e = 0; e <= a.total_s(); e += 0.37) {
    const auto p = a.at(e);
    ASSERT_NEAR(p.restart_s + p.saved_s + p.unsaved_s + p.checkpoint_s, e, 1e-9) << e;
    ASSERT_LE(p.unsaved_s, a.interval_s + 1e-12);
  }
}

TEST(Checkpoint, NoIntervalMeansNoCheckpoint) {
  const Attempt a{0, 100, std::numeric_limits<double>::infinity(), 5};
  EXPECT_EQ(a.checkpoints(), 0);
  EXPECT_DOUBLE_EQ(a.total_s(), 100);
  EXPECT_DOUBLE_EQ(a.at(60).unsaved_s, 60);
}

TEST(Checkpoint, YoungAndDalyIntervals) {
  // Young: sqrt(2 C M); Daly's eq. 37 by hand for C = 72 s, M = 3600 s: x = 0.01,
  // sqrt(2 x 72 x 3600) (1 + 0.1 / 3 + 0.01 / 9) - 72 = 720 x 1.034444 - 72 = 672.8 s.
  EXPECT_DOUBLE_EQ(young_interval_s(72, 3600), 720);
  EXPECT_NEAR(daly_interval_s(72, 3600), 720 * (1 + 0.1 / 3 + 0.01 / 9) - 72, 1e-9);
  EXPECT_DOUBLE_EQ(daly_interval_s(10000, 3600), 3600);  // C >= 2M: the interval is M
  EXPECT_TRUE(std::isinf(daly_interval_s(72, std::numeric_limits<double>::infinity())));
}

FailureSpec exponential(double mtbf_s) {
  FailureSpec f;
  f.enabled = true;
  f.classes.push_back({});
  f.classes[0].mtbf_s = mtbf_s;
  return f;
}

TEST(Injector, EventsComeInTimeOrder) {
  FailureInjector inj(exponential(100), 1, 0, {50});
  for (int n = 0; n < 50; ++n) inj.up(0, n, 0);
  double last = 0;
  for (int i = 0; i < 1000; ++i) {
    const FailureEvent e = inj.pop();
    ASSERT_GE(e.time_s, last);
    last = e.time_s;
    if (e.kind == FailureEvent::Kind::fail) inj.repair(0, e.unit, e.time_s, false);
    else inj.up(0, e.unit, e.time_s);
  }
}

TEST(Injector, ExponentialMeanAndWeibullMean) {
  // Times to failure have the given mean whatever the distribution (the Weibull scale follows from it).
  for (double shape : {0.0, 0.7, 1.5}) {
    FailureSpec f = exponential(1000);
    if (shape > 0) {
      f.classes[0].kind = FailureClass::Kind::weibull;
      f.classes[0].weibull_shape = shape;
    }
    FailureInjector inj(f, 7, 0, {20000});
    for (int n = 0; n < 20000; ++n) inj.up(0, n, 0);
    double sum = 0, sq = 0;
    for (int i = 0; i < 20000; ++i) {
      const double t = inj.pop().time_s;
      sum += t;
      sq += t * t;
    }
    const double mean = sum / 20000, sd = std::sqrt(sq / 20000 - mean * mean);
    EXPECT_NEAR(mean, 1000, 4 * sd / std::sqrt(20000.0)) << "shape " << shape;
    // The coefficient of variation tells the shape: 1 for the exponential, > 1 below shape 1, < 1 above.
    if (shape == 0) {
      EXPECT_NEAR(sd / mean, 1, 0.03);
    }
    if (shape == 0.7) {
      EXPECT_NEAR(sd / mean, std::sqrt(std::tgamma(1 + 2 / 0.7) / std::pow(std::tgamma(1 + 1 / 0.7), 2) - 1), 0.05);
    }
    if (shape == 1.5) {
      EXPECT_LT(sd / mean, 0.75);
    }
  }
}

TEST(Injector, UnitHistoriesAreIndependentOfEachOther) {
  // Common random numbers: node 3's failures do not depend on what other nodes or classes do, or how many
  // there are.
  FailureSpec two = exponential(50);
  two.classes.push_back(two.classes[0]);
  FailureInjector a(exponential(50), 9, 0, {4}), b(two, 9, 0, {100, 100});
  a.up(0, 3, 0);
  for (int n = 0; n < 100; ++n) b.up(0, n, 0), b.up(1, n, 0);
  std::vector<double> ta, tb;
  for (int i = 0; i < 5; ++i) {
    const FailureEvent e = a.pop();
    ta.push_back(e.time_s);
    a.up(0, 3, e.time_s);
  }
  std::vector<double> other;
  while (tb.size() < 5) {
    const FailureEvent e = b.pop();
    if (e.cls == 0 && e.unit == 3) tb.push_back(e.time_s);
    if (e.cls == 1 && e.unit == 3) other.push_back(e.time_s);
    b.up(e.cls, e.unit, e.time_s);
  }
  EXPECT_EQ(ta, tb);
  EXPECT_NE(other.front(), ta.front());  // the second class has streams of its own
  FailureInjector c(exponential(50), 10, 0, {4});  // another seed
  c.up(0, 3, 0);
  EXPECT_NE(c.pop().time_s, ta.front());
}

TEST(Injector, PipelineStages) {
  // Detection, then the automatic repair; with an escalation share of 1, always the manual one after it.
  FailureSpec f = exponential(100);
  f.classes[0].repair.detect_s = 600;
  f.classes[0].repair.automatic.mean_s = 3600;
  f.classes[0].repair.escalate_share = 1;
  f.classes[0].repair.manual.mean_s = 86400;
  FailureInjector inj(f, 1, 0, {1});
  const RepairDraw d = inj.repair(0, 0, 50, false);
  EXPECT_DOUBLE_EQ(d.total_s(), 600 + 3600 + 86400);
  FailureEvent e = inj.pop();
  EXPECT_EQ(e.kind, FailureEvent::Kind::detected);
  EXPECT_DOUBLE_EQ(e.time_s, 650);
  e = inj.pop();
  EXPECT_EQ(e.kind, FailureEvent::Kind::repaired);
  EXPECT_DOUBLE_EQ(e.time_s, 50 + 600 + 3600 + 86400);
}

TEST(Injector, ManualRepairsWaitForATechnician) {
  // One technician, fixed stages: two units escalating 1 h apart; the second's manual repair starts when
  // the first's ends, and its end follows; the spare's machine ends as `spare_repaired`.
  FailureSpec f = exponential(100);
  f.classes[0].repair.automatic.mean_s = 3600;
  f.classes[0].repair.escalate_share = 1;
  f.classes[0].repair.manual.mean_s = 86400;
  f.technicians = 1;
  FailureInjector inj(f, 1, 0, {2});
  inj.repair(0, 0, 0, false);
  inj.repair(0, 1, 3600, true);
  FailureEvent e = inj.pop();
  ASSERT_EQ(e.kind, FailureEvent::Kind::escalated);
  EXPECT_DOUBLE_EQ(e.time_s, 3600);
  std::optional<ManualRepair> m = inj.technician(e);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->unit, 0);
  e = inj.pop();
  ASSERT_EQ(e.kind, FailureEvent::Kind::escalated);
  EXPECT_DOUBLE_EQ(e.time_s, 7200);
  EXPECT_FALSE(inj.technician(e).has_value()) << "the only technician is busy";
  EXPECT_EQ(inj.waiting().size(), 1u);
  e = inj.pop();
  ASSERT_EQ(e.kind, FailureEvent::Kind::repaired);
  EXPECT_DOUBLE_EQ(e.time_s, 3600 + 86400);
  m = inj.technician(e);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->unit, 1);
  EXPECT_DOUBLE_EQ(e.time_s - m->queued_s, 86400 - 3600) << "its wait";
  e = inj.pop();
  EXPECT_EQ(e.kind, FailureEvent::Kind::spare_repaired);
  EXPECT_DOUBLE_EQ(e.time_s, 3600 + 2 * 86400);
  EXPECT_FALSE(inj.technician(e).has_value());
  EXPECT_TRUE(std::isinf(inj.next_time()));
}

TEST(Injector, EscalationShareAndLemonShare) {
  // Over many draws, the share escalated and the share of lemon nodes are within 4 standard errors.
  FailureSpec f = exponential(100);
  f.classes[0].repair.escalate_share = 0.3;
  f.lemons.fraction = 0.05;
  const int n = 40000;
  FailureInjector inj(f, 3, 0, {n});
  int escalated = 0, lemons = 0;
  for (int u = 0; u < n; ++u) {
    escalated += inj.repair(0, u, 0, false).manual_s > 0;
    lemons += inj.lemon(u);
  }
  EXPECT_NEAR(escalated / double(n), 0.3, 4 * std::sqrt(0.3 * 0.7 / n));
  EXPECT_NEAR(lemons / double(n), 0.05, 4 * std::sqrt(0.05 * 0.95 / n));
}

TEST(Scheduler, InterruptedJobGoesBackToItsPlace) {
  Scheduler s(2, 8, PolicyKind::fcfs);
  s.submit({1, 16, 0, 100});
  s.submit({2, 8, 1, 100});
  s.submit({3, 8, 2, 100});
  ASSERT_EQ(s.decide(2).size(), 1u);  // job 1 holds both nodes
  s.set_down(0, true);
  s.interrupt(1, 10);
  s.resubmit({1, 16, 0, 90}, true);
  EXPECT_EQ(s.head_gpus(), 16);  // first again, by its submit time
  auto d = s.decide(10);
  EXPECT_TRUE(d.empty());  // it needs both nodes, one is down: FCFS holds the others behind it
  s.set_down(0, false);
  d = s.decide(20);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].id, 1);
}

TEST(Scheduler, InterruptedJobAtTheBack) {
  Scheduler s(2, 8, PolicyKind::fcfs);
  s.submit({1, 8, 0, 100});
  ASSERT_EQ(s.decide(0).size(), 1u);
  s.submit({2, 16, 1, 100});
  s.interrupt(1, 5);
  s.resubmit({1, 8, 0, 95}, false);
  EXPECT_EQ(s.head_gpus(), 16);
  EXPECT_EQ(s.pool().free_gpus(), 16);
}

}  // namespace
}  // namespace capsim
