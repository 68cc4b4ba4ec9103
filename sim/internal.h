/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm_sim internals: the simulated GPU's state, shared by the files of
 * sim/ and by nothing else.
 */
#ifndef _NOVAMM_SIM_INTERNAL_H_
#define _NOVAMM_SIM_INTERNAL_H_

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include <novamm/sim.h>

struct dentry;
struct platform_device;

/**
 * struct sim_chip - the sim's own description of a chip
 * @name: chip name, upper case
 * @chip_id: NV_PMC_BOOT_42 CHIP_ID
 * @window: BAR0 offset of the window register
 * @window_base: mask of its BASE field
 * @window_target: the register has a TARGET field
 * @local_memory_range: the VRAM size is published in
 *	NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE rather than NV_USABLE_FB_SIZE_IN_MB
 * @vram_default: VRAM size of a typical board, used when none is asked for
 *
 * Written from the hardware reference independently of the driver's chip
 * table, so that the driver's identification is checked against a second
 * reading of the same sources.
 */
struct sim_chip {
	const char *name;
	u16 chip_id;
	u32 window;
	u32 window_base;
	bool window_target;
	bool local_memory_range;
	u64 vram_default;
};

/**
 * struct novamm_sim - one simulated GPU
 * @chip: what it simulates
 * @serial: a number unique among live sims, for log lines
 * @vram_size: bytes of VRAM
 * @bar1_size: bytes of BAR1
 * @vram_fill: what VRAM never written reads as
 * @lock: serialises every access; taken by each entry point of sim/ and
 *	never held across a call out of sim/
 * @bar0_window: the window register as last written
 * @vram: VRAM pages by page frame, allocated on first write
 * @logged: BAR0 dwords already reported as unimplemented
 * @cnt: counters
 * @id: platform device id, or -1 for a sim made through the C API only
 * @pdev: its platform device, owned by sim/main.c
 * @debugfs: its debugfs directory, owned by sim/main.c
 * @node: entry in sim/main.c's device list
 */
struct novamm_sim {
	const struct sim_chip *chip;
	unsigned int serial;
	u64 vram_size;
	u64 bar1_size;
	u8 vram_fill;

	struct mutex lock;	/* see above: guards everything below */
	u32 bar0_window;
	struct xarray vram;
	struct xarray logged;
	struct novamm_sim_counters cnt;

	int id;
	struct platform_device *pdev;
	struct dentry *debugfs;
	struct list_head node;
};

const struct sim_chip *novamm_sim_chip_find(const char *name);

int novamm_sim_vram_access(struct novamm_sim *sim, u64 addr, void *buf,
			   size_t len, bool write);
void novamm_sim_vram_free(struct novamm_sim *sim);

void novamm_sim_bar1_read_locked(struct novamm_sim *sim, u64 offset,
				 void *buf, size_t len);
void novamm_sim_bar1_write_locked(struct novamm_sim *sim, u64 offset,
				  const void *buf, size_t len);

extern const struct novamm_sim_ops novamm_sim_ops;

#endif /* _NOVAMM_SIM_INTERNAL_H_ */
