/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm buddy: the VRAM allocator.
 *
 * The kernel's buddy allocator (drm_buddy, gpu_buddy from 7.0) over
 * [0, VRAM end) in 4 KiB chunks, with every range the framebuffer layout
 * does not call usable allocated to novamm itself at init: it can never
 * be handed out, whatever a caller asks for. Offsets are VRAM addresses.
 *
 * VRAM is handed out as it was left: the allocator never touches the
 * hardware. It knows which blocks are zero (freed by an owner that knows
 * nothing wrote them since they were cleared) and, where the kernel
 * allocator tracks cleared blocks (6.10 on), prefers those; the rest are
 * dirty, which is all of VRAM at init. Whoever maps an allocation
 * for a CPU or the GPU to read clears the dirty blocks first
 * (novamm_bar1_clear(); novamm_bar1_map() does it itself).
 *
 * Locking: each call that reads or changes the allocator takes its lock
 * (struct novamm_buddy), which nests inside a VMM's lock and outside the
 * PRAMIN lock. A struct novamm_vram is not otherwise
 * protected: its owner serialises the calls that concern it alone, and
 * must not free it while iterating it elsewhere.
 */
#ifndef _NOVAMM_BUDDY_H_
#define _NOVAMM_BUDDY_H_

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <novamm/compat.h>

struct novamm_fb_layout;
struct novamm_hw;
struct novamm_pramin;
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
 * @buddy: the allocator it came from
 * @blocks: the allocator's blocks; walk them with
 *	novamm_vram_next_block()
 * @link: on the buddy's list of live allocations
 * @size: bytes
 * @flags: NOVAMM_VRAM_* it was made with
 * @owner: return address of the novamm_vram_alloc() call, for debugfs
 * @kept: novamm_vram_keep() took it out of use for good
 * @nr_blocks: entries of @blocks
 * @dirty: bitmap of @nr_blocks, in @blocks order: set for a block not known
 *	to be zero (@dirty_word holds it up to BITS_PER_LONG blocks)
 * @dirty_word: see @dirty
 * @dirty_bytes: bytes of the blocks set in @dirty; 0 once all are zero
 *	or written whole by the owner
 * @written: the owner wrote all of it (novamm_vram_set_written()): nothing
 *	of an earlier owner is left, nor is it zero
 */
struct novamm_vram {
	struct novamm_buddy *buddy;
	struct list_head blocks;
	struct list_head link;
	u64 size;
	unsigned long flags;
	unsigned long owner;
	bool kept;
	unsigned int nr_blocks;
	unsigned long *dirty;
	unsigned long dirty_word;
	u64 dirty_bytes;
	bool written;
};

/**
 * struct novamm_vram_cursor - a position in an allocation's blocks
 * @pos: the current block's list node; NULL before the first
 * @offset: VRAM address of the current block
 * @size: bytes of the current block
 * @index: its place in the allocation, from 0
 * @dirty: it is not known to be zero
 *
 * Zeroed, it stands before the first block; novamm_vram_next_block()
 * moves it on, and zeroes it again after the last, so the blocks of an
 * allocation are walked with::
 *
 *	struct novamm_vram_cursor cur = {};
 *
 *	while (novamm_vram_next_block(vram, &cur))
 *		use(cur.offset, cur.size);
 */
struct novamm_vram_cursor {
	struct list_head *pos;
	u64 offset;
	u64 size;
	unsigned int index;
	bool dirty;
};

/**
 * struct novamm_vram_stats - the allocator at one moment
 * @total: bytes it manages, [0, VRAM end) to 4 KiB
 * @usable: bytes it may hand out
 * @free: bytes it can still hand out
 * @largest_free: bytes of its largest free block
 * @allocated: bytes in live allocations
 * @allocations: live allocations
 * @clean: bytes free and known to be zero
 * @allocs: allocations made since init
 * @clean_allocs: of those, allocations whose every block was known zero
 * @clean_bytes: bytes handed out known zero
 * @dirty_bytes: bytes handed out dirty, for their mapper to clear
 */
struct novamm_vram_stats {
	u64 total;
	u64 usable;
	u64 free;
	u64 largest_free;
	u64 allocated;
	unsigned int allocations;
	u64 clean;
	u64 allocs;
	u64 clean_allocs;
	u64 clean_bytes;
	u64 dirty_bytes;
};

/**
 * struct novamm_buddy - the VRAM allocator of one device
 * @hw: the GPU, for its device and its fault points
 * @fb: the framebuffer layout it was seeded with, fixed at probe
 * @lock: serialises everything below and the kernel allocator
 * @kbuddy: the kernel's buddy allocator
 * @reserved: its blocks that cover the ranges that are not usable
 * @allocations: live struct novamm_vram, oldest first
 * @usable: bytes of usable VRAM
 * @allocated: bytes in @allocations
 * @count: entries of @allocations
 * @clean_map: where the kernel allocator does not track cleared blocks
 *	(before 6.10): one bit per 4 KiB chunk, set while it is free and
 *	known zero
 * @clean: bytes free and known zero
 * @allocs: see struct novamm_vram_stats
 * @clean_allocs: see struct novamm_vram_stats
 * @clean_bytes: see struct novamm_vram_stats
 * @dirty_bytes: see struct novamm_vram_stats
 * @ready: initialised
 */
struct novamm_buddy {
	struct novamm_hw *hw;
	const struct novamm_fb_layout *fb;
	struct mutex lock;	/* see above */
	struct novamm_kbuddy kbuddy;
	struct list_head reserved;
	struct list_head allocations;
	u64 usable;
	u64 allocated;
	unsigned int count;
#ifndef NOVAMM_KBUDDY_CLEAR
	unsigned long *clean_map;
#endif
	u64 clean;
	u64 allocs;
	u64 clean_allocs;
	u64 clean_bytes;
	u64 dirty_bytes;
	bool ready;
};

int novamm_buddy_init(struct novamm_buddy *b, struct novamm_hw *hw,
		      const struct novamm_fb_layout *fb);
unsigned int novamm_buddy_fini(struct novamm_buddy *b, unsigned int *kept);

struct novamm_vram *novamm_vram_alloc(struct novamm_buddy *b, u64 size,
				      unsigned long flags,
				      const struct novamm_vram_place *place);
void novamm_vram_free(struct novamm_vram *vram);
void novamm_vram_free_unwritten(struct novamm_vram *vram);
void novamm_vram_set_clear(struct novamm_vram *vram);
void novamm_vram_set_written(struct novamm_vram *vram);
bool novamm_vram_is_clear(const struct novamm_vram *vram);
void novamm_vram_keep(struct novamm_vram *vram);
u64 novamm_vram_start(const struct novamm_vram *vram);

bool novamm_vram_next_block(const struct novamm_vram *vram,
			    struct novamm_vram_cursor *cur);

void novamm_vram_stats(struct novamm_buddy *b, struct novamm_vram_stats *st);
void novamm_buddy_show(struct seq_file *m, struct novamm_buddy *b);
int novamm_buddy_selftest(struct novamm_buddy *b);
int novamm_vram_selftest(struct novamm_buddy *b, struct novamm_pramin *pramin);

#endif /* _NOVAMM_BUDDY_H_ */
