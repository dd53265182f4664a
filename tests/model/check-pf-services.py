#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Register-level check of the model's PF services for VF migration.

    tests/model/check-pf-services.py QEMU_BINARY

Drives the XL710 model through QEMU's qtest protocol (no guest, no
firmware: the script is the driver): LAN queue context read-back
(PFCM_LANCTX*), tx-head-source, live tails through the PF aliases,
vf-tail-read-zero, tx-defer, and that a disabled queue neither reads nor
writes guest memory.  Frames go in and out through a UDP socket netdev.
Prints "ok"/"not ok" lines and "N passed, N failed"; exit 0 if all passed.
tests/run.sh runs it after building the host QEMU; takes a few seconds.
"""
import atexit
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

QEMU = sys.argv[1] if len(sys.argv) > 1 else 'qemu-system-x86_64'

# registers (tests/model/xl710_regs.h)
PFHMC_SDCMD, PFHMC_SDDATALOW, PFHMC_SDDATAHIGH = 0xC0000, 0xC0100, 0xC0200
GLHMC_LANTXBASE0, GLHMC_LANRXBASE0 = 0xC6200, 0xC6400
QTX_ENA = lambda q: 0x100000 + 4 * q
QTX_CTL = lambda q: 0x104000 + 4 * q
QTX_TAIL = lambda q: 0x108000 + 4 * q
QTX_HEAD = lambda q: 0x0E4000 + 4 * q
QRX_ENA = lambda q: 0x120000 + 4 * q
QRX_TAIL = lambda q: 0x128000 + 4 * q
LANCTXDATA = lambda i: 0x10C100 + 0x80 * i
LANCTXCTL, LANCTXSTAT = 0x10C300, 0x10C380
CTX_DONE, CTX_MISS = 1, 2
VPLAN_MAPENA = lambda vf: 0x74000 + 4 * vf
VPLAN_QTABLE = lambda i, vf: 0x70000 + 1024 * i + 4 * vf
VF_QTX_TAIL1 = lambda q: 0x0000 + 4 * q
VF_QRX_TAIL1 = lambda q: 0x2000 + 4 * q

# guest memory layout
MMCFG = 0xB0000000
BAR0 = 0xD0000000
VFBAR0 = 0xD1000000
HMC = 0x200000                   # HMC segment 0
RXCTX_OFF = 0x10000              # LANRXBASE 0x80 (512-byte units)
TXRING, TXBUF = 0x400000, 0x500000
RXRING, RXBUF = 0x600000, 0x700000
QLEN = 64
DEV = 4                          # the PF at 00:04.0, VFs from 00:04.1

passed = failed = 0
machines = []


@atexit.register
def cleanup():
    for p in machines:
        if p.poll() is None:
            p.kill()
            p.wait()


def ok(cond, msg):
    global passed, failed
    if cond:
        passed += 1
        print('ok - ' + msg)
    else:
        failed += 1
        print('not ok - ' + msg)
    return cond


def pack(fields, size):
    """fields: (lsb, width, value) -> little-endian context image"""
    v = 0
    for lsb, width, val in fields:
        assert val < (1 << width)
        v |= val << lsb
    return v.to_bytes(size, 'little')


def rx_ctx(head=0):
    return pack([(0, 13, head), (32, 57, RXRING // 128), (89, 13, QLEN),
                 (102, 7, 2048 // 128), (116, 1, 1), (117, 1, 1),
                 (174, 14, 1522)], 32)


def tx_ctx(head=0):
    return pack([(0, 13, head), (32, 57, TXRING // 128), (161, 13, QLEN)],
                128)


class Machine:
    def __init__(self, props):
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(('127.0.0.1', 0))
        self.udp.settimeout(0.05)
        peer = self.udp.getsockname()[1]
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('127.0.0.1', 0))
        self.qport = s.getsockname()[1]
        s.close()
        self.tmp = tempfile.mkdtemp()
        self.log = os.path.join(self.tmp, 'guest-errors.log')
        qmp = os.path.join(self.tmp, 'qmp.sock')
        self.p = subprocess.Popen(
            [QEMU, '-L', '/usr/share/seabios', '-L', '/usr/share/qemu',
             '-M', 'q35', '-accel', 'qtest', '-m', '64',
             '-nodefaults', '-display', 'none', '-qtest', 'stdio',
             '-qtest-log', '/dev/null',
             '-qmp', 'unix:%s,server=on,wait=off' % qmp,
             '-d', 'guest_errors', '-D', self.log,
             '-netdev', 'socket,id=n0,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d'
             % (peer, self.qport),
             '-device', 'xl710,bus=pcie.0,addr=0x%x,netdev=n0,vfs=2%s'
             % (DEV, ',' + props if props else '')],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        machines.append(self.p)
        for _ in range(100):
            if os.path.exists(qmp):
                break
            time.sleep(0.05)
        self.qmp = socket.socket(socket.AF_UNIX)
        self.qmp.connect(qmp)
        self.qf = self.qmp.makefile('rw')
        self.qf.readline()
        self.qmp_cmd('qmp_capabilities')
        self.path = self.find_pf()
        self.pci_setup()

    def close(self):
        self.p.terminate()
        self.p.wait()
        self.p.stdin.close()
        self.p.stdout.close()
        self.qmp.close()
        self.udp.close()

    def qt(self, line):
        self.p.stdin.write(line + '\n')
        self.p.stdin.flush()
        while True:
            r = self.p.stdout.readline().strip()
            if not r.startswith('IRQ'):
                break
        assert r.startswith('OK'), '%s -> %s' % (line, r)
        return r[3:]

    def qmp_cmd(self, cmd, **args):
        self.qf.write(json.dumps({'execute': cmd, 'arguments': args}) + '\n')
        self.qf.flush()
        while True:
            r = json.loads(self.qf.readline())
            if 'return' in r or 'error' in r:
                assert 'return' in r, r
                return r['return']

    def find_pf(self):
        for o in self.qmp_cmd('qom-list', path='/machine/peripheral-anon'):
            if o['type'].startswith('child<xl710>'):
                return '/machine/peripheral-anon/' + o['name']
        raise RuntimeError('no xl710 in QOM')

    def prop(self, name):
        return self.qmp_cmd('qom-get', path=self.path, property=name)

    def rd(self, a):
        return int(self.qt('readl 0x%x' % a), 16)

    def wr(self, a, v):
        self.qt('writel 0x%x 0x%x' % (a, v))

    def mem(self, a, n):
        return bytes.fromhex(self.qt('read 0x%x 0x%x' % (a, n))[2:])

    def memw(self, a, data):
        self.qt('write 0x%x 0x%x 0x%s' % (a, len(data), data.hex()))

    def cfg(self, fn, off):
        return MMCFG + (DEV << 15) + (fn << 12) + off

    def pci_setup(self):
        # q35 MMCONFIG (PCIEXBAR 00:00.0 0x60: 256 buses, enabled)
        self.qt('outl 0xcf8 0x80000060')
        self.qt('outl 0xcfc 0x%x' % (MMCFG | 1))
        self.wr(self.cfg(0, 0x10), BAR0 | 4)    # 64-bit BAR0
        self.wr(self.cfg(0, 0x14), 0)
        self.wr(self.cfg(0, 0x04), 0x6)         # MSE | bus master

    def reg(self, a):
        return self.rd(BAR0 + a)

    def regw(self, a, v):
        self.wr(BAR0 + a, v)

    def enable_vfs(self, n):
        sr = 0x160
        self.wr(self.cfg(0, sr + 0x24), VFBAR0 | 4)
        self.wr(self.cfg(0, sr + 0x28), 0)
        self.qt('writew 0x%x 0x%x' % (self.cfg(0, sr + 0x10), n))
        self.qt('writew 0x%x 0x9' % self.cfg(0, sr + 0x08))  # VFE | VF MSE

    def hmc_setup(self):
        self.regw(PFHMC_SDDATAHIGH, 0)
        self.regw(PFHMC_SDDATALOW, HMC | 3)    # valid, direct
        self.regw(PFHMC_SDCMD, (1 << 31) | 0)
        self.regw(GLHMC_LANTXBASE0, 0)
        self.regw(GLHMC_LANRXBASE0, RXCTX_OFF // 512)

    def set_rx_ctx(self, q, head=0):
        self.memw(HMC + RXCTX_OFF + 32 * q, rx_ctx(head))

    def set_tx_ctx(self, q, head=0):
        self.memw(HMC + 128 * q, tx_ctx(head))

    def ctx_read(self, q, tx, sub, op=0):
        """one PFCM_LANCTXCTL operation: (STAT, [DATA0..3])"""
        self.regw(LANCTXCTL, q | (sub << 12) | (int(tx) << 15) | (op << 17))
        stat = self.reg(LANCTXSTAT)
        return stat, [self.reg(LANCTXDATA(i)) for i in range(4)]

    def ctx_head(self, q, tx):
        stat, d = self.ctx_read(q, tx, 0)
        assert stat == CTX_DONE, stat
        return d[0] & 0x1fff

    def inject(self, n, size=60):
        for i in range(n):
            f = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01' + b'\x08\x00'
            self.udp.sendto(f + bytes([i]) * (size - 14),
                            ('127.0.0.1', self.qport))
        time.sleep(0.2)
        self.qt('readl 0x%x' % (BAR0 + LANCTXSTAT))   # let the loop run

    def received(self):
        out = []
        time.sleep(0.2)
        self.qt('readl 0x%x' % (BAR0 + LANCTXSTAT))
        while True:
            try:
                out.append(self.udp.recv(65536))
            except socket.timeout:
                return out

    def post_tx(self, first, n):
        """n one-buffer frames in descriptors first.., EOP|RS"""
        for i in range(first, first + n):
            buf = TXBUF + 256 * i
            f = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x02\x08\x00'
            self.memw(buf, f + bytes([i]) * 50)
            qw1 = 0 | (0x3 << 4) | (64 << 34)
            self.memw(TXRING + 16 * i, buf.to_bytes(8, 'little') +
                      qw1.to_bytes(8, 'little'))

    def tx_done(self, i):
        return self.mem(TXRING + 16 * i + 8, 8)[0] & 0xf == 0xf

    def rx_dd(self, i):
        return self.mem(RXRING + 32 * i + 8, 8)[0] & 1 == 1

    def guest_errors(self):
        try:
            with open(self.log) as f:
                return f.read()
        except OSError:
            return ''


def post_rx(m, n):
    for i in range(n):
        m.memw(RXRING + 32 * i, (RXBUF + 2048 * i).to_bytes(8, 'little') +
               bytes(24))


def test_rx_readback():
    print('# Rx: context read-back, live head and tail, disabled queue')
    m = Machine('')
    m.hmc_setup()
    m.set_rx_ctx(0)
    post_rx(m, QLEN)
    host = rx_ctx(0)
    stat, d = m.ctx_read(0, False, 0)
    ok(stat == CTX_DONE and b''.join(x.to_bytes(4, 'little') for x in d)
       == host[:16], 'never enabled: sub-line 0 is the host image')
    stat, d = m.ctx_read(0, False, 1)
    ok(stat == CTX_DONE and b''.join(x.to_bytes(4, 'little') for x in d)
       == host[16:], 'sub-line 1 is bytes 16..31')
    ok(m.reg(LANCTXSTAT) == CTX_DONE, 'reading STAT does not clear it')
    m.regw(QRX_ENA(0), 1)
    ok(m.reg(QRX_ENA(0)) & 4, 'Rx queue 0 enabled (QENA_STAT)')
    m.regw(QRX_TAIL(0), 10)
    ok(m.reg(QRX_TAIL(0)) == 10, 'PF QRX_TAIL reads the live tail (10)')
    m.inject(3)
    ok(all(m.rx_dd(i) for i in range(3)) and not m.rx_dd(3),
       'three frames in descriptors 0..2')
    stat, d = m.ctx_read(0, False, 0)
    ok(stat == CTX_DONE and d[0] & 0x1fff == 3,
       'running: read-back head 3 (got %d)' % (d[0] & 0x1fff))
    ok(d[0] & ~0x1fff == int.from_bytes(host[:4], 'little') & ~0x1fff and
       d[1:] == [int.from_bytes(host[4 * i:4 * i + 4], 'little')
                 for i in range(1, 4)], 'other fields are the host image')
    m.regw(QRX_ENA(0), 0)
    ok(m.reg(QRX_ENA(0)) & 4 == 0, 'Rx queue 0 disabled (QENA_STAT 0)')
    d0 = m.prop('rx-drops-disabled')
    before = m.mem(RXRING, 32 * QLEN) + m.mem(RXBUF, 2048 * 8)
    m.inject(2)
    ok(m.prop('rx-drops-disabled') == d0 + 2,
       'frames for the disabled queue dropped and counted (%d -> %d)'
       % (d0, m.prop('rx-drops-disabled')))
    ok(m.mem(RXRING, 32 * QLEN) + m.mem(RXBUF, 2048 * 8) == before,
       'disabled queue: ring and buffers untouched')
    ok(m.ctx_head(0, False) == 3, 'disabled: read-back head still 3')
    ok(m.reg(QRX_TAIL(0)) == 10, 'disabled: QRX_TAIL still 10')
    # errors: sub-line, queue, op code
    stat, _ = m.ctx_read(0, False, 2)
    ok(stat == CTX_MISS, 'Rx sub-line 2: CTX_MISS, not DONE')
    stat, _ = m.ctx_read(200, False, 0)
    ok(stat == CTX_MISS, 'queue 200: CTX_MISS')
    stat, _ = m.ctx_read(0, False, 0, op=1)
    ok(stat == CTX_MISS, 'write op code: CTX_MISS (not modelled)')
    ge = m.guest_errors()
    ok('context write not modelled' in ge and 'sub-line out of range' in ge,
       'guest errors logged for them')
    # restore from the saved head: context head 3, enable, old tail
    m.set_rx_ctx(0, head=3)
    m.regw(QRX_ENA(0), 1)
    m.regw(QRX_TAIL(0), 10)
    m.inject(1)
    ok(m.rx_dd(3) and not m.rx_dd(4) and m.ctx_head(0, False) == 4,
       'restored at head 3: next frame in descriptor 3')
    m.close()


def test_tx(props, reg):
    print('# Tx: %s' % props)
    m = Machine(props)
    m.hmc_setup()
    m.set_tx_ctx(0)
    m.regw(QTX_HEAD(0), 0)
    m.regw(QTX_ENA(0), 1)
    ok(m.reg(QTX_ENA(0)) & 4, 'Tx queue 0 enabled')
    m.post_tx(0, 2)
    m.regw(QTX_TAIL(0), 2)
    ok(m.reg(QTX_TAIL(0)) == 2, 'PF QTX_TAIL reads the live tail (2)')
    ok(m.prop('tx-deferred') == 1, 'tail write deferred (tx-deferred 1)')
    ok(not m.tx_done(0) and m.reg(QTX_HEAD(0)) == 0,
       'nothing sent before the deferred work runs')
    ok(len(m.received()) == 0, 'no frame on the wire yet')
    m.qt('clock_step 2000000000')
    ok(len(m.received()) == 2 and m.tx_done(0) and m.tx_done(1) and
       m.reg(QTX_HEAD(0)) == 2, 'deferred work sent 2 frames, head 2')
    # quiesce between a tail write and the deferred work
    m.post_tx(2, 3)
    m.regw(QTX_TAIL(0), 5)
    m.regw(QTX_ENA(0), 0)
    ok(m.reg(QTX_ENA(0)) & 4 == 0, 'disabled before the deferred work')
    ok(m.prop('tx-defer-cancelled') == 1, 'pending work cancelled (1)')
    ring = m.mem(TXRING, 16 * QLEN)
    m.qt('clock_step 2000000000')
    ok(len(m.received()) == 0 and m.mem(TXRING, 16 * QLEN) == ring,
       'disabled: nothing sent, ring untouched')
    ok(m.reg(QTX_HEAD(0)) == 2 and m.reg(QTX_TAIL(0)) == 5,
       'saved head 2 (QTX_HEAD), tail 5 (QTX_TAIL)')
    ok(m.ctx_head(0, True) == 2, 'Tx read-back head 2')
    stat, _ = m.ctx_read(0, True, 7)
    ok(stat == CTX_DONE, 'Tx sub-line 7: CTX_DONE')
    # restore: with "reg" only QTX_HEAD carries the head, with "ctx" only
    # the context does; the other one says 0 to show which one won
    if reg:
        m.set_tx_ctx(0, head=0)
        m.regw(QTX_HEAD(0), 2)
    else:
        m.set_tx_ctx(0, head=2)
        m.regw(QTX_HEAD(0), 0)
    m.regw(QTX_ENA(0), 1)
    ok(m.reg(QTX_HEAD(0)) == 2, 'enabled at head 2 (from %s)'
       % ('QTX_HEAD' if reg else 'the context'))
    m.regw(QTX_TAIL(0), 5)
    m.qt('clock_step 2000000000')
    got = m.received()
    ok(len(got) == 3 and all(m.tx_done(i) for i in range(2, 5)) and
       m.reg(QTX_HEAD(0)) == 5, 'the 3 posted frames sent after restore')
    ok([f[14] for f in got] == [2, 3, 4], 'in order (descriptors 2..4)')
    m.regw(QTX_HEAD(0), 1)
    ok(m.reg(QTX_HEAD(0)) == 5 and 'QTX_HEAD written' in m.guest_errors(),
       'QTX_HEAD write while enabled: ignored, logged')
    m.close()


def test_head_source_default():
    print('# tx-head-source default (ctx), synchronous Tx')
    m = Machine('')
    ok(m.prop('tx-head-source') == 'ctx', 'default tx-head-source is ctx')
    m.hmc_setup()
    m.set_tx_ctx(0, head=0)
    m.regw(QTX_HEAD(0), 7)
    m.regw(QTX_ENA(0), 1)
    ok(m.reg(QTX_HEAD(0)) == 0, 'ctx: QTX_HEAD 7 ignored, head 0')
    m.post_tx(0, 1)
    m.regw(QTX_TAIL(0), 1)
    ok(m.tx_done(0) and m.reg(QTX_HEAD(0)) == 1 and
       m.prop('tx-deferred') == 0, 'without tx-defer: sent at the tail write')
    ok(len(m.received()) == 1, 'one frame on the wire')
    m.close()


def test_tx_bh():
    print('# tx-defer with a bottom half')
    m = Machine('tx-defer=on')
    m.hmc_setup()
    m.set_tx_ctx(0)
    m.regw(QTX_ENA(0), 1)
    m.post_tx(0, 4)
    m.regw(QTX_TAIL(0), 4)
    ok(len(m.received()) == 4 and m.reg(QTX_HEAD(0)) == 4,
       'bottom half sent 4 frames')
    m.close()


def test_vf_tails(zero):
    print('# VF tails%s' % (' (vf-tail-read-zero)' if zero else ''))
    m = Machine('vf-tail-read-zero=on' if zero else '')
    m.enable_vfs(1)
    # VF 0's queue 0 is PF queue 8, owned by VF 0 (QTX_CTL VF queue, vf 0)
    m.regw(VPLAN_MAPENA(0), 1)
    m.regw(VPLAN_QTABLE(0, 0), 8)
    m.regw(QTX_CTL(8), 0)
    m.wr(VFBAR0 + VF_QRX_TAIL1(0), 33)
    m.wr(VFBAR0 + VF_QTX_TAIL1(0), 21)
    ok(m.reg(QRX_TAIL(8)) == 33 and m.reg(QTX_TAIL(8)) == 21,
       'PF aliases read the tails the VF wrote (33, 21)')
    exp = (0, 0) if zero else (33, 21)
    got = (m.rd(VFBAR0 + VF_QRX_TAIL1(0)), m.rd(VFBAR0 + VF_QTX_TAIL1(0)))
    ok(got == exp, 'VF tail reads %s (got %s)' % (exp, got))
    m.close()


test_rx_readback()
test_tx('tx-defer=on,tx-defer-us=1000000,tx-head-source=reg', True)
test_tx('tx-defer=on,tx-defer-us=1000000', False)
test_head_source_default()
test_tx_bh()
test_vf_tails(False)
test_vf_tails(True)
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
