#include "models/failures/injector.hpp"

#include <cmath>
#include <limits>
#include <tuple>

#include "models/common/random.hpp"

namespace capsim {

FailureInjector::FailureInjector(const FailureSpec& spec, std::uint64_t seed, int stream, int nodes)
    : spec_(spec), base_(Rng(seed + static_cast<std::uint64_t>(stream), "node-failures").next_u64()), draws_(static_cast<std::size_t>(nodes), 0) {
  if (spec.kind == FailureSpec::Kind::weibull) weibull_scale_s_ = spec.node_mtbf_s / std::tgamma(1 + 1 / spec.weibull_shape);
}

bool FailureInjector::Later::operator()(const FailureEvent& a, const FailureEvent& b) const {
  return std::tuple(a.time_s, a.node, static_cast<int>(a.kind)) > std::tuple(b.time_s, b.node, static_cast<int>(b.kind));
}

double FailureInjector::uniform(int node, std::uint32_t draw) {
  // A counter-based stream: draw k of node n is a hash of (seed, n, k), so nodes need no state but a count.
  std::uint64_t st = base_ ^ (static_cast<std::uint64_t>(node) << 32 | draw);
  splitmix64(st);
  const std::uint64_t x = splitmix64(st);
  return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;
}

double FailureInjector::next_time() const { return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_.top().time_s; }

FailureEvent FailureInjector::pop() {
  FailureEvent e = heap_.top();
  heap_.pop();
  return e;
}

void FailureInjector::up(int node, double now) {
  if (!std::isfinite(spec_.node_mtbf_s)) return;
  const double u = uniform(node, draws_[static_cast<std::size_t>(node)]++);
  const double ttf = spec_.kind == FailureSpec::Kind::weibull ? weibull_scale_s_ * std::pow(-std::log(u), 1 / spec_.weibull_shape)
                                                              : -spec_.node_mtbf_s * std::log(u);
  heap_.push({FailureEvent::Kind::fail, now + ttf, node});
}

double FailureInjector::repair(int node, double now, bool spare) {
  const RepairSpec& r = spec_.repair;
  double t = r.mean_s;
  if (r.kind == RepairSpec::Kind::exponential) {
    t = -r.mean_s * std::log(uniform(node, draws_[static_cast<std::size_t>(node)]++));
  } else if (r.kind == RepairSpec::Kind::lognormal) {
    // Box-Muller from two draws; the median e^{-sigma^2/2} of the mean.
    const double u1 = uniform(node, draws_[static_cast<std::size_t>(node)]++), u2 = uniform(node, draws_[static_cast<std::size_t>(node)]++);
    const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    t = r.mean_s * std::exp(-r.sigma * r.sigma / 2 + r.sigma * z);
  }
  heap_.push({spare ? FailureEvent::Kind::spare_repaired : FailureEvent::Kind::repaired, now + t, node});
  return now + t;
}

}  // namespace capsim
