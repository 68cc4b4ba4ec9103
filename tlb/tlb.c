// SPDX-License-Identifier: GPL-2.0-only
/*
 * TLB invalidation through the virtual-function MMU_INVALIDATE registers:
 * the root page directory's address in MMU_INVALIDATE_PDB and _UPPER_PDB,
 * then MMU_INVALIDATE with ALL_VA and TRIGGER, then TRIGGER polled until
 * it reads 0 (include/novamm/regs.h has the sources).
 *
 * Only ALL_VA is used: a targeted invalidate would need the range in
 * NV_PFB_PRI_MMU_INVALIDATE_VADDR and costs as many register writes, and
 * novamm invalidates once per map or unmap call whatever its size.
 *
 * Locking: tlb->lock around the sequence, so two address spaces cannot
 * interleave their PDB and INVALIDATE writes. Nothing allocates under it
 * (lockdep checks: see novamm_tlb_init()), and it nests inside an address
 * space's lock only.
 */
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>
#include <linux/sched/mm.h>

#include <novamm/core.h>
#include <novamm/regs.h>
#include <novamm/tlb.h>

/* Poll interval: an invalidate takes microseconds on hardware. */
#define NOVAMM_TLB_POLL_US	2

void novamm_tlb_init(struct novamm_mm *mm)
{
	struct novamm_tlb *tlb = &mm->tlb;

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
	tlb->pending = false;
}

void novamm_tlb_fini(struct novamm_mm *mm)
{
	mutex_destroy(&mm->tlb.lock);
}

static int novamm_tlb_wait(struct novamm_mm *mm)
{
	u32 val;

	return read_poll_timeout(novamm_core_rd32, val,
				 !(val & NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_TRIGGER),
				 NOVAMM_TLB_POLL_US, mm->tlb.timeout_us, false,
				 mm->ndev, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE);
}

/**
 * novamm_tlb_invalidate() - drop every cached translation of an address space
 * @mm: the memory manager
 * @pdb: VRAM address of the address space's root page directory, 4 KiB
 *	aligned
 * @flags: NOVAMM_TLB_HUB_ONLY, NOVAMM_TLB_DOWNGRADE
 *
 * Returns once the GPU reports the invalidate complete.
 *
 * Return: 0; -EINVAL for a misaligned or too wide PDB; -ETIMEDOUT (logged)
 * when the GPU does not complete it within tlb->timeout_us, or a previous
 * one that timed out is still running.
 */
int novamm_tlb_invalidate(struct novamm_mm *mm, u64 pdb, unsigned int flags)
{
	struct novamm_device *ndev = mm->ndev;
	struct novamm_tlb *tlb = &mm->tlb;
	u32 ctrl, lo;
	int ret;

	if (!IS_ALIGNED(pdb, BIT(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR_ALIGNMENT)) ||
	    pdb >> NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_SHIFT >
	    FIELD_MAX(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_ADDR)) {
		dev_dbg(ndev->dev, "TLB invalidate: bad PDB 0x%llx\n", pdb);
		return -EINVAL;
	}

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
		ret = novamm_tlb_wait(mm);
		if (ret)
			goto timeout;
		tlb->pending = false;
	}
	lo = FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR,
			pdb >> NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR_ALIGNMENT) |
	     FIELD_PREP(NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_APERTURE,
			NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_APERTURE_VID_MEM);
	novamm_core_wr32(ndev, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB, lo);
	novamm_core_wr32(ndev, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB,
			 pdb >> NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_SHIFT);
	novamm_core_wr32(ndev, NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE, ctrl);
	ret = novamm_tlb_wait(mm);
	if (ret)
		goto timeout;
	tlb->invalidates++;
	mutex_unlock(&tlb->lock);
	return 0;

timeout:
	tlb->pending = true;
	tlb->timeouts++;
	mutex_unlock(&tlb->lock);
	dev_err(ndev->dev, "TLB invalidate of PDB 0x%llx did not complete in %llu us\n",
		pdb, tlb->timeout_us);
	return -ETIMEDOUT;
}
EXPORT_SYMBOL_GPL(novamm_tlb_invalidate);
