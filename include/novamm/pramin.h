/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm PRAMIN: reading and writing VRAM through the 1 MiB BAR0 window.
 *
 * Every function here must be called with mm->pramin_lock held: the window
 * register is one piece of hardware state per GPU, and holding the lock
 * across a batch of accesses is what lets a caller write a run of page
 * table entries without another user moving the window in between.
 */
#ifndef _NOVAMM_PRAMIN_H_
#define _NOVAMM_PRAMIN_H_

#include <linux/types.h>

struct novamm_mm;

/**
 * struct novamm_pramin - the driver's view of the BAR0 window
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
	u32 reg;
	u32 base_mask;
	bool has_target;
	u32 saved;
	u64 base;
	bool valid;
	u64 window_moves;
};

int novamm_pramin_init(struct novamm_mm *mm);
void novamm_pramin_fini(struct novamm_mm *mm);

int novamm_pramin_rd8(struct novamm_mm *mm, u64 addr, u8 *val);
int novamm_pramin_rd16(struct novamm_mm *mm, u64 addr, u16 *val);
int novamm_pramin_rd32(struct novamm_mm *mm, u64 addr, u32 *val);
int novamm_pramin_rd64(struct novamm_mm *mm, u64 addr, u64 *val);
int novamm_pramin_wr8(struct novamm_mm *mm, u64 addr, u8 val);
int novamm_pramin_wr16(struct novamm_mm *mm, u64 addr, u16 val);
int novamm_pramin_wr32(struct novamm_mm *mm, u64 addr, u32 val);
int novamm_pramin_wr64(struct novamm_mm *mm, u64 addr, u64 val);

int novamm_pramin_read(struct novamm_mm *mm, u64 addr, void *buf, size_t len);
int novamm_pramin_write(struct novamm_mm *mm, u64 addr, const void *buf,
			size_t len);
int novamm_pramin_fill(struct novamm_mm *mm, u64 addr, u8 val, size_t len);

int novamm_pramin_selftest(struct novamm_mm *mm, u64 start, u64 len);

#endif /* _NOVAMM_PRAMIN_H_ */
