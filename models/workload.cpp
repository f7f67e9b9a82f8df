#include "models/workload.hpp"

#include <cmath>

#include "models/swf.hpp"

namespace capsim {

double sample_duration(const DurationDist& d, Rng& rng) {
  switch (d.kind) {
    case DurationDist::Kind::lognormal: return rng.lognormal(d.median_s, d.sigma);
    case DurationDist::Kind::exponential: return rng.exponential(d.mean_s);
    case DurationDist::Kind::constant: return d.value_s;
  }
  return d.value_s;
}

SyntheticSource::SyntheticSource(const SyntheticWorkload& w, double horizon_s, std::uint64_t seed)
    : w_(w), horizon_s_(horizon_s), arrivals_(seed, "arrivals"), classes_(seed, "classes") {
  double acc = 0;
  for (const auto& c : w.classes) {
    names_.push_back(c.name);
    cumulative_share_.push_back(acc += c.share);
    sizes_.emplace_back(seed, "sizes/" + c.name);
    durations_.emplace_back(seed, "durations/" + c.name);
  }
}

std::optional<Job> SyntheticSource::next() {
  t_ += arrivals_.exponential(w_.mean_interarrival_s);
  double submit = std::floor(t_);
  if (submit >= horizon_s_) return std::nullopt;
  Job j;
  j.id = next_id_++;
  j.submit_s = submit;
  j.class_index = static_cast<int>(classes_.categorical(cumulative_share_));
  const JobClassSpec& c = w_.classes[j.class_index];
  j.gpus = c.sizes.gpus[sizes_[j.class_index].categorical(c.sizes.cumulative_weights)];
  j.run_s = std::max(1.0, std::ceil(sample_duration(c.durations, durations_[j.class_index])));
  j.estimate_s = std::ceil(j.run_s * c.estimate_factor);
  return j;
}

std::unique_ptr<JobSource> make_job_source(const Scenario& s) {
  if (const auto* syn = std::get_if<SyntheticWorkload>(&s.workload))
    return std::make_unique<SyntheticSource>(*syn, s.horizon_s, s.seed);
  return std::make_unique<SwfSource>(std::get<SwfWorkload>(s.workload), s.horizon_s);
}

}  // namespace capsim
