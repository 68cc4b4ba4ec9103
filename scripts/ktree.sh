#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the path of a kernel source tree made from Debian's linux-source
# package, extracting it into the cache on first use. The cache is keyed
# by the package version, so a Debian update makes a new tree and an old
# tree is never half-reused.
#
# usage: ktree.sh [6.1]
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=${1:-6.1}
pkg=linux-source-$series
ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "$pkg is not installed (make deps)"
tree=$NOVAMM_CACHE/$pkg-$ver/linux-source-$series

if [ ! -f "$tree/.novamm-extracted" ]; then
	mkdir -p "$NOVAMM_CACHE/$pkg-$ver"
	rm -rf "$tree"
	say "extracting $pkg $ver into $NOVAMM_CACHE (once)" >&2
	tar -C "$NOVAMM_CACHE/$pkg-$ver" -xf /usr/src/$pkg.tar.xz
	touch "$tree/.novamm-extracted"
fi
echo "$tree"
