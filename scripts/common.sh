# SPDX-License-Identifier: GPL-2.0
# Shared settings for novamm's scripts: kernel versions, cache location, logging.
# Sourced, never run.

NOVAMM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NOVAMM_CACHE=${NOVAMM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/novamm}

# The Debian kernel the project is built and tested against, and the
# newer one from bookworm-backports that catches kernel-API drift.
# Both ABI names are resolved from the meta-packages, because Debian
# bumps them with every security update.
abi_of() {	# $1: suite ("" for the default), prints e.g. 6.1.0-56-amd64
	local t=()
	[ -n "$1" ] && t=(-t "$1")
	apt-cache depends "${t[@]}" linux-headers-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-headers-\(.*-amd64\)$/\1/p' | head -n 1
}

# The ABI name of an installed headers tree, newest first, so that the
# scripts still work offline once deps.sh has run.
installed_abi() {	# $1: version prefix ("6.1.0-" or "6.12.")
	local d
	for d in $(ls -d /usr/src/linux-headers-"$1"*-amd64 2>/dev/null | sort -V -r); do
		basename "$d" | sed 's/^linux-headers-//'
		return 0
	done
	return 1
}

kver_61() { installed_abi 6.1.0- || abi_of ""; }
kver_612() { installed_abi 6.12. || abi_of bookworm-backports; }

# The newest kernel series: Debian's unstable and trixie-backports carry
# 7.x, whose packages are built for trixie. apt reads them through a
# configuration of its own in the cache, so that the host's sources,
# lists and packages never change; the source package (Architecture:
# all) is fetched with apt-get download and unpacked, never installed.
NEW_APT=$NOVAMM_CACHE/apt-new
new_apt_opts() {
	echo "-o Dir::Etc::SourceList=$NEW_APT/sources.list -o Dir::Etc::SourceParts=/dev/null" \
		"-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null" \
		"-o Dir::State::Lists=$NEW_APT/lists -o Dir::Cache=$NEW_APT/cache" \
		"-o Dir::State::Status=$NEW_APT/status -o APT::Sandbox::User=root"
}
# new_apt apt-get|apt-cache ARGS...
new_apt() {
	local tool=$1
	shift
	# shellcheck disable=SC2046 # the options are words on purpose
	"$tool" $(new_apt_opts) "$@"
}

# The newest 7.x series whose linux-source package the archive has (e.g.
# 7.3), else, offline, the newest already unpacked in the cache.
new_series() {
	local s
	s=$(new_apt apt-cache search --names-only '^linux-source-7\.[0-9]+$' 2>/dev/null |
		sed -n 's/^linux-source-\(7\.[0-9]*\) .*/\1/p' | sort -V | tail -n 1)
	if [ -z "$s" ]; then
		s=$(ls -d "$NOVAMM_CACHE"/linux-source-7.*-*/linux-source-7.*/.novamm-extracted 2>/dev/null |
			sed 's|.*/linux-source-\(7\.[0-9]*\)/.novamm-extracted$|\1|' | sort -V | tail -n 1)
	fi
	[ -n "$s" ] && echo "$s"
}

# The newest version of a package among the suites new_apt reads (the
# highest, not apt's candidate: unstable outranks backports by pin).
new_version() {	# $1: package
	local v best=
	for v in $(new_apt apt-cache madison "$1" 2>/dev/null | awk -F' [|] ' '{ print $2 }'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	[ -n "$best" ] && echo "$best"
}

say() { printf '%s: %s\n' "${0##*/}" "$*"; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# Copy the project's source files (tracked, or untracked and not ignored)
# into $1. A file whose content is already there is left alone, with its
# time; one that is new or differs gets the time of the copy, and files
# no longer in the project go. So kbuild rebuilds exactly what changed
# since the last copy into $1, whichever tree it came from: a source's
# own time says nothing about objects built from another tree's copy (a
# KUnit tree's build directory serves every checkout). Build products in
# the work tree are never copied.
sync_sources() {	# $1: destination directory
	local dest=$1 list stage f
	list=$(mktemp)
	stage=$(mktemp -d)
	if git -C "$NOVAMM_TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$NOVAMM_TOP" ls-files -co --exclude-standard -z > "$list"
	else
		(cd "$NOVAMM_TOP" && find . -type f ! -name '*.o' ! -name '*.ko' \
			! -name '.*.cmd' ! -path './.git/*' -print0) > "$list"
	fi
	tar -C "$NOVAMM_TOP" --null -T "$list" -cf - | tar -C "$stage" -xmf -
	mkdir -p "$dest"
	(cd "$stage" && find . -type f -print0) | while IFS= read -r -d '' f; do
		cmp -s "$stage/$f" "$dest/$f" && continue
		mkdir -p "$dest/$(dirname "$f")"
		cp "$stage/$f" "$dest/$f"
	done
	(cd "$dest" && find . -type f -print0) | while IFS= read -r -d '' f; do
		[ -e "$stage/$f" ] || rm -f "$dest/$f"
	done
	rm -rf "$stage" "$list"
}

# Print a machine-readable result line that check.sh adds up.
result() {	# $1: step name, $2: passed, $3: failed, $4: skipped
	printf 'novamm-result: %s passed=%d failed=%d skipped=%d\n' "$1" "$2" "$3" "${4:-0}"
}

# What a kernel's checkers print when they find something: warnings and
# bugs, KASAN, UBSAN, lockdep, RCU, hung tasks, refcount and list
# corruption, kmemleak's objects, oopses, panics, stack dumps.
KERNEL_REPORTS='WARNING:|BUG:|Oops|KASAN|UBSAN|general protection fault|Kernel panic|'\
'possible recursive locking|circular locking dependency|inconsistent lock state|'\
'possible irq lock inversion|lock held when returning|suspicious RCU usage|'\
'blocked for more than|hung task|refcount_t:|list_add corruption|list_del corruption|'\
'unreferenced object|Call Trace:'

# Print, on stdout, how many lines of a kernel log are checker reports,
# and each with its context on stderr; a log that is not there is one.
kernel_log_scan() {	# $1: the log
	local n
	if [ ! -r "$1" ]; then
		echo "no kernel log $1" >&2
		echo 1
		return
	fi
	n=$(grep -acE "$KERNEL_REPORTS" "$1" || true)
	if [ "$n" -gt 0 ]; then
		grep -anE -B4 -A24 "$KERNEL_REPORTS" "$1" | head -n 400 >&2
	fi
	echo "$n"
}
