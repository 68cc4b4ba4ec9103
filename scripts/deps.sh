#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install, with apt-get, exactly the Debian packages novamm needs that are
# missing. Idempotent; silent when everything is already there.
set -euo pipefail
. "$(dirname "$0")/common.sh"

BPO=/etc/apt/sources.list.d/novamm-backports.sources

want_backports() {
	[ -f "$BPO" ] && return 1
	[ "$(id -u)" = 0 ] || die "run as root to add bookworm-backports (6.12 kernel)"
	cat > "$BPO" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

updated=0
apt_update() {
	[ $updated = 1 ] && return 0
	apt-get update -qq >/dev/null
	updated=1
}

if want_backports; then
	apt_update
fi

base=(build-essential bc flex bison libelf-dev libssl-dev python3 xz-utils
      perl cpio kmod busybox-static qemu-system-x86 sparse coccinelle
      ocaml-nox git linux-source-6.1 python3-docutils python3-sphinx dkms)

# The suites that carry the newest kernel series, read through apt's own
# configuration in the cache (common.sh): updated on every run, for the
# newest 7.x; offline, the lists of the last run serve. unstable's
# sources give the sparse that 7.x needs (scripts/lint.sh).
new_sources() {
	mkdir -p "$NEW_APT/lists/partial" "$NEW_APT/cache/archives/partial"
	touch "$NEW_APT/status"
	cat > "$NEW_APT/sources.list" <<'SRC'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main
SRC
	# Only the 7.x steps need them, and say so when they find none.
	new_apt apt-get update -qq >/dev/null 2>&1 ||
		ls "$NEW_APT"/lists/*_Packages >/dev/null 2>&1 ||
		say "warning: could not read the package lists of unstable and trixie-backports" >&2
}
new_sources

missing=()
for p in "${base[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done

k61=$(installed_abi 6.1.0- || true)
k612=$(installed_abi 6.12. || true)
if [ -z "$k61" ] || [ -z "$k612" ] || [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]} kernel headers); run as root"
	apt_update
	[ -n "$k61" ] || missing+=("linux-headers-$(abi_of "")")
	if [ -z "$k612" ]; then
		missing+=("linux-headers-$(abi_of bookworm-backports)")
	fi
	say "installing: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi
