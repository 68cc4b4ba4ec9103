// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR1 of a simulated GPU, and the fault log.
 */

/**
 * DOC: Locking
 *
 * The functions exported to tests take ``sim->lock``, but for
 * novamm_sim_fault_name(), which needs none; the rest is called with it
 * held (lockdep-asserted where an access reaches the MMU or VRAM).
 */

/**
 * DOC: BAR1 accesses
 *
 * A BAR1 offset is a virtual address in the address space of the instance
 * block bound through the BAR1 block register (vm.c), translated by the
 * simulated MMU and the hub TLB (mmu.c); in physical mode the offset is
 * the VRAM address itself. An access is split at 4 KiB boundaries and
 * each piece translated. A piece that faults reads as all ones, drops its
 * writes, is counted in ``bar1_faults`` and is recorded in the fault log:
 * the offset, read or write, and the reason (``unbound``,
 * ``outside-bar1``, ``va-range``, ``no-pde``, ``no-pte``,
 * ``bad-aperture``, ``bad-address``, ``read-only``, ``privilege``). The
 * log keeps the last 64 faults and counts all of them. A sparse page
 * reads as zero and drops writes without a fault. BAR1 accesses are
 * unprivileged. Writes are posted, and a read lands them after its own
 * translation (flush.c).
 *
 * A CPU mapping of BAR1 is served a page at a time by the ``bar1_page``
 * op: the offset is translated and faults are logged as for an access,
 * and the host page behind the VRAM it maps is handed out, after the
 * posted writes have landed.
 */

/**
 * DOC: Bus transactions
 *
 * ``bus_writes`` counts the write transactions the PCIe link carries to
 * the GPU. A BAR0 write is one: registers and the PRAMIN window are
 * mapped uncached, and each 32-bit store goes out alone.
 *
 * BAR1 is mapped write-combined, and a write through it is the PCI
 * backend's, a memcpy_toio() in ascending addresses followed by a fence
 * (wmb()): each write op starts and ends with the CPU's write-combining
 * buffers empty. Within it the sim models the x86 buffers as the Intel
 * SDM describes them (Vol. 3A, "Buffering of Write Combining Memory
 * Locations"): stores collect in a buffer per aligned 64-byte line; a
 * line written whole goes out as one burst; a line the write covers only
 * in part goes out, when the write moves to the next line or the fence
 * comes, as partial writes, one per 8-byte chunk holding a written byte.
 * The manual leaves the eviction protocol to the implementation, and a
 * core may send a partial line in fewer transactions; counting a chunk
 * each is the stricter reading. So a 4 KiB-aligned 4 KiB write is 64
 * transactions, 8 bytes at offset 4 are two, and 64 bytes at offset 32
 * are eight. A write's transactions are counted whether or not its pieces
 * translate: the CPU sends them either way.
 *
 * Reads are not counted here (``mmio_reads``, ``bar1_reads``), nor the
 * CPU's stores into pages of a mapping of BAR1, which on the sim are
 * host memory the CPU writes directly.
 */
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "internal.h"

/* The write-combining buffer's line, and the chunk a partial line leaves in. */
#define SIM_WC_LINE	64
#define SIM_WC_CHUNK	8

/* Partial writes for bytes [lo, hi) of one line. */
static u64 sim_wc_partial(u64 lo, u64 hi)
{
	return (ALIGN(hi, SIM_WC_CHUNK) - ALIGN_DOWN(lo, SIM_WC_CHUNK)) / SIM_WC_CHUNK;
}

/* Bus transactions of one write-combined copy of @len bytes at @offset. */
static u64 sim_wc_transactions(u64 offset, u64 len)
{
	u64 end = offset + len;
	u64 head = ALIGN(offset, SIM_WC_LINE), tail = ALIGN_DOWN(end, SIM_WC_LINE);

	if (!len)
		return 0;
	if (head > tail)
		return sim_wc_partial(offset, end);
	return (offset < head ? sim_wc_partial(offset, head) : 0) +
	       (tail - head) / SIM_WC_LINE +
	       (tail < end ? sim_wc_partial(tail, end) : 0);
}

/**
 * novamm_sim_fault_log() - record a fault in the fault log
 * @sim: the simulated GPU
 * @va: the faulting address (the BAR1 offset)
 * @access: NOVAMM_SIM_ACCESS_* flags of the access
 * @reason: why it faulted
 *
 * The oldest entry makes room once SIM_FAULT_LOG_SIZE are kept; the count
 * goes on. The caller counts the fault in ``bar1_faults`` itself.
 *
 * Context: sim->lock held.
 */
void novamm_sim_fault_log(struct novamm_sim *sim, u64 va, unsigned int access,
			  enum novamm_sim_fault_reason reason)
{
	struct novamm_sim_fault *f = &sim->faults[sim->fault_count % SIM_FAULT_LOG_SIZE];

	f->va = va;
	f->access = access;
	f->reason = reason;
	sim->fault_count++;
}

/* Translate one BAR1 offset; false (logged) when it faults. */
static bool sim_bar1_translate(struct novamm_sim *sim, u64 offset,
			       unsigned int access,
			       struct novamm_sim_translation *t)
{
	const struct novamm_sim_bar1_state *st = &sim->bar1;

	memset(t, 0, sizeof(*t));
	if (offset >= sim->bar1_size) {
		t->fault = NOVAMM_SIM_FAULT_OUTSIDE_BAR1;
	} else if (!st->bound) {
		t->fault = NOVAMM_SIM_FAULT_UNBOUND;
	} else if (!st->virtual_mode) {
		t->pa = offset;
		t->page_size = SZ_4K;
		if (offset >= sim->vram_size)
			t->fault = NOVAMM_SIM_FAULT_BAD_ADDRESS;
	} else {
		novamm_sim_translate_locked(sim, SIM_TLB_HUB, st->pdb, offset, access, t);
	}
	if (!t->fault)
		return true;
	sim->cnt.bar1_faults++;
	novamm_sim_fault_log(sim, offset, access, t->fault);
	return false;
}

static void sim_bar1_access(struct novamm_sim *sim, u64 offset, u8 *buf,
			    size_t len, bool write)
{
	unsigned int access = write ? NOVAMM_SIM_ACCESS_WRITE : 0;
	struct novamm_sim_translation t;

	lockdep_assert_held(&sim->lock);
	while (len) {
		size_t n = min_t(u64, len, SZ_4K - (offset & (SZ_4K - 1)));
		int ret;

		novamm_sim_access(sim);
		if (!sim_bar1_translate(sim, offset, access, &t)) {
			if (!write)
				memset(buf, 0xff, n);
			goto next;
		}
		if (t.sparse) {
			if (!write)
				memset(buf, 0, n);
			goto next;
		}
		/* Translated first: the walk does not see what the read lands. */
		if (write) {
			ret = t.pa > sim->vram_size - n ? -ERANGE :
			      novamm_sim_post_write(sim, t.pa, buf, n);
		} else {
			novamm_sim_posted_drain(sim, true);
			ret = novamm_sim_vram_access(sim, t.pa, buf, n, false);
		}
		if (ret) {
			/* Past the end of VRAM inside a mapped page. */
			sim->cnt.bar1_faults++;
			novamm_sim_fault_log(sim, offset, access,
					     NOVAMM_SIM_FAULT_BAD_ADDRESS);
			if (!write)
				memset(buf, 0xff, n);
		}
next:
		buf += n;
		offset += n;
		len -= n;
	}
}

/**
 * novamm_sim_bar1_read_locked() - read through BAR1, as the driver's op does
 * @sim: the simulated GPU
 * @offset: BAR1 offset
 * @buf: filled with @len bytes
 * @len: bytes, any alignment
 *
 * Every call counts in ``bar1_reads``. A GPU that is gone reads all ones,
 * as PCI does, and walks nothing.
 *
 * Context: sim->lock held.
 */
void novamm_sim_bar1_read_locked(struct novamm_sim *sim, u64 offset,
				 void *buf, size_t len)
{
	sim->cnt.bar1_reads++;
	if (sim->inject.gone)
		memset(buf, 0xff, len);
	else
		sim_bar1_access(sim, offset, buf, len, false);
}

/**
 * novamm_sim_bar1_write_locked() - write through BAR1, as the driver's op does
 * @sim: the simulated GPU
 * @offset: BAR1 offset
 * @buf: the bytes
 * @len: how many, any alignment
 *
 * Every call counts in ``bar1_writes``, and its transactions in
 * ``bus_writes``; the pieces that translate are posted. A GPU that is
 * gone drops the write.
 *
 * Context: sim->lock held.
 */
void novamm_sim_bar1_write_locked(struct novamm_sim *sim, u64 offset,
				  const void *buf, size_t len)
{
	sim->cnt.bar1_writes++;
	sim->cnt.bus_writes += sim_wc_transactions(offset, len);
	if (!sim->inject.gone)
		sim_bar1_access(sim, offset, (u8 *)buf, len, true);
}

/**
 * novamm_sim_bar1_page_locked() - the VRAM page a CPU mapping of BAR1 shows
 * @sim: the simulated GPU, lock held
 * @offset: BAR1 offset, page aligned
 * @write: the CPU wants to write
 *
 * A CPU mapping of BAR1 sees, page by page, what an access through BAR1
 * would: the offset is translated by the MMU and TLB as a BAR1 access is,
 * and a translation that faults is logged the same way. Only 4 KiB host
 * pages line up with GPU pages.
 *
 * Every call counts in ``bar1_mmap_faults``. A writable page of
 * protected VRAM counts as a protected write (vram.c).
 *
 * Context: sim->lock held.
 * Return: the host page holding the VRAM the offset maps to;
 * ERR_PTR(-EFAULT) when the access faults (or maps sparse memory, which
 * has no page); -EIO when the GPU is gone; -EOPNOTSUPP with pages larger
 * than 4 KiB; -ENOMEM.
 */
struct page *novamm_sim_bar1_page_locked(struct novamm_sim *sim, u64 offset,
					 bool write)
{
	unsigned int access = write ? NOVAMM_SIM_ACCESS_WRITE : 0;
	struct novamm_sim_translation t;
	struct page *page;

	lockdep_assert_held(&sim->lock);
	if (PAGE_SIZE != SZ_4K)
		return ERR_PTR(-EOPNOTSUPP);
	sim->cnt.bar1_mmap_faults++;
	novamm_sim_access(sim);
	if (sim->inject.gone)
		return ERR_PTR(-EIO);
	if (!sim_bar1_translate(sim, offset, access, &t))
		return ERR_PTR(-EFAULT);
	if (t.sparse)
		return ERR_PTR(-EFAULT);
	if (t.pa >= sim->vram_size) {
		/* Past the end of VRAM inside a mapped page, as sim_bar1_access(). */
		sim->cnt.bar1_faults++;
		novamm_sim_fault_log(sim, offset, access, NOVAMM_SIM_FAULT_BAD_ADDRESS);
		return ERR_PTR(-EFAULT);
	}
	/* The CPU reads and writes the page itself: nothing posted may land on it later. */
	novamm_sim_posted_drain(sim, true);
	if (write)
		novamm_sim_watch_cpu_page(sim, t.pa & PAGE_MASK);
	page = novamm_sim_vram_page(sim, t.pa & PAGE_MASK);
	return page ? page : ERR_PTR(-ENOMEM);
}

/**
 * novamm_sim_faults() - read the fault log
 * @sim: the simulated GPU
 * @out: filled with the logged faults, oldest first
 * @max: room in @out
 *
 * Context: Process context; takes sim->lock.
 * Return: faults since the log was last cleared; only the last
 * SIM_FAULT_LOG_SIZE (64) of them are kept.
 */
unsigned int novamm_sim_faults(struct novamm_sim *sim,
			       struct novamm_sim_fault *out, unsigned int max)
{
	unsigned int n;

	mutex_lock(&sim->lock);
	n = novamm_sim_ring_copy(out, sim->faults, sizeof(*out), ARRAY_SIZE(sim->faults),
				 sim->fault_count, max);
	mutex_unlock(&sim->lock);
	return n;
}
EXPORT_SYMBOL_GPL(novamm_sim_faults);

/**
 * novamm_sim_clear_faults() - empty the fault log
 * @sim: the simulated GPU
 *
 * The log and its count go back to none, which the driver's bar1_faults
 * op reports from then on; the ``bar1_faults`` counter is left alone.
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_clear_faults(struct novamm_sim *sim)
{
	mutex_lock(&sim->lock);
	sim->fault_count = 0;
	memset(sim->faults, 0, sizeof(sim->faults));
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_clear_faults);

/**
 * novamm_sim_bar1_state() - what BAR1 is bound to
 * @sim: the simulated GPU
 * @out: filled with the binding as the latest completed bind left it,
 *	GSP-RM's at boot included
 *
 * A bind still pending does not show: BAR1 translates through the old
 * binding until it completes.
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_bar1_state(struct novamm_sim *sim,
			   struct novamm_sim_bar1_state *out)
{
	mutex_lock(&sim->lock);
	*out = sim->bar1;
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_bar1_state);

/**
 * novamm_sim_fault_name() - a fault reason as the fault log prints it
 * @reason: the reason
 *
 * Context: Any.
 * Return: a static string ("no-pte"); "?" for a value outside the enum.
 */
const char *novamm_sim_fault_name(enum novamm_sim_fault_reason reason)
{
	static const char * const names[] = {
		[NOVAMM_SIM_FAULT_NONE] = "none",
		[NOVAMM_SIM_FAULT_UNBOUND] = "unbound",
		[NOVAMM_SIM_FAULT_OUTSIDE_BAR1] = "outside-bar1",
		[NOVAMM_SIM_FAULT_VA_RANGE] = "va-range",
		[NOVAMM_SIM_FAULT_NO_PDE] = "no-pde",
		[NOVAMM_SIM_FAULT_NO_PTE] = "no-pte",
		[NOVAMM_SIM_FAULT_BAD_APERTURE] = "bad-aperture",
		[NOVAMM_SIM_FAULT_BAD_ADDRESS] = "bad-address",
		[NOVAMM_SIM_FAULT_READ_ONLY] = "read-only",
		[NOVAMM_SIM_FAULT_PRIVILEGE] = "privilege",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "?";
}
EXPORT_SYMBOL_GPL(novamm_sim_fault_name);
