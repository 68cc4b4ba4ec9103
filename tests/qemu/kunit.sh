# SPDX-License-Identifier: GPL-2.0
# QEMU scenario kunit: the KUnit suites of novamm_kunit.ko, which run as
# it loads, over novamm.ko and novamm_sim.ko, on a guest with several
# vCPUs and every checker the debug kernel has; then kmemleak over what
# they left. The suites report in KTAP on the kernel log, which the host
# parses; this scenario gives that report its top-level header, for
# module suites print none.
. /scenarios/lib.sh

# KUnit gives a case 300 s; insmod waits on each uninterruptibly, and the
# hung-task check (which panics the guest) must only fire beyond that.
echo 330 > /proc/sys/kernel/hung_task_timeout_secs
# The built-in executor already printed an empty report at boot: the
# host parses from this marker on.
echo "novamm-kunit: report" > /dev/kmsg
echo "KTAP version 1" > /dev/kmsg
echo "1..$(cat $MODS/suites)" > /dev/kmsg
check "load drm_buddy" load_deps
# The driver's suites run a few percent of their long loops (see
# novamm_sim_test_scaled()): the full depth is UML's.
check "load novamm_sim" insmod $MODS/novamm_sim.ko kunit_scale=5
check "load novamm" insmod $MODS/novamm.ko
check "load novamm_kunit: the suites run" insmod $MODS/novamm_kunit.ko
check "the suites ran on $(grep -c ^processor /proc/cpuinfo) CPUs" \
	test "$(grep -c ^processor /proc/cpuinfo)" -ge 2
check_kmemleak "kmemleak: nothing of novamm's left unreferenced by the suites"
check "unload novamm_kunit" rmmod novamm_kunit
check "unload novamm" rmmod novamm
check "unload novamm_sim" rmmod novamm_sim
scenario_end kunit
