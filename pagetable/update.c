// SPDX-License-Identifier: GPL-2.0-only
/*
 * Changing the tree: prepare the tables a range needs, write its
 * entries, commit fresh tables whole, and unmap.
 */

/**
 * DOC: Written once
 *
 * Every byte a change needs reaches VRAM once. New tables could be zeroed
 * when allocated and filled later, but that writes each of them twice: a
 * 1 GiB map in 4 KiB pages would cost four 32-bit writes per page instead
 * of two. So a table that novamm_pagetable_prepare() creates is "fresh"
 * until novamm_pagetable_commit(): its VRAM holds whatever it held,
 * nothing the GPU can reach points at it, and its entries are filled in
 * the shadow. Commit writes each fresh table once, whole, with its final
 * contents, children before parents, and only then the entry that links
 * it into a table the GPU already walks. So the GPU never sees a table
 * whose contents are not final, and no table is zeroed and then written
 * again.
 *
 * The same reasoning runs the other way at unmap: a table that a range
 * empties is unlinked with one write to its parent's entry, its own
 * entries left as they are, and it is freed after the TLB invalidate.
 *
 * The root is the exception: novamm_pagetable_init() gives it a whole
 * 4 KiB page, whatever its entries need, and zeroes all of it when the
 * tree is made, since the MMU may prefetch past the entries the VA uses.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sizes.h>

#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/pramin.h>

#include "internal.h"

/**
 * novamm_pagetable_prepare() - make sure the tables for a range exist
 * @pt: the tree
 * @va: start, aligned to the page size
 * @size: bytes, a multiple of the page size
 * @page_shift: log2 of the page size that will be mapped there
 *
 * Allocates every missing table down to the level that maps pages of that
 * size, in the shadow only: they are fresh until novamm_pagetable_commit()
 * writes them, and nothing is written to VRAM here. Once a tree is set
 * up, this is the only call that allocates, so an operation that makes
 * all its prepare calls first can fail in them without having shown the
 * GPU anything.
 *
 * Context: the caller serialises calls on @pt; takes the buddy lock when
 * the table pool grows, so the PRAMIN window's lock must not be held. May
 * sleep.
 *
 * Return: 0; -EINVAL for a page size the format does not have or a range
 * outside the VA; -EBUSY where a larger page or a sparse range is mapped;
 * -ENOSPC or -ENOMEM. On failure the tables this call created are freed
 * again, and only those: tables that existed before stay, empty or not.
 */
int novamm_pagetable_prepare(struct novamm_pagetable *pt, u64 va, u64 size,
			     unsigned int page_shift)
{
	const struct novamm_pt_level *target;
	struct novamm_pt *t;
	unsigned int which;
	u64 a, span;
	int ret;

	ret = novamm_pt_check_range(pt, va, size, page_shift, &target, &which);
	if (ret)
		return ret;
	span = pt_span(target);
	/* Never 0, which stands for "any" in novamm_pt_free_empty(). */
	pt->gen = pt->gen + 1 ? pt->gen + 1 : 1;
	for (a = va; a - va < size; a = (a | (span - 1)) + 1) {
		ret = novamm_pt_find(pt, a, target, which, true, &t);
		if (ret) {
			novamm_pt_free_empty(pt, pt->root, 0, va, va + size - 1, pt->gen);
			return ret;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_prepare);

/*
 * Write @count entries of @page_shift pages from @va: valid ones for
 * consecutive pages from @phys, or @pte's state for all. The tables must
 * exist; nothing is written unless all of them do.
 */
static int pt_write_run(struct novamm_pagetable *pt, u64 va, u64 count,
			unsigned int page_shift, const struct novamm_pte *proto)
{
	const struct novamm_pt_format *fmt = pt->fmt;
	const struct novamm_pt_level *target;
	struct novamm_pte pte = *proto;
	u64 raw[2] = {}, a, end;
	unsigned int which, idx, first, n;
	struct novamm_pt *t;
	int ret;

	if (!pt_target(fmt, page_shift, &which) || !count ||
	    count > U64_MAX >> page_shift)
		return -EINVAL;
	ret = novamm_pt_check_range(pt, va, count << page_shift, page_shift, &target,
				    &which);
	if (ret)
		return ret;
	end = va + (count << page_shift);

	/* First pass: every table exists, no table sits where a page goes. */
	for (a = va; a < end; a = (a | (pt_span(target) - 1)) + 1) {
		ret = novamm_pt_find(pt, a, target, which, false, &t);
		if (ret)
			return ret;
		if (target->leaf)
			continue;
		first = pt_index(target, a);
		n = min_t(u64, pt_entries(target) - first, (end - a) >> page_shift);
		for (idx = first; idx < first + n; idx++)
			if (!pt_entry_zero(t, idx) && !pt_dir_entry_is_page(pt, t, idx))
				return -EBUSY;
	}

	/* Second: the runs, one PRAMIN pass per table. */
	for (a = va; a < end; a += (u64)n << page_shift) {
		novamm_pt_find(pt, a, target, which, false, &t);
		first = pt_index(target, a);
		n = min_t(u64, pt_entries(target) - first, (end - a) >> page_shift);
		for (idx = first; idx < first + n; idx++) {
			if (proto->state == NOVAMM_PT_VALID)
				pte.addr = proto->addr + (a - va) +
					   ((u64)(idx - first) << page_shift);
			ret = fmt->codec->pte_encode(&pte, &raw[0]);
			if (ret)
				return ret;
			pt_store(t, idx, raw);
		}
		ret = novamm_pt_flush(pt, t, first, n);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * novamm_pagetable_map() - write PTEs for a physically contiguous run
 * @pt: the tree, with novamm_pagetable_prepare() done for the range
 * @va: first virtual address, aligned to the page size
 * @count: pages
 * @page_shift: log2 of the page size
 * @phys: address of the first page, aligned to the page size
 * @attrs: how the pages are mapped
 *
 * In a table the GPU already walks, the entries of the run go to VRAM in
 * one PRAMIN pass; in a table novamm_pagetable_prepare() just made, they
 * stay in the shadow until novamm_pagetable_commit(). Nothing is
 * allocated. Every table, and both ends of the physical range against
 * what the format can hold, are checked before anything is written, so a
 * refused call writes nothing. The TLB is not invalidated: that is the
 * caller's, once per operation.
 *
 * Context: the caller serialises calls on @pt; takes the PRAMIN window's lock
 * for each PRAMIN pass.
 *
 * Return: 0; -EINVAL for a bad range; -ERANGE for an address or attribute
 * the format cannot hold; -ENOENT where a table is missing; -EBUSY where a
 * table sits in the place of a large page; the error of a PRAMIN write,
 * after the runs before it were written.
 */
int novamm_pagetable_map(struct novamm_pagetable *pt, u64 va, u64 count,
			 unsigned int page_shift, u64 phys,
			 const struct novamm_pte_attrs *attrs)
{
	struct novamm_pte pte = { NOVAMM_PT_VALID, phys, *attrs };
	u64 raw, last;
	int ret;

	/* The first and the last page tell whether every address fits. */
	if (!novamm_pagetable_page_size_ok(pt, page_shift) ||
	    !IS_ALIGNED(phys, 1ULL << page_shift) || !count ||
	    count - 1 > U64_MAX >> page_shift ||
	    check_add_overflow(phys, (count - 1) << page_shift, &last))
		return -EINVAL;
	ret = pt->fmt->codec->pte_encode(&pte, &raw);
	if (!ret) {
		pte.addr = last;
		ret = pt->fmt->codec->pte_encode(&pte, &raw);
		pte.addr = phys;
	}
	if (ret) {
		dev_dbg(pt->pramin->hw->dev, "page table: %s cannot map [0x%llx, 0x%llx] with these attributes\n",
			pt->fmt->name, phys, last);
		return ret;
	}
	return pt_write_run(pt, va, count, page_shift, &pte);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_map);

/* Consecutive entries of one table waiting to be written together. */
struct pt_run {
	unsigned int first;
	unsigned int n;
};

/* Add entry @idx to the run if @write, else (or if not next) flush the run. */
static int pt_run_add(struct novamm_pagetable *pt, struct novamm_pt *t,
		      struct pt_run *run, unsigned int idx, bool write)
{
	int ret;

	if (write && run->n && run->first + run->n == idx) {
		run->n++;
		return 0;
	}
	ret = novamm_pt_flush(pt, t, run->first, run->n);
	run->first = idx;
	run->n = write;
	return ret;
}

/*
 * Write the fresh tables under @t within [va, last], children first, then
 * @t itself if fresh, else the entries of @t that link a table just
 * written, in runs.
 */
static int pt_commit(struct novamm_pagetable *pt, struct novamm_pt *t, u64 base,
		     u64 va, u64 last)
{
	unsigned int idx, first, end, which;
	struct pt_run run = {};
	struct novamm_pt *c;
	bool linked;
	u64 lo, hi;
	int ret;

	if (!t->level->leaf) {
		pt_range(t, base, va, last, &first, &end);
		for (idx = first; idx <= end; idx++) {
			pt_entry_span(t, base, idx, &lo, &hi);
			linked = false;
			for (which = 0; which < pt_halves(t->level); which++) {
				c = t->child[pt_slot(t->level, idx, which)];
				if (!c)
					continue;
				linked |= c->fresh;
				ret = pt_commit(pt, c, lo, va, last);
				if (ret)
					return ret;
			}
			ret = pt_run_add(pt, t, &run, idx, linked);
			if (ret)
				return ret;
		}
		ret = novamm_pt_flush(pt, t, run.first, run.n);
		if (ret)
			return ret;
	}
	if (!t->fresh)
		return 0;
	ret = novamm_pt_vram_write(pt, t->addr, t->raw,
				   pt_entries(t->level) * t->level->entry_size);
	if (ret)
		return ret;
	t->fresh = false;
	pt->num_fresh--;
	return 0;
}

/**
 * novamm_pagetable_commit() - write the tables prepared for a range
 * @pt: the tree
 * @va: start of the range novamm_pagetable_prepare() and _map() were given
 * @size: its bytes
 *
 * Every fresh table in the range is written to VRAM in one PRAMIN pass,
 * entries and zeroes together, children before parents, each before the
 * entry that points to it; the entries linking fresh tables into tables
 * the GPU already walks go last, in runs. Call it after the last
 * novamm_pagetable_map() of an operation and before its TLB invalidate.
 *
 * Context: the caller serialises calls on @pt; takes the PRAMIN window's lock
 * for each PRAMIN pass.
 *
 * Return: 0, or the error of a PRAMIN write (tables not yet written stay
 * fresh and unlinked).
 */
int novamm_pagetable_commit(struct novamm_pagetable *pt, u64 va, u64 size)
{
	u64 last;

	if (!pt->num_fresh || !pt_clamp(pt, va, size, &last))
		return 0;
	return pt_commit(pt, pt->root, 0, va, last);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_commit);

/* Whether @t maps anything outside [va, last] (a page partly inside counts). */
static bool pt_live_outside(const struct novamm_pagetable *pt, const struct novamm_pt *t,
			    u64 base, u64 va, u64 last)
{
	unsigned int idx, which;
	struct novamm_pt *c;
	u64 lo, hi;

	if (!t->valid)
		return false;
	for (idx = 0; idx < pt_entries(t->level); idx++) {
		if (pt_entry_zero(t, idx))
			continue;
		pt_entry_span(t, base, idx, &lo, &hi);
		if (lo >= va && hi <= last)
			continue;
		if (hi < va || lo > last || t->level->leaf || pt_dir_entry_is_page(pt, t, idx))
			return true;
		for (which = 0; which < pt_halves(t->level); which++) {
			c = t->child[pt_slot(t->level, idx, which)];
			if (c && pt_live_outside(pt, c, lo, va, last))
				return true;
		}
	}
	return false;
}

static bool pt_has_fresh_child(const struct novamm_pt *t, unsigned int idx)
{
	unsigned int which;
	struct novamm_pt *c;

	for (which = 0; which < pt_halves(t->level); which++) {
		c = t->child[pt_slot(t->level, idx, which)];
		if (c && c->fresh)
			return true;
	}
	return false;
}

/*
 * Empty [va, last] under @t: pages wholly inside are cleared, tables that
 * would map nothing afterwards are unlinked without touching their
 * entries, and the changed entries of @t are written in runs.
 */
static int pt_unmap(struct novamm_pagetable *pt, struct novamm_pt *t, u64 base,
		    u64 va, u64 last)
{
	const struct novamm_pt_level *l = t->level;
	unsigned int idx, first, end, which, slot;
	static const u64 zero[2];
	struct pt_run run = {};
	struct novamm_pt *c;
	bool inside, changed, dirty;
	u64 lo, hi, raw[2];
	int ret;

	pt_range(t, base, va, last, &first, &end);
	for (idx = first; idx <= end; idx++) {
		pt_entry_span(t, base, idx, &lo, &hi);
		inside = lo >= va && hi <= last;
		/* Shadow entry changed; VRAM entry changed (not for a fresh table). */
		changed = false;
		dirty = false;
		if (pt_entry_zero(t, idx)) {
			/* Nothing to do. */
		} else if (l->leaf || pt_dir_entry_is_page(pt, t, idx)) {
			if (inside) {
				pt_store(t, idx, zero);
				dirty = true;
			}
		} else {
			for (which = 0; which < pt_halves(l); which++) {
				slot = pt_slot(l, idx, which);
				c = t->child[slot];
				if (!c)
					continue;
				if (inside || !pt_live_outside(pt, c, lo, va, last)) {
					t->child[slot] = NULL;
					changed = true;
					/* VRAM never pointed at a fresh table. */
					dirty |= !c->fresh;
					novamm_pt_takeout(pt, c);
					continue;
				}
				ret = pt_unmap(pt, c, lo, va, last);
				if (ret)
					return ret;
			}
			if (changed) {
				ret = novamm_pt_encode_pde(pt, t, idx, false, raw);
				if (ret)
					return ret;
				pt_store(t, idx, raw);
			}
			/*
			 * The run writes the shadow, which links fresh tables:
			 * an entry that keeps one (a range cutting through an
			 * uncommitted map) goes to VRAM without it, alone.
			 */
			if (dirty && pt_has_fresh_child(t, idx)) {
				ret = novamm_pt_set_pde(pt, t, idx, true);
				if (ret)
					return ret;
				dirty = false;
			}
		}
		ret = pt_run_add(pt, t, &run, idx, dirty);
		if (ret)
			return ret;
	}
	return novamm_pt_flush(pt, t, run.first, run.n);
}

/**
 * novamm_pagetable_unmap() - empty a range, freeing the tables it empties
 * @pt: the tree
 * @va: start, 4 KiB aligned
 * @size: bytes, a multiple of 4 KiB
 *
 * Empties the range with as few writes as it can. Every page wholly
 * inside the range is unmapped (a page only partly inside is left). A
 * table that maps nothing outside the range is not cleared entry by
 * entry: one write to its parent's entry unlinks it with everything under
 * it, its own entries left as they are. Unmapping 1 GiB of 4 KiB pages
 * from an otherwise empty address space is thus two 32-bit writes, one
 * directory entry. Taken-out tables wait on @pt->unlinked: after the TLB
 * invalidate the caller calls novamm_pagetable_release(), or, to undo,
 * novamm_pagetable_relink(). Nothing is allocated.
 *
 * Context: the caller serialises calls on @pt; takes the PRAMIN window's lock
 * for each PRAMIN pass.
 *
 * Return: 0; -EINVAL for a range that is empty, misaligned or beyond the
 * VA; the error of a PRAMIN write.
 */
int novamm_pagetable_unmap(struct novamm_pagetable *pt, u64 va, u64 size)
{
	if (!size || !IS_ALIGNED(va | size, SZ_4K) || size > BIT_ULL(pt->fmt->va_bits) ||
	    va > BIT_ULL(pt->fmt->va_bits) - size) {
		dev_dbg(pt->pramin->hw->dev, "page table: cannot unmap [0x%llx, +0x%llx)\n",
			va, size);
		return -EINVAL;
	}
	return pt_unmap(pt, pt->root, 0, va, va + size - 1);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_unmap);

/**
 * novamm_pagetable_clear() - unmap a run of pages
 * @pt: the tree
 * @va: first virtual address
 * @count: pages
 * @page_shift: log2 of the page size they were mapped with
 *
 * The entries are zeroed (unmapped), each written. Tables stay until
 * novamm_pagetable_free_empty(); novamm_pagetable_unmap() empties a range
 * with fewer writes. Nothing is allocated.
 *
 * Context: as novamm_pagetable_map().
 *
 * Return: 0, or the errors of novamm_pagetable_map() but -ERANGE.
 */
int novamm_pagetable_clear(struct novamm_pagetable *pt, u64 va, u64 count,
			   unsigned int page_shift)
{
	struct novamm_pte pte = { NOVAMM_PT_UNMAPPED };

	return pt_write_run(pt, va, count, page_shift, &pte);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_clear);
