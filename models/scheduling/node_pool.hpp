#pragma once
// Which GPUs of which nodes are free, and where a job of a given size goes (docs/scheduling.md):
//  * a job of at most one node's GPUs goes on one node, best fit: the node with the fewest free GPUs that
//    still hold it, lowest node number on ties;
//  * a larger job holds ceil(gpus / gpus_per_node) whole free nodes, the lowest-numbered ones, and all their
//    GPUs count as allocated (a 12-GPU job on 8-GPU nodes holds 2 nodes and 16 GPUs).
#include <cstdint>
#include <optional>
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
  // The k-th smallest (k >= 1) member of the union of this set and `other` (same capacity), or -1.
  int select_union(int k, const IdSet& other) const;
  // Smallest member >= from that is not in `excluded` (same capacity), or -1.
  int first_from_excluding(int from, const IdSet& excluded) const;

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

// What EASY leaves to jobs that would still run at the shadow time: the head's reserved nodes offer them
// nothing, except a node the head only partly reserves, which offers min(free, cap). Reserved whole nodes
// are described by a cutoff (every node that is whole now and numbered up to it) plus a set, so building
// and querying a reservation of thousands of nodes costs word operations, not per-node ones.
class NodeCaps {
 public:
  explicit NodeCaps(int nodes) : cap_(nodes, 0), capped_(nodes), excluded_(nodes) {}
  // A node partly reserved: it offers min(free, cap) GPUs.
  void set(int node, int cap);
  void reduce(int node, int by) { cap_[node] -= by; }
  // A node wholly reserved.
  void exclude(int node);
  // Every node whole now and numbered up to `cutoff` is reserved.
  void exclude_whole_up_to(int cutoff) { whole_cutoff_ = cutoff; }
  void clear();
  bool capped(int node) const { return capped_.contains(node); }
  int cap(int node) const { return cap_[node]; }
  const IdSet& excluded() const { return excluded_; }  // includes the capped nodes
  int whole_cutoff() const { return whole_cutoff_; }
  const std::vector<int>& capped_nodes() const { return capped_list_; }
  bool empty() const { return excluded_list_.empty() && whole_cutoff_ < 0; }

 private:
  std::vector<int> cap_;
  IdSet capped_, excluded_;
  std::vector<int> capped_list_, excluded_list_;
  int whole_cutoff_ = -1;
};

class NodePool {
 public:
  NodePool(int nodes, int gpus_per_node);

  int nodes() const { return static_cast<int>(free_.size()); }
  int gpus_per_node() const { return gpn_; }
  long long free_gpus() const { return free_gpus_; }
  int free_nodes() const { return buckets_[gpn_].size(); }
  int free_on(int node) const { return free_[node]; }
  bool available(int node) const { return available_[node]; }
  // A node out of service (not yet arrived, retired, switched off under a cap) takes no job; its GPUs are
  // not free ones. So does a node down (failed, under repair), whatever its service.
  void set_available(int node, bool on);
  void set_down(int node, bool down);
  // A node reserved for a training run (Scheduler::submit_reserved) takes no job here; in a pool made
  // `reserved_only`, only reserved nodes take jobs (the scheduler's view of the reservations' nodes).
  void set_reserved(int node, bool reserved);
  void make_reserved_only();
  const IdSet& whole_nodes() const { return buckets_[gpn_]; }
  int nodes_needed(int gpus) const { return (gpus + gpn_ - 1) / gpn_; }
  // Whether a job of this size fits an empty pool.
  bool could_ever_fit(int gpus) const { return gpus >= 1 && nodes_needed(gpus) <= nodes(); }

  // Consecutive node ranges a job should not span when one of them holds it (generations), in the
  // order they are preferred: `starts` begins with 0 and rises. One group (the default): node order.
  void set_groups(const std::vector<int>& starts);
  int groups() const { return static_cast<int>(group_start_.size()); }
  // The fabric's levels (docs/scheduling.md): each node's host group (a leaf or rail group, consecutive
  // nodes) and each host group's fabric pod. With them, a job of whole nodes goes inside one host group
  // if one holds it, else inside one pod (best fit), else over the fewest pods; inside each, over its
  // fullest host groups first.
  void set_fabric(std::vector<int> group_of_node, std::vector<int> pod_of_group);
  // Where a job of `gpus` would go now, or nullopt: inside the first group that holds it, else over
  // several. With caps, a capped node offers min(free, cap) GPUs.
  std::optional<Placement> place(int gpus, const NodeCaps* caps = nullptr) const;
  // The group of a node (0 with one group), and where a job would go inside group `g` only.
  int group_of(int node) const;
  std::optional<Placement> place_in_group(int gpus, int g) const;
  void take(const Placement& p);
  void release(const Placement& p);

 private:
  void move(int node, int new_free);
  void count_whole(int node, int delta);
  // The job on one node: best fit among nodes [lo, hi).
  std::optional<Placement> place_on_one(int gpus, const NodeCaps* caps, int lo, int hi) const;
  // The job on whole free nodes of [lo, hi), lowest first (or by the fabric's levels).
  std::optional<Placement> place_on_whole(int gpus, const NodeCaps* caps, int lo, int hi) const;
  std::optional<Placement> place_on_fabric(int gpus, const std::vector<int>& free_whole) const;
  int gpn_;
  std::vector<int> group_start_{0};
  std::vector<int> group_of_;     // per node, with more than one group
  std::vector<int> group_whole_;  // available whole free nodes per group
  std::vector<int> fabric_group_, fabric_pod_;  // by node, by host group (set_fabric)
  mutable std::vector<std::vector<int>> scratch_by_group_;  // free whole nodes of each host group, during a placement
  std::vector<int> free_;
  std::vector<char> available_;  // in service and not down
  std::vector<char> in_service_, down_, reserved_;
  bool reserved_only_ = false;
  void refresh(int node);
  std::vector<IdSet> buckets_;  // buckets_[f]: available nodes with exactly f free GPUs
  long long free_gpus_ = 0;
};

}  // namespace capsim
