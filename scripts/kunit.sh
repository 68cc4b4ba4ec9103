#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run novamm's KUnit suites: on UML with the kernel's kunit.py, in the
# cached Debian 6.1 source tree; with --arch=x86_64, built into the
# modules and loaded on the debug kernel under QEMU with four vCPUs
# (scripts/qemu-smoke.sh --scenario kunit), where threads really run at
# once, preempted, under KASAN, lockdep and kmemleak.
#
# usage: kunit.sh [--arch=x86_64] [extra kunit.py run arguments, UML]
set -euo pipefail
. "$(dirname "$0")/common.sh"

arch=um
args=()
for a in "$@"; do
	case $a in
	--arch=*) arch=${a#--arch=} ;;
	*) args+=("$a") ;;
	esac
done
case $arch in
um) ;;
x86_64) exec "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel debug --scenario kunit ;;
*) die "no KUnit run for $arch (um, x86_64)" ;;
esac

tree=$("$NOVAMM_TOP/scripts/ktree.sh" 6.1)
sync_sources "$tree/drivers/gpu/novamm"

# Hook the directory into the tree's Kconfig and Makefile, once.
grep -q 'drivers/gpu/novamm/Kconfig' "$tree/drivers/Kconfig" ||
	sed -i '$ i source "drivers/gpu/novamm/Kconfig"' "$tree/drivers/Kconfig"
grep -q 'novamm/' "$tree/drivers/gpu/Makefile" ||
	echo 'obj-$(CONFIG_NOVAMM) += novamm/' >> "$tree/drivers/gpu/Makefile"

build_dir=.kunit
# The suites run about five minutes on UML with KASAN and lockdep;
# leave room for a slower machine.
timeout=1200
log=$NOVAMM_CACHE/kunit-$arch.log

say "KUnit on $arch in $tree/$build_dir"
set +e
(cd "$tree" && ./tools/testing/kunit/kunit.py run --arch="$arch" \
	--build_dir="$build_dir" --jobs=2 --timeout="$timeout" \
	--kunitconfig=drivers/gpu/novamm/tests "${args[@]}" </dev/null) 2>&1 |
	tee "$log"
rc=${PIPESTATUS[0]}
set -e

# Benchmark lines of passing tests, which kunit.py does not show.
grep -ahE '# [a-z0-9_]*: (bench: |BENCH )' "$tree/$build_dir/test.log" 2>/dev/null |
	sed -E 's/^.*# [a-z0-9_]*: (bench: |BENCH )/\1/' || true

# The tests are compiled only here: a compiler warning in novamm's sources
# fails the run as lint would.
if grep -a 'gpu/novamm/.*warning:' "$log" >&2; then
	say "the compiler warned about novamm's sources" >&2
	kernel_report=1
fi

# A checker's report anywhere in the kernel's log fails the run even when
# every expectation held.
n=$(kernel_log_scan "$tree/$build_dir/test.log")
if [ "$n" -gt 0 ]; then
	say "the kernel reported $n problems; see $tree/$build_dir/test.log" >&2
	kernel_report=$((${kernel_report:-0} + n))
fi
# Every suite tests/expected lists, with its cases.
"$NOVAMM_TOP/scripts/inventory.py" kunit "$tree/$build_dir/test.log" ||
	kernel_report=$((${kernel_report:-0} + $?))

# "Testing complete. Ran 95 tests: passed: 93, failed: 1, skipped: 1"
summary=$(grep -a 'Testing complete' "$log" | tail -n 1 || true)
num() { echo "$summary" | sed -n "s/.*$1: \([0-9]*\).*/\1/p"; }
passed=$(num passed); failed=$(num failed); skipped=$(num skipped)
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [ -z "$summary" ] || [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	# kunit.py failed before or around the tests: a build error, a crash.
	say "kunit.py failed (exit $rc) without a test result; see $log" >&2
	failed=$((failed + 1))
fi
failed=$((failed + ${kernel_report:-0}))
result "kunit-$arch" "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
