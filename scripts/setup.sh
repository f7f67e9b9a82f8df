#!/bin/sh
# Installs the Debian packages capsim needs, only those missing (idempotent). Needs root or sudo when
# something is missing.
set -eu
packages="build-essential cmake pkg-config libsimgrid-dev libboost-graph-dev nlohmann-json3-dev libeigen3-dev
libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev"
missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
echo "capsim setup: installing$missing" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
