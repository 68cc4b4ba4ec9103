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
 * entries left as they are, and it is freed after the TLB invalidate,
 * or kept spare (see "Spare tables").
 *
 * The root is the exception: novamm_pagetable_init() gives it a whole
 * 4 KiB page, whatever its entries need, and zeroes all of it when the
 * tree is made, since the MMU may prefetch past the entries the VA uses.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sizes.h>

#include <novamm/compat.h>
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
	/* From 1: 0 stands for "any" in novamm_pt_free_empty(). */
	pt->gen++;
	for (a = va; a - va < size; a = (a | (span - 1)) + 1) {
		ret = novamm_pt_find(pt, a, target, which, true, &t);
		if (ret) {
			novamm_pt_free_empty(pt, va, va + size - 1, pt->gen);
			return ret;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_prepare);

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

	/* Second: the runs, one write per table. */
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

/*
 * Whether @count pages of @page_shift from @phys can be mapped with
 * @attrs: the page size, the alignment, and the first and the last page,
 * which tell whether every address fits the format.
 */
static int pt_check_phys(const struct novamm_pagetable *pt, u64 phys, u64 count,
			 unsigned int page_shift, const struct novamm_pte_attrs *attrs)
{
	struct novamm_pte pte = { NOVAMM_PT_VALID, phys, *attrs };
	u64 raw, last;
	int ret;

	if (!novamm_pagetable_page_size_ok(pt, page_shift) ||
	    !IS_ALIGNED(phys, 1ULL << page_shift) || !count ||
	    count - 1 > U64_MAX >> page_shift ||
	    check_add_overflow(phys, (count - 1) << page_shift, &last))
		return -EINVAL;
	ret = pt->fmt->codec->pte_encode(&pte, &raw);
	if (!ret) {
		pte.addr = last;
		ret = pt->fmt->codec->pte_encode(&pte, &raw);
	}
	if (ret)
		dev_dbg(pt->pramin->hw->dev, "page table: %s cannot map [0x%llx, 0x%llx] with these attributes\n",
			pt->fmt->name, phys, last);
	return ret;
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
 * one write, through the table window or PRAMIN; in a table
 * novamm_pagetable_prepare() just made, they stay in the shadow until
 * novamm_pagetable_commit(). Nothing is allocated. Every table, and both
 * ends of the physical range against what the format can hold, are
 * checked before anything is written, so a refused call writes nothing.
 * The TLB is not invalidated: that is the caller's, once per operation.
 *
 * Context: the caller serialises calls on @pt; takes the table window's
 * lock or the PRAMIN window's for each write.
 *
 * Return: 0; -EINVAL for a bad range; -ERANGE for an address or attribute
 * the format cannot hold; -ENOENT where a table is missing; -EBUSY where a
 * table sits in the place of a large page; the error of a write,
 * after the runs before it were written.
 */
int novamm_pagetable_map(struct novamm_pagetable *pt, u64 va, u64 count,
			 unsigned int page_shift, u64 phys,
			 const struct novamm_pte_attrs *attrs)
{
	struct novamm_pte pte = { NOVAMM_PT_VALID, phys, *attrs };
	int ret;

	ret = pt_check_phys(pt, phys, count, page_shift, attrs);
	if (ret)
		return ret;
	return pt_write_run(pt, va, count, page_shift, &pte);
}
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_map);

/* Commit: an entry to write links a fresh table. */
#define PT_LINKS_FRESH	BIT(0)

static int pt_commit_child(struct novamm_pt_walk *w, struct novamm_pt_at *at,
			   unsigned int which, struct novamm_pt *c)
{
	if (c->fresh)
		at->flags |= PT_LINKS_FRESH;
	return NOVAMM_PT_WALK_DOWN;
}

static int pt_commit_entry_done(struct novamm_pt_walk *w, struct novamm_pt_at *at)
{
	return at->flags & PT_LINKS_FRESH ? NOVAMM_PT_WALK_WRITE : 0;
}

/*
 * Its entries are final and its children written: a fresh table goes in
 * one write, whole if it is new from the pool, else (a spare) the span
 * that covers both the entries VRAM still holds and the new ones.
 */
static int pt_commit_table_done(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base)
{
	size_t esz = t->level->entry_size;
	unsigned int first, end;
	int ret;

	if (!t->fresh)
		return 0;
	novamm_pt_nonzero(t, &first, &end);
	if (first == end) {
		first = t->dirty_first;
		end = t->dirty_end;
	} else if (t->dirty_first < t->dirty_end) {
		first = min(first, t->dirty_first);
		end = max(end, t->dirty_end);
	}
	ret = first < end ? novamm_pt_vram_write(w->pt, t->addr + first * esz,
						 (u8 *)t->raw + first * esz,
						 (end - first) * esz) : 0;
	if (ret)
		return ret;
	t->fresh = false;
	w->pt->num_fresh--;
	return 0;
}

/*
 * Children first, then the table itself if fresh, else the entries of it
 * that link a table just written, in runs.
 */
static const struct novamm_pt_walk_ops pt_commit_ops = {
	.table = novamm_pt_walk_dirs,
	.child = pt_commit_child,
	.entry_done = pt_commit_entry_done,
	.table_done = pt_commit_table_done,
};

/**
 * novamm_pagetable_commit() - write the tables prepared for a range
 * @pt: the tree
 * @va: start of the range novamm_pagetable_prepare() and _map() were given
 * @size: its bytes
 *
 * Every fresh table in the range is written to VRAM in one write,
 * entries and zeroes together, children before parents, each before the
 * entry that points to it; the entries linking fresh tables into tables
 * the GPU already walks go last, in runs. Call it after the last
 * novamm_pagetable_map() of an operation and before its TLB invalidate.
 *
 * Context: the caller serialises calls on @pt; takes the table window's
 * lock or the PRAMIN window's for each write.
 *
 * Return: 0, or the error of a write (tables not yet written stay
 * fresh and unlinked).
 */
int novamm_pagetable_commit(struct novamm_pagetable *pt, u64 va, u64 size)
{
	struct novamm_pt_walk w = { &pt_commit_ops, pt, va };

	if (!pt->num_fresh || !pt_clamp(pt, va, size, &w.last))
		return 0;
	return novamm_pt_walk_range(&w, pt->root, 0);
}
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_commit);

/* The walk of unmap and of its search for entries outside the range. */
struct pt_unmap_walk {
	struct novamm_pt_walk w;
	/* the range to unmap, which the search walks around */
	u64 va;
	u64 last;
};

static bool pt_inside(const struct pt_unmap_walk *u, const struct novamm_pt_at *at)
{
	return at->lo >= u->va && at->hi <= u->last;
}

static int pt_outside_table(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
			    unsigned int depth)
{
	return t->valid ? NOVAMM_PT_WALK_DOWN : NOVAMM_PT_WALK_NEXT;
}

/* Stops at the first page that is not wholly inside (one partly inside counts). */
static int pt_outside_entry(struct novamm_pt_walk *w, struct novamm_pt_at *at)
{
	struct pt_unmap_walk *u = container_of(w, struct pt_unmap_walk, w);
	struct novamm_pt *t = at->t;

	if (pt_entry_zero(t, at->idx) || pt_inside(u, at))
		return NOVAMM_PT_WALK_NEXT;
	if (at->hi < u->va || at->lo > u->last || t->level->leaf ||
	    pt_dir_entry_is_page(w->pt, t, at->idx))
		return NOVAMM_PT_WALK_STOP;
	return NOVAMM_PT_WALK_DOWN;
}

static const struct novamm_pt_walk_ops pt_outside_ops = {
	.table = pt_outside_table,
	.entry = pt_outside_entry,
};

/* Whether @t, covering VA from @base, maps anything outside the range. */
static bool pt_live_outside(struct pt_unmap_walk *u, struct novamm_pt *t, u64 base)
{
	struct pt_unmap_walk o = { { &pt_outside_ops, u->w.pt, 0, U64_MAX }, u->va, u->last };

	return novamm_pt_walk_range(&o.w, t, base) == NOVAMM_PT_WALK_STOP;
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

/* Unmap: the entry's children changed in the shadow; and its VRAM entry. */
#define PT_CHANGED	BIT(0)
#define PT_DIRTY	BIT(1)

/* Pages wholly inside the range are cleared; a page partly inside stays. */
static int pt_unmap_entry(struct novamm_pt_walk *w, struct novamm_pt_at *at)
{
	struct pt_unmap_walk *u = container_of(w, struct pt_unmap_walk, w);
	static const u64 zero[2];
	struct novamm_pt *t = at->t;

	if (pt_entry_zero(t, at->idx))
		return NOVAMM_PT_WALK_NEXT;
	if (!t->level->leaf && !pt_dir_entry_is_page(w->pt, t, at->idx))
		return NOVAMM_PT_WALK_DOWN;
	if (pt_inside(u, at)) {
		pt_store(t, at->idx, zero);
		/* VRAM keeps the old entry of a fresh table: none to write there. */
		at->flags |= PT_DIRTY;
	}
	return NOVAMM_PT_WALK_NEXT;
}

/*
 * A table that would map nothing afterwards is unlinked, its entries left
 * as they are; any other is walked.
 */
static int pt_unmap_child(struct novamm_pt_walk *w, struct novamm_pt_at *at,
			  unsigned int which, struct novamm_pt *c)
{
	struct pt_unmap_walk *u = container_of(w, struct pt_unmap_walk, w);

	if (!pt_inside(u, at) && pt_live_outside(u, c, at->lo))
		return NOVAMM_PT_WALK_DOWN;
	at->t->child[pt_slot(at->t->level, at->idx, which)] = NULL;
	at->flags |= PT_CHANGED;
	/* VRAM never pointed at a fresh table. */
	if (!c->fresh)
		at->flags |= PT_DIRTY;
	novamm_pt_takeout(w->pt, c);
	return NOVAMM_PT_WALK_NEXT;
}

static int pt_unmap_entry_done(struct novamm_pt_walk *w, struct novamm_pt_at *at)
{
	struct novamm_pt *t = at->t;
	u64 raw[2];
	int ret;

	if (at->flags & PT_CHANGED) {
		ret = novamm_pt_encode_pde(w->pt, t, at->idx, false, raw);
		if (ret)
			return ret;
		pt_store(t, at->idx, raw);
	}
	if (!(at->flags & PT_DIRTY))
		return 0;
	/*
	 * The run writes the shadow, which links fresh tables: an entry that
	 * keeps one (a range cutting through an uncommitted map) goes to VRAM
	 * without it, alone.
	 */
	if (!t->level->leaf && pt_has_fresh_child(t, at->idx))
		return novamm_pt_set_pde(w->pt, t, at->idx, true);
	return NOVAMM_PT_WALK_WRITE;
}

static const struct novamm_pt_walk_ops pt_unmap_ops = {
	.entry = pt_unmap_entry,
	.child = pt_unmap_child,
	.entry_done = pt_unmap_entry_done,
};

/* A range to empty: not empty, in 4 KiB pages, within the VA. */
static int pt_check_unmap(const struct novamm_pagetable *pt, u64 va, u64 size)
{
	if (!size || !IS_ALIGNED(va | size, SZ_4K) || size > BIT_ULL(pt->fmt->va_bits) ||
	    va > BIT_ULL(pt->fmt->va_bits) - size) {
		dev_dbg(pt->pramin->hw->dev, "page table: cannot unmap [0x%llx, +0x%llx)\n",
			va, size);
		return -EINVAL;
	}
	return 0;
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
 * Context: the caller serialises calls on @pt; takes the table window's
 * lock or the PRAMIN window's for each write.
 *
 * Return: 0; -EINVAL for a range that is empty, misaligned or beyond the
 * VA; the error of a write.
 */
int novamm_pagetable_unmap(struct novamm_pagetable *pt, u64 va, u64 size)
{
	struct pt_unmap_walk u = { { &pt_unmap_ops, pt, va }, va };
	int ret;

	ret = pt_check_unmap(pt, va, size);
	if (ret)
		return ret;
	u.w.last = va + size - 1;
	u.last = u.w.last;
	return novamm_pt_walk_range(&u.w, pt->root, 0);
}
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_unmap);

/* For the suites alone: an update empties a range with unmap. */
#if IS_ENABLED(CONFIG_KUNIT)
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
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_clear);
#endif

/**
 * DOC: Updates
 *
 * A change of a tree is an update, in four steps that keep the GPU from
 * seeing anything half done:
 *
 * 1. novamm_pt_update_begin();
 * 2. novamm_pt_update_map() and novamm_pt_update_unmap(), in ascending
 *    VA: arguments are checked and the tables a map needs are made, in
 *    the shadow only. This is the only step that allocates, and the only
 *    one that may fail for want of memory; nothing is written yet;
 * 3. novamm_pt_update_commit(): the pool's new chunks mapped through the
 *    table window, if the tree has one, then the entries of the maps,
 *    then the clears of the unmaps, then the new tables whole, each
 *    before the entry that links it (see `Written once`_); then the
 *    caller flushes and invalidates the TLB once;
 * 4. novamm_pt_update_release(), told whether that invalidate completed:
 *    only then do the tables the update took out go back to the pool.
 *
 * A step that fails is followed by novamm_pt_update_abort(), then
 * novamm_pt_update_release(). Before commit, abort frees the tables the
 * update made and writes nothing. After it, the maps' entries are
 * cleared and their new tables unlinked, and the tables the unmaps took
 * out are linked back as they were; the entries the unmaps cleared in
 * tables that stayed are the caller's to map again (it knows what they
 * held). Abort says whether the GPU may have seen part of the update, in
 * which case the caller invalidates before the release.
 *
 * Maps come before unmaps in the commit, whatever the order of the calls,
 * so that an unmap never takes out a table that a map of the same update
 * is to fill: the ranges do not overlap, but their tables may be shared.
 */

static int pt_update_add(struct novamm_pt_update *u, const struct novamm_pt_run *runs,
			 unsigned int nr, const struct novamm_pte_attrs *attrs,
			 u64 va, u64 last)
{
	struct device *dev = u->pt->pramin->hw->dev;

	if (u->seen || u->nr == NOVAMM_PT_UPDATE_OPS) {
		dev_dbg(dev, "page table: update %s\n",
			u->seen ? "already committed" : "full");
		return -EINVAL;
	}
	if (u->nr && va <= u->op[u->nr - 1].last) {
		dev_dbg(dev, "page table: update call at 0x%llx not above the last at 0x%llx\n",
			va, u->op[u->nr - 1].last);
		return -EINVAL;
	}
	u->op[u->nr++] = (struct novamm_pt_update_op){ runs, nr, attrs, va, last };
	return 0;
}

/* The runs of a map call: each mappable, together ascending and apart. */
static int pt_update_check_runs(struct novamm_pagetable *pt, const struct novamm_pt_run *runs,
				unsigned int nr, const struct novamm_pte_attrs *attrs)
{
	const struct novamm_pt_level *target;
	unsigned int i, which;
	u64 end = 0;
	int ret;

	for (i = 0; i < nr; i++) {
		ret = novamm_pt_check_range(pt, runs[i].va,
					    runs[i].count > U64_MAX >> runs[i].shift ? 0 :
					    runs[i].count << runs[i].shift,
					    runs[i].shift, &target, &which);
		if (ret)
			return ret;
		if (i && runs[i].va < end) {
			dev_dbg(pt->pramin->hw->dev, "page table: run %u at 0x%llx overlaps or precedes the one before\n",
				i, runs[i].va);
			return -EINVAL;
		}
		end = runs[i].va + (runs[i].count << runs[i].shift);
		ret = pt_check_phys(pt, runs[i].phys, runs[i].count, runs[i].shift, attrs);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * novamm_pt_update_begin() - start a change of a tree
 * @u: the update, on the caller's stack
 * @pt: the tree
 *
 * Nothing is allocated: an update that is begun is ended by
 * novamm_pt_update_release(), after a commit or an abort, or by nothing
 * if no call was made.
 *
 * Context: the caller serialises calls on @pt, from here to the release.
 */
void novamm_pt_update_begin(struct novamm_pt_update *u, struct novamm_pagetable *pt)
{
	*u = (struct novamm_pt_update){ .pt = pt, .since = pt->gen + 1 };
}
EXPORT_SYMBOL_GPL(novamm_pt_update_begin);

/**
 * novamm_pt_update_map() - add runs of pages to map
 * @u: the update
 * @runs: the runs, in ascending VA and not overlapping: the caller's until
 *	the update is released
 * @nr: entries of @runs
 * @attrs: how the pages are mapped, likewise the caller's
 *
 * Every run is checked (page size, alignment, the VA, both ends of the
 * physical range against what the format holds) and the tables it needs
 * are made, in the shadow only; nothing is written. The runs must lie
 * above every range the update was given before.
 *
 * Context: the caller serialises calls on the tree; takes the buddy lock
 * when the table pool grows. May sleep.
 *
 * Return: 0; -EINVAL for runs that cannot be mapped or are out of order,
 * or an update that is full (%NOVAMM_PT_UPDATE_OPS calls) or committed;
 * -ERANGE for an address or attribute the format cannot hold; -EBUSY
 * where a larger page or a sparse range is mapped; -ENOSPC or -ENOMEM.
 * On failure the tables this call made are freed again, and the update
 * is as it was.
 */
int novamm_pt_update_map(struct novamm_pt_update *u, const struct novamm_pt_run *runs,
			 unsigned int nr, const struct novamm_pte_attrs *attrs)
{
	struct novamm_pagetable *pt = u->pt;
	u64 since = pt->gen + 1, last;
	unsigned int i;
	int ret;

	if (!nr)
		return -EINVAL;
	ret = pt_update_check_runs(pt, runs, nr, attrs);
	if (ret)
		return ret;
	last = runs[nr - 1].va + (runs[nr - 1].count << runs[nr - 1].shift) - 1;
	ret = pt_update_add(u, runs, nr, attrs, runs[0].va, last);
	if (ret)
		return ret;
	for (i = 0; i < nr; i++) {
		ret = novamm_pagetable_prepare(pt, runs[i].va, runs[i].count << runs[i].shift,
					       runs[i].shift);
		if (ret) {
			novamm_pt_free_empty(pt, runs[0].va, last, since);
			u->nr--;
			return ret;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_pt_update_map);

/**
 * novamm_pt_update_unmap() - add a range to empty
 * @u: the update
 * @va: start, 4 KiB aligned, above every range the update was given before
 * @size: bytes, a multiple of 4 KiB
 *
 * Every page wholly inside the range is unmapped at commit (a page only
 * partly inside is left), and every table that maps nothing else is taken
 * out with one write to its parent's entry, as novamm_pagetable_unmap()
 * does. Nothing is allocated or written here.
 *
 * Return: 0; -EINVAL for a range that is empty, misaligned, beyond the
 * VA or out of order, or an update that is full or committed.
 */
int novamm_pt_update_unmap(struct novamm_pt_update *u, u64 va, u64 size)
{
	int ret;

	ret = pt_check_unmap(u->pt, va, size);
	if (ret)
		return ret;
	return pt_update_add(u, NULL, 0, NULL, va, va + size - 1);
}
EXPORT_SYMBOL_GPL(novamm_pt_update_unmap);

/**
 * novamm_pt_update_commit() - write an update to VRAM
 * @u: the update
 *
 * New chunks of the table pool are first mapped through the table window,
 * where the tree has one (pagetable/window.c). The entries of the maps go
 * to VRAM in one write per run of a table the GPU already walks, through
 * that window or PRAMIN; then the unmaps clear theirs; then every new
 * table is written whole, children before parents, each before the entry
 * that links it. The caller then flushes and invalidates the TLB once,
 * and releases the update.
 *
 * Context: the caller serialises calls on the tree; takes the window's
 * lock, and BAR1's to map a chunk, or the PRAMIN window's lock, for each
 * write.
 *
 * Return: 0; -ENOMEM or -ETIMEDOUT from mapping a chunk, with nothing
 * written; or the error of a write. The caller then aborts the update.
 */
int novamm_pt_update_commit(struct novamm_pt_update *u)
{
	struct novamm_pagetable *pt = u->pt;
	const struct novamm_pt_run *r;
	unsigned int i, j;
	int ret;

	if (u->seen || !u->nr)
		return u->seen ? -EINVAL : 0;
	/* New chunks into BAR1 now: nothing is written yet, abort frees all. */
	ret = novamm_pt_window_map(&pt->pool);
	if (ret)
		return ret;
	u->seen = true;
	for (i = 0; i < u->nr; i++) {
		for (j = 0; j < u->op[i].nr; j++) {
			r = &u->op[i].runs[j];
			ret = novamm_pagetable_map(pt, r->va, r->count, r->shift, r->phys,
						   u->op[i].attrs);
			if (ret)
				return ret;
		}
	}
	for (i = 0; i < u->nr; i++) {
		if (u->op[i].runs)
			continue;
		ret = novamm_pagetable_unmap(pt, u->op[i].va, u->op[i].last - u->op[i].va + 1);
		if (ret)
			return ret;
	}
	return novamm_pagetable_commit(pt, u->op[0].va, u->op[u->nr - 1].last - u->op[0].va + 1);
}
EXPORT_SYMBOL_GPL(novamm_pt_update_commit);

/**
 * novamm_pt_update_abort() - undo an update
 * @u: the update, whose map or commit failed, or whose invalidate did
 *
 * Before commit: the tables the update made are freed, and nothing is
 * written. After: the tables its unmaps took out are linked back, and its
 * maps are unmapped, their tables taken out; the entries its unmaps
 * cleared in tables that stayed are the caller's to write again. The
 * update is then released as after a commit.
 *
 * Context: as novamm_pt_update_commit().
 *
 * Return: true when the GPU may have seen part of the update: the caller
 * invalidates the TLB before novamm_pt_update_release().
 */
bool novamm_pt_update_abort(struct novamm_pt_update *u)
{
	struct novamm_pagetable *pt = u->pt;
	unsigned int i;

	if (!u->nr)
		return false;
	if (!u->seen) {
		novamm_pt_free_empty(pt, u->op[0].va, u->op[u->nr - 1].last, u->since);
		return false;
	}
	novamm_pagetable_relink(pt);
	for (i = 0; i < u->nr; i++)
		if (u->op[i].runs)
			novamm_pagetable_unmap(pt, u->op[i].va, u->op[i].last - u->op[i].va + 1);
	return true;
}
EXPORT_SYMBOL_GPL(novamm_pt_update_abort);

/**
 * novamm_pt_update_release() - end an update, after its invalidate
 * @u: the update, committed or aborted
 * @invalidated: a TLB invalidate of the tree completed after the commit
 *	or the abort
 *
 * With @invalidated, the tables the update took out go back to the pool,
 * and those of earlier updates whose invalidate did not complete; else
 * they wait for a later update's (they may still be in a TLB).
 *
 * Context: the caller serialises calls on the tree; a pool chunk given
 * back takes the buddy lock, so the PRAMIN window's lock must not be
 * held.
 *
 * Return: the number of tables that went back to the pool.
 */
unsigned int novamm_pt_update_release(struct novamm_pt_update *u, bool invalidated)
{
	unsigned int n = 0;

	if (invalidated)
		n = novamm_pagetable_release(u->pt);
	else
		novamm_pagetable_keep_retired(u->pt);
	u->nr = 0;
	return n;
}
EXPORT_SYMBOL_GPL(novamm_pt_update_release);
