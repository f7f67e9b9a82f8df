// Compares the key figures of a summary.json with an expectation file:
//   {"tolerance_rel": 1e-6, "figures": {"jobs.completed": 123, "energy.it_mwh": 45.6, ...}}
// Usage: capsim_compare_summary EXPECTED SUMMARY [--update]   (--update rewrites EXPECTED's figures)
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

using nlohmann::json;

static json read(const char* path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", path);
    std::exit(2);
  }
  return json::parse(in);
}

static const json* at(const json& doc, const std::string& dotted) {
  const json* cur = &doc;
  std::size_t pos = 0;
  while (pos <= dotted.size()) {
    std::size_t dot = dotted.find('.', pos);
    std::string key = dotted.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return cur;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s EXPECTED SUMMARY [--update]\n", argv[0]);
    return 2;
  }
  json expected = read(argv[1]);
  json summary = read(argv[2]);
  bool update = argc > 3 && std::string(argv[3]) == "--update";
  double tol = expected.value("tolerance_rel", 1e-6);
  int failures = 0;
  for (auto& [key, want] : expected["figures"].items()) {
    const json* got = at(summary, key);
    if (!got) {
      std::printf("%s: missing from the summary\n", key.c_str());
      ++failures;
      continue;
    }
    if (update) {
      want = *got;
      continue;
    }
    double w = want.get<double>(), g = got->get<double>();
    if (std::fabs(w - g) > tol * std::max(std::fabs(w), 1e-12) + 1e-12) {
      std::printf("%s: expected %.12g, found %.12g (relative tolerance %g)\n", key.c_str(), w, g, tol);
      ++failures;
    }
  }
  if (update) {
    std::ofstream(argv[1]) << expected.dump(2) << "\n";
    return 0;
  }
  return failures ? 1 : 0;
}
