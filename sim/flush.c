// SPDX-License-Identifier: GPL-2.0-only
/*
 * Posted writes and the FB flush.
 */

/**
 * DOC: Locking
 *
 * Called with ``sim->lock`` held (lockdep-asserted), but for
 * novamm_sim_posted_free(), which runs when the sim is going away.
 */

/**
 * DOC: Posted writes
 *
 * A write through the PRAMIN window or BAR1 does not reach VRAM when the
 * access completes: it is posted, joins a queue inside the GPU and lands
 * in VRAM later, as on the hardware, where RM flushes before every TLB
 * invalidate ("NOTE: Must call kbusFlush BEFORE any calls to
 * busInvalidate", ``kbusFlush_GM107`` in OGKM
 * ``.../bus/arch/maxwell/kern_bus_gm107.c``) because an invalidate can
 * overtake the page-table writes, and the walk that refills the TLB then
 * reads the old entries.
 *
 * The sim keeps such writes in a queue, in order. The MMU's walks, and a
 * bind's read of its instance block, read VRAM without looking at the
 * queue. The queue drains:
 *
 * - on the generation's FB flush (below), once the driver has seen it
 *   complete; a flush lands what was posted before it was started;
 * - on a read through the PRAMIN window or BAR1, which lands everything
 *   before the read's data is fetched (RM's flush-by-read: "Read the
 *   PRAMIN pseudo-bar0-register window to flush writes in it to FB",
 *   ``kbusFlushSingle_GM107``; PRAMIN accesses take the BAR1 path inside
 *   the GPU, so one queue serves both). A BAR1 read is translated before
 *   it lands anything, so its walk still sees the old tables;
 * - by itself: a write lands once ``posted_depth`` (64) further accesses,
 *   BAR0 accesses of any register or BAR1 pieces, have gone by, the
 *   bounded buffering of real hardware. No source gives that depth; 64
 *   keeps every write of a small update queued until a flush, the strict
 *   reading, and bounds the queue.
 *
 * No other register access drains it. Tests' direct VRAM reads
 * (novamm_sim_vram_read()) see the queued bytes over VRAM's, what VRAM
 * will hold, and drain nothing; direct writes land at once and take the
 * place of the queued bytes they cover, being the newest.
 * novamm_sim_posted() says how many writes are queued. A CPU mapping of
 * BAR1 (the ``bar1_page`` op) lands the queue before it hands out a page,
 * since the CPU then writes the page itself.
 */
#include <linux/bitfield.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "regs.h"

/**
 * struct sim_posted - one write the GPU has taken but not landed
 * @node: on sim->posted, oldest first, or on a spare list once landed
 * @addr: VRAM address
 * @stamp: sim->accesses when it was posted
 * @len: bytes
 * @room: bytes @data can hold
 * @data: the bytes
 */
struct sim_posted {
	struct list_head node;
	u64 addr;
	u64 stamp;
	u32 len;
	u32 room;
	u8 data[];
};

/*
 * A landed entry is kept for a later write of its size class, a PRAMIN
 * word or a BAR1 piece: a copy through PRAMIN posts one write per word,
 * and an allocation and a free for each, on a kernel with KASAN and
 * kmemleak, cost more than everything else the sim does for the word. At
 * most a default depth's worth of each class is kept, what one long copy
 * has in flight.
 */
#define SIM_POSTED_WORD		8
#define SIM_POSTED_PIECE	SZ_4K
#define SIM_POSTED_SPARES	65

static unsigned int sim_posted_class(size_t len)
{
	return len <= SIM_POSTED_WORD ? 0 : 1;
}

static struct sim_posted *sim_posted_get(struct novamm_sim *sim, size_t len)
{
	static const u32 room[SIM_POSTED_CLASSES] = { SIM_POSTED_WORD, SIM_POSTED_PIECE };
	struct list_head *spare;
	struct sim_posted *p;
	unsigned int c;

	if (len > SIM_POSTED_PIECE) {
		p = kmalloc(struct_size(p, data, len), SIM_GFP_MMIO);
		if (p)
			p->room = len;
		return p;
	}
	c = sim_posted_class(len);
	spare = &sim->posted_spare[c];
	p = list_first_entry_or_null(spare, struct sim_posted, node);
	if (p) {
		list_del(&p->node);
		sim->num_spare[c]--;
		return p;
	}
	p = kmalloc(struct_size(p, data, room[c]), SIM_GFP_MMIO);
	if (p)
		p->room = room[c];
	return p;
}

static void sim_posted_put(struct novamm_sim *sim, struct sim_posted *p)
{
	unsigned int c = sim_posted_class(p->room);

	if (p->room > SIM_POSTED_PIECE || sim->num_spare[c] >= SIM_POSTED_SPARES) {
		kfree(p);
		return;
	}
	list_add(&p->node, &sim->posted_spare[c]);
	sim->num_spare[c]++;
}

static void sim_posted_land(struct novamm_sim *sim, struct sim_posted *p)
{
	list_del(&p->node);
	sim->num_posted--;
	novamm_sim_vram_land(sim, p->addr, p->data, p->len);
	sim_posted_put(sim, p);
}

/* Land what was posted at or before @stamp, oldest first. */
static void sim_posted_land_until(struct novamm_sim *sim, u64 stamp)
{
	struct sim_posted *p, *tmp;

	list_for_each_entry_safe(p, tmp, &sim->posted, node) {
		if (p->stamp > stamp)
			break;
		sim_posted_land(sim, p);
	}
}

/**
 * novamm_sim_access() - one more access reaches the GPU
 * @sim: the simulated GPU, lock held
 *
 * Ticks the posted-write clock: every BAR0 access and every BAR1 piece
 * calls it before it does anything else, and the writes posted
 * ``posted_depth`` accesses ago land now, ahead of it.
 *
 * Context: sim->lock held.
 */
void novamm_sim_access(struct novamm_sim *sim)
{
	u32 depth = sim->models.posted_depth;

	lockdep_assert_held(&sim->lock);
	sim->accesses++;
	if (sim->num_posted && sim->accesses > depth)
		sim_posted_land_until(sim, sim->accesses - depth - 1);
}

/**
 * novamm_sim_posted_drain() - land every posted write
 * @sim: the simulated GPU, lock held
 * @by_read: a PRAMIN or BAR1 read, or a CPU mapping of BAR1, is the cause:
 *	counted in ``read_flushes`` when it lands anything
 *
 * Context: sim->lock held.
 */
void novamm_sim_posted_drain(struct novamm_sim *sim, bool by_read)
{
	lockdep_assert_held(&sim->lock);
	if (!sim->num_posted)
		return;
	sim->cnt.read_flushes += by_read;
	sim_posted_land_until(sim, U64_MAX);
}

/**
 * novamm_sim_post_write() - a write through PRAMIN or BAR1
 * @sim: the simulated GPU, lock held
 * @addr: the VRAM address it goes to
 * @buf: the bytes
 * @len: how many, at most a page
 *
 * Queues the write, unless the ``posted_writes`` model is off or there is
 * no memory to hold it, when it lands at once instead: a write is never
 * lost for want of a queue entry.
 *
 * Context: sim->lock held.
 * Return: 0, or the error of a write that landed at once
 * (novamm_sim_vram_land()).
 */
int novamm_sim_post_write(struct novamm_sim *sim, u64 addr, const void *buf,
			  size_t len)
{
	struct sim_posted *p = NULL;

	lockdep_assert_held(&sim->lock);
	if (sim->models.posted_writes && sim->models.posted_depth)
		p = sim_posted_get(sim, len);
	if (!p)
		return novamm_sim_vram_land(sim, addr, buf, len);
	p->addr = addr;
	p->stamp = sim->accesses;
	p->len = len;
	memcpy(p->data, buf, len);
	list_add_tail(&p->node, &sim->posted);
	sim->num_posted++;
	sim->cnt.posted_writes++;
	return 0;
}

/* The part of [addr, addr + len) that @p covers, as offsets into each. */
static bool sim_posted_overlap(const struct sim_posted *p, u64 addr, size_t len,
			       size_t *in_buf, size_t *in_p, size_t *n)
{
	u64 lo = max(addr, p->addr), hi = min(addr + len, p->addr + p->len);

	if (lo >= hi)
		return false;
	*in_buf = lo - addr;
	*in_p = lo - p->addr;
	*n = hi - lo;
	return true;
}

/**
 * novamm_sim_posted_overlay() - what VRAM will hold once the queue drains
 * @sim: the simulated GPU, lock held
 * @addr: VRAM address
 * @buf: VRAM's bytes as read, overlaid with the queued ones in order
 * @len: bytes
 *
 * Context: sim->lock held.
 */
void novamm_sim_posted_overlay(struct novamm_sim *sim, u64 addr, void *buf,
			       size_t len)
{
	size_t in_buf, in_p, n;
	struct sim_posted *p;

	lockdep_assert_held(&sim->lock);
	list_for_each_entry(p, &sim->posted, node)
		if (sim_posted_overlap(p, addr, len, &in_buf, &in_p, &n))
			memcpy((u8 *)buf + in_buf, p->data + in_p, n);
}

/**
 * novamm_sim_posted_patch() - a direct write overtakes the queue
 * @sim: the simulated GPU, lock held
 * @addr: VRAM address
 * @buf: the bytes written
 * @len: bytes
 *
 * Queued bytes it covers take its value, so that it stays the newest.
 *
 * Context: sim->lock held.
 */
void novamm_sim_posted_patch(struct novamm_sim *sim, u64 addr, const void *buf,
			     size_t len)
{
	size_t in_buf, in_p, n;
	struct sim_posted *p;

	lockdep_assert_held(&sim->lock);
	list_for_each_entry(p, &sim->posted, node)
		if (sim_posted_overlap(p, addr, len, &in_buf, &in_p, &n))
			memcpy(p->data + in_p, (const u8 *)buf + in_buf, n);
}

/**
 * novamm_sim_posted_free() - drop the queue without landing it
 * @sim: the simulated GPU, being destroyed
 *
 * Landing would write VRAM that is about to be freed, and count protected
 * writes no one will read. The spare entries go too.
 *
 * Context: sim->lock held, or no one else able to reach @sim.
 */
void novamm_sim_posted_free(struct novamm_sim *sim)
{
	struct sim_posted *p, *tmp;
	unsigned int c;

	list_for_each_entry_safe(p, tmp, &sim->posted, node) {
		list_del(&p->node);
		kfree(p);
	}
	sim->num_posted = 0;
	for (c = 0; c < SIM_POSTED_CLASSES; c++) {
		list_for_each_entry_safe(p, tmp, &sim->posted_spare[c], node) {
			list_del(&p->node);
			kfree(p);
		}
		sim->num_spare[c] = 0;
	}
}

/**
 * DOC: FB flush registers
 *
 * - Turing to Ada, ``NV_UFLUSH_FB_FLUSH`` (0x070000, OGKM gm107
 *   ``dev_flush.h``; fields from NVIDIA's nvgpu ``hw_flush_tu104.h``): a
 *   write with ``PENDING`` (bit 0) starts a flush, which reads ``PENDING``
 *   and ``OUTSTANDING`` (bit 1) set for ``flush_polls`` reads (1 by
 *   default) and completes on the read after; a write while one is
 *   pending is dropped.
 * - GH100 and GB20x, ``NV_XAL_EP_ZB_UFLUSH_FB_FLUSH`` (0x10f800, OGKM
 *   gh100 ``dev_nv_xal_ep_zb.h``, XAL base 0x10f000 from
 *   ``hwproject.h``): a read starts a flush and returns its token (30:0);
 *   ``..._FB_FLUSH_COMPLETED`` (0x10f804) reads ``STATUS`` (31) busy and
 *   the previous token for ``flush_polls`` reads, then idle and the token
 *   (``kbusSendSysmembarSingle_GH100``). A read while one is pending
 *   extends it to what was posted before that read. Both are read-only.
 * - GB10x: no flush register (RM flushes through GSP-RM, and the published
 *   GB100 header has none); only a read, or the depth, lands posted
 *   writes.
 *
 * ``fb_flushes`` counts the flushes completed.
 */

/*
 * A flush request: it lands what was posted before it started. A UFLUSH
 * trigger while one is pending is dropped, the stricter reading of a
 * PENDING bit already set; an XAL read always takes a new token, which
 * completes after the older ones, so it extends the pending flush.
 */
static void sim_flush_start(struct novamm_sim *sim, bool extend)
{
	struct sim_pending *f = &sim->flush;

	if (f->active && !extend)
		return;
	f->addr = sim->accesses;
	if (f->active)
		return;
	f->active = true;
	f->polls = sim->inject.flush_polls;
}

/* One status read: busy while polls are left, then the flush completes. */
static bool sim_flush_busy(struct novamm_sim *sim)
{
	enum sim_poll_result r = novamm_sim_poll(&sim->flush);

	if (r == SIM_DONE) {
		sim->cnt.fb_flushes++;
		sim_posted_land_until(sim, sim->flush.addr);
		sim->flush_completed = sim->flush_token;
	}
	return r == SIM_BUSY;
}

/**
 * novamm_sim_flush_rd32() - read a flush register
 * @sim: the simulated GPU, lock held
 * @offset: BAR0 offset
 * @hit: set when the register is this chip's
 *
 * Context: sim->lock held.
 * Return: the register's value (a read may start a flush or complete
 * one); 0 when @hit is cleared.
 */
u32 novamm_sim_flush_rd32(struct novamm_sim *sim, u32 offset, bool *hit)
{
	u32 token;

	lockdep_assert_held(&sim->lock);
	*hit = true;
	if (sim->chip->flush == SIM_FLUSH_UFLUSH && offset == SIM_UFLUSH_FB_FLUSH)
		return sim_flush_busy(sim) ?
		       SIM_UFLUSH_FB_FLUSH_PENDING | SIM_UFLUSH_FB_FLUSH_OUTSTANDING : 0;
	if (sim->chip->flush == SIM_FLUSH_XAL && offset == SIM_XAL_EP_ZB_UFLUSH_FB_FLUSH) {
		/* The read is the trigger; it returns the flush's token. */
		token = (sim->flush_token + 1) & SIM_XAL_FB_FLUSH_TOKEN;
		sim->flush_token = token;
		sim_flush_start(sim, true);
		return token;
	}
	if (sim->chip->flush == SIM_FLUSH_XAL &&
	    offset == SIM_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED) {
		if (sim_flush_busy(sim))
			return SIM_XAL_FB_FLUSH_COMPLETED_STATUS_BUSY |
			       ((sim->flush_token - 1) & SIM_XAL_FB_FLUSH_COMPLETED_TOKEN);
		return sim->flush_completed;
	}
	*hit = false;
	return 0;
}

/**
 * novamm_sim_flush_wr32() - write a flush register
 * @sim: the simulated GPU, lock held
 * @offset: BAR0 offset
 * @val: the value
 *
 * Context: sim->lock held.
 * Return: true when the register is this chip's (a write to the read-only
 * XAL pair is taken and ignored).
 */
bool novamm_sim_flush_wr32(struct novamm_sim *sim, u32 offset, u32 val)
{
	lockdep_assert_held(&sim->lock);
	if (sim->chip->flush == SIM_FLUSH_UFLUSH && offset == SIM_UFLUSH_FB_FLUSH) {
		if (val & SIM_UFLUSH_FB_FLUSH_PENDING)
			sim_flush_start(sim, false);
		return true;
	}
	/* The XAL pair is read-only. */
	return sim->chip->flush == SIM_FLUSH_XAL &&
	       (offset == SIM_XAL_EP_ZB_UFLUSH_FB_FLUSH ||
		offset == SIM_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED);
}
