#include "models/common/random.hpp"

#include <algorithm>
#include <cmath>

namespace capsim {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(std::uint64_t seed) {
  std::uint64_t st = seed;
  for (auto& s : s_) s = splitmix64(st);
}

Rng::Rng(std::uint64_t seed, std::string_view stream) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a of the stream name
  for (char c : stream) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  std::uint64_t st = seed ^ h;
  for (auto& s : s_) s = splitmix64(st);
}

// xoshiro256** (Blackman and Vigna).
std::uint64_t Rng::next_u64() {
  auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

double Rng::exponential(double mean) { return -mean * std::log(uniform()); }

double Rng::standard_normal() {
  if (have_spare_) {
    have_spare_ = false;
    return spare_;
  }
  double u1 = uniform(), u2 = uniform();
  double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(2.0 * M_PI * u2);
  have_spare_ = true;
  return r * std::cos(2.0 * M_PI * u2);
}

double Rng::lognormal(double median, double sigma) { return median * std::exp(sigma * standard_normal()); }

std::size_t Rng::categorical(const std::vector<double>& cumulative) {
  double u = uniform() * cumulative.back();
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  return std::min<std::size_t>(it - cumulative.begin(), cumulative.size() - 1);
}

}  // namespace capsim
