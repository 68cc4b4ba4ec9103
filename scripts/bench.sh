#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks: KUnit cases that print "bench:" and "BENCH" lines (counts
# of MMIO, window moves and invalidates per unit of work next to the
# physical minimum, allocator times next to the kernel allocator's, and
# the median time of a one-page map and unmap), run on UML built without
# debugging options (scripts/kunit.sh --bench); then round trips and
# copies through /dev/novamm<N> on Debian's 6.1 kernel under QEMU (the
# bench scenario). Times are printed, never judged;
# the run fails only if a benchmark's own correctness checks do.
set -euo pipefail
. "$(dirname "$0")/common.sh"

rc=0
for filter in 'novamm_buddy_bench' 'novamm_pramin.pramin_sequential' 'novamm_vmm_bench' \
	'novamm_bar1.bar1_clear_bench'; do
	out=$("$NOVAMM_TOP/scripts/kunit.sh" --bench "$filter" 2>&1) || rc=1
	grep -E '^(bench: |BENCH )' <<<"$out" || true
	if [ "$rc" -ne 0 ]; then
		tail -n 30 <<<"$out" >&2
		die "benchmark $filter failed its checks"
	fi
done

# Through /dev/novamm<N>, on Debian's own kernel (no debugging options).
out=$("$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel 6.1 --scenario bench 2>&1) || {
	tail -n 30 <<<"$out" >&2
	die "the QEMU benchmark scenario failed its checks"
}
grep -E '^BENCH ' <<<"$out" || true
