#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test novamm has, in one run. Each step reports its
# counts and its duration; the last line sums them ("N passed, N failed[,
# N skipped]") and the exit status is non-zero if anything failed. What
# each step must have run is in tests/expected (scripts/inventory.py).
set -uo pipefail
. "$(dirname "$0")/common.sh"

"$NOVAMM_TOP/scripts/deps.sh" || die "could not install the packages novamm needs"

passed=0
failed=0
skipped=0
broken=()

durations=()
start=$SECONDS

# step NAME COMMAND...: run one step, add up the result line it prints.
step() {
	local name=$1 out rc line p f s t0=$SECONDS
	shift
	out=$(mktemp)
	printf '\n=== %s\n' "$name"
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	durations+=("$(printf '%5d s  %s' $((SECONDS - t0)) "$name")")
	printf '=== %s: %d s\n' "$name" $((SECONDS - t0))
	line=$(grep -a '^novamm-result: ' "$out" | tail -n 1)
	rm -f "$out"
	p=$(echo "$line" | sed -n 's/.* passed=\([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.* failed=\([0-9]*\).*/\1/p')
	s=$(echo "$line" | sed -n 's/.* skipped=\([0-9]*\).*/\1/p')
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	# A step that failed without counting a failure still failed, and
	# so did one that printed no result.
	if { [ "$rc" -ne 0 ] || [ -z "$line" ]; } && [ "$f" -eq 0 ]; then
		f=1
	fi
	[ "$f" -eq 0 ] || broken+=("$name: $f failed")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

# guest_kernel ARGS...: build a guest kernel (scripts/guest-kernel.sh), a
# step that counts nothing but fails if the kernel does not build.
guest_kernel() {
	"$NOVAMM_TOP/scripts/guest-kernel.sh" "$@" >/dev/null &&
		echo "novamm-result: guest-kernel passed=0 failed=0"
}

# The x86_64 KUnit run is the longest and mostly waits on one emulated
# CPU at a time: it runs beside the other steps, and its output is shown
# when they are done. The debug kernel it boots is built first, once.
step "debug kernel from 6.1 (built once per source and configuration)" \
	guest_kernel --source 6.1 --flavour debug
bg_log=$(mktemp)
bg_t0=$SECONDS
"$NOVAMM_TOP/scripts/kunit.sh" --arch=x86_64 >"$bg_log" 2>&1 &
bg_pid=$!
# replay: show what the background run printed (step runs it in a
# subshell, so the waiting is done before, here).
replay() {
	cat "$bg_log"
	echo "(ran beside the steps above, $bg_s s in all)"
	return "$bg_rc"
}

k7=$(new_series) || k7=7.x
step "lockdep kernel from $k7 (built once per source and configuration)" \
	guest_kernel --source 7 --flavour locking
step "lint (checkpatch, sparse, W=1, coccicheck, kernel-doc, Sphinx)" "$NOVAMM_TOP/scripts/lint.sh"
step "KUnit on UML, 6.1" "$NOVAMM_TOP/scripts/kunit.sh" --kernel 6.1
step "KUnit on UML, $k7 (gpu_buddy)" "$NOVAMM_TOP/scripts/kunit.sh" --kernel 7
step "QEMU smoke on Debian 6.1" "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel 6.1
step "QEMU smoke on Debian 6.12" "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel 6.12
step "QEMU smoke on $k7, lockdep, 2 vCPUs" "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel 7
step "QEMU smoke on the debug kernel, 2 vCPUs" "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel debug
step "DKMS add, build and remove on Debian 6.1" "$NOVAMM_TOP/scripts/dkms.sh"
bg_rc=0
wait "$bg_pid" || bg_rc=$?
bg_s=$((SECONDS - bg_t0))
step "KUnit on x86_64, 4 vCPUs, debug kernel" replay
rm -f "$bg_log"
durations[-1]=$(printf '%5d s  %s' "$bg_s" "KUnit on x86_64, 4 vCPUs, debug kernel (beside the steps above)")

echo
echo "make check: steps"
printf '%s\n' "${durations[@]}"
printf '%5d s  in all\n' $((SECONDS - start))
echo
for b in "${broken[@]}"; do
	echo "make check: FAILED: $b"
done
summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
