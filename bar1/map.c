// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BAR1 mapping service: VRAM allocations made visible through BAR1,
 * zeroed before anyone learns where, and the clearing of VRAM that is to
 * be read another way.
 */

/**
 * DOC: Clearing
 *
 * VRAM reaches a CPU through BAR1 only zeroed: novamm_bar1_map() clears
 * the blocks of an allocation the allocator does not know to be zero,
 * through the new mapping, before its offset is returned, so no CPU ever
 * reads what a previous owner left. A read-only mapping, which cannot
 * write, is cleared through novamm_bar1_clear() first.
 *
 * novamm_bar1_clear() zeroes by the fastest path the device has: through
 * BAR1, in pieces of at most 32 MiB, each mapped once with the largest
 * pages it allows and unmapped again (one invalidate each way; a piece
 * costs BAR1 room that other mappings may need); through PRAMIN, one
 * 32-bit write through the window per word, before BAR1 is up or when it
 * has no room. debugfs ``stats`` counts the bytes cleared each way
 * (``bar1_cleared_mapped``, ``bar1_cleared_bar1``,
 * ``bar1_cleared_pramin``) and the pieces mapped
 * (``bar1_clear_pieces``); ``make bench`` prints the cost per MiB next to
 * the minimum.
 */
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/bar1.h>
#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/vmm.h>

#include "internal.h"

/*
 * Dirty VRAM that no mapping of its owner's shows is cleared through a
 * mapping of its own, this much at a time: each piece costs one map and
 * one unmap, two invalidates, a few page-table words with 2 MiB pages,
 * and BAR1 room that other mappings may need.
 */
#define NOVAMM_BAR1_CLEAR_PIECE		SZ_32M

/*
 * A self-test of another task holds BAR1 alone (novamm_bar1_exclude()):
 * a mapping made now could take the offset it has just unmapped.
 */
static bool bar1_held_by_other(struct novamm_bar1 *bar1)
{
	lockdep_assert_held(&bar1->lock);
	return bar1->exclusive && bar1->exclusive != current;
}

/* The dirty blocks of @vram, mapped at BAR1 @va in their order, zeroed through it. */
static void bar1_clear_through(struct novamm_bar1 *bar1, struct novamm_vram *vram, u64 va)
{
	struct novamm_vram_cursor cur = {};
	u64 at = 0;

	lockdep_assert_held(&bar1->lock);
	while (novamm_vram_next_block(vram, &cur)) {
		if (cur.dirty && !novamm_hw_bar1_zero(bar1->hw, va + at, cur.size))
			bar1->cleared_mapped += cur.size;
		at += cur.size;
	}
	novamm_vram_set_clear(vram);
}

static int bar1_clear_pramin(struct novamm_bar1 *bar1, u64 addr, u64 size)
{
	int ret;

	ret = novamm_pramin_fill(&bar1->mm->pramin, addr, 0, size);
	if (!ret)
		bar1->cleared_pramin += size;
	return ret;
}

/*
 * [addr, addr + size) of VRAM zeroed through a BAR1 mapping of its own,
 * or through PRAMIN when BAR1 has no room for one.
 */
static int bar1_clear_piece(struct novamm_bar1 *bar1, u64 addr, u64 size)
{
	struct novamm_phys_range range = { .addr = addr, .size = size };
	u64 va = 0;
	int ret;

	lockdep_assert_held(&bar1->lock);
	ret = novamm_vmm_map(bar1->vmm, &va, &range, 1, 0);
	if (ret == -ENOSPC)
		return bar1_clear_pramin(bar1, addr, size);
	if (ret)
		return ret;
	ret = novamm_hw_bar1_zero(bar1->hw, va, size);
	if (!ret) {
		bar1->cleared_bar1 += size;
		bar1->clear_pieces++;
	}
	if (novamm_vmm_unmap(bar1->vmm, va, size)) {
		/* Nothing hands the range out again; it goes at remove. */
		dev_err(bar1->hw->dev, "BAR1: the clearing mapping at 0x%llx stays until remove\n",
			va);
		ret = ret ?: -ETIMEDOUT;
	}
	return ret;
}

/**
 * novamm_bar1_clear() - zero the dirty blocks of an allocation
 * @bar1: BAR1 of the device
 * @vram: the allocation, mapped nowhere a reader could see it yet
 *
 * The fastest way the device has: through BAR1, in pieces of at most
 * 32 MiB each mapped once, once BAR1 is up and has room for them; through
 * PRAMIN before that, or when it has none (see "Clearing" above). Blocks
 * known zero are skipped. novamm_bar1_map() clears what it maps by itself;
 * this is for VRAM that is to be read another way. A piece whose unmap
 * does not complete stays mapped until removal, and nothing hands its
 * BAR1 range out again meanwhile.
 *
 * Context: takes bar1->lock, then the address space's and the PRAMIN lock;
 * may sleep.
 *
 * Return: 0, and @vram is known zero; -EBUSY while a self-test holds
 * BAR1; -ENOMEM, -ETIMEDOUT, or a PRAMIN error, with @vram as dirty as it
 * was.
 */
int novamm_bar1_clear(struct novamm_bar1 *bar1, struct novamm_vram *vram)
{
	struct novamm_vram_cursor cur = {};
	u64 done, n;
	int ret = 0;

	if (novamm_vram_is_clear(vram))
		return 0;
	mutex_lock(&bar1->lock);
	if (bar1_held_by_other(bar1))
		ret = -EBUSY;
	while (!ret && novamm_vram_next_block(vram, &cur)) {
		for (done = 0; cur.dirty && !ret && done < cur.size; done += n) {
			n = min_t(u64, cur.size - done, NOVAMM_BAR1_CLEAR_PIECE);
			ret = bar1->ready ? bar1_clear_piece(bar1, cur.offset + done, n) :
			      bar1_clear_pramin(bar1, cur.offset + done, n);
		}
	}
	mutex_unlock(&bar1->lock);
	if (ret) {
		dev_dbg(bar1->hw->dev, "BAR1: clearing 0x%llx bytes of VRAM: %d\n",
			vram->size, ret);
		return ret;
	}
	novamm_vram_set_clear(vram);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_bar1_clear);

static struct novamm_bar1_mapping *bar1_map(struct novamm_bar1 *bar1,
					    struct novamm_vram *vram,
					    unsigned long flags, bool owned,
					    u64 *offset)
{
	struct novamm_bar1_mapping *map;
	u64 va = 0;
	int ret;

	if (IS_ERR_OR_NULL(vram) || vram->buddy != &bar1->mm->buddy ||
	    flags & ~NOVAMM_BAR1_MAP_FLAGS) {
		dev_dbg(bar1->hw->dev, "BAR1 map: not an allocation of this device, or flags 0x%lx\n",
			flags);
		return ERR_PTR(-EINVAL);
	}
	/* A read-only mapping cannot clear what it shows: another must. */
	if (flags & NOVAMM_BAR1_MAP_READ_ONLY && !novamm_vram_is_clear(vram)) {
		ret = novamm_bar1_clear(bar1, vram);
		if (ret)
			return ERR_PTR(ret);
	}
	map = novamm_should_fail(bar1->hw) ? NULL : kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);

	mutex_lock(&bar1->lock);
	if (bar1_held_by_other(bar1)) {
		mutex_unlock(&bar1->lock);
		dev_dbg(bar1->hw->dev, "BAR1 map refused while a self-test runs\n");
		kfree(map);
		return ERR_PTR(-EBUSY);
	}
	ret = novamm_vmm_map_vram(bar1->vmm, &va, vram,
				  flags & NOVAMM_BAR1_MAP_READ_ONLY ?
				  NOVAMM_VMM_MAP_READ_ONLY : 0, map);
	if (ret) {
		bar1->map_errors++;
		bar1->full += ret == -ENOSPC;
		mutex_unlock(&bar1->lock);
		dev_dbg(bar1->hw->dev, "BAR1 map of %llu bytes: %d\n", vram->size, ret);
		kfree(map);
		return ERR_PTR(ret);
	}
	/* Zero before anyone can learn the offset: nothing reads the old data. */
	if (!novamm_vram_is_clear(vram))
		bar1_clear_through(bar1, vram, va);
	map->offset = va;
	map->size = vram->size;
	map->flags = flags;
	map->vram = vram;
	map->owned_vram = owned;
	bar1->num_mappings++;
	bar1->maps++;
	if (offset)
		*offset = va;
	mutex_unlock(&bar1->lock);
	return map;
}

/**
 * novamm_bar1_map() - make a VRAM allocation visible through BAR1
 * @bar1: BAR1 of the device
 * @vram: the allocation, from this device; the caller keeps owning it and
 *	must unmap before freeing it
 * @flags: NOVAMM_BAR1_MAP_*
 *
 * The allocation's blocks appear back to back, in their order, from the
 * returned mapping's offset, with the largest pages each allows (see
 * :doc:`vmm`), after one TLB invalidate. NOVAMM_BAR1_MAP_READ_ONLY makes
 * the pages read-only in the GPU's MMU. What the allocator does not know
 * to be zero is zeroed before the offset is returned (see "Clearing"
 * above).
 *
 * Context: takes bar1->lock, then the address space's; may sleep.
 *
 * Return: the mapping (its offset and size), or an error pointer: -EINVAL
 * for an allocation that is not this device's or unknown flags; -ENOSPC
 * when BAR1 (or VRAM for its tables) has no room for it, with nothing
 * written and nothing invalidated; -EBUSY while another task's self-test
 * holds BAR1; -ENOMEM; -ETIMEDOUT (the TLB invalidate; nothing changed);
 * for a read-only mapping of dirty VRAM, novamm_bar1_clear()'s errors.
 */
struct novamm_bar1_mapping *novamm_bar1_map(struct novamm_bar1 *bar1,
					    struct novamm_vram *vram,
					    unsigned long flags)
{
	return bar1_map(bar1, vram, flags, false, NULL);
}
EXPORT_SYMBOL_GPL(novamm_bar1_map);

/*
 * The table window's operations (pagetable/window.c): a chunk of another
 * address space's tables mapped into a free slot of the window's slice
 * ("The table window's slice" in bar1.c), with no owner, so that no
 * client sees it among its mappings. A self-test holding BAR1 reads
 * offsets it has just unmapped: no chunk takes one meanwhile.
 */
static int bar1_window_map(void *priv, u64 addr, u64 size, u64 *offset)
{
	struct novamm_phys_range range = { .addr = addr, .size = size };
	struct novamm_bar1 *bar1 = priv;
	unsigned int slot;
	u64 va;
	int ret;

	if (size != NOVAMM_PT_POOL_CHUNK)
		return -EINVAL;
	mutex_lock(&bar1->lock);
	slot = find_first_zero_bit(bar1->window_used, bar1->window_slots);
	va = bar1->window_base + (u64)slot * NOVAMM_PT_POOL_CHUNK;
	if (bar1_held_by_other(bar1))
		ret = -EBUSY;
	else if (slot >= bar1->window_slots)
		ret = -ENOSPC;
	else
		ret = novamm_vmm_map(bar1->vmm, &va, &range, 1, NOVAMM_VMM_MAP_FIXED);
	if (!ret)
		__set_bit(slot, bar1->window_used);
	mutex_unlock(&bar1->lock);
	*offset = va;
	return ret;
}

static int bar1_window_unmap(void *priv, u64 offset, u64 size)
{
	struct novamm_bar1 *bar1 = priv;
	int ret;

	mutex_lock(&bar1->lock);
	/* On failure nothing writes there again, and the slot stays taken. */
	ret = novamm_vmm_unmap(bar1->vmm, offset, size);
	if (!ret)
		__clear_bit(div_u64(offset - bar1->window_base, NOVAMM_PT_POOL_CHUNK),
			    bar1->window_used);
	mutex_unlock(&bar1->lock);
	return ret;
}

const struct novamm_pt_window_ops novamm_bar1_window_ops = {
	.map = bar1_window_map,
	.unmap = bar1_window_unmap,
};

/**
 * novamm_bar1_map_new() - allocate VRAM and map it through BAR1
 * @bar1: BAR1 of the device
 * @size: bytes, a multiple of 4 KiB
 * @flags: NOVAMM_BAR1_MAP_*
 * @offset: if not NULL, the mapping's BAR1 offset, for callers that name
 *	mappings by offset and may race with their own unmap by offset
 *
 * The mapping owns the allocation: novamm_bar1_unmap() frees it. If the
 * map fails, the allocation is freed again.
 *
 * Context: as novamm_bar1_map().
 *
 * Return: as novamm_bar1_map(), and the allocator's errors.
 */
struct novamm_bar1_mapping *novamm_bar1_map_new(struct novamm_bar1 *bar1,
						u64 size, unsigned long flags,
						u64 *offset)
{
	struct novamm_bar1_mapping *map;
	struct novamm_vram *vram;

	vram = novamm_vram_alloc(&bar1->mm->buddy, size, 0, NULL);
	if (IS_ERR(vram))
		return ERR_CAST(vram);
	map = bar1_map(bar1, vram, flags, true, offset);
	if (IS_ERR(map))
		novamm_vram_free(vram);
	return map;
}
EXPORT_SYMBOL_GPL(novamm_bar1_map_new);

/**
 * novamm_bar1_release() - free an unmapped mapping, and its VRAM if it owns it
 * @map: the mapping, no longer in BAR1's registry
 */
void novamm_bar1_release(struct novamm_bar1_mapping *map)
{
	if (map->owned_vram)
		novamm_vram_free(map->vram);
	kfree(map);
}

/* @map is a live mapping of @bar1: its range of the address space is its own. */
/*
 * Whether @map, from a caller, is a live mapping of @bar1: found by
 * pointer, never read, as a stale or foreign pointer may not be.
 */
static bool bar1_owns(struct novamm_bar1 *bar1, struct novamm_bar1_mapping *map)
{
	lockdep_assert_held(&bar1->lock);
	return novamm_vmm_has_owner(bar1->vmm, map);
}

/**
 * novamm_bar1_at() - the mapping that starts at a BAR1 offset
 * @bar1: BAR1 of the device
 * @offset: the offset; offsets of live mappings are unique
 *
 * Context: bar1->lock held, which keeps the mapping.
 *
 * Return: the mapping, or NULL.
 */
struct novamm_bar1_mapping *novamm_bar1_at(struct novamm_bar1 *bar1, u64 offset)
{
	lockdep_assert_held(&bar1->lock);
	return novamm_vmm_owner(bar1->vmm, offset);
}

static int bar1_unmap_locked(struct novamm_bar1 *bar1, struct novamm_bar1_mapping *map)
{
	int ret;

	lockdep_assert_held(&bar1->lock);
	ret = novamm_vmm_unmap(bar1->vmm, map->offset, map->size);
	if (ret) {
		dev_dbg(bar1->hw->dev, "BAR1 unmap of 0x%llx: %d\n", map->offset, ret);
		return ret;
	}
	bar1->num_mappings--;
	bar1->unmaps++;
	return 0;
}

/**
 * novamm_bar1_unmap() - remove a mapping
 * @bar1: BAR1 of the device
 * @map: a mapping of @bar1
 *
 * One TLB invalidate, then the mapping is freed, with its VRAM if it owns
 * it.
 *
 * Context: takes bar1->lock, then the address space's; may sleep.
 *
 * Return: 0, and @map is freed; -EINVAL for a mapping that is not
 * @bar1's; -ETIMEDOUT when the TLB invalidate did not complete, with the
 * mapping still in place (retry or leave it to removal).
 */
int novamm_bar1_unmap(struct novamm_bar1 *bar1, struct novamm_bar1_mapping *map)
{
	int ret;

	mutex_lock(&bar1->lock);
	if (IS_ERR_OR_NULL(map) || !bar1_owns(bar1, map)) {
		mutex_unlock(&bar1->lock);
		dev_dbg(bar1->hw->dev, "BAR1 unmap: not a mapping of this device\n");
		return -EINVAL;
	}
	ret = bar1_unmap_locked(bar1, map);
	mutex_unlock(&bar1->lock);
	if (!ret)
		novamm_bar1_release(map);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_unmap);

/**
 * novamm_bar1_unmap_owned() - remove a mapping made by novamm_bar1_map_new()
 * @bar1: BAR1 of the device
 * @offset: its BAR1 offset
 *
 * For callers that name mappings by offset (debugfs): the lookup and the
 * unmap are one step under the lock, so the offset cannot be reused in
 * between. Only mappings that own their VRAM can go this way: another
 * mapping's VRAM belongs to a caller that still holds the mapping.
 *
 * Context: takes bar1->lock, then the address space's; may sleep.
 *
 * Return: 0; -ENOENT when no mapping that owns its VRAM starts there;
 * -ETIMEDOUT as for novamm_bar1_unmap().
 */
int novamm_bar1_unmap_owned(struct novamm_bar1 *bar1, u64 offset)
{
	struct novamm_bar1_mapping *map;
	int ret = -ENOENT;

	mutex_lock(&bar1->lock);
	map = novamm_bar1_at(bar1, offset);
	if (map && map->owned_vram)
		ret = bar1_unmap_locked(bar1, map);
	mutex_unlock(&bar1->lock);
	if (!ret)
		novamm_bar1_release(map);
	else if (ret == -ENOENT)
		dev_dbg(bar1->hw->dev, "BAR1: no mapping of its own VRAM at 0x%llx\n", offset);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_unmap_owned);

/**
 * novamm_bar1_exclude() - hold BAR1 alone, for a self-test
 * @bar1: BAR1 of the device
 *
 * A self-test reads an offset it has just unmapped, which another task's
 * mapping could take meanwhile.
 *
 * Context: takes bar1->lock.
 *
 * Return: 0, and novamm_bar1_map() and novamm_bar1_clear() from any other
 * task get -EBUSY until novamm_bar1_include(); -EBUSY when a mapping
 * exists or BAR1 is held already.
 */
int novamm_bar1_exclude(struct novamm_bar1 *bar1)
{
	int ret = 0;

	mutex_lock(&bar1->lock);
	if (bar1->num_mappings || bar1->exclusive)
		ret = -EBUSY;
	else
		bar1->exclusive = current;
	mutex_unlock(&bar1->lock);
	return ret;
}

/**
 * novamm_bar1_include() - undo novamm_bar1_exclude()
 * @bar1: BAR1 of the device
 *
 * Context: takes bar1->lock.
 */
void novamm_bar1_include(struct novamm_bar1 *bar1)
{
	mutex_lock(&bar1->lock);
	bar1->exclusive = NULL;
	mutex_unlock(&bar1->lock);
}
