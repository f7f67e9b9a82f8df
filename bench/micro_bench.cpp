// Microbenchmarks of the hot pieces that need no engine: policy decisions, units parsing, SWF reading.
// The end-to-end benchmark (one SimGrid run per process) is bench/run.sh.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "models/common/random.hpp"
#include "models/scheduling/scheduler.hpp"
#include "models/workload/swf.hpp"
#include "models/common/units.hpp"

namespace capsim {
namespace {

// A 100,000-GPU cluster kept nearly full, with a queue of 10,000 jobs; each iteration ends one running job
// at its planned end, submits one job and asks the policy to decide.
void BM_PolicyDecide10kQueue(benchmark::State& state) {
  const PolicyKind policy = state.range(0) ? PolicyKind::easy : PolicyKind::fcfs;
  Scheduler s(12500, 8, policy);
  Rng rng(1);
  std::vector<double> cumulative;
  double acc = 0;
  for (int k = 0; k <= 14; ++k) cumulative.push_back(acc += std::pow(0.7, k));
  JobId next = 0;
  double now = 0;
  auto submit = [&] {
    int gpus = 1 << rng.categorical(cumulative);
    s.submit({next++, gpus, now, std::ceil(rng.lognormal(7200, 1.5))});
  };
  std::multimap<double, JobId> ends;
  auto launch = [&](const std::vector<StartDecision>& ds) {
    for (const auto& d : ds) ends.emplace(now + 1 + std::floor(rng.uniform() * 86400), d.id);
  };
  for (int i = 0; i < 20000; ++i) submit();
  launch(s.decide(now));
  while (s.queued() > 10000) {
    auto it = ends.begin();
    now = it->first;
    s.complete(it->second, now);
    ends.erase(it);
    launch(s.decide(now));
  }
  for (auto _ : state) {
    auto it = ends.begin();
    now = it->first;
    s.complete(it->second, now);
    ends.erase(it);
    submit();
    launch(s.decide(now));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["queue"] = static_cast<double>(s.queued());
}
BENCHMARK(BM_PolicyDecide10kQueue)->Arg(0)->Arg(1)->ArgNames({"easy"});

void BM_UnitsParse(benchmark::State& state) {
  const char* texts[] = {"700 W", "10.2 kW", "30 d", "31.5 s", "400 Gbps", "80 GB", "1.5e3 MW"};
  const units::Dimension dims[] = {units::Dimension::power,     units::Dimension::power, units::Dimension::time,
                                   units::Dimension::time,      units::Dimension::data_rate,
                                   units::Dimension::data_size, units::Dimension::power};
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = units::parse(texts[i % 7], dims[i % 7]);
    benchmark::DoNotOptimize(r.value);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UnitsParse);

void BM_SwfParse(benchmark::State& state) {
  auto path = (std::filesystem::temp_directory_path() / "capsim_bench.swf").string();
  {
    std::ofstream out(path);
    Rng rng(3);
    out << "; MaxProcs: 240\n";
    double t = 0;
    for (int i = 1; i <= 200000; ++i) {
      t += std::floor(rng.exponential(60));
      out << i << ' ' << t << " 10 " << std::floor(rng.exponential(3600)) << " 8 -1 -1 8 7200 -1 1 3 1 -1 1 1 -1 -1\n";
    }
  }
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
  for (auto _ : state) {
    SwfWorkload w;
    w.path = path;
    SwfSource src(w, 1e15);
    long long n = 0;
    while (src.next()) ++n;
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  std::filesystem::remove(path);
}
BENCHMARK(BM_SwfParse)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace capsim

BENCHMARK_MAIN();
