#pragma once
#include <string>
#include <string_view>

namespace capsim {
// Lower-case hex SHA-256 (FIPS 180-4) of `data`; used for scenario_sha256.
std::string sha256_hex(std::string_view data);
}
