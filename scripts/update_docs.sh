#!/bin/sh
# Regenerates the parameter tables in docs/scenario.md from the declarations (`capsim schema --markdown`).
set -eu
cd "$(dirname "$0")/.."
capsim=${CAPSIM:-build/capsim}
tables=$(mktemp)
"$capsim" schema --markdown > "$tables"
awk -v tables="$tables" '
  /<!-- BEGIN GENERATED TABLES -->/ { print; while ((getline line < tables) > 0) print line; skip = 1; next }
  /<!-- END GENERATED TABLES -->/ { skip = 0 }
  !skip { print }
' docs/scenario.md > docs/scenario.md.tmp
mv docs/scenario.md.tmp docs/scenario.md
rm -f "$tables"
