#pragma once
// A scenario: the typed form of a scenario file (format version 1, docs/scenario.md).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/common/params.hpp"
#include "models/common/sha256.hpp"
#include "models/cost/cost_spec.hpp"
#include "models/federation/dispatch_policy.hpp"
#include "models/failures/failure_spec.hpp"
#include "models/federation/highways.hpp"
#include "models/hardware/cluster.hpp"
#include "models/network/fabric.hpp"
#include "models/network/network_spec.hpp"
#include "models/scheduling/policy_kind.hpp"
#include "models/site/facility_spec.hpp"
#include "models/site/site.hpp"
#include "models/workload/workload_spec.hpp"

namespace capsim {

// Each part is built by the section of the same name (models/scenario/sections.cpp lists them).
struct Scenario {
  std::string file;  // where it was read from
  std::string name;
  std::string start;  // ISO 8601 as written
  long long start_epoch_s = 0;
  int site_utc_offset_s = 0;  // local time at the site (tariff bands, climate, carbon): the site's, else start's
  double horizon_s = 0;
  double warmup_s = 0;
  std::uint64_t seed = 0;
  ClusterSpec cluster;
  double pue = 1.0;
  std::optional<SiteSpec> site;
  FacilitySpec facility;
  CostSpec costs;
  NetworkSpec network;  // network.enabled: the scenario has a `network` section
  FabricLayout fabric;
  FailureSpec failures;  // failures.enabled: the scenario has a `failures` section
  std::variant<SyntheticWorkload, SwfWorkload, GpuTraceWorkload> workload;
  // The trace's class (SWF or a GPU trace), nullptr for a synthetic workload.
  const TraceClass* trace_class() const;
  // Named runs defined by their work (the `training_runs` section); each is a class of its own, after the
  // workload's (Job::class_index = source_classes() + its index).
  std::vector<TrainingRunSpec> training_runs;
  PolicyKind policy = PolicyKind::easy;
  bool topology_placement = false;  // with a network section: scheduler.fabric_placement "topology"
  double timeseries_interval_s = 3600;
  double expected_jobs = 0;  // over the horizon, for the memory estimate (a trace: an upper bound)
  // "FILE: PATH: what": valid input that likely does not do what was meant (docs/errors.md). A federation's
  // include its members'.
  std::vector<std::string> warnings;
  // Catalog figures flagged as estimates that reached this scenario (not overridden by it), in the order of
  // the format: each entry once, with the scenario paths it filled. A federation's are its members'.
  struct EstimateUse {
    std::string catalog;             // "built-in hardware catalog" or the file, as in `inputs`
    std::string entry;               // e.g. "node_types.h200-sxm-8", "sites.kr-ulsan.tariff"
    std::vector<std::string> paths;  // e.g. "cluster.node_peak_power"
  };
  std::vector<EstimateUse> estimates_used;

  // A federation: each member is this scenario with the member's settings (its own site, cluster, facility,
  // costs, scheduler), all sharing the calendar, seed and workload. Empty for one data center.
  std::vector<std::string> member_names;
  std::vector<Scenario> members;
  DispatchPolicy dispatch = DispatchPolicy::least_queued_work;
  std::vector<std::pair<std::string, int>> pins;  // tenant, member index
  std::vector<Highway> highways;                  // federation.links
  // By class: the member holding its input data (-1: none) and the bytes a job moves from there.
  struct ClassData {
    int member = -1;
    double bytes = 0;
  };
  std::vector<ClassData> class_data;  // empty when no class has a data site
  bool federated() const { return !members.empty(); }

  // Classes of the workload itself: the synthetic classes, or 1 for a trace.
  int source_classes() const;
  // The training run that job class `i` is, or nullptr.
  const TrainingRunSpec* run_of_class(int i) const;
  // Model FLOP utilisation of job class `i` (trace jobs form one class).
  double class_mfu(int i) const;
  // Its communication profile, or nullptr without a network section.
  const CommProfile* class_comm(int i) const;
  // Its checkpointing, or nullptr (an interrupted job starts over; always without a failures section).
  const CheckpointSpec* class_checkpoint(int i) const;

  // Every file the results depend on, by its path as resolved, and the built-in catalogs used ("built-in
  // hardware catalog"): part of `resolved` (`inputs`), so of the hash, and checked when a file records them.
  std::map<std::string, FileDigest> inputs;

  nlohmann::json resolved;  // every default filled, inputs recorded; running it gives the same results
  std::string sha256;       // of resolved.dump() (sorted keys, no whitespace)
};

// The declarations of every scenario parameter.
const params::Param& scenario_spec();

struct Override {
  std::string path;   // dotted, e.g. "cluster.nodes"
  std::string value;  // parsed as JSON when it parses, else taken as a string
};

// Reads, validates and resolves a scenario file. Throws InputError (exit 2) on any bad input and
// TooLargeError (exit 3) when the run would not fit this machine.
Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides = {});
// `known_inputs`: digests already taken of files this document also reads (a federation's members).
Scenario load_scenario_json(const nlohmann::json& doc, const std::string& file, const std::string& base_dir,
                            const std::vector<Override>& overrides = {},
                            const std::map<std::string, FileDigest>* known_inputs = nullptr);

// Parses "PATH=VALUE" as given to --set.
Override parse_override(const std::string& arg);

}  // namespace capsim
