# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest scenarios (busybox sh). Each check prints one line
# that the host counts: "novamm-check: ok - what" or "novamm-check: FAIL - what".

D=/sys/kernel/debug
SIM=$D/novamm_sim
MODS=/lib/novamm

ok() { echo "novamm-check: ok - $*"; }
fail() { echo "novamm-check: FAIL - $*"; }
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

# The kernel log must show no warning, bug, oops, KASAN or lockdep report.
dmesg_clean() {
	if dmesg | grep -E 'WARNING:|BUG:|Oops|KASAN|possible recursive locking|circular locking|inconsistent lock state|general protection fault|Call Trace:'; then
		return 1
	fi
}

# Out-of-tree (O, 4096) and unsigned (E, 8192) are the only taints allowed.
taint_ok() {
	t=$(cat /proc/sys/kernel/tainted)
	echo "tainted=$t"
	[ $((t & ~12288)) -eq 0 ]
}

# What novamm.ko links against, from the booted kernel's own package.
load_deps() {
	insmod $MODS/drm.ko && insmod $MODS/drm_buddy.ko
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
