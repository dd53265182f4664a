#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A live migration's timeline from the driver's tracepoints, as a picture.

    mig-timeline.py TRACE SVG [TITLE]

TRACE is the text of /sys/kernel/tracing/trace with the i40e_vf_mdev
events (mig_arc, dirty_report, trap_access) and the test's trace_marker
lines ("mig: ...": the migration's start, its end, and as long after
it), as tests/vm/cases/mig-bench.sh records them.  SVG
gets one lane per mdev with the migration state it was in over time (its
arcs), the DMA logging reports (a tick each, its height the pages
reported), the trapped BAR0 accesses per 100 ms by page (Tx tail, Rx
tail, mailbox, other), and the markers.  A summary goes to stdout: per
mdev its arcs with their times, the reports, and the traps before,
during and after the migration (between the first and the second
marker).
"""
import math
import re
import sys

STATES = {0: "ERROR", 1: "STOP", 2: "RUNNING", 3: "STOP_COPY", 4: "RESUMING",
          5: "RUNNING_P2P", 6: "PRE_COPY", 7: "PRE_COPY_P2P"}
COLOURS = {"ERROR": "#d62728", "STOP": "#7f7f7f", "RUNNING": "#2ca02c",
           "STOP_COPY": "#ff7f0e", "RESUMING": "#1f77b4",
           "RUNNING_P2P": "#98df8a", "PRE_COPY": "#ffbb78",
           "PRE_COPY_P2P": "#c5b0d5"}
# BAR0 pages of the VF's trapped registers (regs.h): Tx tail, Rx tail,
# and the mailbox (admin queue) registers
PAGES = (("tx_tail", 0x0000), ("rx_tail", 0x2000), ("mailbox", 0x6000),
         ("mailbox", 0x7000), ("mailbox", 0x8000))
KINDS = ("tx_tail", "rx_tail", "mailbox", "other")
KIND_COLOURS = {"tx_tail": "#9467bd", "rx_tail": "#1f77b4",
                "mailbox": "#8c564b", "other": "#e377c2"}

LINE = re.compile(r"^\s*\S.*?\s(\d+\.\d+):\s+(\S+?):\s+(.*)$")
ARC = re.compile(r"^(\S+) (\d+) -> (\d+): (-?\d+)")
REPORT = re.compile(r"^(\S+) 0x([0-9a-f]+)\+0x([0-9a-f]+): (\d+) pages: (-?\d+)")
TRAP = re.compile(r"^(\S+) (read|write) 0x([0-9a-f]+)/(\d)")


def kind(offset):
    for name, base in PAGES:
        if base <= offset < base + 0x1000:
            return name
    return "other"


def parse(path):
    arcs, reports, traps, marks = [], [], [], []
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            t, event, rest = float(m.group(1)), m.group(2), m.group(3)
            if event.endswith("i40e_vf_mdev_mig_arc"):
                a = ARC.match(rest)
                if a:
                    arcs.append((t, a.group(1), int(a.group(2)),
                                 int(a.group(3)), int(a.group(4))))
            elif event.endswith("i40e_vf_mdev_dirty_report"):
                r = REPORT.match(rest)
                if r:
                    reports.append((t, r.group(1), int(r.group(4)),
                                    int(r.group(5))))
            elif event.endswith("i40e_vf_mdev_trap_access"):
                r = TRAP.match(rest)
                if r:
                    traps.append((t, r.group(1), kind(int(r.group(3), 16))))
            elif event == "tracing_mark_write":
                marks.append((t, rest.strip()))
    return arcs, reports, traps, marks


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: mig-timeline.py TRACE SVG [TITLE]")
    arcs, reports, traps, marks = parse(sys.argv[1])
    title = sys.argv[3] if len(sys.argv) > 3 else "migration timeline"
    times = [a[0] for a in arcs] + [r[0] for r in reports] + \
        [m[0] for m in marks]
    if not arcs or not times:
        sys.exit("no migration arcs in %s" % sys.argv[1])
    t0, t1 = min(times) - 0.5, max(times) + 0.5
    devs = sorted({a[1] for a in arcs}, key=lambda d: min(
        a[0] for a in arcs if a[1] == d))

    # summary
    print("# timeline %.2f s; markers:" % (t1 - t0))
    for t, text in marks:
        print("#   %8.3f %s" % (t - t0, text))
    m0 = marks[0][0] if marks else t0
    m1 = marks[1][0] if len(marks) > 1 else t1
    for d in devs:
        print("# %s arcs:" % d)
        for t, dev, a, b, ret in arcs:
            if dev == d:
                print("#   %8.3f %s -> %s%s" % (
                    t - t0, STATES.get(a, a), STATES.get(b, b),
                    "" if not ret else " failed %d" % ret))
    if reports:
        print("# DMA logging reports: %d, pages %s" % (
            len(reports), " ".join(str(r[2]) for r in reports)))
    phases = {"before": 0, "during": 0, "after": 0}
    per_kind = {}
    for t, dev, k in traps:
        ph = "before" if t < m0 else "after" if t > m1 else "during"
        phases[ph] += 1
        per_kind.setdefault((ph, k), 0)
        per_kind[(ph, k)] += 1
    for ph in ("before", "during", "after"):
        print("# traps %s the migration: %d (%s)" % (ph, phases[ph], ", ".join(
            "%s %d" % (k, per_kind.get((ph, k), 0)) for k in KINDS)))

    # picture
    width, left, lane = 1100, 170, 34
    scale = (width - left - 20) / (t1 - t0)
    x = lambda t: left + (t - t0) * scale
    lanes = len(devs) + 2
    top = 40
    height = top + lanes * (lane + 16) + 130
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14">%s</text>' % esc(title)]
    y = top
    for d in devs:
        out.append('<text x="10" y="%d">%s</text>' % (y + lane / 2 + 4,
                                                       esc(d[:24])))
        mine = [a for a in arcs if a[1] == d]
        for i, (t, dev, a, b, ret) in enumerate(mine):
            end = mine[i + 1][0] if i + 1 < len(mine) else t1
            state = STATES.get(b if not ret else a, "?")
            w = max(x(end) - x(t), 1)
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" '
                       'fill="%s"><title>%s %.3f s</title></rect>' % (
                           x(t), y, w, lane, COLOURS.get(state, "#000"),
                           state, end - t))
            if w > 60:
                out.append('<text x="%.1f" y="%d">%s</text>' % (
                    x(t) + 3, y + lane / 2 + 4, state))
        y += lane + 16
    # reports
    out.append('<text x="10" y="%d">DMA logging reports</text>' % (
        y + lane / 2 + 4))
    top_pages = max([r[2] for r in reports] + [1])
    for t, dev, pages, ret in reports:
        h = max(2, lane * math.log1p(pages) / math.log1p(top_pages))
        out.append('<rect x="%.1f" y="%.1f" width="2" height="%.1f" '
                   'fill="#17becf"><title>%d pages</title></rect>' % (
                       x(t), y + lane - h, h, pages))
    y += lane + 16
    # traps per 100 ms, stacked by kind
    out.append('<text x="10" y="%d">traps / 100 ms</text>' % (
        y + lane / 2 + 4))
    bins = {}
    for t, dev, k in traps:
        if t0 <= t <= t1:
            b = int((t - t0) * 10)
            bins.setdefault(b, {}).setdefault(k, 0)
            bins[b][k] += 1
    top_bin = max([sum(v.values()) for v in bins.values()] + [1])
    for b, counts in bins.items():
        base = y + lane
        for k in KINDS:
            n = counts.get(k, 0)
            if not n:
                continue
            h = lane * n / top_bin
            base -= h
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                       'fill="%s"><title>%s %d</title></rect>' % (
                           x(t0 + b / 10), base, max(scale / 10, 1), h,
                           KIND_COLOURS[k], k, n))
    out.append('<text x="%d" y="%d">max %d</text>' % (
        width - 80, y - 2, top_bin))
    y += lane + 16
    # markers and the time axis
    for t, text in marks:
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" '
                   'stroke="black" stroke-dasharray="3,3"/>' % (
                       x(t), x(t), top - 5, y))
        out.append('<text x="%.1f" y="%d" transform="rotate(30 %.1f %d)">'
                   '%s</text>' % (x(t), y + 12, x(t), y + 12, esc(text)))
    step = 10 ** math.floor(math.log10(max(t1 - t0, 1)))
    t = 0.0
    while t <= t1 - t0:
        out.append('<text x="%.1f" y="%d" fill="#555">%g s</text>' % (
            x(t0 + t), height - 8, t))
        t += step
    legend = list(COLOURS.items()) + list(KIND_COLOURS.items())
    for i, (name, colour) in enumerate(legend):
        lx = left + (i % 6) * 150
        ly = height - 60 + (i // 6) * 16
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>'
                   '<text x="%d" y="%d">%s</text>' % (
                       lx, ly, colour, lx + 14, ly + 9, name))
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
