#!/usr/bin/env python3
"""Whole-process timing, side by side: `cbb xfrm policy` (native and managed) against `ip xfrm policy`.

usage: cbb-vs-ip.py [--count N] [--rounds R] [--native PATH] [--dll PATH]   (root: it makes a network namespace)

One scratch network namespace gets COUNT policies (benchmarks/capture/xfrm-batch.py, `ip -batch`). Then R rounds; each
round starts every command once, in turn, so load drift hits all of them alike. A run is fork+exec to exit, with the
output read through a pipe and dropped (--sink devnull: written to /dev/null, where iproute2's fflush after every
policy costs nothing). Before timing, each command's output is checked: cbb's JSON and table and ip's
text must each show COUNT policies, so a fast wrong run cannot count. Prints best, median and worst per
command and the ratio of the bests (cbb native / ip); `cbb --version` rows show the start-up alone.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def run(argv, sink):
    """Runs argv to completion, output read from a pipe and dropped, or written to /dev/null; returns the wall time in seconds."""
    start = time.perf_counter()
    if sink == "pipe":
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        while proc.stdout.read(1 << 16):
            pass
    else:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code = proc.wait()
    elapsed = time.perf_counter() - start
    if code != 0:
        sys.exit(f"{' '.join(argv)} exited {code}")
    return elapsed


def check(name, argv, count):
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    if "--json" in argv:
        shown = len(json.loads(out))
    elif argv[0] == "ip":
        shown = sum(1 for line in out.splitlines() if line.startswith("src "))
    else:  # cbb's table: a header line, then one line per policy
        shown = len(out.splitlines()) - 1
    if shown != count:
        sys.exit(f"{name} shows {shown} policies, not the {count} added")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sink", choices=["pipe", "devnull"], default="pipe",
                        help="where the output goes: a pipe this script reads (default), or /dev/null")
    parser.add_argument("--native", default=os.path.join(REPO, "artifacts", "native", "cbb"))
    parser.add_argument("--dll", default=os.path.join(REPO, "src", "Cli", "bin", "Release", "net10.0", "cbb.dll"))
    args = parser.parse_args()

    ns = f"cbb-cli-bench-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        batch = subprocess.run([sys.executable, os.path.join(REPO, "benchmarks", "capture", "xfrm-batch.py"), "policy",
                                str(args.count)], check=True, capture_output=True, text=True).stdout
        subprocess.run(["ip", "-n", ns, "-batch", "-"], input=batch, text=True, check=True)

        commands = {
            "ip -n NS xfrm policy": ["ip", "-n", ns, "xfrm", "policy"],
            "cbb xfrm policy --json (native)": [args.native, "xfrm", "policy", "--netns", ns, "--json"],
            "cbb xfrm policy (native, text)": [args.native, "xfrm", "policy", "--netns", ns],
        }
        if os.path.exists(args.dll):
            commands["dotnet cbb.dll xfrm policy --json (managed)"] = ["dotnet", args.dll, "xfrm", "policy", "--netns", ns,
                                                                       "--json"]
        for name, argv in commands.items():
            check(name, argv, args.count)
        # Start-up alone, for scale: what every cbb command pays before its work.
        commands["cbb --version (native)"] = [args.native, "--version"]
        if os.path.exists(args.dll):
            commands["dotnet cbb.dll --version (managed)"] = ["dotnet", args.dll, "--version"]

        times = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                times[name].append(run(argv, args.sink))

        print(f"{args.count} policies, {args.rounds} rounds, output to {args.sink}, load average now "
              f"{os.getloadavg()[0]:.2f}")
        print(f"| Command | Best | Median | Worst |")
        print(f"|---|---:|---:|---:|")
        for name, t in times.items():
            print(f"| `{name}` | {min(t) * 1000:.1f} ms | {statistics.median(t) * 1000:.1f} ms | {max(t) * 1000:.1f} ms |")
        native = min(times["cbb xfrm policy --json (native)"])
        ip = min(times["ip -n NS xfrm policy"])
        print(f"best cbb native --json / best ip: {native / ip:.2f}")
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


if __name__ == "__main__":
    main()
