// Checks one engine run (one SimGrid engine per process: ctest starts this binary once per scenario)
// against laws and independent computations:
//   usage: capsim_engine_test SCENARIO [--set PATH=VALUE]... [gtest flags]
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <tuple>

#include "models/power/cap_controller.hpp"
#include "models/site/facility.hpp"
#include "models/scenario/scenario.hpp"
#include "models/workload/workload.hpp"
#include "tests/integration/one_run.hpp"
#include "tests/reference/event_loop.hpp"

namespace capsim {
namespace {

using one_run::res;
using one_run::sc;

TEST(Conservation, EveryJobIsAccountedFor) {
  // Every job of the source is recorded once, and its status follows from its times alone.
  auto src = make_job_source(sc());
  long long generated = 0;
  while (auto j = src->next()) {
    ASSERT_LT(generated, static_cast<long long>(res().jobs.size()));
    ASSERT_EQ(res().jobs[generated].job.submit_s, j->submit_s);
    ++generated;
  }
  EXPECT_EQ(generated, static_cast<long long>(res().jobs.size()));
  for (const auto& j : res().jobs) {
    JobStatus from_times = j.start_s < 0   ? (j.status == JobStatus::rejected ? JobStatus::rejected : JobStatus::queued)
                           : j.end_s >= 0 ? JobStatus::completed
                                          : JobStatus::running;
    ASSERT_EQ(j.status, from_times) << "job " << j.job.id;
    if (j.status == JobStatus::completed) {
      ASSERT_LE(j.end_s, sc().horizon_s);
    }
  }
}

TEST(Conservation, StatusesMatchTimes) {
  // Without a power cap or buildout phases a job runs exactly its run time; with several generations it
  // runs at its slowest pod's speed; throttling only slows it down.
  const ClusterSpec& c = sc().cluster;
  double fastest = 0, slowest = 1e300;
  for (const auto& t : c.tranches) {
    fastest = std::max(fastest, t.speed);
    slowest = std::min(slowest, t.speed);
  }
  // Holding jobs throttles only when a hotter hour pushes running jobs above the cap (then it is reported).
  const bool throttled = sc().facility.power_cap_w && (!sc().facility.hold_under_cap || res().throttled_gpu_s > 0);
  const bool exact = !throttled && !c.phased();
  for (const auto& j : res().jobs) {
    switch (j.status) {
      case JobStatus::completed: {
        ASSERT_GE(j.start_s, 0) << "job " << j.job.id;
        // Its computation; its flows over the fabric may go on after it.
        ASSERT_GE(j.compute_end_s, j.start_s) << "job " << j.job.id;
        ASSERT_GE(j.end_s, j.compute_end_s) << "job " << j.job.id;
        if (!j.communicates) {
          ASSERT_EQ(j.end_s, j.compute_end_s) << "job " << j.job.id;
        }
        double took = j.compute_end_s - j.start_s;
        if (exact) {
          ASSERT_EQ(j.compute_end_s, j.start_s + j.job.run_s) << "job " << j.job.id << " must compute exactly its run time";
        } else {
          ASSERT_GE(took, j.job.run_s / fastest * (1 - 1e-9)) << "job " << j.job.id << " ran faster than the fastest GPUs";
          if (!throttled) {
            ASSERT_LE(took, j.job.run_s / slowest * (1 + 1e-9)) << "job " << j.job.id << " ran slower than the slowest GPUs";
          }
        }
        ASSERT_LE(j.end_s, sc().horizon_s);
        break;
      }
      case JobStatus::running:
        ASSERT_GE(j.start_s, 0);
        // Still computing at the horizon, or its computation ended exactly and its flows go on.
        if (exact && j.compute_end_s < 0) {
          ASSERT_GT(j.start_s + j.job.run_s, sc().horizon_s) << "job " << j.job.id << " should have ended";
        } else if (exact) {
          ASSERT_EQ(j.compute_end_s, j.start_s + j.job.run_s) << "job " << j.job.id;
        }
        break;
      case JobStatus::queued:
      case JobStatus::rejected: ASSERT_LT(j.start_s, 0); break;
    }
    if (j.start_s >= 0) {
      ASSERT_GE(j.start_s, j.job.submit_s) << "job " << j.job.id << " started before submission";
    }
    if (j.status == JobStatus::rejected) {
      ASSERT_GT((j.job.gpus + c.gpus_per_node - 1) / c.gpus_per_node, c.nodes);
    }
  }
}

TEST(Conservation, AllocatedGpusNeverExceedInstalled) {
  // Sweep over starts, ends and tranche arrivals; at one instant ends and arrivals come first (they free
  // or add GPUs before starts take them). Allocated GPUs never exceed the GPUs that have arrived.
  const ClusterSpec& c = sc().cluster;
  std::vector<std::tuple<double, int, long long>> ev;  // time, order (0 frees, 1 takes), allocated delta
  std::vector<std::pair<double, long long>> arrivals;
  for (const auto& t : c.tranches) arrivals.push_back({t.arrive_s, static_cast<long long>(t.nodes) * c.gpus_per_node});
  std::sort(arrivals.begin(), arrivals.end());
  for (const auto& j : res().jobs) {
    if (j.start_s < 0) continue;
    ev.push_back({j.start_s, 1, j.gpus_held});
    if (j.end_s >= 0) ev.push_back({j.end_s, 0, -j.gpus_held});
    long long nodes_needed = (j.job.gpus + c.gpus_per_node - 1) / c.gpus_per_node;
    ASSERT_EQ(j.nodes, nodes_needed) << "job " << j.job.id;
    ASSERT_EQ(j.gpus_held, j.job.gpus <= c.gpus_per_node ? j.job.gpus : nodes_needed * c.gpus_per_node);
  }
  std::sort(ev.begin(), ev.end());
  long long alloc = 0, peak = 0, installed = 0;
  std::size_t a = 0;
  for (const auto& [t, order, d] : ev) {
    while (a < arrivals.size() && arrivals[a].first <= t) installed += arrivals[a++].second;
    alloc += d;
    peak = std::max(peak, alloc);
    ASSERT_LE(alloc, installed) << "at t=" << t;
  }
  EXPECT_GT(peak, 0);
}

// IT energy from the host-energy plugin equals idle power x nodes x window + sum over jobs of
// f (peak - idle) / GPUs-per-node x GPUs x run time inside the window (f: the active-power factor),
// computed from the job records alone.
TEST(Energy, PluginMatchesIndependentSum) {
  EXPECT_NEAR(res().recorder_it_energy_window_j, res().it_energy_window_j, 1e-9 * res().it_energy_window_j);
  if (sc().facility.power_cap_w) GTEST_SKIP() << "throttled runs: the sum over jobs assumes full speed";
  if (sc().cluster.phased()) GTEST_SKIP() << "buildout phases: the sum assumes one node type always on";
  const ClusterSpec& c = sc().cluster;
  double window = sc().horizon_s - sc().warmup_s;
  double expected = c.nodes * c.node_idle_w * window;
  for (const auto& j : res().jobs) {
    if (j.start_s < 0) continue;
    // Busy while it computes; GPUs waiting on the fabric draw idle power.
    double end = j.compute_end_s >= 0 ? j.compute_end_s : sc().horizon_s;
    double overlap = std::max(0.0, std::min(end, sc().horizon_s) - std::max(j.start_s, sc().warmup_s));
    expected += c.tranches[0].active_factor * (c.node_peak_w - c.node_idle_w) / c.gpus_per_node * j.job.gpus * overlap;
  }
  EXPECT_NEAR(res().it_energy_window_j, expected, 1e-9 * expected);
  EXPECT_NEAR(res().recorder_it_energy_window_j, expected, 1e-9 * expected);
}

// The fabric's energy in [from, to), in closed form: each tranche's switches and optics draw their power
// while it serves, whatever the load; less the leaves (and their optics) of host groups switched off under
// a cap, `off_gpu_s` GPU-seconds in all. Their power per node lies between the smallest and the largest
// host group's (exact when all are alike), so the energy is returned as bounds.
std::pair<double, double> fabric_energy_j(double from, double to, double off_gpu_s) {
  if (!sc().network.enabled) return {0, 0};
  double e = 0;
  for (std::size_t t = 0; t < sc().cluster.tranches.size(); ++t) {
    const Tranche& tr = sc().cluster.tranches[t];
    e += sc().fabric.by_tranche[t].power_w() * std::max(0.0, std::min(tr.retire_s, to) - std::max(tr.arrive_s, from));
  }
  if (off_gpu_s <= 0) return {e, e};
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (std::size_t g = 0; g < sc().fabric.groups.size(); ++g) {
    const double per_node = sc().fabric.group_leaf_w[g] / sc().fabric.groups[g].nodes;
    lo = std::min(lo, per_node);
    hi = std::max(hi, per_node);
  }
  const double off_node_s = off_gpu_s / sc().cluster.gpus_per_node;
  return {e - hi * off_node_s, e - lo * off_node_s};
}

void expect_within(double got, std::pair<double, double> bounds, const char* what) {
  const double tol = 1e-9 * std::max(std::abs(bounds.first), std::abs(bounds.second));
  EXPECT_GE(got, bounds.first - tol) << what;
  EXPECT_LE(got, bounds.second + tol) << what;
}

// GPU-seconds switched off under the cap over the whole run, from the time series.
double off_gpu_s_of_run() {
  double off = 0;
  for (const auto& r : res().timeseries) off += r.gpus_off * (r.end_s - r.start_s);
  return off;
}

TEST(Energy, FabricDrawsItsPowerWhileItsTrancheServes) {
  expect_within(res().fabric_energy_window_j, fabric_energy_j(sc().warmup_s, sc().horizon_s, res().off_gpu_s), "fabric energy in the window");
  if (!sc().network.enabled) {
    EXPECT_EQ(res().fabric_energy_window_j, 0);
  }
  if (sc().network.enabled && res().off_gpu_s > 0) {
    EXPECT_LT(res().fabric_energy_window_j, fabric_energy_j(sc().warmup_s, sc().horizon_s, 0).first) << "leaves go dark with their host groups";
  }
}

TEST(Energy, TimeseriesIntegratesToEnergy) {
  double e = 0;
  for (const auto& r : res().timeseries) e += r.it_power_w * (r.end_s - r.start_s);
  const auto fabric = fabric_energy_j(0, sc().horizon_s, off_gpu_s_of_run());
  const double nodes = res().it_energy_total_j * res().facility.it_factor;
  expect_within(e, {nodes + fabric.first, nodes + fabric.second}, "IT energy from the time series");
  ASSERT_FALSE(res().timeseries.empty());
  EXPECT_EQ(res().timeseries.back().end_s, sc().horizon_s);
}

TEST(Energy, PeakIsWithinPhysicalBounds) {
  const ClusterSpec& c = sc().cluster;
  const double k = res().facility.it_factor;  // IT power / compute power
  double all_idle = 0, all_peak = 0, fabric = 0;
  for (const auto& t : c.tranches) {
    all_idle += t.nodes * t.idle_w;
    all_peak += t.nodes * t.peak_w;
  }
  if (sc().network.enabled) fabric = sc().fabric.total.power_w();
  if (!c.phased() && res().off_gpu_s == 0) {  // every node on all the time: at least all of them idle
    EXPECT_GE(res().it_peak_w, k * all_idle + fabric);
  }
  EXPECT_LE(res().it_peak_w, (k * all_peak + fabric) * (1 + 1e-12));
  const double window = sc().horizon_s - sc().warmup_s;
  EXPECT_GE(res().it_peak_w * (1 + 1e-12), (k * res().it_energy_window_j + res().fabric_energy_window_j) / window);
  EXPECT_GE(res().facility_peak_w, res().it_peak_w);
}

// Facility energy is the hourly sum of IT energy x the hour's multiplier plus the fixed power; with a
// constant PUE it is IT energy x PUE. IT energy is the plugin's compute energy x (1 + network share), or,
// with a network section, x (1 + storage share) + the fabric's.
TEST(Energy, FacilityIsTheHourlySumOfItTimesPue) {
  const FacilityModel& f = res().facility;
  double nameplate = 0;
  for (const auto& t : sc().cluster.tranches) nameplate += t.nodes * t.peak_w * (1 + sc().facility.it_overhead_share);
  if (sc().network.enabled) nameplate += sc().fabric.total.power_w();
  double design = nameplate;
  if (sc().facility.design == FacilitySpec::Design::given) design = sc().facility.design_it_w;
  if (sc().facility.design == FacilitySpec::Design::grid) {
    // The most the cap feeds at the hottest hour, and no more than the nameplate: with a constant PUE
    // exactly cap / PUE; with the climate, the simulated hours are a part of the year it is sized on.
    const double cap = *sc().facility.power_cap_w;
    if (!sc().facility.climate) {
      design = std::min(nameplate, cap / sc().pue);
    } else if (f.multiplier.size() >= 8760) {  // a whole year simulated: its hottest hour is the design's
      const double hottest = *std::max_element(f.multiplier.begin(), f.multiplier.begin() + 8760);
      design = std::min(nameplate, cap / (hottest + sc().facility.cooling.fixed_share));
    } else {
      design = f.design_it_w;  // sized on a year the run does not cover: only the bounds below apply
    }
    EXPECT_LE(f.design_it_w, nameplate * (1 + 1e-12));
    for (double m : f.multiplier) EXPECT_LE(f.design_it_w * (m + sc().facility.cooling.fixed_share * sc().facility.climate), cap * (1 + 1e-12));
  }
  EXPECT_NEAR(f.design_it_w, design, 1e-9 * design) << "design IT power: every tranche at its own peak, or what the cap feeds";
  if (sc().facility.climate) {
    EXPECT_NEAR(f.fixed_w, sc().facility.cooling.fixed_share * design, 1e-9 * design);
  }
  double it = 0, facility = 0, expected = 0;
  for (std::size_t h = 0; h < res().hourly_window_it_j.size(); ++h) {
    it += res().hourly_window_it_j[h];
    facility += res().hourly_window_facility_j[h];
    double covered = std::max(0.0, std::min((h + 1) * 3600.0, sc().horizon_s) - std::max(h * 3600.0, sc().warmup_s));
    // The multiplier from the site's temperature and the cooling parameters, recomputed here.
    double multiplier = sc().pue;
    if (sc().facility.climate) {
      const auto& co = sc().facility.cooling;
      double t = f.temperature_c[h];
      multiplier = 1 + co.free + co.per_c * std::max(0.0, t - co.threshold_c);
    }
    expected += res().hourly_window_it_j[h] * multiplier + f.fixed_w * covered;
    if (!sc().facility.climate) {
      ASSERT_EQ(f.multiplier[h], sc().pue);
    }
  }
  const auto fabric = fabric_energy_j(sc().warmup_s, sc().horizon_s, res().off_gpu_s);
  const double nodes = res().it_energy_window_j * (1 + sc().facility.it_overhead_share);
  expect_within(it, {nodes + fabric.first, nodes + fabric.second}, "IT energy in the window");
  EXPECT_NEAR(facility, expected, 1e-9 * facility);
  if (!sc().facility.climate) {
    EXPECT_NEAR(facility, it * sc().pue, 1e-9 * facility);
  }
  double ts = 0;
  for (const auto& r : res().timeseries) ts += r.facility_power_w * (r.end_s - r.start_s);
  if (sc().warmup_s == 0) {
    EXPECT_NEAR(ts, facility, 1e-9 * facility);
  }
}

// The SimGrid engine and a plain event loop driving the same policy give the same schedule, job by job.
// Under a power cap: facility power never exceeds it at any instant (the recorder checks every state and
// hour piece), the cap binds, and throttled jobs take longer.
// With two generations in service together, uncapped, and less work offered than the faster one alone
// could do, the faster generation does at least 90 % of the work (placement fastest_first). Which
// generation a job ran on shows in its run time alone: run_s / wall time is that generation's speed.
TEST(Placement, TheFasterGenerationDoesTheWork) {
  const ClusterSpec& c = sc().cluster;
  double fast = 0, slow = std::numeric_limits<double>::infinity();
  long long fast_gpus = 0;
  for (const auto& t : c.tranches) {
    fast = std::max(fast, t.speed);
    slow = std::min(slow, t.speed);
  }
  for (const auto& t : c.tranches)
    if (t.speed == fast) fast_gpus += static_cast<long long>(t.nodes) * c.gpus_per_node;
  if (fast == slow || sc().facility.power_cap_w || sc().policy != PolicyKind::easy)
    GTEST_SKIP() << "one generation, a cap or another policy";
  double offered = 0;  // reference GPU-seconds
  for (const auto& j : res().jobs) offered += j.job.gpus * j.job.run_s;
  if (offered > 0.5 * fast_gpus * fast * sc().horizon_s) GTEST_SKIP() << "more work than the faster generation takes at half load";
  double on_fast = 0, all = 0;
  for (const auto& j : res().jobs) {
    if (j.end_s < 0) continue;
    const double wall = j.end_s - j.start_s;
    all += j.job.gpus * wall;
    if (std::fabs(j.job.run_s / wall - fast) < 1e-6 * fast) on_fast += j.job.gpus * wall;
  }
  ASSERT_GT(all, 0);
  EXPECT_GE(on_fast / all, 0.9) << "busy GPU-seconds on the faster generation";
}

// A job spans two generations only when neither had enough free nodes at its start: replayed from the
// jobs alone (which generation a job ran on shows in its run time, a spanning job in `generations`), on
// whole-node jobs. The free nodes are known exactly where no other spanning job was running (its split
// over the two is not an output): those starts are checked.
TEST(Placement, SpansGenerationsOnlyWhenNeitherHoldsTheJob) {
  const ClusterSpec& c = sc().cluster;
  if (c.tranches.size() != 2 || c.tranches[0].speed == c.tranches[1].speed || sc().facility.power_cap_w)
    GTEST_SKIP() << "not two generations, or a cap";
  for (const auto& j : res().jobs)
    if (j.job.gpus % c.gpus_per_node != 0) GTEST_SKIP() << "GPU-granular jobs";
  const double in_service = std::max(c.tranches[0].arrive_s, c.tranches[1].arrive_s);
  auto generation = [&](const JobRecord& j) {
    if (j.generations > 1) return -1;
    const double speed = j.job.run_s / (j.end_s - j.start_s);
    return std::fabs(speed - c.tranches[0].speed) < 1e-6 * speed ? 0 : 1;
  };
  // Jobs started in one decision are started in queue order, that is by id.
  std::vector<const JobRecord*> started;
  for (const auto& j : res().jobs)
    if (j.start_s >= 0 && j.end_s >= 0) started.push_back(&j);
  int spans = 0, checked = 0;
  for (const JobRecord* s : started) {
    if (s->generations < 2) continue;
    ++spans;
    if (s->start_s < in_service) continue;
    int busy[2] = {0, 0};
    bool unknown = false;
    for (const JobRecord* o : started) {
      if (o == s) continue;
      const bool before = o->start_s < s->start_s || (o->start_s == s->start_s && o->job.id < s->job.id);
      if (!before || o->end_s <= s->start_s) continue;
      const int g = generation(*o);
      if (g < 0) unknown = true;
      else busy[g] += o->nodes;
    }
    if (unknown) continue;
    ++checked;
    for (int g = 0; g < 2; ++g)
      EXPECT_LT(c.tranches[g].nodes - busy[g], s->nodes) << "job " << s->job.id << " spans both generations, yet generation " << g << " had enough free nodes";
  }
  std::printf("%d of %d jobs spanning two generations checked\n", checked, spans);
  if (spans > 0) {
    EXPECT_GT(checked, 0);
  }
}

// Capacity, in closed form from the tranches (ClusterSpec::capacity_gpu_s), is the GPU-seconds in service
// the engine integrated times their speed: exactly with one speed, between the slowest and the fastest
// otherwise. The work each job did by the end is all of it once completed, none before it started, and in
// between what its run time and speed give.
TEST(Demand, CapacityAndWorkDone) {
  const ClusterSpec& c = sc().cluster;
  const double capacity = c.capacity_gpu_s(sc().warmup_s, sc().horizon_s), service = res().window_service_gpu_s;
  double slow = std::numeric_limits<double>::infinity(), fast = 0;
  for (const Tranche& t : c.tranches) {
    slow = std::min(slow, t.speed);
    fast = std::max(fast, t.speed);
  }
  EXPECT_GE(capacity, service * slow * (1 - 1e-9));
  EXPECT_LE(capacity, service * fast * (1 + 1e-9));
  if (slow == fast) {
    EXPECT_NEAR(capacity, service * fast, 1e-9 * capacity);
  }
  for (const auto& j : res().jobs) {
    const double work = j.job.gpus * j.job.run_s;
    switch (j.status) {
      case JobStatus::completed: EXPECT_EQ(j.done_gpu_s, work); break;
      case JobStatus::queued:
      case JobStatus::rejected: EXPECT_EQ(j.done_gpu_s, 0); break;
      case JobStatus::running:
        EXPECT_GE(j.done_gpu_s, 0);
        EXPECT_LE(j.done_gpu_s, work * (1 + 1e-12));
        if (!sc().facility.power_cap_w && j.generations == 1) {
          // Uncapped on one generation, a job does gpus x speed of work each second.
          double speed = 0;
          for (const Tranche& t : c.tranches) speed = std::max(speed, t.speed);
          EXPECT_LE(j.done_gpu_s, j.job.gpus * speed * (sc().horizon_s - j.start_s) * (1 + 1e-9));
        }
        break;
    }
  }
}

// The tranches' window totals add up to the cluster's; no tranche holds GPUs before it arrives. Uncapped,
// with one tranche per accelerator, each job's tranche shows in its speed (run time / wall time, or work
// done / GPU-seconds while running): a tranche's allocated GPU-seconds are then those of the jobs on it,
// plus at most the spanning jobs' share, and its delivered work is allocated x its speed (less where a
// spanning job runs at the slower pace).
TEST(Tranches, AddUpToTheClusterAndMatchTheJobs) {
  const ClusterSpec& c = sc().cluster;
  const auto& tr = res().window_tranches;
  ASSERT_EQ(tr.size(), c.tranches.size());
  double allocated = 0, busy = 0, delivered = 0, work = 0;
  for (std::size_t i = 0; i < tr.size(); ++i) {
    allocated += tr[i].allocated_gpu_s;
    busy += tr[i].busy_gpu_s;
    delivered += tr[i].delivered_gpu_s;
    work += tr[i].busy_work_gpu_s;
    const double gpus = static_cast<double>(c.tranches[i].nodes) * c.gpus_per_node;
    EXPECT_LE(tr[i].allocated_gpu_s, gpus * std::max(0.0, sc().horizon_s - std::max(c.tranches[i].arrive_s, sc().warmup_s)) * (1 + 1e-12))
        << "tranche " << i;
  }
  EXPECT_NEAR(allocated, res().window_allocated_gpu_s, 1e-9 * std::max(1.0, allocated));
  EXPECT_NEAR(busy, res().window_busy_gpu_s, 1e-9 * std::max(1.0, busy));
  EXPECT_NEAR(delivered, res().window_delivered_gpu_s, 1e-9 * std::max(1.0, delivered));
  EXPECT_NEAR(work, res().window_busy_work_gpu_s, 1e-9 * std::max(1.0, work));

  std::map<std::string, int> by_accelerator;
  for (std::size_t i = 0; i < c.tranches.size(); ++i) ++by_accelerator[c.tranches[i].accelerator];
  for (const auto& [a, n] : by_accelerator)
    if (n > 1) GTEST_SKIP() << "two tranches of " << a << ": a job's speed does not tell them apart";
  if (sc().facility.power_cap_w) GTEST_SKIP() << "a cap: speed is not the tranche's alone";
  std::vector<double> on(tr.size(), 0.0);
  double spanning = 0;
  for (const auto& j : res().jobs) {
    if (j.start_s < 0) continue;
    const double end = j.end_s >= 0 ? j.end_s : sc().horizon_s;
    const double overlap = std::max(0.0, end - std::max(j.start_s, sc().warmup_s));
    if (j.generations > 1) {
      spanning += j.gpus_held * overlap;
      continue;
    }
    const double speed = j.compute_end_s >= 0 ? j.job.run_s / (j.compute_end_s - j.start_s) : j.done_gpu_s / (j.job.gpus * (sc().horizon_s - j.start_s));
    std::size_t t = 0;
    for (std::size_t i = 1; i < c.tranches.size(); ++i)
      if (std::fabs(c.tranches[i].speed - speed) < std::fabs(c.tranches[t].speed - speed)) t = i;
    ASSERT_NEAR(c.tranches[t].speed, speed, 1e-6 * speed) << "job " << j.job.id;
    on[t] += j.gpus_held * overlap;
  }
  for (std::size_t i = 0; i < tr.size(); ++i) {
    const double tol = 1e-9 * std::max(1.0, allocated);
    EXPECT_GE(tr[i].allocated_gpu_s, on[i] - tol) << "tranche " << i;
    EXPECT_LE(tr[i].allocated_gpu_s, on[i] + spanning + tol) << "tranche " << i;
    EXPECT_LE(tr[i].delivered_gpu_s, tr[i].allocated_gpu_s * c.tranches[i].speed + tol) << "tranche " << i;
    if (spanning == 0) {
      EXPECT_NEAR(tr[i].delivered_gpu_s, tr[i].allocated_gpu_s * c.tranches[i].speed, tol) << "tranche " << i;
    }
  }
  std::printf("%zu tranches; spanning jobs held %.0f GPU-s of %.0f\n", tr.size(), spanning, allocated);
}

TEST(PowerCap, NeverExceededAndBinding) {
  if (!sc().facility.power_cap_w) GTEST_SKIP() << "no power cap";
  const double cap = *sc().facility.power_cap_w;
  if (sc().facility.hold_under_cap) {
    // Jobs wait instead (hours capped count the time some job was held): nothing is throttled, and with a
    // constant PUE facility power stays within the cap and comes close to it.
    EXPECT_GT(res().capped_s, 0) << "no job was ever held by the cap";
    EXPECT_GT(res().window_busy_gpu_s, 0) << "the cap let no job run";
    EXPECT_LE(res().facility_peak_w, cap * (1 + 1e-12));  // hotter hours throttle as a last resort
    if (!sc().facility.climate) {
      EXPECT_EQ(res().throttled_gpu_s, 0) << "with a constant PUE holding alone keeps the cap";
      EXPECT_GT(res().facility_peak_w, 0.9 * cap);
    }
    return;
  }
  EXPECT_LE(res().facility_peak_w, cap * (1 + 1e-12));
  EXPECT_GT(res().capped_s, 0);
  EXPECT_GT(res().throttled_gpu_s, 0);
  long long slowed = 0;
  for (const auto& j : res().jobs)
    if (j.status == JobStatus::completed && j.end_s - j.start_s > j.job.run_s + 1e-6) ++slowed;
  EXPECT_GT(slowed, 0);
  double ts_peak = 0;
  for (const auto& r : res().timeseries) ts_peak = std::max(ts_peak, r.facility_power_w);
  EXPECT_LE(ts_peak, cap * (1 + 1e-12));
}

// Throttling under a cap, the controller uses the cap to the full: in every hour wholly spent with pods
// off or slowed, no pod in its dwell and the first queued job fitting the free GPUs with those switched
// off (ClusterState::cap_room), mean facility power is within the larger of 2 % of the cap, one pod at
// full speed and one speed step of all GPUs in service of the cap.
TEST(PowerCap, FillsTheCapWhileQueuedWorkFits) {
  if (!sc().facility.power_cap_w || sc().facility.hold_under_cap) GTEST_SKIP() << "no cap, or jobs held";
  const double cap = *sc().facility.power_cap_w;
  const FacilityModel& f = res().facility;
  const ClusterSpec& c = sc().cluster;
  double pod_w = 0, active_w = 0;
  for (const PodState& p : pod_layout(c)) pod_w = std::max(pod_w, p.nodes * (c.tranches[p.tranche].idle_w + c.tranches[p.tranche].active_w()));
  for (const Tranche& t : c.tranches) active_w += t.nodes * t.active_w();
  const double a = sc().facility.throttle_exponent;
  double step = 0;  // largest drop of active power from one speed level to the next (0.05 apart)
  for (double v = 1.0; v > 0.15; v -= 0.05) step = std::max(step, std::pow(v, a) - std::pow(v - 0.05, a));
  int hours = 0;
  for (std::size_t h = 0; h < res().hourly_window_cap_room_s.size(); ++h) {
    if (res().hourly_window_cap_room_s[h] < 3600) continue;
    ++hours;
    const double scale = f.it_factor * f.multiplier[h];
    const double tolerance = std::max({0.02 * cap, pod_w * scale, step * active_w * scale});
    EXPECT_GE(res().hourly_window_facility_j[h] / 3600, cap - tolerance) << "hour " << h;
  }
  std::printf("%d hours with pods off or slowed while the first queued job would fit\n", hours);
}

// Switching idle pods off under a cap: it happens when the idle power of the nodes in service at the start
// alone exceeds the cap, and never when every node at full load fits within it.
TEST(PowerCap, IdlePodsSwitchedOffOnlyWhenNeeded) {
  if (!sc().facility.power_cap_w || !sc().facility.switch_off_idle) GTEST_SKIP() << "no cap or no switching off";
  const Scenario& s = sc();
  const FacilityModel& f = res().facility;
  double idle_w = 0, peak_w = 0;
  for (const Tranche& t : s.cluster.tranches) {
    peak_w += t.nodes * t.peak_w;
    if (t.arrive_s <= s.warmup_s) idle_w += t.nodes * t.idle_w;
  }
  double max_multiplier = *std::max_element(f.multiplier.begin(), f.multiplier.end());
  const std::size_t first_hour = f.hour_of(s.warmup_s);
  if (idle_w * f.it_factor * f.multiplier[first_hour] + f.fixed_w > *s.facility.power_cap_w) {
    EXPECT_GT(res().off_gpu_s, 0) << "idle power alone exceeds the cap, yet no pod was switched off";
  }
  if (peak_w * f.it_factor * max_multiplier + f.fixed_w <= *s.facility.power_cap_w) {
    EXPECT_EQ(res().off_gpu_s, 0);
  }
  EXPECT_LE(res().facility_peak_w, *s.facility.power_cap_w * (1 + 1e-12));
  // A pod switches at most once per switch interval, plus forced switches off (at most one after each
  // switch on): at most two per pod and interval.
  const double slots = std::ceil(s.horizon_s / s.facility.switch_interval_s) + 1;
  EXPECT_LE(res().stats.pod_switches, static_cast<long long>(2 * slots * s.cluster.pods)) << "pods flap on and off";
}

TEST(Reference, SameScheduleAsPlainEventLoop) {
  if (sc().facility.power_cap_w) GTEST_SKIP() << "throttling changes run times; the plain loop runs at full speed";
  if (sc().cluster.phased()) GTEST_SKIP() << "buildout phases: the plain loop has one always-present node type";
  for (const auto& j : res().jobs)
    if (j.status == JobStatus::completed && j.end_s > j.compute_end_s) GTEST_SKIP() << "jobs slowed by the fabric: the plain loop has none";
  auto src = make_job_source(sc());
  auto ref = reference::run_reference(*src, sc().cluster.nodes, sc().cluster.gpus_per_node, sc().policy, sc().horizon_s);
  ASSERT_EQ(ref.jobs.size(), res().jobs.size());
  for (std::size_t i = 0; i < ref.jobs.size(); ++i) {
    const auto& a = res().jobs[i];
    const auto& b = ref.jobs[i];
    ASSERT_EQ(a.start_s, b.start_s) << "job " << i;
    ASSERT_EQ(a.end_s, b.end_s) << "job " << i;
    ASSERT_EQ(a.status == JobStatus::rejected, b.rejected) << "job " << i;
  }
}

}  // namespace
}  // namespace capsim

int main(int argc, char** argv) { return capsim::one_run::main(argc, argv); }
