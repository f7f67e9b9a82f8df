// The `training_runs` section: named runs defined by their work, each one job of its own class
// (docs/training.md).
#include "models/scenario/section.hpp"

#include <algorithm>
#include <cmath>

#include "models/common/errors.hpp"
#include "models/failures/checkpoint_param.hpp"
#include "models/network/communication.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

namespace {

// Llama 3 405B's pre-training (Dubey et al. 2024, arXiv 2407.21783, Table 4): BF16 MFU 43 % on 8,192 H100
// and 41 % on 16,384 (8K sequences; 38 % with 131K-token context parallelism).
json llama3_mfu_curve() {
  return json::array({{{"gpus", 8192}, {"mfu", 0.43}}, {{"gpus", 16384}, {"mfu", 0.41}}});
}

Param declare_run() {
  Param name = string("name", json(), "Run name, used in outputs (its class: it must differ from the workload's class names).");
  name.name_pattern = "a-z0-9_-";
  Param submit = datetime("submit", json(), "When the run is submitted (ISO 8601, on or after `start`).");
  Param flop = number("flop", json(), "The run's work in FLOP (give it, or `parameters` and `tokens`).");
  range(flop, 0.0, 1e35, true);
  flop.optional = true;
  flop.default_note = "6 x parameters x tokens";
  Param params_n = number("parameters", json(), "Model parameters N: with `tokens` D, the work is 6 N D FLOP (dense transformer training).");
  range(params_n, 0.0, 1e18, true);
  params_n.optional = true;
  params_n.default_note = "none";
  Param tokens = number("tokens", json(), "Training tokens D.");
  range(tokens, 0.0, 1e18, true);
  tokens.optional = true;
  tokens.default_note = "none";
  Param gpus = integer("gpus", json(), "GPUs the run holds from its start to its end.");
  range(gpus, 1, 1e8);
  Param mfu = number("mfu", json(), "Model FLOP utilisation of the run on the reference accelerator.");
  range(mfu, 0.0, 1.0, true);
  mfu.optional = true;
  mfu.default_note = "from `mfu_curve` at `gpus`";
  Param pt_gpus = integer("gpus", json(), "Run size in GPUs.");
  range(pt_gpus, 1, 1e8);
  Param pt_mfu = number("mfu", json(), "Its model FLOP utilisation.");
  range(pt_mfu, 0.0, 1.0, true);
  Param curve = array("mfu_curve", object("point", {pt_gpus, pt_mfu}, "A published run's size and utilisation."),
                      "Utilisation by run size, piecewise linear in log2(gpus) through the points (sizes rising): held at the first point below it, the last segment's slope continued above the last point (never below 0.05). Default: Llama 3 405B's (arXiv 2407.21783, Table 4).");
  curve.default_value = llama3_mfu_curve();
  curve.min_items = 1;
  Param est = number("estimate_factor", 1.1, "Requested time = run time x this factor; EASY plans with the requested time.");
  range(est, 1.0, 1000.0);
  Param r_start = datetime("start", json(), "When the reserved GPUs are the run's: it starts then (on or after `submit`).");
  r_start.optional = true;
  r_start.default_note = "the run's `submit`";
  Param r_dur = quantity("duration", Dimension::time, json(), "How long the GPUs stay reserved: a run sent back to the queue by a failure meanwhile restarts on them.");
  range(r_dur, 0.0, 10 * 365 * kDay, true);
  r_dur.optional = true;
  r_dur.default_note = "the run's requested time (its run time x `estimate_factor`)";
  Param resv = object("reservation", {r_start, r_dur},
                      "A block of GPUs for the run (docs/training.md): fixed when the run is submitted; until `start` only jobs planned to end by then use them; jobs still on them at `start` are interrupted and requeued.");
  resv.optional = true;
  resv.default_note = "none: the run queues as any job";
  return object("run", {name, submit, flop, params_n, tokens, gpus, mfu, curve, est, resv, communication_param(), checkpoint_param()},
                "A training run.");
}

std::vector<Param> declare() {
  Param runs = array("training_runs", declare_run(), "Named runs defined by their work (docs/training.md), each submitted once, next to the workload.");
  runs.optional = true;
  runs.default_note = "none";
  runs.max_items = 64;
  return {runs};
}

// The utilisation at `gpus` on the curve at `p` (checked: sizes rising).
double mfu_at(SectionContext& ctx, const json& curve, int gpus, const std::string& p) {
  std::vector<std::pair<double, double>> pts;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    pts.emplace_back(std::log2(curve[i]["gpus"].get<double>()), curve[i]["mfu"].get<double>());
    if (i > 0 && pts[i].first <= pts[i - 1].first)
      throw InputError(ctx.where(p + "." + std::to_string(i) + ".gpus") + ": expected sizes rising from point to point, found " +
                       std::to_string(curve[i]["gpus"].get<long long>()) + " after " + std::to_string(curve[i - 1]["gpus"].get<long long>()));
  }
  const double x = std::log2(static_cast<double>(gpus));
  if (pts.size() == 1 || x <= pts.front().first) return pts.front().second;
  std::size_t k = 1;
  while (k + 1 < pts.size() && x > pts[k].first) ++k;
  const auto [x0, y0] = pts[k - 1];
  const auto [x1, y1] = pts[k];
  return std::max(0.05, std::min(1.0, y0 + (y1 - y0) * (x - x0) / (x1 - x0)));
}

void build(SectionContext& ctx) {
  Scenario& s = ctx.s;
  json& r = ctx.r;
  if (!r.contains("training_runs")) return;
  std::vector<std::string> names;
  if (const auto* syn = std::get_if<SyntheticWorkload>(&s.workload))
    for (const JobClassSpec& c : syn->classes) names.push_back(c.name);
  for (std::size_t i = 0; i < r["training_runs"].size(); ++i) {
    json& jr = r["training_runs"][i];
    const std::string p = "training_runs." + std::to_string(i);
    TrainingRunSpec t;
    t.name = jr["name"];
    if (std::find(names.begin(), names.end(), t.name) != names.end())
      throw InputError(ctx.where(p + ".name") + ": expected a name no workload class or other run has, found a second \"" + t.name + "\"");
    names.push_back(t.name);
    const long long submit = *parse_iso8601(jr["submit"].get<std::string>());
    t.submit_s = static_cast<double>(submit - s.start_epoch_s);
    if (t.submit_s < 0)
      throw InputError(ctx.where(p + ".submit") + ": expected a date on or after `start` (" + s.start + "), found " + jr["submit"].get<std::string>());
    if (t.submit_s >= s.horizon_s) ctx.warn(p, "is submitted after the horizon: it is left out of the run");
    const bool by_flop = jr.contains("flop"), by_model = jr.contains("parameters") || jr.contains("tokens");
    if (by_flop == by_model)
      throw InputError(ctx.where(p) + ": expected the work as `flop`, or as `parameters` and `tokens`, found " + (by_flop ? "both" : "neither"));
    if (by_model && !(jr.contains("parameters") && jr.contains("tokens")))
      throw InputError(ctx.where(p + (jr.contains("parameters") ? ".tokens" : ".parameters")) + ": missing required key, needed with `" +
                       (jr.contains("parameters") ? "parameters" : "tokens") + "` (the work is 6 x parameters x tokens)");
    t.flop = by_flop ? jr["flop"].get<double>() : 6 * jr["parameters"].get<double>() * jr["tokens"].get<double>();
    jr["flop"] = t.flop;
    t.gpus = jr["gpus"];
    if (s.cluster.gpus_per_node > 0 && (t.gpus + s.cluster.gpus_per_node - 1) / s.cluster.gpus_per_node > s.cluster.nodes)
      ctx.warn(p + ".gpus", "the run (" + std::to_string(t.gpus) + " GPUs) exceeds the cluster's " + std::to_string(s.cluster.gpus()) + " GPUs: it is rejected");
    if (ctx.doc["training_runs"][i].contains("mfu") && ctx.doc["training_runs"][i].contains("mfu_curve"))
      throw InputError(ctx.where(p + ".mfu_curve") + ": expected `mfu` or `mfu_curve`, found both");
    t.mfu = jr.contains("mfu") ? jr["mfu"].get<double>() : mfu_at(ctx, jr["mfu_curve"], t.gpus, p + ".mfu_curve");
    jr["mfu"] = t.mfu;
    t.run_s = t.flop / (t.gpus * s.cluster.gpu_bf16_flops * t.mfu);
    t.estimate_factor = jr["estimate_factor"];
    if (jr.contains("reservation")) {
      json& jv = jr["reservation"];
      if (!jv.contains("start")) jv["start"] = jr["submit"];
      TrainingRunSpec::Reservation rv;
      rv.start_s = static_cast<double>(*parse_iso8601(jv["start"].get<std::string>()) - s.start_epoch_s);
      if (rv.start_s < t.submit_s)
        throw InputError(ctx.where(p + ".reservation.start") + ": expected a date on or after the run's `submit` (" + jr["submit"].get<std::string>() + "), found " + jv["start"].get<std::string>());
      if (!jv.contains("duration")) jv["duration"] = std::to_string(t.run_s * t.estimate_factor) + " s";
      rv.duration_s = quantity_value(jv["duration"], Dimension::time);
      t.reservation = rv;
    }
    t.comm = read_communication(ctx, jr, p);
    t.checkpoint = read_checkpoint(ctx, jr, p);
    s.training_runs.push_back(std::move(t));
  }
}

}  // namespace

Section training_runs_section() { return {declare, build}; }

}  // namespace capsim
