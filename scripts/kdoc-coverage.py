#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""List the non-static functions of novamm's C files that have no kernel-doc.

A function defined without ``static`` is reachable from another file, so
its contract belongs in a kernel-doc comment: ahead of its definition, or
ahead of its declaration in a header. Kernel style makes definitions easy
to find: the opening brace of a function body stands alone in column 0,
below the prototype.

usage: kdoc-coverage.py FILE...   (prints one line per finding; exit 1 if any)
"""
import re
import sys

DOC_NAME = re.compile(r"/\*\*[ \t]*\n[ \t]*\*[ \t]*(\w+)\(\)")
PROTO_NAME = re.compile(r"^[^(]*?\b(\w+)\s*\(")
# Lines that end the text above a prototype.
ENDS = (";", "}", "*/", "{")


def documented(files):
    names = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            names.update(m.group(1) for m in DOC_NAME.finditer(f.read()))
    return names


def definitions(path):
    """Yield (line, name) for every function defined in path, static excluded."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if line != "{":
            continue
        j = i - 1
        proto = []
        while (j >= 0 and lines[j].strip() and not lines[j].startswith("#") and
               not lines[j].rstrip().endswith(ENDS)):
            proto.insert(0, lines[j].strip())
            j -= 1
        text = " ".join(proto)
        if "(" not in text or text.startswith("static"):
            continue
        m = PROTO_NAME.match(text)
        if m:
            yield i - len(proto) + 1, m.group(1)


def main(files):
    names = documented(files)
    found = 0
    for path in files:
        if not path.endswith(".c"):
            continue
        for line, name in definitions(path):
            if name not in names:
                print("%s:%d: %s() is not static and has no kernel-doc" %
                      (path, line, name))
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
