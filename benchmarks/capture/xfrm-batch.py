#!/usr/bin/env python3
"""Writes an `ip -batch` file of XFRM SAs or policies shaped like what an IKE daemon installs for many peers.

usage: xfrm-batch.py sa|policy COUNT
Peer i (0 <= i < COUNT/2) is 10.{(i>>8)&255}.{i&255}.{1+(i>>16)}; this host is 172.16.0.1. Each peer gets a pair, out
and in: transport-mode ESP with AES-GCM-128 (rfc4106, 128-bit ICV), reqid i+1, replay window 32, lifetimes, selector the
host pair; policies with priority 1000 and one ESP template with the same reqid. Keys are fixed throwaway values.
"""
import sys

LOCAL = "172.16.0.1"


def peer(i):
    return f"10.{(i >> 8) & 255}.{i & 255}.{1 + (i >> 16)}"


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("sa", "policy") or int(sys.argv[2]) % 2:
        sys.exit(__doc__)
    kind, count = sys.argv[1], int(sys.argv[2])
    out = sys.stdout
    for i in range(count // 2):
        remote, reqid = peer(i), i + 1
        for d, (src, dst) in enumerate(((LOCAL, remote), (remote, LOCAL))):
            if kind == "sa":
                spi = 0xC0000000 + 2 * i + d
                key = f"{spi:08x}" * 5
                out.write(f"xfrm state add src {src} dst {dst} proto esp spi 0x{spi:08x} reqid {reqid} mode transport "
                          f"replay-window 32 aead rfc4106(gcm(aes)) 0x{key} 128 sel src {src}/32 dst {dst}/32 "
                          f"limit time-soft 3300 limit time-hard 3600\n")
            else:
                direction = "out" if d == 0 else "in"
                out.write(f"xfrm policy add src {src}/32 dst {dst}/32 dir {direction} priority 1000 "
                          f"tmpl src {src} dst {dst} proto esp reqid {reqid} mode transport\n")


if __name__ == "__main__":
    main()
