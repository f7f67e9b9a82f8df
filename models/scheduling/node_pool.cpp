#include "models/scheduling/node_pool.hpp"

#include <algorithm>
#include <bit>
#include <map>

namespace capsim {

IdSet::IdSet(int capacity)
    : words_((capacity + 63) / 64 + 1, 0), summary_((words_.size() + 63) / 64 + 1, 0), capacity_(capacity) {}

void IdSet::insert(int id) {
  std::uint64_t& w = words_[id >> 6];
  std::uint64_t bit = std::uint64_t(1) << (id & 63);
  if (w & bit) return;
  w |= bit;
  ++count_;
  summary_[id >> 12] |= std::uint64_t(1) << ((id >> 6) & 63);
}

void IdSet::erase(int id) {
  std::uint64_t& w = words_[id >> 6];
  std::uint64_t bit = std::uint64_t(1) << (id & 63);
  if (!(w & bit)) return;
  w &= ~bit;
  --count_;
  if (w == 0) summary_[id >> 12] &= ~(std::uint64_t(1) << ((id >> 6) & 63));
}

int IdSet::first_from(int from) const {
  if (from >= capacity_ || count_ == 0) return -1;
  int wi = from >> 6;
  std::uint64_t w = words_[wi] & (~std::uint64_t(0) << (from & 63));
  if (w) return (wi << 6) + std::countr_zero(w);
  // Next non-empty word through the summary.
  int si = (wi + 1) >> 6;
  int sbit = (wi + 1) & 63;
  for (std::size_t s = si; s < summary_.size(); ++s) {
    std::uint64_t sw = summary_[s];
    if (static_cast<int>(s) == si) sw &= sbit == 64 ? 0 : (~std::uint64_t(0) << sbit);
    if (sw) {
      int word = static_cast<int>(s << 6) + std::countr_zero(sw);
      return (word << 6) + std::countr_zero(words_[word]);
    }
  }
  return -1;
}

int IdSet::first_from_excluding(int from, const IdSet& excluded) const {
  if (from >= capacity_ || count_ == 0) return -1;
  int wi = from >> 6;
  std::uint64_t w = words_[wi] & ~excluded.words_[wi] & (~std::uint64_t(0) << (from & 63));
  if (w) return (wi << 6) + std::countr_zero(w);
  // Walk the non-empty words of this set (through the summary), masking the excluded members.
  for (int n = first_from((wi + 1) << 6); n >= 0; n = first_from((n | 63) + 1)) {
    int word = n >> 6;
    std::uint64_t m = words_[word] & ~excluded.words_[word];
    if (m) return (word << 6) + std::countr_zero(m);
  }
  return -1;
}

int IdSet::select_union(int k, const IdSet& other) const {
  for (std::size_t w = 0; w < words_.size(); ++w) {
    std::uint64_t bits = words_[w] | other.words_[w];
    int c = std::popcount(bits);
    if (c < k) {
      k -= c;
      continue;
    }
    for (; k > 1; --k) bits &= bits - 1;  // drop the k-1 lowest bits
    return static_cast<int>(w << 6) + std::countr_zero(bits);
  }
  return -1;
}

void NodeCaps::set(int node, int cap) {
  if (!capped_.contains(node)) {
    capped_.insert(node);
    capped_list_.push_back(node);
  }
  exclude(node);
  cap_[node] = cap;
}

void NodeCaps::exclude(int node) {
  if (excluded_.contains(node)) return;
  excluded_.insert(node);
  excluded_list_.push_back(node);
}

void NodeCaps::clear() {
  for (int n : capped_list_) capped_.erase(n);
  for (int n : excluded_list_) excluded_.erase(n);
  capped_list_.clear();
  excluded_list_.clear();
  whole_cutoff_ = -1;
}

NodePool::NodePool(int nodes, int gpus_per_node)
    : gpn_(gpus_per_node), free_(nodes, gpus_per_node), available_(nodes, 1), in_service_(nodes, 1), down_(nodes, 0), reserved_(nodes, 0), buckets_(gpus_per_node + 1, IdSet(nodes)),
      free_gpus_(static_cast<long long>(nodes) * gpus_per_node) {
  for (int n = 0; n < nodes; ++n) buckets_[gpn_].insert(n);
}

void NodePool::move(int node, int new_free) {
  if (available_[node]) {
    buckets_[free_[node]].erase(node);
    free_gpus_ += new_free - free_[node];
    buckets_[new_free].insert(node);
    count_whole(node, (new_free == gpn_) - (free_[node] == gpn_));
  }
  free_[node] = new_free;
}

void NodePool::set_available(int node, bool on) {
  in_service_[node] = on;
  refresh(node);
}

void NodePool::set_down(int node, bool down) {
  down_[node] = down;
  refresh(node);
}

void NodePool::set_reserved(int node, bool reserved) {
  reserved_[node] = reserved;
  refresh(node);
}

void NodePool::make_reserved_only() {
  reserved_only_ = true;
  for (int n = 0; n < nodes(); ++n) refresh(n);
}

void NodePool::refresh(int node) {
  const bool on = in_service_[node] && !down_[node] && static_cast<bool>(reserved_[node]) == reserved_only_;
  if (static_cast<bool>(available_[node]) == on) return;
  available_[node] = on;
  if (on) {
    buckets_[free_[node]].insert(node);
    free_gpus_ += free_[node];
  } else {
    buckets_[free_[node]].erase(node);
    free_gpus_ -= free_[node];
  }
  if (free_[node] == gpn_) count_whole(node, on ? 1 : -1);
}

void NodePool::set_groups(const std::vector<int>& starts) {
  if (starts.size() <= 1) return;  // one group: node order, nothing to count
  group_start_ = starts;
  group_of_.assign(free_.size(), 0);
  group_whole_.assign(starts.size(), 0);
  for (std::size_t g = 0; g < starts.size(); ++g)
    for (int n = starts[g]; n < (g + 1 < starts.size() ? starts[g + 1] : nodes()); ++n) {
      group_of_[n] = static_cast<int>(g);
      if (available_[n] && free_[n] == gpn_) ++group_whole_[g];
    }
}

void NodePool::count_whole(int node, int delta) {
  if (!group_of_.empty()) group_whole_[group_of_[node]] += delta;
}

std::optional<Placement> NodePool::place_on_one(int gpus, const NodeCaps* caps, int lo, int hi) const {
  // Best fit: the first available node of the lowest bucket that holds the job. With caps, reserved nodes
  // are skipped (excluded ones everywhere, and in the bucket of whole nodes every node up to the cutoff);
  // capped nodes are then looked at one by one.
  int best_node = -1, best_free = gpn_ + 1;
  for (int f = gpus; f <= gpn_; ++f) {
    int from = caps && f == gpn_ ? std::max(lo, caps->whole_cutoff() + 1) : lo;
    int n = caps ? buckets_[f].first_from_excluding(from, caps->excluded()) : buckets_[f].first_from(from);
    if (n >= 0 && n < hi) {
      best_node = n;
      best_free = f;
      break;
    }
  }
  if (caps) {
    for (int n : caps->capped_nodes()) {
      int eff = std::min(free_[n], caps->cap(n));
      if (n >= lo && n < hi && eff >= gpus && (eff < best_free || (eff == best_free && n < best_node))) {
        best_node = n;
        best_free = eff;
      }
    }
  }
  if (best_node < 0) return std::nullopt;
  return Placement{{best_node, gpus, gpus}};
}

std::optional<Placement> NodePool::place_on_whole(int gpus, const NodeCaps* caps, int lo, int hi) const {
  // A capped node never offers a whole node (its cap is below the node's GPUs), so it is skipped.
  const int need = nodes_needed(gpus);
  auto next = [&](int from) {
    if (!caps) return buckets_[gpn_].first_from(from);
    return buckets_[gpn_].first_from_excluding(std::max(from, caps->whole_cutoff() + 1), caps->excluded());
  };
  if (!fabric_group_.empty()) {
    std::vector<int> free_whole;
    for (int n = next(lo); n >= 0 && n < hi; n = next(n + 1)) free_whole.push_back(n);
    return place_on_fabric(gpus, free_whole);
  }
  Placement p;
  p.reserve(need);
  int remaining = gpus;
  for (int n = next(lo); n >= 0 && n < hi && static_cast<int>(p.size()) < need; n = next(n + 1)) {
    int used = std::min(remaining, gpn_);
    p.push_back({n, gpn_, used});
    remaining -= used;
  }
  if (static_cast<int>(p.size()) < need) return std::nullopt;
  return p;
}

void NodePool::set_fabric(std::vector<int> group_of_node, std::vector<int> pod_of_group) {
  fabric_group_ = std::move(group_of_node);
  fabric_pod_ = std::move(pod_of_group);
  scratch_by_group_.assign(fabric_pod_.size(), {});
}

std::optional<Placement> NodePool::place_on_fabric(int gpus, const std::vector<int>& free_whole) const {
  const int need = nodes_needed(gpus);
  if (static_cast<int>(free_whole.size()) < need) return std::nullopt;
  std::vector<int> groups;  // those with free whole nodes, in node order
  for (int n : free_whole) {
    auto& in = scratch_by_group_[static_cast<std::size_t>(fabric_group_[static_cast<std::size_t>(n)])];
    if (in.empty()) groups.push_back(fabric_group_[static_cast<std::size_t>(n)]);
    in.push_back(n);
  }
  auto size = [&](int g) { return static_cast<int>(scratch_by_group_[static_cast<std::size_t>(g)].size()); };
  std::vector<int> chosen;
  auto take_fullest = [&](std::vector<int> from, int count) {  // host groups, fullest first, ties in node order
    std::stable_sort(from.begin(), from.end(), [&](int a, int b) { return size(a) > size(b); });
    for (int g : from)
      for (int n : scratch_by_group_[static_cast<std::size_t>(g)])
        if (count-- > 0) chosen.push_back(n);
  };
  // One host group (the first, in node order, that holds it).
  for (int g : groups)
    if (size(g) >= need) {
      take_fullest({g}, need);
      break;
    }
  if (chosen.empty()) {
    std::map<int, std::pair<int, std::vector<int>>> pods;  // pod -> free whole nodes, its host groups
    for (int g : groups) {
      auto& pd = pods[fabric_pod_[static_cast<std::size_t>(g)]];
      pd.first += size(g);
      pd.second.push_back(g);
    }
    // One pod: the one that holds it with the fewest free nodes (best fit), else the fewest pods, fullest first.
    const std::pair<const int, std::pair<int, std::vector<int>>>* fit = nullptr;
    for (const auto& pd : pods)
      if (pd.second.first >= need && (!fit || pd.second.first < fit->second.first)) fit = &pd;
    if (fit) {
      take_fullest(fit->second.second, need);
    } else {
      std::vector<const std::pair<int, std::vector<int>>*> order;
      for (const auto& pd : pods) order.push_back(&pd.second);
      std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first > b->first; });
      int left = need;
      for (const auto* pd : order) {
        if (left <= 0) break;
        take_fullest(pd->second, std::min(left, pd->first));
        left -= pd->first;
      }
    }
  }
  for (int g : groups) scratch_by_group_[static_cast<std::size_t>(g)].clear();
  std::sort(chosen.begin(), chosen.end());
  Placement p;
  int remaining = gpus;
  for (int n : chosen) {
    const int used = std::min(remaining, gpn_);
    p.push_back({n, gpn_, used});
    remaining -= used;
  }
  return p;
}

std::optional<Placement> NodePool::place(int gpus, const NodeCaps* caps) const {
  if (gpus < 1 || gpus > free_gpus_) return std::nullopt;
  if (caps && caps->empty()) caps = nullptr;
  const bool one_node = gpus <= gpn_;
  if (!one_node && nodes_needed(gpus) > free_nodes()) return std::nullopt;
  // Inside the first group that holds it (with one group: anywhere).
  for (std::size_t g = 0; g < group_start_.size(); ++g) {
    const int lo = group_start_[g], hi = g + 1 < group_start_.size() ? group_start_[g + 1] : nodes();
    if (one_node) {
      if (auto p = place_on_one(gpus, caps, lo, hi)) return p;
    } else if (group_whole_.empty() || group_whole_[g] >= nodes_needed(gpus)) {
      if (auto p = place_on_whole(gpus, caps, lo, hi)) return p;
    }
  }
  // Whole nodes that no group holds alone: the lowest free ones, over groups.
  if (one_node || group_start_.size() == 1) return std::nullopt;
  return place_on_whole(gpus, caps, 0, nodes());
}

int NodePool::group_of(int node) const {
  return group_of_.empty() ? 0 : group_of_[node];
}

std::optional<Placement> NodePool::place_in_group(int gpus, int g) const {
  if (g < 0 || gpus < 1 || gpus > free_gpus_) return std::nullopt;
  const int lo = group_start_[g], hi = g + 1 < static_cast<int>(group_start_.size()) ? group_start_[g + 1] : nodes();
  return gpus <= gpn_ ? place_on_one(gpus, nullptr, lo, hi) : place_on_whole(gpus, nullptr, lo, hi);
}

void NodePool::take(const Placement& p) {
  for (const auto& s : p) move(s.node, free_[s.node] - s.held);
}

void NodePool::release(const Placement& p) {
  for (const auto& s : p) move(s.node, free_[s.node] + s.held);
}

}  // namespace capsim
