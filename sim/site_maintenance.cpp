// A site's planned maintenance (docs/failures.md): unit after unit, a drain, then a window out of service.
#include <algorithm>

#include "sim/site.hpp"

namespace capsim {

void Site::set_maintained(int node, char state) {
  maintained[static_cast<std::size_t>(node)] = state;
  refresh_pool(node);
}

// Node-seconds from `from` for `d` inside the window, `nodes` at a time.
void Site::account_maintenance(double& node_s, double from, double d, std::size_t nodes) const {
  const double a = std::max(from, sc.warmup_s), b = std::min(from + d, sc.horizon_s);
  if (b > a) node_s += (b - a) * static_cast<double>(nodes);
}

void Site::maintenance_drain(const FailureEvent& e, double now) {
  const std::vector<int> nodes = nodes_in(sc.failures.maintenance.domain, e.unit);
  for (int n : nodes) set_maintained(n, kDraining);
  account_maintenance(result.draining_node_s, now, sc.failures.maintenance.notice_s, nodes.size());
  events = true;
}

std::vector<JobId> Site::maintenance_start(const FailureEvent& e, double now) {
  const std::vector<int> nodes = nodes_in(sc.failures.maintenance.domain, e.unit);
  for (int n : nodes) set_maintained(n, kInWindow);
  std::vector<JobId> jobs = jobs_on(nodes);
  account_maintenance(result.maintenance_node_s, now, sc.failures.maintenance.duration_s, nodes.size());
  if (now >= sc.warmup_s) ++result.maintenance_windows;
  result.maintenance_interruptions += static_cast<long long>(jobs.size());
  events = true;
  return jobs;
}

void Site::maintenance_end(const FailureEvent& e) {
  for (int n : nodes_in(sc.failures.maintenance.domain, e.unit)) set_maintained(n, 0);
  events = true;
}

}  // namespace capsim
