// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table store: the CPU-side shadow of every table, the VRAM behind
 * it, and tables taken out of the tree until the TLB lets them go.
 */

/**
 * DOC: Locking
 *
 * A &struct novamm_pagetable has no lock: its owner (an address space)
 * serialises every call on it. Table memory is taken from the pool,
 * which may take the buddy lock, before the PRAMIN window's lock or the
 * table window's is taken to write entries, and tables go back to the
 * pool after it is dropped: the two are taken one after the other, never
 * nested (the table window's own order is in pagetable/window.c). Only
 * novamm_pagetable_prepare() and novamm_pagetable_init() take memory from
 * the pool and allocate shadows; novamm_pagetable_adopt() allocates the
 * shadow of the root it adopts, and no other call allocates.
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
 * VRAM is written, one write per run of consecutive entries of a table
 * (novamm_pt_vram_write(): a copy through the table window, or a PRAMIN
 * pass), and never read back; the one read is that of a root directory
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

/**
 * DOC: Spare tables
 *
 * Up to NOVAMM_PT_SPARE_MAX released tables stay with the tree, VRAM and
 * shadow, and novamm_pt_new() takes one of the level it needs before it
 * takes new VRAM. A spare's VRAM is known, since the shadow is what was
 * written: zero but for the span of entries it last held. So commit
 * writes only the span covering those and the new entries, in one write,
 * instead of the whole table: a one-page map into an empty address space
 * writes a few entries per level, not 4 KiB per table. The old entries
 * are overwritten with zero before the table is linked, so the GPU never
 * walks one; and the table was released only after an invalidate, so no
 * TLB or directory cache still holds the way to it. After a failed PRAMIN
 * write VRAM may differ from the shadow, and the tree keeps no more
 * spares. novamm_pagetable_fini() gives them back to the pool.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include <novamm/compat.h>
#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/pramin.h>

#include "internal.h"

/**
 * novamm_pt_vram_write() - write bytes of tables to VRAM
 * @pt: the tree
 * @addr: VRAM address
 * @buf: the bytes, little-endian entries
 * @len: their count
 *
 * One copy through the write-combined window where the table's chunk is
 * mapped in it, else one PRAMIN pass under the PRAMIN window's lock.
 *
 * Return: 0, or the error of the write.
 */
int novamm_pt_vram_write(struct novamm_pagetable *pt, u64 addr, const void *buf,
			 size_t len)
{
	int ret;

	ret = novamm_pt_window_write(&pt->pool, addr, buf, len);
	if (ret == -ENOENT)
		ret = novamm_pramin_write(pt->pramin, addr, buf, len);
	if (ret)
		pt->vram_unsure = true;
	return ret;
}

/**
 * novamm_pt_flush() - entries of a table, shadow to VRAM
 * @pt: the tree
 * @t: the table
 * @first: its first entry to write
 * @n: how many
 *
 * One write (novamm_pt_vram_write()); a fresh table is written whole by
 * novamm_pagetable_commit() instead, so nothing is written for it here.
 *
 * Return: 0, or the error of the write.
 */
int novamm_pt_flush(struct novamm_pagetable *pt, struct novamm_pt *t,
		    unsigned int first, unsigned int n)
{
	size_t esz = t->level->entry_size;

	if (t->fresh || !n)
		return 0;
	return novamm_pt_vram_write(pt, t->addr + first * esz, (u8 *)t->raw + first * esz,
			     n * esz);
}

/**
 * novamm_pt_free() - free one table: its VRAM back to the pool (unless
 *	someone else owns it) and its shadow
 * @pt: the tree
 * @t: the table, out of the tree
 */
void novamm_pt_free(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	if (t->fresh)
		pt->num_fresh--;
	if (!t->foreign)
		novamm_pt_pool_put(&pt->pool, t->addr, pt_alloc_size(pt, t->level));
	pt_shadow_free(t);
}

static int pt_free_done(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base)
{
	novamm_pt_free(w->pt, t);
	return 0;
}

/* Children are freed before their parent, which is freed last. */
static const struct novamm_pt_walk_ops pt_free_ops = {
	.table = novamm_pt_walk_dirs,
	.table_done = pt_free_done,
};

/**
 * novamm_pt_free_all() - free a table and every table under it
 * @pt: the tree
 * @t: the table
 */
void novamm_pt_free_all(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	struct novamm_pt_walk w = { &pt_free_ops, pt, 0, U64_MAX };

	novamm_pt_walk_range(&w, t, 0);
}

struct pt_count_walk {
	struct novamm_pt_walk w;
	unsigned int n;
};

static int pt_count_table(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
			  unsigned int depth)
{
	container_of(w, struct pt_count_walk, w)->n++;
	return novamm_pt_walk_dirs(w, t, base, depth);
}

static const struct novamm_pt_walk_ops pt_count_ops = {
	.table = pt_count_table,
};

/* Tables in the subtree under @t, @t included. */
static unsigned int pt_count(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	struct pt_count_walk c = { { &pt_count_ops, pt, 0, U64_MAX } };

	novamm_pt_walk_range(&c.w, t, 0);
	return c.n;
}

/**
 * novamm_pt_takeout() - a table leaves the tree with everything under it
 * @pt: the tree
 * @t: the table, no longer pointed to by its parent's shadow entry
 *
 * A fresh subtree was never seen by the GPU and is freed now; any other
 * waits on ``pt->unlinked``, because until the TLB invalidate the MMU may
 * still hold the old directory entries.
 */
void novamm_pt_takeout(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	unsigned int n = pt_count(pt, t);

	pt->num_tables -= n;
	if (t->fresh) {
		novamm_pt_free_all(pt, t);
		return;
	}
	list_add(&t->node, &pt->unlinked);
	pt->num_unlinked += n;
}

/**
 * novamm_pt_shadow_new() - the shadow of a table, with no VRAM yet
 * @pt: the tree
 * @l: the table's level
 *
 * Return: the shadow, its entries zero, or NULL when out of memory.
 */
struct novamm_pt *novamm_pt_shadow_new(struct novamm_pagetable *pt,
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

/**
 * novamm_pt_nonzero() - the span of a table's entries that are not zero
 * @t: the table
 * @first: its first entry that is not zero
 * @end: the entry after its last one; @first == @end when all are zero
 */
void novamm_pt_nonzero(const struct novamm_pt *t, unsigned int *first, unsigned int *end)
{
	unsigned int words = pt_entries(t->level) * pt_words(t->level), i, j;

	for (i = 0; i < words && !t->raw[i]; i++)
		;
	for (j = words; j > i && !t->raw[j - 1]; j--)
		;
	*first = i / pt_words(t->level);
	*end = DIV_ROUND_UP(j, pt_words(t->level));
}

/* A spare of level @l, made fresh again: its shadow zero, its VRAM as it was. */
static struct novamm_pt *pt_spare_take(struct novamm_pagetable *pt,
				       const struct novamm_pt_level *l)
{
	struct novamm_pt *t;

	list_for_each_entry(t, &pt->spare, node) {
		if (t->level != l)
			continue;
		list_del_init(&t->node);
		pt->num_spare--;
		memset(t->raw, 0, pt_entries(l) * pt_words(l) * sizeof(*t->raw));
		if (!l->leaf)
			memset(t->child, 0, pt_entries(l) * pt_halves(l) * sizeof(*t->child));
		t->valid = 0;
		t->parent = NULL;
		t->parent_index = 0;
		return t;
	}
	return NULL;
}

/**
 * novamm_pt_new() - a fresh table: its shadow and VRAM from the pool
 * @pt: the tree
 * @l: its level
 *
 * A spare of that level if the tree keeps one, whose VRAM is known: zero
 * but for the entries it last held, which novamm_pagetable_commit() writes
 * over with the new ones. Otherwise new VRAM from the pool, which holds
 * whatever was there until commit writes it whole.
 *
 * Return: the table, or an error pointer: -ENOMEM, or the pool's error.
 */
struct novamm_pt *novamm_pt_new(struct novamm_pagetable *pt,
				const struct novamm_pt_level *l)
{
	struct novamm_pt *t;
	int ret;

	t = pt_spare_take(pt, l);
	if (t)
		goto fresh;
	t = novamm_pt_shadow_new(pt, l);
	if (!t)
		return ERR_PTR(-ENOMEM);
	ret = novamm_pt_pool_get(&pt->pool, pt_alloc_size(pt, l), &t->addr);
	if (ret) {
		pt_shadow_free(t);
		return ERR_PTR(ret);
	}
	/* Its VRAM holds whatever was there: written only in commit. */
	t->dirty_first = 0;
	t->dirty_end = pt_entries(l);
fresh:
	t->fresh = true;
	pt->num_fresh++;
	pt->num_tables++;
	return t;
}

/**
 * novamm_pt_encode_pde() - a directory entry as its children make it
 * @pt: the tree
 * @t: the directory
 * @idx: the entry
 * @written_only: leave out fresh children, as the GPU may see the entry
 * @raw: the entry, one qword or two for a dual entry
 *
 * Return: 0, or the codec's error for a child it cannot point at.
 */
int novamm_pt_encode_pde(const struct novamm_pagetable *pt, const struct novamm_pt *t,
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

/**
 * novamm_pt_set_pde() - re-encode a directory entry from its children
 * @pt: the tree
 * @t: the directory
 * @idx: the entry
 * @write: and, @t not being fresh, write it to VRAM too, leaving out
 *	fresh children (commit links those)
 *
 * Return: 0, the codec's error, or a PRAMIN error.
 */
int novamm_pt_set_pde(struct novamm_pagetable *pt, struct novamm_pt *t,
		      unsigned int idx, bool write)
{
	u64 raw[2], vis[2];
	__le64 le[2];
	int ret;

	ret = novamm_pt_encode_pde(pt, t, idx, false, raw);
	if (!ret && write && !t->fresh)
		ret = novamm_pt_encode_pde(pt, t, idx, true, vis);
	if (ret)
		return ret;
	if (write && !t->fresh) {
		le[0] = cpu_to_le64(vis[0]);
		le[1] = cpu_to_le64(vis[1]);
		ret = novamm_pt_vram_write(pt, t->addr + idx * t->level->entry_size, le,
					   t->level->entry_size);
		if (ret)
			return ret;
	}
	pt_store(t, idx, raw);
	return 0;
}

struct pt_free_empty_walk {
	struct novamm_pt_walk w;
	u64 since;
	unsigned int freed;
};

/* Only directories can hold empty tables. */
static int pt_free_empty_child(struct novamm_pt_walk *w, struct novamm_pt_at *at,
			       unsigned int which, struct novamm_pt *c)
{
	return c->level->leaf ? NOVAMM_PT_WALK_NEXT : NOVAMM_PT_WALK_DOWN;
}

/* The entry's children are done: those now empty leave. */
static int pt_free_empty_done(struct novamm_pt_walk *w, struct novamm_pt_at *at)
{
	struct pt_free_empty_walk *fe = container_of(w, struct pt_free_empty_walk, w);
	struct novamm_pagetable *pt = w->pt;
	struct novamm_pt *t = at->t, *c, *gone[2];
	const struct novamm_pt_level *l = t->level;
	unsigned int which, ngone = 0;
	bool seen;

	for (which = 0; !l->leaf && which < pt_halves(l); which++) {
		c = t->child[pt_slot(l, at->idx, which)];
		if (c && !c->valid && c->gen >= fe->since) {
			t->child[pt_slot(l, at->idx, which)] = NULL;
			gone[ngone++] = c;
		}
	}
	if (!ngone)
		return 0;
	/*
	 * The entry stops pointing at a table before the table goes;
	 * VRAM never pointed at a fresh one.
	 */
	seen = !gone[0]->fresh || (ngone > 1 && !gone[1]->fresh);
	if (novamm_pt_set_pde(pt, t, at->idx, seen)) {
		/* Still pointed at: keep them linked. */
		while (ngone--)
			t->child[pt_slot(l, at->idx, gone[ngone]->level == pt->fmt->pt_small)] =
				gone[ngone];
		return 0;
	}
	fe->freed += ngone;
	while (ngone)
		novamm_pt_takeout(pt, gone[--ngone]);
	return 0;
}

static const struct novamm_pt_walk_ops pt_free_empty_ops = {
	.table = novamm_pt_walk_dirs,
	.child = pt_free_empty_child,
	.entry_done = pt_free_empty_done,
};

/**
 * novamm_pt_free_empty() - take out the tables under the root that map
 *	nothing
 * @pt: the tree
 * @va: the first VA of the range
 * @last: its last VA
 * @since: free only tables of this novamm_pagetable_prepare() call and
 *	later ones; 0 for any
 *
 * Return: how many tables were taken out.
 */
unsigned int novamm_pt_free_empty(struct novamm_pagetable *pt, u64 va, u64 last, u64 since)
{
	struct pt_free_empty_walk fe = { { &pt_free_empty_ops, pt, va, last }, since };

	novamm_pt_walk_range(&fe.w, pt->root, 0);
	return fe.freed;
}

/* For the suites alone: an update frees its own empty tables. */
#if IS_ENABLED(CONFIG_KUNIT)
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
	return novamm_pt_free_empty(pt, va, last, 0);
}
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_free_empty);
#endif

/*
 * A released table: kept spare while the tree has room and knows its
 * VRAM, with the span of entries VRAM holds, else freed.
 */
static int pt_release_done(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base)
{
	struct novamm_pagetable *pt = w->pt;

	if (t->fresh || t->foreign || pt->vram_unsure ||
	    pt->num_spare >= NOVAMM_PT_SPARE_MAX) {
		novamm_pt_free(pt, t);
		return 0;
	}
	novamm_pt_nonzero(t, &t->dirty_first, &t->dirty_end);
	list_add(&t->node, &pt->spare);
	pt->num_spare++;
	return 0;
}

/* Children before their parent, as pt_free_ops. */
static const struct novamm_pt_walk_ops pt_release_ops = {
	.table = novamm_pt_walk_dirs,
	.table_done = pt_release_done,
};

static void pt_free_list(struct novamm_pagetable *pt, struct list_head *list)
{
	struct novamm_pt_walk w = { &pt_release_ops, pt, 0, U64_MAX };
	struct novamm_pt *t, *tmp;

	list_for_each_entry_safe(t, tmp, list, node) {
		list_del_init(&t->node);
		novamm_pt_walk_range(&w, t, 0);
	}
}

/**
 * novamm_pt_spare_free() - give the tree's spare tables back to the pool
 * @pt: the tree
 */
void novamm_pt_spare_free(struct novamm_pagetable *pt)
{
	struct novamm_pt *t, *tmp;

	list_for_each_entry_safe(t, tmp, &pt->spare, node) {
		list_del(&t->node);
		novamm_pt_free(pt, t);
	}
	pt->num_spare = 0;
}

/**
 * novamm_pagetable_release() - return taken-out tables to the pool
 * @pt: the tree
 *
 * Call it once a TLB invalidate of the tree has completed after
 * novamm_pagetable_unmap() or novamm_pagetable_free_empty(): it frees the
 * tables they took out, and those an earlier operation left retired, or
 * keeps up to NOVAMM_PT_SPARE_MAX of them spare (see "Spare tables").
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
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_release);

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
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_keep_retired);

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
		pt->num_tables += pt_count(pt, t);
		/* The entry as it was, which VRAM held before: cannot fail. */
		novamm_pt_set_pde(pt, p, t->parent_index, true);
	}
	pt->num_unlinked = 0;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_pagetable_relink);
