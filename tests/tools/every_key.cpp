// The no-silent-no-op check: for one scenario, every declared key is either rejected in the scenario's
// mode (the loader's "has no effect" error), or changes the outputs of a 2-day run when given another
// valid value, or lies under a part the run warns it leaves out, or is a listed exception with its reason.
// Each run is its own capsim process (one SimGrid engine per process).
//
// Usage: capsim_every_key [--each-part-somewhere] CAPSIM WORKDIR SCENARIO...
// Prints one line per key and exits 1 if any key is a silent no-op (or has no valid alternative value),
// or, with --each-part-somewhere, if a declared part is absent from every scenario given.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/params.hpp"
#include "models/common/units.hpp"
#include "models/scenario/scenario.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using capsim::params::Kind;
using capsim::params::Param;

namespace {

// Keys that change nothing a run computes, by design, with the reason; some only in a mode. Matched on
// the dotted path with array indices written as `*`, or on the key's last name.
struct Facts {
  const json& resolved;  // the 2-day baseline's resolved scenario
  const json& written;   // the scenario file as written
  const json& summary;   // the 2-day baseline's summary
};
struct Exception {
  std::string key;
  std::string reason;
  bool (*applies)(const Facts& f);
};
bool always(const Facts&) { return true; }
bool is_trace(const Facts& f) { return f.resolved["workload"].value("source", "synthetic") != "synthetic"; }
bool no_jobs(const Facts& f) { return f.summary["jobs"]["submitted"] == 0; }
bool no_federation(const Facts& f) { return !f.resolved.contains("federation"); }
// Pods are the unit the power cap switches and the lifetime retires; otherwise only a grouping.
bool pods_unused(const Facts& f) {
  const json& fac = f.resolved["facility"];
  if (fac.contains("power_cap") || fac.value("cap_at_grid_limit", false) || f.resolved["cluster"].contains("lifetime")) return false;
  for (const json& t : f.resolved["cluster"].value("tranches", json::array()))
    if (t.contains("lifetime")) return false;
  return true;
}
bool every_member_sets_site(const Facts& f) {
  if (!f.written.contains("federation")) return false;
  for (const json& m : f.written["federation"]["members"])
    if (!m.contains("set") || !m["set"].contains("site")) return false;
  return true;
}
const std::vector<Exception> kExceptions = {
    {"capsim", "the format version: 1 is the only valid value", always},
    {"name", "a label: it names outputs, it is not an input of the model", always},
    {"description", "free text for readers", always},
    {"inputs", "digests recorded by capsim itself; a changed digest is an input error, not a setting", always},
    {"seed", "a trace has no random part", is_trace},
    {"cluster.pods", "without a power cap or lifetimes, pods only group nodes", pods_unused},
    {"site", "every federation member sets its own site", every_member_sets_site},
    {"federation.members.*.set", "free-form overrides of the base: each is a base key, tested as such", always},
    {"federation.members.*.resolved", "written by capsim in place of `share` and `set`, tested through them", always},
    {"federation.links.*.between.*", "the link's two members: swapping them is the same link; other names are refused (bad_input.fed_link_loop, routes in highways_test)", always},
    {"failures.classes.*.source", "free text naming where the class's rate comes from", always},
    {"workload.classes.*.tenant", "a label outside a federation (pins refer to it)", no_federation},
    {"site_catalog", "a catalog file: the values it fills are tested as the keys they fill", always},
    {"cluster.catalog", "a catalog file: the values it fills are tested as the keys they fill", always},
    {"network.catalog", "a catalog file: the values it fills are tested as the keys they fill", always},
    {"training_runs.*.reservation.duration", "acts only on a run sent back to the queue (a failure) or not started by its end (Reservation.ADownNodeIsReplacedAndAShortfallWaits)", always},
    {"workload.path", "the trace file: its jobs are tested through the workload's other keys", always},
    // A scenario of costs alone (an empty trace): nothing runs, so what shapes jobs changes nothing.
    {"workload.scale", "no jobs", no_jobs},
    {"workload.gpus_per_processor", "no jobs", no_jobs},
    {"workload.mfu", "no jobs", no_jobs},
    {"scheduler.policy", "no jobs", no_jobs},
    {"scheduler.placement", "no jobs", no_jobs},
    {"cluster.active_power_factor", "no jobs: it scales busy power only", no_jobs},
    {"cluster.node_type", "no jobs, and every value it fills (powers, price) is given", no_jobs},
};

// Sets that put a scenario where a key acts, used when another value changes nothing without them.
std::vector<std::string> acting_sets(const std::string& last, const std::string& pattern, const std::string& path, const Facts& f) {
  if (pattern.rfind("facility.cooling.", 0) == 0 && last != "free_cooling_below_c")
    return {"facility.cooling.free_cooling_below_c=-30"};  // cooling above free-cooling only
  // Pods are what the cap switches off.
  if (last == "power_cap_action" || last == "switch_off_idle" || last == "switch_interval" || last == "throttle_power_exponent" ||
      last == "pods") {
    const double cap_mw = 0.5 * f.summary["power"]["facility_peak_mw"].get<double>();
    return {"facility.cap_at_grid_limit=false", "facility.power_cap=\"" + std::to_string(cap_mw) + " MW\"", "workload.scale=3"};
  }
  if (last == "policy" || last == "dispatch") return {"workload.scale=4"};  // a queue
  if (last == "requeue") return {"workload.scale=4", "failures.spare_nodes=0", "horizon=\"20 d\""};  // interrupted jobs wait in a queue
  // Failures at catalog rates are rare on a small cluster over 2 days: a month shows their repairs (a large
  // cluster has enough in 2 days).
  if ((pattern.rfind("failures.", 0) == 0 || pattern.find(".checkpoint.") != std::string::npos) && f.summary.contains("failures") &&
      f.summary["failures"]["count"].get<long long>() < 20)
    return {"horizon=\"30 d\""};
  // A fabric with room to change its shape: leaves and spines of 16 ports, 3 tiers.
  if (last == "nodes_per_leaf" || last == "leaves_per_pod" || last == "leaf_oversubscription")
    return {"network.switch_radix=16", "network.spine_radix=16", "network.core_radix=16", "network.tiers=3"};
  // A class's communication shows only in jobs that span scale-up domains and end within the run: hour-long
  // jobs of two nodes, communicating after their computation (for `overlap` itself, at line rate).
  if (pattern.rfind("workload.classes.*.communication.", 0) == 0) {
    const std::string cls = path.substr(0, path.find(".communication."));
    std::vector<std::string> out = {cls + ".sizes={\"gpus\": [16]}", cls + ".durations={\"distribution\": \"constant\", \"value\": \"1 h\"}"};
    const json& c = f.resolved["workload"]["classes"][std::stoul(cls.substr(cls.rfind('.') + 1))];
    if (last != "overlap") out.push_back(cls + ".communication.overlap=false");
    else if (c["communication"]["profile"] == "rate") out.push_back(cls + ".communication.traffic_per_gpu=\"400 Gbps\"");
    return out;
  }
  // A trace's: line-rate traffic through leaves oversubscribed 8:1 makes its jobs bound by communication.
  if (last == "step_time")
    return {path.substr(0, path.rfind('.')) + ".traffic_per_gpu=\"400 Gbps\"", "network.leaf_oversubscription=8"};
  // A queue behind long jobs whose estimated ends fall inside the run.
  if (last == "estimate_factor") return {"workload.scale=4", "horizon=\"20 d\""};
  // A lifetime ends, and a rare size is drawn, only over a longer run: 60 days.
  if (last == "lifetime" || pattern.rfind("workload.classes.*.sizes.gpus.", 0) == 0) return {"horizon=\"60 d\""};
  return {};
}

// Strings that are references into a catalog: the other values worth trying.
const std::map<std::string, std::vector<std::string>> kStringAlternatives = {
    {"site", {"kr-ulsan", "kr-capital-region", "kr-jeonnam-haenam"}},
    {"node_type", {"h200-sxm-8", "h100-sxm-8", "b200-8"}},
    {"member", {"haenam", "ulsan", "capital"}},
    {"data_site", {"a", "b", "haenam", "ulsan", "capital"}},
    {"tenant", {"universities", "industry", "other"}},
    {"currency", {"USD", "KRW"}},
    {"design_it_power", {"grid", "nameplate", "1 MW", "100 MW"}},
    {"switch", {"ndr-64x400g", "spectrum4-128x400g", "q3400-144x800g"}},
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void strip_volatile(json& j) {
  if (j.is_object()) {
    j.erase("scenario_sha256");
    for (auto& [k, v] : j.items()) strip_volatile(v);
  } else if (j.is_array()) {
    for (auto& v : j) strip_volatile(v);
  }
}

// What a run computed: every output file except the run's record and the resolved scenario (which
// always records the changed value), with the scenario's hash removed from summaries.
std::map<std::string, std::string> outputs(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name == "run.json" || name == "scenario.resolved.json") continue;
    std::string text = slurp(e.path());
    if (name == "summary.json") {
      json j = json::parse(text);
      strip_volatile(j);
      text = j.dump();
    }
    out[fs::relative(e.path(), dir).string()] = text;
  }
  return out;
}

struct Run {
  int rc = -1;
  std::string err;
};

struct Context {
  std::string capsim, scenario;
  fs::path work;
  std::vector<std::string> sets = {"horizon=\"2 d\"", "warmup=\"0.5 d\""};
  int runs = 0;

  Run run(const std::vector<std::string>& extra, const fs::path& out) {
    fs::remove_all(out);
    std::string cmd = quote(capsim) + " run " + quote(scenario) + " --quiet --out " + quote(out.string());
    for (const auto& s : sets) cmd += " --set " + quote(s);
    for (const auto& s : extra) cmd += " --set " + quote(s);
    const fs::path err = work / "stderr.txt";
    cmd += " >/dev/null 2>" + quote(err.string());
    ++runs;
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(err)};
  }
};

struct Leaf {
  std::string path;     // dotted, as --set takes it
  std::string pattern;  // the same with array indices as `*`
  const Param* spec;
  json value;  // null when the key is absent from the resolved scenario
};

void collect(const Param& spec, const json& doc, const std::string& path, const std::string& pattern, std::vector<Leaf>& out);

void collect_fields(const std::vector<Param>& fields, const json& obj, const std::string& path, const std::string& pattern,
                    std::vector<Leaf>& out) {
  for (const Param& f : fields) {
    const std::string p = path.empty() ? f.name : path + "." + f.name;
    const std::string q = pattern.empty() ? f.name : pattern + "." + f.name;
    if (obj.contains(f.name))
      collect(f, obj[f.name], p, q, out);
    else
      out.push_back({p, q, &f, json()});
  }
}

void collect(const Param& spec, const json& doc, const std::string& path, const std::string& pattern, std::vector<Leaf>& out) {
  if (spec.kind == Kind::object && !spec.free_form) {
    collect_fields(spec.fields, doc, path, pattern, out);
    if (!spec.discriminator.empty() && doc.contains(spec.discriminator)) {
      auto v = spec.variants.find(doc[spec.discriminator].get<std::string>());
      if (v != spec.variants.end()) collect_fields(v->second, doc, path, pattern, out);
    }
  } else if (spec.kind == Kind::array && doc.is_array()) {
    for (std::size_t i = 0; i < doc.size(); ++i)
      collect(*spec.items, doc[i], path + "." + std::to_string(i), pattern + ".*", out);
  } else {
    out.push_back({path, pattern, &spec, doc});
  }
}

bool in_range(const Param& p, double v) {
  if (p.min && (v < *p.min || (p.min_exclusive && v == *p.min))) return false;
  if (p.max && v > *p.max) return false;
  return true;
}

std::vector<double> numeric_alternatives(const Param& p, const json& current, double now) {
  std::vector<double> tries;
  if (!current.is_null()) {
    if (p.kind == Kind::integer)
      tries = {now + 1, now * 2, now - 1};
    else if (now != 0)
      tries = {now * 1.5, now * 0.5, now * 0.9, now - 30, now * 2};  // thresholds such as temperatures; link speeds
    else
      tries = {0.5, 0.1, 1.0};
  } else {
    // Absent and optional: a ladder of magnitudes, since the value filled in its place is not known here.
    for (double m : {1e-2, 0.1, 0.5, 1.0, 2.0, 1e3, 1e5, 3e5, 1e6, 3e6, 1e7, 3e7, 1e8}) tries.push_back(m);
  }
  std::vector<double> ok;
  for (double v : tries) {
    if (p.kind == Kind::integer) v = std::round(v);
    if (in_range(p, v) && v != now && std::find(ok.begin(), ok.end(), v) == ok.end()) ok.push_back(v);
  }
  return ok;
}

std::string shifted_date(const std::string& text, long long by_s) {
  const auto epoch = capsim::params::parse_iso8601(text);
  const auto offset = capsim::params::parse_iso8601_offset(text);
  if (!epoch || !offset) return "";
  const std::time_t local = static_cast<std::time_t>(*epoch + by_s + *offset);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  const int off = std::abs(*offset) / 60;
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", *offset < 0 ? '-' : '+', off / 60, off % 60);
  return std::string(buf) + zone;
}

std::vector<json> alternatives(const Leaf& leaf) {
  const Param& p = *leaf.spec;
  std::vector<json> out;
  switch (p.kind) {
    case Kind::boolean:
      out.push_back(leaf.value.is_null() ? json(true) : json(!leaf.value.get<bool>()));
      break;
    case Kind::integer:
    case Kind::number: {
      const double now = leaf.value.is_number() ? leaf.value.get<double>() : NAN;
      for (double v : numeric_alternatives(p, leaf.value, now))
        out.push_back(p.kind == Kind::integer ? json(static_cast<long long>(v)) : json(v));
      break;
    }
    case Kind::quantity: {
      double now = NAN;
      if (leaf.value.is_string()) now = capsim::units::parse(leaf.value.get<std::string>(), p.dim).value;
      for (double v : numeric_alternatives(p, leaf.value, now)) out.push_back(capsim::units::format(v, p.dim));
      break;
    }
    case Kind::datetime:
      if (leaf.value.is_string())
        for (long long d : {86400LL, -86400LL, 30 * 86400LL}) out.push_back(shifted_date(leaf.value.get<std::string>(), d));
      break;
    case Kind::string: {
      std::vector<std::string> pool = p.choices;
      const std::string last = leaf.path.substr(leaf.path.rfind('.') + 1);
      if (pool.empty())
        if (auto a = kStringAlternatives.find(last); a != kStringAlternatives.end()) pool = a->second;
      for (const auto& s : pool)
        if (!leaf.value.is_string() || s != leaf.value.get<std::string>()) out.push_back(s);
      // An amount with its currency ("317000 USD"): the same currency, another amount.
      if (pool.empty() && leaf.value.is_string()) {
        const std::string v = leaf.value.get<std::string>();
        std::size_t used = 0;
        double amount = 0;
        try {
          amount = std::stod(v, &used);
        } catch (const std::exception&) {
          break;
        }
        for (double f : {1.5, 0.5}) {
          std::ostringstream o;
          o << (amount == 0 ? f : amount * f) << v.substr(used);
          out.push_back(o.str());
        }
      }
      break;
    }
    case Kind::object:
      if (leaf.value.is_null() && !p.active_when.empty()) out.push_back(json::object());  // to see it rejected
      break;
    default:
      break;
  }
  return out;
}

std::string exception_for(const Leaf& leaf, const Facts& facts) {
  const std::string last = leaf.path.substr(leaf.path.rfind('.') + 1);
  for (const Exception& e : kExceptions)
    if ((e.key == leaf.pattern || e.key == last) && e.applies(facts)) return e.reason;
  return "";
}

struct Verdict {
  std::string kind;  // changes, rejected, refused, warned, exception, absent; or NO-OP, NO ALTERNATIVE
  std::string detail;
  bool failed() const { return kind == "NO-OP" || kind == "NO ALTERNATIVE"; }
};

// Paths of the baseline's warnings about parts it leaves out ("cluster.tranches.0").
std::vector<std::string> left_out_parts(const std::string& err) {
  std::vector<std::string> parts;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("warning: ") == std::string::npos || line.find("left out") == std::string::npos) continue;
    // "capsim: warning: FILE: PATH: what"
    const std::size_t after_file = line.find(": ", line.find("warning: ") + 9);
    if (after_file == std::string::npos) continue;
    const std::string path = line.substr(after_file + 2, line.find(": ", after_file + 2) - after_file - 2);
    parts.push_back(path.substr(0, path.rfind('.')));
  }
  return parts;
}

struct Checker {
  Context& ctx;
  const Facts& facts;
  std::vector<std::string> left_out;
  std::map<std::string, std::map<std::string, std::string>> baselines;  // by the acting sets, joined

  // Whether `set` changes the outputs of the 2-day run, with `acting` applied to both runs.
  bool changes(const std::string& set, const std::vector<std::string>& acting, Run* r_out) {
    std::string key;
    for (const auto& a : acting) key += a + " ";
    if (!baselines.count(key)) baselines[key] = ctx.run(acting, ctx.work / "ctx").rc == 0 ? outputs(ctx.work / "ctx") : decltype(baselines)::mapped_type{};
    auto extra = acting;
    extra.push_back(set);
    const Run r = ctx.run(extra, ctx.work / "alt");
    if (r_out) *r_out = r;
    return r.rc == 0 && outputs(ctx.work / "alt") != baselines[key];
  }

  Verdict check(const Leaf& leaf) {
    if (std::string why = exception_for(leaf, facts); !why.empty()) return {"exception", why};
    for (const auto& part : left_out)
      if (leaf.path.rfind(part + ".", 0) == 0) return {"warned", part + " is left out of the run, with a warning"};
    const auto alts = alternatives(leaf);
    if (alts.empty())
      return leaf.value.is_null() ? Verdict{"absent", "an optional part this scenario leaves out"} : Verdict{"NO ALTERNATIVE", ""};
    std::string detail, ran;
    for (const json& alt : alts) {
      const std::string set = leaf.path + "=" + alt.dump();
      Run r;
      const bool changed = changes(set, {}, &r);
      // A warning about the key itself comes first: it also changes the summary's `warnings`.
      if (r.rc == 0 && r.err.find("warning: ") != std::string::npos && r.err.find(": " + leaf.path + ": ") != std::string::npos)
        return {"warned", r.err.substr(r.err.find(leaf.path), r.err.find('\n', r.err.find(leaf.path)) - r.err.find(leaf.path))};
      if (changed) return {"changes", alt.dump()};
      if (r.rc == 2 && r.err.find(leaf.path + ": has no effect with") != std::string::npos) return {"rejected", "in this mode"};
      if (r.rc == 0 && ran.empty()) ran = set;
      detail += (detail.empty() ? "" : "; ") + alt.dump() + (r.rc == 0 ? " changed nothing" : " was refused: " + r.err.substr(0, r.err.find('\n')));
    }
    // Every other value refused: no value is accepted and ignored.
    if (ran.empty()) return {"refused", detail};
    const std::string last = leaf.path.substr(leaf.path.rfind('.') + 1);
    const auto acting = acting_sets(last, leaf.pattern, leaf.path, facts);
    if (!acting.empty() && changes(ran, acting, nullptr)) {
      std::string with;
      for (const auto& a : acting) with += (with.empty() ? "" : ", ") + a;
      return {"changes", ran.substr(ran.find('=') + 1) + " with " + with};
    }
    return {"NO-OP", detail};
  }
};

}  // namespace

int main(int argc, char** argv) {
  const bool coverage = argc > 1 && std::string(argv[1]) == "--each-part-somewhere";
  if (coverage) {
    --argc;
    ++argv;
  }
  if (argc < 4) {
    std::cerr << "usage: capsim_every_key [--each-part-somewhere] CAPSIM WORKDIR SCENARIO...\n";
    return 2;
  }
  std::map<std::string, std::vector<std::string>> tested_in;  // key pattern -> scenarios where it was tested
  std::vector<std::string> failures;
  int runs = 0;
  for (int a = 3; a < argc; ++a) {
    Context ctx{argv[1], argv[a], fs::path(argv[2]) / std::to_string(a)};
    fs::create_directories(ctx.work);
    const Run base = ctx.run({}, ctx.work / "base");
    if (base.rc != 0) {
      std::cerr << ctx.scenario << ": the 2-day baseline run failed (exit " << base.rc << "):\n" << base.err;
      return 1;
    }
    const json resolved = json::parse(slurp(ctx.work / "base" / "scenario.resolved.json"));
    std::vector<Leaf> leaves;
    collect(capsim::scenario_spec(), resolved, "", "", leaves);
    const json written = json::parse(slurp(ctx.scenario));
    const json summary = json::parse(slurp(ctx.work / "base" / "summary.json"));
    const Facts facts{resolved, written, summary};
    Checker checker{ctx, facts, left_out_parts(base.err), {}};
    std::map<std::string, int> tally;
    std::cout << "== " << ctx.scenario << "\n";
    for (const Leaf& leaf : leaves) {
      const Verdict v = checker.check(leaf);
      ++tally[v.kind];
      if (v.failed()) failures.push_back(ctx.scenario + ": " + leaf.path);
      if (v.kind != "absent") tested_in[leaf.pattern].push_back(ctx.scenario);
      tested_in.try_emplace(leaf.pattern);
      std::cout << leaf.path << ": " << v.kind << (v.detail.empty() ? "" : ": " + v.detail) << "\n";
    }
    std::cout << leaves.size() << " keys in " << ctx.runs << " runs:";
    for (const auto& [k, n] : tally) std::cout << " " << n << " " << k << ";";
    std::cout << "\n\n";
    runs += ctx.runs;
    fs::remove_all(ctx.work);
  }
  // A part every scenario leaves out is tested nowhere (a part is tested where any key under it is).
  for (const auto& [pattern, where] : tested_in) {
    if (!coverage) break;
    bool tested = !where.empty();
    for (auto it = tested_in.upper_bound(pattern); !tested && it != tested_in.end() && it->first.rfind(pattern + ".", 0) == 0; ++it)
      tested = !it->second.empty();
    if (!tested) failures.push_back("(every scenario): " + pattern + " is absent from all of them");
  }
  std::cout << runs << " runs in all\n";
  if (!failures.empty()) {
    std::cout << failures.size() << " keys are silent no-ops, could not be given another valid value, or were never tested:\n";
    for (const auto& f : failures) std::cout << "  " << f << "\n";
    return 1;
  }
  return 0;
}
