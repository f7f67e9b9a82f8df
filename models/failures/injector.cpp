#include "models/failures/injector.hpp"

#include <cmath>
#include <limits>
#include <tuple>

#include "models/common/random.hpp"

namespace capsim {
namespace {
double to_unit(std::uint64_t x) { return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53; }
}  // namespace

FailureInjector::FailureInjector(const FailureSpec& spec, std::uint64_t seed, int stream, std::vector<int> units)
    : spec_(spec), base_(Rng(seed + static_cast<std::uint64_t>(stream), "node-failures").next_u64()), technicians_free_(spec.technicians) {
  for (std::size_t c = 0; c < spec.classes.size(); ++c) {
    const FailureClass& k = spec.classes[c];
    weibull_scale_s_.push_back(k.kind == FailureClass::Kind::weibull ? k.mtbf_s / std::tgamma(1 + 1 / k.weibull_shape) : 0);
    draws_.emplace_back(static_cast<std::size_t>(units[c]), 0);
  }
}

bool FailureInjector::Later::operator()(const FailureEvent& a, const FailureEvent& b) const {
  return std::tuple(a.time_s, a.cls, a.unit, static_cast<int>(a.kind), a.ref) > std::tuple(b.time_s, b.cls, b.unit, static_cast<int>(b.kind), b.ref);
}

double FailureInjector::uniform(int cls, int unit) {
  // A counter-based stream: draw k of unit u of class c is a hash of (seed, c, u, k), so units need no state
  // but a count. The first class's node streams are those of a scenario with one class.
  std::uint32_t& k = draws_[static_cast<std::size_t>(cls)][static_cast<std::size_t>(unit)];
  std::uint64_t st = base_ ^ (static_cast<std::uint64_t>(unit) << 32 | k++);
  if (cls > 0) st ^= splitmix64(st) + static_cast<std::uint64_t>(cls);
  splitmix64(st);
  return to_unit(splitmix64(st));
}

bool FailureInjector::lemon(int node) const {
  if (spec_.lemons.fraction <= 0) return false;
  std::uint64_t st = base_ ^ 0x6c656d6f6e000000ULL ^ static_cast<std::uint64_t>(node);
  splitmix64(st);
  return to_unit(splitmix64(st)) < spec_.lemons.fraction;
}

double FailureInjector::next_time() const { return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_.top().time_s; }

FailureEvent FailureInjector::pop() {
  FailureEvent e = heap_.top();
  heap_.pop();
  using K = FailureEvent::Kind;
  if (e.kind == K::drain || e.kind == K::maintenance || e.kind == K::maintained) {
    const int k = e.kind == K::maintained ? e.ref + 1 : e.ref;
    const MaintenanceSpec::Window w = spec_.maintenance.window(e.unit, maintenance_units_, k);
    if (e.kind == K::drain) heap_.push({K::maintenance, w.start_s, -1, e.unit, k});
    if (e.kind == K::maintenance) heap_.push({K::maintained, w.end_s, -1, e.unit, k});
    if (e.kind == K::maintained) heap_.push({K::drain, w.drain_s, -1, e.unit, k});
  }
  return e;
}

void FailureInjector::plan_maintenance(int units) {
  maintenance_units_ = units;
  for (int u = 0; u < units; ++u) heap_.push({FailureEvent::Kind::drain, spec_.maintenance.window(u, units, 0).drain_s, -1, u, 0});
}

void FailureInjector::up(int cls, int unit, double now, double multiplier) {
  const FailureClass& k = spec_.classes[static_cast<std::size_t>(cls)];
  if (!std::isfinite(k.mtbf_s)) return;
  const double u = uniform(cls, unit);
  const double ttf = k.kind == FailureClass::Kind::weibull ? weibull_scale_s_[static_cast<std::size_t>(cls)] * std::pow(-std::log(u), 1 / k.weibull_shape)
                                                           : -k.mtbf_s * std::log(u);
  heap_.push({FailureEvent::Kind::fail, now + ttf / multiplier, cls, unit});
}

double FailureInjector::stage(const RepairSpec& r, int cls, int unit) {
  if (r.kind == RepairSpec::Kind::exponential) return -r.mean_s * std::log(uniform(cls, unit));
  if (r.kind == RepairSpec::Kind::lognormal) {
    // Box-Muller from two draws; the median e^{-sigma^2/2} of the mean.
    const double u1 = uniform(cls, unit), u2 = uniform(cls, unit);
    const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    return r.mean_s * std::exp(-r.sigma * r.sigma / 2 + r.sigma * z);
  }
  return r.mean_s;
}

RepairDraw FailureInjector::repair(int cls, int unit, double now, bool spare) {
  const RepairPipeline& p = spec_.classes[static_cast<std::size_t>(cls)].repair;
  RepairDraw d;
  d.detect_s = p.detect_s;
  d.automatic_s = stage(p.automatic, cls, unit);
  if (p.escalate_share > 0 && uniform(cls, unit) < p.escalate_share) d.manual_s = stage(p.manual, cls, unit);
  if (d.detect_s > 0) heap_.push({FailureEvent::Kind::detected, now + d.detect_s, cls, unit});
  if (spec_.technicians > 0 && d.manual_s > 0) {
    int ref = static_cast<int>(manual_.size());
    if (free_refs_.empty()) {
      manual_.emplace_back();
    } else {
      ref = free_refs_.back();
      free_refs_.pop_back();
    }
    manual_[static_cast<std::size_t>(ref)] = {now + d.detect_s + d.automatic_s, d.manual_s, cls, unit, spare};
    heap_.push({FailureEvent::Kind::escalated, now + d.detect_s + d.automatic_s, cls, unit, ref});
    return d;
  }
  heap_.push({spare ? FailureEvent::Kind::spare_repaired : FailureEvent::Kind::repaired, now + d.total_s(), cls, unit});
  return d;
}

std::optional<ManualRepair> FailureInjector::technician(const FailureEvent& e) {
  if (e.kind == FailureEvent::Kind::escalated) {
    waiting_.push_back(e.ref);
  } else {
    free_refs_.push_back(e.ref);
    ++technicians_free_;
  }
  if (technicians_free_ == 0 || waiting_.empty()) return std::nullopt;
  --technicians_free_;
  const int ref = waiting_.front();
  waiting_.pop_front();
  const ManualRepair& m = manual_[static_cast<std::size_t>(ref)];
  heap_.push({m.spare ? FailureEvent::Kind::spare_repaired : FailureEvent::Kind::repaired, e.time_s + m.manual_s, m.cls, m.unit, ref});
  return m;
}

}  // namespace capsim
