#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test novamm has, in one run. Each step reports its
# counts; the last line sums them ("N passed, N failed[, N skipped]") and
# the exit status is non-zero if anything failed.
set -uo pipefail
. "$(dirname "$0")/common.sh"

"$NOVAMM_TOP/scripts/deps.sh" || die "could not install the packages novamm needs"

passed=0
failed=0
skipped=0
broken=()

# step NAME COMMAND...: run one step, add up the result line it prints.
step() {
	local name=$1 out rc line p f s
	shift
	out=$(mktemp)
	printf '\n=== %s\n' "$name"
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -a '^novamm-result: ' "$out" | tail -n 1)
	rm -f "$out"
	p=$(echo "$line" | sed -n 's/.* passed=\([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.* failed=\([0-9]*\).*/\1/p')
	s=$(echo "$line" | sed -n 's/.* skipped=\([0-9]*\).*/\1/p')
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	# A step that failed without counting a failure still failed.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	[ "$f" -eq 0 ] || broken+=("$name: $f failed")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

step "lint (checkpatch, sparse, W=1, coccicheck, rst)" "$NOVAMM_TOP/scripts/lint.sh"
step "KUnit on UML" "$NOVAMM_TOP/scripts/kunit.sh"
step "QEMU smoke on Debian 6.1" "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel 6.1
step "QEMU smoke on Debian 6.12" "$NOVAMM_TOP/scripts/qemu-smoke.sh" --kernel 6.12

echo
for b in "${broken[@]}"; do
	echo "make check: FAILED: $b"
done
summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
