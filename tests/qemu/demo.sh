# SPDX-License-Identifier: GPL-2.0
# QEMU demo scenario: a simulated GA102 with 24 GiB, and what novamm makes
# of it.
. /scenarios/lib.sh

echo "novamm-demo: begin"
echo "\$ insmod novamm_sim.ko devices=ga102:24G"
insmod $MODS/novamm_sim.ko devices=ga102:24G
echo "\$ insmod drm.ko; insmod drm_buddy.ko    # from Debian's linux-image package"
load_deps
echo "\$ insmod novamm.ko"
insmod $MODS/novamm.ko
echo "\$ dmesg | grep novamm"
dmesg | grep -v 'ommand line' | grep novamm | sed 's/^\[[ 0-9.]*\] //'
echo "\$ cat /sys/kernel/debug/novamm/novamm-sim.0/info"
cat $D/novamm/novamm-sim.0/info
echo "\$ cat /sys/kernel/debug/novamm/novamm-sim.0/vram"
cat $D/novamm/novamm-sim.0/vram
echo "\$ echo vram > /sys/kernel/debug/novamm/novamm-sim.0/selftest"
echo vram > $D/novamm/novamm-sim.0/selftest
echo "\$ echo pramin > /sys/kernel/debug/novamm/novamm-sim.0/selftest"
echo pramin > $D/novamm/novamm-sim.0/selftest
echo "\$ cat /sys/kernel/debug/novamm/novamm-sim.0/selftest"
cat $D/novamm/novamm-sim.0/selftest
echo "\$ cat /sys/kernel/debug/novamm_sim/0/counters"
cat $SIM/0/counters
rmmod novamm
rmmod novamm_sim
echo "novamm-demo: end"
check "kernel log clean" dmesg_clean
