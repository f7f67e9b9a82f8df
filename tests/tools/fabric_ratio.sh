#!/bin/sh
# usage: fabric_ratio.sh TEST_BINARY RATIO TOLERANCE COMPUTE_S SCENARIO [--set PATH=VALUE]...
# The first job of SCENARIO runs alone (pair_alone.swf) and beside the second (pair.swf), each in its own
# process; its communication time (run time; COMPUTE_S = 0) or its run time over COMPUTE_S must change by RATIO.
set -e
bin=$1 ratio=$2 tol=$3 compute=$4 scenario=$5
shift 5
alone=$("$bin" time "$scenario" "$@" --set workload.path=pair_alone.swf)
together=$("$bin" time "$scenario" "$@" --set workload.path=pair.swf)
echo "alone $alone s, together $together s"
if [ "$compute" = 0 ]; then exec "$bin" ratio "$ratio" "$tol" "$together" "$alone"; fi
exec "$bin" ratio "$ratio" "$tol" "$together" "$compute"
