#pragma once
// Which GPUs of which nodes are free, and where a job of a given size goes (docs/scheduling.md):
//  * a job of at most one node's GPUs goes on one node, best fit: the node with the fewest free GPUs that
//    still hold it, lowest node number on ties;
//  * a larger job holds ceil(gpus / gpus_per_node) whole free nodes, the lowest-numbered ones, and all their
//    GPUs count as allocated (a 12-GPU job on 8-GPU nodes holds 2 nodes and 16 GPUs).
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace capsim {

// A set of node numbers with ordered "first at or after" queries, as a two-level bitset.
class IdSet {
 public:
  explicit IdSet(int capacity = 0);
  void insert(int id);
  void erase(int id);
  bool contains(int id) const { return (words_[id >> 6] >> (id & 63)) & 1; }
  int size() const { return count_; }
  // Smallest member >= from, or -1.
  int first_from(int from) const;

 private:
  std::vector<std::uint64_t> words_;
  std::vector<std::uint64_t> summary_;  // bit w set when words_[w] != 0
  int capacity_ = 0;
  int count_ = 0;
};

struct NodeShare {
  int node = 0;
  int held = 0;  // GPUs of this node allocated to the job
  int used = 0;  // of which the job runs on (draw active power)
};
using Placement = std::vector<NodeShare>;

// Per-node limits on top of free GPUs, used by EASY for jobs that would still run at the shadow time.
using NodeCaps = std::unordered_map<int, int>;

class NodePool {
 public:
  NodePool(int nodes, int gpus_per_node);

  int nodes() const { return static_cast<int>(free_.size()); }
  int gpus_per_node() const { return gpn_; }
  long long free_gpus() const { return free_gpus_; }
  int free_nodes() const { return buckets_[gpn_].size(); }
  int free_on(int node) const { return free_[node]; }
  int nodes_needed(int gpus) const { return (gpus + gpn_ - 1) / gpn_; }
  // Whether a job of this size fits an empty pool.
  bool could_ever_fit(int gpus) const { return gpus >= 1 && nodes_needed(gpus) <= nodes(); }

  // Where a job of `gpus` would go now, or nullopt. With caps, a capped node offers min(free, cap) GPUs.
  std::optional<Placement> place(int gpus, const NodeCaps* caps = nullptr) const;
  void take(const Placement& p);
  void release(const Placement& p);

 private:
  void move(int node, int new_free);
  int gpn_;
  std::vector<int> free_;
  std::vector<IdSet> buckets_;  // buckets_[f]: nodes with exactly f free GPUs
  long long free_gpus_ = 0;
};

}  // namespace capsim
