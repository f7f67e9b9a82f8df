#pragma once
// Dispatch in a federation: which member data center an arriving job goes to. A pure function of what
// each member looks like at that instant, so policies are tested without the engine.
#include <vector>

#include "models/scenario.hpp"

namespace capsim {

struct MemberView {
  bool can_hold = false;         // the member's cluster could ever hold the job
  double queued_work_gpu_s = 0;  // queued jobs' GPUs x estimates
  long long gpus_on = 0;         // in service and switched on
  long long gpus_free = 0;       // of those, not allocated
  double price_usd_per_kwh = 0;  // at the job's arrival hour, local time
  double carbon_g_per_kwh = 0;
};

// Pinned jobs (pinned >= 0) go to their member. Otherwise "least queued work" takes the member with the
// least queued work per GPU switched on, then the most free GPUs per GPU on, then the first; the price and
// carbon policies take the cheapest (cleanest) member that could start the job at once (nothing queued,
// enough free GPUs), and fall back to the least queued work when none can. Members that can never hold the
// job are skipped; if none can, the job goes to member 0 (which rejects it).
int dispatch_job(DispatchPolicy policy, int job_gpus, int pinned, const std::vector<MemberView>& members);

}  // namespace capsim
