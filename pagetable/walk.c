// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic page-table walker and the CPU-side shadow of the tree.
 *
 * The walker knows levels only as the format's table describes them (how
 * many VA bits each decodes, from which bit, in entries of what size) and
 * entries only through the format's encode and decode functions: it never
 * names a bit. Every table has a shadow holding the entries as they were
 * written and pointers to the child tables, so that walks, lookups and
 * unmaps read host memory only; VRAM is written, one PRAMIN pass per run
 * of consecutive entries of a table, and never read.
 *
 * Locking: the caller serialises calls on one struct novamm_pagetable.
 * Table memory is taken from the pool (which may take the buddy lock)
 * before mm->pramin_lock is taken to zero it and to write entries; the two
 * are never held together. novamm_pagetable_map() and _clear() allocate
 * nothing.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/core.h>
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

	mutex_lock(&pt->mm->pramin_lock);
	ret = novamm_pramin_write(pt->mm, addr, buf, len);
	mutex_unlock(&pt->mm->pramin_lock);
	return ret;
}

/* Entries [first, first + n) of @t, shadow to VRAM, in one PRAMIN pass. */
static int pt_flush(struct novamm_pagetable *pt, struct novamm_pt *t,
		    unsigned int first, unsigned int n)
{
	size_t esz = t->level->entry_size;

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

/* The root is given a whole zeroed page: the MMU may prefetch past it. */
static u32 pt_alloc_size(const struct novamm_pagetable *pt,
			 const struct novamm_pt_level *l)
{
	if (l == &pt->fmt->dirs[0])
		return SZ_4K;
	return pt_entries(l) * l->entry_size;
}

static void pt_free(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	novamm_pt_pool_put(&pt->pool, t->addr, pt_alloc_size(pt, t->level));
	kfree(t->child);
	kfree(t->raw);
	kfree(t);
}

/*
 * A table no entry points to any more: out of the tree now, its VRAM
 * back to the pool only in novamm_pagetable_release(), after the TLB has
 * forgotten the entry.
 */
static void pt_retire(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	t->parent = pt->retired;
	pt->retired = t;
	pt->num_tables--;
	pt->num_retired++;
}

static struct novamm_pt *pt_new(struct novamm_pagetable *pt,
				const struct novamm_pt_level *l)
{
	u32 size = pt_alloc_size(pt, l);
	struct novamm_pt *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->level = l;
	t->raw = kcalloc(pt_entries(l) * pt_words(l), sizeof(*t->raw), GFP_KERNEL);
	if (!l->leaf)
		t->child = kcalloc(pt_entries(l) * pt_halves(l),
				   sizeof(*t->child), GFP_KERNEL);
	if (!t->raw || (!l->leaf && !t->child)) {
		ret = -ENOMEM;
		goto err;
	}
	ret = novamm_pt_pool_get(&pt->pool, size, &t->addr);
	if (ret)
		goto err;
	pt->num_tables++;

	mutex_lock(&pt->mm->pramin_lock);
	ret = novamm_pramin_fill(pt->mm, t->addr, 0, size);
	mutex_unlock(&pt->mm->pramin_lock);
	if (ret) {
		/* Nothing points at it yet: no TLB can hold it. */
		pt->num_tables--;
		pt_free(pt, t);
		return ERR_PTR(ret);
	}
	return t;

err:
	kfree(t->child);
	kfree(t->raw);
	kfree(t);
	return ERR_PTR(ret);
}

/* Re-encode directory entry @idx of @t from its children, and write it. */
static int pt_set_pde(struct novamm_pagetable *pt, struct novamm_pt *t,
		      unsigned int idx)
{
	const struct novamm_pt_format *fmt = pt->fmt;
	struct novamm_pde half[2];
	struct novamm_pt *c;
	unsigned int which, n = pt_halves(t->level);
	u64 raw[2] = {};
	__le64 le[2];
	int ret;

	for (which = 0; which < n; which++) {
		c = t->child[pt_slot(t->level, idx, which)];
		half[which] = c ? (struct novamm_pde){ NOVAMM_PT_TABLE,
						       NOVAMM_PDE_APERTURE_VIDEO,
						       c->addr } :
				  (struct novamm_pde){ NOVAMM_PT_UNMAPPED };
	}
	if (t->level->dual)
		ret = fmt->dual_encode(&half[0], &half[1], raw);
	else
		ret = fmt->pde_encode(&half[0], raw);
	if (ret)
		return ret;
	/* VRAM first: the shadow only ever says what the GPU can see. */
	le[0] = cpu_to_le64(raw[0]);
	le[1] = cpu_to_le64(raw[1]);
	ret = pt_vram_write(pt, t->addr + idx * t->level->entry_size, le,
			    t->level->entry_size);
	if (!ret)
		pt_store(t, idx, raw);
	return ret;
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
			    (t->level->dual && pt->fmt->is_pte(pt_raw(t, idx, 0))))
				return -EBUSY;
			c = pt_new(pt, pt_child_level(pt->fmt, t->level,
						      t->level->dual ? which : 0));
			if (IS_ERR(c))
				return PTR_ERR(c);
			c->gen = pt->gen;
			c->parent = t;
			c->parent_index = idx;
			t->child[slot] = c;
			ret = pt_set_pde(pt, t, idx);
			if (ret) {
				/* The entry was not written: the GPU never saw it. */
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
	struct device *dev = pt->mm->ndev->dev;
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

/* @gen: free only tables of that prepare call; 0 for any. */
static unsigned int pt_free_empty(struct novamm_pagetable *pt,
				  struct novamm_pt *t, u64 base, u64 va, u64 last,
				  u32 gen)
{
	const struct novamm_pt_level *l = t->level;
	unsigned int idx, first, end, which, n = pt_halves(l), freed = 0;
	struct novamm_pt *c, *gone[2];
	unsigned int ngone;

	first = va > base ? pt_index(l, va) : 0;
	end = last < base + pt_span(l) - 1 ? pt_index(l, last) : pt_entries(l) - 1;
	for (idx = first; idx <= end; idx++) {
		ngone = 0;
		for (which = 0; which < n; which++) {
			c = t->child[pt_slot(l, idx, which)];
			if (!c)
				continue;
			if (!c->level->leaf)
				freed += pt_free_empty(pt, c,
						       base + ((u64)idx << l->va_shift),
						       va, last, gen);
			if (!c->valid && (!gen || c->gen == gen)) {
				t->child[pt_slot(l, idx, which)] = NULL;
				gone[ngone++] = c;
			}
		}
		if (!ngone)
			continue;
		/* The entry stops pointing at a table before the table goes. */
		if (pt_set_pde(pt, t, idx)) {
			/* Still pointed at: keep them linked. */
			while (ngone--)
				t->child[pt_slot(l, idx, gone[ngone]->level == pt->fmt->pt_small)] =
					gone[ngone];
			continue;
		}
		freed += ngone;
		while (ngone)
			pt_retire(pt, gone[--ngone]);
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
 * Their VRAM is kept until novamm_pagetable_release(), which the caller
 * calls after invalidating the TLB: until then the MMU may still hold
 * the old directory entries.
 *
 * Return: the number of tables taken out.
 */
unsigned int novamm_pagetable_free_empty(struct novamm_pagetable *pt, u64 va,
					 u64 size)
{
	u64 top = BIT_ULL(pt->fmt->va_bits) - 1;

	if (!size || va > top)
		return 0;
	return pt_free_empty(pt, pt->root, 0, va,
			     size - 1 > top - va ? top : va + size - 1, 0);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_free_empty);

/**
 * novamm_pagetable_release() - return taken-out tables to the pool
 * @pt: the tree
 *
 * Call it once the TLB has been invalidated after novamm_pagetable_free_empty()
 * or a failed novamm_pagetable_prepare().
 *
 * Return: the number of tables released.
 */
unsigned int novamm_pagetable_release(struct novamm_pagetable *pt)
{
	unsigned int n = 0;
	struct novamm_pt *t;

	while (pt->retired) {
		t = pt->retired;
		pt->retired = t->parent;
		pt_free(pt, t);
		n++;
	}
	pt->num_retired = 0;
	return n;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_release);

/**
 * novamm_pagetable_prepare() - make sure the tables for a range exist
 * @pt: the tree
 * @va: start, aligned to the page size
 * @size: bytes, a multiple of the page size
 * @page_shift: log2 of the page size that will be mapped there
 *
 * Allocates, zeroes and links every missing table down to the level that
 * maps pages of that size: the only operation that allocates.
 *
 * Return: 0; -EINVAL for a page size the format does not have or a range
 * outside the VA; -EBUSY where a larger page is mapped; -ENOSPC or
 * -ENOMEM. On failure the tables this call created are taken out again,
 * for novamm_pagetable_release() after a TLB invalidate; tables that
 * existed before stay, empty or not.
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
			ret = fmt->pte_encode(&pte, &raw[0]);
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
 * Consecutive entries of one table go to VRAM in one PRAMIN pass. Nothing
 * is allocated, and nothing is written when the call fails. The TLB is
 * not invalidated: that is the caller's, once per operation.
 *
 * Return: 0; -EINVAL for a bad range; -ERANGE for an address or attribute
 * the format cannot hold; -ENOENT where a table is missing; -EBUSY where a
 * table sits in the place of a large page.
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
	ret = pt->fmt->pte_encode(&pte, &raw);
	if (!ret) {
		pte.addr = last;
		ret = pt->fmt->pte_encode(&pte, &raw);
		pte.addr = phys;
	}
	if (ret) {
		dev_dbg(pt->mm->ndev->dev, "page table: %s cannot map [0x%llx, 0x%llx] with these attributes\n",
			pt->fmt->name, phys, last);
		return ret;
	}
	return pt_write_run(pt, va, count, page_shift, &pte);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_map);

/**
 * novamm_pagetable_clear() - unmap a run of pages
 * @pt: the tree
 * @va: first virtual address
 * @count: pages
 * @page_shift: log2 of the page size they were mapped with
 *
 * The entries are zeroed (unmapped). Tables stay until
 * novamm_pagetable_free_empty(). Nothing is allocated.
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
			fmt->pte_decode(pt_raw(t, idx, 0), &pte);
			pt_mapping_from_pte(&pte, va, 1ULL << t->level->va_shift, map);
			return 0;
		}
		if (t->level->pte && pt_dir_entry_is_page(pt, t, idx) &&
		    (fmt->is_pte(pt_raw(t, idx, 0)) || !t->level->dual)) {
			fmt->pte_decode(pt_raw(t, idx, 0), &pte);
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
			fmt->dual_decode(raw, &half[0], &half[1]);
			if (half[0].state == NOVAMM_PT_SPARSE)
				map->state = NOVAMM_PT_SPARSE;
			map->page_size = 1ULL << t->level->va_shift;
			return 0;
		}
		if (big) {
			fmt->pte_decode(pt_raw(big, pt_index(big->level, va), 0), &pte);
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
	u64 va;

	seq_printf(m, "%*s%s at 0x%llx: %u of %u entries used\n", 2 * depth, "",
		   l->name, t->addr, t->valid, pt_entries(l));
	for (idx = 0; idx < pt_entries(l); idx++) {
		va = base + ((u64)idx << l->va_shift);
		if (pt_entry_zero(t, idx) || va > last ||
		    va + (1ULL << l->va_shift) - 1 < first)
			continue;
		if (l->leaf || pt_dir_entry_is_page(pt, t, idx)) {
			pt->fmt->pte_decode(pt_raw(t, idx, 0), &pte);
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

/**
 * novamm_pagetable_init() - an empty tree: a zeroed root directory
 * @pt: the tree to set up
 * @mm: the memory manager whose VRAM holds it
 * @fmt: its format
 *
 * Return: 0, -ENOSPC or -ENOMEM.
 */
int novamm_pagetable_init(struct novamm_pagetable *pt, struct novamm_mm *mm,
			  const struct novamm_pt_format *fmt)
{
	struct novamm_pt *root;

	pt->mm = mm;
	pt->fmt = fmt;
	pt->num_tables = 0;
	pt->retired = NULL;
	pt->num_retired = 0;
	pt->gen = 0;
	novamm_pt_pool_init(&pt->pool, mm);
	root = pt_new(pt, &fmt->dirs[0]);
	if (IS_ERR(root)) {
		novamm_pt_pool_fini(&pt->pool);
		return PTR_ERR(root);
	}
	pt->root = root;
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_init);

static void pt_free_all(struct novamm_pagetable *pt, struct novamm_pt *t)
{
	unsigned int slot;

	if (!t->level->leaf)
		for (slot = 0; slot < pt_entries(t->level) * pt_halves(t->level); slot++)
			if (t->child[slot])
				pt_free_all(pt, t->child[slot]);
	pt_free(pt, t);
}

/**
 * novamm_pagetable_fini() - free every table of a tree
 * @pt: the tree; nothing may use it any more, the GPU included (the VRAM
 *	is not cleared)
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
 * novamm_pagetable_format() - the page-table format of a chip
 * @chip: the chip
 *
 * Return: the format; v2 without 512 MiB pages on Turing, with them on
 * Ampere and Ada; v3 without 256 GiB pages on Hopper, with them on
 * Blackwell; NULL for an architecture novamm does not know.
 */
const struct novamm_pt_format *novamm_pagetable_format(const struct novamm_chip *chip)
{
	switch (chip->arch->code) {
	case NV_PMC_BOOT_ARCHITECTURE_TU100:
		return &novamm_pt_v2_tu102;
	case NV_PMC_BOOT_ARCHITECTURE_GA100:
	case NV_PMC_BOOT_ARCHITECTURE_AD100:
		return &novamm_pt_v2_ga100;
	case NV_PMC_BOOT_ARCHITECTURE_GH100:
		return &novamm_pt_v3_gh100;
	case NV_PMC_BOOT_ARCHITECTURE_GB100:
	case NV_PMC_BOOT_ARCHITECTURE_GB200:
		return &novamm_pt_v3_gb100;
	default:
		return NULL;
	}
}
EXPORT_SYMBOL_GPL(novamm_pagetable_format);
