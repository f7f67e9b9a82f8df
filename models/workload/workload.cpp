#include "models/workload/workload.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/calendar.hpp"
#include "models/workload/swf.hpp"

namespace capsim {

double sample_duration(const DurationDist& d, Rng& rng) {
  switch (d.kind) {
    case DurationDist::Kind::lognormal: return rng.lognormal(d.median_s, d.sigma);
    case DurationDist::Kind::exponential: return rng.exponential(d.mean_s);
    case DurationDist::Kind::constant: return d.value_s;
    case DurationDist::Kind::empirical: return d.values_s[rng.categorical(d.cumulative_weights)];
  }
  return d.value_s;
}

namespace {
constexpr double kYear = 365 * 86400.0;
double max_of(const std::vector<double>& v) { return v.empty() ? 1.0 : *std::max_element(v.begin(), v.end()); }
}  // namespace

SyntheticSource::SyntheticSource(const SyntheticWorkload& w, double horizon_s, std::uint64_t seed)
    : w_(w), horizon_s_(horizon_s) {
  double total_share = 0;
  for (const auto& c : w.classes) total_share += c.share;
  double growth_max = std::max(1.0, std::pow(1 + w.growth_per_year, horizon_s / kYear));
  for (std::size_t i = 0; i < w.classes.size(); ++i) {
    const JobClassSpec& c = w.classes[i];
    names_.push_back(c.name);
    ClassStream st{Rng(seed, "arrivals/" + c.name), Rng(seed, "thinning/" + c.name), Rng(seed, "sizes/" + c.name),
                   Rng(seed, "durations/" + c.name)};
    st.base_rate = c.share / total_share / w.mean_interarrival_s * w.scale;
    st.max_rate = st.base_rate * max_of(c.hourly) * max_of(c.weekday) * growth_max;
    streams_.push_back(std::move(st));
  }
  for (std::size_t i = 0; i < streams_.size(); ++i) advance(i);
}

double SyntheticSource::rate_factor(const JobClassSpec& c, double t) const {
  double f = 1.0;
  if (w_.growth_per_year != 0) f *= std::pow(1 + w_.growth_per_year, t / kYear);
  if (!c.hourly.empty() || !c.weekday.empty()) {
    LocalTime lt = local_time(t, w_.start_epoch_s, w_.utc_offset_s);
    if (!c.hourly.empty()) f *= c.hourly[lt.hour];
    if (!c.weekday.empty()) f *= c.weekday[lt.weekday];
  }
  return f;
}

void SyntheticSource::advance(std::size_t i) {
  ClassStream& st = streams_[i];
  const JobClassSpec& c = w_.classes[i];
  double t = st.next_t;
  while (true) {
    if (st.max_rate <= 0) {
      st.next_t = INFINITY;
      return;
    }
    t += st.arrivals.exponential(1.0 / st.max_rate);
    if (t >= horizon_s_) {
      st.next_t = INFINITY;
      return;
    }
    // Thinning (Lewis and Shedler): keep a candidate with probability rate(t) / max_rate.
    bool flat = w_.growth_per_year == 0 && c.hourly.empty() && c.weekday.empty();
    if (flat || st.thinning.uniform() * st.max_rate <= st.base_rate * rate_factor(c, t)) {
      st.next_t = t;
      return;
    }
  }
}

int SyntheticSource::draw_size(const JobClassSpec& c, Rng& rng) {
  if (c.sizes.lognormal_max > 0) {
    double g = std::ceil(rng.lognormal(c.sizes.lognormal_median, c.sizes.lognormal_sigma));
    return static_cast<int>(std::clamp(g, 1.0, static_cast<double>(c.sizes.lognormal_max)));
  }
  return c.sizes.gpus[rng.categorical(c.sizes.cumulative_weights)];
}

std::optional<Job> SyntheticSource::next() {
  // The class with the earliest next arrival (lowest index on ties).
  std::size_t best = 0;
  for (std::size_t i = 1; i < streams_.size(); ++i)
    if (streams_[i].next_t < streams_[best].next_t) best = i;
  ClassStream& st = streams_[best];
  if (!(st.next_t < horizon_s_)) return std::nullopt;
  const JobClassSpec& c = w_.classes[best];
  Job j;
  j.id = next_id_++;
  j.submit_s = std::floor(st.next_t);
  j.class_index = static_cast<int>(best);
  j.gpus = draw_size(c, st.sizes);
  j.run_s = std::max(1.0, std::ceil(sample_duration(c.durations, st.durations)));
  j.estimate_s = std::ceil(j.run_s * c.estimate_factor);
  advance(best);
  return j;
}

WithTrainingRuns::WithTrainingRuns(std::unique_ptr<JobSource> inner, const std::vector<TrainingRunSpec>& runs, double horizon_s)
    : inner_(std::move(inner)), pending_(inner_->next()), names_(inner_->class_names()) {
  const int first = static_cast<int>(names_.size());
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const TrainingRunSpec& t = runs[k];
    names_.push_back(t.name);
    if (t.submit_s >= horizon_s) continue;
    Job j;
    j.class_index = first + static_cast<int>(k);
    j.submit_s = t.submit_s;
    j.run_s = t.run_s;
    j.estimate_s = t.run_s * t.estimate_factor;
    j.gpus = t.gpus;
    runs_.push_back(j);
  }
  std::stable_sort(runs_.begin(), runs_.end(), [](const Job& a, const Job& b) { return a.submit_s < b.submit_s; });
}

std::optional<Job> WithTrainingRuns::next() {
  std::optional<Job> out;
  if (pending_ && (next_run_ == runs_.size() || pending_->submit_s <= runs_[next_run_].submit_s)) {
    out = pending_;
    pending_ = inner_->next();
  } else if (next_run_ < runs_.size()) {
    out = runs_[next_run_++];
  }
  if (out) out->id = next_id_++;
  return out;
}

std::unique_ptr<JobSource> make_job_source(const Scenario& s) {
  std::unique_ptr<JobSource> src;
  if (const auto* syn = std::get_if<SyntheticWorkload>(&s.workload))
    src = std::make_unique<SyntheticSource>(*syn, s.horizon_s, s.seed);
  else if (const auto* gpu = std::get_if<GpuTraceWorkload>(&s.workload))
    src = std::make_unique<GpuTraceSource>(*gpu, s.horizon_s, s.seed);
  else
    src = std::make_unique<SwfSource>(std::get<SwfWorkload>(s.workload), s.horizon_s);
  if (s.training_runs.empty()) return src;
  return std::make_unique<WithTrainingRuns>(std::move(src), s.training_runs, s.horizon_s);
}

}  // namespace capsim
