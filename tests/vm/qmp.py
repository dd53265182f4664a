#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""QMP client for tests: talks to the host QEMU from inside L1 through the
virtio serial port "org.i40evfm.qmp" (run-l1.sh --model), or to a unix
socket given with --socket.

  qmp.py [--socket PATH] CMD [JSON-ARGS]      prints the "return" value as JSON
  qmp.py find-type TYPE                        prints QOM paths of objects of TYPE
"""
import glob
import json
import os
import socket
import sys


class Qmp:
    def __init__(self, sock_path=None):
        if sock_path:
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock_path)
            self.f = s.makefile('rwb', buffering=0)
        else:
            self.f = open(self._port(), 'r+b', buffering=0)
        self.buf = b''
        self.seq = 0
        if sock_path:
            self._read()  # greeting
            self.cmd('qmp_capabilities')
        else:
            # The virtio port carries one long-lived QMP session: only the
            # first user sees the greeting, and capabilities may already be
            # negotiated (then this is an error, ignored).
            self.cmd('qmp_capabilities', check=False)

    @staticmethod
    def _port():
        for n in glob.glob('/sys/class/virtio-ports/*/name'):
            if open(n).read().strip() == 'org.i40evfm.qmp':
                return '/dev/' + n.split('/')[-2]
        raise SystemExit('qmp.py: no virtio port org.i40evfm.qmp '
                         '(is L1 running with run-l1.sh --model?)')

    def _read(self):
        while True:
            while b'\n' not in self.buf:
                chunk = self.f.read(65536)
                if not chunk:
                    raise SystemExit('qmp.py: connection closed')
                self.buf += chunk
            line, self.buf = self.buf.split(b'\n', 1)
            if not line.strip():
                continue
            msg = json.loads(line)
            if 'event' in msg or 'QMP' in msg:
                continue
            return msg

    def cmd(self, name, check=True, **args):
        # Tag each request: answers left over from an earlier, interrupted
        # user of the shared session are skipped.
        self.seq += 1
        tag = 'qmp.py-%d-%d' % (os.getpid(), self.seq)
        req = {'execute': name, 'id': tag}
        if args:
            req['arguments'] = args
        self.f.write(json.dumps(req).encode() + b'\n')
        while True:
            msg = self._read()
            if msg.get('id') == tag:
                break
        if 'error' in msg and check:
            raise SystemExit('qmp.py: %s: %s' % (name, msg['error']))
        return msg.get('return')

    def find_type(self, typ, path='/machine'):
        found = []
        for p in self.cmd('qom-list', path=path):
            t = p['type']
            if t.startswith('child<'):
                child = path.rstrip('/') + '/' + p['name']
                if t[6:-1] == typ:
                    found.append(child)
                found += self.find_type(typ, child)
        return found


def main(argv):
    sock = None
    if len(argv) > 2 and argv[1] == '--socket':
        sock = argv[2]
        argv = argv[2:]
    if len(argv) < 2:
        raise SystemExit(__doc__)
    q = Qmp(sock)
    if argv[1] == 'find-type':
        print('\n'.join(q.find_type(argv[2])))
        return
    args = json.loads(argv[2]) if len(argv) > 2 else {}
    print(json.dumps(q.cmd(argv[1], **args)))


if __name__ == '__main__':
    main(sys.argv)
