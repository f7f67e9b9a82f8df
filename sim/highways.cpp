#include "sim/highways.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <simgrid/Exception.hpp>

namespace sg4 = simgrid::s4u;

namespace capsim {

namespace {
std::vector<double> capacities(const std::vector<Highway>& links) {
  std::vector<double> out;
  for (const Highway& l : links) out.push_back(2 * l.bps / 8);
  return out;
}
}  // namespace

Highways::Highways(sg4::NetZone* parent, int members, const std::vector<Highway>& links, double horizon_s, double warmup_s, double interval_s)
    : links_(links), routes_(highway_routes(members, links)), traffic_(horizon_s, warmup_s, interval_s, capacities(links)), horizon_s_(horizon_s) {
  auto* zone = sg4::create_full_zone("highways");
  zone->set_parent(parent);
  for (int m = 0; m < members; ++m) {
    sg4::Host* h = zone->create_host("site" + std::to_string(m) + "-gateway", 1.0);
    h->set_property("wattage_per_state", "0:0");
    h->set_property("wattage_off", "0");
    gateways_.push_back(h);
  }
  std::vector<sg4::Link*> sg_links;
  for (const Highway& l : links)
    sg_links.push_back(zone->create_split_duplex_link("highway-" + std::to_string(l.a) + "-" + std::to_string(l.b), l.bps / 8)
                           ->set_latency(l.latency_s));
  for (std::size_t from = 0; from < routes_.size(); ++from)
    for (std::size_t to = 0; to < routes_.size(); ++to) {
      if (from == to || !routes_[from][to]) continue;
      std::vector<sg4::LinkInRoute> hops;
      for (const HighwayHop& h : *routes_[from][to])
        hops.emplace_back(sg_links[static_cast<std::size_t>(h.link)], h.forward ? sg4::LinkInRoute::Direction::UP : sg4::LinkInRoute::Direction::DOWN);
      zone->add_route(gateways_[from]->get_netpoint(), gateways_[to]->get_netpoint(), nullptr, nullptr, hops, false);
    }
  zone->seal();
}

double Highways::expected_s(int from, int to, double bytes) const {
  const auto& route = routes_[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)];
  return route ? transfer_time_s(bytes, *route, links_) : std::numeric_limits<double>::infinity();
}

void Highways::account(int from, int to, double bytes, double t0, double t1) {
  for (const HighwayHop& h : *routes_[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)]) traffic_.add(static_cast<std::size_t>(h.link), bytes, t0, t1);
}

void Highways::cancel() {
  for (const auto& t : transfers_)
    if (t->comm) t->comm->cancel();
}

void Highways::stage(JobId job, int from, int to, double bytes, Site* site, Completions& done, EngineStats& stats) {
  ++stats.highway_transfers;
  transfers_.push_back(std::make_unique<Transfer>());
  Transfer* t = transfers_.back().get();
  sg4::Host* src = gateways_[static_cast<std::size_t>(from)];
  sg4::Host* dst = gateways_[static_cast<std::size_t>(to)];
  const auto size = static_cast<std::uint64_t>(std::llround(bytes));
  sg4::Actor::create("transfer", src, [this, t, job, from, to, size, src, dst, site, &done] {
    const double t0 = sg4::Engine::get_clock();
    t->comm = sg4::Comm::sendto_async(src, dst, size);
    t->waited = {t->comm};
    // Waits at most until the horizon (SimGrid 3.32 aborts when it kills an actor blocked on a comm).
    ssize_t got;
    try {
      got = sg4::Activity::wait_any_for(t->waited, horizon_s_ - sg4::Engine::get_clock());
    } catch (const simgrid::Exception&) {
      return;  // the run is stopping: cancel (a cancelled host-to-host comm reports a network failure)
    }
    if (got != 0) {
      account(from, to, static_cast<double>(size) - t->comm->get_remaining(), t0, horizon_s_);
      return;
    }
    account(from, to, static_cast<double>(size), t0, sg4::Engine::get_clock());
    t->waited.clear();
    t->comm = nullptr;
    done.staged.emplace_back(site, job);
    done.cv->notify_one();
  })->daemonize();
}

}  // namespace capsim
