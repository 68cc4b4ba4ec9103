// SPDX-License-Identifier: GPL-2.0-only
/*
 * Posted writes and the FB flush.
 *
 * A write through the PRAMIN window or BAR1 does not reach VRAM when the
 * access completes: it is posted, and lands later. RM flushes before every
 * TLB invalidate ("NOTE: Must call kbusFlush BEFORE any calls to
 * busInvalidate", kbusFlush_GM107 in OGKM .../bus/arch/maxwell/
 * kern_bus_gm107.c), because an invalidate can overtake the page-table
 * writes and the walk that refills the TLB then reads the old entries.
 *
 * The sim keeps such writes in a queue, in order. The MMU's walks and a
 * bind's read of its instance block read VRAM without looking at the
 * queue. The queue drains:
 *
 * - on the generation's FB flush, once the driver has seen it complete:
 *   NV_UFLUSH_FB_FLUSH (write PENDING, busy while PENDING or OUTSTANDING)
 *   up to Ada, the XAL token pair from GH100 on (regs.h). A flush lands
 *   what was posted before it was started;
 * - on a read through the PRAMIN window or BAR1, before the read's data
 *   is fetched (RM's flush-by-read: "Read the PRAMIN pseudo-bar0-register
 *   window to flush writes in it to FB", kbusFlushSingle_GM107; PRAMIN
 *   accesses take the BAR1 path inside the GPU, so one queue serves
 *   both). A BAR1 read is translated first, so the walk still sees the
 *   old tables;
 * - by itself: a write lands once models.posted_depth further accesses
 *   (BAR0 accesses of any register, BAR1 pieces) have gone by, the
 *   bounded buffering of real hardware. No source gives that depth; the
 *   default of 64 keeps every write of a small update in the queue until
 *   a flush, which is the strict reading.
 *
 * No other register access drains it. Tests' direct VRAM reads see the
 * queue's bytes over VRAM's (what VRAM will hold) without draining it;
 * their direct writes land at once and overwrite the queued bytes they
 * cover, being the newest.
 *
 * Locking: called with sim->lock held (lockdep-asserted).
 */
#include <linux/bitfield.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "regs.h"

/**
 * struct sim_posted - one write the GPU has taken but not landed
 * @node: on sim->posted, oldest first
 * @addr: VRAM address
 * @stamp: sim->accesses when it was posted
 * @len: bytes
 * @data: the bytes
 */
struct sim_posted {
	struct list_head node;
	u64 addr;
	u64 stamp;
	u32 len;
	u8 data[];
};

static void sim_posted_land(struct novamm_sim *sim, struct sim_posted *p)
{
	list_del(&p->node);
	sim->num_posted--;
	novamm_sim_vram_land(sim, p->addr, p->data, p->len);
	kfree(p);
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
 * Writes posted posted_depth accesses ago land now.
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
 * @by_read: a PRAMIN or BAR1 read is the cause, for the counters
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
 * Return: 0, or the error of a write that landed at once (no posting:
 * the model is off, or no memory to hold it).
 */
int novamm_sim_post_write(struct novamm_sim *sim, u64 addr, const void *buf,
			  size_t len)
{
	struct sim_posted *p = NULL;

	lockdep_assert_held(&sim->lock);
	if (sim->models.posted_writes && sim->models.posted_depth)
		p = kmalloc(struct_size(p, data, len), SIM_GFP_MMIO);
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

/* Drop the queue without landing it: the sim is going away. */
void novamm_sim_posted_free(struct novamm_sim *sim)
{
	struct sim_posted *p, *tmp;

	list_for_each_entry_safe(p, tmp, &sim->posted, node) {
		list_del(&p->node);
		kfree(p);
	}
	sim->num_posted = 0;
}

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
 * Return: true when the register is this chip's.
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
