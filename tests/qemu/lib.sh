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
