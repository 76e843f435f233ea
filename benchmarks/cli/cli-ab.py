#!/usr/bin/env python3
"""A/B of whole cbb processes built from different commits: start-up and listing 10,000 policies, beside `ip`.

usage: cli-ab.py --dll NAME=PATH [--dll NAME=PATH ...] [--count N] [--rounds R]   (root: it makes a network namespace)

The method of cbb-vs-ip.py (docs/performance.md, issue 12): one scratch network namespace with COUNT policies
(benchmarks/capture/xfrm-batch.py through `ip -batch`); every listing is checked to show COUNT policies first; then R
rounds, each starting every command once in turn, so load drift hits all builds alike. A run is fork+exec to exit,
output read through a pipe and dropped. Prints best, median and worst wall time per command.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(argv):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    while proc.stdout.read(1 << 16):
        pass
    code = proc.wait()
    elapsed = time.perf_counter() - start
    if code != 0:
        sys.exit(f"{' '.join(argv)} exited {code}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dll", action="append", required=True, help="NAME=PATH to a cbb.dll; repeat for each build")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    builds = [d.split("=", 1) for d in args.dll]

    ns = f"cbb-cli-ab-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        batch = subprocess.run([sys.executable, os.path.join(REPO, "benchmarks", "capture", "xfrm-batch.py"), "policy",
                                str(args.count)], check=True, capture_output=True, text=True).stdout
        subprocess.run(["ip", "-n", ns, "-batch", "-"], input=batch, text=True, check=True)

        commands = {"ip -n NS xfrm policy": ["ip", "-n", ns, "xfrm", "policy"]}
        for name, dll in builds:
            listing = ["dotnet", dll, "xfrm", "policy", "--netns", ns, "--json"]
            shown = len(json.loads(subprocess.run(listing, check=True, capture_output=True, text=True).stdout))
            if shown != args.count:
                sys.exit(f"{name} lists {shown} policies, not the {args.count} added")
            commands[f"{name}: cbb xfrm policy --json"] = listing
            commands[f"{name}: cbb --version"] = ["dotnet", dll, "--version"]
            commands[f"{name}: cbb xfrm --help"] = ["dotnet", dll, "xfrm", "--help"]

        load = os.getloadavg()[0]
        times = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                times[name].append(run(argv))

        print(f"{args.count} policies, {args.rounds} rounds, load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
        print("| Command | Best | Median | Worst |")
        print("|---|---:|---:|---:|")
        for name, t in times.items():
            print(f"| `{name}` | {min(t) * 1000:.1f} ms | {statistics.median(t) * 1000:.1f} ms | {max(t) * 1000:.1f} ms |")
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


if __name__ == "__main__":
    main()
