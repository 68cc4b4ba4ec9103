/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm core: the device object, probe and removal. The hardware is
 * reached through the access layer below every subsystem,
 * include/novamm/hw.h; the chip table is include/novamm/chip.h.
 */
#ifndef _NOVAMM_CORE_H_
#define _NOVAMM_CORE_H_

#include <linux/types.h>

#include <novamm/bar1.h>
#include <novamm/chip.h>
#include <novamm/hw.h>
#include <novamm/vmm.h>

struct dentry;
struct novamm_device;
struct novamm_uapi;

/**
 * enum novamm_selftest - the self-tests of core/selftest.c, in the order
 *	they run
 * @NOVAMM_SELFTEST_PRAMIN: "pramin", the PRAMIN window
 * @NOVAMM_SELFTEST_VRAM: "vram", the allocator and the VRAM it hands out
 * @NOVAMM_SELFTEST_BAR1: "bar1", BAR1 written, PRAMIN read back
 * @NOVAMM_SELFTEST_COUNT: how many there are
 */
enum novamm_selftest {
	NOVAMM_SELFTEST_PRAMIN,
	NOVAMM_SELFTEST_VRAM,
	NOVAMM_SELFTEST_BAR1,
	NOVAMM_SELFTEST_COUNT,
};

/**
 * struct novamm_device - one GPU, real or simulated
 * @hw: how it is reached, and the bound struct device (``hw.dev``) for
 *	dev_printk and devres
 * @chip: the identified chip
 * @boot0: NV_PMC_BOOT_0 as read at probe
 * @boot42: NV_PMC_BOOT_42 as read at probe
 * @mm: the memory manager
 * @bar1: BAR1 and its mappings
 * @uapi: /dev/novamm<N>
 * @debugfs: this device's directory under novamm/ in debugfs, or an error
 *	pointer when debugfs is unavailable
 * @selftest: last result of each self-test (enum novamm_selftest): 0 not
 *	run, 1 passed, else the error
 * @vram_leaks: VRAM allocations found still live when the allocator was
 *	torn down, over every remove of this device: each is a bug, logged
 * @vram_kept: VRAM allocations kept out of use for good because the GPU
 *	might still read them (novamm_vram_keep()), over every remove
 */
struct novamm_device {
	struct novamm_hw hw;
	const struct novamm_chip *chip;
	u32 boot0;
	u32 boot42;
	struct novamm_mm mm;
	struct novamm_bar1 bar1;
	struct novamm_uapi *uapi;
	struct dentry *debugfs;
	int selftest[NOVAMM_SELFTEST_COUNT];
	unsigned int vram_leaks;
	unsigned int vram_kept;
};

#endif /* _NOVAMM_CORE_H_ */
