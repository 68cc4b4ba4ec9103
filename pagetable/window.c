// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table window: page-table chunks written through a write-combined
 * BAR1 mapping instead of the PRAMIN window.
 */

/**
 * DOC: Locking
 *
 * The window's ``lock`` guards its operations, its list of chunks and each
 * chunk's place in BAR1, and is held across each write through it, so
 * that novamm_pt_window_disable() cannot unmap a chunk under a write. It
 * is taken with the owning address space's lock held, and the map and
 * unmap operations take BAR1's lock and BAR1's own address space's lock
 * under it. BAR1's address space never writes through the window (its
 * tables are what the window's mappings are made of), so the order is
 * always: an address space, the window, BAR1, BAR1's address space.
 */

/**
 * DOC: The table window
 *
 * Through PRAMIN every 32-bit word of a table is a bus transaction of its
 * own; through a write-combined mapping the CPU merges the words of a
 * 64-byte line into one burst, sixteen times fewer (see "Bus
 * transactions" in :doc:`sim`). Once BAR1 is up it offers the device's
 * address spaces a window (novamm_pt_window_enable()): each chunk of a
 * table pool is mapped into BAR1, with one 2 MiB page, and the tables in
 * it are written with copies through BAR1, each followed by a write
 * barrier in the access layer. The FB flush before each TLB invalidate
 * then lands them as it lands PRAMIN writes. A new address space maps the
 * chunk of its root last, once nothing is left to allocate (its root was
 * zeroed through PRAMIN); a chunk the pool takes later is mapped when the
 * update that took it commits, after its allocations and before its
 * writes (novamm_pt_window_map()). So an operation that fails for want
 * of memory has still shown the GPU nothing.
 *
 * The chunks go into a slice of BAR1 kept for them, where no mapping of
 * VRAM goes ("The table window's slice" in :doc:`bar1`): tables cost
 * clients no BAR1 room, and a BAR1 that clients have filled still takes
 * tables. One chunk holds the tables of a gigabyte of 4 KiB pages.
 *
 * PRAMIN stays the path for a chunk whenever the window cannot take it:
 * before BAR1 is up and after it is gone, for BAR1's own tables, for a
 * chunk that finds the slice full or a BAR1 too small to keep one, and
 * while a self-test holds BAR1. Such a chunk stays on PRAMIN until its
 * pool gives it back; a mapped one stays mapped until then, or until BAR1
 * goes away (novamm_pt_window_disable()), when its tables go back to
 * PRAMIN. Either way every word reaches the same VRAM; only the number of
 * transactions differs.
 */
#include <linux/device.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>

#include <novamm/hw.h>
#include <novamm/pagetable.h>

#include "internal.h"

/**
 * novamm_pt_window_init() - a device's table window, closed
 * @w: the window, in the device's memory manager
 * @hw: the device
 *
 * Until novamm_pt_window_enable(), every table is written through PRAMIN.
 */
void novamm_pt_window_init(struct novamm_pt_window *w, struct novamm_hw *hw)
{
	w->hw = hw;
	w->ops = NULL;
	w->priv = NULL;
	mutex_init(&w->lock);
	INIT_LIST_HEAD(&w->chunks);
	w->ready = true;
}
EXPORT_SYMBOL_GPL(novamm_pt_window_init);

/**
 * novamm_pt_window_enable() - open the window
 * @w: the window, set up
 * @ops: how BAR1 maps and unmaps a chunk
 * @priv: for @ops
 *
 * Chunks that pools take from now on are mapped through @ops; chunks
 * taken before stay on PRAMIN.
 *
 * Context: takes the window's lock.
 */
void novamm_pt_window_enable(struct novamm_pt_window *w,
			     const struct novamm_pt_window_ops *ops, void *priv)
{
	mutex_lock(&w->lock);
	w->ops = ops;
	w->priv = priv;
	mutex_unlock(&w->lock);
}
EXPORT_SYMBOL_GPL(novamm_pt_window_enable);

/* A chunk leaves BAR1; what it holds is written through PRAMIN from now on. */
static void pt_window_unmap(struct novamm_pt_window *w, struct novamm_pt_chunk *c)
{
	int ret;

	lockdep_assert_held(&w->lock);
	ret = w->ops->unmap(w->priv, c->win_offset, PT_POOL_CHUNK);
	if (ret)
		dev_err(w->hw->dev, "page-table window: BAR1 0x%llx still maps the chunk at 0x%llx: %d\n",
			c->win_offset, c->base, ret);
	list_del(&c->win_link);
	c->win = false;
}

/**
 * novamm_pt_window_disable() - close the window
 * @w: the window
 *
 * Every chunk mapped through it is unmapped, and its tables are written
 * through PRAMIN from then on; new chunks are not mapped. For BAR1 going
 * away. A window never set up is left alone.
 *
 * Context: takes the window's lock, then BAR1's through its operations.
 */
void novamm_pt_window_disable(struct novamm_pt_window *w)
{
	struct novamm_pt_chunk *c, *tmp;

	if (!w->ready)
		return;
	mutex_lock(&w->lock);
	list_for_each_entry_safe(c, tmp, &w->chunks, win_link)
		pt_window_unmap(w, c);
	w->ops = NULL;
	w->priv = NULL;
	mutex_unlock(&w->lock);
}
EXPORT_SYMBOL_GPL(novamm_pt_window_disable);

/**
 * novamm_pt_window_chunks() - chunks mapped through the window now
 * @w: the window
 *
 * Context: takes the window's lock.
 * Return: their count; 0 for a window never set up.
 */
unsigned int novamm_pt_window_chunks(struct novamm_pt_window *w)
{
	struct novamm_pt_chunk *c;
	unsigned int n = 0;

	if (!w->ready)
		return 0;
	mutex_lock(&w->lock);
	list_for_each_entry(c, &w->chunks, win_link)
		n++;
	mutex_unlock(&w->lock);
	return n;
}
EXPORT_SYMBOL_GPL(novamm_pt_window_chunks);

/**
 * novamm_pt_window_map() - map a pool's new chunks, before an update writes
 * @pool: the pool
 *
 * Called at the start of an update's commit, after its allocations and
 * before its first write, so that an update that fails for want of memory
 * has shown the GPU nothing, as without a window. A chunk that finds the
 * window's slice of BAR1 full, or that a self-test holding BAR1 keeps
 * out, stays on PRAMIN for good; that is not an error.
 *
 * Context: the pool's owner serialises; takes the window's lock.
 * Return: 0; -ENOMEM or -ETIMEDOUT from BAR1's map, with the chunks
 * mapped before it still mapped (novamm_pt_window_remove() unmaps them).
 */
int novamm_pt_window_map(struct novamm_pt_pool *pool)
{
	struct novamm_pt_window *w = pool->window;
	struct novamm_pt_chunk *c;
	int ret = 0;

	/* Most commits take no chunk: no lock, no walk. */
	if (!w || !pool->window_pending)
		return 0;
	mutex_lock(&w->lock);
	list_for_each_entry(c, &pool->chunks, link) {
		if (!w->ops)
			break;
		if (c->win || c->win_tried)
			continue;
		ret = w->ops->map(w->priv, c->base, PT_POOL_CHUNK, &c->win_offset);
		if (!ret) {
			c->win = true;
			list_add_tail(&c->win_link, &w->chunks);
		} else if (ret == -ENOSPC || ret == -EBUSY) {
			dev_dbg(w->hw->dev, "page-table window: chunk at 0x%llx stays on PRAMIN: %d\n",
				c->base, ret);
			c->win_tried = true;
			ret = 0;
		} else {
			break;
		}
	}
	/* Each chunk mapped or left to PRAMIN: nothing more until the pool grows. */
	if (w->ops && !ret)
		pool->window_pending = false;
	mutex_unlock(&w->lock);
	return ret;
}

/**
 * novamm_pt_window_remove() - unmap a chunk before its pool gives it back
 * @pool: the pool
 * @c: the chunk
 *
 * Context: the pool's owner serialises; takes the window's lock.
 */
void novamm_pt_window_remove(struct novamm_pt_pool *pool, struct novamm_pt_chunk *c)
{
	struct novamm_pt_window *w = pool->window;

	if (!w)
		return;
	mutex_lock(&w->lock);
	if (c->win)
		pt_window_unmap(w, c);
	mutex_unlock(&w->lock);
}

static struct novamm_pt_chunk *pt_pool_chunk(struct novamm_pt_pool *pool, u64 addr)
{
	struct novamm_pt_chunk *c;

	list_for_each_entry(c, &pool->chunks, link)
		if (addr >= c->base && addr - c->base < PT_POOL_CHUNK)
			return c;
	return NULL;
}

/**
 * novamm_pt_window_write() - write table bytes through the window
 * @pool: the pool the table is in
 * @addr: VRAM address
 * @buf: the bytes
 * @len: how many, inside one chunk
 *
 * Context: the pool's owner serialises; takes the window's lock.
 * Return: 0; -ENOENT, with nothing written, where the chunk is not mapped
 * through the window (the caller uses PRAMIN); an error of the access
 * layer.
 */
int novamm_pt_window_write(struct novamm_pt_pool *pool, u64 addr, const void *buf,
			   size_t len)
{
	struct novamm_pt_window *w = pool->window;
	struct novamm_pt_chunk *c;
	int ret;

	if (!w)
		return -ENOENT;
	c = pt_pool_chunk(pool, addr);
	if (!c || len > PT_POOL_CHUNK - (addr - c->base))
		return -ENOENT;
	mutex_lock(&w->lock);
	ret = c->win ? novamm_hw_bar1_write(w->hw, c->win_offset + (addr - c->base), buf, len) :
		       -ENOENT;
	mutex_unlock(&w->lock);
	return ret;
}

/**
 * novamm_pagetable_window_map() - map a tree's table chunks through its window now
 * @pt: the tree
 *
 * What the tree's next update would do first (novamm_pt_window_map()),
 * for a caller that wants its first map to cost no more than the next.
 *
 * Context: the caller serialises calls on @pt; takes the window's lock,
 * then BAR1's.
 * Return: as novamm_pt_window_map(); 0 for a tree without a window.
 */
int novamm_pagetable_window_map(struct novamm_pagetable *pt)
{
	return novamm_pt_window_map(&pt->pool);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_window_map);
