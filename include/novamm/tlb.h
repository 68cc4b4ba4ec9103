/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm tlb: invalidating the GPU's TLBs after page tables change.
 *
 * One invalidate covers a whole address space (ALL_VA), identified by the
 * VRAM address of its root page directory. Turing to Blackwell share the
 * registers and the sequence. Every invalidate is preceded by the
 * generation's FB flush, so that the page-table writes it is about have
 * reached VRAM before the MMU walks again; novamm_tlb_flush() is that
 * flush alone, for other writes the GPU must see (an instance block
 * before a bind).
 *
 * Locking: mm->tlb.lock serialises the register sequence of one device; it
 * is taken inside an address space's lock, never with the buddy lock or
 * the PRAMIN lock held, and nothing allocates under it.
 */
#ifndef _NOVAMM_TLB_H_
#define _NOVAMM_TLB_H_

#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/time64.h>
#include <linux/types.h>

struct novamm_hw;
struct seq_file;

/**
 * enum novamm_fb_flush - how a generation lands posted writes in VRAM
 * @NOVAMM_FB_FLUSH_UFLUSH: NV_UFLUSH_FB_FLUSH (Turing to Ada)
 * @NOVAMM_FB_FLUSH_XAL: NV_XAL_EP_ZB_UFLUSH_FB_FLUSH and _COMPLETED
 *	(GH100, GB20x)
 * @NOVAMM_FB_FLUSH_PRAMIN_READ: a read through the PRAMIN window, RM's
 *	BUS_FLUSH_VIDEO_MEMORY_VIA_PRAMIN_WINDOW (GB10x: RM flushes there
 *	through GSP-RM, and the published GB100 XAL header has no flush
 *	register)
 */
enum novamm_fb_flush {
	NOVAMM_FB_FLUSH_UFLUSH,
	NOVAMM_FB_FLUSH_XAL,
	NOVAMM_FB_FLUSH_PRAMIN_READ,
};

/* Only the hub's TLBs: address spaces used by BAR1, copy engines, host. */
#define NOVAMM_TLB_HUB_ONLY	BIT(0)
/*
 * Entries were removed or made stricter: wait for every TLB to
 * acknowledge (RM adds ACK_GLOBALLY and SYS_MEMBAR on such downgrades).
 */
#define NOVAMM_TLB_DOWNGRADE	BIT(1)

/* nova-core and nouveau wait 2 s for an invalidate. */
#define NOVAMM_TLB_TIMEOUT_US	(2 * USEC_PER_SEC)

/**
 * struct novamm_tlb - TLB invalidation state of one device
 * @hw: the GPU
 * @fb_flush: how its generation lands posted writes (enum novamm_fb_flush)
 * @lock: serialises the register sequence
 * @timeout_us: how long to wait for an invalidate or a flush
 * @invalidates: invalidates completed
 * @timeouts: invalidates that did not complete in time
 * @flushes: FB flushes completed
 * @flush_timeouts: FB flushes that did not complete in time
 * @pending: the last invalidate timed out and may still be running
 * @flush_pending: the last flush timed out and may still be running
 * @test_skip_flush: KUnit only: leave the flush out, to show that the
 *	GPU needs it
 */
struct novamm_tlb {
	struct novamm_hw *hw;
	u8 fb_flush;
	struct mutex lock;	/* see above */
	u64 timeout_us;
	u64 invalidates;
	u64 timeouts;
	u64 flushes;
	u64 flush_timeouts;
	bool pending;
	bool flush_pending;
	bool test_skip_flush;
};

void novamm_tlb_init(struct novamm_tlb *tlb, struct novamm_hw *hw,
		     enum novamm_fb_flush fb_flush);
void novamm_tlb_fini(struct novamm_tlb *tlb);
int novamm_tlb_flush(struct novamm_tlb *tlb);
int novamm_tlb_invalidate(struct novamm_tlb *tlb, u64 pdb, unsigned int flags);
void novamm_tlb_show_stats(struct seq_file *m, struct novamm_tlb *tlb);

#endif /* _NOVAMM_TLB_H_ */
