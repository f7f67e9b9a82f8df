#pragma once
// Random streams whose output is fixed by the seed alone, on every platform: the standard library's
// distributions are implementation-defined, so sampling is done here from raw 64-bit draws.
#include <cstdint>
#include <string_view>
#include <vector>

namespace capsim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // A named sub-stream: independent of the others and stable when streams are added elsewhere.
  Rng(std::uint64_t seed, std::string_view stream);

  std::uint64_t next_u64();
  double uniform();  // in (0, 1), never 0 or 1
  double exponential(double mean);
  double standard_normal();
  double lognormal(double median, double sigma);
  // Index drawn with probability proportional to weights (cumulative sums precomputed by the caller).
  std::size_t categorical(const std::vector<double>& cumulative);

 private:
  std::uint64_t s_[4];
  bool have_spare_ = false;
  double spare_ = 0.0;
};

std::uint64_t splitmix64(std::uint64_t& state);

}  // namespace capsim
