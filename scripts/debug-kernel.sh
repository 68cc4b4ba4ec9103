#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the x86_64 debug guest kernel from the cached Debian 6.1 source:
# allnoconfig plus tests/qemu/debug.config (KASAN, lockdep, kmemleak,
# debug objects, SMP, preemption, KUnit). The build is cached by source
# version and by the fragment's hash, and is made once. Prints the build
# directory, which serves as KDIR for out-of-tree modules.
#
# usage: debug-kernel.sh
set -euo pipefail
. "$(dirname "$0")/common.sh"

tree=$("$NOVAMM_TOP/scripts/ktree.sh" 6.1)
frag=$NOVAMM_TOP/tests/qemu/debug.config
hash=$(sha256sum "$frag" | cut -c1-12)
out=${tree%/*}/debug-x86_64-$hash

if [ ! -f "$out/.novamm-built" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	say "building the debug guest kernel in $out (once, a few minutes)" >&2
	make -s -C "$tree" O="$out" ARCH=x86_64 allnoconfig >"$out/config.log" 2>&1
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" \
		>>"$out/config.log" 2>&1
	make -s -C "$tree" O="$out" ARCH=x86_64 olddefconfig >>"$out/config.log" 2>&1
	# An option olddefconfig dropped is a checker silently missing.
	missing=0
	while read -r line; do
		case $line in
		CONFIG_*=*) grep -qx "$line" "$out/.config" || { say "not in .config: $line" >&2; missing=1; } ;;
		'# CONFIG_'*' is not set') grep -qx "$line" "$out/.config" || { say "not in .config: $line" >&2; missing=1; } ;;
		esac
	done < "$frag"
	[ $missing = 0 ] || die "the debug kernel's configuration lost options; see $out/config.log"
	make -C "$tree" O="$out" ARCH=x86_64 -j2 bzImage modules >"$out/build.log" 2>&1 || {
		tail -n 40 "$out/build.log" >&2
		die "the debug kernel did not build; see $out/build.log"
	}
	touch "$out/.novamm-built"
fi
echo "$out"
