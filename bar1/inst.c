// SPDX-License-Identifier: GPL-2.0-only
/*
 * Instance blocks and the BAR1 bind, per generation: the page-directory
 * words every instance block carries, written through PRAMIN, and the
 * registers that point BAR1 at one. Channels will fill their instance
 * blocks the same way, with their own words added.
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
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/device.h>
#include <linux/kernel.h>

#include <novamm/bar1.h>
#include <novamm/chip.h>
#include <novamm/compat.h>
#include <novamm/hw.h>
#include <novamm/pramin.h>
#include <novamm/regs.h>

#include "internal.h"

/*
 * Instance-block words (NV_RAMIN_*): OGD
 * manuals/turing/tu104/dev_ram.ref.txt, OGKM .../turing/tu102/dev_ram.h;
 * the magic word from OGKM .../ampere/ga10b/dev_ram.h. Byte offsets of
 * the 32-bit words, fields within each word.
 */
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

/**
 * novamm_inst_fill() - the page-directory words of an instance block
 * @blk: the block as VRAM is to hold it, NOVAMM_INST_SIZE bytes, zeroed
 *	by the caller (a channel adds its own words)
 * @arch: the generation
 * @pdb: VRAM address of the address space's root directory
 * @va_limit: the last virtual address the address space covers
 *
 * v3 leaves USE_VER2_PT_FORMAT clear, as RM does (its condition tests for
 * format version 2 only). The VA limit is written only where the
 * generation's row asks for it (TU10x), the magic word likewise
 * (Blackwell); the two share word 0x20c and never meet.
 */
void novamm_inst_fill(__le32 *blk, const struct novamm_arch_info *arch,
		      u64 pdb, u64 va_limit)
{
	u32 lo;

	lo = FIELD_PREP(NV_RAMIN_PAGE_DIR_BASE_TARGET, NV_RAMIN_PAGE_DIR_BASE_TARGET_VID_MEM) |
	     FIELD_PREP(NV_RAMIN_BIG_PAGE_SIZE, NV_RAMIN_BIG_PAGE_SIZE_64KB) |
	     FIELD_PREP(NV_RAMIN_PAGE_DIR_BASE_LO, lower_32_bits(pdb) >> 12);
	if (novamm_chip_mmu_version(arch) == 2)
		lo |= NV_RAMIN_USE_VER2_PT_FORMAT;
	blk[NV_RAMIN_PAGE_DIR_BASE_LO_WORD / 4] = cpu_to_le32(lo);
	blk[NV_RAMIN_PAGE_DIR_BASE_HI_WORD / 4] = cpu_to_le32(upper_32_bits(pdb));
	if (arch->ramin_va_limit) {
		blk[NV_RAMIN_ADR_LIMIT_LO_WORD / 4] =
			cpu_to_le32((lower_32_bits(va_limit) & NV_RAMIN_ADR_LIMIT_LO) | 0xfff);
		blk[NV_RAMIN_ADR_LIMIT_HI_WORD / 4] = cpu_to_le32(upper_32_bits(va_limit));
	}
	if (arch->ramin_magic)
		blk[NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_WORD / 4] =
			cpu_to_le32(NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE);
}
EXPORT_SYMBOL_GPL(novamm_inst_fill);

struct inst_write {
	u64 inst;
	const __le32 *blk;
};

static int inst_write_batch(struct novamm_pramin *p, void *arg)
{
	const struct inst_write *iw = arg;
	u32 lo;

	return novamm_pramin_write(p, iw->inst, iw->blk, NOVAMM_INST_SIZE) ?:
	       novamm_pramin_rd32(p, iw->inst + NV_RAMIN_PAGE_DIR_BASE_LO_WORD, &lo);
}

/**
 * novamm_inst_write() - put an instance block in VRAM before the GPU reads it
 * @p: the PRAMIN window
 * @inst: VRAM address of the block, NOVAMM_INST_SIZE aligned
 * @blk: its NOVAMM_INST_SIZE bytes (novamm_inst_fill())
 *
 * The block is written whole in one PRAMIN pass, then a word is read
 * back: PCI reads do not pass posted writes, so the block is in VRAM
 * before a bind makes the GPU read it (RM flushes before binding for the
 * same reason).
 *
 * Context: takes the PRAMIN lock; may sleep.
 *
 * Return: 0, or a PRAMIN error.
 */
int novamm_inst_write(struct novamm_pramin *p, u64 inst, const __le32 *blk)
{
	struct inst_write iw = { .inst = inst, .blk = blk };

	return novamm_pramin_batch(p, inst_write_batch, &iw);
}
EXPORT_SYMBOL_GPL(novamm_inst_write);

/* Hopper and Blackwell bind through FUNC_BAR1_BLOCK_LOW/HIGH_ADDR. */
static bool bar1_split_block(const struct novamm_bar1 *bar1)
{
	return bar1->arch->bar1_bind == NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK;
}

/* Where the generation reports a bind in progress. */
static void bar1_bind_status(struct novamm_bar1 *bar1, u32 *status_reg, u32 *mask)
{
	if (bar1_split_block(bar1)) {
		*status_reg = NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR;
		*mask = NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_BAR1_PENDING |
			NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_BAR1_OUTSTANDING;
	} else {
		*status_reg = NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS;
		*mask = NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS_BAR1_PENDING |
			NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS_BAR1_OUTSTANDING;
	}
}

static bool bar1_bind_done(u32 val, u32 mask)
{
	return !(val & mask);
}

/*
 * Wait for PENDING and OUTSTANDING to clear, spinning first as nouveau
 * does (see novamm_hw_wait32()); a fault point.
 */
static int bar1_bind_wait(struct novamm_bar1 *bar1, u32 *val)
{
	u32 reg, mask;

	if (novamm_should_fail(bar1->hw))
		return -ETIMEDOUT;
	bar1_bind_status(bar1, &reg, &mask);
	return novamm_hw_wait32(bar1->hw, reg, bar1_bind_done, mask, val,
				NOVAMM_BAR1_BIND_POLL_US,
				NOVAMM_BAR1_BIND_TIMEOUT_MS * USEC_PER_MSEC);
}

/**
 * novamm_bar1_bind_inst() - point BAR1 at an instance block, or back at VRAM
 * @bar1: BAR1 of the device
 * @inst: VRAM address of the instance block; 0 in physical mode
 * @mode: NV_BAR1_BLOCK_MODE_VIRTUAL or NV_BAR1_BLOCK_MODE_PHYSICAL
 *
 * Waits until the GPU has taken it. RM says no BAR1 request may be issued
 * before PENDING and OUTSTANDING clear, so after one that timed out the
 * next first waits for it: issued while it is still running, an unbind
 * could be lost and BAR1 left on a block that is about to be freed.
 *
 * Context: probe and remove, with nothing else using BAR1; may sleep.
 *
 * Return: 0, also at once for a GPU that is gone; -ETIMEDOUT (logged)
 * when the request, or one before it, did not complete.
 */
int novamm_bar1_bind_inst(struct novamm_bar1 *bar1, u64 inst, u32 mode)
{
	u32 val = 0;
	int ret;

	/* A GPU that is gone translates nothing: there is nothing to unbind. */
	if (novamm_hw_gone(bar1->hw))
		return 0;
	if (bar1->bind_pending) {
		ret = bar1_bind_wait(bar1, &val);
		if (ret) {
			dev_err(bar1->hw->dev, "BAR1 %s of instance block 0x%llx not issued: an earlier request is still outstanding (status 0x%08x)\n",
				mode == NV_BAR1_BLOCK_MODE_VIRTUAL ? "bind" : "unbind", inst, val);
			return ret;
		}
		bar1->bind_pending = false;
	}

	if (bar1_split_block(bar1)) {
		val = FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_MODE, mode) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_TARGET,
				 NV_BAR1_BLOCK_TARGET_VID_MEM) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_PTR,
				 lower_32_bits(inst) >> NV_BAR1_BLOCK_PTR_SHIFT);
		novamm_hw_wr32(bar1->hw, NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR, val);
		/* The HIGH write triggers the bind. */
		novamm_hw_wr32(bar1->hw, NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_HIGH_ADDR,
			       upper_32_bits(inst));
	} else {
		val = FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_PTR,
				 inst >> NV_BAR1_BLOCK_PTR_SHIFT) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_TARGET,
				 NV_BAR1_BLOCK_TARGET_VID_MEM) |
		      FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_MODE, mode);
		novamm_hw_wr32(bar1->hw, NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK, val);
	}
	ret = bar1_bind_wait(bar1, &val);
	bar1->bind_pending = ret;
	if (ret)
		dev_err(bar1->hw->dev, "BAR1 %s of instance block 0x%llx did not complete in %u ms (status 0x%08x)\n",
			mode == NV_BAR1_BLOCK_MODE_VIRTUAL ? "bind" : "unbind", inst,
			NOVAMM_BAR1_BIND_TIMEOUT_MS, val);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_bar1_bind_inst);
