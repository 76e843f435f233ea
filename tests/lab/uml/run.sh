#!/bin/bash
# Runs the lab suite (or any command) inside User-Mode Linux: a Linux 6.1 kernel with real ESP, run as a host process.
# See docs/lab.md. Needs root and the apt packages: user-mode-linux kmod iproute2 (plus the .NET SDK on the host).
#
#   tests/lab/uml/run.sh [options] [-- command args...]
#
# Without a command: the already-built tests/CbbToolkit.Lab.Tests, run with CBB_LAB=uml, results in <out>/lab.trx.
# Options:
#   --project DIR        test project(s) to run instead, one after the other in the same guest (repeatable; results in
#                        <out>/<AssemblyName>.trx, lab.trx for the lab project)
#   --build              dotnet build the test project(s) on the host first
#   --runner R           xunit (default): the test assembly's own xUnit v3 runner, one .NET process;
#                        dotnet: `dotnet test --no-build` (MSBuild + vstest + testhost: several times slower in UML)
#   --filter TEXT        run only tests whose full method name contains TEXT (Namespace.Class.Method)
#   --configuration C    build configuration to test (default Debug)
#   --timeout SECONDS    host-side limit for the whole guest run (default 300); UML is killed when it is reached
#   --env NAME[=VALUE]   pass a variable into the guest (its host value when no VALUE is given); repeatable
#   --mem SIZE           guest memory (default 2G)
#   --out DIR            results folder (default <repo>/lab-out): payload.log, lab.trx, console.log, timings, exit-code
#   --kernel-log         show all kernel messages (default: quiet, warnings and up)
#   --dry-run            write the payload into the results folder and print it with the UML command line; no boot
# Exit code: the guest payload's (0 = tests passed), or 124 timeout (the guest stopped the payload, or the host killed
# UML), 125 the guest wrote no exit code (crash, panic), 126 the guest's init failed (reason in <out>/setup-error),
# 130 interrupted, 2 usage error or a host prerequisite missing.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../../.." && pwd -P)
project=tests/CbbToolkit.Lab.Tests

dry_run=0 filter="" runner=xunit configuration=Debug timeout=300 mem=2G out="$repo/lab-out" build=0 quiet=quiet
envs=() command=() projects=()

die() { echo "lab: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
        --build) build=1 ;;
        --project) projects+=("${2:?--project needs a folder}"); shift ;;
        --runner) runner=${2:?--runner needs xunit or dotnet}; shift ;;
        --filter) filter=${2:?--filter needs a value}; shift ;;
        --configuration|-c) configuration=${2:?--configuration needs a value}; shift ;;
        --timeout) timeout=${2:?--timeout needs a value}; shift ;;
        --env) envs+=("${2:?--env needs NAME or NAME=VALUE}"); shift ;;
        --mem) mem=${2:?--mem needs a value}; shift ;;
        --out) out=${2:?--out needs a folder}; shift ;;
        --kernel-log) quiet="" ;;
        --dry-run) dry_run=1 ;;
        --) shift; command=("$@"); break ;;
        -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
    shift
done

[[ $timeout =~ ^[0-9]+$ ]] && [ "$timeout" -gt 0 ] || die "--timeout must be a positive number of seconds"
[ "$(id -u)" -eq 0 ] || die "must run as root (the guest creates network namespaces and loads modules)"
uml=$(command -v linux.uml) || die "linux.uml not found: apt-get install -y --no-install-recommends user-mode-linux kmod iproute2"
command -v modprobe >/dev/null || [ -x /usr/sbin/modprobe ] || die "modprobe not found: apt-get install -y kmod"
command -v ip >/dev/null || die "ip not found: apt-get install -y iproute2"
dotnet=$(command -v dotnet) || die "dotnet not found on PATH"
dotnet_dir=$(dirname "$(readlink -f "$dotnet")")

mkdir -p "$out"
out=$(cd "$out" && pwd -P)
# The kernel command line splits on blanks: the guest could not find paths with spaces.
for p in "$out" "$repo"; do [[ $p != *[[:space:]:]* ]] || die "path with blanks or colons not supported: '$p'"; done

[ ${#projects[@]} -gt 0 ] || projects=("$project")
for i in "${!projects[@]}"; do
    p=${projects[$i]%/}
    [ -d "$repo/$p" ] || die "no project folder $repo/$p (give it relative to the repository root)"
    projects[$i]=$p
done

if [ "$build" -eq 1 ]; then
    for p in "${projects[@]}"; do
        echo "lab: building $p ($configuration) on the host"
        dotnet build "$repo/$p" -c "$configuration" --nologo -v quiet
    done
fi

# One payload line per test project; the payload's exit code is the first failure's.
runs=()
if [ ${#command[@]} -eq 0 ]; then
    for p in "${projects[@]}"; do
        name=$(basename "$p")
        dll="$repo/$p/bin/$configuration/net10.0/$name.dll"
        [ -f "$dll" ] || die "not built: $dll (run 'dotnet build $p -c $configuration' or pass --build)"
        trx=$([ "$p" = "$project" ] && echo lab.trx || echo "$name.trx")
        case $runner in
            xunit)
                run=(dotnet "$dll" -noColor -reporter verbose -trx "$out/$trx")
                [ -z "$filter" ] || run+=(-method "*$filter*") ;;
            dotnet)
                run=(dotnet test "$p" --no-build -c "$configuration" --results-directory "$out"
                     --logger "trx;LogFileName=$trx" --logger "console;verbosity=normal")
                [ -z "$filter" ] || run+=(--filter "FullyQualifiedName~$filter") ;;
            *) die "--runner must be xunit or dotnet" ;;
        esac
        runs+=("$(printf ' %q' "${run[@]}")")
    done
else
    [ -z "$filter" ] || die "--filter applies to the default test payload only"
    runs+=("$(printf ' %q' "${command[@]}")")
fi

# A fresh results folder: nothing from an earlier run may pass for this one's result.
rm -rf "${out:?}"/{exit-code,setup-error,payload.log,payload.sh,env,timings,console.log,uml} "${out:?}"/*.trx
{
    echo "cd $(printf %q "$repo")"
    echo "rc=0"
    for r in "${runs[@]}"; do echo "$r || { c=\$?; [ \$rc -ne 0 ] || rc=\$c; }"; done
    echo 'exit $rc'
} >"$out/payload.sh"
{
    printf 'export PATH=%q\n' "$dotnet_dir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    printf 'export DOTNET_ROOT=%q\n' "$dotnet_dir"
    echo "export CBB_LAB=uml"
    echo "export CBB_LAB_TIMEOUT=$timeout"   # the guest stops the payload shortly before, keeping its log and code 124
    for e in "${envs[@]}"; do
        name=${e%%=*}
        [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--env: bad variable name '$name'"
        if [[ $e == *=* ]]; then value=${e#*=}; else value=${!name-}; fi
        printf 'export %s=%q\n' "$name" "$value"
    done
} >"$out/env"
# Host folders the guest must see even where its own tmpfs on /tmp or /run hides them, and the results folder (mounted
# read-write): parents first, so a folder inside another stays visible.
nuget=${NUGET_PACKAGES:-${HOME:-/root}/.nuget/packages}
[ ! -d "$nuget" ] || nuget=$(cd "$nuget" && pwd -P)
mounts=$(printf '%s\n' "$repo" "$dotnet_dir" "$out" "$nuget" | awk '!seen[$0]++ { print length($0), $0 }' |
         sort -n -s | cut -d' ' -f2- | paste -sd:)

args=(mem="$mem" root=/dev/root rootfstype=hostfs rootflags=/ ro init="$here/init.sh"
      con=null con0=null,fd:1 umid="cbb-lab-$$" uml_dir="$out/uml" CBB_LAB_OUT="$out" CBB_LAB_MOUNTS="$mounts")
[ -z "$quiet" ] || args+=("$quiet")

if [ "$dry_run" -eq 1 ]; then
    echo "lab: payload.sh:"; sed 's/^/  /' "$out/payload.sh"
    echo "lab: env:"; sed 's/^/  /' "$out/env"
    echo "lab: would run: $uml ${args[*]}"
    exit 0
fi

uml_pid="" tail_pid=""
cleanup() {
    # UML's host processes share its process group (setsid below): end them all, never anything else.
    if [ -n "$uml_pid" ] && kill -0 -- "-$uml_pid" 2>/dev/null; then
        kill -KILL -- "-$uml_pid" 2>/dev/null || true
    fi
    if [ -n "$tail_pid" ]; then kill "$tail_pid" 2>/dev/null || true; fi
    rm -rf "${out:?}/uml"
}
trap cleanup EXIT
trap 'echo "lab: interrupted"; exit 130' INT TERM

echo "lab: booting UML ($uml, mem=$mem, timeout ${timeout}s), results in $out"
start=$(date +%s.%N)
: >"$out/console.log"
setsid "$uml" "${args[@]}" </dev/null >"$out/console.log" 2>&1 &
uml_pid=$!
tail -n +1 -s 0.2 -f --pid="$uml_pid" "$out/console.log" | sed -u 's/^/uml| /' &
tail_pid=$!

timed_out=0
deadline=$((SECONDS + timeout))
while kill -0 "$uml_pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        timed_out=1
        echo "lab: timeout after ${timeout}s: killing UML"
        kill -TERM -- "-$uml_pid" 2>/dev/null || true
        sleep 2
        kill -KILL -- "-$uml_pid" 2>/dev/null || true
        break
    fi
    sleep 0.2
done
wait "$uml_pid" 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true
tail_pid=""
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

times=""
if [ -f "$out/timings" ]; then
    # shellcheck disable=SC1091
    times=$(. "$out/timings"; echo "boot to init ${boot_to_init}s, modules ${modules}s, crypto ${crypto}s, ready ${ready}s, payload ${payload}s")
fi
if [ "$timed_out" -eq 1 ]; then
    echo "lab: TIMEOUT after ${elapsed}s (limit ${timeout}s); see $out/console.log"
    exit 124
fi
if [ ! -s "$out/exit-code" ]; then
    echo "lab: ERROR the guest wrote no exit code after ${elapsed}s (crash or panic?); see $out/console.log"
    exit 125
fi
code=$(tr -dc 0-9 <"$out/exit-code")
code=${code:-125}
if [ -f "$out/setup-error" ]; then
    echo "lab: ERROR guest setup failed after ${elapsed}s: $(cat "$out/setup-error")"
elif [ "$code" -eq 124 ]; then
    echo "lab: TIMEOUT the payload ran out of time in the guest after ${elapsed}s ($times); see $out/payload.log"
elif [ "$code" -eq 0 ]; then
    echo "lab: PASS in ${elapsed}s ($times); results in $out"
else
    echo "lab: FAIL exit code $code in ${elapsed}s ($times); results in $out"
fi
exit "$code"
