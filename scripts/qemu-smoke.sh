#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build novamm against a Debian kernel's headers, boot that very kernel in
# QEMU with a busybox initramfs, and run a scenario from tests/qemu/.
#
# usage: qemu-smoke.sh [--kernel 6.1|6.12] [--demo]
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=6.1
scenario=smoke
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) series=$2; shift ;;
	--demo) scenario=demo ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done

case $series in
6.1) kver=$(kver_61) ;;
6.12) kver=$(kver_612) ;;
*) die "kernel series $series is not one novamm tests (6.1, 6.12)" ;;
esac
[ -n "$kver" ] || die "no Debian $series kernel found (make deps)"
kdir=/usr/src/linux-headers-$kver
[ -d "$kdir" ] || die "$kdir missing (make deps)"

work=$NOVAMM_CACHE/qemu-$kver
mkdir -p "$work"

# Modules, built in a copy of the sources so that builds for different
# kernels never share objects.
say "building modules for $kver"
sync_sources "$work/src"
make -s -C "$kdir" M="$work/src" CONFIG_NOVAMM=m CONFIG_NOVAMM_SIM=m \
	-j2 modules >"$work/build.log" 2>&1 || {
	cat "$work/build.log" >&2
	result "qemu-$series-$scenario" 0 1
	die "module build against $kver failed"
}

# Debian's own kernel image, and the modules novamm.ko needs from it (the
# buddy allocator and the DRM core it links against), fetched once per ABI
# name. Modules are stored uncompressed: busybox insmod cannot unpack them.
vmlinuz=$work/vmlinuz-$kver
kmods=(drm drm_buddy)
kmoddir=$work/kmod
if [ ! -f "$vmlinuz" ] || [ ! -f "$kmoddir/drm_buddy.ko" ]; then
	say "fetching linux-image-$kver (once)"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$kver" >/dev/null) ||
		die "apt-get download linux-image-$kver failed"
	dpkg-deb --fsys-tarfile "$tmp"/linux-image-*.deb |
		tar -C "$tmp" -x --wildcards "./boot/vmlinuz-$kver" \
			"./lib/modules/$kver/kernel/drivers/gpu/drm/drm.ko*" \
			"./lib/modules/$kver/kernel/drivers/gpu/drm/drm_buddy.ko*"
	mkdir -p "$kmoddir"
	for m in "${kmods[@]}"; do
		f=$tmp/lib/modules/$kver/kernel/drivers/gpu/drm/$m.ko
		if [ -f "$f.xz" ]; then
			xz -dc "$f.xz" > "$kmoddir/$m.ko"
		else
			cp "$f" "$kmoddir/$m.ko"
		fi
	done
	mv "$tmp/boot/vmlinuz-$kver" "$vmlinuz"
	rm -rf "$tmp"
fi

# The initramfs: busybox, the modules, the scenarios.
root=$work/root
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,dev,tmp,lib/novamm,scenarios}
cp /bin/busybox "$root/bin/busybox"
# The userspace client, static: the initramfs has no C library.
gcc -static -O2 -Wall -Wextra -Werror -I"$NOVAMM_TOP/include/uapi" \
	-o "$root/bin/novamm-ctl" "$NOVAMM_TOP/tools/novamm-ctl.c" ||
	die "building tools/novamm-ctl failed"
ln -s busybox "$root/bin/sh"
cp "$NOVAMM_TOP/tests/qemu/init" "$root/init"
chmod +x "$root/init"
cp "$NOVAMM_TOP"/tests/qemu/*.sh "$root/scenarios/"
cp "$work/src/novamm.ko" "$work/src/novamm_sim.ko" "$root/lib/novamm/"
for m in "${kmods[@]}"; do
	cp "$kmoddir/$m.ko" "$root/lib/novamm/"
done
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) \
	> "$work/initramfs.cpio.gz"

log=$work/console-$scenario.log
say "booting $kver in QEMU ($scenario)"
# One vCPU: under TCG, a second one can execute kernel text while the boot
# CPU live-patches it, and 6.12 then dies on the patching breakpoint
# (seen once in sched_clock_cpu), before novamm is even loaded.
set +e
timeout 300 qemu-system-x86_64 -nographic -nic none -m 1024 -smp 1 \
	-no-reboot -kernel "$vmlinuz" -initrd "$work/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 novamm.scenario=$scenario" \
	</dev/null >"$log" 2>&1
qrc=$?
set -e
tr -d '\r' < "$log" > "$log.txt"

if [ "$scenario" = demo ]; then
	sed -n '/novamm-demo: begin/,/novamm-demo: end/p' "$log.txt" |
		grep -v '^novamm-demo:'
fi

grep -a '^novamm-check: ' "$log.txt" | sed 's/^novamm-check: /  /' |
	{ [ "$scenario" = demo ] && cat >/dev/null || cat; }
passed=$(grep -ac '^novamm-check: ok' "$log.txt" || true)
failed=$(grep -ac '^novamm-check: FAIL' "$log.txt" || true)
grep -a -A8 '^novamm-check: FAIL' "$log.txt" | grep -a '^    ' >&2 || true

# What the guest could not report itself.
if ! grep -aq '^novamm-guest: done' "$log.txt"; then
	say "the guest did not finish (QEMU exit $qrc); console: $log" >&2
	tail -n 40 "$log.txt" >&2
	failed=$((failed + 1))
fi
if grep -aE 'WARNING:|BUG:|Oops|KASAN|Kernel panic|possible recursive locking|circular locking|Call Trace:' "$log.txt" >&2; then
	say "the kernel reported a problem on the console: $log" >&2
	failed=$((failed + 1))
fi

result "qemu-$series-$scenario" "$passed" "$failed"
[ "$failed" -eq 0 ]
