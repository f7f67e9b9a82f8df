#include "models/node_pool.hpp"

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

NodePool::NodePool(int nodes, int gpus_per_node)
    : gpn_(gpus_per_node), free_(nodes, gpus_per_node), buckets_(gpus_per_node + 1, IdSet(nodes)),
      free_gpus_(static_cast<long long>(nodes) * gpus_per_node) {
  for (int n = 0; n < nodes; ++n) buckets_[gpn_].insert(n);
}

void NodePool::move(int node, int new_free) {
  buckets_[free_[node]].erase(node);
  free_gpus_ += new_free - free_[node];
  free_[node] = new_free;
  buckets_[new_free].insert(node);
}

std::optional<Placement> NodePool::place(int gpus, const NodeCaps* caps) const {
  if (gpus < 1 || gpus > free_gpus_) return std::nullopt;
  auto capped = [&](int node) { return caps && caps->count(node); };
  if (gpus <= gpn_) {
    // Best fit among uncapped nodes: scan buckets upwards, first uncapped node in each.
    int best_node = -1, best_free = gpn_ + 1;
    for (int f = gpus; f <= gpn_ && best_node < 0; ++f) {
      for (int n = buckets_[f].first_from(0); n >= 0; n = buckets_[f].first_from(n + 1)) {
        if (!capped(n)) {
          best_node = n;
          best_free = f;
          break;
        }
      }
    }
    if (caps) {
      for (const auto& [n, cap] : *caps) {
        int eff = std::min(free_[n], cap);
        if (eff >= gpus && (eff < best_free || (eff == best_free && n < best_node))) {
          best_node = n;
          best_free = eff;
        }
      }
    }
    if (best_node < 0) return std::nullopt;
    return Placement{{best_node, gpus, gpus}};
  }
  int need = nodes_needed(gpus);
  if (need > free_nodes()) return std::nullopt;
  Placement p;
  p.reserve(need);
  int remaining = gpus;
  const IdSet& whole = buckets_[gpn_];
  for (int n = whole.first_from(0); n >= 0 && static_cast<int>(p.size()) < need; n = whole.first_from(n + 1)) {
    if (capped(n) && caps->at(n) < gpn_) continue;
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
