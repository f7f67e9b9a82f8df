#pragma once
// Failures and repairs without a timer per unit: one heap of each unit's next event, a unit being what one
// failure of a class takes down (a node, a rack, a leaf). Every unit of every class draws its times to
// failure and its repair times from a stream of its own (derived from the seed, independent of the
// workload's and of the other units'), so a unit's history does not depend on the jobs it ran: runs that
// differ only in their jobs or checkpointing see the same failures (common random numbers).
#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <vector>

#include "models/failures/failure_spec.hpp"

namespace capsim {

struct FailureEvent {
  // `escalated`: with a limit on technicians, a repair's automatic stage ended and its manual one waits for
  // one. Planned maintenance of a unit: its drain, its window's start and end (`cls` -1).
  enum class Kind { fail, detected, repaired, spare_repaired, escalated, drain, maintenance, maintained } kind = Kind::fail;
  double time_s = 0;
  int cls = 0;   // index in FailureSpec::classes
  int unit = 0;  // node, rack or leaf number
  // With a limit on technicians: the manual repair an `escalated` event or a technician's end is of;
  // maintenance: the unit's window number.
  int ref = -1;
};

// A failure's pipeline as drawn: each stage's duration (manual 0 when it does not escalate).
struct RepairDraw {
  double detect_s = 0, automatic_s = 0, manual_s = 0;
  double total_s() const { return detect_s + automatic_s + manual_s; }
};

// A manual repair with a limit on technicians: waiting for one from `queued_s`, then taking `manual_s`.
struct ManualRepair {
  double queued_s = 0, manual_s = 0;
  int cls = 0, unit = 0;
  bool spare = false;
};

class FailureInjector {
 public:
  // `units` by class; `stream` separates the federation members' units (a member's index).
  FailureInjector(const FailureSpec& spec, std::uint64_t seed, int stream, std::vector<int> units);

  double next_time() const;  // infinity when nothing is pending
  FailureEvent pop();
  // The unit works from `now`: its next failure is drawn, `multiplier` times as likely (a lemon node), and a
  // Weibull unit's age starts again at 0.
  void up(int cls, int unit, double now, double multiplier = 1);
  // The unit failed at `now`: its pipeline is drawn; `detected` is scheduled (with a detection time) and
  // the end, `repaired` or, for a spare's machine (`spare`), `spare_repaired`.
  RepairDraw repair(int cls, int unit, double now, bool spare);
  // Plans every maintenance unit's windows, one after the other (each popped stage schedules the next).
  void plan_maintenance(int units);
  // Whether node `node` is a lemon (a draw of its own, fixed by the seed).
  bool lemon(int node) const;
  // With a limit on technicians, at an `escalated` event or a technician's end (`ref` set): the manual
  // repair that starts now, if one does (its end is scheduled); escalated repairs start in turn.
  std::optional<ManualRepair> technician(const FailureEvent& e);
  const std::deque<int>& waiting() const { return waiting_; }  // manual repairs waiting for a technician
  const ManualRepair& manual(int ref) const { return manual_[static_cast<std::size_t>(ref)]; }

 private:
  double uniform(int cls, int unit);
  double stage(const RepairSpec& r, int cls, int unit);
  struct Later {
    bool operator()(const FailureEvent& a, const FailureEvent& b) const;
  };
  FailureSpec spec_;
  std::uint64_t base_;
  std::vector<double> weibull_scale_s_;              // by class
  std::vector<std::vector<std::uint32_t>> draws_;    // by class, by unit: draws taken so far
  std::priority_queue<FailureEvent, std::vector<FailureEvent>, Later> heap_;
  std::vector<ManualRepair> manual_;  // by ref, slots reused (free_refs_)
  std::vector<int> free_refs_;
  std::deque<int> waiting_;
  int technicians_free_ = 0;
  int maintenance_units_ = 0;
};

}  // namespace capsim
