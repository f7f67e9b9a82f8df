#include <gtest/gtest.h>

#include <set>

#include "models/scheduling/node_pool.hpp"
#include "models/common/random.hpp"

namespace capsim {
namespace {

TEST(IdSet, OrderedQueriesAgreeWithStdSet) {
  Rng rng(5);
  const int cap = 10000;
  IdSet a(cap);
  std::set<int> b;
  for (int i = 0; i < 50000; ++i) {
    int id = static_cast<int>(rng.uniform() * cap);
    if (rng.uniform() < 0.5) {
      a.insert(id);
      b.insert(id);
    } else {
      a.erase(id);
      b.erase(id);
    }
    int from = static_cast<int>(rng.uniform() * cap);
    auto it = b.lower_bound(from);
    ASSERT_EQ(a.first_from(from), it == b.end() ? -1 : *it);
    ASSERT_EQ(a.size(), static_cast<int>(b.size()));
  }
}

TEST(IdSet, FirstFromExcludingSkipsExcludedMembers) {
  Rng rng(9);
  const int cap = 5000;
  IdSet a(cap), ex(cap);
  std::set<int> b, e;
  for (int i = 0; i < 3000; ++i) {
    int id = static_cast<int>(rng.uniform() * cap);
    a.insert(id);
    b.insert(id);
    if (rng.uniform() < 0.7) {
      ex.insert(id);
      e.insert(id);
    }
  }
  for (int from = 0; from < cap; from += 7) {
    int want = -1;
    for (auto it = b.lower_bound(from); it != b.end(); ++it)
      if (!e.count(*it)) {
        want = *it;
        break;
      }
    ASSERT_EQ(a.first_from_excluding(from, ex), want) << from;
  }
}

TEST(IdSet, SelectUnion) {
  IdSet a(300), b(300);
  for (int x : {3, 70, 200}) a.insert(x);
  for (int x : {5, 70, 130}) b.insert(x);
  std::vector<int> want{3, 5, 70, 130, 200};
  for (int k = 1; k <= 5; ++k) EXPECT_EQ(a.select_union(k, b), want[k - 1]);
  EXPECT_EQ(a.select_union(6, b), -1);
}

TEST(NodePool, WholeNodeCutoffReservesLowNodes) {
  NodePool p(6, 2);
  p.take(*p.place(1));  // node 0 partly busy
  NodeCaps caps(6);
  caps.exclude_whole_up_to(2);  // whole nodes 1, 2 reserved
  caps.exclude(0);              // node 0 reserved too
  auto a = p.place(4, &caps);
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)[0].node, 3);
  EXPECT_EQ((*a)[1].node, 4);
  auto b = p.place(1, &caps);
  EXPECT_EQ((*b)[0].node, 3);  // node 0 (1 free) is excluded, so the lowest whole node past the cutoff
  EXPECT_EQ((*p.place(1))[0].node, 0);
}

TEST(NodePool, SmallJobsGoBestFitLowestNodeOnTies) {
  NodePool p(3, 8);
  auto a = p.place(5);
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)[0].node, 0);
  p.take(*a);  // node 0: 3 free
  auto b = p.place(3);
  EXPECT_EQ((*b)[0].node, 0);  // exact fit on node 0 rather than a whole free node
  auto c = p.place(4);
  EXPECT_EQ((*c)[0].node, 1);  // does not fit node 0; lowest whole node
}

TEST(NodePool, LargeJobsHoldWholeNodes) {
  NodePool p(4, 8);
  p.take(*p.place(1));  // node 0 partly used
  auto a = p.place(12);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].node, 1);
  EXPECT_EQ((*a)[1].node, 2);
  EXPECT_EQ((*a)[0].held + (*a)[1].held, 16);
  EXPECT_EQ((*a)[0].used + (*a)[1].used, 12);
  p.take(*a);
  EXPECT_EQ(p.free_gpus(), 32 - 1 - 16);
  EXPECT_FALSE(p.place(9));  // needs 2 whole nodes, only node 3 is whole
  p.release(*a);
  EXPECT_EQ(p.free_gpus(), 31);
}

TEST(NodePool, CapsLimitWhatANodeOffers) {
  NodePool p(2, 4);
  NodeCaps caps(2);
  caps.set(0, 1);
  auto a = p.place(2, &caps);
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)[0].node, 1);  // node 0 offers only 1 GPU
  auto b = p.place(1, &caps);
  EXPECT_EQ((*b)[0].node, 0);  // node 0 (1 offered) is the best fit for one GPU
  NodeCaps none(2);
  none.set(0, 0);
  none.set(1, 3);
  EXPECT_FALSE(p.place(4, &none));
  EXPECT_FALSE(p.place(5, &none));
}

// Two generations, nodes 0-3 and 4-7, the first preferred: a job stays inside the first group that holds
// it, and spans both only when neither does.
TEST(NodePool, AJobStaysInsideTheFirstGenerationThatHoldsIt) {
  NodePool p(8, 8);
  p.set_groups({0, 4});
  p.take(*p.place(16));  // nodes 0 and 1: the preferred generation first
  auto three = p.place(24);
  ASSERT_TRUE(three);
  ASSERT_EQ(three->size(), 3u);
  EXPECT_EQ((*three)[0].node, 4);  // group 0 has 2 whole nodes left: the 3 go to group 1, not 2 + 1
  EXPECT_EQ((*three)[2].node, 6);
  auto five = p.place(40);
  ASSERT_TRUE(five);
  ASSERT_EQ(five->size(), 5u);  // no group holds 5 of the 6 free nodes: the lowest, over both
  EXPECT_EQ((*five)[0].node, 2);
  EXPECT_EQ((*five)[4].node, 6);
  // A job of one node: best fit inside group 0 when it holds it, though group 1 fits it more tightly.
  p.take(*p.place(8, nullptr));  // node 2
  p.take(Placement{{4, 6, 6}});  // node 4: 2 free
  auto small = p.place(2);
  ASSERT_TRUE(small);
  EXPECT_EQ((*small)[0].node, 3);
  p.take(Placement{{3, 8, 8}});  // group 0 full: now group 1's tightest fit
  EXPECT_EQ((*p.place(2))[0].node, 4);
  EXPECT_EQ((*p.place(24))[0].node, 5);  // 3 whole nodes: only nodes 5-7, which group 1 holds
}

}  // namespace
}  // namespace capsim

namespace capsim {
namespace {

// 4 fabric pods of 2 host groups of 4 nodes (8 GPUs each): nodes 8p + 4g' .. in pod p.
NodePool fabric_pool() {
  NodePool pool(32, 8);
  std::vector<int> group(32), pod(8);
  for (int n = 0; n < 32; ++n) group[static_cast<std::size_t>(n)] = n / 4;
  for (int g = 0; g < 8; ++g) pod[static_cast<std::size_t>(g)] = g / 2;
  pool.set_fabric(group, pod);
  return pool;
}

std::vector<int> nodes_of(const Placement& p) {
  std::vector<int> n;
  for (const auto& s : p) n.push_back(s.node);
  return n;
}

TEST(NodePool, FabricPlacementStaysInOneHostGroupWhenOneHoldsIt) {
  NodePool pool = fabric_pool();
  pool.take(*pool.place(8));  // node 0 (one node, best fit)
  // 3 whole nodes: host group 0 still has nodes 1-3, so they, not 1-3 by node order alone (the same here)...
  EXPECT_EQ(nodes_of(*pool.place(24)), (std::vector<int>{1, 2, 3}));
  // ...and 4 whole nodes go to host group 1 (4-7), not 1-4 over two groups.
  EXPECT_EQ(nodes_of(*pool.place(32)), (std::vector<int>{4, 5, 6, 7}));
}

TEST(NodePool, FabricPlacementStaysInOnePodWhenOneHoldsIt) {
  NodePool pool = fabric_pool();
  // Leave pod 0 with 3 free nodes (5-7) and the others whole; a 6-node job goes inside pod 1, over its
  // two host groups, not over nodes 5-10.
  for (int n = 0; n < 5; ++n) pool.take({{n, 8, 8}});
  const auto p = *pool.place(48);
  EXPECT_EQ(nodes_of(p), (std::vector<int>{8, 9, 10, 11, 12, 13}));
  // A 2-node job: pod 1's host group 3 (14-15) holds it, but group 1 (5-7) comes first in node order.
  pool.take(p);
  EXPECT_EQ(nodes_of(*pool.place(16)), (std::vector<int>{5, 6}));
  // No host group holds 3 nodes but those of pods 2 and 3; pod 0 keeps 1 free node and pod 1 two: it takes
  // host group 4, the first that holds it.
  pool.take({{5, 8, 8}, {6, 8, 8}});
  EXPECT_EQ(nodes_of(*pool.place(24)), (std::vector<int>{16, 17, 18}));
}

TEST(NodePool, FabricPlacementSpansTheFewestPods) {
  NodePool pool = fabric_pool();
  // Pods 0 and 1 keep 1 free node each, pods 2 and 3 are whole: 12 nodes take pods 2 and 3 and one more.
  for (int n : {0, 1, 2, 4, 5, 6, 7}) pool.take({{n, 8, 8}});
  for (int n : {8, 9, 10, 12, 13, 14, 15}) pool.take({{n, 8, 8}});
  const auto nodes = nodes_of(*pool.place(17 * 8));
  EXPECT_EQ(nodes.size(), 17u);
  int in_low = 0;
  for (int n : nodes) in_low += n < 16 ? 1 : 0;
  EXPECT_EQ(in_low, 1);  // 16 from pods 2 and 3, one from pod 0 (fullest first, ties in order)
  EXPECT_EQ(nodes.front(), 3);
}

}  // namespace
}  // namespace capsim
