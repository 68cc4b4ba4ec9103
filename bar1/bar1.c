// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR1: an address space over [0, BAR1 size), bound to BAR1, and the
 * mappings through which the CPU reaches VRAM.
 */

/**
 * DOC: Locking
 *
 * ``bar1->lock`` guards the mapping list and the counters and is taken
 * before the address space's lock (bar1 -> vmm). Accesses through a
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
 * DOC: Own instance block
 *
 * When no GSP-RM reported a BAR1 page directory (a GPU reached without a
 * GSP transport, or a simulated GPU with ``gsp absent`` injected), novamm
 * takes 4 KiB of VRAM for an instance block pointing at the address
 * space's root directory, writes it whole in one PRAMIN pass and binds it
 * through the generation's BAR1 block register, as nouveau does on Turing
 * (``nvkm/subdev/bar/tu102.c``) and RM does from
 * ``kbusBar1InstBlkBind_TU102`` and ``_GH100``. The words it writes, the
 * rest being zero:
 *
 * ========== ==============================================================
 * word       contents
 * ========== ==============================================================
 * ``0x200``  ``PAGE_DIR_BASE_TARGET`` = VID_MEM (1:0),
 *            ``USE_VER2_PT_FORMAT`` (bit 10) on MMU v2 only, as RM (RM and
 *            nouveau disagree on v3; RM leaves it clear, its condition
 *            testing for format version 2 only), ``BIG_PAGE_SIZE`` =
 *            64 KiB (bit 11), page directory address bits 31:12 in place
 * ``0x204``  page directory address bits 63:32
 * ``0x208``  Turing only: ``ADR_LIMIT_LO``, (BAR1 size - 1) with bits 11:0
 *            set, as RM's ``kgmmuInstBlkVaLimitGet_GV100``
 * ``0x20c``  Turing: ``ADR_LIMIT_HI``; GB10x and GB20x:
 *            ``NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE`` 0xcafeca11, which RM
 *            writes in every instance block there
 * ========== ==============================================================
 *
 * A word is read back through PRAMIN before the bind, which lands the
 * posted PRAMIN writes in VRAM before the GPU reads the block: PCI reads
 * do not pass posted writes (RM flushes before binding for the same
 * reason; the simulated GPU's bind reads VRAM without the posted writes,
 * so a driver that skipped it would bind a stale block).
 *
 * Turing to Ada bind by writing ``NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK``
 * (0xb80f40: PTR = address >> 12, TARGET VID_MEM, MODE VIRTUAL) and
 * polling ``..._BIND_STATUS`` (0xb80f50) until BAR1 is neither PENDING nor
 * OUTSTANDING; Hopper and Blackwell write ``..._FUNC_BAR1_BLOCK_LOW_ADDR``
 * (0xb80f60) then ``..._HIGH_ADDR`` (0xb80f64), whose write triggers the
 * bind, and poll the LOW register. The wait is 2 s, as nouveau's. RM says
 * no BAR1 request may be issued before PENDING and OUTSTANDING clear, so
 * after a bind or unbind that timed out the next one first waits for it:
 * issued while it is still running, an unbind could be lost and BAR1 left
 * on a block that is about to be freed.
 *
 * One hub-only TLB invalidate follows the bind: nothing cached for the
 * directory may outlive it. A bind, or that invalidate, that does not
 * complete fails the probe with ``-ETIMEDOUT``. Remove, and a probe that
 * fails once the bind was issued, put BAR1 back in physical mode (MODE
 * PHYSICAL, as nouveau's fini) before anything is freed. When that unbind
 * does not complete, BAR1 may still translate through the block and its
 * tables: both stay allocated for good (logged, and counted as kept when
 * the allocator goes), so that nothing is ever put where the GPU might
 * still walk. A GPU that is gone translates nothing: its unbind returns at
 * once.
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

/**
 * DOC: Copies through a mapping
 *
 * novamm_bar1_read(), novamm_bar1_write() and novamm_bar1_copy() are
 * bounded by the mapping (``-ERANGE``), and writes to a read-only mapping
 * are refused (``-EPERM``); novamm_bar1_fill() and
 * novamm_bar1_unmap_owned() are the same by BAR1 offset, for debugfs. On a
 * PCI GPU BAR1 is mapped write-combined at probe and written with
 * memcpy_toio() followed by a write barrier; on a simulated GPU the
 * accesses go through the sim's MMU and TLB and are logged when they
 * fault.
 */
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <novamm/bar1.h>
#include <novamm/core.h>
#include <novamm/regs.h>
#include <novamm/vmm.h>

/*
 * Instance-block words BAR1 uses (NV_RAMIN_*): OGD
 * manuals/turing/tu104/dev_ram.ref.txt, OGKM .../turing/tu102/dev_ram.h;
 * the magic word from OGKM .../ampere/ga10b/dev_ram.h. Byte offsets of
 * the 32-bit words, fields within each word.
 */
#define NV_RAMIN_ALLOC_SIZE				SZ_4K
#define NV_RAMIN_PAGE_DIR_BASE_LO_WORD			0x200
#define   NV_RAMIN_PAGE_DIR_BASE_TARGET			GENMASK(1, 0)
#define     NV_RAMIN_PAGE_DIR_BASE_TARGET_VID_MEM	0
#define   NV_RAMIN_PAGE_DIR_BASE_VOL			BIT(2)
#define   NV_RAMIN_USE_VER2_PT_FORMAT			BIT(10)
#define   NV_RAMIN_BIG_PAGE_SIZE			BIT(11)
#define     NV_RAMIN_BIG_PAGE_SIZE_64KB			1
#define   NV_RAMIN_PAGE_DIR_BASE_LO			GENMASK(31, 12)
#define NV_RAMIN_PAGE_DIR_BASE_HI_WORD			0x204
#define NV_RAMIN_ADR_LIMIT_LO_WORD			0x208
#define   NV_RAMIN_ADR_LIMIT_LO				GENMASK(31, 12)
#define NV_RAMIN_ADR_LIMIT_HI_WORD			0x20c
#define NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_WORD		0x20c
#define   NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE		0xcafeca11

/* nouveau waits 2 s for a BAR bind (tu102_bar_bar1_wait). */
#define NOVAMM_BAR1_BIND_TIMEOUT_MS	2000
#define NOVAMM_BAR1_BIND_POLL_US	10

/* Copies through a bounce buffer of at most this. */
#define NOVAMM_BAR1_COPY_CHUNK		SZ_64K
/*
 * Dirty VRAM that no mapping of its owner's shows is cleared through a
 * mapping of its own, this much at a time: each piece costs one map and
 * one unmap, two invalidates, a few page-table words with 2 MiB pages,
 * and BAR1 room that other mappings may need.
 */
#define NOVAMM_BAR1_CLEAR_PIECE		SZ_32M

static struct novamm_bar1 *to_bar1(struct novamm_device *ndev)
{
	return &ndev->bar1;
}

/* Hopper and Blackwell bind through FUNC_BAR1_BLOCK_LOW/HIGH_ADDR. */
static bool bar1_split_block(const struct novamm_device *ndev)
{
	return ndev->chip->arch->bar1_bind == NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK;
}

struct bar1_instance {
	u64 inst;
	const __le32 *blk;
};

/*
 * Write the block, then read a word back: PCI reads do not pass posted
 * writes, so the block is in VRAM before the bind makes the GPU read it
 * (RM flushes before binding for the same reason).
 */
static int bar1_instance_batch(struct novamm_pramin *p, void *arg)
{
	const struct bar1_instance *bi = arg;
	u32 lo;

	return novamm_pramin_write(p, bi->inst, bi->blk, NV_RAMIN_ALLOC_SIZE) ?:
	       novamm_pramin_rd32(p, bi->inst + NV_RAMIN_PAGE_DIR_BASE_LO_WORD, &lo);
}

/*
 * The instance block, written whole in one PRAMIN pass: zero, then the
 * page directory words. v3 leaves USE_VER2_PT_FORMAT clear, as RM does
 * (its condition tests for format version 2 only).
 */
static int bar1_write_instance(struct novamm_bar1 *bar1, u64 inst, u64 pdb)
{
	struct novamm_device *ndev = bar1->ndev;
	struct novamm_mm *mm = &ndev->mm;
	u64 limit = bar1->size - 1;
	struct bar1_instance bi;
	__le32 *blk;
	u32 lo;
	int ret;

	blk = novamm_should_fail(&ndev->hw) ? NULL : kzalloc(NV_RAMIN_ALLOC_SIZE, GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	lo = FIELD_PREP(NV_RAMIN_PAGE_DIR_BASE_TARGET, NV_RAMIN_PAGE_DIR_BASE_TARGET_VID_MEM) |
	     FIELD_PREP(NV_RAMIN_BIG_PAGE_SIZE, NV_RAMIN_BIG_PAGE_SIZE_64KB) |
	     FIELD_PREP(NV_RAMIN_PAGE_DIR_BASE_LO, lower_32_bits(pdb) >> 12);
	if (ndev->chip->arch->mmu_version == 2)
		lo |= NV_RAMIN_USE_VER2_PT_FORMAT;
	blk[NV_RAMIN_PAGE_DIR_BASE_LO_WORD / 4] = cpu_to_le32(lo);
	blk[NV_RAMIN_PAGE_DIR_BASE_HI_WORD / 4] = cpu_to_le32(upper_32_bits(pdb));
	/* 0x20c is the limit's high word elsewhere: the two never meet. */
	if (ndev->chip->arch->ramin_va_limit) {
		blk[NV_RAMIN_ADR_LIMIT_LO_WORD / 4] =
			cpu_to_le32((lower_32_bits(limit) & NV_RAMIN_ADR_LIMIT_LO) | 0xfff);
		blk[NV_RAMIN_ADR_LIMIT_HI_WORD / 4] = cpu_to_le32(upper_32_bits(limit));
	}
	if (ndev->chip->arch->ramin_magic)
		blk[NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_WORD / 4] =
			cpu_to_le32(NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE);

	bi.inst = inst;
	bi.blk = blk;
	ret = novamm_pramin_batch(&mm->pramin, bar1_instance_batch, &bi);
	kfree(blk);
	return ret;
}

/* Where the generation reports a bind in progress. */
static void bar1_bind_status(struct novamm_device *ndev, u32 *status_reg, u32 *mask)
{
	if (bar1_split_block(ndev)) {
		*status_reg = NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR;
		*mask = NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_BAR1_PENDING |
			NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_BAR1_OUTSTANDING;
	} else {
		*status_reg = NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS;
		*mask = NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS_BAR1_PENDING |
			NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS_BAR1_OUTSTANDING;
	}
}

/* Wait for PENDING and OUTSTANDING to clear; a fault point. */
static int bar1_bind_wait(struct novamm_device *ndev, u32 *val)
{
	u32 reg, mask;

	if (novamm_should_fail(&ndev->hw))
		return -ETIMEDOUT;
	bar1_bind_status(ndev, &reg, &mask);
	return read_poll_timeout(novamm_hw_rd32, *val, !(*val & mask),
				 NOVAMM_BAR1_BIND_POLL_US,
				 NOVAMM_BAR1_BIND_TIMEOUT_MS * USEC_PER_MSEC,
				 false, &ndev->hw, reg);
}

/*
 * Point BAR1 at an instance block (virtual mode) or back at VRAM itself
 * (physical mode, @inst 0), and wait until the GPU has taken it: RM says
 * no BAR1 request may be issued before PENDING and OUTSTANDING clear, so
 * after one that timed out the next first waits for it: issued while it
 * is still running, an unbind could be lost and BAR1 left on a block
 * that is about to be freed.
 */
static int bar1_bind(struct novamm_device *ndev, u64 inst, u32 mode)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	u32 val = 0;
	int ret;

	/* A GPU that is gone translates nothing: there is nothing to unbind. */
	if (novamm_hw_gone(&ndev->hw))
		return 0;
	if (bar1->bind_pending) {
		ret = bar1_bind_wait(ndev, &val);
		if (ret) {
			dev_err(ndev->hw.dev, "BAR1 %s of instance block 0x%llx not issued: an earlier request is still outstanding (status 0x%08x)\n",
				mode == NV_BAR1_BLOCK_MODE_VIRTUAL ? "bind" : "unbind", inst, val);
			return ret;
		}
		bar1->bind_pending = false;
	}

	if (bar1_split_block(ndev)) {
		val = FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_MODE, mode) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_TARGET,
				 NV_BAR1_BLOCK_TARGET_VID_MEM) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_PTR,
				 lower_32_bits(inst) >> NV_BAR1_BLOCK_PTR_SHIFT);
		novamm_hw_wr32(&ndev->hw, NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR, val);
		/* The HIGH write triggers the bind. */
		novamm_hw_wr32(&ndev->hw, NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_HIGH_ADDR,
			       upper_32_bits(inst));
	} else {
		val = FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_PTR,
				 inst >> NV_BAR1_BLOCK_PTR_SHIFT) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_TARGET,
				 NV_BAR1_BLOCK_TARGET_VID_MEM) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_MODE, mode);
		novamm_hw_wr32(&ndev->hw, NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK, val);
	}
	ret = bar1_bind_wait(ndev, &val);
	bar1->bind_pending = ret;
	if (ret)
		dev_err(ndev->hw.dev, "BAR1 %s of instance block 0x%llx did not complete in %u ms (status 0x%08x)\n",
			mode == NV_BAR1_BLOCK_MODE_VIRTUAL ? "bind" : "unbind", inst,
			NOVAMM_BAR1_BIND_TIMEOUT_MS, val);
	return ret;
}

/*
 * An unbind that did not complete: BAR1 may still translate through the
 * instance block and the tables, so they stay allocated and nothing is
 * ever put where the GPU might still walk.
 */
static void bar1_keep(struct novamm_bar1 *bar1)
{
	dev_err(bar1->ndev->hw.dev, "BAR1: unbind did not complete: instance block 0x%llx and %u page-table chunks are kept out of the allocator\n",
		novamm_vram_start(bar1->inst), bar1->vmm->pt.pool.num_chunks);
	novamm_vram_keep(bar1->inst);
	bar1->inst = NULL;
	novamm_vmm_keep_tables(bar1->vmm);
}

static int bar1_init_own(struct novamm_bar1 *bar1)
{
	struct novamm_device *ndev = bar1->ndev;
	struct novamm_mm *mm = &ndev->mm;
	int ret;

	bar1->vmm = novamm_vmm_create(mm, ndev->chip->arch->mmu_version, 0,
				      bar1->size, NOVAMM_VMM_HUB);
	if (IS_ERR(bar1->vmm))
		return PTR_ERR(bar1->vmm);
	bar1->inst = novamm_vram_alloc(&mm->buddy, NV_RAMIN_ALLOC_SIZE,
				       NOVAMM_VRAM_CONTIGUOUS, NULL);
	if (IS_ERR(bar1->inst)) {
		ret = PTR_ERR(bar1->inst);
		goto err_vmm;
	}
	ret = bar1_write_instance(bar1, novamm_vram_start(bar1->inst),
				  novamm_vmm_pdb(bar1->vmm));
	if (ret)
		goto err_inst;
	ret = bar1_bind(ndev, novamm_vram_start(bar1->inst), NV_BAR1_BLOCK_MODE_VIRTUAL);
	if (ret)
		goto err_unbind;
	/* Nothing cached for this directory may outlive the bind. */
	ret = novamm_tlb_invalidate(&mm->tlb, novamm_vmm_pdb(bar1->vmm), NOVAMM_TLB_HUB_ONLY);
	if (ret)
		goto err_unbind;
	return 0;

err_unbind:
	/*
	 * The GPU may have taken the block: give BAR1 back before freeing it,
	 * or, if that does not complete, keep the block and the tables where
	 * the GPU may still walk them.
	 */
	if (bar1_bind(ndev, 0, NV_BAR1_BLOCK_MODE_PHYSICAL))
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
	struct novamm_device *ndev = bar1->ndev;

	bar1->vmm = novamm_vmm_adopt(&ndev->mm, ndev->chip->arch->mmu_version, 0,
				     bar1->size, NOVAMM_VMM_HUB,
				     ndev->mm.fb.bar1_pde_base);
	if (IS_ERR(bar1->vmm)) {
		int ret = PTR_ERR(bar1->vmm);

		bar1->vmm = NULL;
		return ret;
	}
	return 0;
}

/**
 * novamm_bar1_init() - bring up BAR1
 * @ndev: the device, with its memory manager up
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
int novamm_bar1_init(struct novamm_device *ndev)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	int ret;

	memset(bar1, 0, sizeof(*bar1));
	bar1->ndev = ndev;
	bar1->size = ndev->hw.bar1_size;
	mutex_init(&bar1->lock);
	INIT_LIST_HEAD(&bar1->mappings);
	if (!bar1->size || !IS_ALIGNED(bar1->size, SZ_64K)) {
		dev_err(ndev->hw.dev, "BAR1 of 0x%llx bytes: not a multiple of 64 KiB\n",
			bar1->size);
		ret = -EINVAL;
		goto err;
	}

	bar1->mode = ndev->mm.fb.has_bar_pde_base ? NOVAMM_BAR1_GSP : NOVAMM_BAR1_OWN;
	if (bar1->mode == NOVAMM_BAR1_GSP)
		ret = bar1_init_gsp(bar1);
	else
		ret = bar1_init_own(bar1);
	if (ret) {
		dev_err(ndev->hw.dev, "BAR1 (%s): bring-up failed: %d\n",
			novamm_bar1_mode_name(bar1->mode), ret);
		goto err;
	}
	bar1->ready = true;
	return 0;

err:
	mutex_destroy(&bar1->lock);
	return ret;
}

static void bar1_release(struct novamm_bar1_mapping *map)
{
	if (map->owned_vram)
		novamm_vram_free(map->vram);
	kfree(map);
}

/**
 * novamm_bar1_fini() - undo novamm_bar1_init()
 * @ndev: the device
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
void novamm_bar1_fini(struct novamm_device *ndev)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	struct novamm_bar1_mapping *map, *tmp;
	int ret;

	if (bar1->num_mappings)
		dev_info(ndev->hw.dev, "BAR1: releasing %u live mappings (%llu bytes)\n",
			 bar1->num_mappings, bar1->vmm->mapped);
	/*
	 * Whatever is still linked, from live mappings or from tables a timed
	 * out invalidate left: unlinked from GSP-RM's root in one write, or
	 * BAR1 out of the way of novamm's own block, before anything is freed.
	 */
	if (bar1->mode == NOVAMM_BAR1_GSP) {
		ret = novamm_vmm_clear(bar1->vmm);
		if (ret)
			dev_err(ndev->hw.dev, "BAR1: GSP-RM's directory is unlinked from novamm's tables, but a TLB may hold them: %d\n",
				ret);
	} else if (bar1_bind(ndev, 0, NV_BAR1_BLOCK_MODE_PHYSICAL)) {
		bar1_keep(bar1);
	}

	list_for_each_entry_safe(map, tmp, &bar1->mappings, node) {
		list_del(&map->node);
		bar1_release(map);
	}
	bar1->num_mappings = 0;

	novamm_vmm_destroy(bar1->vmm);
	bar1->vmm = NULL;
	if (bar1->inst)
		novamm_vram_free(bar1->inst);
	bar1->inst = NULL;
	mutex_destroy(&bar1->lock);
}

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
		if (cur.dirty && !novamm_hw_bar1_zero(&bar1->ndev->hw, va + at, cur.size))
			bar1->cleared_mapped += cur.size;
		at += cur.size;
	}
	novamm_vram_set_clear(vram);
}

static int bar1_clear_pramin(struct novamm_bar1 *bar1, u64 addr, u64 size)
{
	struct novamm_mm *mm = &bar1->ndev->mm;
	int ret;

	ret = novamm_pramin_fill(&mm->pramin, addr, 0, size);
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
	struct novamm_device *ndev = bar1->ndev;
	u64 va = 0;
	int ret;

	lockdep_assert_held(&bar1->lock);
	ret = novamm_vmm_map(bar1->vmm, &va, &range, 1, 0);
	if (ret == -ENOSPC)
		return bar1_clear_pramin(bar1, addr, size);
	if (ret)
		return ret;
	ret = novamm_hw_bar1_zero(&ndev->hw, va, size);
	if (!ret) {
		bar1->cleared_bar1 += size;
		bar1->clear_pieces++;
	}
	if (novamm_vmm_unmap(bar1->vmm, va, size)) {
		/* Nothing hands the range out again; it goes at remove. */
		dev_err(ndev->hw.dev, "BAR1: the clearing mapping at 0x%llx stays until remove\n",
			va);
		ret = ret ?: -ETIMEDOUT;
	}
	return ret;
}

/**
 * novamm_bar1_clear() - zero the dirty blocks of an allocation
 * @ndev: the device
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
int novamm_bar1_clear(struct novamm_device *ndev, struct novamm_vram *vram)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
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
		dev_dbg(ndev->hw.dev, "BAR1: clearing 0x%llx bytes of VRAM: %d\n", vram->size, ret);
		return ret;
	}
	novamm_vram_set_clear(vram);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_bar1_clear);

static struct novamm_bar1_mapping *bar1_map(struct novamm_device *ndev,
					    struct novamm_vram *vram,
					    unsigned long flags, bool owned,
					    u64 *offset)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	struct novamm_bar1_mapping *map;
	u64 va = 0;
	int ret;

	if (IS_ERR_OR_NULL(vram) || vram->buddy != &ndev->mm.buddy ||
	    flags & ~NOVAMM_BAR1_MAP_FLAGS) {
		dev_dbg(ndev->hw.dev, "BAR1 map: not an allocation of this device, or flags 0x%lx\n",
			flags);
		return ERR_PTR(-EINVAL);
	}
	/* A read-only mapping cannot clear what it shows: another must. */
	if (flags & NOVAMM_BAR1_MAP_READ_ONLY && !novamm_vram_is_clear(vram)) {
		ret = novamm_bar1_clear(ndev, vram);
		if (ret)
			return ERR_PTR(ret);
	}
	map = novamm_should_fail(&ndev->hw) ? NULL : kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);

	mutex_lock(&bar1->lock);
	if (bar1_held_by_other(bar1)) {
		mutex_unlock(&bar1->lock);
		dev_dbg(ndev->hw.dev, "BAR1 map refused while a self-test runs\n");
		kfree(map);
		return ERR_PTR(-EBUSY);
	}
	ret = novamm_vmm_map_vram(bar1->vmm, &va, vram,
				  flags & NOVAMM_BAR1_MAP_READ_ONLY ?
				  NOVAMM_VMM_MAP_READ_ONLY : 0);
	if (ret) {
		bar1->map_errors++;
		bar1->full += ret == -ENOSPC;
		mutex_unlock(&bar1->lock);
		dev_dbg(ndev->hw.dev, "BAR1 map of %llu bytes: %d\n", vram->size, ret);
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
	list_add_tail(&map->node, &bar1->mappings);
	bar1->num_mappings++;
	bar1->maps++;
	if (offset)
		*offset = va;
	mutex_unlock(&bar1->lock);
	return map;
}

/**
 * novamm_bar1_map() - make a VRAM allocation visible through BAR1
 * @ndev: the device
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
struct novamm_bar1_mapping *novamm_bar1_map(struct novamm_device *ndev,
					    struct novamm_vram *vram,
					    unsigned long flags)
{
	return bar1_map(ndev, vram, flags, false, NULL);
}
EXPORT_SYMBOL_GPL(novamm_bar1_map);

/**
 * novamm_bar1_map_new() - allocate VRAM and map it through BAR1
 * @ndev: the device
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
struct novamm_bar1_mapping *novamm_bar1_map_new(struct novamm_device *ndev,
						u64 size, unsigned long flags,
						u64 *offset)
{
	struct novamm_bar1_mapping *map;
	struct novamm_vram *vram;

	vram = novamm_vram_alloc(&ndev->mm.buddy, size, 0, NULL);
	if (IS_ERR(vram))
		return ERR_CAST(vram);
	map = bar1_map(ndev, vram, flags, true, offset);
	if (IS_ERR(map))
		novamm_vram_free(vram);
	return map;
}
EXPORT_SYMBOL_GPL(novamm_bar1_map_new);

static bool bar1_owns(struct novamm_bar1 *bar1, struct novamm_bar1_mapping *map)
{
	struct novamm_bar1_mapping *pos;

	lockdep_assert_held(&bar1->lock);
	list_for_each_entry(pos, &bar1->mappings, node)
		if (pos == map)
			return true;
	return false;
}

/* The mapping that starts at BAR1 @offset (offsets are unique), or NULL. */
static struct novamm_bar1_mapping *bar1_at(struct novamm_bar1 *bar1, u64 offset)
{
	struct novamm_bar1_mapping *map;

	lockdep_assert_held(&bar1->lock);
	list_for_each_entry(map, &bar1->mappings, node)
		if (map->offset == offset)
			return map;
	return NULL;
}

static int bar1_unmap_locked(struct novamm_bar1 *bar1, struct novamm_bar1_mapping *map)
{
	int ret;

	lockdep_assert_held(&bar1->lock);
	ret = novamm_vmm_unmap(bar1->vmm, map->offset, map->size);
	if (ret) {
		dev_dbg(bar1->ndev->hw.dev, "BAR1 unmap of 0x%llx: %d\n", map->offset, ret);
		return ret;
	}
	list_del(&map->node);
	bar1->num_mappings--;
	bar1->unmaps++;
	return 0;
}

/**
 * novamm_bar1_unmap() - remove a mapping
 * @ndev: the device
 * @map: a mapping of @ndev
 *
 * One TLB invalidate, then the mapping is freed, with its VRAM if it owns
 * it.
 *
 * Context: takes bar1->lock, then the address space's; may sleep.
 *
 * Return: 0, and @map is freed; -EINVAL for a mapping that is not
 * @ndev's; -ETIMEDOUT when the TLB invalidate did not complete, with the
 * mapping still in place (retry or leave it to removal).
 */
int novamm_bar1_unmap(struct novamm_device *ndev, struct novamm_bar1_mapping *map)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	int ret;

	mutex_lock(&bar1->lock);
	if (IS_ERR_OR_NULL(map) || !bar1_owns(bar1, map)) {
		mutex_unlock(&bar1->lock);
		dev_dbg(ndev->hw.dev, "BAR1 unmap: not a mapping of this device\n");
		return -EINVAL;
	}
	ret = bar1_unmap_locked(bar1, map);
	mutex_unlock(&bar1->lock);
	if (!ret)
		bar1_release(map);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_unmap);

/**
 * novamm_bar1_unmap_owned() - remove a mapping made by novamm_bar1_map_new()
 * @ndev: the device
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
int novamm_bar1_unmap_owned(struct novamm_device *ndev, u64 offset)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	struct novamm_bar1_mapping *map;
	int ret = -ENOENT;

	mutex_lock(&bar1->lock);
	map = bar1_at(bar1, offset);
	if (map && map->owned_vram)
		ret = bar1_unmap_locked(bar1, map);
	mutex_unlock(&bar1->lock);
	if (!ret)
		bar1_release(map);
	else if (ret == -ENOENT)
		dev_dbg(ndev->hw.dev, "BAR1: no mapping of its own VRAM at 0x%llx\n", offset);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_unmap_owned);

static int bar1_range(struct novamm_device *ndev,
		      const struct novamm_bar1_mapping *map, u64 offset, size_t len)
{
	if (IS_ERR_OR_NULL(map) || offset > map->size || len > map->size - offset) {
		dev_dbg(ndev->hw.dev, "BAR1 access [0x%llx, +0x%zx) outside the mapping\n",
			offset, len);
		return -ERANGE;
	}
	return 0;
}

/**
 * novamm_bar1_read() - copy from VRAM through a mapping
 * @ndev: the device
 * @map: the mapping, held by the caller until this returns
 * @offset: byte offset in the mapping
 * @buf: destination
 * @len: bytes
 *
 * Context: takes no lock of BAR1's (see "Locking" above); may sleep.
 *
 * Return: 0, or -ERANGE for a range outside the mapping or BAR1 (nothing
 * read).
 */
int novamm_bar1_read(struct novamm_device *ndev,
		     const struct novamm_bar1_mapping *map, u64 offset,
		     void *buf, size_t len)
{
	int ret = bar1_range(ndev, map, offset, len);

	return ret ? ret : novamm_hw_bar1_read(&ndev->hw, map->offset + offset, buf, len);
}
EXPORT_SYMBOL_GPL(novamm_bar1_read);

/**
 * novamm_bar1_write() - copy to VRAM through a mapping
 * @ndev: the device
 * @map: the mapping, held by the caller until this returns
 * @offset: byte offset in the mapping
 * @buf: source
 * @len: bytes
 *
 * Context: takes no lock of BAR1's (see "Locking" above); may sleep.
 *
 * Return: 0; -ERANGE for a range outside the mapping or BAR1, -EPERM for
 * a read-only mapping (nothing written).
 */
int novamm_bar1_write(struct novamm_device *ndev,
		      const struct novamm_bar1_mapping *map, u64 offset,
		      const void *buf, size_t len)
{
	int ret = bar1_range(ndev, map, offset, len);

	if (ret)
		return ret;
	if (map->flags & NOVAMM_BAR1_MAP_READ_ONLY) {
		dev_dbg(ndev->hw.dev, "BAR1 write to read-only mapping 0x%llx\n",
			map->offset);
		return -EPERM;
	}
	return novamm_hw_bar1_write(&ndev->hw, map->offset + offset, buf, len);
}
EXPORT_SYMBOL_GPL(novamm_bar1_write);

/**
 * novamm_bar1_copy() - copy between two mappings (or within one)
 * @ndev: the device
 * @dst: destination mapping
 * @dst_offset: byte offset in it
 * @src: source mapping
 * @src_offset: byte offset in it
 * @len: bytes; overlapping ranges copy as memmove() would
 *
 * Context: takes no lock of BAR1's (see "Locking" above); may sleep.
 *
 * Return: as novamm_bar1_read() and novamm_bar1_write(), checked before
 * anything is copied; -ENOMEM.
 */
int novamm_bar1_copy(struct novamm_device *ndev,
		     const struct novamm_bar1_mapping *dst, u64 dst_offset,
		     const struct novamm_bar1_mapping *src, u64 src_offset,
		     size_t len)
{
	size_t chunk = min_t(size_t, len, NOVAMM_BAR1_COPY_CHUNK);
	bool backwards;
	size_t done, n;
	u64 s, d;
	void *buf;
	int ret;

	ret = bar1_range(ndev, src, src_offset, len) ?:
	      bar1_range(ndev, dst, dst_offset, len);
	if (ret)
		return ret;
	if (dst->flags & NOVAMM_BAR1_MAP_READ_ONLY)
		return -EPERM;
	if (!len)
		return 0;
	buf = kmalloc(chunk, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	s = src->offset + src_offset;
	d = dst->offset + dst_offset;
	/* Chunks from the end when the destination overlaps the source's tail. */
	backwards = d > s && d < s + len;
	for (done = 0; done < len && !ret; done += n) {
		u64 at;

		n = min_t(size_t, chunk, len - done);
		at = backwards ? len - done - n : done;
		ret = novamm_hw_bar1_read(&ndev->hw, s + at, buf, n) ?:
		      novamm_hw_bar1_write(&ndev->hw, d + at, buf, n);
	}
	kfree(buf);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_copy);

/**
 * novamm_bar1_fill() - fill a mapping with a 32-bit word, through BAR1
 * @ndev: the device
 * @offset: BAR1 offset where the mapping starts
 * @word: the value, written little-endian to every aligned word
 *
 * For callers that name mappings by offset (debugfs). bar1->lock is held
 * across the writes so the mapping cannot go meanwhile; other mappings
 * wait, which a debugging aid may do.
 *
 * Context: takes bar1->lock; may sleep.
 *
 * Return: 0; -ENOENT when no mapping starts at @offset; -EPERM for a
 * read-only one; -ENOMEM; -ERANGE as novamm_bar1_write().
 */
int novamm_bar1_fill(struct novamm_device *ndev, u64 offset, u32 word)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	struct novamm_bar1_mapping *map;
	size_t i, n, chunk = NOVAMM_BAR1_COPY_CHUNK;
	__le32 *buf;
	u64 done;
	int ret;

	buf = kmalloc(chunk, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < chunk / 4; i++)
		buf[i] = cpu_to_le32(word);

	mutex_lock(&bar1->lock);
	map = bar1_at(bar1, offset);
	ret = map ? 0 : -ENOENT;
	for (done = 0; !ret && done < map->size; done += n) {
		n = min_t(u64, chunk, map->size - done);
		ret = novamm_bar1_write(ndev, map, done, buf, n);
	}
	mutex_unlock(&bar1->lock);
	kfree(buf);
	if (ret == -ENOENT)
		dev_dbg(ndev->hw.dev, "BAR1: no mapping at 0x%llx\n", offset);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_fill);

/**
 * novamm_bar1_mapped() - bytes mapped through BAR1
 * @ndev: the device
 *
 * Context: takes the address space's lock; may sleep.
 *
 * Return: what its address space maps, which is BAR1's mappings and
 * nothing else.
 */
u64 novamm_bar1_mapped(struct novamm_device *ndev)
{
	struct novamm_vmm *vmm = to_bar1(ndev)->vmm;
	u64 mapped;

	mutex_lock(&vmm->lock);
	mapped = vmm->mapped;
	mutex_unlock(&vmm->lock);
	return mapped;
}
EXPORT_SYMBOL_GPL(novamm_bar1_mapped);

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

/**
 * novamm_bar1_show_mappings() - debugfs: BAR1 offset -> VRAM
 * @m: the file
 * @ndev: the device
 *
 * Context: takes bar1->lock, then the address space's.
 */
void novamm_bar1_show_mappings(struct seq_file *m, struct novamm_device *ndev)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	struct novamm_bar1_mapping *map;

	mutex_lock(&bar1->lock);
	seq_printf(m, "mode: %s\n", novamm_bar1_mode_name(bar1->mode));
	seq_printf(m, "size: %llu\n", bar1->size);
	seq_printf(m, "mappings: %u\n", bar1->num_mappings);
	list_for_each_entry(map, &bar1->mappings, node)
		seq_printf(m, "bar1 0x%010llx-0x%010llx %s%s\n", map->offset,
			   map->offset + map->size - 1,
			   map->flags & NOVAMM_BAR1_MAP_READ_ONLY ? "ro" : "rw",
			   map->owned_vram ? ", owns its VRAM" : "");
	novamm_vmm_show(m, bar1->vmm);
	mutex_unlock(&bar1->lock);
}

/**
 * novamm_bar1_show_pagetables() - debugfs: the page tables under BAR1
 * @m: the file
 * @ndev: the device
 *
 * Context: takes bar1->lock, then the address space's.
 */
void novamm_bar1_show_pagetables(struct seq_file *m, struct novamm_device *ndev)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);

	mutex_lock(&bar1->lock);
	novamm_vmm_dump(m, bar1->vmm, 0, bar1->size);
	mutex_unlock(&bar1->lock);
}

/**
 * novamm_bar1_show_stats() - debugfs: BAR1's counters
 * @m: the file
 * @ndev: the device
 *
 * Context: takes bar1->lock, then the address space's.
 */
void novamm_bar1_show_stats(struct seq_file *m, struct novamm_device *ndev)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
	struct novamm_vmm *vmm = bar1->vmm;

	mutex_lock(&bar1->lock);
	seq_printf(m, "bar1_mode: %s\n", novamm_bar1_mode_name(bar1->mode));
	seq_printf(m, "bar1_instance: 0x%llx\n",
		   bar1->inst ? novamm_vram_start(bar1->inst) : 0);
	seq_printf(m, "bar1_pdb: 0x%llx\n", novamm_vmm_pdb(vmm));
	seq_printf(m, "bar1_mappings: %u\n", bar1->num_mappings);
	seq_printf(m, "bar1_maps: %llu\n", bar1->maps);
	seq_printf(m, "bar1_unmaps: %llu\n", bar1->unmaps);
	seq_printf(m, "bar1_map_errors: %llu\n", bar1->map_errors);
	seq_printf(m, "bar1_map_enospc: %llu\n", bar1->full);
	seq_printf(m, "bar1_cleared_mapped: %llu\n", bar1->cleared_mapped);
	seq_printf(m, "bar1_cleared_bar1: %llu\n", bar1->cleared_bar1);
	seq_printf(m, "bar1_cleared_pramin: %llu\n", bar1->cleared_pramin);
	seq_printf(m, "bar1_clear_pieces: %llu\n", bar1->clear_pieces);
	mutex_lock(&vmm->lock);
	seq_printf(m, "bar1_mapped: %llu\n", vmm->mapped);
	seq_printf(m, "bar1_tables: %u\n", vmm->pt.num_tables);
	seq_printf(m, "bar1_pool_chunks: %u\n", vmm->pt.pool.num_chunks);
	seq_printf(m, "bar1_retired_tables: %u\n", vmm->pt.num_retired);
	seq_printf(m, "bar1_invalidates: %llu\n", vmm->invalidates);
	mutex_unlock(&vmm->lock);
	mutex_unlock(&bar1->lock);
}

/* The self-test's allocation: one 2 MiB, one 64 KiB and one 4 KiB page. */
#define NOVAMM_BAR1_SELFTEST_SIZE	(SZ_2M + SZ_64K + SZ_4K)

static u32 bar1_pattern(u64 offset)
{
	/* Differs in every word and in every byte of a word. */
	return lower_32_bits(offset) * 0x9e3779b1u ^ 0xa5c3f00du;
}

/*
 * Read every block of @vram through PRAMIN into @buf, in mapping order,
 * and compare with the pattern.
 */
static int bar1_selftest_check(struct novamm_device *ndev, struct novamm_vram *vram,
			       u32 *buf)
{
	struct novamm_vram_cursor cur = {};
	struct novamm_mm *mm = &ndev->mm;
	u64 at = 0, i;
	int ret = 0;

	while (!ret && novamm_vram_next_block(vram, &cur)) {
		/* What a short read leaves must not pass for the pattern. */
		memset(buf + at / 4, 0, cur.size);
		ret = novamm_pramin_read(&mm->pramin, cur.offset, buf + at / 4, cur.size);
		for (i = at / 4; !ret && i < (at + cur.size) / 4; i++) {
			if (buf[i] == bar1_pattern(i * 4))
				continue;
			dev_err(ndev->hw.dev, "BAR1 self-test: VRAM 0x%llx (BAR1 +0x%llx) holds 0x%08x, wrote 0x%08x\n",
				cur.offset + i * 4 - at, i * 4, buf[i], bar1_pattern(i * 4));
			ret = -EIO;
		}
		at += cur.size;
	}
	return ret;
}

/*
 * After the unmap, a read at the old offset must fault: where faults can
 * be seen (a simulated GPU), exactly one more, at that offset.
 */
static int bar1_selftest_fault(struct novamm_device *ndev, u64 offset)
{
	u64 before, after, last;
	u32 val;
	int ret;

	ret = novamm_hw_bar1_faults(&ndev->hw, &before, &last);
	if (ret == -EOPNOTSUPP)
		return 0;
	ret = novamm_hw_bar1_read(&ndev->hw, offset, &val, sizeof(val));
	if (ret)
		return ret;
	novamm_hw_bar1_faults(&ndev->hw, &after, &last);
	/* What the read returned is not printed: the offset is no longer ours. */
	if (after != before + 1 || last != offset) {
		dev_err(ndev->hw.dev, "BAR1 self-test: read at unmapped 0x%llx gave %llu faults (last at 0x%llx), expected one there\n",
			offset, after - before, last);
		return -EIO;
	}
	return 0;
}

/**
 * DOC: Self-test
 *
 * The BAR1 self-test allocates 2 MiB + 64 KiB + 4 KiB (one page of each
 * size), maps it, writes a pattern through BAR1, reads every word back
 * through PRAMIN at its VRAM address, unmaps, and where faults can be seen
 * (a simulated GPU) checks that a read at the old offset faults exactly
 * once, at that offset. A word that does not read back fails it with
 * ``-EIO`` and a message naming the VRAM address and the BAR1 offset; the
 * simulated GPU's bad-VRAM injection shows each self-test failing so
 * (:doc:`sim`). What the read at the old offset returned is not printed:
 * the offset is no longer the test's. The allocator ends as it began, but
 * for the table pool's first chunk, which an address space keeps once
 * grown.
 */

/**
 * novamm_bar1_selftest() - write through BAR1, read back through PRAMIN
 * @ndev: the device, with no mapping in BAR1 (novamm_bar1_exclude())
 *
 * See "Self-test" above. The test's VRAM needs no clearing: every byte is
 * written through the mapping before anything reads it, and nothing else
 * can map BAR1 meanwhile.
 *
 * Context: takes bar1->lock, the address space's and the PRAMIN lock in turn;
 * may sleep.
 *
 * Return: 0, -EIO on a mismatch (logged), or the error of the step that
 * failed; -ETIMEDOUT when the unmap did not complete, the mapping then
 * left to removal with its VRAM.
 */
int novamm_bar1_selftest(struct novamm_device *ndev)
{
	struct novamm_bar1_mapping *map;
	struct novamm_vram *vram;
	u64 offset, i;
	u32 *buf;
	int ret;

	buf = vmalloc(NOVAMM_BAR1_SELFTEST_SIZE);
	if (!buf)
		return -ENOMEM;
	vram = novamm_vram_alloc(&ndev->mm.buddy, NOVAMM_BAR1_SELFTEST_SIZE, 0, NULL);
	if (IS_ERR(vram)) {
		ret = PTR_ERR(vram);
		goto out_buf;
	}
	/*
	 * Every byte is written through the mapping before anything reads it,
	 * and nothing else can map BAR1 meanwhile: nothing to clear first.
	 */
	novamm_vram_set_written(vram);
	map = novamm_bar1_map(ndev, vram, 0);
	if (IS_ERR(map)) {
		ret = PTR_ERR(map);
		goto out_vram;
	}
	for (i = 0; i < NOVAMM_BAR1_SELFTEST_SIZE / 4; i++)
		buf[i] = bar1_pattern(i * 4);
	ret = novamm_bar1_write(ndev, map, 0, buf, NOVAMM_BAR1_SELFTEST_SIZE);
	if (!ret)
		ret = bar1_selftest_check(ndev, vram, buf);
	offset = map->offset;
	if (!ret)
		dev_info(ndev->hw.dev, "BAR1 self-test: %u bytes written through BAR1 0x%llx-0x%llx read back through PRAMIN from VRAM 0x%llx (first word 0x%08x, last 0x%08x)\n",
			 NOVAMM_BAR1_SELFTEST_SIZE, offset,
			 offset + NOVAMM_BAR1_SELFTEST_SIZE - 1, novamm_vram_start(vram),
			 buf[0], buf[NOVAMM_BAR1_SELFTEST_SIZE / 4 - 1]);
	if (novamm_bar1_unmap(ndev, map)) {
		/* Still mapped: removal releases it, the VRAM goes with it. */
		mutex_lock(&ndev->bar1.lock);
		map->owned_vram = true;
		mutex_unlock(&ndev->bar1.lock);
		ret = ret ?: -ETIMEDOUT;
		goto out_buf;
	}
	if (!ret)
		ret = bar1_selftest_fault(ndev, offset);
out_vram:
	novamm_vram_free(vram);
out_buf:
	vfree(buf);
	return ret;
}

/**
 * novamm_bar1_exclude() - hold BAR1 alone, for a self-test
 * @ndev: the device
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
int novamm_bar1_exclude(struct novamm_device *ndev)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);
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
 * @ndev: the device
 *
 * Context: takes bar1->lock.
 */
void novamm_bar1_include(struct novamm_device *ndev)
{
	struct novamm_bar1 *bar1 = to_bar1(ndev);

	mutex_lock(&bar1->lock);
	bar1->exclusive = NULL;
	mutex_unlock(&bar1->lock);
}
