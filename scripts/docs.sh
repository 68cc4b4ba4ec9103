#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build Documentation/ as HTML with Sphinx and the kernel's kernel-doc
# extension (Documentation/conf.py), every warning an error. Prints the
# directory of the pages.
#
# usage: docs.sh [OUTDIR]   (default: the cache)
set -euo pipefail
. "$(dirname "$0")/common.sh"

NOVAMM_KTREE=$("$NOVAMM_TOP/scripts/ktree.sh" 6.1)
export NOVAMM_TOP NOVAMM_KTREE
out=${1:-$NOVAMM_CACHE/htmldocs}
command -v sphinx-build >/dev/null || die "no sphinx-build (make deps)"
rm -rf "$out" "$out.doctrees"
sphinx-build -q -W --keep-going -b html -d "$out.doctrees" \
	"$NOVAMM_TOP/Documentation" "$out" >&2
echo "$out"
