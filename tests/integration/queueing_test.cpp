// M/M/c check of the whole engine: c single-GPU servers, Poisson arrivals, exponential service, FCFS.
// The batch-means 95% confidence interval of the mean wait must contain the Erlang-C value.
//   usage: capsim_queueing_test RHO SERVERS JOBS
#include <gtest/gtest.h>

#include <cmath>

#include "models/scenario/scenario.hpp"
#include "reports/stats.hpp"
#include "sim/engine.hpp"

namespace capsim {
namespace {

double g_rho = 0.7;
int g_servers = 64;
long long g_jobs = 215000;

// Erlang C: probability that an arrival waits, for c servers and offered load a = lambda / mu (Erlangs).
double erlang_c(int c, double a) {
  double term = 1.0, sum = 1.0;  // sum_{k<c} a^k / k!
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  double last = term * a / c;  // a^c / c!
  double rho = a / c;
  double top = last / (1 - rho);
  return top / (sum + top);
}

TEST(Queueing, MeanWaitMatchesErlangC) {
  const double service_mean_s = 8 * 3600;
  // The engine rounds run times up to whole seconds: ceil of an exponential is geometric with this mean.
  const double effective_service_s = 1.0 / (1.0 - std::exp(-1.0 / service_mean_s));
  const double lambda = g_rho * g_servers / service_mean_s;
  const double horizon = g_jobs / lambda;
  const double warmup = 0.05 * horizon;
  nlohmann::json doc = {
      {"capsim", 1},
      {"horizon", std::to_string(std::ceil(horizon)) + " s"},
      {"warmup", std::to_string(std::ceil(warmup)) + " s"},
      {"seed", 12345},
      {"cluster", {{"node_type", "h100-sxm-8"}, {"nodes", g_servers}, {"gpus_per_node", 1}, {"pods", 4},
                   {"node_idle_power", "100 W"}, {"node_peak_power", "800 W"}}},
      {"workload",
       {{"source", "synthetic"},
        {"mean_interarrival", std::to_string(1.0 / lambda) + " s"},
        {"classes", {{{"name", "mm1"}, {"sizes", {{"distribution", "empirical"}, {"gpus", {1}}}},
                      {"durations", {{"distribution", "exponential"}, {"mean", std::to_string(service_mean_s) + " s"}}}}}}}},
      {"scheduler", {{"policy", "fcfs"}}}};
  Scenario s = load_scenario_json(doc, "mmc", ".");
  RunResult r = run_simulation(s, {});

  std::vector<double> waits;  // in submit order, after the warm-up, jobs that started
  for (const auto& j : r.jobs)
    if (j.job.submit_s >= warmup && j.start_s >= 0) waits.push_back(j.start_s - j.job.submit_s);
  ASSERT_GE(waits.size(), static_cast<std::size_t>(200000)) << "the check needs at least 200,000 measured jobs";

  double a = lambda * effective_service_s;
  double wq = erlang_c(g_servers, a) / (g_servers / effective_service_s - lambda);
  auto ci = stats::batch_means_ci(waits, 20);
  std::printf("rho %.2f  c %d  jobs %zu  Erlang-C Wq %.2f s  simulated %.2f s  95%% CI [%.2f, %.2f]\n", g_rho,
              g_servers, waits.size(), wq, ci.mean, ci.low, ci.high);
  EXPECT_LE(ci.low, wq);
  EXPECT_GE(ci.high, wq);
  // The interval must be able to fail: it excludes no wait at all and a wait twice the Erlang-C value.
  EXPECT_GT(ci.low, 0.0);
  EXPECT_LT(ci.high, 2 * wq);

  // The probability of waiting is Erlang C itself: the same interval check on the fraction that waited.
  std::vector<double> waited;
  for (double w : waits) waited.push_back(w > 0 ? 1.0 : 0.0);
  auto pw = stats::batch_means_ci(waited, 20);
  double c = erlang_c(g_servers, a);
  std::printf("P(wait) Erlang-C %.4f  simulated %.4f  95%% CI [%.4f, %.4f]\n", c, pw.mean, pw.low, pw.high);
  EXPECT_LE(pw.low, c);
  EXPECT_GE(pw.high, c);
}

}  // namespace
}  // namespace capsim

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc >= 2) capsim::g_rho = std::atof(argv[1]);
  if (argc >= 3) capsim::g_servers = std::atoi(argv[2]);
  if (argc >= 4) capsim::g_jobs = std::atoll(argv[3]);
  return RUN_ALL_TESTS();
}
