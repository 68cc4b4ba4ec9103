#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build novamm against a kernel, boot that very kernel in QEMU with a
# busybox initramfs, and run a scenario from tests/qemu/:
#
#   --kernel 6.1, 6.12   Debian's kernel image and headers (the ABI a user
#                        has), one vCPU
#   --kernel 7           the newest 7.x in Debian's archive, built from its
#                        linux-source with lockdep (scripts/guest-kernel.sh
#                        --flavour locking), two vCPUs; the modules are built
#                        in that tree
#   --kernel debug       the debug kernel of scripts/guest-kernel.sh
#                        (KASAN, lockdep, kmemleak, preemption), SMP
#   --scenario smoke     the module's whole life, checked (the default)
#   --scenario kunit     the KUnit suites, their module novamm_kunit.ko
#                        loaded on the debug kernel with four vCPUs
#   --scenario bench     the /dev/novamm<N> benchmarks of make bench
#   --demo               the demo scenario, shown as it runs
#
# The scenario prints on ttyS0; the kernel logs everything, at every
# level, to ttyS1. Both are captured whole, and the kernel's is scanned
# for every report a checker makes.
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=6.1
scenario=smoke
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) series=$2; shift ;;
	--scenario) scenario=$2; shift ;;
	--demo) scenario=demo ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done
case $scenario in
smoke|demo|kunit|bench) ;;
*) die "no scenario $scenario (smoke, demo, kunit, bench)" ;;
esac
[ "$scenario" != kunit ] || [ "$series" = debug ] || die "the kunit scenario runs on --kernel debug"

fail_early() {	# fail_early WHY: count one failure and stop
	result "qemu-$series-$scenario" 0 1
	die "$1"
}

# One vCPU on Debian's kernels: under TCG, a second one can execute
# kernel text while the boot CPU live-patches it, and 6.12 then dies on
# the patching breakpoint (seen once in sched_clock_cpu). The debug
# kernel has run clean with four.
smp=1
mem=1024
limit=300
case $series in
6.1|6.12)
	if [ "$series" = 6.1 ]; then kver=$(kver_61); else kver=$(kver_612); fi
	[ -n "$kver" ] || die "no Debian $series kernel found (make deps)"
	kdir=/usr/src/linux-headers-$kver
	[ -d "$kdir" ] || die "$kdir missing (make deps)"
	work=$NOVAMM_CACHE/qemu-$kver
	;;
7)
	kdir=$("$NOVAMM_TOP/scripts/guest-kernel.sh" --source 7 --flavour locking) ||
		fail_early "the 7.x kernel did not build"
	kver=$(cat "$kdir/include/config/kernel.release")-${kdir##*/locking-x86_64-}
	work=$NOVAMM_CACHE/qemu-$kver
	smp=2
	limit=600
	;;
debug)
	kdir=$("$NOVAMM_TOP/scripts/guest-kernel.sh" --source 6.1 --flavour debug) ||
		fail_early "the debug kernel did not build"
	kver=debug-${kdir##*/debug-x86_64-}
	work=$NOVAMM_CACHE/qemu-$kver
	smp=2
	mem=2048
	# KASAN, lockdep and kmemleak under TCG: many times slower, and
	# make check runs the x86_64 KUnit guest beside this one.
	limit=1800
	;;
*) die "kernel series $series is not one novamm tests (6.1, 6.12, 7, debug)" ;;
esac
# The bench scenario touches 1 GiB of simulated VRAM, which is guest RAM.
[ "$scenario" != bench ] || mem=3072
# What one scenario writes, apart from another's on the same kernel: the
# x86_64 KUnit run goes on beside the debug kernel's smoke.
run=$work/$scenario
mkdir -p "$run"

# Modules, built in a copy of the sources so that builds for different
# kernels never share objects; the kunit scenario's add the suites'.
config=(CONFIG_NOVAMM=m CONFIG_NOVAMM_SIM=m)
src=$work/src
if [ "$scenario" = kunit ]; then
	config+=(CONFIG_NOVAMM_KUNIT_TEST=m)
	src=$work/src-kunit
	smp=4
	# About 2000 s under KASAN and TCG beside the other steps; the rest is
	# headroom for a slower host, not for a hang.
	limit=3000
fi
say "building modules for $kver"
sync_sources "$src"
make -s -C "$kdir" M="$src" "${config[@]}" -j2 modules >"$run/build.log" 2>&1 || {
	cat "$run/build.log" >&2
	fail_early "module build against $kver failed"
}

# The kernel image and the modules novamm.ko needs from it (the buddy
# allocator, and the DRM core where it is a module). Debian's are fetched
# once per ABI name and stored uncompressed: busybox insmod cannot unpack
# them. Where the allocator is gpu_buddy it is built in, and novamm needs
# no module of the kernel's.
if [ "$series" = debug ] || [ "$series" = 7 ]; then
	kmoddir=$run/kmod
	vmlinuz=$kdir/arch/x86/boot/bzImage
	kmods=()
	mkdir -p "$kmoddir"
	if ! grep -qx 'CONFIG_GPU_BUDDY=y' "$kdir/.config"; then
		kmods=(drm_buddy)
		cp "$kdir/drivers/gpu/drm/drm_buddy.ko" "$kmoddir/"
	fi
	# vgem and its helpers, where the kernel built them (importers.config).
	for m in drm_kms_helper drm_shmem_helper vgem/vgem; do
		if [ -f "$kdir/drivers/gpu/drm/$m.ko" ]; then
			cp "$kdir/drivers/gpu/drm/$m.ko" "$kmoddir/"
			kmods+=("${m#*/}")
		fi
	done
else
	kmoddir=$work/kmod
	vmlinuz=$work/vmlinuz-$kver
	kmods=(drm drm_buddy)
	# A dma-buf importer for the smoke, and what it links against.
	imods=(drm_kms_helper drm_shmem_helper vgem/vgem)
	if [ ! -f "$vmlinuz" ] || [ ! -f "$kmoddir/drm_buddy.ko" ] || [ ! -f "$kmoddir/vgem.ko" ]; then
		say "fetching linux-image-$kver (once)"
		tmp=$(mktemp -d)
		(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$kver" >/dev/null) ||
			die "apt-get download linux-image-$kver failed"
		members=()
		for m in "${kmods[@]}" "${imods[@]}"; do
			members+=("./lib/modules/$kver/kernel/drivers/gpu/drm/$m.ko*")
		done
		dpkg-deb --fsys-tarfile "$tmp"/linux-image-*.deb |
			tar -C "$tmp" -x --wildcards "./boot/vmlinuz-$kver" "${members[@]}"
		mkdir -p "$kmoddir"
		for m in "${kmods[@]}" "${imods[@]}"; do
			f=$tmp/lib/modules/$kver/kernel/drivers/gpu/drm/$m.ko
			if [ -f "$f.xz" ]; then
				xz -dc "$f.xz" > "$kmoddir/${m#*/}.ko"
			else
				cp "$f" "$kmoddir/${m#*/}.ko"
			fi
		done
		mv "$tmp/boot/vmlinuz-$kver" "$vmlinuz"
		rm -rf "$tmp"
	fi
	kmods+=(drm_kms_helper drm_shmem_helper vgem)
fi

# The initramfs: busybox, the modules, the scenarios.
root=$run/root
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
cp "$src/novamm.ko" "$src/novamm_sim.ko" "$root/lib/novamm/"
if [ "$scenario" = kunit ]; then
	cp "$src/novamm_kunit.ko" "$root/lib/novamm/"
fi
for m in "${kmods[@]+"${kmods[@]}"}"; do
	cp "$kmoddir/$m.ko" "$root/lib/novamm/"
done
"$NOVAMM_TOP/scripts/inventory.py" suites > "$root/lib/novamm/suites"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) \
	> "$run/initramfs.cpio.gz"

log=$run/scenario.log
klog=$run/kernel.log

# boot: run the guest once; 124 if it never reached /init in $boot_limit
# seconds. Under TCG, with the host loaded, the debug kernel has been
# seen (once in many boots) to stop for good in early boot, idle, before
# any module of novamm's was there: such a boot is killed and booted
# again, once, saying so. A guest that reached /init is never retried.
boot_limit=120
[ "$series" != debug ] || boot_limit=300
boot() {
	local pid t=0
	rm -f "$log" "$klog"
	timeout "$limit" qemu-system-x86_64 -display none -nic none -m "$mem" -smp "$smp" \
		-no-reboot -kernel "$vmlinuz" -initrd "$run/initramfs.cpio.gz" \
		-serial "file:$log" -serial "file:$klog" -monitor none \
		-append "console=ttyS1 ignore_loglevel log_buf_len=8M panic=-1 oops=panic hung_task_panic=1 softlockup_panic=1 novamm.scenario=$scenario" \
		</dev/null >"$run/qemu.out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && ! grep -aq '^novamm-guest: init' "$log" 2>/dev/null; do
		if [ "$t" -ge "$boot_limit" ]; then
			kill "$pid"
			wait "$pid"
			return 124
		fi
		sleep 2
		t=$((t + 2))
	done
	wait "$pid"
}
say "booting $kver in QEMU ($scenario, $smp vCPUs)"
set +e
boot
qrc=$?
if [ "$qrc" -eq 124 ] && ! grep -aq '^novamm-guest: init' "$log"; then
	cp "$klog" "$run/boot-hang.log"
	say "the guest did not reach /init in $boot_limit s, before any novamm code ran (kernel log: $run/boot-hang.log); booting it again, once" >&2
	tail -n 5 "$klog" >&2
	boot
	qrc=$?
fi
set -e
touch "$log" "$klog"
tr -d '\r' < "$log" > "$log.txt"
tr -d '\r' < "$klog" > "$klog.txt"

if [ "$scenario" = demo ]; then
	sed -n '/novamm-demo: begin/,/novamm-demo: end/p' "$log.txt" |
		grep -v '^novamm-demo:' || true
else
	grep -a '^novamm-check: ' "$log.txt" | sed 's/^novamm-check: /  /' || true
	grep -a '^BENCH ' "$log.txt" || true
fi
passed=$(grep -ac '^novamm-check: ok' "$log.txt" || true)
failed=$(grep -ac '^novamm-check: FAIL' "$log.txt" || true)
skipped=$(grep -ac '^novamm-check: skip' "$log.txt" || true)
grep -a -A8 '^novamm-check: FAIL' "$log.txt" | grep -a '^    ' >&2 || true

# What the guest could not report itself.
if ! grep -aq '^novamm-guest: done' "$log.txt"; then
	say "the guest did not finish (QEMU exit $qrc); its last words:" >&2
	tail -n 20 "$log.txt" >&2
	tail -n 40 "$klog.txt" >&2
	failed=$((failed + 1))
fi
if [ "$scenario" != demo ]; then
	"$NOVAMM_TOP/scripts/inventory.py" scenario "$scenario" "$log.txt" || failed=$((failed + $?))
fi
n=$(kernel_log_scan "$klog.txt") || true
if [ "${n:-0}" -gt 0 ]; then
	say "the kernel reported $n problems; whole log: $klog.txt" >&2
	failed=$((failed + n))
fi

if [ "$scenario" = kunit ]; then
	tree=$("$NOVAMM_TOP/scripts/ktree.sh" 6.1)
	# From the scenario's own header on: the boot printed an empty one.
	sed -n '/novamm-kunit: report$/,$p' "$klog.txt" > "$run/ktap.txt"
	python3 "$tree/tools/testing/kunit/kunit.py" parse "$run/ktap.txt" > "$run/kunit.out" 2>&1 || true
	grep -aE '^\[[0-9:]+\] (=+ |.*(FAILED|ERROR|CRASHED)|Testing complete)' "$run/kunit.out" |
		grep -avE 'PASSED|^\[[0-9:]+\] =+ [a-z]' || true
	summary=$(grep -a 'Testing complete' "$run/kunit.out" | tail -n 1 || true)
	echo "KUnit on x86_64, $smp vCPUs: ${summary:-no result}"
	# The counts are the report's own, skipped parameters included.
	read -r kp kf ks < <("$NOVAMM_TOP/scripts/inventory.py" counts "$run/ktap.txt")
	echo "KUnit on x86_64: $kp passed, $kf failed, $ks skipped"
	if [ -z "$summary" ] || echo "$summary" | grep -qE 'errors|crashed'; then
		say "kunit.py found no result, or a broken report, in $run/ktap.txt" >&2
		kf=$((kf + 1))
	fi
	"$NOVAMM_TOP/scripts/inventory.py" kunit "$run/ktap.txt" || failed=$((failed + $?))
	passed=$((passed + ${kp:-0}))
	failed=$((failed + ${kf:-0}))
	skipped=$((skipped + ${ks:-0}))
fi

result "qemu-$series-$scenario" "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
