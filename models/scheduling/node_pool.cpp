#include "models/scheduling/node_pool.hpp"

#include <algorithm>
#include <bit>

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
    : gpn_(gpus_per_node), free_(nodes, gpus_per_node), available_(nodes, 1), buckets_(gpus_per_node + 1, IdSet(nodes)),
      free_gpus_(static_cast<long long>(nodes) * gpus_per_node) {
  for (int n = 0; n < nodes; ++n) buckets_[gpn_].insert(n);
}

void NodePool::move(int node, int new_free) {
  if (available_[node]) {
    buckets_[free_[node]].erase(node);
    free_gpus_ += new_free - free_[node];
    buckets_[new_free].insert(node);
  }
  free_[node] = new_free;
}

void NodePool::set_available(int node, bool on) {
  if (static_cast<bool>(available_[node]) == on) return;
  available_[node] = on;
  if (on) {
    buckets_[free_[node]].insert(node);
    free_gpus_ += free_[node];
  } else {
    buckets_[free_[node]].erase(node);
    free_gpus_ -= free_[node];
  }
}

std::optional<Placement> NodePool::place(int gpus, const NodeCaps* caps) const {
  if (gpus < 1 || gpus > free_gpus_) return std::nullopt;
  if (caps && caps->empty()) caps = nullptr;
  // With caps, reserved nodes are skipped: excluded ones everywhere, and in the bucket of whole nodes
  // every node up to the cutoff. Capped nodes are then looked at one by one.
  auto first = [&](int f, int from) {
    if (!caps) return buckets_[f].first_from(from);
    if (f == gpn_) from = std::max(from, caps->whole_cutoff() + 1);
    return buckets_[f].first_from_excluding(from, caps->excluded());
  };
  if (gpus <= gpn_) {
    // Best fit: the first available node of the lowest bucket that holds the job.
    int best_node = -1, best_free = gpn_ + 1;
    for (int f = gpus; f <= gpn_; ++f) {
      int n = first(f, 0);
      if (n >= 0) {
        best_node = n;
        best_free = f;
        break;
      }
    }
    if (caps) {
      for (int n : caps->capped_nodes()) {
        int eff = std::min(free_[n], caps->cap(n));
        if (eff >= gpus && (eff < best_free || (eff == best_free && n < best_node))) {
          best_node = n;
          best_free = eff;
        }
      }
    }
    if (best_node < 0) return std::nullopt;
    return Placement{{best_node, gpus, gpus}};
  }
  // A capped node never offers a whole node (its cap is below the node's GPUs), so it is skipped.
  int need = nodes_needed(gpus);
  if (need > free_nodes()) return std::nullopt;
  Placement p;
  p.reserve(need);
  int remaining = gpus;
  for (int n = first(gpn_, 0); n >= 0 && static_cast<int>(p.size()) < need; n = first(gpn_, n + 1)) {
    int used = std::min(remaining, gpn_);
    p.push_back({n, gpn_, used});
    remaining -= used;
  }
  if (static_cast<int>(p.size()) < need) return std::nullopt;
  return p;
}

void NodePool::take(const Placement& p) {
  for (const auto& s : p) move(s.node, free_[s.node] - s.held);
}

void NodePool::release(const Placement& p) {
  for (const auto& s : p) move(s.node, free_[s.node] + s.held);
}

}  // namespace capsim
