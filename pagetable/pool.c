// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page-table pool: VRAM for the tables of one tree.
 */

/**
 * DOC: Locking
 *
 * The pool has no lock: it belongs to one &struct novamm_pagetable, whose
 * owner serialises every call on it. Growing it (novamm_vram_alloc()) and
 * giving a chunk back (novamm_vram_free()) take the buddy lock, so callers
 * must not hold the PRAMIN window's lock then.
 */

/**
 * DOC: The pool
 *
 * Tables come from a pool per tree: 2 MiB contiguous, 2 MiB-aligned chunks
 * taken top-down from the VRAM allocator, handed out in 256-byte units,
 * each table aligned to its size: a 4 KiB table takes 16 aligned units, a
 * 64 KiB-page table with its 32 entries one. Keeping an address space's
 * tables within a few chunks is what lets long runs of table writes go
 * without moving the PRAMIN window.
 *
 * The pool does not zero what it hands out: a table is written whole at
 * commit, before any entry points to it (see "Written once").
 *
 * Where the pool has a window (struct novamm_pt_window), a chunk is
 * mapped through it when its address space is made or when the update
 * that took it commits (novamm_pt_window_map()), and unmapped before it
 * goes back.
 *
 * A chunk whose units are all free goes back to the allocator unless it
 * is the pool's last, so that a table coming and going at a chunk's edge
 * does not take and return 2 MiB each time.
 */
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/buddy.h>
#include <novamm/hw.h>
#include <novamm/pagetable.h>

#include "internal.h"

/**
 * novamm_pt_pool_init() - an empty pool
 * @pool: the pool to set up
 * @buddy: the VRAM allocator it takes chunks from
 * @window: where its chunks are mapped for writing, or NULL for PRAMIN
 *
 * Nothing is allocated here: the first novamm_pt_pool_get() takes the
 * first chunk.
 */
void novamm_pt_pool_init(struct novamm_pt_pool *pool, struct novamm_buddy *buddy,
			 struct novamm_pt_window *window)
{
	pool->buddy = buddy;
	pool->window = window;
	INIT_LIST_HEAD(&pool->chunks);
	pool->num_chunks = 0;
	pool->keep = false;
	pool->window_pending = false;
}

static struct novamm_pt_chunk *novamm_pt_pool_grow(struct novamm_pt_pool *pool)
{
	struct novamm_vram_place place = { .min_block = PT_POOL_CHUNK };
	struct novamm_pt_chunk *c;

	c = novamm_should_fail(pool->buddy->hw) ? NULL : kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->vram = novamm_vram_alloc(pool->buddy, PT_POOL_CHUNK,
				    NOVAMM_VRAM_CONTIGUOUS | NOVAMM_VRAM_TOPDOWN,
				    &place);
	if (IS_ERR(c->vram)) {
		long err = PTR_ERR(c->vram);

		kfree(c);
		return ERR_PTR(err);
	}
	c->base = novamm_vram_start(c->vram);
	list_add(&c->link, &pool->chunks);
	pool->num_chunks++;
	pool->window_pending = true;
	return c;
}

/**
 * novamm_pt_pool_get() - VRAM for one table
 * @pool: the pool
 * @size: bytes, a power of two from 256 to 4096; the table is aligned to it
 * @addr: its VRAM address
 *
 * The first free run of units that fits, aligned to @size, in the chunks
 * already taken; a new chunk only when none has one. The memory is not
 * zeroed here: the caller writes it, through the table window or PRAMIN.
 *
 * Context: the pool's owner serialises calls; growing the pool takes the
 * buddy lock, so the caller must not hold the PRAMIN window's lock. May sleep.
 *
 * Return: 0, -ENOSPC when VRAM is exhausted, -ENOMEM.
 */
int novamm_pt_pool_get(struct novamm_pt_pool *pool, u32 size, u64 *addr)
{
	unsigned int units = size / PT_POOL_UNIT;
	struct novamm_pt_chunk *c;
	unsigned long bit;

	list_for_each_entry(c, &pool->chunks, link) {
		bit = bitmap_find_next_zero_area(c->map, PT_POOL_UNITS, 0, units,
						 units - 1);
		if (bit < PT_POOL_UNITS)
			goto found;
	}
	c = novamm_pt_pool_grow(pool);
	if (IS_ERR(c))
		return PTR_ERR(c);
	bit = 0;
found:
	bitmap_set(c->map, bit, units);
	c->used += units;
	*addr = c->base + (u64)bit * PT_POOL_UNIT;
	return 0;
}

/**
 * novamm_pt_pool_put() - give a table's VRAM back
 * @pool: the pool
 * @addr: from novamm_pt_pool_get()
 * @size: the size it was taken with
 *
 * A chunk that becomes empty goes back to the VRAM allocator, unless it
 * is the pool's last. After novamm_pt_pool_keep() nothing is given back.
 * An address that no chunk of the pool holds is reported and ignored.
 *
 * Context: the pool's owner serialises calls; giving a chunk back takes
 * the buddy lock, so the caller must not hold the PRAMIN window's lock.
 */
void novamm_pt_pool_put(struct novamm_pt_pool *pool, u64 addr, u32 size)
{
	unsigned int units = size / PT_POOL_UNIT;
	struct novamm_pt_chunk *c;

	if (pool->keep)
		return;

	list_for_each_entry(c, &pool->chunks, link) {
		if (addr < c->base || addr >= c->base + PT_POOL_CHUNK)
			continue;
		bitmap_clear(c->map, (addr - c->base) / PT_POOL_UNIT, units);
		c->used -= units;
		/* One empty chunk stays, so a table at its edge does not churn. */
		if (!c->used && pool->num_chunks > 1) {
			list_del(&c->link);
			pool->num_chunks--;
			novamm_pt_window_remove(pool, c);
			novamm_vram_free(c->vram);
			kfree(c);
		}
		return;
	}
	dev_err(pool->buddy->hw->dev, "page-table pool: 0x%llx is not a table of this pool\n",
		addr);
}

/**
 * novamm_pt_pool_fini() - give every chunk back
 * @pool: the pool; its tables must all have been put (a chunk still in use
 *	is reported)
 *
 * After novamm_pt_pool_keep() the chunks stay allocated
 * (novamm_vram_keep()) and only their records are freed.
 */
void novamm_pt_pool_fini(struct novamm_pt_pool *pool)
{
	struct novamm_pt_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, &pool->chunks, link) {
		if (c->used && !pool->keep)
			dev_err(pool->buddy->hw->dev, "page-table pool: chunk at 0x%llx still holds %u units\n",
				c->base, c->used);
		list_del(&c->link);
		novamm_pt_window_remove(pool, c);
		if (pool->keep)
			novamm_vram_keep(c->vram);
		else
			novamm_vram_free(c->vram);
		kfree(c);
	}
	pool->num_chunks = 0;
}

/**
 * novamm_pt_pool_keep() - never give a table's VRAM back
 * @pool: the pool; from now on tables put back stay taken, and
 *	novamm_pt_pool_fini() keeps every chunk allocated (novamm_vram_keep())
 */
void novamm_pt_pool_keep(struct novamm_pt_pool *pool)
{
	pool->keep = true;
}
