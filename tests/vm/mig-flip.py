#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A migration channel that corrupts the device state on its way.

    mig-flip.py LISTEN CONNECT OFFSET

A proxy between two QEMUs' migration unix sockets (tests/vm/mig-traffic.sh):
it listens on LISTEN, and once the source connects, connects to the
destination's CONNECT and forwards both ways (the return path too).  In
what the source sends it flips the lowest bit of the byte OFFSET bytes
after the first i40e_vf_mdev stream magic ("I40VFMIG",
drivers/vfio/mdev/i40e_vf_mdev/stream.h), and prints "FLIPPED at OFFSET
after the magic, channel byte N: 0xXX -> 0xYY", or "NOT FLIPPED" if the
stream never came.  When either side closes, fails, or takes no data for
5 s, it closes both: a destination that rejected the state may stop
reading before it exits, and the source waits on its return path for an
answer or an end (a proxy that kept the source's side open left QEMU 10
waiting in its "device" state for good).
"""
import os
import select
import socket
import sys

MAGIC = b"I40VFMIG"


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: mig-flip.py LISTEN CONNECT OFFSET")
    listen, connect, offset = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if os.path.exists(listen):
        os.unlink(listen)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(listen)
    srv.listen(1)
    src, _ = srv.accept()
    dst = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dst.connect(connect)

    src.settimeout(5)
    dst.settimeout(5)
    seen = 0            # bytes forwarded from the source so far
    target = None       # channel offset of the byte to flip
    tail = b""          # the source's last bytes, for a magic split in two
    flipped = False
    peer = {src: dst, dst: src}
    done = False
    while not done:
        ready, _, _ = select.select([src, dst], [], [])
        for s in ready:
            try:
                data = s.recv(65536)
            except OSError:     # a QEMU that failed closes with a reset
                data = b""
            if not data:
                done = True
                break
            if s is src:
                if target is None:
                    at = (tail + data).find(MAGIC)
                    if at >= 0:
                        target = seen - len(tail) + at + offset
                    tail = (tail + data)[-(len(MAGIC) - 1):]
                if target is not None and not flipped and \
                        seen <= target < seen + len(data):
                    buf = bytearray(data)
                    old = buf[target - seen]
                    buf[target - seen] ^= 0x01
                    data = bytes(buf)
                    flipped = True
                    print("FLIPPED at %d after the magic, channel byte %d: "
                          "0x%02x -> 0x%02x" % (offset, target, old,
                                                old ^ 1), flush=True)
                seen += len(data)
            try:
                peer[s].sendall(data)
            except OSError:     # closed, or not reading for 5 s
                done = True
                break
    src.close()
    dst.close()
    if not flipped:
        print("NOT FLIPPED (%d bytes, magic %s)" % (
            seen, "seen" if target is not None else "not seen"), flush=True)


if __name__ == "__main__":
    main()
