#pragma once
// What failures cost a run (a failures section, docs/failures.md): summary.json `failures` and `goodput`,
// the jobs.csv columns and the readable line.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/results/run_result.hpp"
#include "models/scenario/scenario.hpp"

namespace capsim {

inline constexpr const char* kJobsFailureColumns = ",interruptions,lost_gpu_s";
void append_failure_columns(std::string& out, const JobFailures& f);  // no newline

// Size buckets of ETTR and of the mean time between interruptions, by GPUs: 1-8, 9-64, 65-512, 513-4096, more.
inline constexpr int kSizeBuckets = 5;
int size_bucket(int gpus);
const char* size_bucket_name(int b);

// A job's effective training time ratio: its work at the pace of its fastest attempt (a requeued job may
// restart on another generation), unthrottled and without checkpoints (Daly's T_s), over the time from its
// first start to its end.
double ettr(const JobRecord& j, const JobFailures& f);

// Adds `failures` and `goodput` to a summary, from the jobs submitted after the warm-up: one run's, or a
// federation's members' together.
void add_failures(nlohmann::json& summary, const Scenario& s, const std::vector<const RunResult*>& runs);
std::string failures_text(const nlohmann::json& summary);

}  // namespace capsim
