#include "models/failures/checkpoint.hpp"

#include <algorithm>
#include <cmath>

namespace capsim {

long long Attempt::checkpoints() const {
  if (!std::isfinite(interval_s) || useful_s <= interval_s) return 0;
  return static_cast<long long>(std::ceil(useful_s / interval_s)) - 1;
}

Attempt::Progress Attempt::at(double elapsed_s) const {
  Progress p;
  p.restart_s = std::min(elapsed_s, restart_s);
  double e = std::max(0.0, elapsed_s - restart_s);
  const long long n = checkpoints();
  if (n == 0) {
    p.unsaved_s = std::min(e, useful_s);
    return p;
  }
  const double cycle = interval_s + cost_s;
  const long long k = std::min(n, static_cast<long long>(std::floor(e / cycle)));
  const double rest = e - static_cast<double>(k) * cycle;
  p.saved_s = static_cast<double>(k) * interval_s;
  p.checkpoint_s = static_cast<double>(k) * cost_s;
  if (k == n) {
    p.unsaved_s = std::min(rest, useful_s - p.saved_s);  // the last interval has no checkpoint after it
  } else {
    p.unsaved_s = std::min(rest, interval_s);
    p.checkpoint_s += rest - p.unsaved_s;
  }
  return p;
}

double young_interval_s(double cost_s, double mtbi_s) {
  if (!std::isfinite(mtbi_s)) return mtbi_s;
  return std::sqrt(2 * cost_s * mtbi_s);
}

double daly_interval_s(double cost_s, double mtbi_s) {
  if (!std::isfinite(mtbi_s)) return mtbi_s;
  if (cost_s >= 2 * mtbi_s) return mtbi_s;
  const double x = cost_s / (2 * mtbi_s);
  return std::sqrt(2 * cost_s * mtbi_s) * (1 + std::sqrt(x) / 3 + x / 9) - cost_s;
}

double checkpoint_interval_s(const CheckpointSpec& c, double mtbi_s) {
  switch (c.rule) {
    case CheckpointSpec::Interval::fixed: return c.interval_s;
    case CheckpointSpec::Interval::young: return young_interval_s(c.cost_s, mtbi_s);
    case CheckpointSpec::Interval::daly: break;
  }
  return daly_interval_s(c.cost_s, mtbi_s);
}

}  // namespace capsim
