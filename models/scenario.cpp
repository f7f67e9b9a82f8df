#include "models/scenario.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/catalog.hpp"
#include "models/errors.hpp"
#include "models/sha256.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

constexpr double kDay = 86400.0;

Param make_spec() {
  Param version = integer("capsim", json(), "Scenario format version; must be 1.");
  range(version, 1, 1);
  Param name = string("name", "", "Short name shown in reports.");
  Param description = string("description", "", "Free text.");
  Param start = datetime("start", "2026-01-01T00:00:00+09:00",
                         "Calendar time of simulated time 0, with its time zone. Tariffs, tranches and reservations are placed on this calendar.");
  Param horizon = quantity("horizon", Dimension::time, "365 d", "Simulated time span; jobs are submitted in [0, horizon).");
  range(horizon, 1.0, 50 * 365 * kDay);
  Param warmup = quantity("warmup", Dimension::time, "0 s",
                          "Initial span excluded from every metric (jobs submitted before it, energy and utilisation during it). Must be below `horizon`.");
  range(warmup, 0.0, 50 * 365 * kDay);
  Param seed = integer("seed", 1, "Seed of every random stream; same scenario and seed give byte-identical outputs.");
  range(seed, 0, 9.007199254740992e15);

  Param node_type = string("node_type", json(), "Node type key in the hardware catalog (e.g. `h100-sxm-8`).");
  Param nodes = integer("nodes", json(), "Number of nodes.");
  range(nodes, 1, 2e6);
  Param gpn = integer("gpus_per_node", json(), "Accelerators per node.");
  range(gpn, 1, 1024);
  gpn.optional = true;
  gpn.default_note = "from the catalog";
  Param pods = integer("pods", json(), "Pods the nodes are split into (as evenly as possible). A pod is the unit the engine aggregates nodes into (one multi-core SimGrid host).");
  range(pods, 1, 2e6);
  pods.optional = true;
  pods.default_note = "ceil(nodes / 32)";
  Param idle = quantity("node_idle_power", Dimension::power, json(), "Power of one node with all accelerators idle.");
  range(idle, 0.0, 1e6);
  idle.optional = true;
  idle.default_note = "from the catalog";
  Param peak = quantity("node_peak_power", Dimension::power, json(), "Power of one node with all accelerators busy; power rises linearly with busy accelerators.");
  range(peak, 0.0, 1e6);
  peak.optional = true;
  peak.default_note = "from the catalog";
  Param catalog = string("catalog", json(), "Hardware catalog file (relative to the scenario file).");
  catalog.optional = true;
  catalog.default_note = "the built-in catalog";
  Param cluster = object("cluster", {node_type, nodes, gpn, pods, idle, peak, catalog}, "The GPU cluster.");
  cluster.optional = false;

  Param pue = number("pue", 1.2, "Power usage effectiveness: facility power / IT power (constant).");
  range(pue, 1.0, 3.0);
  Param facility = object("facility", {pue}, "Facility around the IT load.");

  // Job classes of the synthetic workload.
  Param cls_name = string("name", json(), "Class name used in outputs.");
  cls_name.name_pattern = "a-z0-9_-";
  Param share = number("share", 1.0, "Relative share of arrivals (shares are normalised over the classes).");
  range(share, 0.0, 1e9);
  Param size_dist = string("distribution", "empirical", "How job sizes (in GPUs) are drawn.");
  choices(size_dist, {"empirical", "powers_of_two", "lognormal"});
  Param size_gpus = array("gpus", [] { Param p = integer("gpus", json(), "A job size in GPUs."); range(p, 1, 1e8); return p; }(),
                          "Job sizes in GPUs.");
  size_gpus.min_items = 1;
  Param size_w = array("weights", [] { Param p = number("weight", json(), "Relative weight."); range(p, 0.0, 1e12); return p; }(),
                       "Relative weight of each size (same length as `gpus`).");
  size_w.optional = true;
  size_w.default_note = "equal weights";
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
  Param dur_w = array("weights", [] { Param p = number("weight", json(), "Relative weight."); range(p, 0.0, 1e12); return p; }(),
                      "Relative weight of each run time (same length as `values`).");
  dur_w.optional = true;
  dur_w.default_note = "equal weights";
  Param durations = object("durations", {dur_dist}, "Run time distribution.");
  durations.discriminator = "distribution";
  durations.variants["lognormal"] = {median, sigma};
  durations.variants["exponential"] = {mean};
  durations.variants["constant"] = {value};
  durations.variants["empirical"] = {dur_values, dur_w};
  Param est = number("estimate_factor", 1.0, "Requested time = run time x this factor; EASY plans with the requested time.");
  range(est, 1.0, 1000.0);
  Param mfu = number("mfu", 0.4, "Model FLOP utilisation: delivered FLOP = GPU-seconds x peak dense BF16 FLOP/s x mfu.");
  range(mfu, 0.0, 1.0, true);
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
  Param cls = object("class", {cls_name, share, sizes, durations, est, mfu, profile}, "A job class.");
  Param classes = array("classes", cls, "Job classes mixed by share.");
  classes.min_items = 1;
  classes.max_items = 64;

  Param source = string("source", "synthetic", "Where jobs come from.");
  choices(source, {"synthetic", "swf"});
  Param mia = quantity("mean_interarrival", Dimension::time, json(),
                       "Mean time between job arrivals, all classes together, at the start and averaged over a week. Each class arrives as its own Poisson process with its share of the rate, shaped by its profile.");
  range(mia, 0.0, 365 * kDay, true);
  Param growth = number("growth_per_year", 0.0, "Demand growth: the arrival rate is multiplied by (1 + growth_per_year) per 365 days, continuously.");
  range(growth, -0.9, 10.0);
  Param swf_path = string("path", json(), "Standard Workload Format file (relative to the scenario file).");
  Param gpp = number("gpus_per_processor", 1.0, "GPUs per SWF processor.");
  range(gpp, 0.0, 1024.0, true);
  Param workload = object("workload", {source}, "The jobs submitted to the cluster.");
  workload.discriminator = "source";
  workload.variants["synthetic"] = {mia, growth, classes};
  workload.variants["swf"] = {swf_path, gpp, mfu};

  Param policy = string("policy", "easy", "Scheduling policy (docs/scheduling.md).");
  choices(policy, {"fcfs", "easy"});
  Param scheduler = object("scheduler", {policy}, "How queued jobs are started.");

  Param ts = quantity("timeseries_interval", Dimension::time, "1 h", "Interval of timeseries.csv.");
  range(ts, 1.0, 365 * kDay);
  Param outputs = object("outputs", {ts}, "Output options.");

  Param root = object("", {version, name, description, start, horizon, warmup, seed, cluster, facility, workload, scheduler, outputs},
                      "A capsim scenario.");
  return root;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the file (" + std::string(std::strerror(errno)) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json parse_json(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // Turn the byte offset into line:column, which is what editors jump to.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto pos = what.find(": ", what.find("parse error"));
    std::string detail = pos == std::string::npos ? what : what.substr(pos + 2);
    throw InputError(file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": not valid JSON: " + detail);
  }
}

std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : p) {
    if (c == '.') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

void apply_override(json& doc, const Override& o, const std::string& file) {
  auto path = split_path(o.path);
  for (const auto& k : path)
    if (k.empty()) throw InputError("--set " + o.path + ": expected a dotted path like cluster.nodes, found an empty key");
  std::string prefix, bad, hint;
  if (!params::find(scenario_spec(), doc, path, &prefix, &bad, &hint)) {
    throw InputError("--set " + o.path + ": unknown key `" + bad + "`" + (prefix.empty() ? "" : " under `" + prefix + "`") +
                     (hint.empty() ? "" : ", did you mean `" + (prefix.empty() ? hint : prefix + "." + hint) + "`?"));
  }
  json value;
  try {
    value = json::parse(o.value);
  } catch (const json::parse_error&) {
    value = o.value;
  }
  json* node = &doc;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& k = path[i];
    bool last = i + 1 == path.size();
    if (node->is_array()) {
      std::size_t idx = std::stoul(k);
      if (idx > node->size())
        throw InputError("--set " + o.path + ": index " + k + " is past the end of an array of " + std::to_string(node->size()) +
                         " items in " + file);
      if (idx == node->size()) node->push_back(last ? value : json::object());
      node = &(*node)[idx];
    } else {
      if (!node->is_object()) *node = json::object();
      if (last) (*node)[k] = value;
      else if (!node->contains(k)) (*node)[k] = json::object();
      node = &(*node)[k];
    }
    if (last) *node = value;
  }
}

std::string watts(double w) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g W", w);
  return buf;
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

}  // namespace

const Param& scenario_spec() {
  static const Param spec = make_spec();
  return spec;
}

double Scenario::class_mfu(int i) const {
  if (const auto* syn = std::get_if<SyntheticWorkload>(&workload)) return syn->classes[i].mfu;
  return std::get<SwfWorkload>(workload).mfu;
}

Override parse_override(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + arg + ": expected PATH=VALUE, e.g. --set cluster.nodes=12500");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  std::string text = read_file(path);
  json doc = parse_json(text, path);
  std::string dir = std::filesystem::absolute(path).parent_path().string();
  return load_scenario_json(doc, path, dir, overrides);
}

Scenario load_scenario_json(const json& input, const std::string& file, const std::string& base_dir,
                            const std::vector<Override>& overrides) {
  json doc = input;
  if (!doc.is_object()) throw InputError(file + ": (top level): expected an object, found " + doc.dump().substr(0, 40));
  if (!doc.contains("capsim"))
    throw InputError(file + ": capsim: missing required key `capsim` (the format version, 1)");
  if (doc["capsim"] != 1)
    throw InputError(file + ": capsim: expected format version 1, found " + doc["capsim"].dump());
  for (const auto& o : overrides) apply_override(doc, o, file);

  json r = params::resolve(doc, scenario_spec(), file);
  auto where = [&](const std::string& p) { return file + ": " + p; };
  auto rel = [&](const std::string& p) {
    std::filesystem::path fp(p);
    return (fp.is_absolute() ? fp : std::filesystem::path(base_dir) / fp).lexically_normal().string();
  };

  Scenario s;
  s.file = file;
  s.name = r["name"];
  s.start = r["start"];
  s.start_epoch_s = *parse_iso8601(s.start);
  s.horizon_s = quantity_value(r["horizon"], Dimension::time);
  s.warmup_s = quantity_value(r["warmup"], Dimension::time);
  if (s.warmup_s >= s.horizon_s)
    throw InputError(where("warmup") + ": expected a duration below horizon (" + r["horizon"].get<std::string>() + "), found " +
                     r["warmup"].dump());
  s.seed = r["seed"].get<std::uint64_t>();

  // Cluster: fill what the scenario leaves to the catalog, so the resolved file stands alone.
  json& c = r["cluster"];
  Catalog file_catalog;
  const Catalog* cat = &builtin_catalog();
  if (c.contains("catalog")) {
    c["catalog"] = rel(c["catalog"]);
    file_catalog = load_catalog_file(c["catalog"]);
    cat = &file_catalog;
  }
  const NodeTypeSpec& nt = cat->node_type(c["node_type"], where("cluster.node_type"));
  const AcceleratorSpec& acc = cat->accelerator(nt.accelerator, where("cluster.node_type"));
  if (!c.contains("gpus_per_node")) c["gpus_per_node"] = nt.gpus_per_node;
  if (!c.contains("node_idle_power")) c["node_idle_power"] = watts(nt.idle_power_w);
  if (!c.contains("node_peak_power")) c["node_peak_power"] = watts(nt.peak_power_w);
  s.cluster.node_type = nt.key;
  s.cluster.accelerator = acc.key;
  s.cluster.gpu_bf16_flops = acc.bf16_dense_flops;
  s.cluster.nodes = c["nodes"];
  s.cluster.gpus_per_node = c["gpus_per_node"];
  if (!c.contains("pods")) c["pods"] = (s.cluster.nodes + 31) / 32;
  s.cluster.pods = c["pods"];
  if (s.cluster.pods > s.cluster.nodes)
    throw InputError(where("cluster.pods") + ": expected at most cluster.nodes (" + std::to_string(s.cluster.nodes) +
                     ") pods, found " + std::to_string(s.cluster.pods));
  s.cluster.node_idle_w = quantity_value(c["node_idle_power"], Dimension::power);
  s.cluster.node_peak_w = quantity_value(c["node_peak_power"], Dimension::power);
  if (s.cluster.node_peak_w < s.cluster.node_idle_w)
    throw InputError(where("cluster.node_peak_power") + ": expected at least node_idle_power (" +
                     c["node_idle_power"].get<std::string>() + "), found " + c["node_peak_power"].dump());

  s.pue = r["facility"]["pue"];

  const json& w = r["workload"];
  if (w["source"] == "synthetic") {
    SyntheticWorkload sw;
    sw.mean_interarrival_s = quantity_value(w["mean_interarrival"], Dimension::time);
    sw.growth_per_year = w["growth_per_year"];
    sw.utc_offset_s = *parse_iso8601_offset(s.start);
    sw.start_epoch_s = s.start_epoch_s;
    double total_share = 0;
    for (std::size_t i = 0; i < w["classes"].size(); ++i) {
      const json& jc = w["classes"][i];
      std::string p = "workload.classes." + std::to_string(i);
      JobClassSpec jcs;
      jcs.name = jc["name"];
      for (const auto& other : sw.classes)
        if (other.name == jcs.name)
          throw InputError(where(p + ".name") + ": expected a unique class name, found a second \"" + jcs.name + "\"");
      jcs.share = jc["share"];
      total_share += jcs.share;
      if (jc["sizes"]["distribution"] == "empirical" && jc["sizes"].contains("weights") &&
          jc["sizes"]["weights"].size() != jc["sizes"]["gpus"].size())
        throw InputError(where(p + ".sizes.weights") + ": expected " + std::to_string(jc["sizes"]["gpus"].size()) +
                         " weights (one per entry of gpus), found " + std::to_string(jc["sizes"]["weights"].size()));
      jcs.sizes = read_sizes(jc["sizes"]);
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
      sw.classes.push_back(std::move(jcs));
    }
    if (total_share <= 0)
      throw InputError(where("workload.classes") + ": expected at least one class with a positive share, found all zero");
    double expected_jobs = s.horizon_s / sw.mean_interarrival_s * std::max(1.0, std::pow(1 + sw.growth_per_year, s.horizon_s / (365 * kDay)));
    if (expected_jobs > 50e6)
      throw TooLargeError(where("workload.mean_interarrival") + ": about " + std::to_string(static_cast<long long>(expected_jobs)) +
                          " jobs over the horizon; this machine handles at most 50,000,000 per run (docs/errors.md)");
    s.workload = std::move(sw);
  } else {
    SwfWorkload sw;
    r["workload"]["path"] = rel(w["path"]);
    sw.path = r["workload"]["path"];
    sw.gpus_per_processor = w["gpus_per_processor"];
    sw.mfu = w["mfu"];
    s.workload = std::move(sw);
  }
  s.policy = r["scheduler"]["policy"] == "fcfs" ? PolicyKind::fcfs : PolicyKind::easy;
  s.timeseries_interval_s = quantity_value(r["outputs"]["timeseries_interval"], Dimension::time);
  if (s.horizon_s / s.timeseries_interval_s > 2e6)
    throw TooLargeError(where("outputs.timeseries_interval") + ": more than 2,000,000 timeseries rows over the horizon; use a longer interval");
  if (s.cluster.gpus() > 8'000'000)
    throw TooLargeError(where("cluster.nodes") + ": " + std::to_string(s.cluster.gpus()) +
                        " GPUs; this machine handles at most 8,000,000 per run (docs/errors.md)");

  s.resolved = r;
  s.sha256 = sha256_hex(r.dump());
  return s;
}

}  // namespace capsim
