// SPDX-License-Identifier: GPL-2.0-only
/*
 * TLB invalidation through the virtual-function MMU_INVALIDATE registers.
 */

/**
 * DOC: Locking
 *
 * ``tlb->lock`` serialises the register sequence of one device, so two
 * address spaces never interleave their PDB and INVALIDATE writes, and two
 * flushes never overlap. It nests only inside an address space's lock and
 * is never taken with the VRAM allocator's lock or the PRAMIN window's lock held.
 * Nothing allocates under it, and lockdep checks that: novamm_tlb_init()
 * tells it the lock may be taken from reclaim. It is a mutex, for the
 * waits under it end in sleeping polls.
 */
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>

#include <novamm/hw.h>
#include <novamm/regs.h>
#include <novamm/tlb.h>

/* Poll interval once the spin is over (novamm_hw_wait32()). */
#define NOVAMM_TLB_POLL_US	2

/**
 * novamm_tlb_init() - set up a device's TLB invalidation
 * @tlb: what to set up
 * @hw: the GPU
 * @fb_flush: how its generation lands posted writes in VRAM
 *
 * Zeroes the counters, sets the timeout to %NOVAMM_TLB_TIMEOUT_US and
 * initialises the lock. The lock is then taken once inside a pretended
 * reclaim, so that lockdep knows it may be taken from reclaim: an
 * allocation that can reclaim while it is held is reported on the first
 * run, not when a machine under memory pressure deadlocks.
 *
 * Context: probe, before any invalidate; may sleep.
 */
void novamm_tlb_init(struct novamm_tlb *tlb, struct novamm_hw *hw,
		     enum novamm_fb_flush fb_flush)
{
	tlb->hw = hw;
	tlb->fb_flush = fb_flush;
	mutex_init(&tlb->lock);
	/*
	 * Tell lockdep the lock may be taken from reclaim, so that an
	 * allocation that can reclaim while it is held is reported on the
	 * first run, not when a machine under memory pressure deadlocks.
	 */
	fs_reclaim_acquire(GFP_KERNEL);
	mutex_lock(&tlb->lock);
	mutex_unlock(&tlb->lock);
	fs_reclaim_release(GFP_KERNEL);
	tlb->timeout_us = NOVAMM_TLB_TIMEOUT_US;
	tlb->invalidates = 0;
	tlb->timeouts = 0;
	tlb->flushes = 0;
	tlb->flush_timeouts = 0;
	tlb->pending = false;
	tlb->flush_pending = false;
	tlb->test_skip_flush = false;
}

/**
 * novamm_tlb_fini() - tear down a device's TLB invalidation
 * @tlb: what novamm_tlb_init() set up
 *
 * Context: remove, once nothing can invalidate or flush any more.
 */
void novamm_tlb_fini(struct novamm_tlb *tlb)
{
	mutex_destroy(&tlb->lock);
}

static bool novamm_tlb_uflush_done(u32 val, u32 unused)
{
	return !(val & (NV_UFLUSH_FB_FLUSH_PENDING | NV_UFLUSH_FB_FLUSH_OUTSTANDING));
}

/*
 * kbusSendSysmembarSingle_GH100's test: done when no flush is outstanding,
 * or when the completed token is no longer in the window of
 * MAX_OUTSTANDING tokens up to ours, i.e. it has passed ours.
 */
static bool novamm_tlb_xal_done(u32 val, u32 token)
{
	u32 done = FIELD_GET(NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED_TOKEN, val);

	if (FIELD_GET(NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED_STATUS, val) !=
	    NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED_STATUS_BUSY)
		return true;
	return ((token - done) & NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_TOKEN) >
	       NV_XAL_EP_ZB_MEMOP_MAX_OUTSTANDING;
}

/*
 * Poll a status register until @done says so: spin briefly, then sleep
 * between reads. A fault point: an injected failure is a timeout.
 * Return: 0, or -ETIMEDOUT.
 */
static int novamm_tlb_poll(struct novamm_tlb *tlb, u32 reg,
			   bool (*done)(u32 val, u32 token), u32 token)
{
	u32 val;

	if (novamm_should_fail(tlb->hw))
		return -ETIMEDOUT;
	return novamm_hw_wait32(tlb->hw, reg, done, token, &val, NOVAMM_TLB_POLL_US,
				tlb->timeout_us);
}

static bool novamm_tlb_invalidate_done(u32 val, u32 unused)
{
	return !(val & NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_TRIGGER);
}

static int novamm_tlb_wait(struct novamm_tlb *tlb)
{
	return novamm_tlb_poll(tlb, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE,
			       novamm_tlb_invalidate_done, 0);
}

/**
 * DOC: The FB flush
 *
 * Page-table writes go through the PRAMIN window, and writes through it
 * (like those through BAR1) are posted inside the GPU: the CPU's access
 * completes before the data is in VRAM. An invalidate can overtake them,
 * and the walk that refills the TLB then reads the old entries: after a
 * map, a fault or stale data; after an unmap, the old PTE cached again and
 * tables already given back still reachable. RM flushes before every
 * invalidate ("NOTE: Must call kbusFlush BEFORE any calls to
 * busInvalidate", ``kbusFlush_GM107`` in OGKM ``kern_bus_gm107.c``), and
 * so does novamm_tlb_invalidate(), under the same lock, with the flush of
 * the generation:
 *
 * Turing, Ampere, Ada
 *     ``NV_UFLUSH_FB_FLUSH`` (0x070000): write ``PENDING_BUSY`` (bit 0),
 *     poll until neither ``PENDING`` (0) nor ``OUTSTANDING`` (1) is set, as
 *     nouveau's ``g84_bar_flush`` and NVIDIA's nvgpu do. A new flush is
 *     started only once one that timed out has finished, for a trigger
 *     written while ``PENDING`` is set may be dropped.
 * GH100 and GB20x
 *     a read of ``NV_XAL_EP_ZB_UFLUSH_FB_FLUSH`` (0x10f800) starts a flush
 *     and returns its token (30:0); poll ``..._FB_FLUSH_COMPLETED``
 *     (0x10f804) until ``STATUS`` (31) is idle or the completed token is no
 *     longer within the ``NV_XAL_EP_ZB_MEMOP_MAX_OUTSTANDING`` (140) tokens
 *     up to ours, that is, has passed ours: RM's
 *     ``kbusSendSysmembarSingle_GH100``.
 * GB10x
 *     RM flushes there through GSP-RM, and the published GB100 XAL header
 *     has no flush register: novamm reads one word through the PRAMIN
 *     window (0x700000), RM's ``BUS_FLUSH_VIDEO_MEMORY_VIA_PRAMIN_WINDOW``:
 *     "Read the PRAMIN pseudo-bar0-register window to flush writes in it
 *     to FB" (``kbusFlushSingle_GM107``). The read returns once the writes
 *     have landed, so there is nothing to poll. The window always shows
 *     VRAM on these chips, so the read needs no the PRAMIN window's lock.
 *
 * The chip table's ``fb_flush`` says which. novamm_tlb_flush() is the
 * flush alone. A flush that does not complete in the TLB timeout returns
 * ``-ETIMEDOUT`` without starting the invalidate, and callers treat it as
 * an invalidate that timed out: nothing the GPU may still walk is freed.
 * Flushes and their timeouts are counted in ``stats`` (``tlb_flushes``,
 * ``tlb_flush_timeouts``). A GPU that is gone is not flushed. A
 * KUnit-only switch, ``tlb.test_skip_flush``, leaves the flush out, so
 * that a test can show the GPU reading stale tables without it.
 */

/*
 * Wait for a UFLUSH flush: a new one is started only once an older one
 * that timed out has finished, for a trigger while PENDING is set may be
 * dropped.
 */
static int novamm_tlb_uflush(struct novamm_tlb *tlb)
{
	int ret;

	if (tlb->flush_pending) {
		ret = novamm_tlb_poll(tlb, NV_UFLUSH_FB_FLUSH, novamm_tlb_uflush_done, 0);
		if (ret)
			return ret;
	}
	novamm_hw_wr32(tlb->hw, NV_UFLUSH_FB_FLUSH,
		       FIELD_PREP(NV_UFLUSH_FB_FLUSH_PENDING, NV_UFLUSH_FB_FLUSH_PENDING_BUSY));
	return novamm_tlb_poll(tlb, NV_UFLUSH_FB_FLUSH, novamm_tlb_uflush_done, 0);
}

/* The read starts the flush; each one has a token of its own. */
static int novamm_tlb_xal_flush(struct novamm_tlb *tlb)
{
	u32 token;

	token = FIELD_GET(NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_TOKEN,
			  novamm_hw_rd32(tlb->hw, NV_XAL_EP_ZB_UFLUSH_FB_FLUSH));
	return novamm_tlb_poll(tlb, NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED,
				     novamm_tlb_xal_done, token);
}

/* The generation's FB flush, tlb->lock held. */
static int novamm_tlb_flush_locked(struct novamm_tlb *tlb)
{
	int ret = 0;

	lockdep_assert_held(&tlb->lock);
	if ((IS_ENABLED(CONFIG_NOVAMM_KUNIT_TEST) && tlb->test_skip_flush) ||
	    novamm_hw_gone(tlb->hw))
		return 0;
	switch (tlb->fb_flush) {
	case NOVAMM_FB_FLUSH_UFLUSH:
		ret = novamm_tlb_uflush(tlb);
		break;
	case NOVAMM_FB_FLUSH_XAL:
		ret = novamm_tlb_xal_flush(tlb);
		break;
	case NOVAMM_FB_FLUSH_PRAMIN_READ:
		/*
		 * One read through the window lands what was written through
		 * it; the read returns once it has, so there is nothing to
		 * wait for (kbusFlushSingle_GM107). The window always shows
		 * VRAM on these chips: no lock is needed to read through it.
		 */
		novamm_hw_rd32(tlb->hw, NV_PRAMIN);
		break;
	}
	if (ret) {
		tlb->flush_pending = true;
		tlb->flush_timeouts++;
		dev_err(tlb->hw->dev, "FB flush did not complete in %llu us\n", tlb->timeout_us);
		return -ETIMEDOUT;
	}
	tlb->flush_pending = false;
	tlb->flushes++;
	return 0;
}

/**
 * novamm_tlb_flush() - land posted writes in VRAM
 * @tlb: the device's TLB invalidation
 *
 * The generation's FB flush, waited for: what was written through PRAMIN
 * before it is in VRAM when it returns, for the GPU to read. Every
 * novamm_tlb_invalidate() does this first; call it alone before the GPU
 * reads what was written for anything else (an instance block before a
 * bind).
 *
 * Context: takes tlb->lock; may sleep.
 * Return: 0, also for a GPU that is gone; -ETIMEDOUT (logged) when the
 * flush does not complete within tlb->timeout_us.
 */
int novamm_tlb_flush(struct novamm_tlb *tlb)
{
	int ret;

	mutex_lock(&tlb->lock);
	ret = novamm_tlb_flush_locked(tlb);
	mutex_unlock(&tlb->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_tlb_flush);

/**
 * DOC: Invalidation
 *
 * novamm_tlb_invalidate() flushes (see above), writes the root page
 * directory's address to ``MMU_INVALIDATE_PDB`` and ``_UPPER_PDB``, then
 * ``MMU_INVALIDATE`` with ``ALL_VA`` and ``TRIGGER``, and polls ``TRIGGER``
 * until the GPU clears it with novamm_hw_wait32(): spinning for 20 us
 * first, for an invalidate takes microseconds on hardware and a sleep
 * would cost a timer tick on every map and unmap, then sleeping 2 us
 * between reads up to the TLB timeout, 2 s by default as in nova-core and
 * nouveau. Flushes are waited for the same way.
 *
 * ``NOVAMM_TLB_HUB_ONLY`` limits the invalidate to the hub's TLBs, for BAR
 * address spaces; ``NOVAMM_TLB_DOWNGRADE`` adds ``SYS_MEMBAR`` and
 * ``ACK_GLOBALLY``, as RM does when entries are removed or made stricter.
 * Only whole address spaces are invalidated (``ALL_VA``): from Turing to
 * Blackwell the CPU has no register that takes a VA to invalidate.
 * NVIDIA's dev_vm.h (tu102, ga100, gb100) publishes ``ALL_VA`` and
 * ``USE_SIZE`` in ``MMU_INVALIDATE`` but no address or size register in
 * that page; RM's only register path, kgmmuInvalidateTlb_GM107, always
 * sets ``ALL_VA`` ("Not using range-based invalidate"), and so do
 * nouveau's tu102_vmm_flush and nova-core. A range is invalidated
 * through a channel (MEM_OP_A to _D with ``MMU_TLB_INVALIDATE_TARGETED``,
 * as UVM's uvm_hal_turing_host_tlb_invalidate_va does), which novamm does
 * not have. The Volta and Turing hub manuals (open-gpu-doc
 * pri_mmu_hub.ref.txt) list ``NV_PFB_PRI_MMU_INVALIDATE_VADDR`` (0x100cb4)
 * and ``_SIZE`` (0x100e68) for the physical function, with no semantics,
 * behind a privilege mask, unused by any driver, and none for Ampere on.
 * novamm invalidates once per map or unmap call whatever its size; the
 * sim ignores a trigger without ``ALL_VA`` (see its "TLB invalidation").
 *
 * A timeout returns ``-ETIMEDOUT`` with a ``dev_err``. The invalidate may
 * still be running then, so the next call first waits for ``TRIGGER`` to
 * clear; otherwise ``TRIGGER`` is not read before starting, since every
 * invalidate is waited for. An invalidate costs three register writes
 * and, on the simulated GPU, two reads, plus its flush: one write and two
 * reads of ``FB_FLUSH`` up to Ada, three reads on GH100 and GB20x, one
 * read through the window on GB10x.
 */

/**
 * novamm_tlb_invalidate() - drop every cached translation of an address space
 * @tlb: the device's TLB invalidation
 * @pdb: VRAM address of the address space's root page directory, 4 KiB
 *	aligned
 * @flags: NOVAMM_TLB_HUB_ONLY, NOVAMM_TLB_DOWNGRADE
 *
 * Flushes posted writes first (novamm_tlb_flush()), so that the walks
 * that refill the TLB see the tables as written, then returns once the GPU
 * reports the invalidate complete. A GPU that is gone caches nothing and
 * walks nothing: that is success at once.
 *
 * Context: takes tlb->lock, inside the address space's lock if any;
 * may sleep.
 * Return: 0; -EINVAL for a misaligned or too wide PDB; -ETIMEDOUT (logged)
 * when the flush or the invalidate does not complete within
 * tlb->timeout_us, or a previous invalidate that timed out is still
 * running. After a flush timeout no invalidate was started.
 */
int novamm_tlb_invalidate(struct novamm_tlb *tlb, u64 pdb, unsigned int flags)
{
	struct device *dev = tlb->hw->dev;
	u32 ctrl, lo;
	int ret;

	if (!IS_ALIGNED(pdb, BIT(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR_ALIGNMENT)) ||
	    pdb >> NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_SHIFT >
	    FIELD_MAX(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_ADDR)) {
		dev_dbg(dev, "TLB invalidate: bad PDB 0x%llx\n", pdb);
		return -EINVAL;
	}
	/* A GPU that is gone caches nothing and walks nothing: done. */
	if (novamm_hw_gone(tlb->hw))
		return 0;

	ctrl = NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ALL_VA |
	       NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_TRIGGER;
	if (flags & NOVAMM_TLB_HUB_ONLY)
		ctrl |= NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_HUBTLB_ONLY;
	if (flags & NOVAMM_TLB_DOWNGRADE)
		ctrl |= NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_SYS_MEMBAR |
			FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ACK,
				   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ACK_GLOBALLY);

	mutex_lock(&tlb->lock);
	/*
	 * Each invalidate is waited for, so one can only still be running
	 * after a timeout: only then is TRIGGER read before starting.
	 */
	if (tlb->pending) {
		ret = novamm_tlb_wait(tlb);
		if (ret)
			goto timeout;
		tlb->pending = false;
	}
	ret = novamm_tlb_flush_locked(tlb);
	if (ret) {
		mutex_unlock(&tlb->lock);
		return ret;
	}
	lo = FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR,
			pdb >> NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR_ALIGNMENT) |
	     FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_APERTURE,
			NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_APERTURE_VID_MEM);
	novamm_hw_wr32(tlb->hw, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB, lo);
	novamm_hw_wr32(tlb->hw, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB,
		       pdb >> NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_SHIFT);
	novamm_hw_wr32(tlb->hw, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE, ctrl);
	ret = novamm_tlb_wait(tlb);
	if (ret)
		goto timeout;
	tlb->invalidates++;
	mutex_unlock(&tlb->lock);
	return 0;

timeout:
	tlb->pending = true;
	tlb->timeouts++;
	mutex_unlock(&tlb->lock);
	dev_err(dev, "TLB invalidate of PDB 0x%llx did not complete in %llu us\n",
		pdb, tlb->timeout_us);
	return -ETIMEDOUT;
}
EXPORT_SYMBOL_GPL(novamm_tlb_invalidate);

/**
 * novamm_tlb_show_stats() - debugfs: the invalidate and flush counters
 * @m: the file
 * @tlb: the device's TLB state
 *
 * ``tlb_invalidates``, ``tlb_timeouts``, ``tlb_flushes`` and
 * ``tlb_flush_timeouts``, one ``key: value`` line each, read together.
 *
 * Context: takes ``tlb->lock``.
 */
void novamm_tlb_show_stats(struct seq_file *m, struct novamm_tlb *tlb)
{
	mutex_lock(&tlb->lock);
	seq_printf(m, "tlb_invalidates: %llu\n", tlb->invalidates);
	seq_printf(m, "tlb_timeouts: %llu\n", tlb->timeouts);
	seq_printf(m, "tlb_flushes: %llu\n", tlb->flushes);
	seq_printf(m, "tlb_flush_timeouts: %llu\n", tlb->flush_timeouts);
	mutex_unlock(&tlb->lock);
}
