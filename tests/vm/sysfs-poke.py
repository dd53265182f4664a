#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad and untimely sysfs writes to open mdevs, their types and PFs,
and unloads of the modules under them.

    sysfs-poke.py SEED STOPFILE UUID...

Until STOPFILE exists (or 3000 writes), one write every 10 ms to one of
these, chosen at random, for each mdev UUID (open, so migrating or
running, tests/vm/mig-traffic.sh):

  mdev  migration      a boolean: EBUSY (changed only while closed);
                       anything else: EINVAL
  mdev  remove         0 in some spelling: accepted, nothing done;
                       anything else that is not a number: EINVAL
  type  create         the mdev's own UUID: EEXIST; a new UUID: EBUSY
                       (one mdev per VF); anything else: EINVAL
  PF    sriov_numvfs   its current value: accepted, nothing done; one
                       more: EBUSY (or ERANGE past sriov_totalvfs; at
                       most 10 times, the PCI core warns of each);
                       not a number: EINVAL
  module i40e          delete_module(2) with O_NONBLOCK: EWOULDBLOCK
                       (EAGAIN: the driver uses i40e's PF services, so
                       i40e unloads only after it)
  module i40e_vf_mdev  the same: EWOULDBLOCK (an open device holds it)

No write may remove anything or create anything, and no unload may
succeed (one would fail every later check): removal takes a number
other than 0, which is never written; the mdevs must be open, which the
first write checks (it would turn on a closed mdev's migration, which is
on unless turned off).  Prints one line per attribute
(writes, results) and a last line "N writes, N unexpected"; exits 1 when
a result was not the expected one, or the mdevs' migration attribute
no longer reads "on".
"""
import collections
import ctypes
import errno
import os
import random
import string
import sys
import time
import uuid

MAX_WRITES = 3000
MAX_MORE_VFS = 10
MDEVS = "/sys/bus/mdev/devices"
MODULES = ("i40e", "i40e_vf_mdev")
LIBC = ctypes.CDLL(None, use_errno=True)


def write(path, value):
    """The errno name of writing value to path, or OK"""
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, value.encode())
        finally:
            os.close(fd)
        return "OK"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def unload(name):
    """The errno name of delete_module(name, O_NONBLOCK), or OK"""
    if LIBC.delete_module(name.encode(), os.O_NONBLOCK) == 0:
        return "OK"
    e = ctypes.get_errno()
    return errno.errorcode.get(e, str(e))


def garbage(rng):
    """1 to 64 printable bytes that no attribute here parses: the first
    is a letter that neither kstrtobool() ([yYtT1nNfF0], o[nNfF])
    nor kstrtoul() nor a UUID accepts"""
    first = rng.choice("ghijklmpqrsuvwxz")
    rest = "".join(rng.choice(string.printable)
                   for _ in range(rng.randrange(0, 64)))
    return first + rest


def pokes(rng, u, more_vfs):
    """(path, value, expected) for one write to one of u's attributes;
    more_vfs: whether it may ask the PF for one more VF"""
    mdev = os.path.join(MDEVS, u)
    vf = os.path.dirname(os.path.realpath(mdev))
    pf = os.path.realpath(os.path.join(vf, "physfn"))
    tdir = os.path.realpath(os.path.join(mdev, "mdev_type"))
    what = rng.randrange(5)
    if what == 4:
        return "module " + rng.choice(MODULES), "O_NONBLOCK", "EAGAIN"
    if what == 0:
        if rng.randrange(2):
            return (os.path.join(mdev, "migration"),
                    rng.choice(["0", "1", "y", "n", "on", "off", "Y\n",
                                "N\n", "ON", "oF"]), "EBUSY")
        return os.path.join(mdev, "migration"), garbage(rng), "EINVAL"
    if what == 1:
        if rng.randrange(2):
            return (os.path.join(mdev, "remove"),
                    rng.choice(["0", "0\n", "00", "0x0", "+0"]), "OK")
        return os.path.join(mdev, "remove"), garbage(rng), "EINVAL"
    if what == 2:
        c = rng.randrange(3)
        if c == 0:
            return os.path.join(tdir, "create"), u, "EEXIST"
        if c == 1:
            return (os.path.join(tdir, "create"),
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "EBUSY")
        return os.path.join(tdir, "create"), garbage(rng), "EINVAL"
    with open(os.path.join(pf, "sriov_numvfs")) as f:
        cur = int(f.read())
    with open(os.path.join(pf, "sriov_totalvfs")) as f:
        total = int(f.read())
    c = rng.randrange(3 if more_vfs else 2)
    if c == 0:
        return os.path.join(pf, "sriov_numvfs"), str(cur), "OK"
    if c == 1:
        return os.path.join(pf, "sriov_numvfs"), garbage(rng), "EINVAL"
    return (os.path.join(pf, "sriov_numvfs"), str(cur + 1),
            "EBUSY" if cur + 1 <= total else "ERANGE")


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: sysfs-poke.py SEED STOPFILE UUID...")
    rng = random.Random(int(sys.argv[1]))
    stop, uuids = sys.argv[2], sys.argv[3:]
    seen = collections.defaultdict(collections.Counter)
    # Each must be open: then this write is refused; on a closed mdev it
    # would turn on what is already on, and nothing else is written
    for u in uuids:
        got = write(os.path.join(MDEVS, u, "migration"), "1")
        if got != "EBUSY":
            print("UNEXPECTED: %s is not open (migration=1: %s)" % (u, got))
            print("0 writes, 1 unexpected")
            return 1
    writes = unexpected = more_vfs = 0
    while writes < MAX_WRITES and not os.path.exists(stop):
        path, value, want = pokes(rng, rng.choice(uuids),
                                  more_vfs < MAX_MORE_VFS)
        if want in ("EBUSY", "ERANGE") and path.endswith("sriov_numvfs"):
            more_vfs += 1
        if path.startswith("module "):
            got = unload(path.split()[1])
            name = path
        else:
            got = write(path, value)
            name = os.path.basename(path)
        seen[name][got] += 1
        writes += 1
        if got != want:
            unexpected += 1
            if unexpected <= 10:
                print("UNEXPECTED: %r to %s: %s, not %s"
                      % (value, path, got, want))
        time.sleep(0.01)
    for u in uuids:
        with open(os.path.join(MDEVS, u, "migration")) as f:
            m = f.read().strip()
        if m != "on":
            unexpected += 1
            print("UNEXPECTED: %s's migration attribute reads %s" % (u, m))
    for name in sorted(seen):
        print("%s: %s" % (name, ", ".join(
            "%s %d" % kv for kv in sorted(seen[name].items()))))
    print("%d writes, %d unexpected" % (writes, unexpected))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
