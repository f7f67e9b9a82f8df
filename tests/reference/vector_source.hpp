#pragma once
#include <vector>

#include "models/workload/workload.hpp"

namespace capsim::reference {

// Jobs from a list, for hand-written cases.
class VectorSource final : public JobSource {
 public:
  explicit VectorSource(std::vector<Job> jobs) : jobs_(std::move(jobs)) {
    for (std::size_t i = 0; i < jobs_.size(); ++i) jobs_[i].id = static_cast<JobId>(i);
  }
  std::optional<Job> next() override {
    if (i_ >= jobs_.size()) return std::nullopt;
    return jobs_[i_++];
  }
  const std::vector<std::string>& class_names() const override { return names_; }

 private:
  std::vector<Job> jobs_;
  std::size_t i_ = 0;
  std::vector<std::string> names_{"test"};
};

inline Job job(double submit, int gpus, double run, double estimate = -1) {
  Job j;
  j.submit_s = submit;
  j.gpus = gpus;
  j.run_s = run;
  j.estimate_s = estimate < 0 ? run : estimate;
  return j;
}

}  // namespace capsim::reference
