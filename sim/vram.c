// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sparse VRAM: host pages are allocated on the first write to them, so a
 * 24 GiB simulated GPU costs only what its driver touched. A page never
 * written reads as the configured fill byte.
 *
 * Locking: called with sim->lock held (lockdep-asserted); the xarray's own
 * spinlock nests inside it.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>

#include "internal.h"

static struct page *sim_vram_page(struct novamm_sim *sim, pgoff_t pfn)
{
	struct page *page;
	int ret;

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
 * Return: the page, allocated (filled with the fill byte) if never
 * written; NULL beyond VRAM or when no page could be allocated. The page
 * lives until the sim is destroyed.
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
 * novamm_sim_vram_access() - copy between a buffer and simulated VRAM
 * @sim: the simulated GPU
 * @addr: VRAM byte address
 * @buf: source or destination
 * @len: bytes
 * @write: direction
 *
 * Return: 0, -ERANGE beyond the end of VRAM, -ENOMEM when a page to
 * write could not be allocated (that write is lost, as a failing DIMM's
 * would be, and the caller is told).
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
		p += n;
		addr += n;
		len -= n;
	}
	return 0;
}

void novamm_sim_vram_free(struct novamm_sim *sim)
{
	struct page *page;
	unsigned long pfn;

	xa_for_each(&sim->vram, pfn, page)
		__free_page(page);
	xa_destroy(&sim->vram);
	sim->cnt.vram_pages = 0;
}
