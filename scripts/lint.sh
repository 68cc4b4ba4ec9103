#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks, each one a test that fails on any finding, and on a tool
# that did not run (missing, crashed, or checking fewer files than it was
# given): checkpatch --strict, sparse and W=1 on 6.1, W=1 on 6.12,
# sparse and W=1 on the newest 7.x (against the tree of its guest kernel,
# scripts/guest-kernel.sh: Debian's 7.x headers do not install on
# bookworm), coccicheck, kernel-doc, the Sphinx build of Documentation/,
# the include layers and the 32-bit refusal.
set -uo pipefail
. "$(dirname "$0")/common.sh"

tree=$("$NOVAMM_TOP/scripts/ktree.sh" 6.1) || exit 1
work=$NOVAMM_CACHE/lint
mkdir -p "$work"
passed=0
failed=0

# step NAME LOG: count a check by whether LOG holds findings (non-empty).
step() {
	if [ -s "$2" ]; then
		say "$1: findings" >&2
		sed 's/^/    /' "$2" >&2
		failed=$((failed + 1))
	else
		say "$1: clean"
		passed=$((passed + 1))
	fi
}

cd "$NOVAMM_TOP" || exit 1
mapfile -t sources < <(git ls-files -co --exclude-standard '*.c' '*.h' 2>/dev/null ||
	find . -name '*.[ch]' ! -path './.git/*')

# checkpatch, as a maintainer would run it on every file. The compat
# header is the one place that exists to test LINUX_VERSION_CODE, and it
# reads kernel fields whose names are not novamm's (screen_info's
# orig_video_isVGA) and defines the kernel's EXPORT_SYMBOL_IF_KUNIT() where
# the kernel lacks it.
compat=include/novamm/compat.h
# checkpatch exits 1 on findings; anything else, or 1 with none, is a
# checkpatch that did not run.
checkpatch() {
	local out rc
	out=$(perl "$tree/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types --max-line-length=100 "$@" 2>&1)
	rc=$?
	echo "$out" | grep -E '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK)'
	if [ $rc -gt 1 ] || { [ $rc -eq 1 ] &&
	   ! echo "$out" | grep -qE '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK)'; }; then
		echo "checkpatch did not run (exit $rc): $(echo "$out" | head -n 3)"
	fi
}
{
	[ ${#sources[@]} -gt 0 ] || echo "no sources found to check"
	checkpatch -f $(printf '%s\n' "${sources[@]}" | grep -vx "$compat")
	checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,CAMELCASE,EXPORT_SYMBOL -f "$compat"
} > "$work/checkpatch.log"
step checkpatch "$work/checkpatch.log"

# build NAME KDIR FLAGS...: compile a fresh copy against KDIR and keep
# compiler and sparse findings that concern novamm's own files.
build() {
	local dir=$work/$1 kdir=$2
	shift 2
	sync_sources "$dir/src"
	make -C "$kdir" M="$dir/src" \
		CONFIG_NOVAMM=m CONFIG_NOVAMM_SIM=m -j2 "$@" modules \
		> "$dir/build.log" 2>&1 || echo "build failed" >> "$dir/build.log"
	grep -E 'warning:|error:|build failed' "$dir/build.log" |
		grep -v 'Skipping BTF' > "$dir/findings.log"
	# Every source compiled was also checked, with C=2 (kbuild's own
	# .mod.c files, and .module-common.c where the kernel has one, are not).
	if [ "$1" = C=2 ]; then
		cc=$(grep '^  CC \[M\] .*\.o$' "$dir/build.log" | grep -vcE '\.mod\.o$| \.module-common\.o$' || true)
		chk=$(grep -c '^  CHECK ' "$dir/build.log" || true)
		if ! command -v sparse >/dev/null || [ "$cc" -eq 0 ] || [ "$chk" -ne "$cc" ]; then
			echo "sparse did not run: $chk files checked of $cc compiled" >> "$dir/findings.log"
		fi
	fi
	echo "$dir/findings.log"
}
# 7.x asks more of sparse than bookworm's 0.6.4 has (__typeof_unqual__:
# the tree's scripts/checker-valid.sh), and unstable's sparse binary
# needs trixie's C library: build unstable's sparse from its Debian
# source package, once per version, into the cache. Debian's patches
# only tie it to trixie's compiler (gcc-16): upstream's source is built,
# with bookworm's.
new_sparse() {
	local ver dir
	ver=$(new_version sparse) || { echo "no sparse source in unstable's lists"; return 1; }
	dir=$NOVAMM_CACHE/sparse-$ver
	if [ ! -x "$dir/src/sparse" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		(cd "$dir" && new_apt apt-get source -qq --download-only "sparse=$ver" &&
			dpkg-source -x --no-check --skip-patches ./*.dsc src &&
			make -C src -j2 sparse) \
			> "$dir/build.log" 2>&1 || { echo "sparse $ver did not build: $dir/build.log"; return 1; }
	fi
	echo "$dir/src/sparse"
}

k61=$(kver_61)
k612=$(kver_612)
step "sparse and W=1 on $k61" "$(build "$k61" "/usr/src/linux-headers-$k61" C=2 W=1)"
step "W=1 on $k612" "$(build "$k612" "/usr/src/linux-headers-$k612" W=1)"
if k7=$("$NOVAMM_TOP/scripts/guest-kernel.sh" --source 7 --flavour locking); then
	r7=$(cat "$k7/include/config/kernel.release")
	if sp=$(new_sparse); then
		spv=${sp%/src/sparse}
		# That kernel has KUnit: the suites are compiled and
		# checked too, as they are nowhere else against 7.x
		# headers but in UML.
		step "${spv##*/} (unstable's) and W=1 on $r7, KUnit suites included" \
			"$(build "$r7" "$k7" C=2 CHECK="$sp" W=1 CONFIG_NOVAMM_KUNIT_TEST=m)"
	else
		echo "$sp" > "$work/sparse.log"
		step "sparse and W=1 on $r7" "$work/sparse.log"
	fi
else
	echo "the 7.x guest kernel did not build" > "$work/k7.log"
	step "sparse and W=1 on 7.x" "$work/k7.log"
fi

# coccicheck over the copy built for 6.1. The OCaml-scripted rules need
# ocaml-nox, which deps.sh installs.
(cd "$tree" && make -s coccicheck MODE=report M="$work/$k61/src" J=2 \
	SPFLAGS=--use-coccigrep) > "$work/cocci.out" 2>&1
grep -E '^[^ ]+\.[ch]:[0-9]+' "$work/cocci.out" > "$work/cocci.log"
grep -qE 'coccicheck failed|^make.*Error' "$work/cocci.out" &&
	echo "coccicheck did not run: see $work/cocci.out" >> "$work/cocci.log"
# One spatch run for each rule that has a report mode.
rules=$(grep -l 'virtual report' $(find "$tree/scripts/coccinelle" -name '*.cocci') | wc -l)
runs=$(grep -c '^/usr/bin/spatch\|^spatch ' "$work/cocci.out" || true)
[ "$rules" -gt 0 ] && [ "$runs" -eq "$rules" ] ||
	echo "coccicheck ran spatch $runs times for $rules rules: see $work/cocci.out" >> "$work/cocci.log"
step coccicheck "$work/cocci.log"

# kernel-doc, on every file as the kernel's own scripts read it: 6.1's
# with -v (which also asks for a Return: section), and the newest 7.x's
# with -Wall; and on every function another file can call, which must
# have a comment for them to read.
if t7=$("$NOVAMM_TOP/scripts/ktree.sh" 7 2>/dev/null); then
	kdoc7() { python3 "$t7/scripts/kernel-doc" -none -Wall "$1" 2>&1; }
else
	kdoc7() { echo "no 7.x kernel tree for its kernel-doc"; }
fi
{
	for f in "${sources[@]}"; do
		case $f in tools/*) continue ;; esac
		# -v also reports each comment it reads, as an info: line.
		perl "$tree/scripts/kernel-doc" -none -v "$f" 2>&1 |
			grep -vE '^[^ ]+:[0-9]+: info: '
		kdoc7 "$f"
	done | sort -u
	python3 scripts/kdoc-coverage.py $(printf '%s\n' "${sources[@]}" | grep -v '^tools/')
} > "$work/kdoc.log" 2>&1
step kernel-doc "$work/kdoc.log"

# Documentation/ is built as the kernel builds its own: Sphinx with the
# kernel-doc extension, every warning an error (scripts/docs.sh). That
# parses every page, resolves every cross-reference, and pulls every
# kernel-doc directive, which fails on a file, section or identifier that
# is not there.
: > "$work/docs.log"
scripts/docs.sh "$work/html" > "$work/docs.out" 2>&1 ||
	{ cat "$work/docs.out"; echo "the documentation did not build"; } > "$work/docs.log"
step "Documentation (Sphinx -W, kernel-doc directives)" "$work/docs.log"

# The directories form layers (Documentation/hw.rst): no include cycle
# among them beyond the upward edges scripts/layers.txt still lists, and
# the check itself sees the cycle that PRAMIN reaching up into core/
# would close.
{
	python3 scripts/layers.py | grep -v '^layers: [0-9]* edges'
	python3 scripts/layers.py --assume pramin:core >/dev/null &&
		echo "layers.py does not see the cycle pramin -> core -> pramin"
} > "$work/layers.log" 2>&1
step "include layers (scripts/layers.py)" "$work/layers.log"

# A 32-bit kernel is refused at compile time, ahead of any include, in
# and out of tree: compat.h's #error, which only CONFIG_64BIT lifts.
refusal='novamm needs a 64-bit kernel'
preprocess() {	# the preprocessor's output and errors for compat.h, flags "$@"
	printf '#include <novamm/compat.h>\n' | gcc -E -x c -I include "$@" - 2>&1 || true
}
{
	preprocess | grep -q "$refusal" ||
		echo "compat.h does not refuse a kernel without CONFIG_64BIT"
	preprocess -DCONFIG_64BIT | grep -q "$refusal" &&
		echo "compat.h refuses a kernel with CONFIG_64BIT"
	grep -q '^	depends on .*\b64BIT\b' Kconfig || echo "Kconfig: NOVAMM does not depend on 64BIT"
} > "$work/64bit.log"
step "32-bit kernels refused" "$work/64bit.log"

result lint "$passed" "$failed"
[ "$failed" -eq 0 ]
