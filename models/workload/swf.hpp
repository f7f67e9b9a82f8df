#pragma once
// Standard Workload Format reader (https://www.cs.huji.ac.il/labs/parallel/workload/swf.html), streamed.
#include <fstream>
#include <map>
#include <string>

#include "models/workload/workload.hpp"

namespace capsim {

class SwfSource final : public JobSource {
 public:
  SwfSource(const SwfWorkload& w, double horizon_s);
  std::optional<Job> next() override;
  const std::vector<std::string>& class_names() const override { return names_; }

  // Header comments seen so far ("MaxProcs" -> "240").
  const std::map<std::string, std::string>& header() const { return header_; }
  // Jobs skipped because their run time or size is unknown (-1) or zero processors.
  long long skipped() const override { return skipped_; }

 private:
  // An SWF line has 18 numbers; a longer line is not SWF (and is read into memory whole).
  static constexpr std::size_t kMaxLine = 65536;
  bool read_line(std::string& line);
  std::vector<char> buf_ = std::vector<char>(kMaxLine + 2);
  std::string path_;
  double gpus_per_processor_;
  double scale_;
  double horizon_s_;
  std::ifstream in_;
  long long line_no_ = 0;
  long long skipped_ = 0;
  double last_submit_ = -1;
  JobId next_id_ = 0;
  std::map<std::string, std::string> header_;
  std::vector<std::string> names_{"trace"};
};

}  // namespace capsim
