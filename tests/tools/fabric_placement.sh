#!/bin/sh
# usage: fabric_placement.sh TEST_BINARY MARGIN SCENARIO [--set PATH=VALUE]...
# The mean communication slowdown with topology placement is at least MARGIN lower than in node order.
set -e
bin=$1 margin=$2 scenario=$3
shift 3
topo=$("$bin" slowdown "$scenario" "$@" --set scheduler.fabric_placement='"topology"')
flat=$("$bin" slowdown "$scenario" "$@" --set scheduler.fabric_placement='"node_order"')
exec "$bin" below "$topo" "$flat" "$margin"
