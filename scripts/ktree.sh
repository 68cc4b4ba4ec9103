#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the path of a kernel source tree made from Debian's linux-source
# package, extracting it into the cache on first use. The cache is keyed
# by the package version, so a Debian update makes a new tree and an old
# tree is never half-reused.
#
#   6.1     the host's installed linux-source-6.1
#   7       the newest 7.x series in unstable or trixie-backports
#           (common.sh: new_series), its package fetched with apt-get
#           download and unpacked in the cache, never installed
#
# usage: ktree.sh [6.1|7|7.N]
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=${1:-6.1}
if [ "$series" = 7 ]; then
	series=$(new_series) || die "no linux-source-7.x in the archive or the cache (make deps)"
fi
pkg=linux-source-$series

if ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) && [ -f /usr/src/$pkg.tar.xz ]; then
	tarball=/usr/src/$pkg.tar.xz
else
	# Not the host's: the newest the archive has, else (offline) the
	# newest unpacked before.
	ver=$(new_version "$pkg") ||
		ver=$(ls -d "$NOVAMM_CACHE/$pkg"-*/"$pkg"/.novamm-extracted 2>/dev/null |
			sed "s|^$NOVAMM_CACHE/$pkg-\\([^/]*\\)/.*|\\1|" | sort -V | tail -n 1) ||
		true
	[ -n "$ver" ] || die "$pkg is not in the archive or the cache (make deps)"
	tarball=
fi
tree=$NOVAMM_CACHE/$pkg-$ver/$pkg

if [ ! -f "$tree/.novamm-extracted" ]; then
	mkdir -p "$NOVAMM_CACHE/$pkg-$ver"
	rm -rf "$tree"
	say "extracting $pkg $ver into $NOVAMM_CACHE (once)" >&2
	if [ -z "$tarball" ]; then
		deb=$NOVAMM_CACHE/$pkg-$ver/deb
		rm -rf "$deb"
		mkdir -p "$deb"
		(cd "$deb" && new_apt apt-get download -qq "$pkg=$ver" >/dev/null) ||
			die "apt-get download $pkg=$ver failed"
		dpkg-deb --fsys-tarfile "$deb"/"$pkg"_*.deb |
			tar -x --to-stdout "./usr/src/$pkg.tar.xz" |
			tar -C "$NOVAMM_CACHE/$pkg-$ver" -xJf -
		rm -rf "$deb"
	else
		tar -C "$NOVAMM_CACHE/$pkg-$ver" -xf "$tarball"
	fi
	touch "$tree/.novamm-extracted"
fi
echo "$tree"
