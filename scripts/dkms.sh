#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# DKMS as a user installs novamm (README.md): dkms add, dkms build and
# dkms remove of a copy of the tree, against Debian's 6.1 headers, with
# the project's dkms.conf. DKMS runs with source, build and key trees of
# its own in the cache, so the host's /usr/src, /var/lib/dkms and
# installed modules are never touched.
#
# usage: dkms.sh
set -uo pipefail
. "$(dirname "$0")/common.sh"

passed=0
failed=0
# check NAME COMMAND...: one check, its output shown on failure.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "  ok   $name"
		passed=$((passed + 1))
	else
		echo "  FAIL $name"
		echo "$out" | tail -n 30 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

command -v dkms >/dev/null || { result dkms 0 1; die "dkms is not installed (make deps)"; }
kver=$(kver_61)
[ -n "$kver" ] && [ -d "/lib/modules/$kver/build" ] ||
	{ result dkms 0 1; die "no Debian 6.1 headers under /lib/modules (make deps)"; }
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$NOVAMM_TOP/dkms.conf")
[ -n "$version" ] || { result dkms 0 1; die "dkms.conf has no PACKAGE_VERSION"; }

d=$NOVAMM_CACHE/dkms
rm -rf "$d"
mkdir -p "$d/src" "$d/tree" "$d/keys"
sync_sources "$d/src/novamm-$version"
opts=(-m novamm -v "$version" --sourcetree "$d/src" --dkmstree "$d/tree")
# dkms signs what it builds, with a key it makes where none exists: keep
# that one here too.
export mok_signing_key=$d/keys/mok.key mok_certificate=$d/keys/mok.pub

# The modules dkms built for $kver, with that kernel's vermagic.
built_for() {	# $1: kernel release
	local m f n=0
	for m in novamm novamm_sim; do
		f=$(ls "$d/tree/novamm/$version/$1/x86_64/module/$m.ko"* 2>/dev/null | head -n 1)
		[ -n "$f" ] || { echo "no $m.ko in $d/tree/novamm/$version/$1"; return 1; }
		modinfo -F vermagic "$f" | grep -q "^$1 " ||
			{ echo "$f: vermagic $(modinfo -F vermagic "$f")"; return 1; }
		n=$((n + 1))
	done
	[ $n -eq 2 ]
}

echo "DKMS: novamm $version against $kver"
check "dkms add" dkms add "${opts[@]}"
check "dkms build -k $kver" dkms build "${opts[@]}" -k "$kver"
check "novamm.ko and novamm_sim.ko built for $kver" built_for "$kver"
check "dkms status lists the build" sh -c \
	'dkms status "$@" | grep -q "^novamm/'"$version"', '"$kver"', x86_64: built"' - "${opts[@]}"
check "dkms remove --all" dkms remove "${opts[@]}" --all
check "nothing of novamm left in the DKMS tree" test ! -e "$d/tree/novamm"

result dkms "$passed" "$failed"
[ "$failed" -eq 0 ]
