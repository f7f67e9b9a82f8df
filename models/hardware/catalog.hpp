#pragma once
// The hardware catalog: accelerators and node types with sourced figures (scenarios/catalog/hardware.json).
// The default catalog is compiled into the binary; a scenario may name another file.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace capsim {

struct AcceleratorSpec {
  std::string key;
  std::string name;
  double bf16_dense_flops = 0;  // FLOP/s, dense (no sparsity)
  std::optional<double> fp8_dense_flops;
  double tdp_w = 0;
  double memory_gb = 0;
  double memory_bandwidth_tbps = 0;
  bool estimate = false;
};

struct NodeTypeSpec {
  std::string key;
  std::string name;
  std::string accelerator;
  int gpus_per_node = 0;
  double idle_power_w = 0;
  double peak_power_w = 0;
  double active_power_factor = 1;  // busy draw above idle, as a share of (peak - idle); absent: the rating
  bool estimate = false;
};

struct Catalog {
  std::string origin;  // file name, or "built-in catalog"
  std::map<std::string, AcceleratorSpec> accelerators;
  std::map<std::string, NodeTypeSpec> node_types;

  // Throws InputError naming the catalog and suggesting a near key.
  const NodeTypeSpec& node_type(const std::string& key, const std::string& where) const;
  const AcceleratorSpec& accelerator(const std::string& key, const std::string& where) const;
};

std::string_view builtin_catalog_json();
Catalog load_catalog_text(std::string_view text, const std::string& origin);
const Catalog& builtin_catalog();

}  // namespace capsim
