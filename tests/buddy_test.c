// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites novamm_buddy and novamm_buddy_bench: the VRAM allocator on
 * simulated GPUs whose GSP reports the sim's default layout (usable VRAM
 * from 0, then an RM-reserved and a protected region at the top, each a
 * sixteenth of VRAM but at least 2 MiB), so a 64 MiB GA102 has
 * [0, 56 MiB) usable and [56 MiB, 64 MiB) reserved.
 *
 * Exact addresses asserted below follow the kernel allocator's policy:
 * the smallest free block that fits (the highest one when top-down), and
 * its right half each time it is split.
 */
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/buddy.h>
#include <novamm/core.h>

#include "helpers.h"

#define VRAM		SZ_64M
#define USABLE_END	(VRAM - 2 * SZ_4M)

static ulong buddy_test_seed;
module_param(buddy_test_seed, ulong, 0444);
MODULE_PARM_DESC(buddy_test_seed, "seed of the KUnit random allocator run, 0 for the fixed one");

static struct novamm_mm *buddy_mm(struct kunit *test, u64 vram)
{
	return &novamm_test_dev_new(test, "GA102", vram)->ndev.mm;
}

static void expect_stats(struct kunit *test, struct novamm_mm *mm, u64 free,
			 u64 largest, unsigned int allocations)
{
	struct novamm_vram_stats st;

	novamm_vram_stats(&mm->buddy, &st);
	KUNIT_EXPECT_EQ(test, st.free, free);
	KUNIT_EXPECT_EQ(test, st.largest_free, largest);
	KUNIT_EXPECT_EQ(test, st.allocations, allocations);
}

struct span {
	u64 lo, hi, sum;
	unsigned int blocks;
	bool outside_usable;
};

static void vram_span(struct novamm_mm *mm, const struct novamm_vram *vram,
		      struct span *s)
{
	struct novamm_vram_cursor cur = {};
	unsigned int i;
	bool in;

	*s = (struct span){ .lo = U64_MAX };
	while (novamm_vram_next_block(vram, &cur)) {
		in = false;
		for (i = 0; i < mm->fb.num_usable; i++)
			in |= cur.offset >= mm->fb.usable[i].start &&
			      cur.offset + cur.size <= mm->fb.usable[i].end;
		s->outside_usable |= !in;
		s->lo = min(s->lo, cur.offset);
		s->hi = max(s->hi, cur.offset + cur.size);
		s->sum += cur.size;
		s->blocks++;
	}
}

static void buddy_init_stats(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, SZ_256M);
	struct novamm_vram_place top = { SZ_256M - SZ_32M, SZ_256M - SZ_32M + SZ_4K };
	struct novamm_vram_stats st;

	novamm_vram_stats(&mm->buddy, &st);
	KUNIT_EXPECT_EQ(test, st.total, (u64)SZ_256M);
	KUNIT_EXPECT_EQ(test, st.usable, (u64)SZ_256M - SZ_32M);
	KUNIT_EXPECT_EQ(test, st.free, (u64)SZ_256M - SZ_32M);
	KUNIT_EXPECT_EQ(test, st.largest_free, (u64)SZ_128M);
	KUNIT_EXPECT_EQ(test, st.allocated, 0ULL);
	KUNIT_EXPECT_EQ(test, st.allocations, 0U);

	/* The first reserved page, asked for by address. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4K, NOVAMM_VRAM_RANGE,
							&top)), -ENOSPC);
}

static void buddy_plain(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram_stats st;
	struct novamm_vram *vram;
	struct span s;

	vram = novamm_vram_alloc(&mm->buddy, SZ_2M + SZ_64K + SZ_4K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	vram_span(mm, vram, &s);
	KUNIT_EXPECT_EQ(test, s.sum, (u64)SZ_2M + SZ_64K + SZ_4K);
	KUNIT_EXPECT_EQ(test, s.blocks, 3U);
	KUNIT_EXPECT_FALSE(test, s.outside_usable);
	novamm_vram_stats(&mm->buddy, &st);
	KUNIT_EXPECT_EQ(test, st.free, (u64)USABLE_END - SZ_2M - SZ_64K - SZ_4K);
	KUNIT_EXPECT_EQ(test, st.allocated, (u64)SZ_2M + SZ_64K + SZ_4K);
	KUNIT_EXPECT_EQ(test, st.allocations, 1U);

	novamm_vram_free(vram);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
	novamm_vram_free(NULL);
	novamm_vram_free(ERR_PTR(-ENOSPC));
}

static void buddy_contiguous(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram *vram;
	struct span s;

	/*
	 * The right half of the 8 MiB block at 48 MiB, trimmed from 4 MiB to
	 * 3 MiB + 4 KiB.
	 */
	vram = novamm_vram_alloc(&mm->buddy, SZ_2M + SZ_1M + SZ_4K, NOVAMM_VRAM_CONTIGUOUS,
				 NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	vram_span(mm, vram, &s);
	KUNIT_EXPECT_EQ(test, s.lo, (u64)SZ_32M + SZ_16M + SZ_4M);
	KUNIT_EXPECT_EQ(test, s.hi - s.lo, (u64)SZ_2M + SZ_1M + SZ_4K);
	KUNIT_EXPECT_EQ(test, s.sum, (u64)SZ_2M + SZ_1M + SZ_4K);
	KUNIT_EXPECT_EQ(test, s.blocks, 3U);
	KUNIT_EXPECT_EQ(test, novamm_vram_start(vram), (u64)SZ_32M + SZ_16M + SZ_4M);
	novamm_vram_free(vram);

	vram = novamm_vram_alloc(&mm->buddy, 3 * SZ_4K, NOVAMM_VRAM_CONTIGUOUS, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	vram_span(mm, vram, &s);
	KUNIT_EXPECT_EQ(test, s.hi - s.lo, 3ULL * SZ_4K);
	novamm_vram_free(vram);

	/* Longer than any free block: 32 MiB at 0 and 8 MiB after it. */
	vram = novamm_vram_alloc(&mm->buddy, SZ_32M + SZ_8M, NOVAMM_VRAM_CONTIGUOUS, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	vram_span(mm, vram, &s);
	KUNIT_EXPECT_EQ(test, s.lo, 0ULL);
	KUNIT_EXPECT_EQ(test, s.hi, (u64)SZ_32M + SZ_8M);
	KUNIT_EXPECT_EQ(test, s.sum, (u64)SZ_32M + SZ_8M);
	novamm_vram_free(vram);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
}

static void buddy_topdown(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram *vram, *contig;
	struct span s;

	vram = novamm_vram_alloc(&mm->buddy, SZ_4K, NOVAMM_VRAM_TOPDOWN, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	KUNIT_EXPECT_EQ(test, novamm_vram_start(vram), (u64)USABLE_END - SZ_4K);

	contig = novamm_vram_alloc(&mm->buddy, 3 * SZ_1M,
				   NOVAMM_VRAM_CONTIGUOUS | NOVAMM_VRAM_TOPDOWN, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(contig));
	vram_span(mm, contig, &s);
	KUNIT_EXPECT_EQ(test, s.lo, (u64)SZ_32M + SZ_16M);
	KUNIT_EXPECT_EQ(test, s.hi, (u64)SZ_32M + SZ_16M + 3 * SZ_1M);
	KUNIT_EXPECT_FALSE(test, s.outside_usable);

	novamm_vram_free(contig);
	novamm_vram_free(vram);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
}

static void buddy_range(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram_place in = { SZ_8M, SZ_16M };
	struct novamm_vram_place exact = { SZ_8M, SZ_8M + SZ_1M };
	struct novamm_vram_place odd = { SZ_16M + SZ_4K, SZ_16M + SZ_4M };
	struct novamm_vram_place edge = { USABLE_END - SZ_4M, USABLE_END + SZ_4M };
	struct novamm_vram_place reserved = { USABLE_END, VRAM };
	struct novamm_vram *a, *b, *c;
	struct span s;

	a = novamm_vram_alloc(&mm->buddy, SZ_1M + SZ_4K, NOVAMM_VRAM_RANGE, &in);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	vram_span(mm, a, &s);
	KUNIT_EXPECT_GE(test, s.lo, (u64)SZ_8M);
	KUNIT_EXPECT_LE(test, s.hi, (u64)SZ_16M);
	KUNIT_EXPECT_EQ(test, s.sum, (u64)SZ_1M + SZ_4K);

	/* Allocated above, so [8M, 9M) is taken only if it was left free. */
	novamm_vram_free(a);
	b = novamm_vram_alloc(&mm->buddy, SZ_1M, NOVAMM_VRAM_RANGE, &exact);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	vram_span(mm, b, &s);
	KUNIT_EXPECT_EQ(test, s.lo, (u64)SZ_8M);
	KUNIT_EXPECT_EQ(test, s.hi, (u64)SZ_8M + SZ_1M);

	c = novamm_vram_alloc(&mm->buddy, SZ_2M, NOVAMM_VRAM_RANGE | NOVAMM_VRAM_CONTIGUOUS,
			      &odd);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	vram_span(mm, c, &s);
	KUNIT_EXPECT_GE(test, s.lo, (u64)SZ_16M + SZ_4K);
	KUNIT_EXPECT_LE(test, s.hi, (u64)SZ_16M + SZ_4M);
	KUNIT_EXPECT_EQ(test, s.hi - s.lo, (u64)SZ_2M);

	/* Only half of this range is usable, none of that one. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4M + SZ_4K,
							NOVAMM_VRAM_RANGE, &edge)),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4K, NOVAMM_VRAM_RANGE,
							&reserved)), -ENOSPC);
	/* [8M, 9M) splits the 32 MiB block: 16 MiB at 32M is the largest. */
	expect_stats(test, mm, USABLE_END - SZ_1M - SZ_2M, SZ_16M, 2);

	novamm_vram_free(b);
	novamm_vram_free(c);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
}

static void buddy_min_block(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram_place p64k = { .min_block = SZ_64K };
	struct novamm_vram_place p2m = { .min_block = SZ_2M };
	struct novamm_vram_cursor cur = {};
	struct novamm_vram *a, *b;
	unsigned int n = 0;

	/* Taken first, so that a later block must not be a 4 KiB one. */
	a = novamm_vram_alloc(&mm->buddy, SZ_4K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = novamm_vram_alloc(&mm->buddy, 3 * SZ_64K, 0, &p64k);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	while (novamm_vram_next_block(b, &cur)) {
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(cur.offset | cur.size, SZ_64K));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 2U);
	novamm_vram_free(b);

	b = novamm_vram_alloc(&mm->buddy, 3 * SZ_2M, 0, &p2m);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	/* The cursor ended zeroed: it walks this allocation from its start. */
	n = 0;
	while (novamm_vram_next_block(b, &cur)) {
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(cur.offset | cur.size, SZ_2M));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 2U);
	novamm_vram_free(b);
	novamm_vram_free(a);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
}

struct invalid_case {
	const char *name;
	u64 size;
	unsigned long flags;
	struct novamm_vram_place place;
	bool no_place;
};

static const struct invalid_case invalid_cases[] = {
	{ "size zero", 0, 0, {} },
	{ "size not in pages", SZ_4K + 1, 0, {} },
	{ "size not in minimum blocks", SZ_64K + SZ_4K, 0, { .min_block = SZ_64K } },
	{ "minimum block not a power of two", 3 * SZ_4K, 0, { .min_block = 3 * SZ_4K } },
	{ "minimum block under a page", SZ_4K, 0, { .min_block = SZ_2K } },
	{ "unknown flag", SZ_4K, BIT(5), {} },
	{ "range without a place", SZ_4K, NOVAMM_VRAM_RANGE, {}, true },
	{ "range empty", SZ_4K, NOVAMM_VRAM_RANGE, { SZ_1M, SZ_1M } },
	{ "range reversed", SZ_4K, NOVAMM_VRAM_RANGE, { SZ_2M, SZ_1M } },
	{ "range past VRAM", SZ_4K, NOVAMM_VRAM_RANGE, { 0, VRAM + SZ_4K } },
	{ "range unaligned", SZ_4K, NOVAMM_VRAM_RANGE, { SZ_1M + 8, SZ_2M } },
	{ "range unaligned to the minimum block", SZ_64K, NOVAMM_VRAM_RANGE,
	  { SZ_4K, SZ_1M, SZ_64K } },
	{ "a range but no flag", SZ_4K, 0, { SZ_1M, SZ_2M } },
};

static void invalid_desc(const struct invalid_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(invalid, invalid_cases, invalid_desc);

static void buddy_invalid(struct kunit *test)
{
	const struct invalid_case *c = test->param_value;
	struct novamm_mm *mm = buddy_mm(test, VRAM);

	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, c->size, c->flags,
							c->no_place ? NULL : &c->place)),
			-EINVAL);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
}

static void buddy_exhaustion(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram_place low = { 0, SZ_1M };
	struct novamm_vram *all;

	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, USABLE_END + SZ_4K, 0,
							NULL)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, VRAM, 0, NULL)), -ENOSPC);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);

	all = novamm_vram_alloc(&mm->buddy, USABLE_END, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(all));
	expect_stats(test, mm, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4K, 0, NULL)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4K, NOVAMM_VRAM_TOPDOWN,
							NULL)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4K, NOVAMM_VRAM_CONTIGUOUS,
							NULL)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4K, NOVAMM_VRAM_RANGE,
							&low)), -ENOSPC);
	expect_stats(test, mm, 0, 0, 1);

	novamm_vram_free(all);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
}

/*
 * Usable VRAM in 2 MiB pieces, all taken, then [2M, 6M) given back: a
 * 4 MiB hole that is no 4 MiB buddy block ([2M, 4M) and [4M, 6M) have
 * different buddies), so contiguous allocation must look past the blocks.
 */
static void buddy_contiguous_fragmented(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram *piece[USABLE_END / SZ_2M], *hole;
	struct novamm_vram_place p;
	unsigned int i;
	struct span s;

	for (i = 0; i < ARRAY_SIZE(piece); i++) {
		p = (struct novamm_vram_place){ i * SZ_2M, (i + 1) * SZ_2M };
		piece[i] = novamm_vram_alloc(&mm->buddy, SZ_2M, NOVAMM_VRAM_RANGE, &p);
		KUNIT_ASSERT_FALSE(test, IS_ERR(piece[i]));
	}
	novamm_vram_free(piece[1]);
	novamm_vram_free(piece[2]);
	for (i = 5; i < ARRAY_SIZE(piece); i += 2)
		novamm_vram_free(piece[i]);
	/* Free: [2M, 6M), then every other 2 MiB from 10M: 4 + 12 * 2 MiB. */
	expect_stats(test, mm, SZ_4M + 12 * SZ_2M, SZ_2M, 14);

	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&mm->buddy, SZ_4M + SZ_4K,
							NOVAMM_VRAM_CONTIGUOUS,
							NULL)), -ENOSPC);
	expect_stats(test, mm, SZ_4M + 12 * SZ_2M, SZ_2M, 14);

	hole = novamm_vram_alloc(&mm->buddy, SZ_4M, NOVAMM_VRAM_CONTIGUOUS, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(hole));
	vram_span(mm, hole, &s);
	KUNIT_EXPECT_EQ(test, s.lo, (u64)SZ_2M);
	KUNIT_EXPECT_EQ(test, s.hi, (u64)SZ_2M + SZ_4M);
	novamm_vram_free(hole);

	novamm_vram_free(piece[0]);
	novamm_vram_free(piece[3]);
	for (i = 4; i < ARRAY_SIZE(piece); i += 2)
		novamm_vram_free(piece[i]);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);
}

#define RANDOM_OPS	novamm_sim_test_scaled(100000)
#define RANDOM_LIVE	64

static void buddy_random(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, SZ_256M);
	u64 seed = buddy_test_seed ? buddy_test_seed : 0x6e6f76616d6dULL;
	struct novamm_vram **live, *vram;
	unsigned int n = 0, i, r, outside = 0, broken = 0, allocs = 0, nospc = 0;
	struct novamm_vram_place p;
	struct novamm_vram_stats st;
	unsigned long flags;
	struct rnd_state rnd;
	struct span s;
	u64 size;

	live = kunit_kcalloc(test, RANDOM_LIVE, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	kunit_info(test, "seed %llu (novamm_kunit.buddy_test_seed= to repeat)\n", seed);
	prandom_seed_state(&rnd, seed);

	for (i = 0; i < RANDOM_OPS; i++) {
		r = prandom_u32_state(&rnd);
		if (n && (n == RANDOM_LIVE || (r & 1))) {
			r = (r >> 1) % n;
			novamm_vram_free(live[r]);
			live[r] = live[--n];
			continue;
		}
		flags = (r >> 1) & NOVAMM_VRAM_FLAGS;
		p = (struct novamm_vram_place){ .min_block = (r & BIT(4)) ? SZ_64K : SZ_4K };
		size = round_up((u64)(prandom_u32_state(&rnd) % SZ_2M) + 1, p.min_block);
		if (flags & NOVAMM_VRAM_RANGE) {
			/* Anywhere in VRAM, reserved top included. */
			p.start = round_down((u64)prandom_u32_state(&rnd) % SZ_256M,
					     p.min_block);
			p.end = min_t(u64, SZ_256M, p.start + 2 * size + SZ_1M);
		}
		vram = novamm_vram_alloc(&mm->buddy, size, flags, &p);
		if (IS_ERR(vram)) {
			KUNIT_ASSERT_EQ(test, PTR_ERR(vram), -ENOSPC);
			nospc++;
			continue;
		}
		allocs++;
		vram_span(mm, vram, &s);
		outside += s.outside_usable;
		broken += s.sum != size ||
			  ((flags & NOVAMM_VRAM_CONTIGUOUS) && s.hi - s.lo != size) ||
			  ((flags & NOVAMM_VRAM_RANGE) && (s.lo < p.start || s.hi > p.end));
		live[n++] = vram;
	}
	kunit_info(test, "%u allocations, %u refused with -ENOSPC\n", allocs, nospc);
	KUNIT_EXPECT_EQ(test, outside, 0U);
	KUNIT_EXPECT_EQ(test, broken, 0U);
	KUNIT_EXPECT_GT(test, allocs, RANDOM_OPS / 4);

	while (n)
		novamm_vram_free(live[--n]);
	novamm_vram_stats(&mm->buddy, &st);
	KUNIT_EXPECT_EQ(test, st.free, st.usable);
	KUNIT_EXPECT_EQ(test, st.free, (u64)SZ_256M - SZ_32M);
	KUNIT_EXPECT_EQ(test, st.largest_free, (u64)SZ_128M);
	KUNIT_EXPECT_EQ(test, st.allocations, 0U);
	KUNIT_EXPECT_EQ(test, st.allocated, 0ULL);
}

/* Two usable ranges around a reserved hole: nothing lands in the hole. */
static void buddy_hole(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_attach(test, "GA102", VRAM);
	struct novamm_sim_gsp_config cfg = {
		.num_regions = 3,
		.regions = {
			{ .base = 0, .limit = SZ_8M + SZ_4M - 1, .compressed = true, .iso = true },
			{ .base = SZ_8M + SZ_4M, .limit = SZ_16M - 1, .protected = true },
			{ .base = SZ_16M, .limit = VRAM - 1, .compressed = true, .iso = true },
		},
		.bar1_pde_base = SZ_8M + SZ_4M, .bar2_pde_base = SZ_8M + SZ_4M + SZ_64K,
	};
	struct novamm_vram *all;
	struct novamm_vram_cursor cur = {};
	u64 sum = 0;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_gsp_config(td->sim, &cfg), 0);
	novamm_test_dev_probe(test, td);
	expect_stats(test, &td->ndev.mm, VRAM - SZ_4M, SZ_32M, 0);

	all = novamm_vram_alloc(&td->ndev.mm.buddy, VRAM - SZ_4M, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(all));
	while (novamm_vram_next_block(all, &cur)) {
		KUNIT_EXPECT_TRUE(test, cur.offset + cur.size <= SZ_8M + SZ_4M ||
				  cur.offset >= SZ_16M);
		sum += cur.size;
	}
	KUNIT_EXPECT_EQ(test, sum, (u64)VRAM - SZ_4M);
	novamm_vram_free(all);
}

static void buddy_leak_at_remove(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "TU102", VRAM);
	struct novamm_vram *vram;

	vram = novamm_vram_alloc(&td->ndev.mm.buddy, SZ_1M, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	/* Reported and freed, so the kernel allocator goes down whole. */
	novamm_test_dev_remove(td);
	KUNIT_EXPECT_FALSE(test, td->ndev.mm.buddy.ready);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_vram_alloc(&td->ndev.mm.buddy, SZ_4K, 0, NULL)),
			-ENODEV);
}

static void buddy_selftest(struct kunit *test)
{
	struct novamm_mm *mm = buddy_mm(test, VRAM);
	struct novamm_vram_place p = { .min_block = SZ_8M };
	struct novamm_vram *blocks[7];
	unsigned int i;

	KUNIT_EXPECT_EQ(test, novamm_buddy_selftest(&mm->buddy), 0);
	expect_stats(test, mm, USABLE_END, SZ_32M, 0);

	/* No 8 MiB block left to test in. */
	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		blocks[i] = novamm_vram_alloc(&mm->buddy, SZ_8M, 0, &p);
		KUNIT_ASSERT_FALSE(test, IS_ERR(blocks[i]));
	}
	expect_stats(test, mm, 0, 0, 7);
	KUNIT_EXPECT_EQ(test, novamm_buddy_selftest(&mm->buddy), -ENOSPC);
	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		novamm_vram_free(blocks[i]);
}

static struct kunit_case novamm_buddy_cases[] = {
	KUNIT_CASE(buddy_init_stats),
	KUNIT_CASE(buddy_plain),
	KUNIT_CASE(buddy_contiguous),
	KUNIT_CASE(buddy_topdown),
	KUNIT_CASE(buddy_range),
	KUNIT_CASE(buddy_min_block),
	KUNIT_CASE_PARAM(buddy_invalid, invalid_gen_params),
	KUNIT_CASE(buddy_exhaustion),
	KUNIT_CASE(buddy_contiguous_fragmented),
	KUNIT_CASE(buddy_random),
	KUNIT_CASE(buddy_hole),
	KUNIT_CASE(buddy_leak_at_remove),
	KUNIT_CASE(buddy_selftest),
	{}
};

static struct kunit_suite novamm_buddy_suite = {
	.name = "novamm_buddy",
	.test_cases = novamm_buddy_cases,
};

/*
 * The adapter against the kernel allocator called directly, the same
 * alloc/free pairs on the same VRAM size. Times are printed, never
 * asserted; under KASAN and lockdep they are slow but comparable.
 *
 * A round of a few thousand pairs takes milliseconds, where a page the
 * host faults in, a slab that grows or another task that runs costs as
 * much as the difference being measured; whichever side ran first paid
 * for the memory both then reuse. So both are warmed up first, then run
 * in alternating rounds, and each side's fastest round counts.
 */
#define BENCH_OPS	novamm_sim_test_scaled(5000)
/* Under KASAN or lockdep the times say nothing: one round shows it runs. */
#define BENCH_ROUNDS	(IS_ENABLED(CONFIG_KASAN) || IS_ENABLED(CONFIG_PROVE_LOCKING) ? 1 : 5)

static u64 bench_adapter(struct kunit *test, struct novamm_mm *mm, u64 size,
			 unsigned long flags)
{
	struct novamm_vram *vram;
	unsigned int i, fails = 0;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < BENCH_OPS; i++) {
		vram = novamm_vram_alloc(&mm->buddy, size, flags, NULL);
		fails += IS_ERR(vram);
		novamm_vram_free(vram);
	}
	KUNIT_EXPECT_EQ(test, fails, 0U);
	return ktime_get_ns() - t0;
}

static u64 bench_kernel(struct kunit *test, struct novamm_kbuddy *kb, u64 size)
{
	unsigned int i, fails = 0;
	u64 t0 = ktime_get_ns();
	LIST_HEAD(blocks);

	for (i = 0; i < BENCH_OPS; i++) {
		fails += !!novamm_kbuddy_alloc_blocks(kb, 0, kb->size, size, SZ_4K,
						      &blocks, 0);
		novamm_kbuddy_free_list(kb, &blocks);
	}
	KUNIT_EXPECT_EQ(test, fails, 0U);
	return ktime_get_ns() - t0;
}

/*
 * The kernel allocator as a driver calls it: a record of each
 * allocation's blocks, allocated per allocation, and a lock around every
 * call, since the allocator has none of its own.
 */
struct bench_record {
	struct list_head blocks;
	u64 size;
};

static u64 bench_kernel_driver(struct kunit *test, struct novamm_kbuddy *kb,
			       struct mutex *lock, u64 size)
{
	unsigned int i, fails = 0;
	u64 t0 = ktime_get_ns();
	struct bench_record *rec;

	for (i = 0; i < BENCH_OPS; i++) {
		rec = kzalloc(sizeof(*rec), GFP_KERNEL);
		if (!rec) {
			fails++;
			continue;
		}
		INIT_LIST_HEAD(&rec->blocks);
		rec->size = size;
		mutex_lock(lock);
		fails += !!novamm_kbuddy_alloc_blocks(kb, 0, kb->size, size, SZ_4K,
						      &rec->blocks, 0);
		mutex_unlock(lock);
		mutex_lock(lock);
		novamm_kbuddy_free_list(kb, &rec->blocks);
		mutex_unlock(lock);
		kfree(rec);
	}
	KUNIT_EXPECT_EQ(test, fails, 0U);
	return ktime_get_ns() - t0;
}

/* novamm's time @a against the kernel's @k bare and @d as a driver calls it. */
static void bench_line(struct kunit *test, u64 size, u64 a, u64 k, u64 d)
{
	k = max(k, 1ULL);
	d = max(d, 1ULL);
	kunit_info(test, "bench: VRAM alloc+free of %llu KiB, best of %u rounds of %u: novamm %llu ns/op, %s %llu ns/op (ratio %llu.%02llu), %s under a lock into a record %llu ns/op (ratio %llu.%02llu)\n",
		   size >> 10, BENCH_ROUNDS, BENCH_OPS, a / BENCH_OPS,
		   NOVAMM_KBUDDY_NAME, k / BENCH_OPS, a / k, a * 100 / k % 100,
		   NOVAMM_KBUDDY_NAME, d / BENCH_OPS, a / d, a * 100 / d % 100);
}

static void buddy_bench(struct kunit *test)
{
	static const u64 sizes[] = { SZ_4K, SZ_64K + SZ_4K, SZ_2M };
	struct novamm_kbuddy *kb;
	struct novamm_mm *mm;
	LIST_HEAD(reserved);
	struct mutex lock;	/* the driver's, in bench_kernel_driver() */
	unsigned int i, r;
	u64 a, k, d;

	/* Under TCG even one round of each side outlasts KUnit's timeout. */
	novamm_test_full_size(test);
	mm = buddy_mm(test, SZ_256M);
	kb = kunit_kzalloc(test, sizeof(*kb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kb);
	KUNIT_ASSERT_EQ(test, novamm_kbuddy_init(kb, SZ_256M, SZ_4K), 0);
	/* The same free blocks as the device's: its reserved top taken. */
	KUNIT_ASSERT_EQ(test, novamm_kbuddy_alloc_blocks(kb, SZ_256M - SZ_32M, SZ_256M,
							 SZ_32M, SZ_4K, &reserved,
							 NOVAMM_KBUDDY_RANGE), 0);

	mutex_init(&lock);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (BENCH_ROUNDS > 1) {
			bench_adapter(test, mm, sizes[i], 0);
			bench_kernel(test, kb, sizes[i]);
			bench_kernel_driver(test, kb, &lock, sizes[i]);
		}
		a = U64_MAX;
		k = U64_MAX;
		d = U64_MAX;
		for (r = 0; r < BENCH_ROUNDS; r++) {
			a = min(a, bench_adapter(test, mm, sizes[i], 0));
			k = min(k, bench_kernel(test, kb, sizes[i]));
			d = min(d, bench_kernel_driver(test, kb, &lock, sizes[i]));
		}
		bench_line(test, sizes[i], a, k, d);
	}
	mutex_destroy(&lock);
	novamm_kbuddy_free_list(kb, &reserved);
	novamm_kbuddy_fini(kb);
}

static struct kunit_case novamm_buddy_bench_cases[] = {
	KUNIT_CASE(buddy_bench),
	{}
};

static struct kunit_suite novamm_buddy_bench_suite = {
	.name = "novamm_buddy_bench",
	.test_cases = novamm_buddy_bench_cases,
};

kunit_test_suites(&novamm_buddy_suite, &novamm_buddy_bench_suite);
