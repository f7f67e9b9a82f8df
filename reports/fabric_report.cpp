#include "reports/fabric_report.hpp"

#include "reports/stats.hpp"
#include "reports/summary.hpp"

#include <algorithm>
#include <cstdio>

namespace capsim {
using nlohmann::json;

namespace {

// The most the two halves of the nodes (build order, as measure_fabric splits them) could exchange: the
// smaller half's NIC bandwidth.
double nic_half_bps(const Scenario& s) {
  const long long mid = s.cluster.nodes / 2;
  double first = 0, second = 0;
  long long node = 0;
  for (std::size_t t = 0; t < s.cluster.tranches.size(); ++t) {
    const long long n = s.cluster.tranches[t].nodes, in_first = std::max(0LL, std::min(n, mid - node));
    const double per_node = s.cluster.gpus_per_node * s.network.nic_bps[t];
    first += in_first * per_node;
    second += (n - in_first) * per_node;
    node += n;
  }
  return std::min(first, second);
}

json parts_json(const FabricParts& p) {
  return {{"capex_usd", {{"switches", p.switches_usd}, {"links", p.links_usd}, {"total", p.usd()}}},
          {"power_kw", {{"switches", p.switches_w / 1e3}, {"transceivers", p.transceivers_w / 1e3}, {"total", p.power_w() / 1e3}}}};
}

}  // namespace

json fabric_json(const Scenario& s, const FabricMeasures* m) {
  const NetworkSpec& net = s.network;
  const FabricLayout& f = s.fabric;
  const double gpus = static_cast<double>(s.cluster.gpus());
  json j = {{"fabric", net.kind == FabricKind::clos ? "clos" : "rail_optimised"},
            {"tiers", net.tiers},
            {"gpus", s.cluster.gpus()},
            {"scale_up_gpus", net.scale_up_gpus},
            {"link_bandwidth_gbps", net.link_bps / 1e9},
            {"link_latency_ns", net.link_latency_s * 1e9},
            {"host_groups", f.groups.size()},
            {"pods", f.pods.size()},
            {"leaves_per_pod", f.leaves_per_pod},
            {"switches", {{"leaf", f.leaves}, {"spine", f.spines}, {"core", f.cores}, {"total", f.leaves + f.spines + f.cores}}},
            {"ports", {{"leaf", f.leaves * net.leaf_radix}, {"spine", f.spines * net.spine_radix}, {"core", f.cores * net.core_radix}}},
            {"links", {{"node_leaf", f.node_links}, {"leaf_spine", f.leaf_spine_links}, {"spine_core", f.spine_core_links}}},
            {"transceivers", f.transceivers},
            {"copper_cables", f.copper_cables},
            {"transceivers_per_gpu", f.transceivers / gpus}};
  // Every link runs at the fabric's one link bandwidth (a faster NIC takes several links).
  char speed[32];
  std::snprintf(speed, sizeof speed, "%.10g Gbps", net.link_bps / 1e9);
  j["by_speed"] = {{speed, {{"links", f.node_links + f.leaf_spine_links + f.spine_core_links}, {"transceivers", f.transceivers}, {"copper_cables", f.copper_cables}}}};
  j.update(parts_json(f.total));
  j["capex_usd_per_gpu"] = f.total.usd() / gpus;
  j["power_w_per_gpu"] = f.total.power_w() / gpus;
  j["tranches"] = json::array();
  for (std::size_t t = 0; t < s.cluster.tranches.size(); ++t) {
    long long groups = 0, leaves = 0;
    for (const HostGroup& g : f.groups)
      if (g.tranche == static_cast<int>(t)) ++groups, leaves += g.leaves;
    json tj = {{"name", s.cluster.tranches[t].name}, {"nic_gbps_per_gpu", net.nic_bps[t] / 1e9}, {"nodes_per_host_group", f.group_nodes[t]},
               {"host_groups", groups}, {"leaves", leaves}};
    tj.update(parts_json(f.by_tranche[t]));
    j["tranches"].push_back(tj);
  }
  if (m) {
    json pods = json::array();
    for (double b : m->pod_bisection_bps) pods.push_back(b / 1e9);
    const auto [lo, hi] = std::minmax_element(m->pod_bisection_bps.begin(), m->pod_bisection_bps.end());
    j["bisection_gbps"] = {{"cluster", m->bisection_bps / 1e9}, {"pod_min", *lo / 1e9}, {"pod_max", *hi / 1e9}, {"pods", pods}};
    const double half = nic_half_bps(s);
    j["full_bisection_share"] = half > 0 ? json(m->bisection_bps / half) : json(nullptr);
    j["diameter_hops"] = m->diameter_hops;
    j["oversubscription"] = {{"leaf", m->leaf_oversubscription}};
    if (net.tiers == 3) j["oversubscription"]["spine"] = m->spine_oversubscription;
    j["graph"] = {{"vertices", m->graph_vertices}, {"edges", m->graph_edges}};
  }
  return j;
}

namespace {
json slowdown_json(const std::vector<double>& slowdowns) {
  double sum = 0;
  for (double x : slowdowns) sum += x;
  return {{"communicating", slowdowns.size()},
          {"comm_slowdown_mean", slowdowns.empty() ? 1.0 : sum / static_cast<double>(slowdowns.size())},
          {"comm_slowdown_p95", slowdowns.empty() ? 1.0 : stats::percentile(slowdowns, 95)}};
}
}  // namespace

json network_jobs_json(const std::vector<const JobRecord*>& all, double warmup_s, const std::vector<std::string>& class_names) {
  // Jobs that started in the window and completed: what the fabric did to those that communicated.
  std::vector<double> slowdowns;
  std::vector<std::vector<double>> by_class(class_names.size());
  long long jobs = 0, spanning_pods = 0, over_fabric = 0, shared = 0;
  double bytes = 0;
  for (const JobRecord* jr : all) {
    if (jr->status != JobStatus::completed || jr->start_s < warmup_s) continue;
    ++jobs;
    if (jr->fabric_pods > 1) ++spanning_pods;
    if (!jr->communicates) continue;
    slowdowns.push_back(comm_slowdown(*jr));
    by_class[static_cast<std::size_t>(jr->job.class_index)].push_back(slowdowns.back());
    if (jr->over_fabric) ++over_fabric;
    bytes += jr->fabric_bytes;
    if (jr->shared_link) ++shared;
  }
  json j = slowdown_json(slowdowns);
  j["completed"] = jobs;
  j["share_spanning_pods"] = jobs > 0 ? static_cast<double>(spanning_pods) / jobs : 0.0;
  j["share_over_fabric"] = slowdowns.empty() ? 0.0 : static_cast<double>(over_fabric) / slowdowns.size();
  j["share_sharing_a_link"] = slowdowns.empty() ? 0.0 : static_cast<double>(shared) / slowdowns.size();
  j["fabric_traffic_tb"] = bytes / 1e12;
  j["classes"] = json::object();
  for (std::size_t c = 0; c < class_names.size(); ++c) j["classes"][class_names[c]] = slowdown_json(by_class[c]);
  return j;
}

json network_json(const Scenario& s, const RunResult& r, double hardware_capex_usd) {
  json j = fabric_json(s, nullptr);
  std::vector<const JobRecord*> jobs;
  for (const JobRecord& jr : r.jobs) jobs.push_back(&jr);
  j["jobs"] = network_jobs_json(jobs, s.warmup_s, r.class_names);
  j["energy_mwh"] = r.fabric_energy_window_j / 3.6e9;
  j["share_of_hardware_capex"] = hardware_capex_usd > 0 ? s.fabric.total.usd() / hardware_capex_usd : 0.0;
  if (r.fabric_traffic) {
    const LinkTraffic& t = *r.fabric_traffic;
    j["utilization"] = json::object();
    for (std::size_t g = 0; g < t.groups(); ++g)
      j["utilization"][g == 0 ? "leaf_uplinks" : "spine_uplinks"] = {{"mean", t.window_utilization(g)}, {"peak", t.window_peak_utilization(g)}};
  }
  return j;
}

std::string network_text(const json& n) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "network      %s, %d tiers: %lld switches, %lld transceivers; %.1f M USD (%.1f %% of hardware capex), %.3f MW, %.1f MWh\n",
                n["fabric"].get<std::string>().c_str(), n["tiers"].get<int>(), n["switches"]["total"].get<long long>(), n["transceivers"].get<long long>(),
                n["capex_usd"]["total"].get<double>() / 1e6, 100 * n["share_of_hardware_capex"].get<double>(), n["power_kw"]["total"].get<double>() / 1e3,
                n["energy_mwh"].get<double>());
  return buf;
}

std::string fabric_text(const json& f) {
  char buf[512];
  std::string out;
  auto line = [&](const char* fmt, auto... args) {
    std::snprintf(buf, sizeof buf, fmt, args...);
    out += buf;
    out += '\n';
  };
  line("fabric       %s, %d tiers, %lld GPUs, %.0f Gbps links, scale-up domain %d GPUs", f["fabric"].get<std::string>().c_str(), f["tiers"].get<int>(),
       f["gpus"].get<long long>(), f["link_bandwidth_gbps"].get<double>(), f["scale_up_gpus"].get<int>());
  line("groups       %lld host groups in %lld pods (%d leaves per pod)", f["host_groups"].get<long long>(), f["pods"].get<long long>(),
       f["leaves_per_pod"].get<int>());
  const json& sw = f["switches"];
  line("switches     %lld leaf, %lld spine, %lld core (%lld in all)", sw["leaf"].get<long long>(), sw["spine"].get<long long>(), sw["core"].get<long long>(),
       sw["total"].get<long long>());
  const json& l = f["links"];
  line("links        %lld node-leaf, %lld leaf-spine, %lld spine-core; %lld transceivers (%.2f per GPU), %lld copper cables",
       l["node_leaf"].get<long long>(), l["leaf_spine"].get<long long>(), l["spine_core"].get<long long>(), f["transceivers"].get<long long>(),
       f["transceivers_per_gpu"].get<double>(), f["copper_cables"].get<long long>());
  line("capex        %.1f M USD (switches %.1f M, links %.1f M), %.0f USD per GPU", f["capex_usd"]["total"].get<double>() / 1e6,
       f["capex_usd"]["switches"].get<double>() / 1e6, f["capex_usd"]["links"].get<double>() / 1e6, f["capex_usd_per_gpu"].get<double>());
  line("power        %.3f MW (switches %.3f MW, transceivers %.3f MW), %.1f W per GPU", f["power_kw"]["total"].get<double>() / 1e3,
       f["power_kw"]["switches"].get<double>() / 1e3, f["power_kw"]["transceivers"].get<double>() / 1e3, f["power_w_per_gpu"].get<double>());
  if (f.contains("bisection_gbps")) {
    const json& b = f["bisection_gbps"];
    char share[32] = "n/a";
    if (f["full_bisection_share"].is_number()) std::snprintf(share, sizeof share, "%.3f", f["full_bisection_share"].get<double>());
    line("bisection    %.1f Tbps for the cluster (%s of full), per pod %.1f to %.1f Tbps", b["cluster"].get<double>() / 1e3, share,
         b["pod_min"].get<double>() / 1e3, b["pod_max"].get<double>() / 1e3);
    std::string over = "leaf " + std::to_string(f["oversubscription"]["leaf"].get<double>()).substr(0, 5);
    if (f["oversubscription"].contains("spine")) over += ", spine " + std::to_string(f["oversubscription"]["spine"].get<double>()).substr(0, 5);
    line("shape        diameter %d hops; oversubscription achieved: %s", f["diameter_hops"].get<int>(), over.c_str());
  }
  return out;
}

}  // namespace capsim
