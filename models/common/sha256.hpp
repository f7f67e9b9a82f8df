#pragma once
// SHA-256 (FIPS 180-4): scenario_sha256 and the digests of the input files that make a scenario's identity.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace capsim {

// Incremental, so a file is hashed while it is read.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::string hex_digest() const;  // lower-case hex of everything given so far

 private:
  std::array<std::uint32_t, 8> h_;
  std::array<unsigned char, 64> buf_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

std::string sha256_hex(std::string_view data);

// What identifies an input file's content.
struct FileDigest {
  std::string sha256;
  std::uint64_t size_bytes = 0;
  bool operator==(const FileDigest&) const = default;
  nlohmann::json to_json() const;  // {"sha256": ..., "size_bytes": ...}
};
FileDigest digest_of(std::string_view text);

}  // namespace capsim
