// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR1: an address space over [0, BAR1 size), bound to BAR1 or adopted
 * from GSP-RM, brought up at probe and taken down at remove.
 */

/**
 * DOC: Locking
 *
 * ``bar1->lock`` guards which mappings the address space holds, each the
 * owner of its range there (novamm_vmm_owner(): the address space is the
 * only registry of mappings), and the counters; it is taken before the
 * address space's lock (bar1 -> vmm). Accesses through a
 * mapping take no lock of BAR1's: a mapping belongs to whoever made it,
 * who must not unmap it while using it; using or unmapping it
 * concurrently with its unmap is the caller's bug, as with any other
 * handle. The lock is held across accesses only by novamm_bar1_fill(),
 * since its caller names the mapping only by offset, and while VRAM is
 * cleared. Bind and unbind run at probe and remove only, with nothing
 * else using the device.
 */

/**
 * DOC: Address space
 *
 * The size of BAR1 comes from the PCI resource: resource 1, or resource 2
 * when BAR0 is a 64-bit BAR and takes two slots (Blackwell, some GA100 and
 * Hopper boards), or from the simulated device. It must be a non-zero
 * multiple of 64 KiB, or bring-up fails with ``-EINVAL``.
 *
 * There are two ways to own BAR1, below. Either way the address space is
 * created with ``NOVAMM_VMM_HUB``: its invalidates carry HUBTLB_ONLY, as
 * RM's and nouveau's do for BAR address spaces. Which one a device uses
 * shows as ``bar1_mode`` (``own`` or ``gsp``) in debugfs.
 */

/**
 * DOC: Under GSP-RM's directory
 *
 * With GSP-RM running, the GSP has bound BAR1 to an instance block of its
 * own and reports its root page directory in the static information
 * (``bar1PdeBase``). Rebinding BAR1 would pull it from under the GSP, so
 * novamm maps below that directory, as nova-core's memory series does, and
 * never rebinds BAR1: the root is read once through PRAMIN (4 entries of
 * 8 bytes on MMU v2, 2 on v3) and kept in the CPU-side shadow. The entries
 * for ``[0, BAR1 size)`` must be invalid, or the probe fails with
 * ``-EBUSY`` rather than overwrite what GSP-RM mapped; entries outside
 * that range are kept as found and never written. Tables below the root
 * come from novamm's table pool as in any address space. Remove unlinks
 * everything still linked from the root first, in one write, and
 * invalidates, so the directory GSP-RM keeps using points at no freed
 * table; the root itself is never freed.
 */
/**
 * DOC: The table window's slice
 *
 * Page tables are written through BAR1 once it is up (see "The table
 * window" in :doc:`pagetables`), each 2 MiB chunk of a table pool mapped
 * with one 2 MiB page. Those chunks get a slice of BAR1 of their own, at
 * its top: a 32nd of BAR1 rounded down to whole chunks, at most 16 of
 * them (32 MiB); 8 MiB, four chunks, of a 256 MiB BAR1. Mappings of
 * VRAM never take it (novamm_vmm_reserve_top()), so tables cost clients
 * no BAR1 room and clients filling BAR1 do not push tables back onto
 * PRAMIN. A chunk holds the tables of a gigabyte of 4 KiB pages, and an
 * address space needs one for its root, so the slice serves four to
 * sixteen address spaces; the chunks that find it full stay on PRAMIN,
 * which costs them bus transactions and nothing else. A BAR1 under
 * 64 MiB keeps no slice, and every table goes through PRAMIN.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <novamm/bar1.h>
#include <novamm/chip.h>
#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/regs.h>
#include <novamm/vmm.h>

#include "internal.h"

/*
 * An unbind that did not complete: BAR1 may still translate through the
 * instance block and the tables, so they stay allocated and nothing is
 * ever put where the GPU might still walk.
 */
static void bar1_keep(struct novamm_bar1 *bar1)
{
	struct novamm_vmm_stats st;

	novamm_vmm_get_stats(bar1->vmm, &st);
	dev_err(bar1->hw->dev, "BAR1: unbind did not complete: instance block 0x%llx and %u page-table chunks are kept out of the allocator\n",
		novamm_vram_start(bar1->inst), st.pool_chunks);
	novamm_vram_keep(bar1->inst);
	bar1->inst = NULL;
	novamm_vmm_keep_tables(bar1->vmm);
}

/* The instance block: the page directory of @bar1's address space. */
static int bar1_write_instance(struct novamm_bar1 *bar1)
{
	__le32 *blk;
	int ret;

	blk = novamm_should_fail(bar1->hw) ? NULL : kzalloc(NOVAMM_INST_SIZE, GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	novamm_inst_fill(blk, bar1->arch, novamm_vmm_pdb(bar1->vmm), bar1->size - 1);
	ret = novamm_inst_write(&bar1->mm->pramin, novamm_vram_start(bar1->inst), blk);
	kfree(blk);
	return ret;
}

static int bar1_init_own(struct novamm_bar1 *bar1)
{
	int ret;

	bar1->vmm = novamm_vmm_create(bar1->mm, novamm_chip_mmu_version(bar1->arch), 0,
				      bar1->size, NOVAMM_VMM_HUB);
	if (IS_ERR(bar1->vmm))
		return PTR_ERR(bar1->vmm);
	bar1->inst = novamm_vram_alloc(&bar1->mm->buddy, NOVAMM_INST_SIZE,
				       NOVAMM_VRAM_CONTIGUOUS, NULL);
	if (IS_ERR(bar1->inst)) {
		ret = PTR_ERR(bar1->inst);
		goto err_vmm;
	}
	ret = bar1_write_instance(bar1);
	if (ret)
		goto err_inst;
	ret = novamm_bar1_bind_inst(bar1, novamm_vram_start(bar1->inst),
				    NV_BAR1_BLOCK_MODE_VIRTUAL);
	if (ret)
		goto err_unbind;
	/* Nothing cached for this directory may outlive the bind. */
	ret = novamm_tlb_invalidate(&bar1->mm->tlb, novamm_vmm_pdb(bar1->vmm), NOVAMM_TLB_HUB_ONLY);
	if (ret)
		goto err_unbind;
	return 0;

err_unbind:
	/*
	 * The GPU may have taken the block: give BAR1 back before freeing it,
	 * or, if that does not complete, keep the block and the tables where
	 * the GPU may still walk them.
	 */
	if (novamm_bar1_bind_inst(bar1, 0, NV_BAR1_BLOCK_MODE_PHYSICAL))
		bar1_keep(bar1);
err_inst:
	novamm_vram_free(bar1->inst);
	bar1->inst = NULL;
err_vmm:
	novamm_vmm_destroy(bar1->vmm);
	bar1->vmm = NULL;
	return ret;
}

static int bar1_init_gsp(struct novamm_bar1 *bar1)
{
	bar1->vmm = novamm_vmm_adopt(bar1->mm, novamm_chip_mmu_version(bar1->arch), 0,
				     bar1->size, NOVAMM_VMM_HUB,
				     bar1->mm->fb.bar1_pde_base);
	if (IS_ERR(bar1->vmm)) {
		int ret = PTR_ERR(bar1->vmm);

		bar1->vmm = NULL;
		return ret;
	}
	return 0;
}

/* The slice above ("The table window's slice") kept from mappings, and the window opened. */
static void bar1_window_open(struct novamm_bar1 *bar1)
{
	u64 size = round_down(div_u64(bar1->size, NOVAMM_BAR1_WINDOW_SHARE),
			      NOVAMM_PT_POOL_CHUNK);
	u64 base;
	int ret;

	size = min_t(u64, size, NOVAMM_BAR1_WINDOW_SLOTS * NOVAMM_PT_POOL_CHUNK);
	base = round_down(bar1->size, NOVAMM_PT_POOL_CHUNK) - size;
	bar1->window_base = bar1->size;
	novamm_pt_window_init(&bar1->mm->ptw, bar1->hw);
	if (!size) {
		dev_dbg(bar1->hw->dev, "BAR1 of 0x%llx bytes keeps no table window; tables go through PRAMIN\n",
			bar1->size);
		return;
	}
	ret = novamm_vmm_reserve_top(bar1->vmm, bar1->size - base);
	if (ret) {
		dev_warn(bar1->hw->dev, "BAR1: no table window at 0x%llx: %d; tables go through PRAMIN\n",
			 base, ret);
		return;
	}
	bar1->window_base = base;
	bar1->window_slots = size / NOVAMM_PT_POOL_CHUNK;
	novamm_pt_window_enable(&bar1->mm->ptw, &novamm_bar1_window_ops, bar1);
}

/**
 * novamm_bar1_init() - bring up BAR1
 * @bar1: BAR1 of the device, to be set up
 * @mm: the device's memory manager, up; @bar1 borrows it until
 *	novamm_bar1_fini()
 * @arch: the device's generation
 *
 * Adopts GSP-RM's page directory when the framebuffer layout reported one,
 * else writes and binds an instance block of novamm's own (see "Own
 * instance block" and "Under GSP-RM's directory" above).
 *
 * Context: probe, with nothing else using the device; may sleep.
 *
 * Return: 0; -EINVAL for a BAR1 size the address space cannot have, or a
 * GSP-RM directory outside VRAM; -ETIMEDOUT when the bind does not
 * complete; -EBUSY when GSP-RM's directory already maps part of BAR1;
 * -ENOSPC, -ENOMEM, or a PRAMIN error. Nothing is left behind on failure,
 * and novamm asks for BAR1 back in physical mode if it had bound it.
 */
int novamm_bar1_init(struct novamm_bar1 *bar1, struct novamm_mm *mm,
		     const struct novamm_arch_info *arch)
{
	int ret;

	memset(bar1, 0, sizeof(*bar1));
	bar1->hw = mm->hw;
	bar1->mm = mm;
	bar1->arch = arch;
	bar1->size = mm->hw->bar1_size;
	mutex_init(&bar1->lock);
	if (!bar1->size || !IS_ALIGNED(bar1->size, SZ_64K)) {
		dev_err(bar1->hw->dev, "BAR1 of 0x%llx bytes: not a multiple of 64 KiB\n",
			bar1->size);
		ret = -EINVAL;
		goto err;
	}

	bar1->mode = bar1->mm->fb.has_bar_pde_base ? NOVAMM_BAR1_GSP : NOVAMM_BAR1_OWN;
	if (bar1->mode == NOVAMM_BAR1_GSP)
		ret = bar1_init_gsp(bar1);
	else
		ret = bar1_init_own(bar1);
	if (ret) {
		dev_err(bar1->hw->dev, "BAR1 (%s): bring-up failed: %d\n",
			novamm_bar1_mode_name(bar1->mode), ret);
		goto err;
	}
	bar1->ready = true;
	bar1_window_open(bar1);
	return 0;

err:
	mutex_destroy(&bar1->lock);
	return ret;
}

/**
 * novamm_bar1_fini() - undo novamm_bar1_init()
 * @bar1: BAR1 of the device
 *
 * Mappings still live are released (their VRAM too, where the mapping
 * owns it), with one log line and no warning: a client may leave them to
 * removal. Under GSP-RM's directory everything is unlinked and
 * invalidated first, so the directory the GSP keeps using points at no
 * freed table; with novamm's own instance block, BAR1 goes back to
 * physical mode before anything is freed, and the block and the tables
 * are kept out of the allocator for good when that does not complete.
 *
 * Context: remove, or a probe that fails after BAR1, with nothing else
 * using the device; may sleep.
 */
void novamm_bar1_fini(struct novamm_bar1 *bar1)
{
	struct novamm_bar1_mapping *map, *tmp;
	LIST_HEAD(live);
	u64 va = 0;
	int ret;

	/* Tables still in use go back to PRAMIN; their chunks leave BAR1. */
	novamm_pt_window_disable(&bar1->mm->ptw);
	if (bar1->num_mappings)
		dev_info(bar1->hw->dev, "BAR1: releasing %u live mappings (%llu bytes)\n",
			 bar1->num_mappings, novamm_bar1_mapped(bar1));
	/* Taken from the address space now: clearing it forgets them. */
	for (; (map = novamm_vmm_next_owner(bar1->vmm, &va)); va += map->size)
		list_add_tail(&map->node, &live);
	/*
	 * Whatever is still linked, from live mappings or from tables a timed
	 * out invalidate left: unlinked from GSP-RM's root in one write, or
	 * BAR1 out of the way of novamm's own block, before anything is freed.
	 */
	if (bar1->mode == NOVAMM_BAR1_GSP) {
		ret = novamm_vmm_clear(bar1->vmm);
		if (ret)
			dev_err(bar1->hw->dev, "BAR1: GSP-RM's directory is unlinked from novamm's tables, but a TLB may hold them: %d\n",
				ret);
	} else if (novamm_bar1_bind_inst(bar1, 0, NV_BAR1_BLOCK_MODE_PHYSICAL)) {
		bar1_keep(bar1);
	}

	list_for_each_entry_safe(map, tmp, &live, node) {
		list_del(&map->node);
		novamm_bar1_release(map);
	}
	bar1->num_mappings = 0;

	novamm_vmm_destroy(bar1->vmm);
	bar1->vmm = NULL;
	if (bar1->inst)
		novamm_vram_free(bar1->inst);
	bar1->inst = NULL;
	mutex_destroy(&bar1->lock);
}

/**
 * novamm_bar1_mapped() - bytes mapped through BAR1
 * @bar1: BAR1 of the device
 *
 * Context: takes the address space's lock; may sleep.
 *
 * Return: what its address space maps, which is BAR1's mappings and
 * nothing else.
 */
u64 novamm_bar1_mapped(struct novamm_bar1 *bar1)
{
	struct novamm_vmm_stats st;

	novamm_vmm_get_stats(bar1->vmm, &st);
	return st.mapped;
}
EXPORT_SYMBOL_GPL(novamm_bar1_mapped);

/**
 * novamm_bar1_room() - bytes of BAR1 that mappings of VRAM may still take
 * @bar1: BAR1 of the device
 *
 * Context: takes bar1->lock, then the address space's; may sleep.
 *
 * Return: BAR1 below the table window's slice, less what mappings hold
 * there now. Free bytes, not one free range: a mapping may still find no
 * gap for its size.
 */
u64 novamm_bar1_room(struct novamm_bar1 *bar1)
{
	struct novamm_vmm_stats st;
	u64 room, tables;

	mutex_lock(&bar1->lock);
	novamm_vmm_get_stats(bar1->vmm, &st);
	tables = (u64)novamm_bar1_window_chunks(bar1) * NOVAMM_PT_POOL_CHUNK;
	room = bar1->window_base - (st.mapped - tables);
	mutex_unlock(&bar1->lock);
	return room;
}
EXPORT_SYMBOL_GPL(novamm_bar1_room);

/**
 * novamm_bar1_mode_name() - the name debugfs and the log give a BAR1 mode
 * @mode: the mode
 *
 * Return: "own" or "gsp", a static string.
 */
const char *novamm_bar1_mode_name(enum novamm_bar1_mode mode)
{
	return mode == NOVAMM_BAR1_GSP ? "gsp" : "own";
}
EXPORT_SYMBOL_GPL(novamm_bar1_mode_name);
