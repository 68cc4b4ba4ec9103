// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VRAM allocator's self-test, for a device as it is: it runs on
 * whatever kernel allocator the module was built against (the KUnit
 * suites only ever see one) and on real VRAM layouts.
 *
 * Locking: only through novamm_vram_*(), which take the buddy lock, and
 * novamm_pramin_*(), which take the window's, one after the other.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/buddy.h>
#include <novamm/fb.h>
#include <novamm/hw.h>
#include <novamm/pramin.h>

struct novamm_buddy_case {
	const char *name;
	unsigned long flags;
	u64 min_block;
	bool ranged;
};

static const struct novamm_buddy_case novamm_buddy_cases[] = {
	{ "plain", 0, 0, false },
	{ "contiguous", NOVAMM_VRAM_CONTIGUOUS, 0, false },
	{ "topdown", NOVAMM_VRAM_TOPDOWN, 0, false },
	{ "contiguous-topdown", NOVAMM_VRAM_CONTIGUOUS | NOVAMM_VRAM_TOPDOWN, 0, false },
	{ "range", NOVAMM_VRAM_RANGE, 0, true },
	{ "range-contiguous", NOVAMM_VRAM_RANGE | NOVAMM_VRAM_CONTIGUOUS, 0, true },
	{ "min-64k", 0, SZ_64K, false },
	{ "min-2m", 0, SZ_2M, false },
};

static bool novamm_buddy_in_usable(const struct novamm_fb_layout *fb, u64 start,
				   u64 size)
{
	unsigned int i;

	for (i = 0; i < fb->num_usable; i++)
		if (start >= fb->usable[i].start &&
		    start + size <= fb->usable[i].end)
			return true;
	return false;
}

/* Every promise novamm_vram_alloc() makes about @vram, or why not. */
static const char *novamm_buddy_check(struct novamm_buddy *b,
				      const struct novamm_vram *vram,
				      const struct novamm_vram_place *place,
				      u64 *first)
{
	struct novamm_vram_cursor cur = {};
	u64 sum = 0, lo = U64_MAX, hi = 0;
	u64 min_block = place->min_block ? place->min_block : SZ_4K;

	while (novamm_vram_next_block(vram, &cur)) {
		if (!novamm_buddy_in_usable(b->fb, cur.offset, cur.size))
			return "a block outside usable VRAM";
		if (!IS_ALIGNED(cur.offset | cur.size, min_block))
			return "a block not aligned to the minimum block";
		if ((vram->flags & NOVAMM_VRAM_RANGE) &&
		    (cur.offset < place->start ||
		     cur.offset + cur.size > place->end))
			return "a block outside the range";
		sum += cur.size;
		lo = min(lo, cur.offset);
		hi = max(hi, cur.offset + cur.size);
	}
	if (sum != vram->size)
		return "blocks that do not add up to the size";
	if ((vram->flags & NOVAMM_VRAM_CONTIGUOUS) && hi - lo != sum)
		return "a contiguous allocation with holes";
	*first = lo;
	return NULL;
}

/*
 * Contiguous, one page more than the largest block the allocator can
 * hold: novamm's own contiguous mode must find it across blocks; where
 * the kernel's is used, it is refused before the kernel rounds it up past
 * its largest order.
 */
static const char *novamm_buddy_selftest_big(struct novamm_buddy *b,
					     const struct novamm_vram_stats *st)
{
	struct novamm_vram_place place = {};
	u64 size = rounddown_pow_of_two(st->total) + SZ_4K, first;
	struct novamm_vram *vram;
	const char *why;

	if (size > st->free)
		return NULL;
	vram = novamm_vram_alloc(b, size, NOVAMM_VRAM_CONTIGUOUS, &place);
#ifdef NOVAMM_KBUDDY_CONTIGUOUS
	if (PTR_ERR_OR_ZERO(vram) == -ENOSPC)
		return NULL;
#endif
	if (IS_ERR(vram))
		return "allocation failed";
	why = novamm_buddy_check(b, vram, &place, &first);
	novamm_vram_free(vram);
	return why;
}

/**
 * novamm_buddy_selftest() - exercise the VRAM allocator of a device
 * @b: the allocator
 *
 * Allocates and frees with every flag and checks each allocation against
 * the framebuffer layout; asks for a contiguous run longer than the
 * largest block, and for more than is free, which must be refused with
 * -ENOSPC; checks that the allocator ends as it began, so the device
 * should be idle. Needs an 8 MiB block. It runs on whatever kernel
 * allocator the module was built against (the KUnit suites only ever see
 * one) and on the device's real layout.
 *
 * Context: takes the buddy lock through novamm_vram_alloc() and the
 * others, never holding it between them; may sleep.
 * Return: 0; -ENOSPC when there is not room to test; -EIO (logged) when a
 * check fails.
 */
int novamm_buddy_selftest(struct novamm_buddy *b)
{
	const struct novamm_fb_range *big = NULL;
	const struct novamm_buddy_case *c;
	struct novamm_vram_stats before, after;
	struct novamm_vram_place place;
	struct novamm_vram *vram;
	u64 size, first, low_start = 0;
	const char *why = NULL;
	unsigned int i;

	novamm_vram_stats(b, &before);
	if (before.largest_free < SZ_8M)
		return -ENOSPC;
	for (i = 0; i < b->fb->num_usable; i++)
		if (!big || b->fb->usable[i].end - b->fb->usable[i].start >
			    big->end - big->start)
			big = &b->fb->usable[i];

	for (i = 0; i < ARRAY_SIZE(novamm_buddy_cases) && !why; i++) {
		c = &novamm_buddy_cases[i];
		/* Not a power of two, so that contiguous has to trim. */
		size = round_up(SZ_2M + SZ_16K + SZ_4K,
				max_t(u64, c->min_block, SZ_4K));
		place = (struct novamm_vram_place){ .min_block = c->min_block };
		if (c->ranged) {
			/* 8 MiB in the middle of the largest usable range. */
			place.start = round_down(big->start +
						 (big->end - big->start) / 2,
						 SZ_4K);
			place.end = min(place.start + SZ_8M, big->end);
			size = min(size, round_down((place.end - place.start) / 2,
						    SZ_4K));
		}
		vram = novamm_vram_alloc(b, size, c->flags, &place);
		if (PTR_ERR_OR_ZERO(vram) == -ENOSPC && c->ranged) {
			/* A device in use may have allocated there. */
			dev_info(b->hw->dev, "VRAM self-test %s: range taken, skipped\n",
				 c->name);
			continue;
		}
		if (IS_ERR(vram)) {
			dev_err(b->hw->dev, "VRAM self-test %s: allocating 0x%llx bytes: %ld\n",
				c->name, size, PTR_ERR(vram));
			return -EIO;
		}
		why = novamm_buddy_check(b, vram, &place, &first);
		if (!why && c->flags == NOVAMM_VRAM_CONTIGUOUS)
			low_start = first;
		if (!why && c->flags == (NOVAMM_VRAM_CONTIGUOUS | NOVAMM_VRAM_TOPDOWN) &&
		    first < low_start)
			why = "top-down below bottom-up";
		novamm_vram_free(vram);
		if (why)
			dev_err(b->hw->dev, "VRAM self-test %s: %s\n",
				c->name, why);
	}
	if (why)
		return -EIO;

	why = novamm_buddy_selftest_big(b, &before);
	if (why) {
		dev_err(b->hw->dev, "VRAM self-test contiguous-beyond-a-block: %s\n",
			why);
		return -EIO;
	}

	vram = novamm_vram_alloc(b, before.free + SZ_4K, 0, NULL);
	if (PTR_ERR_OR_ZERO(vram) != -ENOSPC) {
		novamm_vram_free(vram);
		dev_err(b->hw->dev, "VRAM self-test: more than is free was not refused with -ENOSPC\n");
		return -EIO;
	}

	novamm_vram_stats(b, &after);
	if (after.free != before.free ||
	    after.largest_free != before.largest_free ||
	    after.allocations != before.allocations) {
		dev_err(b->hw->dev, "VRAM self-test: allocator not restored: free 0x%llx/0x%llx, largest 0x%llx/0x%llx\n",
			after.free, before.free, after.largest_free,
			before.largest_free);
		return -EIO;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_buddy_selftest);

/* The memory the data pass of the VRAM self-test checks. */
#define NOVAMM_VRAM_SELFTEST_DATA	SZ_256K

static u32 novamm_vram_selftest_word(u64 addr, unsigned int pass)
{
	/* Differs in every word, and in every byte of a word. */
	u32 w = lower_32_bits(addr) * 0x9e3779b1u ^ 0x3c5af00fu;

	return pass ? ~w : w;
}

/* One pass over every block: all written, then all read back. */
static int novamm_vram_selftest_pass(struct novamm_pramin *pramin, struct novamm_vram *vram,
				     u32 *buf, unsigned int pass)
{
	struct novamm_vram_cursor cur = {};
	u64 i, addr;
	int ret = 0;

	while (!ret && novamm_vram_next_block(vram, &cur)) {
		for (i = 0; i < cur.size / 4; i++)
			buf[i] = novamm_vram_selftest_word(cur.offset + i * 4, pass);
		ret = novamm_pramin_write(pramin, cur.offset, buf, cur.size);
	}
	memset(&cur, 0, sizeof(cur));
	while (!ret && novamm_vram_next_block(vram, &cur)) {
		ret = novamm_pramin_read(pramin, cur.offset, buf, cur.size);
		for (i = 0; !ret && i < cur.size / 4; i++) {
			addr = cur.offset + i * 4;
			if (buf[i] == novamm_vram_selftest_word(addr, pass))
				continue;
			dev_err(pramin->hw->dev, "VRAM self-test: 0x%llx reads 0x%08x, wrote 0x%08x\n",
				addr, buf[i], novamm_vram_selftest_word(addr, pass));
			ret = -EIO;
		}
	}
	return ret;
}

/**
 * novamm_vram_selftest() - the VRAM self-test: the allocator, then the memory
 * @b: the allocator of the device
 * @pramin: the window the memory is checked through
 *
 * novamm_buddy_selftest(), then every word of a fresh 256 KiB allocation
 * through PRAMIN, written whole and read back, with a pattern that
 * differs in every byte and then with its complement, so that a bit stuck
 * at either value shows.
 *
 * Context: as novamm_buddy_selftest(); takes the PRAMIN window's lock for
 * each pass, never with the buddy lock held.
 * Return: 0; novamm_buddy_selftest()'s errors; -ENOMEM; a PRAMIN error;
 * -EIO (logged with the address) when a word reads back wrong.
 */
int novamm_vram_selftest(struct novamm_buddy *b, struct novamm_pramin *pramin)
{
	struct novamm_vram *vram;
	unsigned int pass;
	u32 *buf;
	int ret;

	ret = novamm_buddy_selftest(b);
	if (ret)
		return ret;
	vram = novamm_vram_alloc(b, NOVAMM_VRAM_SELFTEST_DATA, 0, NULL);
	if (IS_ERR(vram))
		return PTR_ERR(vram);
	buf = kvmalloc(NOVAMM_VRAM_SELFTEST_DATA, GFP_KERNEL);
	ret = buf ? 0 : -ENOMEM;
	for (pass = 0; !ret && pass < 2; pass++)
		ret = novamm_vram_selftest_pass(pramin, vram, buf, pass);
	kvfree(buf);
	novamm_vram_free(vram);
	return ret;
}
