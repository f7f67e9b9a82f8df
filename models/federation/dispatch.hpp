#pragma once
// Dispatch in a federation: which member data center an arriving job goes to. A pure function of what
// each member looks like at that instant, so policies are tested without the engine.
#include <vector>

#include "models/federation/dispatch_policy.hpp"

namespace capsim {

struct MemberView {
  bool can_hold = false;         // the member's cluster could ever hold the job (all tranches)
  bool can_hold_now = false;     // the nodes in service now could hold it
  bool can_start_now = false;    // nothing queued and the job can be placed now
  double queued_work_gpu_s = 0;  // queued jobs' GPUs x estimates
  long long gpus_on = 0;         // in service and switched on
  long long gpus_free = 0;       // of those, not allocated
  double price_usd_per_kwh = 0;  // at the job's arrival hour, local time
  double carbon_g_per_kwh = 0;
  double transfer_s = 0;  // the job's input data to this member, alone on the highways
};

// Pinned jobs (pinned >= 0) go to their member. Otherwise "least queued work" takes the member where the
// job could start soonest: its data's transfer time plus the queued work per GPU switched on (none where
// the job can start at once); then one that can start it at once, the least queued work per GPU on, the
// most free GPUs per GPU on, the first; the price and carbon policies take the cheapest (cleanest) member that
// can start the job at once, and fall back to the least queued work when none can. Only members whose
// nodes in service could hold the job are candidates; if none, those that could once all tranches are in
// service; if none, member 0 (which rejects it).
int dispatch_job(DispatchPolicy policy, int pinned, const std::vector<MemberView>& members);

}  // namespace capsim
