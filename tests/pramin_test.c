// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_pramin: the PRAMIN accessor on simulated Turing-Ada
 * and Hopper-Blackwell GPUs, checked against the sim's VRAM and counters.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/core.h>
#include <novamm/pramin.h>
#include <novamm/sim.h>

#include "helpers.h"

/*
 * Per generation, typed from the reference: the window register, and the
 * TARGET bits a window onto video memory carries (VID_MEM is 0 in 25:24 up
 * to Ada; Hopper and Blackwell have no TARGET field).
 */
struct pramin_case {
	const char *chip;
	u32 window_reg;
	u32 sysmem_target;	/* TARGET = SYS_MEM_COHERENT, or 0 if none */
};

static const struct pramin_case pramin_cases[] = {
	{ "GA102", 0x001700, 0x02000000 },
	{ "TU102", 0x001700, 0x02000000 },
	{ "GH100", 0x10fd40, 0 },
	{ "GB202", 0x10fd40, 0 },
};

static void pramin_case_desc(const struct pramin_case *c, char *desc)
{
	strscpy(desc, c->chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pramin, pramin_cases, pramin_case_desc);

#define VRAM_SIZE	(64ULL * SZ_1M)

/* A probed device, its counters zeroed. */
static struct novamm_test_dev *pramin_dev(struct kunit *test)
{
	const struct pramin_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_new(test, c->chip, VRAM_SIZE);

	novamm_sim_reset_counters(td->sim);
	return td;
}

static void sim_bytes(struct kunit *test, struct novamm_test_dev *td, u64 addr,
		      void *buf, size_t len)
{
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(td->sim, addr, buf, len), 0);
}

/* Every width lands in VRAM little-endian at its address, and reads back. */
static void pramin_widths(struct kunit *test)
{
	struct novamm_test_dev *td = pramin_dev(test);
	struct novamm_mm *mm = &td->ndev.mm;
	static const u8 seed[16] = {
		0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
		0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
	};
	u8 b[16];
	u64 v64;
	u32 v32;
	u16 v16;
	u8 v8;

	/* 30 MiB + 0x100: outside the window found at probe. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(td->sim, 30 * SZ_1M + 0x100, seed, 16), 0);

	KUNIT_EXPECT_EQ(test, novamm_pramin_wr8(&mm->pramin, 30 * SZ_1M + 0x101, 0x11), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr16(&mm->pramin, 30 * SZ_1M + 0x102, 0x2233), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr32(&mm->pramin, 30 * SZ_1M + 0x104, 0x44556677), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr64(&mm->pramin, 30 * SZ_1M + 0x108,
						 0x8899aabbccddeeffULL), 0);
	sim_bytes(test, td, 30 * SZ_1M + 0x100, b, 16);
	KUNIT_EXPECT_EQ(test, b[0], 0xf0);	/* untouched neighbour of the u8 */
	KUNIT_EXPECT_EQ(test, b[1], 0x11);
	KUNIT_EXPECT_EQ(test, b[2], 0x33);
	KUNIT_EXPECT_EQ(test, b[3], 0x22);
	KUNIT_EXPECT_EQ(test, b[4], 0x77);
	KUNIT_EXPECT_EQ(test, b[7], 0x44);
	KUNIT_EXPECT_EQ(test, b[8], 0xff);
	KUNIT_EXPECT_EQ(test, b[12], 0xbb);
	KUNIT_EXPECT_EQ(test, b[15], 0x88);

	KUNIT_EXPECT_EQ(test, novamm_pramin_rd8(&mm->pramin, 30 * SZ_1M + 0x100, &v8), 0);
	KUNIT_EXPECT_EQ(test, v8, 0xf0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd16(&mm->pramin, 30 * SZ_1M + 0x102, &v16), 0);
	KUNIT_EXPECT_EQ(test, v16, 0x2233);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd32(&mm->pramin, 30 * SZ_1M + 0x104, &v32), 0);
	KUNIT_EXPECT_EQ(test, v32, 0x44556677);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, 30 * SZ_1M + 0x108, &v64), 0);
	KUNIT_EXPECT_EQ(test, v64, 0x8899aabbccddeeffULL);
	/* The seed's first eight bytes, read as one little-endian u64. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(td->sim, 30 * SZ_1M + 0x100, seed, 8), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, 30 * SZ_1M + 0x100, &v64), 0);
	KUNIT_EXPECT_EQ(test, v64, 0xf7f6f5f4f3f2f1f0ULL);
}

/* Accesses just inside a window edge do not move it; just outside, once. */
static void pramin_window_edge(struct kunit *test)
{
	const struct pramin_case *c = test->param_value;
	struct novamm_test_dev *td = pramin_dev(test);
	struct novamm_mm *mm = &td->ndev.mm;
	u64 moves = mm->pramin.window_moves;
	struct novamm_sim_counters cnt;
	u64 v;

	/* Window at 8 MiB: BASE 0x80. */
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr64(&mm->pramin, 8 * SZ_1M, 1), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(td->sim, c->window_reg), 0x80);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr64(&mm->pramin, 9 * SZ_1M - 8, 2), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, 8 * SZ_1M, &v), 0);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 1);

	/* 9 MiB is the first byte past the window: BASE 0x90. */
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr64(&mm->pramin, 9 * SZ_1M, 3), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(td->sim, c->window_reg), 0x90);
	/* And 8 MiB + 64 KiB - 8 now lies below it: BASE 0x80 again. */
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, 8 * SZ_1M + SZ_64K - 8, &v), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(td->sim, c->window_reg), 0x80);

	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 3);
	KUNIT_EXPECT_EQ(test, cnt.window_writes, 3);
	KUNIT_EXPECT_EQ(test, mm->pramin.window_moves, moves + 3);
	KUNIT_EXPECT_EQ(test, cnt.pramin_errors, 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(td->sim, 9 * SZ_1M - 8, &v, 8), 0);
	KUNIT_EXPECT_EQ(test, v, 2);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(td->sim, 9 * SZ_1M, &v, 8), 0);
	KUNIT_EXPECT_EQ(test, v, 3);
}

/* Bulk copies and fills at odd addresses across several windows. */
static void pramin_bulk(struct kunit *test)
{
	const size_t len = 3 * SZ_1M + SZ_512K + 5;
	const u64 addr = 10 * SZ_1M + 3;
	struct novamm_sim_counters cnt;
	struct novamm_test_dev *td;
	struct novamm_mm *mm;
	u8 *src, *dst, *back;
	size_t i;

	novamm_test_full_size(test);
	src = novamm_test_vmalloc(test, len);
	dst = novamm_test_vmalloc(test, len);
	back = novamm_test_vmalloc_fill(test, len, 0);
	td = pramin_dev(test);
	mm = &td->ndev.mm;
	for (i = 0; i < len; i++)
		src[i] = i * 7 + (i >> 12);

	KUNIT_EXPECT_EQ(test, novamm_pramin_write(&mm->pramin, addr, src, len), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(td->sim, addr, dst, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, len), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_read(&mm->pramin, addr, back, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, back, len), 0);
	novamm_sim_counters(td->sim, &cnt);
	/* [10 MiB + 3, 13.5 MiB + 8) starts 4 windows, for each direction. */
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 8);

	/*
	 * Fill 2 MiB + 3 bytes from 10 MiB + 5: a part word at each end and
	 * three windows; the neighbours keep their bytes.
	 */
	KUNIT_EXPECT_EQ(test, novamm_pramin_fill(&mm->pramin, addr + 2, 0x5a, 2 * SZ_1M + 3), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(td->sim, addr, dst, len), 0);
	KUNIT_EXPECT_EQ(test, dst[1], src[1]);
	KUNIT_EXPECT_EQ(test, dst[2], 0x5a);
	KUNIT_EXPECT_EQ(test, dst[2 * SZ_1M + 4], 0x5a);
	KUNIT_EXPECT_EQ(test, dst[2 * SZ_1M + 5], src[2 * SZ_1M + 5]);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(dst + 2, 0x5a, 2 * SZ_1M + 3), NULL);
}

/*
 * Writing 4 MiB sequentially from a 1 MiB boundary outside the current
 * window moves the window exactly once per MiB, and costs one 32-bit MMIO
 * write per 4 bytes plus the window writes, with no MMIO read.
 */
static void pramin_sequential(struct kunit *test)
{
	const struct pramin_case *c = test->param_value;
	struct novamm_sim_counters cnt;
	struct novamm_test_dev *td;
	struct novamm_mm *mm;
	void *buf;

	novamm_test_full_size(test);
	buf = novamm_test_vmalloc_fill(test, SZ_4M, 0xc3);
	td = pramin_dev(test);
	mm = &td->ndev.mm;
	KUNIT_EXPECT_EQ(test, novamm_pramin_write(&mm->pramin, 4 * SZ_1M, buf, SZ_4M), 0);

	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 4);
	KUNIT_EXPECT_EQ(test, cnt.window_writes, 4);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, SZ_4M / 4 + 4);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0);
	kunit_info(test, "bench: %s PRAMIN sequential write of 4 MiB: %llu window moves, %llu MMIO writes, %llu MMIO reads; per MiB: %llu window moves, %llu MMIO writes (minimum 1 and 262144)\n",
		   c->chip, cnt.window_moves, cnt.mmio_writes, cnt.mmio_reads,
		   cnt.window_moves / 4, cnt.mmio_writes / 4);

	/* The same 4 MiB filled: same cost. */
	novamm_sim_reset_counters(td->sim);
	KUNIT_EXPECT_EQ(test, novamm_pramin_fill(&mm->pramin, 4 * SZ_1M, 0, SZ_4M), 0);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 4);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, SZ_4M / 4 + 4);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0);
}

/* Accesses anywhere inside the current window never move it. */
static void pramin_inside_window(struct kunit *test)
{
	struct novamm_test_dev *td = pramin_dev(test);
	struct novamm_mm *mm = &td->ndev.mm;
	struct novamm_sim_counters cnt;
	u64 addr, v;

	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, 20 * SZ_1M, &v), 0);
	novamm_sim_reset_counters(td->sim);
	for (addr = 20 * SZ_1M; addr < 21 * SZ_1M; addr += 4096 + 8)
		KUNIT_EXPECT_EQ(test, novamm_pramin_wr64(&mm->pramin, addr, addr), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_fill(&mm->pramin, 21 * SZ_1M - 100, 1, 100), 0);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 0);
	KUNIT_EXPECT_EQ(test, cnt.window_writes, 0);
}

/* Refused calls return their error and leave hardware and VRAM alone. */
static void pramin_refused(struct kunit *test)
{
	struct novamm_test_dev *td = pramin_dev(test);
	struct novamm_mm *mm = &td->ndev.mm;
	struct novamm_sim_counters cnt;
	u8 buf[16] = {};
	u64 v64 = 0x77;
	u32 v32 = 0x77;
	u16 v16 = 0x77;
	u8 v8 = 0x77;

	/* Beyond the end of VRAM. */
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd8(&mm->pramin, VRAM_SIZE, &v8), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr32(&mm->pramin, VRAM_SIZE, 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, U64_MAX - 7, &v64), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_pramin_write(&mm->pramin, VRAM_SIZE - 8, buf, 16), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_pramin_read(&mm->pramin, VRAM_SIZE - 1, buf, 2), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_pramin_fill(&mm->pramin, U64_MAX, 0, 2), -ERANGE);
	/* Misaligned. */
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd16(&mm->pramin, 1, &v16), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr16(&mm->pramin, 3, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd32(&mm->pramin, 2, &v32), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr32(&mm->pramin, 6, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, 4, &v64), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr64(&mm->pramin, 12, 1), -EINVAL);
	/* Zero length: nothing to do, wherever it is. */
	KUNIT_EXPECT_EQ(test, novamm_pramin_read(&mm->pramin, 0, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_write(&mm->pramin, VRAM_SIZE, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_fill(&mm->pramin, U64_MAX, 0, 0), 0);
	/* The last byte and the last u64 of VRAM are still reachable. */
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd8(&mm->pramin, VRAM_SIZE - 1, &v8), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, VRAM_SIZE - 8, &v64), 0);

	KUNIT_EXPECT_EQ(test, v16, 0x77);
	KUNIT_EXPECT_EQ(test, v32, 0x77);
	KUNIT_EXPECT_EQ(test, v64, 0);
	novamm_sim_counters(td->sim, &cnt);
	/* Only the two good reads: 1 + 2 MMIO reads, one window move. */
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 3);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 1);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 1);
	/*
	 * A level: GSP-RM's BAR1 instance block, none of this test's. Its root
	 * directory is all zero, which a page never written already reads as.
	 */
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 1);
}

/*
 * The window register is read once at probe, written back at remove, and
 * a window found on system memory is moved before first use even when its
 * BASE already matches.
 */
static void pramin_restore(struct kunit *test)
{
	const struct pramin_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, c->chip, VRAM_SIZE);
	struct novamm_mm *mm = &td->ndev.mm;
	struct novamm_sim_counters cnt;
	struct novamm_sim_gsp_config g;
	u32 found;
	u64 v;

	/*
	 * Probe's first PRAMIN access reads GSP-RM's BAR1 root directory: a
	 * window found already there is used as it is, unless it is on
	 * system memory.
	 */
	novamm_sim_gsp_config(td->sim, &g);
	found = c->sysmem_target | (u32)(g.bar1_pde_base >> 16);
	novamm_sim_wr32(td->sim, c->window_reg, found);
	novamm_sim_reset_counters(td->sim);
	novamm_test_dev_probe(test, td);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, c->sysmem_target ? 1 : 0);
	KUNIT_EXPECT_EQ(test, cnt.pramin_errors, 0);

	KUNIT_EXPECT_EQ(test, novamm_pramin_rd64(&mm->pramin, 33 * SZ_1M, &v), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(td->sim, c->window_reg), 0x210);

	novamm_test_dev_remove(td);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(td->sim, c->window_reg), found);
}

/* The probe-time self-test passes and leaves VRAM as it found it. */
static void pramin_selftest(struct kunit *test)
{
	struct novamm_test_dev *td = pramin_dev(test);
	struct novamm_mm *mm = &td->ndev.mm;
	struct novamm_sim_counters cnt;
	u8 before[8], after[8];
	static const u64 probes[] = { 16 * SZ_1M, 18 * SZ_1M - 8, 17 * SZ_1M };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(probes); i++)
		KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(td->sim, probes[i],
							    "novamm!", 8), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_selftest(&mm->pramin, 16 * SZ_1M, 2 * SZ_1M), 0);
	memcpy(before, "novamm!", 8);
	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(td->sim, probes[i], after, 8), 0);
		KUNIT_EXPECT_EQ(test, memcmp(before, after, 8), 0);
	}
	novamm_sim_counters(td->sim, &cnt);
	/*
	 * Three points a window or more apart (16 MiB, 18 MiB - 8, 17 MiB),
	 * each visited by the save, write, check and restore passes: twelve
	 * moves.
	 */
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 12);

	KUNIT_EXPECT_EQ(test, novamm_pramin_selftest(&mm->pramin, 16 * SZ_1M, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pramin_selftest(&mm->pramin, 16 * SZ_1M + 4, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pramin_selftest(&mm->pramin, VRAM_SIZE - 8, 16), -ERANGE);
}

/*
 * PRAMIN reaches all of VRAM, GSP-RM's protected region (the top 4 MiB of
 * these 64 MiB) included: the sim counts such a write when it lands, and
 * the suites' devices end every test with none (tests/helpers.c). This
 * one writes there on purpose, sees it counted, and clears the log.
 */
static void pramin_protected_write(struct kunit *test)
{
	struct novamm_test_dev *td = pramin_dev(test);
	struct novamm_mm *mm = &td->ndev.mm;
	struct novamm_sim_protected_write w;
	u32 v;

	KUNIT_EXPECT_EQ(test, novamm_pramin_wr32(&mm->pramin, 60 * SZ_1M + 0x40, 0xdeadbeef), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd32(&mm->pramin, 60 * SZ_1M + 0x40, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0xdeadbeef);
	KUNIT_ASSERT_EQ(test, novamm_sim_protected_writes(td->sim, &w, 1), 1U);
	KUNIT_EXPECT_EQ(test, w.addr, 60ULL * SZ_1M + 0x40);
	KUNIT_EXPECT_EQ(test, w.len, 4U);
	novamm_sim_clear_protected_writes(td->sim);
}

/*
 * The batch: the accessors called inside it ride on its hold (a second
 * mutex_lock would deadlock, and lockdep would say so), nested batches
 * too, and another task's access waits until the batch is over.
 */
struct pramin_batch_ctx {
	struct kunit *test;
	struct novamm_pramin *p;
	struct completion started;
	struct completion done;
	u32 other;
	int other_ret;
	bool other_done_in_batch;
	unsigned int depth;
};

static int pramin_batch_other(void *arg)
{
	struct pramin_batch_ctx *ctx = arg;

	complete(&ctx->started);
	ctx->other_ret = novamm_pramin_rd32(ctx->p, 40 * SZ_1M, &ctx->other);
	complete(&ctx->done);
	return 0;
}

static int pramin_batch_inner(struct novamm_pramin *p, void *arg)
{
	struct pramin_batch_ctx *ctx = arg;

	ctx->depth++;
	return novamm_pramin_wr32(p, 8 * SZ_1M + 4, 0x9abcdef0);
}

static int pramin_batch_fn(struct novamm_pramin *p, void *arg)
{
	struct pramin_batch_ctx *ctx = arg;
	struct kunit *test = ctx->test;
	struct task_struct *t, *owner;
	unsigned int i;
	u32 v = 0;

	owner = READ_ONCE(p->batch);
	KUNIT_EXPECT_PTR_EQ(test, owner, current);
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&p->lock));
	KUNIT_EXPECT_EQ(test, novamm_pramin_wr32(p, 8 * SZ_1M, 0x12345678), 0);
	KUNIT_EXPECT_EQ(test, novamm_pramin_batch(p, pramin_batch_inner, ctx), 0);
	owner = READ_ONCE(p->batch);
	KUNIT_EXPECT_PTR_EQ(test, owner, current);

	t = kthread_run(pramin_batch_other, ctx, "novamm-pramin-other");
	if (IS_ERR(t))
		return PTR_ERR(t);
	wait_for_completion(&ctx->started);
	/* Time for an access that did not wait to finish; never a pass/fail. */
	for (i = 0; i < 50 && !completion_done(&ctx->done); i++)
		usleep_range(2000, 4000);
	ctx->other_done_in_batch = completion_done(&ctx->done);
	KUNIT_EXPECT_EQ(test, novamm_pramin_rd32(p, 8 * SZ_1M, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0x12345678);
	return 7;
}

static void pramin_batch(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", VRAM_SIZE);
	struct pramin_batch_ctx ctx = { .test = test };
	struct novamm_sim_counters cnt;
	__le32 v[2] = {};
	u64 moves;

	ctx.p = &td->ndev.mm.pramin;
	moves = novamm_pramin_window_moves(ctx.p);
	init_completion(&ctx.started);
	init_completion(&ctx.done);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(td->sim, 40 * SZ_1M, "\x44\x33\x22\x11", 4), 0);
	novamm_sim_reset_counters(td->sim);

	KUNIT_EXPECT_EQ(test, novamm_pramin_batch(ctx.p, pramin_batch_fn, &ctx), 7);
	KUNIT_EXPECT_FALSE(test, ctx.other_done_in_batch);
	KUNIT_EXPECT_NULL(test, ctx.p->batch);
	KUNIT_EXPECT_EQ(test, ctx.depth, 1);
	wait_for_completion(&ctx.done);
	KUNIT_EXPECT_EQ(test, ctx.other_ret, 0);
	KUNIT_EXPECT_EQ(test, ctx.other, 0x11223344);

	sim_bytes(test, td, 8 * SZ_1M, v, sizeof(v));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(v[0]), 0x12345678);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(v[1]), 0x9abcdef0);
	/* 8 MiB for the batch, then 40 MiB for the other task: two moves. */
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 2);
	KUNIT_EXPECT_EQ(test, novamm_pramin_window_moves(ctx.p), moves + 2);
}

static struct kunit_case novamm_pramin_cases[] = {
	KUNIT_CASE_PARAM(pramin_widths, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_window_edge, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_bulk, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_sequential, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_inside_window, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_refused, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_restore, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_selftest, pramin_gen_params),
	KUNIT_CASE_PARAM(pramin_protected_write, pramin_gen_params),
	KUNIT_CASE(pramin_batch),
	{}
};

static struct kunit_suite novamm_pramin_suite = {
	.name = "novamm_pramin",
	.test_cases = novamm_pramin_cases,
};

kunit_test_suite(novamm_pramin_suite);
