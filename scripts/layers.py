#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""List the include edges between novamm's directories; fail on a cycle.

A directory's public face is its header in include/novamm/ (regs.h, the
register definitions, belongs to hw/; include/uapi/novamm.h to uapi/). An
edge A -> B says that a file of A includes B's header. The directories must
form layers: the graph, less the edges named in scripts/layers.txt, must
have no cycle. layers.txt names the edges that still point up, each a debt
to pay; an edge named there that no longer exists fails the check too, so
that the list only shrinks.

usage: layers.py [--list] [--assume FROM:TO]...
  --list         print every edge with the files that make it
  --assume A:B   add an edge no file makes, to show that the check sees
                 the cycle it would close (lint does, for pramin:core)
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Every top-level directory with sources is one, so a new one is never
# missed; include/ holds their public faces.
NOT_DIRS = {'include', 'Documentation', 'scripts'}
# Headers of include/novamm/ that are not named for their directory.
OWNER = {'regs': 'hw', 'compat': 'compat'}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def owner(path):
    """The directory a header included by a novamm file belongs to."""
    m = re.fullmatch(r'novamm/(\w+)\.h', path)
    if m:
        return OWNER.get(m.group(1), m.group(1))
    if path in ('uapi/novamm.h', 'novamm.h'):
        return 'uapi'
    return None


def dirs():
    return sorted(d for d in os.listdir(TOP)
                  if d not in NOT_DIRS and not d.startswith('.') and
                  os.path.isdir(os.path.join(TOP, d)))


def edges():
    found = {}
    for d in dirs():
        for root, _, files in os.walk(os.path.join(TOP, d)):
            for f in sorted(files):
                if not f.endswith(('.c', '.h')):
                    continue
                path = os.path.join(root, f)
                with open(path, encoding='utf-8') as fh:
                    text = fh.read()
                for inc in INCLUDE.findall(text):
                    to = owner(inc)
                    if to and to != d:
                        found.setdefault((d, to), []).append(
                            os.path.relpath(path, TOP))
    hdr = os.path.join(TOP, 'include', 'novamm')
    for f in sorted(os.listdir(hdr)):
        d = OWNER.get(f[:-2], f[:-2])
        with open(os.path.join(hdr, f), encoding='utf-8') as fh:
            for inc in INCLUDE.findall(fh.read()):
                to = owner(inc)
                if to and to != d:
                    found.setdefault((d, to), []).append('include/novamm/' + f)
    return found


def allowed():
    out = {}
    with open(os.path.join(TOP, 'scripts', 'layers.txt'), encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r'(\w+)\s*->\s*(\w+)', line)
            if not m:
                sys.exit(f'layers.txt:{n}: expected "from -> to"')
            out[(m.group(1), m.group(2))] = n
    return out


def cycle(graph):
    """One cycle of graph (a dict of sets), as a list of nodes, or None."""
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def main():
    found = edges()
    debts = allowed()
    args = sys.argv[1:]
    for i, a in enumerate(args):
        if a == '--assume' and i + 1 < len(args):
            frm, _, to = args[i + 1].partition(':')
            found.setdefault((frm, to), []).append('(assumed)')
    if '--list' in args:
        for (a, b), files in sorted(found.items()):
            mark = '  (listed in layers.txt)' if (a, b) in debts else ''
            print(f'{a} -> {b}{mark}: {", ".join(sorted(set(files)))}')
    bad = 0
    for (a, b), n in sorted(debts.items(), key=lambda x: x[1]):
        if (a, b) not in found:
            print(f'layers: layers.txt:{n}: {a} -> {b} is gone: remove the line')
            bad += 1
    graph = {}
    for (a, b) in found:
        if (a, b) not in debts:
            graph.setdefault(a, set()).add(b)
    c = cycle(graph)
    if c:
        print('layers: include cycle: ' + ' -> '.join(c))
        for a, b in zip(c, c[1:]):
            print(f'  {a} -> {b}: {", ".join(sorted(set(found[(a, b)])))}')
        bad += 1
    print(f'layers: {len(found)} edges between directories, '
          f'{len(debts)} listed as pointing up, {"no cycle" if not c else "a cycle"}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
