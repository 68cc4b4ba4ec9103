// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VRAM allocator: a thin layer over the kernel's buddy allocator.
 */

/**
 * DOC: Locking
 *
 * ``b->lock``, a mutex, serialises the kernel allocator, which has
 * no lock of its own: every function here that reads or changes the
 * allocator takes it (novamm_buddy_init(), novamm_buddy_fini(),
 * novamm_vram_alloc(), novamm_vram_free(), novamm_vram_free_unwritten(),
 * novamm_vram_keep(), novamm_vram_stats(), novamm_buddy_show()). It nests
 * inside an address space's lock and outside the PRAMIN window's lock; nothing
 * here touches the hardware. Allocation may sleep.
 *
 * The functions that concern one allocation only, novamm_vram_set_clear(),
 * novamm_vram_set_written(), novamm_vram_is_clear(),
 * novamm_vram_next_block() and novamm_vram_start(), take no lock: a
 * struct novamm_vram belongs to its owner, who serialises them and must
 * not free it while iterating it elsewhere.
 */

/**
 * DOC: What the layer adds
 *
 * Argument checks with a message instead of the allocator's BUG_ON()s;
 * contiguous allocation on kernels whose allocator lacks it, and where its
 * own gives up; which blocks are known to be zero (the kernel allocator's
 * cleared-block tracking from 6.10, a bitmap of novamm's own before); a
 * record of live allocations, for debugfs and for leaks at remove; and
 * statistics.
 */
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <novamm/buddy.h>
#include <novamm/fb.h>
#include <novamm/hw.h>

#define NOVAMM_BUDDY_CHUNK	SZ_4K

/**
 * DOC: Clean and dirty VRAM
 *
 * The allocator never touches the hardware, so it hands VRAM out as it was
 * left, and says which blocks are known to be zero: ``cur.dirty`` for each
 * block (novamm_vram_next_block()), novamm_vram_is_clear() for the whole.
 * At init nothing is: VRAM holds what the firmware or a previous driver
 * left. A block becomes known zero only when its owner gives it back with
 * novamm_vram_free_unwritten(), saying that nothing wrote it since it was
 * handed out (zero then, or cleared since, novamm_vram_set_clear());
 * novamm_vram_free() gives everything back dirty, as page-table chunks and
 * anything written through PRAMIN or a writable mapping must go. An owner
 * that fills an allocation itself before mapping it (through PRAMIN, say)
 * says so with novamm_vram_set_written(), so that the mapping does not
 * clear its data.
 *
 * Where the kernel allocator tracks cleared blocks (6.10 on:
 * ``DRM_BUDDY_CLEARED`` and ``DRM_BUDDY_CLEAR_ALLOCATION``, the
 * ``GPU_BUDDY_`` ones from 7.0), novamm uses that: blocks go back with the
 * cleared flag, requests ask for cleared blocks first, so allocations
 * prefer known-zero blocks, and blocks the allocator takes for a moment
 * (the largest-free probe of the statistics) go back in the state they
 * had. Before 6.10, novamm keeps a bitmap of its own, one bit per 4 KiB
 * chunk set while the chunk is free and zero (768 KiB for 24 GiB), and a
 * block counts as zero only when all its chunks are; the allocator knows
 * nothing of it and picks blocks as it always does, so there allocations
 * do not prefer known-zero blocks.
 *
 * Whoever maps VRAM for a reader clears the dirty blocks first:
 * novamm_bar1_map() does so itself, and novamm_bar1_clear() is there for
 * VRAM read any other way. Page tables and instance blocks need none: they
 * are written whole before the GPU is pointed at them. debugfs ``vram``
 * shows ``clean`` (free bytes known zero), ``allocs``, ``clean_allocs``
 * (allocations that needed no clearing) and the bytes handed out either
 * way (``handed_out_clean``, ``handed_out_dirty``).
 */

static struct device *novamm_buddy_dev(struct novamm_buddy *b)
{
	return b->hw->dev;
}

#ifdef NOVAMM_KBUDDY_CLEAR
/* The kernel allocator tracks cleared blocks: nothing to keep here. */
static int novamm_buddy_clean_init(struct novamm_buddy *b, u64 size)
{
	return 0;
}

static void novamm_buddy_clean_fini(struct novamm_buddy *b)
{
}

static bool novamm_buddy_take_clean(struct novamm_buddy *b,
				    struct novamm_kbuddy_block *block)
{
	return novamm_kbuddy_block_is_clear(block);
}

static u64 novamm_buddy_clean_bytes(struct novamm_buddy *b)
{
	return b->kbuddy.clear_avail;
}

/*
 * Give blocks back; with @dirty, those it does not mark go back as
 * cleared. The allocator merges a block only with a buddy of the same
 * state, and the rest when it must.
 */
static void novamm_buddy_give_back(struct novamm_buddy *b, struct list_head *blocks,
				   const unsigned long *dirty)
{
	struct novamm_kbuddy_block *block, *tmp;
	unsigned int i = 0;
	LIST_HEAD(cleared);

	list_for_each_entry_safe(block, tmp, blocks, link)
		if (dirty && !test_bit(i++, dirty))
			list_move_tail(&block->link, &cleared);
	novamm_kbuddy_free_cleared(&b->kbuddy, &cleared);
	novamm_kbuddy_free_list(&b->kbuddy, blocks);
}

/* Blocks taken for a moment, back in the state they had. */
static void novamm_buddy_give_back_as_was(struct novamm_buddy *b,
					  struct list_head *blocks)
{
	struct novamm_kbuddy_block *block, *tmp;
	LIST_HEAD(cleared);

	list_for_each_entry_safe(block, tmp, blocks, link)
		if (novamm_kbuddy_block_is_clear(block))
			list_move_tail(&block->link, &cleared);
	novamm_kbuddy_free_cleared(&b->kbuddy, &cleared);
	novamm_kbuddy_free_list(&b->kbuddy, blocks);
}
#else
/*
 * The kernel allocator knows nothing of cleared blocks (6.1): a bit per
 * 4 KiB chunk, set while the chunk is free and known zero. 768 KiB for a
 * 24 GiB GPU; allocated only on these kernels.
 */
static int novamm_buddy_clean_init(struct novamm_buddy *b, u64 size)
{
	b->clean_map = kvcalloc(BITS_TO_LONGS(size / NOVAMM_BUDDY_CHUNK),
				sizeof(unsigned long), GFP_KERNEL);
	return b->clean_map ? 0 : -ENOMEM;
}

static void novamm_buddy_clean_fini(struct novamm_buddy *b)
{
	kvfree(b->clean_map);
	b->clean_map = NULL;
}

/* Whether all of @block is zero; its chunks are no longer free either way. */
static bool novamm_buddy_take_clean(struct novamm_buddy *b,
				    struct novamm_kbuddy_block *block)
{
	unsigned long lo = novamm_kbuddy_block_offset(block) / NOVAMM_BUDDY_CHUNK;
	unsigned long hi = lo + novamm_kbuddy_block_size(&b->kbuddy, block) / NOVAMM_BUDDY_CHUNK;
	unsigned long bit, set = 0;

	for (bit = find_next_bit(b->clean_map, hi, lo); bit < hi;
	     bit = find_next_bit(b->clean_map, hi, bit + 1))
		set++;
	bitmap_clear(b->clean_map, lo, hi - lo);
	b->clean -= set * NOVAMM_BUDDY_CHUNK;
	return set == hi - lo;
}

static u64 novamm_buddy_clean_bytes(struct novamm_buddy *b)
{
	return b->clean;
}

static void novamm_buddy_give_back(struct novamm_buddy *b, struct list_head *blocks,
				   const unsigned long *dirty)
{
	struct novamm_kbuddy_block *block;
	unsigned int i = 0;
	u64 lo, size;

	list_for_each_entry(block, blocks, link) {
		if (!dirty || test_bit(i++, dirty))
			continue;
		lo = novamm_kbuddy_block_offset(block);
		size = novamm_kbuddy_block_size(&b->kbuddy, block);
		bitmap_set(b->clean_map, lo / NOVAMM_BUDDY_CHUNK, size / NOVAMM_BUDDY_CHUNK);
		b->clean += size;
	}
	novamm_kbuddy_free_list(&b->kbuddy, blocks);
}

/* Nothing was taken from the bitmap: the blocks are as they were. */
static void novamm_buddy_give_back_as_was(struct novamm_buddy *b,
					  struct list_head *blocks)
{
	novamm_kbuddy_free_list(&b->kbuddy, blocks);
}
#endif

/**
 * DOC: Seeding
 *
 * At probe the kernel allocator is initialised over ``[0, vram_end)`` in
 * 4 KiB chunks (a partial chunk at the end is left out), and novamm at
 * once allocates to itself every reserved range of the framebuffer
 * layout. The allocator can then only ever return usable VRAM, whatever a
 * caller asks for, and its offsets are VRAM addresses with no
 * translation. novamm_buddy_init() checks that what is left free equals
 * the layout's usable bytes.
 */

/**
 * novamm_buddy_init() - seed the allocator from a framebuffer layout
 * @b: the allocator to set up
 * @hw: the GPU whose VRAM it hands out
 * @fb: the layout; its reserved ranges are taken at once, and it must
 *	outlive the allocator (the self-test reads its usable ranges)
 *
 * Context: probe; takes the buddy lock; may sleep.
 * Return: 0; -ENOMEM; the kernel allocator's error (logged) when it
 * cannot manage the layout's VRAM or a reserved range cannot be taken;
 * -EINVAL (logged) when what is left free is not the layout's usable
 * VRAM. On error nothing is left initialised.
 */
int novamm_buddy_init(struct novamm_buddy *b, struct novamm_hw *hw,
		      const struct novamm_fb_layout *fb)
{
	struct device *dev = hw->dev;
	u64 size = round_down(fb->vram_end, NOVAMM_BUDDY_CHUNK);
	u64 start, end;
	unsigned int i;
	int ret;

	b->hw = hw;
	b->fb = fb;
	mutex_init(&b->lock);
	INIT_LIST_HEAD(&b->reserved);
	INIT_LIST_HEAD(&b->allocations);
	b->usable = 0;
	b->allocated = 0;
	b->count = 0;
	b->clean = 0;
	b->allocs = 0;
	b->clean_allocs = 0;
	b->clean_bytes = 0;
	b->dirty_bytes = 0;
	for (i = 0; i < fb->num_usable; i++)
		b->usable += fb->usable[i].end - fb->usable[i].start;

	ret = novamm_should_fail(b->hw) ? -ENOMEM :
	      novamm_kbuddy_init(&b->kbuddy, size, NOVAMM_BUDDY_CHUNK);
	if (ret) {
		dev_err(dev, "%s over 0x%llx bytes: %d\n", NOVAMM_KBUDDY_NAME,
			size, ret);
		goto err_destroy;
	}
	/* Nothing is known zero at init: VRAM holds what firmware left. */
	ret = novamm_should_fail(b->hw) ? -ENOMEM : novamm_buddy_clean_init(b, size);
	if (ret) {
		novamm_kbuddy_fini(&b->kbuddy);
		goto err_destroy;
	}

	mutex_lock(&b->lock);
	for (i = 0; i < fb->num_reserved; i++) {
		start = fb->reserved[i].start;
		end = min(fb->reserved[i].end, size);
		if (start >= end)
			continue;
		ret = novamm_should_fail(b->hw) ? -ENOMEM :
		      novamm_kbuddy_alloc_blocks(&b->kbuddy, start, end,
						 end - start, NOVAMM_BUDDY_CHUNK,
						 &b->reserved,
						 NOVAMM_KBUDDY_RANGE);
		if (ret) {
			dev_err(dev, "cannot reserve VRAM [0x%llx, 0x%llx): %d\n",
				start, end, ret);
			goto err_free;
		}
	}
	if (b->kbuddy.avail != b->usable) {
		dev_err(dev, "VRAM allocator has 0x%llx bytes free after reserving, the layout has 0x%llx usable\n",
			b->kbuddy.avail, b->usable);
		ret = -EINVAL;
		goto err_free;
	}
	b->ready = true;
	mutex_unlock(&b->lock);
	return 0;

err_free:
	novamm_kbuddy_free_list(&b->kbuddy, &b->reserved);
	mutex_unlock(&b->lock);
	novamm_buddy_clean_fini(b);
	novamm_kbuddy_fini(&b->kbuddy);
err_destroy:
	mutex_destroy(&b->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_buddy_init);

static void novamm_vram_free_struct(struct novamm_vram *vram)
{
	if (vram->dirty != &vram->dirty_word)
		bitmap_free(vram->dirty);
	kfree(vram);
}

/**
 * DOC: Teardown
 *
 * At remove, allocations still live are a bug of their owner, unless
 * novamm_vram_keep() kept them: each of the others is named in a
 * ``dev_err`` with its size and the address of the novamm_vram_alloc()
 * caller. All of them, kept or not, are then freed, so the kernel
 * allocator is torn down whole.
 */

/**
 * novamm_buddy_fini() - tear the allocator down
 * @b: the allocator
 * @kept: set to how many allocations were kept (novamm_vram_keep())
 *
 * Allocations still live are a bug of their owner, unless they were
 * kept: each is reported and freed, so that the kernel allocator is torn
 * down whole.
 *
 * Context: remove, once nothing allocates any more; takes the buddy lock.
 * Return: how many live allocations there were that were not kept; 0 for
 * an allocator that was never initialised.
 */
unsigned int novamm_buddy_fini(struct novamm_buddy *b, unsigned int *kept)
{
	struct novamm_vram *vram, *tmp;
	unsigned int leaked = 0;

	*kept = 0;
	if (!b->ready)
		return 0;
	mutex_lock(&b->lock);
	list_for_each_entry_safe(vram, tmp, &b->allocations, link) {
		if (vram->kept) {
			(*kept)++;
		} else {
			dev_err(novamm_buddy_dev(b), "VRAM allocation of 0x%llx bytes from %pS still live at teardown\n",
				vram->size, (void *)vram->owner);
			leaked++;
		}
		novamm_kbuddy_free_list(&b->kbuddy, &vram->blocks);
		list_del(&vram->link);
		novamm_vram_free_struct(vram);
	}
	novamm_kbuddy_free_list(&b->kbuddy, &b->reserved);
	novamm_buddy_clean_fini(b);
	novamm_kbuddy_fini(&b->kbuddy);
	b->ready = false;
	mutex_unlock(&b->lock);
	mutex_destroy(&b->lock);
	return leaked;
}
EXPORT_SYMBOL_GPL(novamm_buddy_fini);

/* A block the allocator has handed out, as [lo, hi). */
struct novamm_span {
	u64 lo, hi;
};

static int novamm_span_cmp(const void *a, const void *b)
{
	const struct novamm_span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void novamm_span_set(struct novamm_span *s, struct novamm_kbuddy *kb,
			    struct novamm_kbuddy_block *block)
{
	s->lo = novamm_kbuddy_block_offset(block);
	s->hi = s->lo + novamm_kbuddy_block_size(kb, block);
}

/*
 * Every block allocated now, reserved ones included, sorted by address:
 * from novamm's own record, since the allocator's free lists are private
 * (and became trees in 6.19). Return: the array, or NULL for -ENOMEM.
 */
static struct novamm_span *novamm_buddy_taken(struct novamm_buddy *b,
					      unsigned int *n)
{
	struct novamm_kbuddy_block *block;
	struct novamm_kbuddy *kb = &b->kbuddy;
	struct novamm_vram *vram;
	struct novamm_span *s;
	unsigned int max = 0, i = 0;

	list_for_each_entry(block, &b->reserved, link)
		max++;
	list_for_each_entry(vram, &b->allocations, link)
		list_for_each_entry(block, &vram->blocks, link)
			max++;
	s = kvmalloc_array(max ?: 1, sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	list_for_each_entry(block, &b->reserved, link)
		novamm_span_set(&s[i++], kb, block);
	list_for_each_entry(vram, &b->allocations, link)
		list_for_each_entry(block, &vram->blocks, link)
			novamm_span_set(&s[i++], kb, block);
	sort(s, i, sizeof(*s), novamm_span_cmp, NULL);
	*n = i;
	return s;
}

/*
 * @size at the lowest (or, top-down, highest) place in [start, end) where
 * a free run holds it, as an exact range: the runs lie between the blocks
 * taken.
 */
static int novamm_buddy_alloc_run(struct novamm_buddy *b, u64 start, u64 end,
				  u64 size, u64 min_block,
				  struct list_head *blocks, bool topdown)
{
	struct novamm_kbuddy *kb = &b->kbuddy;
	struct novamm_span *taken;
	unsigned int n, i, k;
	int ret = -ENOSPC;
	u64 lo, hi, off;

	taken = novamm_buddy_taken(b, &n);
	if (!taken)
		return -ENOMEM;
	for (i = 0; i <= n && ret == -ENOSPC; i++) {
		k = topdown ? n - i : i;
		lo = round_up(max(k ? taken[k - 1].hi : 0, start), min_block);
		hi = min(k < n ? taken[k].lo : kb->size, end);
		if (hi < lo || hi - lo < size)
			continue;
		off = topdown ? round_down(hi - size, min_block) : lo;
		ret = novamm_kbuddy_alloc_blocks(kb, off, off + size, size,
						 min_block, blocks,
						 NOVAMM_KBUDDY_RANGE);
	}
	kvfree(taken);
	return ret;
}

#ifdef NOVAMM_KBUDDY_CONTIGUOUS
/* The allocator's own contiguous mode (6.7 on). */
static int novamm_buddy_alloc_block(struct novamm_kbuddy *kb, u64 start,
				    u64 end, u64 size, u64 min_block,
				    struct list_head *blocks,
				    unsigned long kflags)
{
	/*
	 * The kernel rounds a contiguous request up to a power of two and,
	 * before a 2026 fix, hits BUG_ON() when that exceeds its largest
	 * block.
	 */
	if (roundup_pow_of_two(size) > kb->chunk_size << kb->max_order)
		return -ENOSPC;
	return novamm_kbuddy_alloc_blocks(kb, start, end, size, min_block,
					  blocks,
					  kflags | NOVAMM_KBUDDY_CONTIGUOUS);
}
#else
/* No contiguous mode (6.1): a power-of-two block, contiguous, trimmed. */
static int novamm_buddy_alloc_block(struct novamm_kbuddy *kb, u64 start,
				    u64 end, u64 size, u64 min_block,
				    struct list_head *blocks,
				    unsigned long kflags)
{
	u64 pow = roundup_pow_of_two(size);
	LIST_HEAD(tmp);
	int ret;

	if (pow >= end - start)
		return -ENOSPC;
	ret = novamm_kbuddy_alloc_blocks(kb, start, end, pow,
					 max(pow, min_block), &tmp, kflags);
	if (ret)
		return ret;
	ret = novamm_kbuddy_block_trim(kb, size, &tmp);
	if (ret) {
		novamm_kbuddy_free_list(kb, &tmp);
		return ret;
	}
	list_splice_tail(&tmp, blocks);
	return 0;
}
#endif

/**
 * DOC: Contiguous allocation
 *
 * A contiguous request first asks for one buddy block of the size rounded
 * up to a power of two, trimmed back: the allocator's own contiguous mode
 * where it has one (6.7 on), and without it (6.1) novamm does the same by
 * hand. That finds only a block of that order, and a free run can be made
 * of smaller blocks whose buddies differ: 2 MiB free at ``[2M, 4M)`` and
 * ``[4M, 6M)`` is 4 MiB of contiguous VRAM but no 4 MiB block, and the
 * kernel's mode tries harder only with blocks of the rounded-down order,
 * which for a power of two is no help. So when that fails novamm takes the
 * first free run that holds the size (the highest, top-down) as an exact
 * range. The free runs are the gaps between the blocks in novamm's own
 * record of its reserved ranges and live allocations, sorted: the
 * allocator's free lists are private. A request whose range it fills
 * exactly is asked for as that exact range at once.
 *
 * The KUnit suites run on 6.1's allocator and on the newest 7.x's
 * ``gpu_buddy``, where the kernel's mode alone failed
 * ``buddy_contiguous_fragmented``.
 */

/* Contiguous VRAM, as "Contiguous allocation" above describes. */
static int novamm_buddy_alloc_contig(struct novamm_buddy *b, u64 start,
				     u64 end, u64 size, u64 min_block,
				     struct list_head *blocks,
				     unsigned long kflags)
{
	struct novamm_kbuddy *kb = &b->kbuddy;
	int ret;

	if (start + size == end)
		return novamm_kbuddy_alloc_blocks(kb, start, end, size,
						  min_block, blocks, kflags);
	ret = novamm_buddy_alloc_block(kb, start, end, size, min_block, blocks,
				       kflags);
	if (ret != -ENOSPC)
		return ret;
	return novamm_buddy_alloc_run(b, start, end, size, min_block, blocks,
				      kflags & NOVAMM_KBUDDY_TOPDOWN);
}

/*
 * Which blocks of a new allocation are known zero; their chunks leave the
 * record of free clean VRAM either way. Return: 0, or -ENOMEM before
 * anything was taken from the record.
 */
static int novamm_vram_note_clean(struct novamm_buddy *b, struct novamm_vram *vram)
{
	struct novamm_kbuddy_block *block;
	unsigned int i = 0;

	list_for_each_entry(block, &vram->blocks, link)
		vram->nr_blocks++;
	vram->dirty = vram->nr_blocks > BITS_PER_LONG ?
		      bitmap_zalloc(vram->nr_blocks, GFP_KERNEL) : &vram->dirty_word;
	if (!vram->dirty)
		return -ENOMEM;
	list_for_each_entry(block, &vram->blocks, link) {
		if (!novamm_buddy_take_clean(b, block)) {
			__set_bit(i, vram->dirty);
			vram->dirty_bytes += novamm_kbuddy_block_size(&b->kbuddy, block);
		}
		i++;
	}
	b->allocs++;
	b->clean_allocs += !vram->dirty_bytes;
	b->clean_bytes += vram->size - vram->dirty_bytes;
	b->dirty_bytes += vram->dirty_bytes;
	return 0;
}

/**
 * DOC: Argument checks
 *
 * novamm_vram_alloc() refuses with ``-EINVAL`` (and a ``dev_dbg`` line) a
 * size that is zero or not a multiple of the minimum block, a minimum
 * block that is not a power of two of at least 4 KiB, unknown flags, a
 * range that is empty, unaligned or beyond VRAM, or a range given without
 * ``NOVAMM_VRAM_RANGE``; with ``-ENOSPC`` a request that does not fit now.
 * A refused request leaves the allocator as it was.
 *
 * The checks run before the kernel allocator sees the request, which also
 * keeps its ``BUG_ON()`` on oversized orders out of reach: a kernel's own
 * contiguous mode rounds the size up to a power of two before that check
 * (until a 2026 fix), so where it is used a contiguous request whose power
 * of two exceeds the largest block the allocator can hold (for instance
 * 17 GiB on a 24 GiB GPU, whose largest block is 16 GiB) never reaches it:
 * it goes straight to the search of free runs.
 */
static int novamm_vram_check(struct novamm_buddy *b, u64 size,
			     unsigned long flags,
			     const struct novamm_vram_place *place,
			     u64 *start, u64 *end, u64 *min_block)
{
	struct device *dev = novamm_buddy_dev(b);
	u64 total = b->kbuddy.size;

	if (flags & ~NOVAMM_VRAM_FLAGS) {
		dev_dbg(dev, "VRAM alloc: unknown flags 0x%lx\n",
			flags & ~NOVAMM_VRAM_FLAGS);
		return -EINVAL;
	}
	*min_block = place && place->min_block ? place->min_block :
						 NOVAMM_BUDDY_CHUNK;
	if (!is_power_of_2(*min_block) || *min_block < NOVAMM_BUDDY_CHUNK) {
		dev_dbg(dev, "VRAM alloc: minimum block 0x%llx is not a power of two of at least 4 KiB\n",
			*min_block);
		return -EINVAL;
	}
	if (!size || !IS_ALIGNED(size, *min_block)) {
		dev_dbg(dev, "VRAM alloc: size 0x%llx is not a non-zero multiple of the 0x%llx minimum block\n",
			size, *min_block);
		return -EINVAL;
	}

	*start = 0;
	*end = total;
	if (!(flags & NOVAMM_VRAM_RANGE)) {
		if (place && (place->start || place->end)) {
			dev_dbg(dev, "VRAM alloc: a range without NOVAMM_VRAM_RANGE\n");
			return -EINVAL;
		}
		return 0;
	}
	if (!place || place->start >= place->end || place->end > total ||
	    !IS_ALIGNED(place->start | place->end, *min_block)) {
		dev_dbg(dev, "VRAM alloc: range [0x%llx, 0x%llx) is empty, beyond 0x%llx or not aligned to 0x%llx\n",
			place ? place->start : 0, place ? place->end : 0,
			total, *min_block);
		return -EINVAL;
	}
	*start = place->start;
	*end = place->end;
	return 0;
}

/**
 * novamm_vram_alloc() - allocate VRAM
 * @b: the allocator
 * @size: bytes, a multiple of the minimum block
 * @flags: NOVAMM_VRAM_CONTIGUOUS, NOVAMM_VRAM_TOPDOWN, NOVAMM_VRAM_RANGE
 * @place: range and minimum block size, or NULL for none
 *
 * ``NOVAMM_VRAM_CONTIGUOUS``
 *     one run of VRAM without gaps.
 * ``NOVAMM_VRAM_TOPDOWN``
 *     prefer the highest addresses.
 * ``NOVAMM_VRAM_RANGE``
 *     only inside ``[place->start, place->end)``.
 * ``place->min_block``
 *     every block a multiple of, and aligned to, this power of two (at
 *     least 4 KiB, the default).
 *
 * Blocks known to be zero are preferred where the kernel allocator tracks
 * them (6.10 on); the rest hold what their last owner left
 * (novamm_vram_next_block() tells which), and must be cleared before any
 * mapping can read them. The allocation records the caller's address, for
 * debugfs and for a leak at teardown.
 *
 * Context: takes the buddy lock; may sleep.
 * Return: the allocation, or an error pointer: -EINVAL for arguments that
 * make no sense (with a dev_dbg line), -ENOSPC when the request does not
 * fit now, -ENOMEM, -ENODEV before novamm_buddy_init() or after
 * novamm_buddy_fini(). A failed call leaves the allocator as it found it.
 */
struct novamm_vram *novamm_vram_alloc(struct novamm_buddy *b, u64 size,
				      unsigned long flags,
				      const struct novamm_vram_place *place)
{
	unsigned long kflags = 0;
	struct novamm_vram *vram;
	u64 start, end, min_block;
	int ret;

	if (!b->ready)
		return ERR_PTR(-ENODEV);
	ret = novamm_vram_check(b, size, flags, place, &start, &end,
				&min_block);
	if (ret)
		return ERR_PTR(ret);
	if (flags & NOVAMM_VRAM_RANGE)
		kflags |= NOVAMM_KBUDDY_RANGE;
	if (flags & NOVAMM_VRAM_TOPDOWN)
		kflags |= NOVAMM_KBUDDY_TOPDOWN;
#ifdef NOVAMM_KBUDDY_CLEAR
	kflags |= NOVAMM_KBUDDY_CLEAR;
#endif

	vram = novamm_should_fail(b->hw) ? NULL : kzalloc(sizeof(*vram), GFP_KERNEL);
	if (!vram)
		return ERR_PTR(-ENOMEM);
	vram->buddy = b;
	vram->size = size;
	vram->flags = flags;
	vram->owner = _RET_IP_;
	INIT_LIST_HEAD(&vram->blocks);

	mutex_lock(&b->lock);
	/* Also keeps the allocator's BUG_ON()s for oversized orders away. */
	if (size > b->kbuddy.avail || size > end - start)
		ret = -ENOSPC;
	else if (novamm_should_fail(b->hw))
		ret = -ENOMEM;
	else if (flags & NOVAMM_VRAM_CONTIGUOUS)
		ret = novamm_buddy_alloc_contig(b, start, end, size, min_block,
						&vram->blocks, kflags);
	else
		ret = novamm_kbuddy_alloc_blocks(&b->kbuddy, start, end, size,
						 min_block, &vram->blocks,
						 kflags);
	if (!ret) {
		ret = novamm_vram_note_clean(b, vram);
		if (ret)
			novamm_buddy_give_back_as_was(b, &vram->blocks);
	}
	if (!ret) {
		list_add_tail(&vram->link, &b->allocations);
		b->allocated += size;
		b->count++;
	}
	mutex_unlock(&b->lock);

	if (ret) {
		dev_dbg(novamm_buddy_dev(b), "VRAM alloc of 0x%llx bytes (flags 0x%lx) failed: %d\n",
			size, flags, ret);
		novamm_vram_free_struct(vram);
		return ERR_PTR(ret);
	}
	return vram;
}
EXPORT_SYMBOL_GPL(novamm_vram_alloc);

static void novamm_vram_give_back(struct novamm_vram *vram, bool unwritten)
{
	struct novamm_buddy *b;

	if (IS_ERR_OR_NULL(vram))
		return;
	b = vram->buddy;
	mutex_lock(&b->lock);
	novamm_buddy_give_back(b, &vram->blocks,
			       unwritten && !vram->written ? vram->dirty : NULL);
	list_del(&vram->link);
	b->allocated -= vram->size;
	b->count--;
	mutex_unlock(&b->lock);
	novamm_vram_free_struct(vram);
}

/**
 * novamm_vram_free() - give an allocation back
 * @vram: the allocation; NULL and error pointers are ignored
 *
 * All of it goes back dirty: whatever was written to it is still there.
 *
 * Context: takes the buddy lock.
 */
void novamm_vram_free(struct novamm_vram *vram)
{
	novamm_vram_give_back(vram, false);
}
EXPORT_SYMBOL_GPL(novamm_vram_free);

/**
 * novamm_vram_free_unwritten() - give back an allocation nothing wrote
 * @vram: the allocation; NULL and error pointers are ignored
 *
 * For an owner that knows nothing wrote @vram since it was handed out
 * (never mapped writable, never written through PRAMIN, no engine
 * pointed at it): the blocks that were zero then, or that were cleared
 * since (novamm_vram_set_clear()), go back known zero and are handed out
 * again without clearing. The rest goes back dirty, and so does all of an
 * allocation marked novamm_vram_set_written().
 *
 * Context: takes the buddy lock.
 */
void novamm_vram_free_unwritten(struct novamm_vram *vram)
{
	novamm_vram_give_back(vram, true);
}
EXPORT_SYMBOL_GPL(novamm_vram_free_unwritten);

/**
 * novamm_vram_set_clear() - every block of an allocation is zero now
 * @vram: the allocation, whose dirty blocks its owner has just cleared
 *
 * From now on novamm_vram_next_block() reports no block dirty, and
 * novamm_vram_free_unwritten() gives all of it back known zero.
 *
 * Context: no lock; the owner serialises calls on @vram.
 */
void novamm_vram_set_clear(struct novamm_vram *vram)
{
	bitmap_zero(vram->dirty, vram->nr_blocks);
	vram->dirty_bytes = 0;
}
EXPORT_SYMBOL_GPL(novamm_vram_set_clear);

/**
 * novamm_vram_set_written() - the owner has written every byte
 * @vram: the allocation, which its owner filled itself (through PRAMIN,
 *	say) before mapping it for anyone to read
 *
 * Nothing an earlier owner left is in it any more, so novamm_bar1_map()
 * clears nothing, and nothing of it goes back known zero.
 *
 * Context: no lock; the owner serialises calls on @vram.
 */
void novamm_vram_set_written(struct novamm_vram *vram)
{
	novamm_vram_set_clear(vram);
	vram->written = true;
}
EXPORT_SYMBOL_GPL(novamm_vram_set_written);

/**
 * novamm_vram_is_clear() - whether all of an allocation is known zero
 * @vram: the allocation
 *
 * Context: no lock; the owner serialises calls on @vram.
 * Return: true when no block may hold what an earlier owner left: all
 * zero, or written whole by this one (novamm_vram_set_written()).
 */
bool novamm_vram_is_clear(const struct novamm_vram *vram)
{
	return !vram->dirty_bytes;
}
EXPORT_SYMBOL_GPL(novamm_vram_is_clear);

/**
 * novamm_vram_keep() - never give an allocation back
 * @vram: the allocation; its owner forgets it and must not free it
 *
 * For VRAM the GPU may go on using after its owner is done with it (an
 * instance block BAR1 could not be unbound from): it stays allocated, so
 * nothing else is ever put there, until the allocator itself goes, which
 * counts it as kept rather than leaked.
 *
 * Context: takes the buddy lock.
 */
void novamm_vram_keep(struct novamm_vram *vram)
{
	struct novamm_buddy *b = vram->buddy;

	mutex_lock(&b->lock);
	vram->kept = true;
	mutex_unlock(&b->lock);
}
EXPORT_SYMBOL_GPL(novamm_vram_keep);

/**
 * novamm_vram_next_block() - step to the next block of an allocation
 * @vram: the allocation
 * @cur: the cursor, zeroed to start
 *
 * Blocks come in no particular address order.
 *
 * Context: no lock; @vram must not be freed meanwhile.
 * Return: true with @cur describing the block: its offset, size, index
 * and whether it is dirty; false past the last one, with @cur zeroed for
 * another walk.
 */
bool novamm_vram_next_block(const struct novamm_vram *vram,
			    struct novamm_vram_cursor *cur)
{
	struct novamm_kbuddy *kb = &vram->buddy->kbuddy;
	struct novamm_kbuddy_block *block;

	cur->pos = cur->pos ? cur->pos->next : vram->blocks.next;
	if (cur->pos == &vram->blocks) {
		/* Zeroed again: the cursor can start another walk. */
		*cur = (struct novamm_vram_cursor){};
		return false;
	}
	block = list_entry(cur->pos, struct novamm_kbuddy_block, link);
	cur->index = cur->pos == vram->blocks.next ? 0 : cur->index + 1;
	cur->offset = novamm_kbuddy_block_offset(block);
	cur->size = novamm_kbuddy_block_size(kb, block);
	cur->dirty = vram->dirty && test_bit(cur->index, vram->dirty);
	return true;
}
EXPORT_SYMBOL_GPL(novamm_vram_next_block);

/**
 * novamm_vram_start() - lowest VRAM address of an allocation
 * @vram: the allocation
 *
 * Walks every block, for they come in no address order.
 *
 * Context: no lock; @vram must not be freed meanwhile.
 * Return: the address; for a contiguous allocation, where it begins.
 */
u64 novamm_vram_start(const struct novamm_vram *vram)
{
	struct novamm_vram_cursor cur = {};
	u64 start = U64_MAX;

	while (novamm_vram_next_block(vram, &cur))
		start = min(start, cur.offset);
	return start;
}
EXPORT_SYMBOL_GPL(novamm_vram_start);

/**
 * DOC: The largest free block
 *
 * The largest free block is found by asking the allocator for one block of
 * each size from the largest down and giving it straight back, where it
 * merges as it was: the free lists are private, and became trees in 6.19.
 * When all of VRAM is free the answer is the allocator's largest root,
 * without asking.
 */
static u64 novamm_buddy_largest_free(struct novamm_buddy *b)
{
	struct novamm_kbuddy *kb = &b->kbuddy;
	u64 size;
	LIST_HEAD(tmp);

	if (!kb->avail)
		return 0;
	/*
	 * All free: its largest root. Asking for it below would be an
	 * exact-range request (start + size == end) when it is all of VRAM.
	 */
	if (kb->avail == kb->size)
		return rounddown_pow_of_two(kb->size);
	for (size = rounddown_pow_of_two(kb->avail); size >= kb->chunk_size;
	     size >>= 1) {
		if (!novamm_kbuddy_alloc_blocks(kb, 0, kb->size, size, size,
						&tmp, 0)) {
			novamm_buddy_give_back_as_was(b, &tmp);
			return size;
		}
	}
	return 0;
}

/**
 * novamm_vram_stats() - the allocator's numbers
 * @b: the allocator
 * @st: filled in; all zero for an allocator that is not initialised
 *
 * Context: takes the buddy lock; finding the largest free block costs an
 * allocation and a free in the kernel allocator per block size tried.
 */
void novamm_vram_stats(struct novamm_buddy *b, struct novamm_vram_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!b->ready)
		return;
	mutex_lock(&b->lock);
	st->total = b->kbuddy.size;
	st->usable = b->usable;
	st->free = b->kbuddy.avail;
	st->largest_free = novamm_buddy_largest_free(b);
	st->allocated = b->allocated;
	st->allocations = b->count;
	st->clean = novamm_buddy_clean_bytes(b);
	st->allocs = b->allocs;
	st->clean_allocs = b->clean_allocs;
	st->clean_bytes = b->clean_bytes;
	st->dirty_bytes = b->dirty_bytes;
	mutex_unlock(&b->lock);
}
EXPORT_SYMBOL_GPL(novamm_vram_stats);

/**
 * DOC: debugfs
 *
 * debugfs ``vram`` continues after the layout with the allocator: its
 * statistics, then one line per live allocation, oldest first, with the
 * caller of novamm_vram_alloc() as its owner::
 *
 *     allocator: drm_buddy
 *     total: 25769803776
 *     usable: 25232932864
 *     free: 25230835712
 *     largest_free: 17179869184
 *     allocated: 2097152
 *     allocations: 1
 *     clean: 0
 *     allocs: 1
 *     clean_allocs: 0
 *     handed_out_clean: 0
 *     handed_out_dirty: 2097152
 *     allocation: start=0x5dfe00000 size=0x200000 blocks=1 flags=0x3 owner=...
 */

/**
 * novamm_buddy_show() - the allocator for debugfs
 * @m: the file
 * @b: the allocator
 *
 * Context: takes the buddy lock.
 */
void novamm_buddy_show(struct seq_file *m, struct novamm_buddy *b)
{
	struct novamm_vram_stats st;
	struct novamm_vram_cursor cur = {};
	struct novamm_vram *vram;
	unsigned int blocks;

	novamm_vram_stats(b, &st);
	seq_printf(m, "allocator: %s\n", NOVAMM_KBUDDY_NAME);
	seq_printf(m, "total: %llu\n", st.total);
	seq_printf(m, "usable: %llu\n", st.usable);
	seq_printf(m, "free: %llu\n", st.free);
	seq_printf(m, "largest_free: %llu\n", st.largest_free);
	seq_printf(m, "allocated: %llu\n", st.allocated);
	seq_printf(m, "allocations: %u\n", st.allocations);
	seq_printf(m, "clean: %llu\n", st.clean);
	seq_printf(m, "allocs: %llu\n", st.allocs);
	seq_printf(m, "clean_allocs: %llu\n", st.clean_allocs);
	seq_printf(m, "handed_out_clean: %llu\n", st.clean_bytes);
	seq_printf(m, "handed_out_dirty: %llu\n", st.dirty_bytes);
	if (!b->ready)
		return;

	mutex_lock(&b->lock);
	list_for_each_entry(vram, &b->allocations, link) {
		blocks = 0;
		while (novamm_vram_next_block(vram, &cur))
			blocks++;
		seq_printf(m, "allocation: start=0x%llx size=0x%llx blocks=%u flags=0x%lx owner=%pS\n",
			   novamm_vram_start(vram), vram->size, blocks,
			   vram->flags, (void *)vram->owner);
	}
	mutex_unlock(&b->lock);
}
EXPORT_SYMBOL_GPL(novamm_buddy_show);
