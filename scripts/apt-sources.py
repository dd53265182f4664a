#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Derive the apt entries the project needs from the machine's own ones.

The build needs Debian's sources (`apt-get source qemu`, deb-src) and the
modern consumer stack needs the distribution's backports suite (QEMU 10,
libvirt 11.3).  Neither may name an archive: both are derived from the
`deb` entries the machine already has, with the same URIs, components,
options (Signed-By above all: apt refuses two entries for one source with
different Signed-By) and the same format (one-line .list or deb822
.sources).

Only entries of the machine's distribution are used (suite CODENAME or
CODENAME-*); third-party repositories are left alone.  Added:
  - deb-src for every such suite that has no deb-src entry yet;
  - deb and deb-src for CODENAME-backports next to each entry that carries
    the plain CODENAME suite, unless the machine already has it.

The files this script writes (NAME.list, NAME.sources) are ignored as
input, so running it again gives the same result and replaces whatever an
earlier version of it wrote.  Exit 0 with the files written (or removed
when there is nothing to add); "unchanged" or "written" on stdout.

usage: apt-sources.py [--etc DIR] [--codename NAME] [--name NAME]
"""

import argparse
import glob
import os
import re
import sys


def parse_oneline(path):
	"""Entries of a one-line style file: dicts with types, uris, suites,
	components, options (the raw '[...]' text, or '')."""
	out = []
	with open(path, encoding='utf-8') as f:
		for raw in f:
			line = raw.split('#', 1)[0].strip()
			if not line:
				continue
			m = re.match(r'^(deb|deb-src)\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$',
				     line)
			if not m:
				continue
			out.append({
				'types': [m.group(1)],
				'options': (m.group(2) or '').strip(),
				'uris': [m.group(3)],
				'suites': [m.group(4)],
				'components': m.group(5).split(),
				'fmt': 'list',
			})
	return out


def parse_deb822(path):
	"""Stanzas of a deb822 .sources file, as ordered (key, value) lists."""
	stanzas, cur, key = [], [], None
	with open(path, encoding='utf-8') as f:
		for raw in f:
			line = raw.rstrip('\n')
			if line.startswith('#'):
				continue
			if not line.strip():
				if cur:
					stanzas.append(cur)
				cur, key = [], None
				continue
			if line[0] in ' \t' and key is not None:
				# Continuation (e.g. an inline Signed-By key).
				cur[-1] = (key, cur[-1][1] + '\n' + line)
				continue
			if ':' not in line:
				continue
			key, val = line.split(':', 1)
			key = key.strip()
			cur.append((key, val.strip()))
	if cur:
		stanzas.append(cur)
	out = []
	for st in stanzas:
		fields = {k.lower(): v for k, v in st}
		if fields.get('enabled', 'yes').lower() == 'no':
			continue
		out.append({
			'types': fields.get('types', '').split(),
			'uris': fields.get('uris', '').split(),
			'suites': fields.get('suites', '').split(),
			'components': fields.get('components', '').split(),
			# Everything but what we rewrite, in its order.
			'extra': [(k, v) for k, v in st
				  if k.lower() not in ('types', 'uris', 'suites',
						       'components', 'enabled')],
			'fmt': 'sources',
		})
	return out


def norm(uri):
	return uri.rstrip('/')


def ours(suite, codename):
	return suite == codename or suite.startswith(codename + '-')


def derive(entries, codename):
	"""(entry, type, suites) to write, grouped as in the input entries."""
	have = set()
	for e in entries:
		for t in e['types']:
			for u in e['uris']:
				for s in e['suites']:
					have.add((t, norm(u), s))
	adds = []
	for e in entries:
		if 'deb' not in e['types']:
			continue
		suites = [s for s in e['suites'] if ours(s, codename)]
		if not suites:
			continue
		if codename in suites:
			suites.append(codename + '-backports')
		for t in ('deb', 'deb-src'):
			new = [s for s in suites
			       if not all((t, norm(u), s) in have for u in e['uris'])]
			for s in new:
				for u in e['uris']:
					have.add((t, norm(u), s))
			if new:
				adds.append((e, t, new))
	return adds


def render(adds, fmt):
	if fmt == 'list':
		lines = []
		for e, t, suites in adds:
			opts = (e['options'] + ' ') if e['options'] else ''
			for u in e['uris']:
				for s in suites:
					lines.append('%s %s%s %s %s' % (
						t, opts, u, s, ' '.join(e['components'])))
		return '\n'.join(lines) + '\n'
	stanzas = []
	for e, t, suites in adds:
		st = ['Types: ' + t, 'URIs: ' + ' '.join(e['uris']),
		      'Suites: ' + ' '.join(suites),
		      'Components: ' + ' '.join(e['components'])]
		st += ['%s: %s' % kv for kv in e['extra']]
		stanzas.append('\n'.join(st))
	return '\n\n'.join(stanzas) + '\n'


HEADER = ('# Written by i40e_vf_mdev scripts/apt-sources.py from this machine\'s\n'
	  '# own entries (deb-src and backports); edits are overwritten.\n')


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument('--etc', default='/etc/apt')
	ap.add_argument('--codename')
	ap.add_argument('--name', default='i40e-vf-mdev-src')
	a = ap.parse_args()
	codename = a.codename
	if not codename:
		with open('/etc/os-release', encoding='utf-8') as f:
			m = re.search(r'^VERSION_CODENAME=(\S+)', f.read(), re.M)
		if not m:
			sys.exit('apt-sources: no VERSION_CODENAME in /etc/os-release')
		codename = m.group(1).strip('"')
	parts = os.path.join(a.etc, 'sources.list.d')
	mine = {os.path.join(parts, a.name + ext) for ext in ('.list', '.sources')}
	entries = []
	files = [os.path.join(a.etc, 'sources.list')]
	files += sorted(glob.glob(os.path.join(parts, '*.list')))
	files += sorted(glob.glob(os.path.join(parts, '*.sources')))
	for p in files:
		if p in mine or not os.path.isfile(p):
			continue
		entries += parse_deb822(p) if p.endswith('.sources') else parse_oneline(p)
	if not any(ours(s, codename) for e in entries if 'deb' in e['types']
		   for s in e['suites']):
		sys.exit('apt-sources: no deb entry for %s in %s' % (codename, a.etc))
	adds = derive(entries, codename)
	changed = False
	for fmt in ('list', 'sources'):
		path = os.path.join(parts, a.name + '.' + fmt)
		part = [x for x in adds if x[0]['fmt'] == fmt]
		text = HEADER + render(part, fmt) if part else None
		old = None
		if os.path.exists(path):
			with open(path, encoding='utf-8') as f:
				old = f.read()
		if old == text:
			continue
		changed = True
		if text is None:
			os.unlink(path)
			continue
		os.makedirs(parts, exist_ok=True)
		with open(path + '.tmp', 'w', encoding='utf-8') as f:
			f.write(text)
		os.rename(path + '.tmp', path)
	print('written' if changed else 'unchanged')


if __name__ == '__main__':
	main()
