/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm PRAMIN: reading and writing VRAM through the 1 MiB BAR0 window.
 *
 * The window register is one piece of hardware state per GPU, guarded by
 * the window's own lock: every access takes it, and novamm_pramin_batch()
 * holds it across as many accesses as must see the window unmoved.
 */
#ifndef _NOVAMM_PRAMIN_H_
#define _NOVAMM_PRAMIN_H_

#include <linux/mutex.h>
#include <linux/types.h>

struct novamm_hw;
struct task_struct;

/**
 * struct novamm_pramin - the driver's view of the BAR0 window
 * @hw: the GPU whose window it is
 * @lock: held across every access, and across a whole batch
 * @batch: the task running novamm_pramin_batch(), whose accesses ride on
 *	its hold; NULL outside a batch
 * @vram_size: bytes of VRAM the window may be pointed at
 * @reg: BAR0 offset of the window register of this generation
 * @base_mask: its BASE field (address >> 16, starting at bit 0)
 * @has_target: the register has a TARGET field to set to video memory
 * @saved: the register as found at init, written back at fini
 * @base: VRAM address the window starts at, valid when @valid
 * @valid: @base describes the hardware; false when the window found at
 *	init pointed at system memory
 * @window_moves: writes to the window register since init
 */
struct novamm_pramin {
	struct novamm_hw *hw;
	struct mutex lock;	/* see above */
	struct task_struct *batch;
	u64 vram_size;
	u32 reg;
	u32 base_mask;
	bool has_target;
	u32 saved;
	u64 base;
	bool valid;
	u64 window_moves;
};

int novamm_pramin_init(struct novamm_pramin *p, struct novamm_hw *hw,
		       u64 vram_size, u32 reg, u32 base_mask, bool has_target);
void novamm_pramin_fini(struct novamm_pramin *p);

int novamm_pramin_batch(struct novamm_pramin *p,
			int (*fn)(struct novamm_pramin *p, void *arg), void *arg);
u64 novamm_pramin_window_moves(struct novamm_pramin *p);

int novamm_pramin_rd8(struct novamm_pramin *p, u64 addr, u8 *val);
int novamm_pramin_rd16(struct novamm_pramin *p, u64 addr, u16 *val);
int novamm_pramin_rd32(struct novamm_pramin *p, u64 addr, u32 *val);
int novamm_pramin_rd64(struct novamm_pramin *p, u64 addr, u64 *val);
int novamm_pramin_wr8(struct novamm_pramin *p, u64 addr, u8 val);
int novamm_pramin_wr16(struct novamm_pramin *p, u64 addr, u16 val);
int novamm_pramin_wr32(struct novamm_pramin *p, u64 addr, u32 val);
int novamm_pramin_wr64(struct novamm_pramin *p, u64 addr, u64 val);

int novamm_pramin_read(struct novamm_pramin *p, u64 addr, void *buf,
		       size_t len);
int novamm_pramin_write(struct novamm_pramin *p, u64 addr, const void *buf,
			size_t len);
int novamm_pramin_fill(struct novamm_pramin *p, u64 addr, u8 val, size_t len);

int novamm_pramin_selftest(struct novamm_pramin *p, u64 start, u64 len);

#endif /* _NOVAMM_PRAMIN_H_ */
