/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm buddy: the VRAM allocator.
 *
 * The kernel's buddy allocator (drm_buddy, gpu_buddy from 7.1) over
 * [0, VRAM end) in 4 KiB chunks, with every range the framebuffer layout
 * does not call usable allocated to novamm itself at init: it can never
 * be handed out, whatever a caller asks for. Offsets are VRAM addresses.
 *
 * Locking: each call takes the memory manager's buddy lock (struct
 * novamm_buddy), which nests inside a VMM's lock and outside pramin_lock.
 * A struct novamm_vram is not otherwise protected: its owner must not free
 * it while iterating it elsewhere.
 */
#ifndef _NOVAMM_BUDDY_H_
#define _NOVAMM_BUDDY_H_

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <novamm/compat.h>

struct novamm_fb_layout;
struct novamm_mm;
struct seq_file;

/* One run of VRAM, with no gaps between its blocks. */
#define NOVAMM_VRAM_CONTIGUOUS	BIT(0)
/* Prefer the highest addresses. */
#define NOVAMM_VRAM_TOPDOWN	BIT(1)
/* Only inside [place->start, place->end). */
#define NOVAMM_VRAM_RANGE	BIT(2)
#define NOVAMM_VRAM_FLAGS	(NOVAMM_VRAM_CONTIGUOUS | NOVAMM_VRAM_TOPDOWN | \
				 NOVAMM_VRAM_RANGE)

/**
 * struct novamm_vram_place - where an allocation may go
 * @start: first byte allowed, with NOVAMM_VRAM_RANGE
 * @end: one past the last byte allowed, with NOVAMM_VRAM_RANGE
 * @min_block: smallest block, a power of two of at least 4 KiB; every
 *	block is aligned to it. 0 means 4 KiB
 */
struct novamm_vram_place {
	u64 start;
	u64 end;
	u64 min_block;
};

/**
 * struct novamm_vram - one allocation
 * @mm: the memory manager it came from
 * @blocks: the allocator's blocks; walk them with
 *	novamm_vram_next_block()
 * @link: on the buddy's list of live allocations
 * @size: bytes
 * @flags: NOVAMM_VRAM_* it was made with
 * @owner: return address of the novamm_vram_alloc() call, for debugfs
 * @kept: novamm_vram_keep() took it out of use for good
 */
struct novamm_vram {
	struct novamm_mm *mm;
	struct list_head blocks;
	struct list_head link;
	u64 size;
	unsigned long flags;
	unsigned long owner;
	bool kept;
};

/**
 * struct novamm_vram_cursor - a position in an allocation's blocks
 * @pos: the current block's list node; NULL before the first
 * @offset: VRAM address of the current block
 * @size: bytes of the current block
 *
 * Zeroed, it stands before the first block; novamm_vram_next_block()
 * moves it on, and zeroes it again after the last.
 */
struct novamm_vram_cursor {
	struct list_head *pos;
	u64 offset;
	u64 size;
};

/**
 * struct novamm_vram_stats - the allocator at one moment
 * @total: bytes it manages, [0, VRAM end) to 4 KiB
 * @usable: bytes it may hand out
 * @free: bytes it can still hand out
 * @largest_free: bytes of its largest free block
 * @allocated: bytes in live allocations
 * @allocations: live allocations
 */
struct novamm_vram_stats {
	u64 total;
	u64 usable;
	u64 free;
	u64 largest_free;
	u64 allocated;
	unsigned int allocations;
};

/**
 * struct novamm_buddy - the VRAM allocator of one device
 * @lock: serialises everything below and the kernel allocator
 * @kbuddy: the kernel's buddy allocator
 * @reserved: its blocks that cover the ranges that are not usable
 * @allocations: live struct novamm_vram, oldest first
 * @usable: bytes of usable VRAM
 * @allocated: bytes in @allocations
 * @count: entries of @allocations
 * @ready: initialised
 */
struct novamm_buddy {
	struct mutex lock;	/* see above */
	struct novamm_kbuddy kbuddy;
	struct list_head reserved;
	struct list_head allocations;
	u64 usable;
	u64 allocated;
	unsigned int count;
	bool ready;
};

int novamm_buddy_init(struct novamm_mm *mm, const struct novamm_fb_layout *fb);
unsigned int novamm_buddy_fini(struct novamm_mm *mm, unsigned int *kept);

struct novamm_vram *novamm_vram_alloc(struct novamm_mm *mm, u64 size,
				      unsigned long flags,
				      const struct novamm_vram_place *place);
void novamm_vram_free(struct novamm_vram *vram);
void novamm_vram_keep(struct novamm_vram *vram);
u64 novamm_vram_start(const struct novamm_vram *vram);

bool novamm_vram_next_block(const struct novamm_vram *vram,
			    struct novamm_vram_cursor *cur);

void novamm_vram_stats(struct novamm_mm *mm, struct novamm_vram_stats *st);
void novamm_buddy_show(struct seq_file *m, struct novamm_mm *mm);
int novamm_buddy_selftest(struct novamm_mm *mm);

#endif /* _NOVAMM_BUDDY_H_ */
