# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest scenarios (busybox sh). Each check prints one line
# that the host counts: "novamm-check: ok - what", "novamm-check: FAIL -
# what" or "novamm-check: skip - what (why)"; tests/expected says how
# many lines each scenario prints, and scenario_end its last. The kernel
# log goes to a serial port of its own, which the host reads whole.

D=/sys/kernel/debug
SIM=$D/novamm_sim
SIMBUS=/sys/bus/novamm_sim
MODS=/lib/novamm

ok() { echo "novamm-check: ok - $*"; }
fail() { echo "novamm-check: FAIL - $*"; }
skip() { echo "novamm-check: skip - $*"; }
check() {	# check "what" command...
	what=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then ok "$what"; else fail "$what"; sed 's/^/    /' /tmp/check.out; fi
}

# key_is FILE KEY VALUE: FILE has the line "KEY: VALUE".
key_is() {
	got=$(sed -n "s/^$2: //p" "$1" 2>/dev/null)
	[ "$got" = "$3" ] || { echo "$1: $2 is '$got', expected '$3'"; return 1; }
}

# refused: the command must fail (bad input rejected).
refused() { ! "$@"; }

# logged PATTERN: the kernel logged a line matching PATTERN (grep -E),
# which may then be of error level: errors_expected passes it.
logged() {
	echo "$1" >> /tmp/expected-errors
	dmesg | grep -Eq "$1" || { echo "no kernel message matches '$1'"; return 1; }
}

# probe_failed DEVICE ERRNO: a probe that a check just saw refused is
# allowed its driver-core line, whose wording and level change between
# kernels ("probe of X failed with error -N", a warning, up to 6.1;
# "X: probe with driver Y failed with error -N", an error, since).
probe_failed() {
	echo "$1: probe with driver novamm-sim failed with error $2" >> /tmp/expected-errors
}

# Every error-level kernel message that names novamm matches a pattern
# some check gave logged(): an error nobody expected is a bug.
errors_expected() {
	touch /tmp/expected-errors
	dmesg -r | grep -E '^<[0-3]>' | grep novamm > /tmp/errors
	if grep -Evf /tmp/expected-errors /tmp/errors; then
		echo "error-level messages no check expected"
		return 1
	fi
}

# kmemleak_clean: no unreferenced object that novamm or its sim
# allocated. Objects are reported once they are 5 s old, and a second
# scan drops those that were only in flight during the first. A frame
# that no longer resolves ("0xffffffffc0..") is in a module since
# unloaded: only novamm's and drm_buddy are, in these scenarios.
kmemleak_clean() {
	sleep 6
	echo scan > $D/kmemleak && echo scan > $D/kmemleak || return 1
	cat $D/kmemleak > /tmp/kmemleak
	awk 'function ours(o) { return o ~ /\[novamm(_sim)?\]|\] 0x[0-9a-f]+\n/ }
	     /^unreferenced object/ { if (ours(obj)) printf "%s", obj; obj = "" }
	     { obj = obj $0 "\n" }
	     END { if (ours(obj)) printf "%s", obj }' /tmp/kmemleak > /tmp/leaks
	if [ -s /tmp/leaks ]; then
		cat /tmp/leaks
		return 1
	fi
}

# check_kmemleak WHAT: the leak check where the kernel has kmemleak, a
# skipped check where it has not (Debian's kernels).
check_kmemleak() {
	if [ -e $D/kmemleak ]; then
		check "$1" kmemleak_clean
	else
		skip "$1 (no kmemleak in this kernel)"
	fi
}

# /dev/novamm<N>: the character device of each GPU, driven by novamm-ctl.
dev_of() {	# dev_of SIMID: /dev/novammN of novamm-sim.SIMID
	echo /dev/$(ls /sys/bus/platform/devices/novamm-sim.$1/misc/)
}

# scenario_end NAME: the last line a scenario prints, so that the host
# can tell one that ran to its end from one that stopped.
scenario_end() { echo "novamm-scenario: end $1"; }

# Out-of-tree (O, 4096) and unsigned (E, 8192) are the only taints allowed.
taint_ok() {
	t=$(cat /proc/sys/kernel/tainted)
	echo "tainted=$t"
	[ $((t & ~12288)) -eq 0 ]
}

# What novamm.ko links against, from the booted kernel's own package:
# drm, unless it is built in, and drm_buddy. Where the allocator is
# gpu_buddy (7.0 on) it is built in, and its entry point must be there.
load_deps() {
	if [ ! -f $MODS/drm_buddy.ko ]; then
		grep -q ' gpu_buddy_init$' /proc/kallsyms
		return
	fi
	if [ -f $MODS/drm.ko ]; then
		insmod $MODS/drm.ko || return 1
	fi
	insmod $MODS/drm_buddy.ko
}

# load_vgem: vgem and the helpers it links against, from the booted
# kernel's package, where the host found them: a real dma-buf importer.
load_vgem() {
	[ -f $MODS/vgem.ko ] || return 1
	if [ -f $MODS/drm_kms_helper.ko ]; then
		insmod $MODS/drm_kms_helper.ko || return 1
	fi
	insmod $MODS/drm_shmem_helper.ko && insmod $MODS/vgem.ko
}

# check_unload_deps WHAT: drm_buddy unloads once novamm is gone, which it
# cannot while novamm holds a reference; a skipped check where the
# allocator is gpu_buddy, built in.
check_unload_deps() {
	if [ -f $MODS/drm_buddy.ko ]; then
		check "$1" rmmod drm_buddy
	else
		skip "$1 (gpu_buddy is built in)"
	fi
}

# usable_excludes VRAMFILE: no usable range of the debugfs vram file
# overlaps a region that its table marks reserved or protected.
usable_excludes() {
	bad=0
	regions=$(grep '^region:' "$1")
	usable=$(sed -n 's/^usable_range: //p' "$1")
	[ -n "$regions" ] && [ -n "$usable" ] || { echo "no regions or no usable range"; return 1; }
	echo "$regions" | { while read -r _ i base limit rsvd _ _ _ prot; do
		base=${base#base=}; limit=${limit#limit=}
		rsvd=${rsvd#reserved=}; prot=${prot#protected=}
		[ $((rsvd)) -eq 0 ] && [ "$prot" = 0 ] && continue
		for u in $usable; do
			s=${u%-*}; e=${u#*-}
			if [ $((s)) -le $((limit)) ] && [ $((e)) -gt $((base)) ]; then
				echo "usable $u overlaps region $i [$base, $limit]"
				bad=1
			fi
		done
	done; [ $bad -eq 0 ]; }
}

# protected_clean N: sim device N logged no write into VRAM it reported
# reserved or protected, since it was created.
protected_clean() {
	key_is "$SIM/$1/protected" count 0 || { cat "$SIM/$1/protected"; return 1; }
}
