#pragma once
// A scenario: the typed form of a scenario file (format version 1, docs/scenario.md).
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/cost/cost.hpp"
#include "models/common/params.hpp"
#include "models/site/site.hpp"

namespace capsim {

enum class PolicyKind { fcfs, easy };
enum class DispatchPolicy { least_queued_work, cheapest_power, lowest_carbon };

// Nodes that enter service together: the cluster's own nodes (tranche 0, at start) and each buildout phase.
struct Tranche {
  std::string name, node_type, accelerator;
  int first_node = 0, nodes = 0, pods = 0;
  double arrive_s = 0;                                      // simulated time it enters service
  double retire_s = std::numeric_limits<double>::infinity();  // takes no new jobs from then on
  double idle_w = 0, peak_w = 0;                            // per node
  double bf16_flops = 0;  // per accelerator
  double speed = 1;       // work per second relative to tranche 0's accelerator (BF16 FLOP/s ratio)
  Money node_price;
};

struct ClusterSpec {
  std::string node_type;    // of tranche 0
  std::string accelerator;  // of tranche 0: the reference for work and FLOP
  int nodes = 0;            // over all tranches
  int gpus_per_node = 0;
  int pods = 0;             // over all tranches
  double node_idle_w = 0;   // tranche 0's
  double node_peak_w = 0;
  double gpu_bf16_flops = 0;  // peak dense BF16 FLOP/s of the reference accelerator
  std::vector<Tranche> tranches;
  long long gpus() const { return static_cast<long long>(nodes) * gpus_per_node; }
  bool phased() const { return tranches.size() > 1 || tranches[0].retire_s < std::numeric_limits<double>::infinity(); }
};

struct SizeDist {
  std::vector<int> gpus;  // empirical and powers of two: the sizes drawn with cumulative_weights
  std::vector<double> cumulative_weights;
  double lognormal_median = 0, lognormal_sigma = 0;  // lognormal: ceil(draw), at most lognormal_max
  int lognormal_max = 0;
};

struct DurationDist {
  enum class Kind { lognormal, exponential, constant, empirical } kind = Kind::constant;
  double median_s = 0, sigma = 0;  // lognormal
  double mean_s = 0;               // exponential
  double value_s = 0;              // constant
  std::vector<double> values_s, cumulative_weights;  // empirical
};

struct JobClassSpec {
  std::string name;
  double share = 1.0;
  SizeDist sizes;
  DurationDist durations;
  double estimate_factor = 1.0;
  double mfu = 0.4;
  std::vector<double> hourly;   // 24 rate factors (mean 1) by local hour, empty if flat
  std::vector<double> weekday;  // 7 rate factors (mean 1), Monday first, empty if flat
  std::string tenant;           // who submits the class's jobs (default: the class name)
};

struct SyntheticWorkload {
  double mean_interarrival_s = 0;
  double growth_per_year = 0;
  long long start_epoch_s = 0;  // `start` as Unix time
  int utc_offset_s = 0;         // of `start`, for the local hour and weekday of profiles
  std::vector<JobClassSpec> classes;
};

struct SwfWorkload {
  std::string path;  // absolute
  double gpus_per_processor = 1.0;
  double mfu = 0.4;
};

struct FacilitySpec {
  bool climate = false;  // PUE from the site's climate (else constant `Scenario::pue`)
  CoolingModel cooling;
  double diurnal_half_range_c = 4;
  double it_overhead_share = 0;  // network and storage power / compute node power
  std::optional<double> wue_l_per_kwh;
  std::optional<double> power_cap_w;  // facility power cap
  double throttle_exponent = 2;       // active power at speed s: s^exponent of full
  bool hold_under_cap = false;        // under a cap, hold jobs in the queue rather than throttle
  bool switch_off_idle = true;        // under a cap, switch idle pods off first
  double switch_interval_s = 900;     // a pod stays on or off at least this long (unless the cap forces it)
};

struct CostSpec {
  std::string currency = "USD";
  ExchangeRates fx;
  Money node_price, network_per_gpu, facility_per_mw, electricity_price, staff_per_mw_year;
  double server_life_y = 5, facility_life_y = 20, maintenance_share = 0.05, discount_rate = 0.07;
};

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
  std::variant<SyntheticWorkload, SwfWorkload> workload;
  PolicyKind policy = PolicyKind::easy;
  double timeseries_interval_s = 3600;

  // A federation: each member is this scenario with the member's settings (its own site, cluster, facility,
  // costs, scheduler), all sharing the calendar, seed and workload. Empty for one data center.
  std::vector<std::string> member_names;
  std::vector<Scenario> members;
  DispatchPolicy dispatch = DispatchPolicy::least_queued_work;
  std::vector<std::pair<std::string, int>> pins;  // tenant, member index
  bool federated() const { return !members.empty(); }

  // Model FLOP utilisation of job class `i` (trace jobs form one class).
  double class_mfu(int i) const;

  nlohmann::json resolved;  // every default filled; running it gives the same results
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
Scenario load_scenario_json(const nlohmann::json& doc, const std::string& file, const std::string& base_dir,
                            const std::vector<Override>& overrides = {});

// Parses "PATH=VALUE" as given to --set.
Override parse_override(const std::string& arg);

}  // namespace capsim
