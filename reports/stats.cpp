#include "reports/stats.hpp"

#include <algorithm>
#include <cmath>

namespace capsim::stats {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double h = (v.size() - 1) * p / 100.0;
  std::size_t lo = static_cast<std::size_t>(std::floor(h));
  std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double s = 0;
  for (double x : v) s += x;
  return s / v.size();
}

double t95(int dof) {
  static const double table[] = {0,      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                 2.201,  2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080,
                                 2.074,  2.069,  2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof <= 0) return INFINITY;
  if (dof <= 30) return table[dof];
  if (dof <= 40) return 2.021;
  if (dof <= 60) return 2.000;
  if (dof <= 120) return 1.980;
  return 1.960;
}

Interval batch_means_ci(const std::vector<double>& series, int batches) {
  Interval r;
  std::size_t per = series.size() / batches;
  if (per == 0 || batches < 2) return r;
  std::vector<double> means;
  for (int b = 0; b < batches; ++b) {
    double s = 0;
    for (std::size_t i = b * per; i < (b + 1) * per; ++i) s += series[i];
    means.push_back(s / per);
  }
  r.mean = mean(means);
  double var = 0;
  for (double m : means) var += (m - r.mean) * (m - r.mean);
  var /= (batches - 1);
  double half = t95(batches - 1) * std::sqrt(var / batches);
  r.low = r.mean - half;
  r.high = r.mean + half;
  return r;
}

}  // namespace capsim::stats
