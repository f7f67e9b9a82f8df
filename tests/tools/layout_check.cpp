// Checks the rules of docs/architecture.md on the source tree: sizes (no .cpp in models/, sim/, reports/
// above 500 lines, no function above 100 lines), the include rule between folders, and that the targets
// which must not link SimGrid do not. Prints one line per breach and exits 1 if there is any.
//   layout_check SOURCE_DIR [LINK_FILE]
// LINK_FILE has lines "TARGET: LIB;LIB;..." (the targets' LINK_LIBRARIES, written by CMake).
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int kMaxFileLines = 500;
constexpr int kMaxFunctionLines = 100;

int breaches = 0;

void breach(const std::string& where, const std::string& what) {
  std::cout << where << ": " << what << "\n";
  ++breaches;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The text with comments, string and character literals and preprocessor lines blanked (newlines kept),
// so braces can be counted.
std::string code_only(const std::string& s) {
  std::string out = s;
  enum { code, line_comment, block_comment, str, chr, preproc } st = code;
  bool line_start = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i], n = i + 1 < s.size() ? s[i + 1] : '\0';
    const bool keep = c == '\n';
    switch (st) {
      case code:
        if (line_start && c == '#') st = preproc;
        else if (c == '/' && n == '/') st = line_comment;
        else if (c == '/' && n == '*') st = block_comment;
        else if (c == '"') st = str;
        else if (c == '\'' && !(i > 0 && std::isxdigit(static_cast<unsigned char>(s[i - 1])))) st = chr;  // not a digit separator
        if (st != code) out[i] = ' ';
        break;
      case line_comment:
      case preproc:
        if (c == '\n' && !(st == preproc && i > 0 && s[i - 1] == '\\')) st = code;
        else out[i] = ' ';
        break;
      case block_comment:
        if (c == '*' && n == '/') {
          out[i] = out[i + 1] = ' ';
          ++i;
          st = code;
        } else if (!keep) {
          out[i] = ' ';
        }
        break;
      case str:
      case chr:
        if (c == '\\') {
          out[i] = ' ';
          if (i + 1 < s.size() && s[i + 1] != '\n') out[++i] = ' ';
        } else if ((st == str && c == '"') || (st == chr && c == '\'')) {
          out[i] = ' ';
          st = code;
        } else if (!keep) {
          out[i] = ' ';
        }
        break;
    }
    if (c == '\n') line_start = true;
    else if (!std::isspace(static_cast<unsigned char>(c))) line_start = false;
  }
  return out;
}

// Functions longer than the limit, from the first line of their signature to the closing brace. A block
// at namespace or class scope is a function when its head has a parenthesis with no `=` before it.
void check_functions(const std::string& rel, const std::string& text) {
  enum Kind { scope, function, other };
  struct Open {
    Kind kind;
    int head_line;
    std::string name;
  };
  std::vector<Open> stack;
  std::string head;
  int line = 1, head_line = 1;
  bool head_started = false;
  for (char c : text) {
    if (c == '\n') ++line;
    const bool inside_function = !stack.empty() && stack.back().kind != scope;
    if (c == '{') {
      Kind k = other;
      if (!inside_function) {
        static const std::regex scope_re(R"(\b(namespace|class|struct|union|enum)\b|extern\s*$)");
        const auto paren = head.find('(');
        if (paren == std::string::npos && std::regex_search(head, scope_re)) k = scope;
        else if (paren != std::string::npos && head.substr(0, paren).find('=') == std::string::npos) k = function;
      }
      std::string name = head.substr(0, head.find('('));
      name = std::regex_replace(name, std::regex(R"(\s+)"), " ");
      stack.push_back({k, head_started ? head_line : line, name});
      head.clear();
      head_started = false;
    } else if (c == '}') {
      if (!stack.empty()) {
        const Open o = stack.back();
        stack.pop_back();
        if (o.kind == function && line - o.head_line + 1 > kMaxFunctionLines)
          breach(rel + ":" + std::to_string(o.head_line),
                 "function `" + o.name + "` has " + std::to_string(line - o.head_line + 1) + " lines (at most " +
                     std::to_string(kMaxFunctionLines) + ")");
      }
      head.clear();
      head_started = false;
    } else if (c == ';') {
      if (!inside_function) {
        head.clear();
        head_started = false;
      }
    } else if (!inside_function) {
      if (!head_started && !std::isspace(static_cast<unsigned char>(c))) {
        head_started = true;
        head_line = line;
      }
      if (head_started) head += c == '\n' ? ' ' : c;
    }
  }
}

// What a folder may not include: SimGrid and xbt from everything but the engine; sim/ and reports/ from
// models/; the engine from reports/ and sim/cli/.
void check_includes(const std::string& rel, const std::string& text) {
  static const std::regex include_re(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  const bool in_models = rel.rfind("models/", 0) == 0;
  const bool in_reports = rel.rfind("reports/", 0) == 0;
  const bool in_cli = rel.rfind("sim/cli/", 0) == 0;
  if (!in_models && !in_reports && !in_cli) return;
  std::istringstream in(text);
  std::string l;
  int line = 0;
  while (std::getline(in, l)) {
    ++line;
    std::smatch m;
    if (!std::regex_search(l, m, include_re)) continue;
    const std::string inc = m[1];
    const bool simgrid = inc.rfind("simgrid", 0) == 0 || inc.rfind("xbt", 0) == 0;
    const bool sim = inc.rfind("sim/", 0) == 0 && inc.rfind("sim/cli/", 0) != 0;
    bool bad = simgrid || sim;
    if (in_models) bad = bad || inc.rfind("sim/", 0) == 0 || inc.rfind("reports/", 0) == 0;
    if (in_reports) bad = bad || inc.rfind("sim/", 0) == 0;
    if (bad) breach(rel + ":" + std::to_string(line), "includes <" + inc + ">, which this folder may not (docs/architecture.md)");
  }
}

// Targets whose transitive link libraries must not contain SimGrid.
void check_links(const fs::path& link_file) {
  std::map<std::string, std::vector<std::string>> deps;
  std::ifstream in(link_file);
  if (!in) {
    breach(link_file.string(), "cannot read the link libraries of the targets");
    return;
  }
  std::string l;
  while (std::getline(in, l)) {
    auto colon = l.find(':');
    if (colon == std::string::npos) continue;
    std::string target = l.substr(0, colon), list = l.substr(colon + 1);
    std::vector<std::string>& d = deps[target];
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ';')) {
      item.erase(0, item.find_first_not_of(' '));
      if (!item.empty()) d.push_back(item);
    }
  }
  for (const char* target : {"capsim_models", "capsim_reports", "capsim_cli"}) {
    if (!deps.count(target)) {
      breach(link_file.string(), std::string("no entry for ") + target);
      continue;
    }
    std::vector<std::string> todo = {target};
    std::set<std::string> seen;
    while (!todo.empty()) {
      std::string t = todo.back();
      todo.pop_back();
      if (!seen.insert(t).second) continue;
      if (t.find("SimGrid") != std::string::npos || t.find("simgrid") != std::string::npos)
        breach(target, "links " + t + " (it must build without SimGrid)");
      for (const std::string& d : deps[t]) todo.push_back(d);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: layout_check SOURCE_DIR [LINK_FILE]\n";
    return 2;
  }
  const fs::path root = argv[1];
  int files = 0;
  for (const char* dir : {"models", "sim", "reports"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
      const std::string rel = fs::relative(e.path(), root).generic_string();
      const std::string text = read(e.path());
      ++files;
      int lines = 0;
      for (char c : text) lines += c == '\n';
      if (ext == ".cpp" && lines > kMaxFileLines)
        breach(rel, std::to_string(lines) + " lines (at most " + std::to_string(kMaxFileLines) + ")");
      check_functions(rel, code_only(text));
      check_includes(rel, text);
    }
  }
  if (argc > 2) check_links(argv[2]);
  std::cout << files << " files checked, " << breaches << " breaches\n";
  return breaches == 0 ? 0 : 1;
}
