/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm pagetable internals: what the files of pagetable/ share (the
 * level and entry arithmetic of the walker, the table store, the pool),
 * which nothing outside it sees.
 */
#ifndef _NOVAMM_PAGETABLE_INTERNAL_H_
#define _NOVAMM_PAGETABLE_INTERNAL_H_

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/pagetable.h>

/*
 * FIELD_PREP() and FIELD_GET() for masks that are only known at run time:
 * the formats describe the halves of a dual PDE with one table of masks.
 */
static inline u64 novamm_pt_field_prep(u64 mask, u64 val)
{
	return (val << __ffs64(mask)) & mask;
}

static inline u64 novamm_pt_field_get(u64 mask, u64 raw)
{
	return (raw & mask) >> __ffs64(mask);
}

/* Level and entry arithmetic, from the format's level table alone. */
static inline unsigned int pt_entries(const struct novamm_pt_level *l)
{
	return 1U << l->va_bits;
}

static inline unsigned int pt_index(const struct novamm_pt_level *l, u64 va)
{
	return (va >> l->va_shift) & (pt_entries(l) - 1);
}

static inline unsigned int pt_words(const struct novamm_pt_level *l)
{
	return l->entry_size / sizeof(u64);
}

/* Child tables per entry: big and small at a dual level. */
static inline unsigned int pt_halves(const struct novamm_pt_level *l)
{
	return l->dual ? 2 : 1;
}

/* Bytes of VA one table of level @l covers. */
static inline u64 pt_span(const struct novamm_pt_level *l)
{
	return 1ULL << (l->va_shift + l->va_bits);
}

static inline u64 pt_raw(const struct novamm_pt *t, unsigned int idx, unsigned int word)
{
	return le64_to_cpu(t->raw[idx * pt_words(t->level) + word]);
}

static inline bool pt_entry_zero(const struct novamm_pt *t, unsigned int idx)
{
	unsigned int w;

	for (w = 0; w < pt_words(t->level); w++)
		if (t->raw[idx * pt_words(t->level) + w])
			return false;
	return true;
}

static inline int pt_dir_depth(const struct novamm_pt_format *fmt,
			       const struct novamm_pt_level *l)
{
	if (l >= fmt->dirs && l < fmt->dirs + fmt->num_dirs)
		return l - fmt->dirs;
	return -1;
}

/* The level under entry @which (0 big, 1 small) of a directory level. */
static inline const struct novamm_pt_level *pt_child_level(const struct novamm_pt_format *fmt,
							   const struct novamm_pt_level *l,
							   unsigned int which)
{
	int d = pt_dir_depth(fmt, l);

	if (l->dual)
		return which ? fmt->pt_small : fmt->pt_big;
	return &fmt->dirs[d + 1];
}

static inline unsigned int pt_slot(const struct novamm_pt_level *l, unsigned int idx,
				   unsigned int which)
{
	return l->dual ? 2 * idx + which : idx;
}

/* The range [first VA, last VA] of entry @idx of @t, whose table starts at @base. */
static inline void pt_entry_span(const struct novamm_pt *t, u64 base, unsigned int idx,
				 u64 *lo, u64 *hi)
{
	*lo = base + ((u64)idx << t->level->va_shift);
	*hi = *lo + (1ULL << t->level->va_shift) - 1;
}

/* Entries of @t that [va, last] touches, for a table starting at @base. */
static inline void pt_range(const struct novamm_pt *t, u64 base, u64 va, u64 last,
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
static inline bool pt_clamp(const struct novamm_pagetable *pt, u64 va, u64 size, u64 *last)
{
	u64 top = BIT_ULL(pt->fmt->va_bits) - 1;

	if (!size || va > top)
		return false;
	*last = size - 1 > top - va ? top : va + size - 1;
	return true;
}

/* Store an entry in the shadow, keeping the count of non-zero entries. */
static inline void pt_store(struct novamm_pt *t, unsigned int idx, const u64 *raw)
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

/* The root is given a whole page: the MMU may prefetch past it. */
static inline u32 pt_alloc_size(const struct novamm_pagetable *pt,
				const struct novamm_pt_level *l)
{
	if (l == &pt->fmt->dirs[0])
		return SZ_4K;
	return pt_entries(l) * l->entry_size;
}

static inline void pt_shadow_free(struct novamm_pt *t)
{
	kfree(t->child);
	kfree(t->raw);
	kfree(t);
}

/* Entry @idx of directory @t holds a page (or a sparse range), no table. */
static inline bool pt_dir_entry_is_page(const struct novamm_pagetable *pt,
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
static inline const struct novamm_pt_level *pt_target(const struct novamm_pt_format *fmt,
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
 * enum novamm_pt_walk_action - what a walk does next, as a callback says
 * @NOVAMM_PT_WALK_DOWN: go on: into the entry's children, or into the
 *	table's entries
 * @NOVAMM_PT_WALK_NEXT: not into them: on to the next entry
 * @NOVAMM_PT_WALK_WRITE: from &novamm_pt_walk_ops.entry_done: the entry
 *	changed in the shadow; write it to VRAM with its neighbours
 * @NOVAMM_PT_WALK_STOP: end the walk; novamm_pt_walk_range() returns this
 *
 * Negative values are errors, which end the walk too.
 */
enum novamm_pt_walk_action {
	NOVAMM_PT_WALK_DOWN,
	NOVAMM_PT_WALK_NEXT,
	NOVAMM_PT_WALK_WRITE,
	NOVAMM_PT_WALK_STOP,
};

/**
 * struct novamm_pt_at - one entry, as a walk visits it
 * @t: its table
 * @idx: its index in @t
 * @depth: @t's distance from the table the walk started at
 * @lo: first VA the entry covers
 * @hi: last VA the entry covers
 * @flags: the callbacks' own, zero when the walk reaches the entry
 */
struct novamm_pt_at {
	struct novamm_pt *t;
	unsigned int idx;
	unsigned int depth;
	u64 lo;
	u64 hi;
	unsigned long flags;
};

struct novamm_pt_walk;

/**
 * struct novamm_pt_walk_ops - what a walk does at each step; any may be NULL
 * @table: a table reached, before its entries; NEXT skips the entries
 * @entry: an entry reached; NEXT leaves its children alone
 * @child: a child of the entry, one per half at a dual level; NEXT
 *	leaves it alone (it may have been taken out)
 * @entry_done: after the entry's children; WRITE writes the entry
 * @table_done: after the table's entries and their writes; the table
 *	is not touched by the walk after this (it may be freed)
 *
 * A missing callback says DOWN (and, for @entry_done, writes nothing).
 */
struct novamm_pt_walk_ops {
	int (*table)(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
		     unsigned int depth);
	int (*entry)(struct novamm_pt_walk *w, struct novamm_pt_at *at);
	int (*child)(struct novamm_pt_walk *w, struct novamm_pt_at *at,
		     unsigned int which, struct novamm_pt *c);
	int (*entry_done)(struct novamm_pt_walk *w, struct novamm_pt_at *at);
	int (*table_done)(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base);
};

/**
 * struct novamm_pt_walk - a walk over the entries of a VA range
 * @ops: what it does
 * @pt: the tree
 * @va: first VA of the range
 * @last: its last VA
 *
 * Embedded in the walk's own state, which the callbacks reach with
 * container_of().
 */
struct novamm_pt_walk {
	const struct novamm_pt_walk_ops *ops;
	struct novamm_pagetable *pt;
	u64 va;
	u64 last;
};

int novamm_pt_walk_range(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base);
int novamm_pt_walk_dirs(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
			unsigned int depth);

/*
 * The steps of an update, which novamm_pt_update_*() sequences: visible
 * outside pagetable/ only to its tests.
 */
int novamm_pagetable_prepare(struct novamm_pagetable *pt, u64 va, u64 size,
			     unsigned int page_shift);
int novamm_pagetable_map(struct novamm_pagetable *pt, u64 va, u64 count,
			 unsigned int page_shift, u64 phys,
			 const struct novamm_pte_attrs *attrs);
int novamm_pagetable_commit(struct novamm_pagetable *pt, u64 va, u64 size);
int novamm_pagetable_clear(struct novamm_pagetable *pt, u64 va, u64 count,
			   unsigned int page_shift);
int novamm_pagetable_unmap(struct novamm_pagetable *pt, u64 va, u64 size);
unsigned int novamm_pagetable_free_empty(struct novamm_pagetable *pt, u64 va,
					 u64 size);
void novamm_pagetable_relink(struct novamm_pagetable *pt);
void novamm_pagetable_keep_retired(struct novamm_pagetable *pt);
unsigned int novamm_pagetable_release(struct novamm_pagetable *pt);

int novamm_pt_vram_write(struct novamm_pagetable *pt, u64 addr, const void *buf,
			 size_t len);
int novamm_pt_flush(struct novamm_pagetable *pt, struct novamm_pt *t,
		    unsigned int first, unsigned int n);
void novamm_pt_free(struct novamm_pagetable *pt, struct novamm_pt *t);
void novamm_pt_free_all(struct novamm_pagetable *pt, struct novamm_pt *t);
void novamm_pt_takeout(struct novamm_pagetable *pt, struct novamm_pt *t);
struct novamm_pt *novamm_pt_shadow_new(struct novamm_pagetable *pt,
				       const struct novamm_pt_level *l);
void novamm_pt_spare_free(struct novamm_pagetable *pt);
void novamm_pt_nonzero(const struct novamm_pt *t, unsigned int *first, unsigned int *end);
struct novamm_pt *novamm_pt_new(struct novamm_pagetable *pt,
				const struct novamm_pt_level *l);
int novamm_pt_encode_pde(const struct novamm_pagetable *pt, const struct novamm_pt *t,
			 unsigned int idx, bool written_only, u64 raw[2]);
int novamm_pt_set_pde(struct novamm_pagetable *pt, struct novamm_pt *t,
		      unsigned int idx, bool write);
unsigned int novamm_pt_free_empty(struct novamm_pagetable *pt, u64 va, u64 last, u64 since);
int novamm_pt_find(struct novamm_pagetable *pt, u64 va,
		   const struct novamm_pt_level *target, unsigned int which,
		   bool create, struct novamm_pt **out);
int novamm_pt_check_range(const struct novamm_pagetable *pt, u64 va, u64 size,
			  unsigned int page_shift,
			  const struct novamm_pt_level **target,
			  unsigned int *which);

#define PT_POOL_CHUNK		NOVAMM_PT_POOL_CHUNK
#define PT_POOL_UNIT		256
#define PT_POOL_UNITS		(PT_POOL_CHUNK / PT_POOL_UNIT)

/**
 * struct novamm_pt_chunk - one 2 MiB chunk of a pool
 * @link: on the pool's chunks
 * @vram: its allocation
 * @base: its VRAM address
 * @used: units handed out
 * @map: which units
 * @win_link: on the window's chunks while mapped through it
 * @win_offset: its BAR1 offset while mapped
 * @win: mapped through the window (under the window's lock)
 * @win_tried: the window had no room for it: it stays on PRAMIN
 */
struct novamm_pt_chunk {
	struct list_head link;
	struct novamm_vram *vram;
	u64 base;
	unsigned int used;
	DECLARE_BITMAP(map, PT_POOL_UNITS);
	struct list_head win_link;
	u64 win_offset;
	bool win;
	bool win_tried;
};

void novamm_pt_pool_init(struct novamm_pt_pool *pool, struct novamm_buddy *buddy,
			 struct novamm_pt_window *window);
int novamm_pt_window_map(struct novamm_pt_pool *pool);
void novamm_pt_window_remove(struct novamm_pt_pool *pool, struct novamm_pt_chunk *c);
int novamm_pt_window_write(struct novamm_pt_pool *pool, u64 addr, const void *buf,
			   size_t len);
int novamm_pt_pool_get(struct novamm_pt_pool *pool, u32 size, u64 *addr);
void novamm_pt_pool_put(struct novamm_pt_pool *pool, u64 addr, u32 size);
void novamm_pt_pool_fini(struct novamm_pt_pool *pool);
void novamm_pt_pool_keep(struct novamm_pt_pool *pool);

#endif /* _NOVAMM_PAGETABLE_INTERNAL_H_ */
