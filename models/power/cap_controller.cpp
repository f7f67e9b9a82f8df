#include "models/power/cap_controller.hpp"

#include <algorithm>
#include <cmath>

namespace capsim {

std::vector<PodState> pod_layout(const ClusterSpec& c) {
  std::vector<PodState> pods;
  for (std::size_t t = 0; t < c.tranches.size(); ++t) {
    const Tranche& tr = c.tranches[t];
    int base = tr.nodes / tr.pods, extra = tr.nodes % tr.pods, node = tr.first_node;
    for (int p = 0; p < tr.pods; ++p) {
      PodState s;
      s.tranche = static_cast<int>(t);
      s.first_node = node;
      // A fabric's host groups are whole leaves (or rail groups) but the last; without one, pods are even.
      s.nodes = tr.group_nodes > 0 ? std::min(tr.group_nodes, tr.first_node + tr.nodes - node) : base + (p < extra ? 1 : 0);
      node += s.nodes;
      pods.push_back(s);
    }
  }
  return pods;
}

PowerCapController::PowerCapController(const ClusterSpec& cluster, const FacilitySpec& f, const FacilityModel& model)
    : cluster_(cluster),
      model_(model),
      cap_w_(f.power_cap_w),
      climate_(f.climate),
      hold_(f.hold_under_cap),
      switch_off_idle_(f.switch_off_idle),
      switch_interval_s_(f.switch_interval_s),
      exponent_(f.throttle_exponent),
      pods_(pod_layout(cluster)),
      in_service_(cluster.tranches.size(), 1),
      retired_(cluster.tranches.size(), 0) {
  levels_ = {1.0};
  for (double w : model.tranche_fabric_w) fabric_w_ += w;
  for (const Tranche& t : cluster.tranches) {
    max_node_active_w_ = std::max(max_node_active_w_, t.active_w());
    max_gpu_active_w_ = std::max(max_gpu_active_w_, t.active_w() / cluster.gpus_per_node);
  }
  // Holding jobs keeps the cap when they start; if a hotter hour then pushes the running jobs above it,
  // the nodes throttle for that hour as a last resort, so the cap holds in both modes.
  if (cap_w_)
    for (int k = 1; k <= 18; ++k) levels_.push_back(1.0 - 0.05 * k);
  if (cap_w_ && !hold_) {
    // Under a cap, n GPUs at speed v deliver n v for n (idle + active v^a) watts: work per watt peaks at
    // v* = (idle / (active (a - 1)))^(1/a). Pods are switched on while the cluster can run at or above v*.
    double idle = 0, active = 0;
    for (const Tranche& t : cluster.tranches) {
      idle += t.nodes * t.idle_w;
      active += t.nodes * t.active_w();
    }
    const double a = exponent_;
    const double v = active > 0 && a > 1 ? std::pow(idle / (active * (a - 1)), 1 / a) : 1.0;
    while (target_level_ + 1 < levels_.size() && levels_[target_level_ + 1] >= v - 1e-12) ++target_level_;
  }
  for (const PodState& p : pods_) idle_on_w_ += p.nodes * cluster.tranches[p.tranche].idle_w;
  // Under a cap the slowest generation's pods go off first (they do the least work per idle watt), the
  // last pods of a generation before its first ones; they come back on in the reverse order.
  std::vector<int> order(pods_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    double sa = cluster.tranches[pods_[a].tranche].speed, sb = cluster.tranches[pods_[b].tranche].speed;
    return sa != sb ? sa < sb : a > b;
  });
  for (std::size_t r = 0; r < order.size(); ++r) pods_[order[r]].rank = static_cast<int>(r);
  by_rank_ = order;
  for (std::size_t p = 0; p < pods_.size(); ++p) refresh_idle(static_cast<int>(p));
}

double PowerCapController::compute_power(std::size_t level) const {
  return idle_on_w_ + dyn_busy_w_ * std::pow(levels_[level], exponent_);
}

bool PowerCapController::fits_at(std::size_t lv, std::size_t hour, double extra_idle_w, double extra_dyn_w, double extra_fabric_w) const {
  return model_.facility_w(idle_on_w_ + extra_idle_w + (dyn_busy_w_ + extra_dyn_w) * std::pow(levels_[lv], exponent_), hour,
                           fabric_power_w() + extra_fabric_w) <= *cap_w_;
}

void PowerCapController::power(int pod, bool on) {
  PodState& p = pods_[pod];
  if (p.on == on) return;
  p.on = on;
  const double idle = p.nodes * cluster_.tranches[p.tranche].idle_w;
  idle_on_w_ += on ? idle : -idle;
  if (in_service_[p.tranche] && leaf_w(pod) > 0) {
    // A host group's leaves follow its nodes: off together (the spines and cores stay on while the
    // tranche serves). The sum restarts from 0 when none is off, so that rounding does not linger.
    off_leaf_pods_ += on ? -1 : 1;
    off_leaf_w_ = off_leaf_pods_ == 0 ? 0 : off_leaf_w_ + (on ? -leaf_w(pod) : leaf_w(pod));
  }
  refresh_idle(pod);
}

void PowerCapController::count_off_leaves() {
  off_leaf_w_ = 0;
  off_leaf_pods_ = 0;
  for (std::size_t i = 0; i < pods_.size(); ++i) {
    const int p = static_cast<int>(i);
    if (pods_[i].on || !in_service_[pods_[i].tranche] || leaf_w(p) <= 0) continue;
    off_leaf_w_ += leaf_w(p);
    ++off_leaf_pods_;
  }
}

void PowerCapController::refresh_idle(int pod) {
  const PodState& p = pods_[pod];
  const double full = p.nodes * cluster_.tranches[p.tranche].active_w();
  if (p.on && p.held == 0 && in_service_[p.tranche] && !p.pinned) {
    if (idle_pods_.insert({p.rank, pod}).second) idle_active_w_ += full;
  } else if (idle_pods_.erase({p.rank, pod})) {
    idle_active_w_ -= full;
  }
}

void PowerCapController::mark_off_for_cap(int pod, bool off) {
  PodState& p = pods_[pod];
  if (p.off_for_cap == off) return;
  p.off_for_cap = off;
  if (off) off_for_cap_.insert({p.rank, pod});
  else off_for_cap_.erase({p.rank, pod});
  gpus_off_ += (off ? 1 : -1) * static_cast<long long>(p.nodes) * cluster_.gpus_per_node;
}

double PowerCapController::pod_dyn_w(const PodState& p) const {
  return p.busy * cluster_.tranches[p.tranche].active_w() / cluster_.gpus_per_node;
}

void PowerCapController::set_draining(int pod, bool draining) {
  PodState& p = pods_[pod];
  if (p.draining == draining) return;
  p.draining = draining;
  const double sign = draining ? 1 : -1;
  draining_idle_w_ += sign * p.nodes * cluster_.tranches[p.tranche].idle_w;
  draining_dyn_w_ += sign * pod_dyn_w(p);
  draining_leaf_w_ += sign * leaf_w(pod);
}

bool PowerCapController::kept_fits_at(std::size_t lv, std::size_t hour) const {
  return fits_at(lv, hour, -draining_idle_w_, -draining_dyn_w_, -draining_leaf_w_);
}

std::optional<PodSwitch> PowerCapController::add_load(int pod, int busy, int held) {
  PodState& p = pods_[pod];
  const Tranche& tr = cluster_.tranches[p.tranche];
  p.busy += busy;
  p.held += held;
  if (p.held == held || p.held == 0) refresh_idle(pod);
  const double dyn = busy * tr.active_w() / cluster_.gpus_per_node;
  dyn_busy_w_ += dyn;
  if (p.draining) draining_dyn_w_ += dyn;
  if (p.held == 0 && p.draining) {
    set_draining(pod, false);
    mark_off_for_cap(pod, true);
    ++switches_;
    power(pod, false);
    return PodSwitch{pod, false, true};
  }
  if (p.held == 0 && retired_[p.tranche] && p.on) {
    power(pod, false);
    return PodSwitch{pod, false, false};
  }
  return std::nullopt;
}

std::vector<PodSwitch> PowerCapController::set_in_service(int tranche, bool serve, bool retired) {
  std::vector<PodSwitch> out;
  in_service_[tranche] = serve;
  if (retired) retired_[tranche] = 1;
  fabric_w_ = 0;
  for (std::size_t t = 0; t < model_.tranche_fabric_w.size(); ++t)
    if (in_service_[t]) fabric_w_ += model_.tranche_fabric_w[t];
  for (std::size_t i = 0; i < pods_.size(); ++i) {
    const int p = static_cast<int>(i);
    PodState& pod = pods_[p];
    if (pod.tranche != tranche) continue;
    mark_off_for_cap(p, false);  // a tranche entering or leaving service starts afresh
    set_draining(p, false);
    const bool on = serve || pod.held > 0;
    if (on != pod.on) out.push_back({p, on, false});
    power(p, on);
    refresh_idle(p);
  }
  count_off_leaves();
  return out;
}

std::optional<PodSwitch> PowerCapController::pin(double now, int pod, bool pinned) {
  PodState& p = pods_[pod];
  p.pinned = pinned;
  refresh_idle(pod);
  if (!pinned) return std::nullopt;
  if (p.draining) {
    set_draining(pod, false);
    p.switched_s = last_switch_s_ = now;
    return PodSwitch{pod, true, true, true};
  }
  if (!p.off_for_cap) return std::nullopt;
  p.switched_s = last_switch_s_ = now;
  ++switches_;
  mark_off_for_cap(pod, false);
  power(pod, true);
  return PodSwitch{pod, true, true};
}

std::vector<PodSwitch> PowerCapController::manage_pods(double now, long long queued_gpus, bool allow_on) {
  std::vector<PodSwitch> out;
  if (!cap_w_ || !switch_off_idle_) return out;
  const std::size_t hour = model_.hour_of(now);
  // An idle pod only draws power: off when the cap binds at full speed, unless queued work could use it
  // at the efficient speed. A pod switched in the last `switch_interval` is left alone, unless the cap
  // cannot be met even at the slowest speed.
  // Holding jobs instead, idle pods must leave room for at least one more busy node, or held jobs never start.
  const bool waiting = queued_gpus > 0;
  auto switch_pod = [&](int pod, bool off) {
    pods_[pod].switched_s = last_switch_s_ = now;
    ++switches_;
    mark_off_for_cap(pod, off);
    power(pod, !off);
    out.push_back({pod, !off, true});
  };
  // With jobs waiting (throttle mode), the idle pods kept are those the queued GPUs would fill and the load
  // still run at the efficient speed: more would only be filled to run slower.
  const double queued_dyn = static_cast<double>(queued_gpus) * max_gpu_active_w_;
  for (auto it = idle_pods_.begin(); it != idle_pods_.end();) {
    const bool must = !fits_at(levels_.size() - 1, hour, 0, 0);
    const bool keep = hold_     ? fits_at(0, hour, 0, waiting ? max_node_active_w_ : 0)
                      : waiting ? fits_at(target_level_, hour, 0, std::min(idle_active_w_, queued_dyn))
                                : fits_at(0, hour, 0, 0);
    if (!must && keep) break;
    const int pod = it->second;
    ++it;  // switching the pod off erases it from idle_pods_
    if (!must && now - pods_[pod].switched_s < switch_interval_s_) continue;
    switch_pod(pod, true);
  }
  if (!hold_ && waiting) drain_busy_pods(now, hour, out);
  // Back on, fastest first, while queued work waits and the load with the pod fully busy still runs at the
  // efficient speed: a draining pod first (it is on already), then one switched off. Assuming the pod full
  // is the margin that keeps it from going on only to be drained again.
  for (auto it = by_rank_.rbegin(); allow_on && waiting && it != by_rank_.rend(); ++it) {
    PodState& p = pods_[*it];
    if (!p.draining) continue;
    const double free_dyn = (p.nodes * cluster_.gpus_per_node - p.busy) * cluster_.tranches[p.tranche].active_w() / cluster_.gpus_per_node;
    if (!fits_at(target_level_, hour, 0, free_dyn)) break;
    set_draining(*it, false);
    p.switched_s = last_switch_s_ = now;
    out.push_back({*it, true, true, true});
  }
  for (auto it = off_for_cap_.begin(); allow_on && waiting && it != off_for_cap_.end();) {
    const int pod = it->second;
    const PodState& p = pods_[pod];
    ++it;  // switching the pod on erases it from off_for_cap_
    if (now - p.switched_s < switch_interval_s_) continue;
    const Tranche& tr = cluster_.tranches[p.tranche];
    if (!fits_at(target_level_, hour, p.nodes * tr.idle_w, p.nodes * tr.active_w(), leaf_w(pod))) break;
    switch_pod(pod, false);
  }
  return out;
}

void PowerCapController::drain_busy_pods(double now, std::size_t hour, std::vector<PodSwitch>& out) {
  // n GPUs busy at speed v do n v work for n (idle + active v^a) watts: below v* fewer GPUs at a higher
  // speed do more within the same power, so pods stop taking jobs, slowest generation first, until the
  // load left on the others runs at v* or faster. Their jobs run to the end; then they switch off.
  if (now < drain_retry_s_ || kept_fits_at(target_level_, hour)) return;
  double retry = std::numeric_limits<double>::infinity();
  for (int pod : by_rank_) {
    if (kept_fits_at(target_level_, hour)) break;
    PodState& p = pods_[pod];
    if (!p.on || p.draining || p.pinned || p.held == 0 || !in_service_[p.tranche] || retired_[p.tranche]) continue;
    if (now - p.switched_s < switch_interval_s_) {
      retry = std::min(retry, p.switched_s + switch_interval_s_);
      continue;
    }
    set_draining(pod, true);
    p.switched_s = last_switch_s_ = now;
    out.push_back({pod, false, true, true});
  }
  // Nothing could be drained: look again once a pod's dwell has passed (or, all idle, one interval on).
  if (retry == std::numeric_limits<double>::infinity()) retry = now + switch_interval_s_;
  drain_retry_s_ = kept_fits_at(target_level_, hour) ? -std::numeric_limits<double>::infinity() : retry;
}

std::optional<long long> PowerCapController::start_limit(double now) const {
  if (!cap_w_ || !hold_) return std::nullopt;
  // Active power the cap leaves at this hour, shared out at the most power-hungry GPU's rate.
  const std::size_t hour = model_.hour_of(now);
  double it_allowed = fabric_w_ > 0 ? ((*cap_w_ - model_.fixed_w) / model_.multiplier[hour] - fabric_power_w()) / model_.it_factor
                                    : (*cap_w_ - model_.fixed_w) / (model_.it_factor * model_.multiplier[hour]);
  double spare_w = it_allowed - compute_power(0);
  if (max_gpu_active_w_ <= 0) return std::numeric_limits<long long>::max();  // busy GPUs draw nothing more
  if (spare_w <= 0) return 0;
  return static_cast<long long>(std::floor(spare_w / max_gpu_active_w_ + 1e-9));
}

bool PowerCapController::update_level(double now) {
  if (!cap_w_) return false;
  const std::size_t hour = model_.hour_of(now);
  std::size_t lv = 0;
  while (lv + 1 < levels_.size() && model_.facility_w(compute_power(lv), hour, fabric_power_w()) > *cap_w_) ++lv;
  if (lv == level_) return false;
  level_ = lv;
  return true;
}

}  // namespace capsim
