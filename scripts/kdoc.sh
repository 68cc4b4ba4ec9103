#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's scripts/kernel-doc, from the tree in $NOVAMM_KTREE, as the
# documentation build calls it (Documentation/conf.py), made strict: a
# warning, or a directive that pulls nothing in, fails the directive,
# and Sphinx -W fails the build. Arguments are kernel-doc's own.
set -uo pipefail
err=$(mktemp)
trap 'rm -f "$err"' EXIT
out=$(perl "$NOVAMM_KTREE/scripts/kernel-doc" "$@" 2>"$err")
rc=$?
if [ $rc -ne 0 ] || [ -s "$err" ] || [ -z "$out" ]; then
	cat "$err" >&2
	[ -n "$out" ] || echo "kernel-doc $*: nothing to include" >&2
	exit 1
fi
printf '%s\n' "$out"
