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
    : spec_(spec), base_(Rng(seed + static_cast<std::uint64_t>(stream), "node-failures").next_u64()) {
  for (std::size_t c = 0; c < spec.classes.size(); ++c) {
    const FailureClass& k = spec.classes[c];
    weibull_scale_s_.push_back(k.kind == FailureClass::Kind::weibull ? k.mtbf_s / std::tgamma(1 + 1 / k.weibull_shape) : 0);
    draws_.emplace_back(static_cast<std::size_t>(units[c]), 0);
  }
}

bool FailureInjector::Later::operator()(const FailureEvent& a, const FailureEvent& b) const {
  return std::tuple(a.time_s, a.cls, a.unit, static_cast<int>(a.kind)) > std::tuple(b.time_s, b.cls, b.unit, static_cast<int>(b.kind));
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
  return e;
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
  heap_.push({spare ? FailureEvent::Kind::spare_repaired : FailureEvent::Kind::repaired, now + d.total_s(), cls, unit});
  return d;
}

}  // namespace capsim
