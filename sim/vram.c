// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated VRAM: sparse host pages, bad VRAM and the protected-VRAM watch.
 */

/**
 * DOC: Locking
 *
 * The functions exported to tests take ``sim->lock``; the rest are called
 * with it held (lockdep-asserted), but for novamm_sim_vram_free(), which
 * runs when nothing can reach the sim any more. The xarray's own spinlock
 * nests inside it.
 */

/**
 * DOC: Sparse VRAM
 *
 * Host pages are allocated on the first write to them (or when a CPU
 * mapping of BAR1 is handed one), so a 24 GiB device costs only what was
 * written. Memory never written reads as the ``vram_fill`` byte (0 by
 * default; set it to make a driver that forgets to clear memory fail
 * visibly, as the clearing tests do). Writing that byte to a page never
 * written allocates nothing: a read could not tell the difference, and
 * clearing gigabytes costs no host memory. Every write of the GPU's
 * (through PRAMIN or BAR1) lands through novamm_sim_vram_land(), where
 * the protected-VRAM watch looks.
 *
 * A real BAR1 is one physically contiguous range, so a CPU mapping of it
 * can take 2 MiB page-table entries. The host pages behind a sim's BAR1
 * are VRAM's, one by one, and almost never contiguous. A device created
 * with ``vram_huge`` gets, on the first write to a 2 MiB block of VRAM,
 * one naturally aligned 2 MiB block of host memory for all of it (split
 * into pages, so that each is looked up and freed as before): where BAR1
 * maps 2 MiB of VRAM that is contiguous and 2 MiB aligned, the pages a CPU
 * mapping is handed are contiguous too. That costs 2 MiB of host memory
 * per block touched, so it is off by default. A block whose host memory
 * cannot be had in one piece, or one left partly backed by page, falls
 * back to pages of its own, as without ``vram_huge``.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "internal.h"

/* The block of VRAM that gets one piece of host memory with vram_huge. */
#define SIM_VRAM_HUGE_ORDER	get_order(SZ_2M)
#define SIM_VRAM_HUGE_PAGES	(SZ_2M >> PAGE_SHIFT)

/* vram_huge's block around @pfn, or NULL to take a page of its own. */
static struct page *sim_vram_huge(struct novamm_sim *sim, pgoff_t pfn)
{
	pgoff_t first = ALIGN_DOWN(pfn, SIM_VRAM_HUGE_PAGES), idx = first, i;
	struct page *page;
	int ret = 0;

	if ((first + SIM_VRAM_HUGE_PAGES) << PAGE_SHIFT > sim->vram_size ||
	    xa_find(&sim->vram, &idx, first + SIM_VRAM_HUGE_PAGES - 1, XA_PRESENT))
		return NULL;
	page = alloc_pages(SIM_GFP_MMIO | __GFP_NOWARN, SIM_VRAM_HUGE_ORDER);
	if (!page)
		return NULL;
	split_page(page, SIM_VRAM_HUGE_ORDER);
	for (i = 0; i < SIM_VRAM_HUGE_PAGES && !ret; i++) {
		memset_page(page + i, 0, sim->vram_fill, PAGE_SIZE);
		ret = xa_err(xa_store(&sim->vram, first + i, page + i, SIM_GFP_MMIO));
	}
	if (ret) {
		for (i = 0; i < SIM_VRAM_HUGE_PAGES; i++) {
			xa_erase(&sim->vram, first + i);
			__free_page(page + i);
		}
		return NULL;
	}
	sim->cnt.vram_pages += SIM_VRAM_HUGE_PAGES;
	return page + (pfn - first);
}

static struct page *sim_vram_page(struct novamm_sim *sim, pgoff_t pfn)
{
	struct page *page;
	int ret;

	if (sim->vram_huge) {
		page = sim_vram_huge(sim, pfn);
		if (page)
			return page;
	}
	page = alloc_page(SIM_GFP_MMIO);
	if (!page)
		return NULL;
	memset_page(page, 0, sim->vram_fill, PAGE_SIZE);
	ret = xa_err(xa_store(&sim->vram, pfn, page, SIM_GFP_MMIO));
	if (ret) {
		__free_page(page);
		return NULL;
	}
	sim->cnt.vram_pages++;
	return page;
}

/**
 * novamm_sim_vram_page() - the host page behind a VRAM page
 * @sim: the simulated GPU
 * @addr: VRAM address, page aligned
 *
 * What a CPU mapping of BAR1 is handed: once handed out, the page is
 * VRAM, and the CPU's stores to it are what the sim later reads.
 *
 * Context: sim->lock held.
 * Return: the page, allocated (filled with the fill byte) if never
 * written; NULL beyond VRAM, for an address not page aligned, or when no
 * page could be allocated. The page lives until the sim is destroyed.
 */
struct page *novamm_sim_vram_page(struct novamm_sim *sim, u64 addr)
{
	struct page *page;

	lockdep_assert_held(&sim->lock);
	if (addr >= sim->vram_size || !PAGE_ALIGNED(addr))
		return NULL;
	page = xa_load(&sim->vram, addr >> PAGE_SHIFT);
	return page ? page : sim_vram_page(sim, addr >> PAGE_SHIFT);
}

/**
 * DOC: Bad VRAM
 *
 * ``bad_vram ADDR SIZE STUCK`` in ``inject`` (or ``bad_vram_addr``,
 * ``bad_vram_size`` and ``bad_vram_stuck`` of &struct novamm_sim_inject)
 * makes the bits of ``STUCK`` read as one in every little-endian 32-bit
 * word of ``[ADDR, ADDR + SIZE)``, whatever was written, for every reader:
 * the MMU, PRAMIN, BAR1, a bind's read of its instance block and tests'
 * direct reads (not a CPU mapping's loads, which go to host memory, nor
 * the bytes a direct read finds still posted). A size of 0 mends it; a
 * range that does not lie inside VRAM is refused.
 */
static void sim_vram_stuck(const struct novamm_sim *sim, u64 addr, u8 *p, size_t len)
{
	const struct novamm_sim_inject *inj = &sim->inject;
	u64 lo = max(addr, inj->bad_vram_addr);
	u64 hi = min(addr + len, inj->bad_vram_addr + inj->bad_vram_size);

	for (; lo < hi; lo++)
		p[lo - addr] |= inj->bad_vram_stuck >> (8 * (lo & 3));
}

/**
 * novamm_sim_vram_access() - copy between a buffer and simulated VRAM
 * @sim: the simulated GPU
 * @addr: VRAM byte address
 * @buf: source or destination
 * @len: bytes
 * @write: direction
 *
 * The copy itself, past the posted-write queue and the protected-VRAM
 * watch: every read of VRAM ends here (after whatever drain its path
 * makes), and so do the sim's own GSP writes and tests' direct writes. A
 * read sees the fill byte where nothing was written and the stuck bits of
 * bad VRAM; a write of the fill byte to a page never written allocates
 * nothing.
 *
 * Context: sim->lock held.
 * Return: 0, -ERANGE, with nothing copied, when the range reaches beyond
 * the end of VRAM, -ENOMEM when a page to write could not be allocated
 * (the rest of that write is lost, as a failing DIMM's would be, and the
 * caller is told).
 */
int novamm_sim_vram_access(struct novamm_sim *sim, u64 addr, void *buf,
			   size_t len, bool write)
{
	u8 *p = buf;

	lockdep_assert_held(&sim->lock);
	if (addr > sim->vram_size || len > sim->vram_size - addr)
		return -ERANGE;

	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		pgoff_t pfn = addr >> PAGE_SHIFT;
		struct page *page = xa_load(&sim->vram, pfn);

		if (write) {
			/*
			 * A page never written already reads as the fill byte:
			 * writing that changes nothing a read can see, so a
			 * cleared 24 GiB costs no host memory.
			 */
			if (!page && !memchr_inv(p, sim->vram_fill, n))
				goto next;
			if (!page)
				page = sim_vram_page(sim, pfn);
			if (!page)
				return -ENOMEM;
			memcpy_to_page(page, off, p, n);
		} else if (page) {
			memcpy_from_page(p, page, off, n);
		} else {
			memset(p, sim->vram_fill, n);
		}
		if (!write && sim->inject.bad_vram_size)
			sim_vram_stuck(sim, addr, p, n);
next:
		p += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/**
 * DOC: Protected VRAM
 *
 * The sim knows what it reported as not the driver's: with GSP-RM, every
 * region of its static info marked reserved or protected (GSP-RM's
 * structures live there: its BAR1 instance block, its BAR2 directory),
 * less the root entries of the BAR1 directory it hands over that cover
 * BAR1 (one 8-byte entry for a BAR1 of 256 MiB); without GSP-RM, the
 * firmware's VRAM at both ends, the first 256 KiB (the VGA memory nouveau
 * keeps back, ``rsvd_head`` in ``nvkm/subdev/fb/ramgp102.c``) and the
 * last 2 MiB (the VGA workspace and FRTS of nova-core's ``fb.rs``, 1 MiB
 * each).
 *
 * Every write that lands there is counted (``protected_writes``), logged
 * with its address and length in a log of the last 16, and reported in a
 * rate-limited kernel line, whether it came through PRAMIN or BAR1,
 * posted or not; a CPU mapping of BAR1 handed a writable page there
 * counts too, since the sim cannot see the CPU's stores. The sim's own
 * GSP writes and tests' direct writes are not counted.
 * novamm_sim_protected_writes() reads the log (it is cleared only by
 * novamm_sim_clear_protected_writes(), not by a counter reset), and
 * ``protected`` in debugfs shows the ranges, the writable hole and the
 * log.
 */

/*
 * The firmware's VRAM on a GPU without GSP-RM: nouveau keeps the first
 * 256 KiB ("vga memory") and the last 1 MiB ("vbios etc") out of its
 * allocator (nvkm/subdev/fb/ramgp102.c, rsvd_head and rsvd_tail), and
 * nova-core places the VGA workspace in the last 1 MiB and FRTS in the
 * 1 MiB below it (fb.rs): the union of the two.
 */
#define SIM_FW_LOW	SZ_256K
#define SIM_FW_HIGH	SZ_2M

/**
 * novamm_sim_watch_set() - what the protected-VRAM watch covers
 * @sim: the simulated GPU, lock held
 *
 * With GSP-RM, every region its static info reports reserved or
 * protected, less the root entries of the BAR1 directory it hands over
 * (those that cover BAR1); its own instance block, BAR2 directory and
 * the rest of that page stay watched. Without GSP-RM, the firmware's
 * VRAM at both ends. Called whenever what the GSP reports changes.
 *
 * Context: sim->lock held.
 */
void novamm_sim_watch_set(struct novamm_sim *sim)
{
	const struct novamm_sim_gsp_config *g = &sim->gsp;
	struct sim_watch *w = &sim->watch;
	unsigned int i;
	u64 pdb;

	lockdep_assert_held(&sim->lock);
	w->num = 0;
	w->hole = (struct sim_range){ 0, 0 };
	if (sim->inject.gsp == NOVAMM_SIM_GSP_ABSENT) {
		w->range[w->num++] = (struct sim_range){ 0, SIM_FW_LOW };
		w->range[w->num++] = (struct sim_range){ sim->vram_size - SIM_FW_HIGH,
							 sim->vram_size };
		return;
	}
	for (i = 0; i < g->num_regions && w->num < SIM_WATCH_MAX; i++)
		if ((g->regions[i].reserved || g->regions[i].protected) &&
		    g->regions[i].limit >= g->regions[i].base)
			w->range[w->num++] = (struct sim_range){ g->regions[i].base,
								 g->regions[i].limit + 1 };
	pdb = g->bar1_pde_base;
	if (pdb)
		w->hole = (struct sim_range){
			pdb, pdb + (((sim->bar1_size - 1) >> novamm_sim_root_shift(sim)) + 1) * 8
		};
}

static void sim_watch_log(struct novamm_sim *sim, u64 addr, size_t len, bool cpu)
{
	struct sim_watch *w = &sim->watch;

	w->log[w->count % SIM_PROTECTED_LOG_SIZE] =
		(struct novamm_sim_protected_write){ addr, len, cpu };
	w->count++;
	sim->cnt.protected_writes++;
	pr_notice_ratelimited("novamm_sim %u (%s): %s write of %zu bytes at 0x%llx lands in reserved or protected VRAM\n",
			      sim->serial, sim->chip->name, cpu ? "CPU mapping" : "GPU",
			      len, addr);
}

/* Whether [addr, addr + len) reaches watched VRAM outside the hole. */
static bool sim_watched(const struct sim_watch *w, u64 addr, size_t len)
{
	u64 lo, hi;
	unsigned int i;

	for (i = 0; i < w->num; i++) {
		lo = max(addr, w->range[i].start);
		hi = min(addr + len, w->range[i].end);
		if (lo >= hi)
			continue;
		if (lo < w->hole.start || hi > w->hole.end)
			return true;
	}
	return false;
}

/**
 * novamm_sim_watch_cpu_page() - a CPU mapping of BAR1 may write a page
 * @sim: the simulated GPU, lock held
 * @addr: the VRAM page handed out writable
 *
 * The sim cannot see the CPU's stores to it, so handing out a writable
 * page of protected VRAM counts as a write there.
 *
 * Context: sim->lock held.
 */
void novamm_sim_watch_cpu_page(struct novamm_sim *sim, u64 addr)
{
	lockdep_assert_held(&sim->lock);
	if (sim->models.protected_watch && sim_watched(&sim->watch, addr, PAGE_SIZE))
		sim_watch_log(sim, addr, PAGE_SIZE, true);
}

/**
 * novamm_sim_vram_land() - a write of the GPU's reaches VRAM
 * @sim: the simulated GPU, lock held
 * @addr: VRAM byte address
 * @buf: the bytes
 * @len: how many
 *
 * Where every PRAMIN and BAR1 write lands, posted or not, and where the
 * protected-VRAM watch looks; the sim's own writes (the GSP's) and tests'
 * direct ones use novamm_sim_vram_access().
 *
 * Context: sim->lock held.
 * Return: as novamm_sim_vram_access().
 */
int novamm_sim_vram_land(struct novamm_sim *sim, u64 addr, const void *buf,
			 size_t len)
{
	lockdep_assert_held(&sim->lock);
	if (sim->models.protected_watch && sim_watched(&sim->watch, addr, len))
		sim_watch_log(sim, addr, len, false);
	return novamm_sim_vram_access(sim, addr, (void *)buf, len, true);
}

/**
 * novamm_sim_protected_writes() - writes that landed in protected VRAM
 * @sim: the simulated GPU
 * @out: filled with the logged writes, oldest first
 * @max: room in @out
 *
 * Context: Process context; takes sim->lock.
 * Return: such writes since the sim was created or the log was cleared
 * (resetting the counters leaves it); only the last
 * SIM_PROTECTED_LOG_SIZE (16) are kept.
 */
unsigned int novamm_sim_protected_writes(struct novamm_sim *sim,
					 struct novamm_sim_protected_write *out,
					 unsigned int max)
{
	unsigned int n;

	mutex_lock(&sim->lock);
	n = novamm_sim_ring_copy(out, sim->watch.log, sizeof(*out),
				 ARRAY_SIZE(sim->watch.log), sim->watch.count, max);
	mutex_unlock(&sim->lock);
	return n;
}
EXPORT_SYMBOL_GPL(novamm_sim_protected_writes);

/**
 * novamm_sim_clear_protected_writes() - empty the protected-write log
 * @sim: the simulated GPU
 *
 * The only way to clear it: a test that writes protected VRAM on purpose
 * clears it before its device is checked at the end of the test. The
 * ``protected_writes`` counter is reset with the other counters.
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_clear_protected_writes(struct novamm_sim *sim)
{
	mutex_lock(&sim->lock);
	memset(sim->watch.log, 0, sizeof(sim->watch.log));
	sim->watch.count = 0;
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_clear_protected_writes);

/**
 * novamm_sim_vram_free() - give VRAM's host pages back
 * @sim: the simulated GPU, being destroyed
 *
 * Pages handed to a CPU mapping of BAR1 go too, which is why the driver
 * must be unbound, and its mappings gone, first.
 *
 * Context: Process context, with no one else able to reach @sim.
 */
void novamm_sim_vram_free(struct novamm_sim *sim)
{
	struct page *page;
	unsigned long pfn;

	xa_for_each(&sim->vram, pfn, page)
		__free_page(page);
	xa_destroy(&sim->vram);
	sim->cnt.vram_pages = 0;
}
