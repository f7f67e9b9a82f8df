#pragma once
// What a job sends over the fabric when it spans scale-up domains (docs/network.md): a communication
// profile per job class, and the flows of one job's ring over its host groups. Pure arithmetic; the engine
// (sim/) turns the flows into SimGrid comms whose sharing gives the contention.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/params.hpp"

namespace capsim {

struct CommProfile {
  bool from_model = false;
  double gpu_bytes_per_s = 0;      // rate: bytes each GPU sends per reference GPU-second of work
  double parameters = 0;           // model: gradients all-reduced over the data-parallel replicas
  int data_parallel = 1;
  double bytes_per_parameter = 2;
  double step_s = 0;  // one training step on the reference accelerator: counts the latency terms
  bool overlap = true;  // flows run alongside the computation (false: after it)

  // Bytes each GPU of a job of `gpus` GPUs sends across the fabric per reference GPU-second of work.
  // The model's: a ring all-reduce of each GPU's shard of the gradients, 2 (d - 1) / d x P b d / G per step.
  double bytes_per_gpu_s(int gpus) const;
};

// The `communication` key of a job class (or of an SWF workload); applies with a network section only.
params::Param communication_param();
CommProfile read_comm_profile(const nlohmann::json& resolved);
struct SectionContext;
// The profile at `p` (`at` is its parent in the resolved document): refused without a network section,
// filled with the defaults when left out with one.
std::optional<CommProfile> read_communication(SectionContext& ctx, nlohmann::json& at, const std::string& p);

// Where a job runs, host group by host group in its ring order (its placement order).
struct GroupShare {
  int group = 0;    // host group (the engine's pod)
  int gpus = 0;     // the job's busy GPUs there
  double nic_bytes_per_s = 0;  // per GPU, of the group's tranche
};

struct RingFlow {
  int src = 0, dst = 0;  // host groups
  double bytes = 0;
  int nic_nodes = 0;     // the nodes whose NICs send it: the job's GPUs in the source group over GPUs per node, rounded up
};

struct RingPlan {
  bool communicates = false;    // it spans scale-up domains and sends data
  std::vector<RingFlow> flows;  // over the fabric: from each host group to the next, when it spans several
  double local_s = 0;           // inside one host group: its leaf carries the traffic at the NICs' rate, unshared
  double latency_s = 0;         // steps x 2 (domains - 1) x the longest path's latency
};

// The ring of a job of `work_s` reference seconds per GPU over `domains` scale-up domains on `shares`.
// `group_pod` gives each host group's fabric pod; paths are 2 hops inside a group, 4 inside a pod, 6 across.
RingPlan plan_ring(const std::vector<GroupShare>& shares, int domains, const CommProfile& p, int job_gpus, double work_s,
                   int gpus_per_node, const std::vector<int>& group_pod, double hop_latency_s);

}  // namespace capsim
