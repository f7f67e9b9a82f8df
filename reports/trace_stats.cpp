#include "reports/trace_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "models/common/calendar.hpp"

namespace capsim {

namespace {

// Hyndman-Fan type 7 on sorted values, as reports/stats.cpp, without copying them.
double quantile(const std::vector<float>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (static_cast<double>(sorted[hi]) - sorted[lo]);
}

nlohmann::json quantiles(std::vector<float>& v) {
  std::sort(v.begin(), v.end());
  nlohmann::json q;
  for (auto [name, p] : {std::pair{"p10", 0.1}, {"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}}) q[name] = quantile(v, p);
  q["max"] = v.empty() ? 0.0 : static_cast<double>(v.back());
  return q;
}

template <class Map>
nlohmann::json counts(const Map& m, const std::vector<std::string>& labels, const char* none) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, n] : m) out[k == 0 ? none : labels[k]] = n;
  return out;
}

}  // namespace

nlohmann::json trace_stats(TraceReader& reader, const std::string& format, const TraceCluster* cluster, const std::function<void(long long rows)>& progress) {
  std::vector<float> sizes, durations;
  std::map<std::uint32_t, long long> statuses, types;
  std::vector<char> tenants(1, 0);
  std::vector<long long> by_hour(24, 0), by_weekday(7, 0);
  long long jobs = 0, fractional = 0, multi = 0;
  double gpu_s = 0, run_s = 0, first = INFINITY, last = -INFINITY, prev = -INFINITY;
  bool sorted = true;
  TraceRow r;
  while (reader.next(r)) {
    ++jobs;
    if (progress && (jobs & 0xffff) == 0) progress(jobs);
    sizes.push_back(static_cast<float>(r.gpus));
    durations.push_back(static_cast<float>(r.run_s));
    gpu_s += r.gpus * r.run_s;
    run_s += r.run_s;
    fractional += r.gpus < 1 || std::floor(r.gpus) != r.gpus;
    multi += r.attempts > 1;
    first = std::min(first, r.submit_s);
    last = std::max(last, r.submit_s);
    sorted = sorted && r.submit_s >= prev;
    prev = r.submit_s;
    ++statuses[r.status];
    ++types[r.gpu_type];
    if (r.tenant >= tenants.size()) tenants.resize(r.tenant + 1u, 0);
    tenants[r.tenant] = 1;
    if (reader.absolute_time) {
      const LocalTime t = local_time(static_cast<long long>(std::floor(r.submit_s)));
      ++by_hour[static_cast<std::size_t>(t.hour)];
      ++by_weekday[static_cast<std::size_t>(t.weekday)];
    }
  }
  const double span = jobs > 0 ? last - first : 0;
  nlohmann::json out;
  out["format"] = format;
  out["jobs"] = jobs;
  out["gpu_hours"] = gpu_s / 3600;
  out["sorted_by_submit"] = sorted;
  out["span_days"] = span / 86400;
  out["arrivals_per_hour"] = span > 0 ? nlohmann::json(static_cast<double>(jobs) / (span / 3600)) : nlohmann::json(nullptr);
  if (reader.absolute_time && jobs > 0) {
    out["first_submit"] = format_local_datetime(static_cast<long long>(std::floor(first)));
    out["last_submit"] = format_local_datetime(static_cast<long long>(std::floor(last)));
    out["arrivals_by_hour"] = by_hour;
    out["arrivals_by_weekday"] = by_weekday;  // Monday first
  }
  out["jobs_fractional_gpus"] = fractional;
  out["jobs_multi_attempt"] = multi;
  out["gpus"] = quantiles(sizes);
  out["duration_s"] = quantiles(durations);
  out["duration_s"]["mean"] = jobs > 0 ? run_s / static_cast<double>(jobs) : 0.0;
  nlohmann::json status = nlohmann::json::object();
  for (const auto& [k, n] : statuses) status[k == 0 ? "(none)" : reader.labels.statuses[k]] = static_cast<double>(n) / static_cast<double>(jobs);
  out["status_shares"] = status;
  out["gpu_types"] = counts(types, reader.labels.gpu_types, "(none)");
  out["tenants"] = static_cast<long long>(std::count(tenants.begin() + 1, tenants.end(), 1));
  nlohmann::json skipped = nlohmann::json::object();
  for (const auto& [reason, n] : reader.skipped) skipped[reason] = n;
  out["skipped"] = skipped;
  if (cluster) {
    out["cluster"] = {{"nodes", cluster->nodes}, {"gpus", cluster->gpus}, {"gpus_by_type", cluster->gpus_by_type}};
    // GPU-hours offered over the span, per GPU of the cluster (run times past the span included).
    out["offered_load"] = span > 0 && cluster->gpus > 0 ? nlohmann::json(gpu_s / span / static_cast<double>(cluster->gpus)) : nlohmann::json(nullptr);
  }
  return out;
}

std::string trace_stats_text(const nlohmann::json& s) {
  char buf[512];
  std::string out;
  auto line = [&](const char* name, const std::string& v) { out += std::string(name) + std::string(13 - std::min<std::size_t>(12, std::string(name).size()), ' ') + v + "\n"; };
  std::snprintf(buf, sizeof buf, "%lld jobs, %.1f GPU-hours, over %.2f days%s", s["jobs"].get<long long>(), s["gpu_hours"].get<double>(), s["span_days"].get<double>(),
                s["sorted_by_submit"].get<bool>() ? "" : " (not sorted by submit time)");
  line("trace", buf);
  if (s.contains("first_submit")) line("dates", s["first_submit"].get<std::string>() + " to " + s["last_submit"].get<std::string>() + " (local)");
  auto q = [&](const nlohmann::json& v) {
    std::snprintf(buf, sizeof buf, "p10 %g, p50 %g, p90 %g, p99 %g, max %g", v["p10"].get<double>(), v["p50"].get<double>(), v["p90"].get<double>(), v["p99"].get<double>(),
                  v["max"].get<double>());
    return std::string(buf);
  };
  line("gpus", q(s["gpus"]) + " (" + std::to_string(s["jobs_fractional_gpus"].get<long long>()) + " jobs with a share of a GPU)");
  std::snprintf(buf, sizeof buf, "mean %g, ", s["duration_s"]["mean"].get<double>());
  const std::string mean = buf;
  line("duration_s", mean + q(s["duration_s"]));
  if (!s["arrivals_per_hour"].is_null()) {
    std::snprintf(buf, sizeof buf, "%.2f per hour", s["arrivals_per_hour"].get<double>());
    line("arrivals", buf);
  }
  if (s.contains("arrivals_by_hour")) {
    std::string h;
    for (const auto& n : s["arrivals_by_hour"]) h += (h.empty() ? "" : " ") + std::to_string(n.get<long long>());
    line("by hour", h + " (local hours 0-23)");
    std::string d;
    for (const auto& n : s["arrivals_by_weekday"]) d += (d.empty() ? "" : " ") + std::to_string(n.get<long long>());
    line("by weekday", d + " (Monday to Sunday)");
  }
  std::string st;
  for (const auto& [k, v] : s["status_shares"].items()) {
    std::snprintf(buf, sizeof buf, "%s %.1f %%", k.c_str(), 100 * v.get<double>());
    st += (st.empty() ? "" : ", ") + std::string(buf);
  }
  line("status", st);
  std::string ty;
  for (const auto& [k, v] : s["gpu_types"].items()) ty += (ty.empty() ? "" : ", ") + k + " " + std::to_string(v.get<long long>());
  line("gpu types", ty);
  line("tenants", std::to_string(s["tenants"].get<long long>()));
  std::string sk;
  for (const auto& [k, v] : s["skipped"].items()) sk += (sk.empty() ? "" : ", ") + k + " " + std::to_string(v.get<long long>());
  line("skipped", sk.empty() ? "none" : sk);
  if (s.contains("cluster")) {
    std::string by;
    for (const auto& [k, v] : s["cluster"]["gpus_by_type"].items()) by += (by.empty() ? "" : ", ") + k + " " + std::to_string(v.get<long long>());
    std::snprintf(buf, sizeof buf, "%lld nodes, %lld GPUs (%s)", s["cluster"]["nodes"].get<long long>(), s["cluster"]["gpus"].get<long long>(), by.c_str());
    line("cluster", buf);
    if (!s["offered_load"].is_null()) {
      std::snprintf(buf, sizeof buf, "%.3f of the cluster's GPUs over the span", s["offered_load"].get<double>());
      line("offered load", buf);
    }
  }
  return out;
}

}  // namespace capsim
