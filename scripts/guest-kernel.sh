#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build an x86_64 guest kernel from a cached Debian source tree:
# allnoconfig plus tests/qemu/guest.config, importers.config (Unix
# sockets and vgem, for the smoke's dma-buf checks) and the flavour's
# checkers,
#
#   debug     locking.config and debug.config: KASAN, UBSAN, lockdep,
#             kmemleak, debug objects, fault injection (from 6.1)
#   locking   locking.config: lockdep, atomic sleep, list debugging
#             (the newest 7.x kernel of the QEMU smoke)
#
# The build is cached by source version and by the fragments' hash, and
# is made once. Prints the build directory, which serves as KDIR for
# out-of-tree modules built to match it.
#
# usage: guest-kernel.sh [--source 6.1|7] [--flavour debug|locking]
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=6.1
flavour=debug
while [ $# -gt 0 ]; do
	case $1 in
	--source) series=$2; shift ;;
	--flavour) flavour=$2; shift ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done
q=$NOVAMM_TOP/tests/qemu
case $flavour in
debug) frags=("$q/guest.config" "$q/locking.config" "$q/importers.config" "$q/debug.config") ;;
locking) frags=("$q/guest.config" "$q/locking.config" "$q/importers.config") ;;
*) die "no guest kernel flavour $flavour (debug, locking)" ;;
esac

tree=$("$NOVAMM_TOP/scripts/ktree.sh" "$series")
hash=$(cat "${frags[@]}" | sha256sum | cut -c1-12)
out=${tree%/*}/$flavour-x86_64-$hash

if [ ! -f "$out/.novamm-built" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	say "building the $flavour guest kernel from ${tree##*/} in $out (once, a few minutes)" >&2
	make -s -C "$tree" O="$out" ARCH=x86_64 allnoconfig >"$out/config.log" 2>&1
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" \
		>>"$out/config.log" 2>&1
	make -s -C "$tree" O="$out" ARCH=x86_64 olddefconfig >>"$out/config.log" 2>&1
	# An option olddefconfig dropped is a checker silently missing.
	missing=0
	while read -r line; do
		case $line in
		CONFIG_*=*|'# CONFIG_'*' is not set')
			grep -qx "$line" "$out/.config" || { say "not in .config: $line" >&2; missing=1; } ;;
		esac
	done < <(cat "${frags[@]}")
	[ $missing = 0 ] || die "the $flavour kernel's configuration lost options; see $out/config.log"
	make -C "$tree" O="$out" ARCH=x86_64 -j2 bzImage modules >"$out/build.log" 2>&1 || {
		tail -n 40 "$out/build.log" >&2
		die "the $flavour guest kernel did not build; see $out/build.log"
	}
	touch "$out/.novamm-built"
fi
echo "$out"
