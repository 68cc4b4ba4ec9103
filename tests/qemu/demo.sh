# SPDX-License-Identifier: GPL-2.0
# QEMU demo scenario: a simulated GA102 with 24 GiB and a simulated GH100,
# novamm brought up on both with its self-tests, one BAR1 mapping and the
# page tables behind it.
. /scenarios/lib.sh

run() {	# run "shown command" command...: print it, then run it
	echo "\$ $1"
	shift
	"$@"
}

echo "novamm-demo: begin"
run "insmod novamm_sim.ko devices=ga102:24G,gh100:80G" \
	insmod $MODS/novamm_sim.ko devices=ga102:24G,gh100:80G
run "insmod drm.ko; insmod drm_buddy.ko    # from Debian's linux-image package" load_deps
run "insmod novamm.ko selftest=1" insmod $MODS/novamm.ko selftest=1
echo "\$ dmesg | grep novamm"
dmesg | grep -v 'ommand line' | grep novamm | sed 's/^\[[ 0-9.]*\] //'
for n in 0 1; do
	N=$D/novamm/novamm-sim.$n
	run "cat $N/info" cat $N/info
	run "cat $N/vram" cat $N/vram
	run "cat $N/selftest" cat $N/selftest
	run "echo 'map 2166784' > $N/bar1_map    # 2 MiB + 64 KiB + 4 KiB of VRAM" \
		sh -c "echo 'map 2166784' > $N/bar1_map"
	run "cat $N/mappings" cat $N/mappings
	run "cat $N/pagetables" cat $N/pagetables
	run "echo 'fill 0 0x600dcafe' > $N/bar1_map    # written through BAR1" \
		sh -c "echo 'fill 0 0x600dcafe' > $N/bar1_map"
	# The first bytes of the mapping's VRAM, read back through PRAMIN.
	pa=$(sed -n 's/^  va 0x0*[0-9a-f]* -> vram \(0x[0-9a-f]*\), 1 x 2M$/\1/p' $N/mappings | head -n 1)
	[ -n "$pa" ] && run "dd if=$N/vram_raw bs=4096 skip=$((pa / 4096)) count=1 | hexdump -C | head -n 2" \
		sh -c "dd if=$N/vram_raw bs=4096 skip=$((pa / 4096)) count=1 2>/dev/null | hexdump -C | head -n 2"
	run "cat $N/stats" cat $N/stats
done
# Userspace: a pattern written through novamm-ctl's mmap of BAR1, the same
# bytes read back through PRAMIN from vram_raw.
N=$D/novamm/novamm-sim.0
C=/dev/$(ls /sys/bus/platform/devices/novamm-sim.0/misc/)
run "novamm-ctl -d $C info" novamm-ctl -d $C info
echo "\$ novamm-ctl -d $C write 65536 0xfeedf00d -1 &    # mmap, fill, hold"
novamm-ctl -d $C write 65536 0xfeedf00d -1 > /tmp/w &
held=$!
n=0
until grep -q '^read_back' /tmp/w 2>/dev/null || [ $n -ge 30 ]; do
	n=$((n + 1))
	sleep 1
done
cat /tmp/w
run "cat $N/mappings" cat $N/mappings
pa=$(sed -n 's/^  va 0x0*[0-9a-f]* -> vram \(0x[0-9a-f]*\), 1 x 64K$/\1/p' $N/mappings | tail -n 1)
[ -n "$pa" ] && run "dd if=$N/vram_raw bs=4096 skip=$((pa / 4096)) count=1 | hexdump -C | head -n 2    # PRAMIN" \
	sh -c "dd if=$N/vram_raw bs=4096 skip=$((pa / 4096)) count=1 2>/dev/null | hexdump -C | head -n 2"
kill -USR1 $held
wait $held
run "novamm-ctl -d $C bench 4194304    # copy bandwidth through the mmap (sim: host memory)" \
	novamm-ctl -d $C bench 4194304
run "cat /sys/kernel/debug/novamm_sim/0/counters" cat $SIM/0/counters
run "rmmod novamm    # releases the live mappings" rmmod novamm
rmmod novamm_sim
echo "novamm-demo: end"
check "no error-level novamm message" errors_expected
