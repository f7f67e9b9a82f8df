#include "models/network/communication.hpp"

#include <algorithm>

#include "models/common/errors.hpp"
#include "models/common/units.hpp"
#include "models/scenario/section.hpp"

namespace capsim {
using nlohmann::json;
using namespace params;
using units::Dimension;

double CommProfile::bytes_per_gpu_s(int gpus) const {
  if (!from_model) return gpu_bytes_per_s;
  // A replica's gradients are sharded over its G / d GPUs; each GPU all-reduces its shard with the d - 1
  // other replicas' (ring: 2 (d - 1) / d of the shard sent). A job smaller than d GPUs has d = G.
  const double d = std::min(data_parallel, std::max(gpus, 1));
  if (d <= 1) return 0;
  const double shard = parameters * bytes_per_parameter * d / std::max(gpus, 1);
  return 2 * (d - 1) / d * shard / step_s;
}

params::Param communication_param() {
  Param profile = string("profile", "rate", "\"rate\": the traffic per GPU is given; \"model\": it follows from the model's size and data parallelism (a ring all-reduce of the gradients each step).");
  choices(profile, {"rate", "model"});
  // The defaults are Llama 3 405B's pre-training (arXiv 2407.21783, Table 4: TP 8, PP 16, DP 128 on 16,384
  // H100, 16M-token batches at 400 TFLOP/s per GPU): 6 x 405e9 x 16.8e6 FLOP / (16,384 x 400e12) = 6.22 s
  // a step; each GPU all-reduces its 405e9 x 2 B / 128 = 6.33 GB of gradients, 2 x 127/128 x 6.33 GB = 12.6 GB
  // sent a step, 2.02 GB/s (16.2 Gbps). Pipeline activations (about 0.2 GB/s more) are left out.
  Param rate = quantity("traffic_per_gpu", Dimension::data_rate, "16.2 Gbps",
                        "Data each GPU sends across the fabric per second of work on the reference accelerator, when its job spans scale-up domains.");
  range(rate, 0.0, 1e15);
  Param params_ = number("parameters", json(), "Model parameters.");
  range(params_, 0.0, 1e16, true);
  Param dp = integer("data_parallel", json(), "Data-parallel replicas the gradients are all-reduced over (at most the job's GPUs).");
  range(dp, 1, 1e8);
  Param bpp = number("bytes_per_parameter", 2.0, "Bytes per gradient value (2: BF16).");
  range(bpp, 0.0, 64.0, true);
  Param step = quantity("step_time", Dimension::time, "6.22 s", "One training step on the reference accelerator; each step pays 2 (domains - 1) path latencies (ring all-reduce).");
  range(step, 0.0, 86400.0, true);
  Param overlap = boolean("overlap", true, "Communication overlaps computation (a job takes the longer of the two); false: it follows the computation (the sum).");
  Param comm = object("communication", {profile, step, overlap},
                      "What the class's jobs send over the fabric when they span scale-up domains (docs/network.md). Only with a `network` section.");
  comm.discriminator = "profile";
  comm.variants["rate"] = {rate};
  comm.variants["model"] = {params_, dp, bpp};
  comm.optional = true;
  comm.default_note = "with a network section, the default profile (Llama 3 405B's)";
  return comm;
}

CommProfile read_comm_profile(const json& c) {
  CommProfile p;
  p.from_model = c["profile"] == "model";
  if (p.from_model) {
    p.parameters = c["parameters"];
    p.data_parallel = c["data_parallel"];
    p.bytes_per_parameter = c["bytes_per_parameter"];
  } else {
    p.gpu_bytes_per_s = quantity_value(c["traffic_per_gpu"], Dimension::data_rate) / 8;
  }
  p.step_s = quantity_value(c["step_time"], Dimension::time);
  p.overlap = c["overlap"];
  return p;
}

RingPlan plan_ring(const std::vector<GroupShare>& shares, int domains, const CommProfile& p, int job_gpus, double work_s,
                   int gpus_per_node, const std::vector<int>& group_pod, double hop_latency_s) {
  RingPlan plan;
  const double per_gpu = p.bytes_per_gpu_s(job_gpus) * work_s;
  if (domains < 2 || per_gpu <= 0 || shares.empty()) return plan;
  plan.communicates = true;
  const std::size_t k = shares.size();
  int hops = 2;
  if (k == 1) {
    plan.local_s = per_gpu / shares.front().nic_bytes_per_s;
  } else {
    for (std::size_t i = 0; i < k; ++i) {
      const GroupShare& a = shares[i];
      const GroupShare& b = shares[(i + 1) % k];
      hops = std::max(hops, group_pod[a.group] == group_pod[b.group] ? 4 : 6);
      // A ring of two groups has both directions.
      plan.flows.push_back({a.group, b.group, a.gpus * per_gpu, (a.gpus + gpus_per_node - 1) / gpus_per_node});
    }
  }
  plan.latency_s = work_s / p.step_s * 2 * (domains - 1) * hops * hop_latency_s;
  return plan;
}

// The communication profile at `p` in the resolved document (`at`): required to be absent without a network
// section, filled with the defaults when left out with one.
std::optional<CommProfile> read_communication(SectionContext& ctx, json& at, const std::string& p) {
  if (!ctx.s.network.enabled) {
    if (at.contains("communication"))
      throw InputError(ctx.where(p + ".communication") + ": applies only with a `network` section (docs/network.md); remove it or add one");
    return std::nullopt;
  }
  if (!at.contains("communication")) at["communication"] = resolve(json::object(), communication_param(), ctx.file);
  return read_comm_profile(at["communication"]);
}

}  // namespace capsim
