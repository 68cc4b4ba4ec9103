// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic page-table walker and the CPU-side shadow of the tree.
 */

/**
 * DOC: Locking
 *
 * A &struct novamm_pagetable has no lock: its owner (an address space)
 * serialises every call on it. Table memory is taken from the pool,
 * which may take the buddy lock, before the PRAMIN window's lock is taken to
 * write entries, and tables go back to the pool after it is dropped: the
 * two are taken one after the other, never nested. Only
 * novamm_pagetable_prepare() and novamm_pagetable_init() take memory from
 * the pool and allocate shadows; novamm_pagetable_adopt() allocates the
 * shadow of the root it adopts, and no other call allocates.
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

/**
 * DOC: The shadow
 *
 * Every table has a &struct novamm_pt: its level, its VRAM address, the
 * count of entries that are not zero, its parent, its entries as VRAM
 * holds them (little-endian) and, for directories, a pointer per entry to
 * the child table (two per entry at PD0). The shadow runs ahead of VRAM
 * only until commit: the entries of a fresh table, and those of a written
 * one that link fresh tables, are in the shadow first and reach VRAM in
 * novamm_pagetable_commit().
 *
 * Walks, lookups, clears and the empty-table search read only the shadow.
 * VRAM is written, one PRAMIN pass per run of consecutive entries of a
 * table, and never read back; the one read is that of a root directory
 * someone else owns, which novamm_pagetable_adopt() reads once.
 */

/**
 * DOC: Taking tables out
 *
 * Tables taken out by novamm_pagetable_unmap() or
 * novamm_pagetable_free_empty() wait on ``pt->unlinked``: the MMU may
 * still hold the directory entries that led to them until the TLB is
 * invalidated, so their VRAM goes back to the pool only at
 * novamm_pagetable_release(), which the caller calls after an invalidate
 * that completed. If it did not complete, the caller either undoes the
 * operation (novamm_pagetable_relink() puts the subtrees back; their
 * entries were never touched) or keeps them for a later invalidate
 * (novamm_pagetable_keep_retired()). A fresh table taken out is freed at
 * once: no entry in VRAM ever pointed at it.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/buddy.h>
#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/pramin.h>
#include <novamm/regs.h>

#include "internal.h"

static unsigned int pt_entries(const struct novamm_pt_level *l)
{
	return 1U << l->va_bits;
}

static unsigned int pt_index(const struct novamm_pt_level *l, u64 va)
{
	return (va >> l->va_shift) & (pt_entries(l) - 1);
}

static unsigned int pt_words(const struct novamm_pt_level *l)
{
	return l->entry_size / sizeof(u64);
}

/* Child tables per entry: big and small at a dual level. */
static unsigned int pt_halves(const struct novamm_pt_level *l)
{
	return l->dual ? 2 : 1;
}

/* Bytes of VA one table of level @l covers. */
static u64 pt_span(const struct novamm_pt_level *l)
{
	return 1ULL << (l->va_shift + l->va_bits);
}

static u64 pt_raw(const struct novamm_pt *t, unsigned int idx, unsigned int word)
{
	return le64_to_cpu(t->raw[idx * pt_words(t->level) + word]);
}

static bool pt_entry_zero(const struct novamm_pt *t, unsigned int idx)
{
	unsigned int w;

	for (w = 0; w < pt_words(t->level); w++)
		if (t->raw[idx * pt_words(t->level) + w])
			return false;
	return true;
}

/* Store an entry in the shadow, keeping the count of non-zero entries. */
static void pt_store(struct novamm_pt *t, unsigned int idx, const u64 *raw)
{
	bool was_zero = pt_entry_zero(t, idx);
	unsigned int w;

	for (w = 0; w < pt_words(t->level); w++)
		t->raw[idx * pt_words(t->level) + w] = cpu_to_le64(raw[w]);
	if (was_zero && !pt_entry_zero(t, idx))
		t->valid++;
	else if (!was_zero && pt_entry_zero(t, idx))
		t->valid--;
}

/* One PRAMIN pass, under the window's lock. */
static int pt_vram_write(struct novamm_pagetable *pt, u64 addr, const void *buf,
			 size_t len)
{
	int ret;

	ret = novamm_pramin_write(pt->pramin, addr, buf, len);
	return ret;
}

/*
 * Entries [first, first + n) of @t, shadow to VRAM, in one PRAMIN pass; a
 * fresh table is written whole by novamm_pagetable_commit() instead.
 */
static int pt_flush(struct novamm_pagetable *pt, struct novamm_pt *t,
		    unsigned int first, unsigned int n)
{
	size_t esz = t->level->entry_size;

	if (t->fresh || !n)
		return 0;
	return pt_vram_write(pt, t->addr + first * esz, (u8 *)t->raw + first * esz,
			     n * esz);
}

static int pt_dir_depth(const struct novamm_pt_format *fmt,
			const struct novamm_pt_level *l)
{
	if (l >= fmt->dirs && l < fmt->dirs + fmt->num_dirs)
		return l - fmt->dirs;
	return -1;
}

/* The level under entry @which (0 big, 1 small) of a directory level. */
static const struct novamm_pt_level *pt_child_level(const struct novamm_pt_format *fmt,
						    const struct novamm_pt_level *l,
						    unsigned int which)
{
	int d = pt_dir_depth(fmt, l);

	if (l->dual)
		return which ? fmt->pt_small : fmt->pt_big;
	return &fmt->dirs[d + 1];
}

static unsigned int pt_slot(const struct novamm_pt_level *l, unsigned int idx,
			    unsigned int which)
{
	return l->dual ? 2 * idx + which : idx;
}

/* The root is given a whole page: the MMU may prefetch past it. */
static u32 pt_alloc_size(const struct novamm_pagetable *pt,
			 const struct novamm_pt_level *l)
{
	if (l == &pt->fmt->dirs[0])
		return SZ_4K;
	return pt_entries(l) * l->entry_size;
}

static void pt_shadow_free(struct novamm_pt *t)
{
	kfree(t->child);
	kfree(t->raw);
	kfree(t);
}

static void pt_free(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	if (t->fresh)
		pt->num_fresh--;
	if (!t->foreign)
		novamm_pt_pool_put(&pt->pool, t->addr, pt_alloc_size(pt, t->level));
	pt_shadow_free(t);
}

/* Free @t and every table under it. */
static void pt_free_all(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	unsigned int slot;

	if (!t->level->leaf)
		for (slot = 0; slot < pt_entries(t->level) * pt_halves(t->level); slot++)
			if (t->child[slot])
				pt_free_all(pt, t->child[slot]);
	pt_free(pt, t);
}

static unsigned int pt_count(const struct novamm_pt *t)
{
	unsigned int slot, n = 1;

	if (!t->level->leaf)
		for (slot = 0; slot < pt_entries(t->level) * pt_halves(t->level); slot++)
			if (t->child[slot])
				n += pt_count(t->child[slot]);
	return n;
}

/*
 * @t, no longer pointed to by its parent's shadow entry, leaves the tree
 * with everything under it. A fresh subtree was never seen by the GPU and
 * is freed now; any other waits on @unlinked, because until the TLB
 * invalidate the MMU may still hold the old directory entries.
 */
static void pt_takeout(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	unsigned int n = pt_count(t);

	pt->num_tables -= n;
	if (t->fresh) {
		pt_free_all(pt, t);
		return;
	}
	list_add(&t->node, &pt->unlinked);
	pt->num_unlinked += n;
}

/* The shadow of a table, with no VRAM yet. */
static struct novamm_pt *pt_shadow_new(struct novamm_pagetable *pt,
				       const struct novamm_pt_level *l)
{
	struct novamm_pt *t;

	t = novamm_should_fail(pt->pramin->hw) ? NULL : kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->level = l;
	INIT_LIST_HEAD(&t->node);
	if (!novamm_should_fail(pt->pramin->hw))
		t->raw = kcalloc(pt_entries(l) * pt_words(l), sizeof(*t->raw), GFP_KERNEL);
	if (!l->leaf && !novamm_should_fail(pt->pramin->hw))
		t->child = kcalloc(pt_entries(l) * pt_halves(l),
				   sizeof(*t->child), GFP_KERNEL);
	if (!t->raw || (!l->leaf && !t->child)) {
		pt_shadow_free(t);
		return NULL;
	}
	return t;
}

static struct novamm_pt *pt_new(struct novamm_pagetable *pt,
				const struct novamm_pt_level *l)
{
	struct novamm_pt *t;
	int ret;

	t = pt_shadow_new(pt, l);
	if (!t)
		return ERR_PTR(-ENOMEM);
	ret = novamm_pt_pool_get(&pt->pool, pt_alloc_size(pt, l), &t->addr);
	if (ret) {
		pt_shadow_free(t);
		return ERR_PTR(ret);
	}
	/* Its VRAM holds whatever was there: written only in commit. */
	t->fresh = true;
	pt->num_fresh++;
	pt->num_tables++;
	return t;
}

/*
 * Directory entry @idx of @t as its children make it; with @written_only,
 * as the GPU may see it: pointing at no fresh table.
 */
static int pt_encode_pde(const struct novamm_pagetable *pt, const struct novamm_pt *t,
			 unsigned int idx, bool written_only, u64 raw[2])
{
	const struct novamm_pt_format *fmt = pt->fmt;
	struct novamm_pde half[2];
	struct novamm_pt *c;
	unsigned int which, n = pt_halves(t->level);

	raw[0] = 0;
	raw[1] = 0;
	for (which = 0; which < n; which++) {
		c = t->child[pt_slot(t->level, idx, which)];
		half[which] = c && !(written_only && c->fresh) ?
			      (struct novamm_pde){ NOVAMM_PT_TABLE,
						   NOVAMM_PDE_APERTURE_VIDEO, c->addr } :
			      (struct novamm_pde){ NOVAMM_PT_UNMAPPED };
	}
	if (t->level->dual)
		return fmt->codec->dual_encode(&half[0], &half[1], raw);
	return fmt->codec->pde_encode(&half[0], raw);
}

/*
 * Re-encode directory entry @idx of @t from its children into the shadow;
 * with @write, and @t not fresh, also into VRAM, leaving out fresh
 * children (commit links those).
 */
static int pt_set_pde(struct novamm_pagetable *pt, struct novamm_pt *t,
		      unsigned int idx, bool write)
{
	u64 raw[2], vis[2];
	__le64 le[2];
	int ret;

	ret = pt_encode_pde(pt, t, idx, false, raw);
	if (!ret && write && !t->fresh)
		ret = pt_encode_pde(pt, t, idx, true, vis);
	if (ret)
		return ret;
	if (write && !t->fresh) {
		le[0] = cpu_to_le64(vis[0]);
		le[1] = cpu_to_le64(vis[1]);
		ret = pt_vram_write(pt, t->addr + idx * t->level->entry_size, le,
				    t->level->entry_size);
		if (ret)
			return ret;
	}
	pt_store(t, idx, raw);
	return 0;
}

/* Entry @idx of directory @t holds a page (or a sparse range), no table. */
static bool pt_dir_entry_is_page(const struct novamm_pagetable *pt,
				 const struct novamm_pt *t, unsigned int idx)
{
	unsigned int which, n = pt_halves(t->level);

	if (pt_entry_zero(t, idx))
		return false;
	for (which = 0; which < n; which++)
		if (t->child[pt_slot(t->level, idx, which)])
			return false;
	return true;
}

/*
 * The level whose entries map pages of 1 << @page_shift bytes, and which
 * half of PD0 leads to it (1 for the small-page table).
 */
static const struct novamm_pt_level *pt_target(const struct novamm_pt_format *fmt,
					       unsigned int page_shift,
					       unsigned int *which)
{
	unsigned int d;

	*which = 0;
	if (page_shift == fmt->pt_small->va_shift) {
		*which = 1;
		return fmt->pt_small;
	}
	if (page_shift == fmt->pt_big->va_shift)
		return fmt->pt_big;
	for (d = 0; d < fmt->num_dirs; d++)
		if (fmt->dirs[d].pte && fmt->dirs[d].va_shift == page_shift)
			return &fmt->dirs[d];
	return NULL;
}

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

/*
 * The table of level @target covering @va: found in the shadow, and
 * created (with the directories above it) when @create.
 */
static int pt_find(struct novamm_pagetable *pt, u64 va,
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
			c = pt_new(pt, pt_child_level(pt->fmt, t->level,
						      t->level->dual ? which : 0));
			if (IS_ERR(c))
				return PTR_ERR(c);
			c->gen = pt->gen;
			c->parent = t;
			c->parent_index = idx;
			t->child[slot] = c;
			/* The link reaches VRAM in commit, after the table. */
			ret = pt_set_pde(pt, t, idx, false);
			if (ret) {
				t->child[slot] = NULL;
				pt->num_tables--;
				pt_free(pt, c);
				return ret;
			}
		}
		t = c;
	}
	*out = t;
	return 0;
}

static int pt_check_range(const struct novamm_pagetable *pt, u64 va, u64 size,
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

/* The range [first VA, last VA] of entry @idx of @t, whose table starts at @base. */
static void pt_entry_span(const struct novamm_pt *t, u64 base, unsigned int idx,
			  u64 *lo, u64 *hi)
{
	*lo = base + ((u64)idx << t->level->va_shift);
	*hi = *lo + (1ULL << t->level->va_shift) - 1;
}

/* Entries of @t that [va, last] touches, for a table starting at @base. */
static void pt_range(const struct novamm_pt *t, u64 base, u64 va, u64 last,
		     unsigned int *first, unsigned int *end)
{
	const struct novamm_pt_level *l = t->level;

	*first = va > base ? pt_index(l, va) : 0;
	*end = last < base + pt_span(l) - 1 ? pt_index(l, last) : pt_entries(l) - 1;
}

/*
 * The last address of [va, va + size) within the format's VA, in @last;
 * false when the range is empty or starts beyond it.
 */
static bool pt_clamp(const struct novamm_pagetable *pt, u64 va, u64 size, u64 *last)
{
	u64 top = BIT_ULL(pt->fmt->va_bits) - 1;

	if (!size || va > top)
		return false;
	*last = size - 1 > top - va ? top : va + size - 1;
	return true;
}

/* @gen: free only tables of that prepare call; 0 for any. */
static unsigned int pt_free_empty(struct novamm_pagetable *pt,
				  struct novamm_pt *t, u64 base, u64 va, u64 last,
				  u32 gen)
{
	const struct novamm_pt_level *l = t->level;
	unsigned int idx, first, end, which, n = pt_halves(l), freed = 0;
	struct novamm_pt *c, *gone[2];
	unsigned int ngone;
	u64 lo, hi;
	bool seen;

	pt_range(t, base, va, last, &first, &end);
	for (idx = first; idx <= end; idx++) {
		pt_entry_span(t, base, idx, &lo, &hi);
		ngone = 0;
		for (which = 0; which < n; which++) {
			c = t->child[pt_slot(l, idx, which)];
			if (!c)
				continue;
			if (!c->level->leaf)
				freed += pt_free_empty(pt, c, lo, va, last, gen);
			if (!c->valid && (!gen || c->gen == gen)) {
				t->child[pt_slot(l, idx, which)] = NULL;
				gone[ngone++] = c;
			}
		}
		if (!ngone)
			continue;
		/*
		 * The entry stops pointing at a table before the table goes;
		 * VRAM never pointed at a fresh one.
		 */
		seen = !gone[0]->fresh || (ngone > 1 && !gone[1]->fresh);
		if (pt_set_pde(pt, t, idx, seen)) {
			/* Still pointed at: keep them linked. */
			while (ngone--)
				t->child[pt_slot(l, idx, gone[ngone]->level == pt->fmt->pt_small)] =
					gone[ngone];
			continue;
		}
		freed += ngone;
		while (ngone)
			pt_takeout(pt, gone[--ngone]);
	}
	return freed;
}

/**
 * novamm_pagetable_free_empty() - take out the tables that map nothing
 * @pt: the tree
 * @va: start of the range to look at
 * @size: its bytes
 *
 * Every table below the root that covers part of the range and whose
 * entries are all zero leaves the tree, bottom up, after the directory
 * entry pointing to it is cleared; a directory emptied that way goes too.
 * They wait on @pt->unlinked for novamm_pagetable_release(), which the
 * caller calls after invalidating the TLB: until then the MMU may still
 * hold the old directory entries. A table whose directory entry cannot be
 * written stays linked. Nothing is allocated.
 *
 * Context: the caller serialises calls on @pt; takes the PRAMIN window's lock
 * for each directory entry written.
 *
 * Return: the number of tables taken out.
 */
unsigned int novamm_pagetable_free_empty(struct novamm_pagetable *pt, u64 va,
					 u64 size)
{
	u64 last;

	if (!pt_clamp(pt, va, size, &last))
		return 0;
	return pt_free_empty(pt, pt->root, 0, va, last, 0);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_free_empty);

static void pt_free_list(struct novamm_pagetable *pt, struct list_head *list)
{
	struct novamm_pt *t, *tmp;

	list_for_each_entry_safe(t, tmp, list, node) {
		list_del(&t->node);
		pt_free_all(pt, t);
	}
}

/**
 * novamm_pagetable_release() - return taken-out tables to the pool
 * @pt: the tree
 *
 * Call it once a TLB invalidate of the tree has completed after
 * novamm_pagetable_unmap() or novamm_pagetable_free_empty(): it frees the
 * tables they took out, and those an earlier operation left retired.
 *
 * Context: the caller serialises calls on @pt; a pool chunk given back
 * takes the buddy lock, so the PRAMIN window's lock must not be held.
 *
 * Return: the number of tables released.
 */
unsigned int novamm_pagetable_release(struct novamm_pagetable *pt)
{
	unsigned int n = pt->num_unlinked + pt->num_retired;

	pt_free_list(pt, &pt->unlinked);
	pt_free_list(pt, &pt->retired);
	pt->num_unlinked = 0;
	pt->num_retired = 0;
	return n;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_release);

/**
 * novamm_pagetable_keep_retired() - the invalidate did not complete
 * @pt: the tree
 *
 * The tables the current operation took out may still be in a TLB: they
 * move to @pt->retired, to be freed by the next novamm_pagetable_release()
 * after an invalidate that completes (or with the tree), and are no longer
 * undone by novamm_pagetable_relink().
 */
void novamm_pagetable_keep_retired(struct novamm_pagetable *pt)
{
	list_splice_init(&pt->unlinked, &pt->retired);
	pt->num_retired += pt->num_unlinked;
	pt->num_unlinked = 0;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_keep_retired);

/**
 * novamm_pagetable_relink() - undo the taking out of the current operation
 * @pt: the tree
 *
 * Puts the subtrees on @pt->unlinked back where they were, newest first,
 * rewriting their parents' entries. Their own entries were never changed;
 * entries cleared in tables that stayed are the caller's to map again.
 *
 * Context: the caller serialises calls on @pt; takes the PRAMIN window's lock
 * for each entry written.
 */
void novamm_pagetable_relink(struct novamm_pagetable *pt)
{
	struct novamm_pt *t, *tmp, *p;
	unsigned int which;

	list_for_each_entry_safe(t, tmp, &pt->unlinked, node) {
		list_del_init(&t->node);
		p = t->parent;
		which = t->level == pt->fmt->pt_small;
		p->child[pt_slot(p->level, t->parent_index, p->level->dual ? which : 0)] = t;
		pt->num_tables += pt_count(t);
		/* The entry as it was, which VRAM held before: cannot fail. */
		pt_set_pde(pt, p, t->parent_index, true);
	}
	pt->num_unlinked = 0;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_relink);

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

	ret = pt_check_range(pt, va, size, page_shift, &target, &which);
	if (ret)
		return ret;
	span = pt_span(target);
	/* Never 0, which stands for "any" in pt_free_empty(). */
	pt->gen = pt->gen + 1 ? pt->gen + 1 : 1;
	for (a = va; a - va < size; a = (a | (span - 1)) + 1) {
		ret = pt_find(pt, a, target, which, true, &t);
		if (ret) {
			pt_free_empty(pt, pt->root, 0, va, va + size - 1, pt->gen);
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
	ret = pt_check_range(pt, va, count << page_shift, page_shift, &target,
			     &which);
	if (ret)
		return ret;
	end = va + (count << page_shift);

	/* First pass: every table exists, no table sits where a page goes. */
	for (a = va; a < end; a = (a | (pt_span(target) - 1)) + 1) {
		ret = pt_find(pt, a, target, which, false, &t);
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
		pt_find(pt, a, target, which, false, &t);
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
		ret = pt_flush(pt, t, first, n);
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
	ret = pt_flush(pt, t, run->first, run->n);
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
		ret = pt_flush(pt, t, run.first, run.n);
		if (ret)
			return ret;
	}
	if (!t->fresh)
		return 0;
	ret = pt_vram_write(pt, t->addr, t->raw, pt_entries(t->level) * t->level->entry_size);
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
					pt_takeout(pt, c);
					continue;
				}
				ret = pt_unmap(pt, c, lo, va, last);
				if (ret)
					return ret;
			}
			if (changed) {
				ret = pt_encode_pde(pt, t, idx, false, raw);
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
				ret = pt_set_pde(pt, t, idx, true);
				if (ret)
					return ret;
				dirty = false;
			}
		}
		ret = pt_run_add(pt, t, &run, idx, dirty);
		if (ret)
			return ret;
	}
	return pt_flush(pt, t, run.first, run.n);
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

static const char * const pt_state_names[] = {
	[NOVAMM_PT_UNMAPPED] = "unmapped",
	[NOVAMM_PT_INVALID] = "invalid",
	[NOVAMM_PT_SPARSE] = "sparse",
	[NOVAMM_PT_VALID] = "valid",
	[NOVAMM_PT_TABLE] = "table",
};

static void pt_dump(struct seq_file *m, const struct novamm_pagetable *pt,
		    const struct novamm_pt *t, u64 base, unsigned int depth,
		    u64 first, u64 last)
{
	const struct novamm_pt_level *l = t->level;
	unsigned int idx, which, n = pt_halves(l);
	struct novamm_pte pte;
	struct novamm_pt *c;
	u64 va, hi;

	seq_printf(m, "%*s%s at 0x%llx: %u of %u entries used\n", 2 * depth, "",
		   l->name, t->addr, t->valid, pt_entries(l));
	for (idx = 0; idx < pt_entries(l); idx++) {
		pt_entry_span(t, base, idx, &va, &hi);
		if (pt_entry_zero(t, idx) || va > last || hi < first)
			continue;
		if (l->leaf || pt_dir_entry_is_page(pt, t, idx)) {
			pt->fmt->codec->pte_decode(pt_raw(t, idx, 0), &pte);
			seq_printf(m, "%*s[%u] va 0x%llx: %s", 2 * depth + 2, "",
				   idx, va, pt_state_names[pte.state]);
			if (pte.state == NOVAMM_PT_VALID)
				seq_printf(m, " 0x%llx aperture %u kind 0x%x%s%s%s%s",
					   pte.addr, pte.attrs.aperture, pte.attrs.kind,
					   pte.attrs.read_only ? " ro" : "",
					   pte.attrs.privileged ? " priv" : "",
					   pte.attrs.uncached ? " uncached" : "",
					   pte.attrs.atomic_disable ? " no-atomic" : "");
			seq_printf(m, " (%s 0x%016llx)\n", l->name, pt_raw(t, idx, 0));
			continue;
		}
		for (which = 0; which < n; which++) {
			c = t->child[pt_slot(l, idx, which)];
			if (c)
				pt_dump(m, pt, c, va, depth + 1, first, last);
		}
	}
}

/**
 * novamm_pagetable_dump() - print a subtree for debugfs, from its shadow
 * @m: the file
 * @pt: the tree
 * @va: start of the VA range whose tables and entries are printed
 * @size: its bytes; 0 for the whole VA
 *
 * One line per table (level, VRAM address, entries in use) and one per
 * page entry (state, address, attributes, raw value), indented by depth.
 */
void novamm_pagetable_dump(struct seq_file *m, const struct novamm_pagetable *pt,
			   u64 va, u64 size)
{
	u64 last = size ? va + size - 1 : U64_MAX;

	seq_printf(m, "format: %s, %u tables, %u pool chunks\n", pt->fmt->name,
		   pt->num_tables, pt->pool.num_chunks);
	pt_dump(m, pt, pt->root, 0, 0, size ? va : 0, last < va ? U64_MAX : last);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_dump);

static void pt_init_empty(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			  struct novamm_pramin *pramin,
			  const struct novamm_pt_format *fmt)
{
	pt->pramin = pramin;
	pt->fmt = fmt;
	pt->root = NULL;
	pt->num_tables = 0;
	pt->num_fresh = 0;
	INIT_LIST_HEAD(&pt->unlinked);
	pt->num_unlinked = 0;
	INIT_LIST_HEAD(&pt->retired);
	pt->num_retired = 0;
	pt->gen = 0;
	novamm_pt_pool_init(&pt->pool, buddy);
}

/**
 * novamm_pagetable_init() - an empty tree: a zeroed root directory
 * @pt: the tree to set up
 * @buddy: the VRAM allocator its tables come from (the table pool)
 * @pramin: the window its tables are written through
 * @fmt: its format
 *
 * The root gets a whole 4 KiB page from the table pool, zeroed through
 * PRAMIN (the MMU may prefetch past the entries the VA uses); there is no
 * other table yet. On failure nothing stays allocated.
 *
 * Context: takes the buddy lock (the pool's first chunk), then
 * the PRAMIN window's lock, one after the other. May sleep.
 *
 * Return: 0, -ENOSPC or -ENOMEM, or the error of the PRAMIN write.
 */
int novamm_pagetable_init(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			  struct novamm_pramin *pramin,
			  const struct novamm_pt_format *fmt)
{
	struct novamm_pt *root;
	int ret;

	pt_init_empty(pt, buddy, pramin, fmt);
	root = pt_new(pt, &fmt->dirs[0]);
	if (IS_ERR(root)) {
		novamm_pt_pool_fini(&pt->pool);
		return PTR_ERR(root);
	}
	/* The whole page: the MMU may prefetch past the root's entries. */
	ret = novamm_pramin_fill(pramin, root->addr, 0, pt_alloc_size(pt, root->level));
	if (ret) {
		pt_free(pt, root);
		novamm_pt_pool_fini(&pt->pool);
		return ret;
	}
	root->fresh = false;
	pt->num_fresh--;
	pt->root = root;
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_init);

/**
 * novamm_pagetable_adopt() - a tree under a root directory someone else owns
 * @pt: the tree to set up
 * @buddy: the VRAM allocator its tables come from (the table pool)
 * @pramin: the window its tables are written through
 * @fmt: its format
 * @root_addr: VRAM address of the root directory, 4 KiB aligned
 * @va: start of the VA range the tree will map
 * @size: its bytes
 *
 * For GSP-RM's BAR1 page directory: the root is read once through PRAMIN
 * and kept in the shadow as found; it is never freed and never written
 * whole, only its entries for [@va, @va + @size), which must all be
 * invalid. Entries outside that range stay as they are, untouched. Tables
 * below the root come from the pool as in any tree; once the caller has
 * unmapped everything, the root's entries are invalid again.
 *
 * Context: takes the PRAMIN window's lock for the read. May sleep.
 *
 * Return: 0; -EINVAL for a root outside VRAM or unaligned, or an empty
 * range or one beyond the VA; -EBUSY when an entry for the range is
 * already valid (logged); -ENOMEM, or the PRAMIN error.
 */
int novamm_pagetable_adopt(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			   struct novamm_pramin *pramin,
			   const struct novamm_pt_format *fmt, u64 root_addr,
			   u64 va, u64 size)
{
	const struct novamm_pt_level *l = &fmt->dirs[0];
	struct device *dev = pramin->hw->dev;
	unsigned int idx, first, end, w;
	struct novamm_pt *root;
	u64 last;
	int ret;

	/* A root is given a page (pt_alloc_size()), and so is GSP-RM's. */
	if (!IS_ALIGNED(root_addr, SZ_4K) || root_addr >= pramin->vram_size ||
	    pramin->vram_size - root_addr < SZ_4K) {
		dev_err(dev, "page directory at 0x%llx is unaligned or outside VRAM\n",
			root_addr);
		return -EINVAL;
	}
	pt_init_empty(pt, buddy, pramin, fmt);
	root = pt_shadow_new(pt, l);
	if (!root)
		return -ENOMEM;
	root->addr = root_addr;
	root->foreign = true;

	ret = novamm_pramin_read(pramin, root_addr, root->raw,
				 pt_entries(l) * l->entry_size);
	if (ret)
		goto err;

	if (!pt_clamp(pt, va, size, &last)) {
		ret = -EINVAL;
		goto err;
	}
	pt_range(root, 0, va, last, &first, &end);
	for (idx = 0; idx < pt_entries(l); idx++) {
		bool used = false;

		for (w = 0; w < pt_words(l); w++)
			used |= root->raw[idx * pt_words(l) + w] != 0;
		if (!used)
			continue;
		if (idx >= first && idx <= end) {
			dev_err(dev, "page directory at 0x%llx already maps entry %u of the range [0x%llx, 0x%llx]\n",
				root_addr, idx, va, last);
			ret = -EBUSY;
			goto err;
		}
		root->valid++;
	}
	pt->root = root;
	pt->num_tables = 1;
	return 0;

err:
	pt_shadow_free(root);
	novamm_pt_pool_fini(&pt->pool);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_adopt);

/**
 * novamm_pagetable_fini() - free every table of a tree
 * @pt: the tree; nothing may use it any more, the GPU included (the VRAM
 *	is not cleared)
 *
 * Tables waiting on @pt->unlinked or @pt->retired go too. A tree whose
 * setup failed, or that was finished already, is left alone. After
 * novamm_pagetable_keep(), the VRAM of the tables stays allocated.
 */
void novamm_pagetable_fini(struct novamm_pagetable *pt)
{
	if (!pt->root)
		return;
	novamm_pagetable_release(pt);
	pt_free_all(pt, pt->root);
	pt->root = NULL;
	pt->num_tables = 0;
	novamm_pt_pool_fini(&pt->pool);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_fini);

/**
 * novamm_pagetable_keep() - the GPU may walk these tables after they go
 * @pt: the tree; when it is freed, its tables' VRAM stays allocated
 *	(novamm_vram_keep()), so that nothing else is ever put there
 */
void novamm_pagetable_keep(struct novamm_pagetable *pt)
{
	novamm_pt_pool_keep(&pt->pool);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_keep);
