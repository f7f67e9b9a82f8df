#pragma once
#include <vector>

namespace capsim::stats {

// Linear interpolation between closest ranks (Hyndman-Fan type 7, as numpy's default); 0 if empty.
double percentile(std::vector<double> values, double p);
double mean(const std::vector<double>& values);

struct Interval {
  double mean = 0, low = 0, high = 0;
};
// Batch means: splits the (time-ordered) series into `batches` equal batches and returns the grand mean
// with a 95% Student-t confidence interval over the batch means.
Interval batch_means_ci(const std::vector<double>& series, int batches);
// Two-sided 95% Student-t quantile for `dof` degrees of freedom.
double t95(int dof);

}  // namespace capsim::stats
