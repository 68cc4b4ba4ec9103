// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic page-table walker: levels and entries known only through
 * the format, and the lookups that read the shadow.
 */

/**
 * DOC: The walker
 *
 * The walker knows levels only through the format's table (&struct
 * novamm_pt_level: how many VA bits each decodes, from which bit, in
 * entries of what size): an index is ``(va >> va_shift) & (entries - 1)``,
 * a child level is the next one down or, under PD0, the big- or
 * small-page table. It knows entries only through the format's encode and
 * decode functions, and names no bit.
 *
 * Everything that visits a range of the tree goes through one walk,
 * novamm_pt_walk_range(): for each table, the entries the range touches; for
 * each entry, its children, both halves of a dual PD0 entry in turn; each
 * entry's write after its children, batched with its neighbours into one
 * write. What a walk does (commit, unmap, taking out empty tables,
 * counting, freeing, the dump) is a table of callbacks, &struct
 * novamm_pt_walk_ops, that say at each step whether to go down.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>

#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/pramin.h>

#include "internal.h"

/**
 * novamm_pagetable_page_size_ok() - whether a tree can map a page size
 * @pt: the tree
 * @page_shift: log2 of the page size
 *
 * Return: true for 4 KiB, 64 KiB, 2 MiB, and the larger pages the format
 * of the chip allows.
 */
bool novamm_pagetable_page_size_ok(const struct novamm_pagetable *pt,
				   unsigned int page_shift)
{
	unsigned int which;

	return pt_target(pt->fmt, page_shift, &which);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_page_size_ok);

/**
 * novamm_pt_page_shifts() - the page sizes a geometry maps
 * @fmt: the geometry
 * @shifts: filled with log2 of each page size, largest first
 *
 * The directory levels that may hold PTEs, root first, then the big-page
 * and the small-page table: 512 MiB pages come from a PD1 that holds
 * them (GA100 and later), 256 GiB pages from a PD2 (Blackwell).
 *
 * Return: the number of entries of @shifts filled, at most
 * %NOVAMM_PT_PAGE_SIZES_MAX.
 */
unsigned int novamm_pt_page_shifts(const struct novamm_pt_format *fmt,
				   u8 shifts[NOVAMM_PT_PAGE_SIZES_MAX])
{
	unsigned int d, n = 0;

	for (d = 0; d < fmt->num_dirs && n < NOVAMM_PT_PAGE_SIZES_MAX - 2; d++)
		if (fmt->dirs[d].pte)
			shifts[n++] = fmt->dirs[d].va_shift;
	shifts[n++] = fmt->pt_big->va_shift;
	shifts[n++] = fmt->pt_small->va_shift;
	return n;
}
EXPORT_SYMBOL_GPL(novamm_pt_page_shifts);

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

static int pt_walk_table(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
			 unsigned int depth);

static bool pt_walk_ends(int ret)
{
	return ret < 0 || ret == NOVAMM_PT_WALK_STOP;
}

/* One entry: the callback, its children unless it says not to, its end. */
static int pt_walk_entry(struct novamm_pt_walk *w, struct novamm_pt_at *at)
{
	const struct novamm_pt_walk_ops *ops = w->ops;
	const struct novamm_pt_level *l = at->t->level;
	unsigned int which;
	struct novamm_pt *c;
	int ret;

	ret = ops->entry ? ops->entry(w, at) : NOVAMM_PT_WALK_DOWN;
	if (pt_walk_ends(ret))
		return ret;
	if (ret == NOVAMM_PT_WALK_DOWN && !l->leaf) {
		for (which = 0; which < pt_halves(l); which++) {
			c = at->t->child[pt_slot(l, at->idx, which)];
			if (!c)
				continue;
			ret = ops->child ? ops->child(w, at, which, c) : NOVAMM_PT_WALK_DOWN;
			if (ret == NOVAMM_PT_WALK_DOWN)
				ret = pt_walk_table(w, c, at->lo, at->depth + 1);
			if (pt_walk_ends(ret))
				return ret;
		}
	}
	return ops->entry_done ? ops->entry_done(w, at) : 0;
}

static int pt_walk_table(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
			 unsigned int depth)
{
	const struct novamm_pt_walk_ops *ops = w->ops;
	struct novamm_pt_at at = { .t = t, .depth = depth };
	unsigned int first, end;
	struct pt_run run = {};
	int ret;

	ret = ops->table ? ops->table(w, t, base, depth) : NOVAMM_PT_WALK_DOWN;
	if (pt_walk_ends(ret))
		return ret;
	/* Only the table a walk starts at can lie outside its range. */
	if (ret == NOVAMM_PT_WALK_DOWN &&
	    (w->va > w->last || w->last < base || w->va > base + pt_span(t->level) - 1))
		ret = NOVAMM_PT_WALK_NEXT;
	if (ret == NOVAMM_PT_WALK_DOWN) {
		pt_range(t, base, w->va, w->last, &first, &end);
		for (at.idx = first; at.idx <= end; at.idx++) {
			pt_entry_span(t, base, at.idx, &at.lo, &at.hi);
			at.flags = 0;
			ret = pt_walk_entry(w, &at);
			if (pt_walk_ends(ret))
				return ret;
			ret = pt_run_add(w->pt, t, &run, at.idx, ret == NOVAMM_PT_WALK_WRITE);
			if (ret)
				return ret;
		}
		ret = novamm_pt_flush(w->pt, t, run.first, run.n);
		if (ret)
			return ret;
	}
	return ops->table_done ? ops->table_done(w, t, base) : 0;
}

/**
 * novamm_pt_walk_range() - walk the entries of a range under a table
 * @w: the walk: its callbacks, the tree and the range
 * @t: the table to start at, the root or any table under it
 * @base: the first VA @t covers
 *
 * Tables are visited top down, their entries in order, each entry's
 * children (big before small under PD0) before the entry is done; entries
 * @w's callbacks mark for writing go to VRAM in one write per run
 * of neighbours, nothing for a fresh table, before the table is done.
 * The depth is that of the format, at most six levels.
 *
 * Return: 0 when the walk went through; %NOVAMM_PT_WALK_STOP when a
 * callback ended it; a callback's error, or a PRAMIN error.
 */
int novamm_pt_walk_range(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base)
{
	int ret = pt_walk_table(w, t, base, 0);

	return ret == NOVAMM_PT_WALK_STOP || ret < 0 ? ret : 0;
}

/**
 * novamm_pt_walk_dirs() - a &novamm_pt_walk_ops.table that skips the
 *	entries of page tables, for walks that only need directories'
 * @w: the walk
 * @t: the table reached
 * @base: its first VA
 * @depth: its depth
 *
 * Return: %NOVAMM_PT_WALK_NEXT for a table of PTEs, else
 * %NOVAMM_PT_WALK_DOWN.
 */
int novamm_pt_walk_dirs(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
			unsigned int depth)
{
	return t->level->leaf ? NOVAMM_PT_WALK_NEXT : NOVAMM_PT_WALK_DOWN;
}

/**
 * novamm_pt_find() - the table of a level covering a VA
 * @pt: the tree
 * @va: the address
 * @target: the level
 * @which: under a dual directory, 0 for the big-page table, 1 for the small
 * @create: create it, with the directories above it, when it is missing
 * @out: the table
 *
 * Found in the shadow, without reading VRAM.
 *
 * Return: 0; -ENOENT when it is missing and not to be created; -EBUSY when
 * a large page or a sparse range is in the way; novamm_pt_new()'s and the
 * codec's errors.
 */
int novamm_pt_find(struct novamm_pagetable *pt, u64 va,
		   const struct novamm_pt_level *target, unsigned int which,
		   bool create, struct novamm_pt **out)
{
	struct novamm_pt *t = pt->root, *c;
	unsigned int idx, slot;
	int ret;

	while (t->level != target) {
		idx = pt_index(t->level, va);
		slot = pt_slot(t->level, idx, t->level->dual ? which : 0);
		c = t->child[slot];
		if (!c) {
			if (!create)
				return -ENOENT;
			/* A large page or a sparse range is in the way. */
			if (pt_dir_entry_is_page(pt, t, idx) ||
			    (t->level->dual && pt->fmt->codec->is_pte(pt_raw(t, idx, 0))))
				return -EBUSY;
			c = novamm_pt_new(pt, pt_child_level(pt->fmt, t->level,
							     t->level->dual ? which : 0));
			if (IS_ERR(c))
				return PTR_ERR(c);
			c->gen = pt->gen;
			c->parent = t;
			c->parent_index = idx;
			t->child[slot] = c;
			/* The link reaches VRAM in commit, after the table. */
			ret = novamm_pt_set_pde(pt, t, idx, false);
			if (ret) {
				t->child[slot] = NULL;
				pt->num_tables--;
				novamm_pt_free(pt, c);
				return ret;
			}
		}
		t = c;
	}
	*out = t;
	return 0;
}

/**
 * novamm_pt_check_range() - whether a range can be mapped in pages of a size
 * @pt: the tree
 * @va: first VA
 * @size: bytes
 * @page_shift: log2 of the page size
 * @target: the level whose entries map such pages
 * @which: under a dual directory, the table that holds them
 *
 * Return: 0, or -EINVAL (logged at debug level) for a page size the
 * format has no level for, or a range that is empty, not in such pages or
 * beyond the format's VA.
 */
int novamm_pt_check_range(const struct novamm_pagetable *pt, u64 va, u64 size,
			  unsigned int page_shift,
			  const struct novamm_pt_level **target,
			  unsigned int *which)
{
	struct device *dev = pt->pramin->hw->dev;
	u64 page;

	*target = pt_target(pt->fmt, page_shift, which);
	if (!*target) {
		dev_dbg(dev, "page table: %s has no pages of 2^%u bytes\n",
			pt->fmt->name, page_shift);
		return -EINVAL;
	}
	page = 1ULL << page_shift;
	if (!size || !IS_ALIGNED(va | size, page) ||
	    size > BIT_ULL(pt->fmt->va_bits) ||
	    va > BIT_ULL(pt->fmt->va_bits) - size) {
		dev_dbg(dev, "page table: [0x%llx, +0x%llx) is empty, not in %llu KiB pages or beyond the %u-bit VA\n",
			va, size, page >> 10, pt->fmt->va_bits);
		return -EINVAL;
	}
	return 0;
}

static void pt_mapping_from_pte(const struct novamm_pte *pte, u64 va,
				u64 page_size, struct novamm_pt_mapping *map)
{
	map->state = pte->state;
	map->page_size = page_size;
	if (pte->state != NOVAMM_PT_VALID)
		return;
	map->phys = pte->addr + (va & (page_size - 1));
	map->attrs = pte->attrs;
}

/**
 * novamm_pagetable_lookup() - what a virtual address maps to
 * @pt: the tree
 * @va: the address
 * @map: the answer
 *
 * From the shadow alone, the way the MMU walks: a large page where a
 * directory entry is a PTE; under PD0, a big-page entry that is not all
 * zero decides, else the small-page entry does.
 *
 * Context: the caller serialises calls on @pt; no lock is taken and VRAM
 * is not read.
 *
 * Return: 0 with @map filled (its state says whether anything is
 * mapped), or -EINVAL for an address beyond the VA.
 */
int novamm_pagetable_lookup(const struct novamm_pagetable *pt, u64 va,
			    struct novamm_pt_mapping *map)
{
	const struct novamm_pt_format *fmt = pt->fmt;
	const struct novamm_pt *t = pt->root, *big, *small;
	struct novamm_pde half[2];
	struct novamm_pte pte;
	unsigned int idx;
	u64 raw[2];

	*map = (struct novamm_pt_mapping){ .state = NOVAMM_PT_UNMAPPED };
	if (va >> fmt->va_bits)
		return -EINVAL;
	for (;;) {
		idx = pt_index(t->level, va);
		if (t->level->leaf) {
			fmt->codec->pte_decode(pt_raw(t, idx, 0), &pte);
			pt_mapping_from_pte(&pte, va, 1ULL << t->level->va_shift, map);
			return 0;
		}
		if (t->level->pte && pt_dir_entry_is_page(pt, t, idx) &&
		    (fmt->codec->is_pte(pt_raw(t, idx, 0)) || !t->level->dual)) {
			fmt->codec->pte_decode(pt_raw(t, idx, 0), &pte);
			pt_mapping_from_pte(&pte, va, 1ULL << t->level->va_shift, map);
			return 0;
		}
		if (!t->level->dual) {
			t = t->child[idx];
			if (!t)
				return 0;
			continue;
		}
		big = t->child[pt_slot(t->level, idx, 0)];
		small = t->child[pt_slot(t->level, idx, 1)];
		if (!big && !small && !pt_entry_zero(t, idx)) {
			/* No tables, not a page: a sparse 2 MiB range. */
			raw[0] = pt_raw(t, idx, 0);
			raw[1] = pt_raw(t, idx, 1);
			fmt->codec->dual_decode(raw, &half[0], &half[1]);
			if (half[0].state == NOVAMM_PT_SPARSE)
				map->state = NOVAMM_PT_SPARSE;
			map->page_size = 1ULL << t->level->va_shift;
			return 0;
		}
		if (big) {
			fmt->codec->pte_decode(pt_raw(big, pt_index(big->level, va), 0), &pte);
			if (pte.state != NOVAMM_PT_UNMAPPED) {
				pt_mapping_from_pte(&pte, va, 1ULL << big->level->va_shift, map);
				return 0;
			}
		}
		if (!small)
			return 0;
		t = small;
	}
}
EXPORT_SYMBOL_GPL(novamm_pagetable_lookup);
