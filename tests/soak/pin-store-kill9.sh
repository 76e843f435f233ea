#!/usr/bin/env bash
# The pin store's kill -9 soak run (docs/pin-store.md, "Durability"): PinStoreCrashTests with CYCLES cycles (default
# 1000) instead of CI's 200. Needs a Release build (./run build). Prints the test's own summary line.
#   tests/soak/pin-store-kill9.sh [CYCLES] [SEED]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export CBB_PIN_KILL_CYCLES="${1:-1000}"
[[ -n "${2:-}" ]] && export CBB_PIN_KILL_SEED="$2"
date -u '+%Y-%m-%d %H:%M UTC'; nproc; uptime
dotnet test tests/CbbToolkit.Channels.Tests -c Release --no-build --nologo \
    --filter "FullyQualifiedName~PinStoreCrashTests" --logger "console;verbosity=detailed" \
    | grep -E 'cycles|Passed|Failed|Error|Assert' 
uptime
