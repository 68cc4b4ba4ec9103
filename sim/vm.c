// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated GPU's NV_VIRTUAL_FUNCTION registers: BAR1 binding and TLB
 * invalidation.
 */

/**
 * DOC: Locking
 *
 * novamm_sim_invalidates() and novamm_sim_clear_invalidates() take
 * ``sim->lock``; the rest is called with it held (lockdep-asserted).
 */

/**
 * DOC: Requests
 *
 * A bind and an invalidate are requests the hardware takes time over.
 * Each is pending from the write that triggers it until its status has
 * been read a configurable number of times (``bind_polls``,
 * ``invalidate_polls``, 1 by default); only the read after that makes it
 * take effect: the instance block is read and BAR1 switches to it, or the
 * cached translations are dropped. A driver that does not wait for
 * completion therefore sees the old binding or stale translations. The
 * default is what hardware shows: busy when first read, done within a
 * few microseconds, which a driver that spins briefly sees without
 * sleeping (nouveau busy-waits on both). Larger counts stand for a slow
 * GPU, and U32_MAX for one that never completes, for the timeout paths.
 *
 * A trigger written while a request of the same kind is pending is
 * ignored: the pending one goes on as it was. So is an invalidate without
 * ``ALL_VA``, or of a PDB the PDB register places in system memory: the
 * targeted form needs a VA register no generation from Turing to
 * Blackwell has (dev_vm.h publishes none; RM's kgmmuInvalidateTlb_GM107
 * always sets ALL_VA), the sim has no system memory, and
 * dropping nothing is the answer that exposes a driver relying on either.
 */

/**
 * DOC: BAR1 binding
 *
 * Up to Ada, ``NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK`` (0xb80f40: PTR 27:0,
 * TARGET 29:28, MODE 31) starts a bind and
 * ``NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS`` (0xb80f50) shows
 * ``BAR1_PENDING`` and ``BAR1_OUTSTANDING``. From Hopper on,
 * ``..._BAR1_BLOCK_LOW_ADDR`` (0xb80f60: MODE 9, TARGET 11:10, address
 * 31:12, PENDING 0 and OUTSTANDING 1 read-only) and ``..._HIGH_ADDR``
 * (0xb80f64), whose write starts the bind. The status shows busy for
 * ``bind_polls`` reads (1 by default); the read after that completes the
 * bind, which only then reads the instance block: ``PAGE_DIR_BASE``
 * (0x200/0x204), its TARGET, ``USE_VER2_PT_FORMAT`` (bit 10) and
 * ``BIG_PAGE_SIZE`` (bit 11), and on Blackwell the 0xcafeca11 word at
 * 0x20c (its absence is logged, not refused).
 *
 * An instance block whose directory is not in video memory or lies
 * beyond VRAM, that asks for 128 KiB big pages, or that asks for the old
 * format on an MMU v2 chip binds nothing (Volta and later treat those as
 * an unbound instance, ``dev_ram.ref.txt``). Bit 10 is accepted either way
 * on MMU v3 chips, where the sources disagree (RM writes 0, nouveau 1).
 * MODE PHYSICAL makes a BAR1 offset a VRAM address; a bind whose TARGET is
 * not video memory binds nothing in either mode. ``binds`` counts the
 * binds completed, and novamm_sim_bar1_state() tells what BAR1 is bound
 * to.
 */

/**
 * DOC: TLB invalidation
 *
 * ``NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB`` (0xb830a0, PDB >> 12 in
 * 31:4), ``..._UPPER_PDB`` (0xb830a4, PDB >> 40) and
 * ``..._MMU_INVALIDATE`` (0xb830b0): a write with TRIGGER (31) and ALL_VA
 * (0) starts an invalidate of that PDB's entries (the PDB register's
 * APERTURE must say video memory), or of all with ALL_PDB (1).
 * ``CACHE_LEVEL`` (26:24) says which: ALL (0) everything, PTE_ONLY (1)
 * the translations, UP_TO_PDEn (2 + n) the translations and the
 * directory levels from PD0 up to PDn. HUBTLB_ONLY (2) drops the hub
 * TLB's entries and leaves the GPC's (unless the ``gpc_tlb`` model is
 * off); without it both go (RM and nouveau set it for BAR address spaces
 * only). TRIGGER reads back set for
 * ``invalidate_polls`` reads, and the read after that completes it
 * (counted in ``invalidates``).
 *
 * A trigger while one is pending, without ALL_VA (targeted invalidation
 * needs a VA register no generation has), or for a PDB in system
 * memory without ALL_PDB drops nothing and is counted in
 * ``invalidates_ignored``. A driver that skips or cuts short an
 * invalidate sees stale translations.
 */

/**
 * DOC: Invalidate log
 *
 * Every trigger, dropped or not, goes into a log of the last 64 (and a
 * count): the PDB and its aperture, the value written and its ALL_VA,
 * ALL_PDB, HUBTLB_ONLY, SYS_MEMBAR, ACK and CACHE_LEVEL fields, whether it
 * was ignored, and how many writes were still posted when it was
 * triggered (a driver that flushes first leaves none; a trigger that
 * finds any counts in ``invalidates_unflushed``).
 * novamm_sim_invalidates() reads it, novamm_sim_clear_invalidates() and a
 * ``0`` written to the ``invalidates`` file clear it; tests check from it
 * what the driver asked for instead of from the driver's own flags.
 */
#include <linux/bitfield.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "internal.h"
#include "mmu.h"

static bool sim_hopper_bind(struct novamm_sim *sim)
{
	return sim->chip->bar1_block_low_high;
}

/* Read the instance block and switch BAR1 to it, as a completed bind does. */
static void sim_bind_apply(struct novamm_sim *sim, u32 block, u64 inst)
{
	struct novamm_sim_bar1_state *st = &sim->bar1;
	bool virt, target_ok;
	__le32 w[2];
	__le32 magic;
	u32 lo;

	memset(st, 0, sizeof(*st));
	if (sim_hopper_bind(sim)) {
		virt = block & SIM_VF_BAR1_LOW_MODE;
		target_ok = FIELD_GET(SIM_VF_BAR1_LOW_TARGET, block) == SIM_BAR1_TARGET_VID_MEM;
	} else {
		virt = block & SIM_VF_PRIV_BAR1_BLOCK_MODE;
		target_ok = FIELD_GET(SIM_VF_PRIV_BAR1_BLOCK_TARGET, block) ==
			    SIM_BAR1_TARGET_VID_MEM;
	}
	st->virtual_mode = virt;
	st->instance = inst;
	if (!target_ok)
		return;
	if (!virt) {
		/* Physical mode: BAR1 offsets are VRAM addresses. */
		st->bound = true;
		return;
	}
	if (novamm_sim_vram_access(sim, inst + SIM_RAMIN_PAGE_DIR_BASE_LO, w,
				   sizeof(w), false) ||
	    novamm_sim_vram_access(sim, inst + SIM_RAMIN_ENGINE_CTXSW_FW_MAGIC,
				   &magic, sizeof(magic), false))
		return;

	lo = le32_to_cpu(w[0]);
	st->pdb = ((u64)le32_to_cpu(w[1]) << 32) | (lo & SIM_RAMIN_PAGE_DIR_BASE_LO_ADDR);
	st->ver2 = lo & SIM_RAMIN_USE_VER2_PT_FORMAT;
	st->big_64k = lo & SIM_RAMIN_BIG_PAGE_SIZE;
	st->magic = le32_to_cpu(magic) == SIM_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE;

	/*
	 * Volta and later support only the v2-or-later format and 64 KiB big
	 * pages; anything else is an unbound instance (dev_ram.ref.txt). Bit
	 * 10 on MMU v3 chips is not settled (RM writes 0, nouveau 1): both are
	 * accepted there.
	 */
	if (FIELD_GET(SIM_RAMIN_PAGE_DIR_BASE_TARGET, lo) !=
	    SIM_RAMIN_PAGE_DIR_BASE_TARGET_VID_MEM ||
	    !st->big_64k || (sim->chip->mmu->ramin_ver2 && !st->ver2) ||
	    st->pdb >= sim->vram_size)
		return;
	if (sim->chip->ramin_magic && !st->magic)
		pr_notice_ratelimited("novamm_sim %u (%s): instance block 0x%llx lacks the 0x%x magic RM writes on this chip\n",
				      sim->serial, sim->chip->name, inst,
				      SIM_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE);
	st->bound = true;
}

/* A bind the driver asked for has completed. */
static void sim_bind_complete(struct novamm_sim *sim, u32 block, u64 inst)
{
	sim->cnt.binds++;
	sim_bind_apply(sim, block, inst);
}

static void sim_request(struct novamm_sim *sim, struct sim_pending *p,
			u32 polls, u32 value, u64 addr)
{
	if (p->active)
		return;
	p->active = true;
	p->polls = polls;
	p->value = value;
	p->addr = addr;
}

/**
 * novamm_sim_poll() - one status read of a request
 * @p: the request
 *
 * The one clock of every request: a bind, an invalidate, an FB flush.
 *
 * Context: sim->lock held.
 * Return: SIM_BUSY while polls are left, then SIM_DONE exactly once (the
 * request is no longer active), SIM_IDLE when none is pending.
 */
enum sim_poll_result novamm_sim_poll(struct sim_pending *p)
{
	if (!p->active)
		return SIM_IDLE;
	if (p->polls) {
		if (p->polls != U32_MAX)
			p->polls--;
		return SIM_BUSY;
	}
	p->active = false;
	return SIM_DONE;
}

static bool sim_bind_busy(struct novamm_sim *sim)
{
	enum sim_poll_result r = novamm_sim_poll(&sim->bind);

	if (r == SIM_DONE)
		sim_bind_complete(sim, sim->bind.value, sim->bind.addr);
	return r == SIM_BUSY;
}

static u32 sim_invalidate_status(struct novamm_sim *sim)
{
	enum sim_poll_result r = novamm_sim_poll(&sim->inv);

	if (r == SIM_DONE) {
		sim->cnt.invalidates++;
		novamm_sim_tlb_flush(sim, sim->inv.value, sim->inv.addr);
	}
	return r == SIM_BUSY ? SIM_VF_INVALIDATE_TRIGGER : 0;
}

/**
 * novamm_sim_vm_rd32() - read a register of the VF block
 * @sim: the simulated GPU, lock held
 * @offset: BAR0 offset
 * @hit: set when the register is one of these
 *
 * A read of a status register is a poll: the read that finds a request's
 * polls used up completes it, and reads as idle.
 *
 * Context: sim->lock held.
 * Return: the register's value; 0 when @hit is cleared.
 */
u32 novamm_sim_vm_rd32(struct novamm_sim *sim, u32 offset, bool *hit)
{
	u32 busy;

	lockdep_assert_held(&sim->lock);
	*hit = true;
	if (!sim_hopper_bind(sim) && offset == SIM_VF_PRIV_BAR1_BLOCK)
		return sim->bar1_block[0];
	if (!sim_hopper_bind(sim) && offset == SIM_VF_PRIV_BIND_STATUS)
		return sim_bind_busy(sim) ? SIM_VF_PRIV_BIND_STATUS_BAR1_PENDING |
					      SIM_VF_PRIV_BIND_STATUS_BAR1_OUTSTANDING : 0;
	if (sim_hopper_bind(sim) && offset == SIM_VF_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR) {
		busy = sim_bind_busy(sim) ? SIM_VF_BAR1_LOW_BAR1_PENDING |
					      SIM_VF_BAR1_LOW_BAR1_OUTSTANDING : 0;
		return (sim->bar1_block[0] & ~(SIM_VF_BAR1_LOW_BAR1_PENDING |
					       SIM_VF_BAR1_LOW_BAR1_OUTSTANDING)) | busy;
	}
	if (sim_hopper_bind(sim) && offset == SIM_VF_PRIV_FUNC_BAR1_BLOCK_HIGH_ADDR)
		return sim->bar1_block[1];
	if (offset == SIM_VF_PRIV_MMU_INVALIDATE_PDB)
		return sim->inv_pdb[0];
	if (offset == SIM_VF_PRIV_MMU_INVALIDATE_UPPER_PDB)
		return sim->inv_pdb[1];
	if (offset == SIM_VF_PRIV_MMU_INVALIDATE)
		return sim_invalidate_status(sim);
	*hit = false;
	return 0;
}

/* Every trigger goes into the log, whether it drops anything or not. */
static void sim_invalidate_log(struct novamm_sim *sim, u64 pdb, u32 val, bool ignored)
{
	struct sim_inv_log *log = &sim->inv_log;

	log->e[log->count % SIM_INV_LOG_SIZE] = (struct novamm_sim_invalidate){
		.pdb = pdb,
		.pdb_sysmem = sim->inv_pdb[0] & SIM_VF_INVALIDATE_PDB_APERTURE,
		.value = val,
		.all_va = val & SIM_VF_INVALIDATE_ALL_VA,
		.all_pdb = val & SIM_VF_INVALIDATE_ALL_PDB,
		.hub_only = val & SIM_VF_INVALIDATE_HUBTLB_ONLY,
		.sys_membar = val & SIM_VF_INVALIDATE_SYS_MEMBAR,
		.ack = FIELD_GET(SIM_VF_INVALIDATE_ACK, val),
		.cache_level = FIELD_GET(SIM_VF_INVALIDATE_CACHE_LEVEL, val),
		.ignored = ignored,
		.posted = sim->num_posted,
	};
	log->count++;
	sim->cnt.invalidates_unflushed += sim->num_posted != 0;
}

static void sim_invalidate(struct novamm_sim *sim, u32 val)
{
	u64 pdb = (u64)FIELD_GET(SIM_VF_INVALIDATE_PDB_ADDR, sim->inv_pdb[0]) << 12 |
		  (u64)FIELD_GET(SIM_VF_INVALIDATE_UPPER_PDB_ADDR, sim->inv_pdb[1]) << 40;
	bool ignored;

	if (!(val & SIM_VF_INVALIDATE_TRIGGER))
		return;
	ignored = sim->inv.active || !(val & SIM_VF_INVALIDATE_ALL_VA) ||
		  (!(val & SIM_VF_INVALIDATE_ALL_PDB) &&
		   (sim->inv_pdb[0] & SIM_VF_INVALIDATE_PDB_APERTURE));
	sim_invalidate_log(sim, pdb, val, ignored);
	if (ignored) {
		sim->cnt.invalidates_ignored++;
		return;
	}
	sim_request(sim, &sim->inv, sim->inject.invalidate_polls, val, pdb);
}

/**
 * novamm_sim_invalidates() - read the invalidate log
 * @sim: the simulated GPU
 * @out: filled with the logged invalidates, oldest first
 * @max: room in @out
 *
 * Context: Process context; takes sim->lock.
 * Return: invalidates triggered since the log was last cleared; only the
 * last SIM_INV_LOG_SIZE (64) are kept.
 */
unsigned int novamm_sim_invalidates(struct novamm_sim *sim,
				    struct novamm_sim_invalidate *out,
				    unsigned int max)
{
	unsigned int n;

	mutex_lock(&sim->lock);
	n = novamm_sim_ring_copy(out, sim->inv_log.e, sizeof(*out),
				 ARRAY_SIZE(sim->inv_log.e), sim->inv_log.count, max);
	mutex_unlock(&sim->lock);
	return n;
}
EXPORT_SYMBOL_GPL(novamm_sim_invalidates);

/**
 * novamm_sim_clear_invalidates() - empty the invalidate log
 * @sim: the simulated GPU
 *
 * For a test that checks the invalidates of one operation only. A pending
 * invalidate is left to complete, and the counters are left alone.
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_clear_invalidates(struct novamm_sim *sim)
{
	mutex_lock(&sim->lock);
	memset(&sim->inv_log, 0, sizeof(sim->inv_log));
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_clear_invalidates);

/**
 * novamm_sim_vm_wr32() - write a register of the VF block
 * @sim: the simulated GPU, lock held
 * @offset: BAR0 offset
 * @val: the value
 *
 * Context: sim->lock held.
 * Return: true when the register is one of these.
 */
bool novamm_sim_vm_wr32(struct novamm_sim *sim, u32 offset, u32 val)
{
	u64 inst;

	lockdep_assert_held(&sim->lock);
	if (!sim_hopper_bind(sim) && offset == SIM_VF_PRIV_BAR1_BLOCK) {
		sim->bar1_block[0] = val;
		inst = (u64)FIELD_GET(SIM_VF_PRIV_BAR1_BLOCK_PTR, val) << 12;
		sim_request(sim, &sim->bind, sim->inject.bind_polls, val, inst);
		return true;
	}
	if (sim_hopper_bind(sim) && offset == SIM_VF_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR) {
		/* PENDING and OUTSTANDING are read-only. */
		sim->bar1_block[0] = val & ~(SIM_VF_BAR1_LOW_BAR1_PENDING |
					     SIM_VF_BAR1_LOW_BAR1_OUTSTANDING);
		return true;
	}
	if (sim_hopper_bind(sim) && offset == SIM_VF_PRIV_FUNC_BAR1_BLOCK_HIGH_ADDR) {
		sim->bar1_block[1] = val;
		inst = (u64)val << 32 | (sim->bar1_block[0] & SIM_VF_BAR1_LOW_PTR);
		sim_request(sim, &sim->bind, sim->inject.bind_polls,
			    sim->bar1_block[0], inst);
		return true;
	}
	if (offset == SIM_VF_PRIV_MMU_INVALIDATE_PDB ||
	    offset == SIM_VF_PRIV_MMU_INVALIDATE_UPPER_PDB) {
		sim->inv_pdb[offset == SIM_VF_PRIV_MMU_INVALIDATE_UPPER_PDB] = val;
		return true;
	}
	if (offset == SIM_VF_PRIV_MMU_INVALIDATE) {
		sim_invalidate(sim, val);
		return true;
	}
	return false;
}

/*
 * Where the sim's GSP puts its BAR1 instance block: past the BAR1 and
 * BAR2 directories, in RM's reserved region. RM's own choice is internal
 * to it; nothing outside the GSP reads the address.
 */
#define SIM_GSP_BAR1_INST_OFFSET	SZ_128K

/**
 * novamm_sim_gsp_bind_bar1_locked() - BAR1 as GSP-RM leaves it at boot
 * @sim: the simulated GPU, lock held
 *
 * GSP-RM writes an instance block of its own and an empty root directory
 * at the bar1PdeBase it reports, and binds BAR1 to them before any
 * driver runs (kbusBar1InstBlkBind_TU102/_GH100 run inside the GSP). The
 * sim does the same whenever its GSP reports a bar1PdeBase, so that a
 * driver mapping under that directory finds BAR1 translating through
 * it. With no bar1PdeBase, or no GSP-RM at all (injected), BAR1 is left
 * unbound. This bind is the GSP's: it is not counted in binds. What the
 * protected-VRAM watch covers is set anew with it, and both TLBs are
 * emptied: whatever BAR1 was bound to before is gone.
 *
 * Context: sim->lock held.
 */
void novamm_sim_gsp_bind_bar1_locked(struct novamm_sim *sim)
{
	struct novamm_sim_bar1_state *st = &sim->bar1;
	u64 pdb = sim->gsp.bar1_pde_base;
	u64 inst = pdb + SIM_GSP_BAR1_INST_OFFSET;
	__le32 *blk;
	u32 lo;

	lockdep_assert_held(&sim->lock);
	novamm_sim_watch_set(sim);
	novamm_sim_tlb_flush_all(sim);
	memset(st, 0, sizeof(*st));
	sim->bar1_block[0] = 0;
	sim->bar1_block[1] = 0;
	if (sim->inject.gsp == NOVAMM_SIM_GSP_ABSENT ||
	    !pdb || !IS_ALIGNED(pdb, SZ_4K) || inst >= sim->vram_size ||
	    sim->vram_size - inst < SIM_RAMIN_SIZE)
		return;
	blk = kzalloc(SIM_RAMIN_SIZE, SIM_GFP_MMIO);
	if (!blk)
		return;

	lo = FIELD_PREP(SIM_RAMIN_PAGE_DIR_BASE_TARGET, SIM_RAMIN_PAGE_DIR_BASE_TARGET_VID_MEM) |
	     SIM_RAMIN_BIG_PAGE_SIZE | (lower_32_bits(pdb) & SIM_RAMIN_PAGE_DIR_BASE_LO_ADDR);
	/* RM sets the v2 bit for v2 formats only (hw-reference 4.1). */
	if (sim->chip->mmu->ramin_ver2)
		lo |= SIM_RAMIN_USE_VER2_PT_FORMAT;
	/* The zeroed buffer is the empty root directory first. */
	if (novamm_sim_vram_access(sim, pdb, blk, SIM_RAMIN_SIZE, true))
		goto out;
	blk[SIM_RAMIN_PAGE_DIR_BASE_LO / 4] = cpu_to_le32(lo);
	blk[SIM_RAMIN_PAGE_DIR_BASE_HI / 4] = cpu_to_le32(upper_32_bits(pdb));
	if (sim->chip->ramin_magic)
		blk[SIM_RAMIN_ENGINE_CTXSW_FW_MAGIC / 4] =
			cpu_to_le32(SIM_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE);
	if (novamm_sim_vram_access(sim, inst, blk, SIM_RAMIN_SIZE, true))
		goto out;

	if (sim_hopper_bind(sim)) {
		sim->bar1_block[0] = SIM_VF_BAR1_LOW_MODE |
				     FIELD_PREP(SIM_VF_BAR1_LOW_TARGET, SIM_BAR1_TARGET_VID_MEM) |
				     (lower_32_bits(inst) & SIM_VF_BAR1_LOW_PTR);
		sim->bar1_block[1] = upper_32_bits(inst);
	} else {
		sim->bar1_block[0] =
			SIM_VF_PRIV_BAR1_BLOCK_MODE |
			FIELD_PREP(SIM_VF_PRIV_BAR1_BLOCK_TARGET, SIM_BAR1_TARGET_VID_MEM) |
			FIELD_PREP(SIM_VF_PRIV_BAR1_BLOCK_PTR, inst >> 12);
	}
	/* Read back as any bind is, so the GSP's block meets the same checks. */
	sim_bind_apply(sim, sim->bar1_block[0], inst);
out:
	kfree(blk);
}
