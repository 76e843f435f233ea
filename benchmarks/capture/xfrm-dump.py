#!/usr/bin/env python3
"""Captures one XFRM netlink dump exactly as the kernel sends it, independently of CbbToolkit's own netlink code.

usage: xfrm-dump.py sa|policy OUTFILE
Sends XFRM_MSG_GETSA or XFRM_MSG_GETPOLICY with NLM_F_DUMP on a NETLINK_XFRM socket in the caller's network
namespace and writes every datagram received, up to and including NLMSG_DONE, to OUTFILE as
[u32 little-endian length][datagram] records. Prints the number of datagrams and messages. Needs CAP_NET_ADMIN.
"""
import socket
import struct
import sys

NETLINK_XFRM = 6
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x2, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GET = {"sa": 0x12, "policy": 0x15}       # XFRM_MSG_GETSA, XFRM_MSG_GETPOLICY
NEW = {"sa": 0x10, "policy": 0x13}       # XFRM_MSG_NEWSA, XFRM_MSG_NEWPOLICY


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in GET:
        sys.exit(__doc__)
    kind, out = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_XFRM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    seq = 1
    sock.send(struct.pack("=IHHII", 16, GET[kind], NLM_F_REQUEST | NLM_F_DUMP, seq, 0))
    datagrams = messages = 0
    with open(out, "wb") as f:
        done = False
        while not done:
            data = sock.recv(1 << 16)
            f.write(struct.pack("<I", len(data)) + data)
            datagrams += 1
            offset = 0
            while offset + 16 <= len(data):
                length, mtype, _flags, mseq, _pid = struct.unpack_from("=IHHII", data, offset)
                if length < 16:
                    sys.exit(f"bad netlink message length {length}")
                if mseq == seq:
                    if mtype == NLMSG_DONE:
                        done = True
                    elif mtype == NLMSG_ERROR:
                        errno = -struct.unpack_from("=i", data, offset + 16)[0]
                        sys.exit(f"the kernel answered errno {errno}")
                    elif mtype == NEW[kind]:
                        messages += 1
                offset += (length + 3) & ~3
    print(f"{kind}: {messages} messages in {datagrams} datagrams -> {out}")


if __name__ == "__main__":
    main()
