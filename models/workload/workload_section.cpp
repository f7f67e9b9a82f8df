// The `workload` section: synthetic job classes (sizes, run times, profiles) or a trace.
#include "models/scenario/section.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/errors.hpp"
#include "models/common/json_file.hpp"
#include "models/failures/checkpoint_param.hpp"
#include "models/workload/trace_gpus.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

  // Optional relative weights, one per entry of a list (equal when absent).
  auto weights = [](std::string help) {
    Param item = number("weight", json(), "Relative weight.");
    range(item, 0.0, 1e12);
    Param p = array("weights", item, std::move(help));
    p.optional = true;
    p.default_note = "equal weights";
    return p;
  };

Param declare_mfu() {
  Param mfu = number("mfu", 0.4, "Model FLOP utilisation: delivered FLOP = GPU-seconds x peak dense BF16 FLOP/s x mfu.");
  range(mfu, 0.0, 1.0, true);
  return mfu;
}

Param declare_sizes() {
  Param size_dist = string("distribution", "empirical", "How job sizes (in GPUs) are drawn.");
  choices(size_dist, {"empirical", "powers_of_two", "lognormal"});
  Param size_gpus = array("gpus", [] { Param p = integer("gpus", json(), "A job size in GPUs."); range(p, 1, 1e8); return p; }(),
                          "Job sizes in GPUs.");
  size_gpus.min_items = 1;
  Param size_w = weights("Relative weight of each size (same length as `gpus`).");
  Param max_exp = integer("max_exponent", json(), "Sizes are 2^k GPUs for k = 0 .. max_exponent.");
  range(max_exp, 0, 26);
  Param ratio = number("ratio", 0.5, "P(2^k) is proportional to ratio^k.");
  range(ratio, 0.0, 1e3, true);
  Param size_median = number("median", json(), "Median job size in GPUs (drawn log-normal, rounded up to whole GPUs).");
  range(size_median, 0.0, 1e8, true);
  Param size_sigma = number("sigma", 1.0, "Standard deviation of the log of the size.");
  range(size_sigma, 0.0, 5.0);
  Param size_max = integer("max", json(), "Largest size in GPUs (larger draws are cut to it).");
  range(size_max, 1, 1e8);
  Param sizes = object("sizes", {size_dist}, "Job size distribution.");
  sizes.discriminator = "distribution";
  sizes.variants["empirical"] = {size_gpus, size_w};
  sizes.variants["powers_of_two"] = {max_exp, ratio};
  sizes.variants["lognormal"] = {size_median, size_sigma, size_max};

  return sizes;
}

Param declare_durations() {
  Param dur_dist = string("distribution", "lognormal", "How job run times are drawn (rounded up to whole seconds, at least 1 s).");
  choices(dur_dist, {"lognormal", "exponential", "constant", "empirical"});
  Param median = quantity("median", Dimension::time, json(), "Median run time.");
  range(median, 0.0, 10 * 365 * kDay, true);
  Param sigma = number("sigma", 1.0, "Standard deviation of the log of the run time.");
  range(sigma, 0.0, 5.0);
  Param mean = quantity("mean", Dimension::time, json(), "Mean run time.");
  range(mean, 0.0, 10 * 365 * kDay, true);
  Param value = quantity("value", Dimension::time, json(), "Run time of every job.");
  range(value, 0.0, 10 * 365 * kDay, true);
  Param dur_values = array("values", [] { Param p = quantity("value", Dimension::time, json(), "A run time."); range(p, 0.0, 10 * 365 * kDay, true); return p; }(),
                           "Run times (drawn with the weights).");
  dur_values.min_items = 1;
  Param dur_w = weights("Relative weight of each run time (same length as `values`).");
  Param durations = object("durations", {dur_dist}, "Run time distribution.");
  durations.discriminator = "distribution";
  durations.variants["lognormal"] = {median, sigma};
  durations.variants["exponential"] = {mean};
  durations.variants["constant"] = {value};
  durations.variants["empirical"] = {dur_values, dur_w};
  return durations;
}

// Where a job's input data lives, in a federation (docs/federation.md): a job sent to another member
// first moves its input data there over the AI highways.
std::vector<Param> declare_data() {
  Param site = string("data_site", json(), "Federation member holding the input data of the jobs: a job dispatched to another member enters that member's queue only once `input_data` has crossed the federation's links (GPUs are not held meanwhile).");
  site.name_pattern = "a-z0-9_-";
  site.optional = true;
  site.default_note = "none: the data moves nowhere";
  Param bytes = quantity("input_data", Dimension::data_size, json(), "Input data each job moves to the member it runs at, when that is not `data_site`.");
  range(bytes, 0.0, 1e18);
  bytes.optional = true;
  bytes.default_note = "required with `data_site`";
  bytes.active_when = {{"data_site", {"set"}}};
  return {site, bytes};
}

Param declare_class() {
  Param cls_name = string("name", json(), "Class name used in outputs.");
  cls_name.name_pattern = "a-z0-9_-";
  Param share = number("share", 1.0, "Relative share of arrivals (shares are normalised over the classes).");
  range(share, 0.0, 1e9);
  Param sizes = declare_sizes();
  Param durations = declare_durations();
  Param est = number("estimate_factor", 1.0, "Requested time = run time x this factor; EASY plans with the requested time.");
  range(est, 1.0, 1000.0);
  Param mfu = declare_mfu();
  Param hourly = array("hourly", [] { Param p = number("weight", json(), "Relative arrival rate in this hour."); range(p, 0.0, 1e6); return p; }(),
                       "24 relative arrival rates, for local hours 0-23 (normalised to mean 1).");
  hourly.min_items = hourly.max_items = 24;
  hourly.optional = true;
  hourly.default_note = "flat";
  Param weekday = array("weekday", [] { Param p = number("weight", json(), "Relative arrival rate on this day."); range(p, 0.0, 1e6); return p; }(),
                        "7 relative arrival rates, Monday to Sunday, local time (normalised to mean 1).");
  weekday.min_items = weekday.max_items = 7;
  weekday.optional = true;
  weekday.default_note = "flat";
  Param profile = object("profile", {hourly, weekday}, "Daily and weekly shape of the class's arrivals, on the calendar of `start`.");
  Param tenant = string("tenant", json(), "Who submits the class's jobs (a federation's `pins` send a tenant's jobs to one member).");
  tenant.name_pattern = "a-z0-9_-";
  tenant.optional = true;
  tenant.default_note = "the class name";
  std::vector<Param> fields = {cls_name, share, sizes, durations, est, mfu, profile, tenant, communication_param(), checkpoint_param()};
  for (Param& p : declare_data()) fields.push_back(std::move(p));
  Param cls = object("class", std::move(fields), "A job class.");
  return cls;
}

// A GPU trace's fields (docs/traces.md), for `format`.
std::vector<Param> declare_gpu_trace(TraceFormat format) {
  std::vector<Param> out;
  out.push_back(string("path", json(), "The trace file (relative to the scenario file); its format is `source` (docs/traces.md)."));
  if (format == TraceFormat::pai_2020) {
    Param jobs = string("job_table", json(), "PAI 2020 `pai_job_table` (relative to the scenario file): each job's submission time, user and status; `path` is the `pai_task_table`.");
    jobs.optional = true;
    jobs.default_note = "none: a job is submitted at its first task's start, with no user";
    out.push_back(jobs);
  }
  if (format == TraceFormat::job_log) {
    const JobLogColumns d;
    auto col = [](const char* name, const std::string& def, const char* help) {
      Param p = string(name, def, help);
      return p;
    };
    out.push_back(object("columns",
                         {col("id", d.id, "Column of the job number (whole numbers; others are left out of `trace_id`); \"\" for none."),
                          col("submit", d.submit, "Column of the submit time (\"2020-05-01 00:18:22\", a zone such as +08:00 allowed)."),
                          col("start", d.start, "Column of the start time (with `end`, where there is no `duration`)."),
                          col("end", d.end, "Column of the end time."), col("duration", d.duration, "Column of the run time in seconds; \"\" to use end - start."),
                          col("gpus", d.gpus, "Column of the GPUs."), col("tenant", d.tenant, "Column of the virtual cluster, recorded as the tenant; \"\" for none."),
                          col("user", d.user, "Column of the user, the tenant where there is no `tenant` column."),
                          col("status", d.status, "Column of the trace's final status."), col("gpu_type", d.gpu_type, "Column of the GPU type; \"\" for none.")},
                         "Which column holds each field (Helios' names by default; Acme's differ only in having no `vc`)."));
  }
  std::vector<std::string> trace_gpus;
  for (const auto& [key, peak] : builtin_trace_gpus().by_key) trace_gpus.push_back(key);
  Param gpu_type = string("gpu_type", json(), "Accelerator (a key of scenarios/catalog/trace_gpus.json) the jobs ran on where the trace records no GPU type.");
  choices(gpu_type, trace_gpus);
  gpu_type.optional = true;
  gpu_type.default_note = "none: such jobs replay at their recorded run time";
  out.push_back(gpu_type);
  Param label = string("label", json(), "A GPU-type label as the trace writes it (compared without case).");
  Param acc = string("accelerator", json(), "The accelerator it means: a key of scenarios/catalog/trace_gpus.json.");
  choices(acc, trace_gpus);
  Param map = array("gpu_types", object("gpu_type", {label, acc}, "A trace label and its accelerator."),
                    "Trace GPU-type labels and the catalog accelerators they mean, beyond the catalog's own `trace_names`.");
  map.optional = true;
  map.default_note = "the catalog's trace_names";
  out.push_back(map);
  Param speedup = number("max_speedup", 1.0, "A job recorded on an accelerator of lower peak replays faster by the peak ratio (cluster's reference / its), at most this. 1: as recorded.");
  range(speedup, 0.0, 1000.0, true);
  out.push_back(speedup);
  Param est = number("estimate_factor", 1.0, "Requested time = replayed run time x this (traces record none); EASY plans with it.");
  range(est, 1.0, 1000.0);
  out.push_back(est);
  Param from = quantity("from", Dimension::time, "0 s", "Start of the window, after the trace's first submit.");
  range(from, 0.0, 100 * 365 * kDay);
  Param to = quantity("to", Dimension::time, json(), "End of the window (exclusive), after the trace's first submit.");
  range(to, 0.0, 100 * 365 * kDay, true);
  to.optional = true;
  to.default_note = "the whole days from `from` that hold the last submit";
  out.push_back(object("window", {from, to}, "The part of the trace replayed; its start is the simulation's start."));
  Param size = number("size_factor", 1.0, "Every job's GPUs (whole GPUs first) x this, rounded up, at most the cluster's GPUs.");
  range(size, 0.0, 1e6, true);
  out.push_back(size);
  Param resample = string("resample", "none", "Fill the horizon with whole days (or weeks) of the window drawn uniformly at random with the seed, each job keeping its time in its day (or week); `none`: the window once.");
  choices(resample, {"none", "day", "week"});
  out.push_back(resample);
  Param load = number("offered_load", json(), "Set `scale` so that the window offers this share of the cluster's capacity (its jobs' GPU-seconds after sizes and speedups, over the window, / the mean reference GPUs in service).");
  range(load, 0.0, 100.0, true);
  load.optional = true;
  load.default_note = "none: `scale` as given";
  out.push_back(load);
  out.push_back(declare_mfu());
  out.push_back(communication_param());
  out.push_back(checkpoint_param());
  for (Param& p : declare_data()) out.push_back(std::move(p));
  return out;
}

std::vector<Param> declare() {
  Param cls = declare_class();
  Param classes = array("classes", cls, "Job classes mixed by share.");
  classes.min_items = 1;
  classes.max_items = 64;

  Param source = string("source", "synthetic", "Where jobs come from.");
  std::vector<std::string> sources = {"synthetic", "swf"};
  for (const std::string& f : trace_format_names()) sources.push_back(f);
  choices(source, sources);
  Param mia = quantity("mean_interarrival", Dimension::time, json(),
                       "Mean time between job arrivals, all classes together, at the start and averaged over a week. Each class arrives as its own Poisson process with its share of the rate, shaped by its profile.");
  range(mia, 0.0, 365 * kDay, true);
  Param growth = number("growth_per_year", 0.0, "Demand growth: the arrival rate is multiplied by (1 + growth_per_year) per 365 days, continuously.");
  range(growth, -0.9, 10.0);
  Param swf_path = string("path", json(), "Standard Workload Format file (relative to the scenario file).");
  Param gpp = number("gpus_per_processor", 1.0, "GPUs per SWF processor.");
  range(gpp, 0.0, 1024.0, true);
  Param scale = number("scale", 1.0,
                        "Demand multiplier: every class's arrival rate is multiplied by it (a trace's submit times are divided by it: the same jobs, denser).");
  range(scale, 0.0, 1000.0, true);
  Param workload = object("workload", {source, scale}, "The jobs submitted to the cluster.");
  workload.discriminator = "source";
  workload.variants["synthetic"] = {mia, growth, classes};
  workload.variants["swf"] = {swf_path, gpp, declare_mfu(), communication_param(), checkpoint_param()};
  for (Param& p : declare_data()) workload.variants["swf"].push_back(std::move(p));
  for (const std::string& f : trace_format_names()) workload.variants[f] = declare_gpu_trace(*trace_format(f));
  return {workload};
}

SizeDist read_sizes(const json& s) {
  SizeDist d;
  std::vector<double> w;
  if (s["distribution"] == "empirical") {
    for (const auto& g : s["gpus"]) d.gpus.push_back(g.get<int>());
    if (s.contains("weights")) {
      for (const auto& x : s["weights"]) w.push_back(x.get<double>());
    } else {
      w.assign(d.gpus.size(), 1.0);
    }
  } else if (s["distribution"] == "lognormal") {
    d.lognormal_median = s["median"].get<double>();
    d.lognormal_sigma = s["sigma"].get<double>();
    d.lognormal_max = s["max"].get<int>();
    d.gpus.push_back(d.lognormal_max);
    w.push_back(1.0);
  } else {
    int kmax = s["max_exponent"].get<int>();
    double r = s["ratio"].get<double>();
    for (int k = 0; k <= kmax; ++k) {
      d.gpus.push_back(1 << k);
      w.push_back(std::pow(r, k));
    }
  }
  double acc = 0;
  for (double x : w) d.cumulative_weights.push_back(acc += x);
  return d;
}

DurationDist read_durations(const json& s) {
  DurationDist d;
  const std::string kind = s["distribution"];
  if (kind == "lognormal") {
    d.kind = DurationDist::Kind::lognormal;
    d.median_s = quantity_value(s["median"], Dimension::time);
    d.sigma = s["sigma"].get<double>();
  } else if (kind == "exponential") {
    d.kind = DurationDist::Kind::exponential;
    d.mean_s = quantity_value(s["mean"], Dimension::time);
  } else if (kind == "empirical") {
    d.kind = DurationDist::Kind::empirical;
    double acc = 0;
    for (std::size_t i = 0; i < s["values"].size(); ++i) {
      d.values_s.push_back(quantity_value(s["values"][i], Dimension::time));
      d.cumulative_weights.push_back(acc += s.contains("weights") ? s["weights"][i].get<double>() : 1.0);
    }
  } else {
    d.kind = DurationDist::Kind::constant;
    d.value_s = quantity_value(s["value"], Dimension::time);
  }
  return d;
}

// The class's (or trace's) data site, checked against the members by the federation section.
DataPlacement read_data(SectionContext& ctx, const json& at, const std::string& p) {
  DataPlacement d;
  if (!at.contains("data_site")) return d;
  if (!at.contains("input_data"))
    throw InputError(ctx.where(p + ".input_data") + ": missing required key `input_data` (a data size such as \"20 TB\"), needed with `data_site`");
  d.site = at["data_site"];
  d.bytes = quantity_value(at["input_data"], Dimension::data_size);
  return d;
}

// Class `i`; `earlier` are the classes before it (names are unique).
JobClassSpec read_class(SectionContext& ctx, std::size_t i, const std::vector<JobClassSpec>& earlier) {
  json& r = ctx.r;
  const json& w = r["workload"];
  auto where = [&](const std::string& p) { return ctx.where(p); };
  const json& jc = w["classes"][i];
  std::string p = "workload.classes." + std::to_string(i);
  JobClassSpec jcs;
  jcs.name = jc["name"];
  for (const auto& other : earlier)
    if (other.name == jcs.name)
      throw InputError(where(p + ".name") + ": expected a unique class name, found a second \"" + jcs.name + "\"");
  jcs.share = jc["share"];
  if (jc["sizes"]["distribution"] == "empirical" && jc["sizes"].contains("weights") &&
      jc["sizes"]["weights"].size() != jc["sizes"]["gpus"].size())
    throw InputError(where(p + ".sizes.weights") + ": expected " + std::to_string(jc["sizes"]["gpus"].size()) +
                     " weights (one per entry of gpus), found " + std::to_string(jc["sizes"]["weights"].size()));
  jcs.sizes = read_sizes(jc["sizes"]);
  {
    const int largest = *std::max_element(jcs.sizes.gpus.begin(), jcs.sizes.gpus.end());
    const ClusterSpec& c = ctx.s.cluster;
    if ((largest + c.gpus_per_node - 1) / c.gpus_per_node > c.nodes)
      ctx.warn(p + ".sizes", "its largest jobs (" + std::to_string(largest) + " GPUs) exceed the cluster's " + std::to_string(c.gpus()) +
                                 " GPUs: they are rejected (summary.json jobs.rejected)");
  }
  if (jcs.sizes.cumulative_weights.back() <= 0)
    throw InputError(where(p + ".sizes.weights") + ": expected at least one positive weight, found all zero");
  const json& jd = jc["durations"];
  if (jd["distribution"] == "empirical" && jd.contains("weights") && jd["weights"].size() != jd["values"].size())
    throw InputError(where(p + ".durations.weights") + ": expected " + std::to_string(jd["values"].size()) +
                     " weights (one per entry of values), found " + std::to_string(jd["weights"].size()));
  jcs.durations = read_durations(jd);
  if (jcs.durations.kind == DurationDist::Kind::empirical && jcs.durations.cumulative_weights.back() <= 0)
    throw InputError(where(p + ".durations.weights") + ": expected at least one positive weight, found all zero");
  for (const char* key : {"hourly", "weekday"}) {
    std::vector<double>& v = std::string(key) == "hourly" ? jcs.hourly : jcs.weekday;
    if (!jc["profile"].contains(key)) continue;
    double sum = 0;
    for (const auto& x : jc["profile"][key]) sum += x.get<double>();
    if (sum <= 0)
      throw InputError(where(p + ".profile." + key) + ": expected at least one positive rate, found all zero");
    for (const auto& x : jc["profile"][key]) v.push_back(x.get<double>() * jc["profile"][key].size() / sum);
  }
  jcs.estimate_factor = jc["estimate_factor"];
  jcs.mfu = jc["mfu"];
  if (!jc.contains("tenant")) r["workload"]["classes"][i]["tenant"] = jcs.name;
  jcs.tenant = r["workload"]["classes"][i]["tenant"];
  jcs.comm = read_communication(ctx, r["workload"]["classes"][i], p);
  jcs.data = read_data(ctx, jc, p);
  jcs.checkpoint = read_checkpoint(ctx, jc, p);
  return jcs;
}

// A trace file named at `key` of the workload: made absolute and digested (an input of the results).
std::string trace_input(SectionContext& ctx, const std::string& key, const char* what) {
  json& w = ctx.r["workload"];
  w[key] = ctx.rel(w[key]);
  const std::string path = w[key];
  try {
    const FileDigest* known = nullptr;
    if (ctx.known_inputs)
      if (auto k = ctx.known_inputs->find(path); k != ctx.known_inputs->end()) known = &k->second;
    ctx.s.inputs[path] = known ? *known : digest_file(path, what);
  } catch (const InputError& e) {
    throw InputError(ctx.where("workload." + key) + ": " + e.what());
  }
  return path;
}

GpuTraceWorkload read_gpu_trace(SectionContext& ctx) {
  Scenario& s = ctx.s;
  const json& w = ctx.r["workload"];
  GpuTraceWorkload g;
  g.trace.format = *trace_format(w["source"].get<std::string>());
  g.trace.path = trace_input(ctx, "path", "a trace file");
  s.expected_jobs = static_cast<double>(s.inputs[g.trace.path].size_bytes) / 40;
  if (w.contains("job_table")) g.trace.job_table = trace_input(ctx, "job_table", "a PAI 2020 job table");
  if (w.contains("columns")) {
    const json& c = w["columns"];
    JobLogColumns& m = g.trace.columns;
    for (auto [key, field] : {std::pair{"id", &m.id}, {"submit", &m.submit}, {"start", &m.start}, {"end", &m.end}, {"duration", &m.duration},
                              {"gpus", &m.gpus}, {"tenant", &m.tenant}, {"user", &m.user}, {"status", &m.status}, {"gpu_type", &m.gpu_type}})
      *field = c[key].get<std::string>();
  }
  // Accelerators by the trace GPU catalog's keys.
  const TraceGpuCatalog& tg = builtin_trace_gpus();
  static const FileDigest tg_digest = digest_of(builtin_trace_gpus_json());
  s.inputs["built-in trace GPU catalog"] = tg_digest;
  auto peak_of = [&](const std::string& key) { return tg.by_key.at(key); };  // a declared choice
  g.peaks = tg.by_name;
  if (w.contains("gpu_types"))
    for (const json& m : w["gpu_types"]) g.peaks[gpu_label_key(m["label"].get<std::string>())] = peak_of(m["accelerator"]);
  if (w.contains("gpu_type")) g.default_peak = peak_of(w["gpu_type"]);
  g.reference_peak = s.cluster.gpu_bf16_flops;
  g.max_speedup = w["max_speedup"];
  g.estimate_factor = w["estimate_factor"];
  g.scale = w["scale"];
  g.from_s = quantity_value(w["window"]["from"], Dimension::time);
  if (w["window"].contains("to")) {
    g.to_s = quantity_value(w["window"]["to"], Dimension::time);
    if (*g.to_s <= g.from_s) throw InputError(ctx.where("workload.window.to") + ": expected a time after `from` (" + w["window"]["from"].dump() + "), found " + w["window"]["to"].dump());
  }
  g.size_factor = w["size_factor"];
  g.max_gpus = s.cluster.gpus();
  g.resample_block_s = w["resample"] == "day" ? kDay : w["resample"] == "week" ? 7 * kDay : 0;
  g.resample_where = ctx.where("workload.resample");
  if (w.contains("offered_load")) {
    if (ctx.doc["workload"].contains("scale"))
      throw InputError(ctx.where("workload.offered_load") + ": expected either `offered_load` or `scale`, found both");
    g.offered_load = w["offered_load"].get<double>();
  }
  g.capacity_gpus = s.cluster.capacity_gpu_s(0, s.horizon_s) / s.horizon_s;
  g.mfu = w["mfu"];
  g.comm = read_communication(ctx, ctx.r["workload"], "workload");
  g.data = read_data(ctx, w, "workload");
  g.checkpoint = read_checkpoint(ctx, w, "workload");
  return g;
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  auto where = [&](const std::string& p) { return ctx.where(p); };
  const json& w = r["workload"];
  if (w["source"] == "synthetic") {
    SyntheticWorkload sw;
    sw.mean_interarrival_s = quantity_value(w["mean_interarrival"], Dimension::time);
    sw.growth_per_year = w["growth_per_year"];
    sw.scale = w["scale"];
    sw.utc_offset_s = *parse_iso8601_offset(s.start);
    sw.start_epoch_s = s.start_epoch_s;
    double total_share = 0;
    for (std::size_t i = 0; i < w["classes"].size(); ++i) {
      JobClassSpec jcs = read_class(ctx, i, sw.classes);
      total_share += jcs.share;
      sw.classes.push_back(std::move(jcs));
    }
    if (total_share <= 0)
      throw InputError(where("workload.classes") + ": expected at least one class with a positive share, found all zero");
    if (sw.classes.size() == 1) {
      if (ctx.doc["workload"]["classes"][0].contains("share"))
        ctx.warn("workload.classes.0.share", "has no effect with one class (shares are normalised over the classes)");
      r["workload"]["classes"][0].erase("share");  // left out of the resolved scenario, as inactive keys are
    }
    double expected_jobs = s.horizon_s / sw.mean_interarrival_s * sw.scale * std::max(1.0, std::pow(1 + sw.growth_per_year, s.horizon_s / (365 * kDay)));
    if (expected_jobs > 50e6)
      throw TooLargeError(where("workload.mean_interarrival") + ": about " + std::to_string(static_cast<long long>(expected_jobs)) +
                          " jobs over the horizon; this machine handles at most 50,000,000 per run (docs/errors.md)");
    s.expected_jobs = expected_jobs;
    s.workload = std::move(sw);
  } else if (w["source"] != "swf") {
    s.workload = read_gpu_trace(ctx);
  } else {
    SwfWorkload sw;
    sw.path = trace_input(ctx, "path", "an SWF trace file");
    s.expected_jobs = static_cast<double>(s.inputs[sw.path].size_bytes) / 40;  // an SWF job line has 18 fields
    sw.gpus_per_processor = w["gpus_per_processor"];
    sw.scale = w["scale"];
    sw.mfu = w["mfu"];
    sw.comm = read_communication(ctx, r["workload"], "workload");
    sw.data = read_data(ctx, w, "workload");
    sw.checkpoint = read_checkpoint(ctx, w, "workload");
    s.workload = std::move(sw);
  }
}

}  // namespace

Section workload_section() { return {declare, build}; }

}  // namespace capsim
