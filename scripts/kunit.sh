#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run novamm's KUnit suites: on UML with the kernel's kunit.py, in a
# cached Debian source tree (--kernel 6.1, the default, or 7: the newest
# 7.x, where the allocator is gpu_buddy); with --arch=x86_64, as the
# module novamm_kunit.ko loaded on the debug kernel under QEMU with four vCPUs
# (scripts/qemu-smoke.sh --scenario kunit), where threads really run at
# once, preempted, under KASAN, lockdep and kmemleak.
#
# With --bench, the UML kernel is built without KASAN, lockdep or any other
# debugging option (tests/bench.kunitconfig, in a build directory of its
# own), for the benchmarks' times. A filter (SUITE or SUITE.CASE globs)
# runs part of the suites; the inventory is then not checked.
#
# usage: kunit.sh [--arch=x86_64] [--kernel 6.1|7] [--bench] [extra kunit.py run arguments, UML]
set -euo pipefail
. "$(dirname "$0")/common.sh"

arch=um
series=6.1
config=
filtered=
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--arch=*) arch=${1#--arch=} ;;
	--kernel) series=$2; shift ;;
	--bench) config=bench ;;
	-*) args+=("$1") ;;
	*) args+=("$1"); filtered=1 ;;
	esac
	shift
done
case $arch in
um) ;;
x86_64)
	[ "$series" = 6.1 ] || die "the x86_64 KUnit run is on the 6.1 debug kernel"
	exec "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel debug --scenario kunit ;;
*) die "no KUnit run for $arch (um, x86_64)" ;;
esac

tree=$("$NOVAMM_TOP/scripts/ktree.sh" "$series")
series=${tree##*/linux-source-}
sync_sources "$tree/drivers/gpu/novamm"

# Hook the directory into the tree's Kconfig and Makefile, once.
grep -q 'drivers/gpu/novamm/Kconfig' "$tree/drivers/Kconfig" ||
	sed -i '$ i source "drivers/gpu/novamm/Kconfig"' "$tree/drivers/Kconfig"
grep -q 'novamm/' "$tree/drivers/gpu/Makefile" ||
	echo 'obj-$(CONFIG_NOVAMM) += novamm/' >> "$tree/drivers/gpu/Makefile"

build_dir=.kunit${config:+-$config}
kunitconfig=drivers/gpu/novamm/tests${config:+/$config.kunitconfig}
# The suites run about five minutes on UML with KASAN and lockdep;
# leave room for a slower machine.
timeout=1200
log=$NOVAMM_CACHE/kunit${config:+-$config}-$arch-$series.log

# kunit.py turns on UML's PCI emulation, on which novamm's PCI driver
# registers. Where that is PCI over virtio (6.1), it warns at every boot
# without a device ID and with one brings up an empty bus; where kunit.py
# selects UML_PCI alone (KUNIT_UML_PCI, 7.3) there is no ID to give.
if grep -qx 'CONFIG_UML_PCI_OVER_VIRTIO=y' "$tree/tools/testing/kunit/configs/arch_uml.config"; then
	args+=(--kconfig_add CONFIG_UML_PCI_OVER_VIRTIO_DEVICE_ID=1234)
fi

say "KUnit on $arch in $tree/$build_dir"
set +e
(cd "$tree" && ./tools/testing/kunit/kunit.py run --arch="$arch" \
	--build_dir="$build_dir" --jobs=2 --timeout="$timeout" \
	--kunitconfig="$kunitconfig" ${args[@]+"${args[@]}"} </dev/null) 2>&1 |
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
# Every suite tests/expected lists, with its cases, unless only some were asked for.
if [ -z "$filtered" ]; then
	"$NOVAMM_TOP/scripts/inventory.py" kunit "$tree/$build_dir/test.log" ||
		kernel_report=$((${kernel_report:-0} + $?))
fi

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
result "kunit${config:+-$config}-$arch-$series" "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
