# SPDX-License-Identifier: GPL-2.0
# QEMU scenario bench (make bench): what a process pays through
# /dev/novamm<N> on a simulated GA102 and GH100 under a kernel without
# debugging options: round trips of ALLOC, MAP, UNMAP and FREE per
# second, copy bandwidth through a mapping (host memory on the sim), and
# the page faults of a first touch next to their minimum, one per 2 MiB.
# Printed as BENCH lines, never judged; the checks are that each ran.
. /scenarios/lib.sh

check "load novamm_sim with a GA102 and a GH100" \
	insmod $MODS/novamm_sim.ko devices=ga102:24G,gh100:80G:2G
check "load the buddy allocator" load_deps
check "load novamm" insmod $MODS/novamm.ko
# per_roundtrip BEFORE AFTER COUNT: what the sim counted, per round trip
per_roundtrip() {
	awk -v n="$3" 'NR == FNR { a[$1] = $2; next }
		$1 ~ /^(mmio_reads|mmio_writes|window_moves|bar1_writes|bus_writes|invalidates|fb_flushes):$/ {
			k = $1; sub(":", "", k); printf "%s_per_roundtrip=%.2f ", k, ($2 - a[$1]) / n }' "$1" "$2"
}

for n in 0 1; do
	chip=$(sed -n 's/^chip: //p' $D/novamm/novamm-sim.$n/info)
	C=$(dev_of $n)
	cat $SIM/$n/counters > /tmp/c0
	check "$chip: 10000 round trips of ALLOC, MAP, UNMAP and FREE of 4 KiB" sh -c \
		"novamm-ctl -d $C roundtrip 10000 > /tmp/rt && grep -q '^roundtrips: 10000$' /tmp/rt"
	cat $SIM/$n/counters > /tmp/c1
	echo "BENCH roundtrip-$chip $(sed -n 's/^\([a-z_]*\): /\1=/p' /tmp/rt | tr '\n' ' ')"
	echo "BENCH roundtrip-$chip $(per_roundtrip /tmp/c0 /tmp/c1 10000)"
	check "$chip: copy bandwidth through a 4 MiB mapping" sh -c \
		"novamm-ctl -d $C bench 4194304 > /tmp/bw"
	sed "s/^/BENCH copy-$chip /" /tmp/bw
	# 1 GiB where BAR1 holds it (GH100); the GA102's BAR1 is 256 MiB.
	mib=128
	[ "$chip" = GA102 ] || mib=1024
	check "$chip: first touch of a $mib MiB mapping" sh -c \
		"novamm-ctl -d $C touch $((mib << 20)) > /tmp/touch"
	faults=$(sed -n 's/^touch_faults: //p' /tmp/touch)
	echo "BENCH touch-$chip $(sed -n 's/^\([a-z_]*\): /\1=/p' /tmp/touch | tr '\n' ' ')$(awk -v f="$faults" -v m="$mib" 'BEGIN { printf "faults_per_mib=%.3f min_faults_per_mib=0.500", f / m }')"
done
check "unload novamm" rmmod novamm
check "unload novamm_sim" rmmod novamm_sim
scenario_end bench
