cmake_minimum_required(VERSION 3.25)
# Turns INPUT into a C++ source defining capsim::FUNCTION() returning the file's text (a raw string).
file(READ ${INPUT} content)
set(delim "cpsm")
file(WRITE ${OUTPUT}.tmp "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace capsim {\nstd::string_view ${FUNCTION}() {\n  static constexpr std::string_view text = R\"${delim}(${content})${delim}\";\n  return text;\n}\n}  // namespace capsim\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
