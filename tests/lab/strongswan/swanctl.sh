#!/bin/sh
# swanctl.sh DIR ARGS...: swanctl against the charon of peer folder DIR (its config dir and vici socket).
set -eu
dir=$(cd "${1:?usage: $0 DIR swanctl-args...}" && pwd); shift
SWANCTL_DIR="$dir/swanctl" STRONGSWAN_CONF="$dir/strongswan.conf" exec swanctl "$@" --uri "unix://$dir/charon.vici"
