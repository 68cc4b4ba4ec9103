// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_sim: the simulated GPU's register file, sparse VRAM,
 * PRAMIN window and counters, checked against values typed from the
 * hardware reference.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/sim.h>

#include "boot_ids.h"

/* BAR0 offsets, typed from the reference rather than taken from regs.h. */
#define T_BOOT_0		0x000000
#define T_BOOT_42		0x000a00
#define T_BAR0_WINDOW_TU	0x001700
#define T_BAR0_WINDOW_GH	0x10fd40
#define T_LOCAL_MEMORY_RANGE	0x100ce0
#define T_USABLE_FB_SIZE_IN_MB	0x1183a4
#define T_GFW_PLM		0x118128
#define T_GFW_BOOT		0x118234
#define T_PRAMIN		0x700000

static struct novamm_sim *sim_new(struct kunit *test, const char *chip,
				  u64 vram_size, u8 fill)
{
	/* No GSP-RM: a bare GPU, nothing in VRAM and BAR1 unbound. */
	struct novamm_sim_config cfg = {
		.chip = chip, .vram_size = vram_size, .vram_fill = fill,
		.no_gsp = true,
	};
	struct novamm_sim **simp = test->priv;

	KUNIT_ASSERT_EQ(test, novamm_sim_create(&cfg, simp), 0);
	return *simp;
}

/* Destroy the test's sim before the test makes another. */
static void sim_drop(struct kunit *test)
{
	struct novamm_sim **simp = test->priv;

	novamm_sim_destroy(*simp);
	*simp = NULL;
}

static int sim_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct novamm_sim *), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void sim_test_exit(struct kunit *test)
{
	struct novamm_sim **simp = test->priv;

	novamm_sim_destroy(*simp);
}

static void boot_id_desc(const struct novamm_test_boot_id *id, char *desc)
{
	strscpy(desc, id->chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(boot_id, novamm_test_boot_ids, boot_id_desc);

/* Each chip reports the boot registers of its silicon, read-only. */
static void sim_boot_registers(struct kunit *test)
{
	const struct novamm_test_boot_id *id = test->param_value;
	struct novamm_sim *sim = sim_new(test, id->chip, 0, 0);

	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BOOT_0), id->boot0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BOOT_42), id->boot42);
	novamm_sim_wr32(sim, T_BOOT_0, 0);
	novamm_sim_wr32(sim, T_BOOT_42, 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BOOT_0), id->boot0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BOOT_42), id->boot42);
	/*
	 * Devinit has completed where GFW_BOOT reports it (Turing to Ada,
	 * MMU v2 here); elsewhere the registers answer FECS_PRI_DECODE.
	 */
	if (id->mmu_version == 2) {
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_PLM) & 1, 1);
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_BOOT) & 0xff, 0xff);
	} else {
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_PLM), 0xbadf1100);
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_BOOT), 0xbadf1100);
	}
	/* Each read is counted against its register. */
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(sim, T_BOOT_0), 2);
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(sim, T_GFW_PLM), 1);
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(sim, T_BOOT_42 + 4), 0);
	novamm_sim_reset_counters(sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(sim, T_BOOT_0), 0);
}

/* Firmware that boots late reports done after that many polls, or never. */
static void sim_gfw_boot_late(struct kunit *test)
{
	struct novamm_sim *sim = sim_new(test, "TU102", 0, 0);
	struct novamm_sim_inject inj = { .gfw_boot_polls = 2 };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(sim, &inj), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_BOOT), 0);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_PLM), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_PLM), 1);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_BOOT), 0xff);

	inj.gfw_boot_polls = U32_MAX;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(sim, &inj), 0);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_PLM), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_GFW_BOOT), 0);
}

struct vram_reg_case {
	const char *chip;
	u64 vram_size;
	u32 reg;
	u32 val;
	u32 other;	/* the other size register: unimplemented here */
};

/*
 * LOCAL_MEMORY_RANGE = LOWER_MAG (9:4) << (LOWER_SCALE (3:0) + 20) bytes,
 * and the sim states a size with the smallest SCALE whose MAG fits six
 * bits; NV_USABLE_FB_SIZE_IN_MB = MiB.
 */
static const struct vram_reg_case vram_reg_cases[] = {
	/* 11 GiB = 11264 MiB: MAG 44, SCALE 8 -> 0x2c8. */
	{ "TU102", 11ULL * SZ_1G, T_LOCAL_MEMORY_RANGE, 0x2c8, T_USABLE_FB_SIZE_IN_MB },
	/* 8 GiB: MAG 64 does not fit six bits, so MAG 32, SCALE 8 -> 0x208. */
	{ "TU104", 8ULL * SZ_1G, T_LOCAL_MEMORY_RANGE, 0x208, T_USABLE_FB_SIZE_IN_MB },
	/* 40 GiB: MAG 40, SCALE 10 -> 0x28a. */
	{ "GA100", 40ULL * SZ_1G, T_LOCAL_MEMORY_RANGE, 0x28a, T_USABLE_FB_SIZE_IN_MB },
	/* 63 MiB: MAG 63, SCALE 0 -> 0x3f0. */
	{ "TU117", 63ULL * SZ_1M, T_LOCAL_MEMORY_RANGE, 0x3f0, T_USABLE_FB_SIZE_IN_MB },
	{ "GA102", 24ULL * SZ_1G, T_USABLE_FB_SIZE_IN_MB, 24576, T_LOCAL_MEMORY_RANGE },
	{ "AD107", 4097ULL * SZ_1M, T_USABLE_FB_SIZE_IN_MB, 4097, T_LOCAL_MEMORY_RANGE },
	{ "GH100", 80ULL * SZ_1G, T_USABLE_FB_SIZE_IN_MB, 81920, T_LOCAL_MEMORY_RANGE },
	{ "GB202", 32ULL * SZ_1G, T_USABLE_FB_SIZE_IN_MB, 32768, T_LOCAL_MEMORY_RANGE },
};

static void vram_reg_desc(const struct vram_reg_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %llu MiB", c->chip,
		 c->vram_size >> 20);
}

KUNIT_ARRAY_PARAM(vram_reg, vram_reg_cases, vram_reg_desc);

static void sim_vram_size_registers(struct kunit *test)
{
	const struct vram_reg_case *c = test->param_value;
	struct novamm_sim *sim = sim_new(test, c->chip, c->vram_size, 0);
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, c->reg), c->val);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, c->other), NOVAMM_SIM_POISON);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.unimplemented, 1);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_size(sim), c->vram_size);
}

/* Configurations no such chip could have are refused. */
static void sim_create_refuses(struct kunit *test)
{
	static const struct novamm_sim_config bad[] = {
		{ .chip = "GV100" },
		{ .chip = NULL },
		{ .chip = "GA102", .vram_size = SZ_1M + SZ_4K },
		/* GH100's 22-bit window base reaches 256 GiB. */
		{ .chip = "GH100", .vram_size = 257ULL * SZ_1G },
		/* 127 MiB is odd and above 63: no MAG << SCALE. */
		{ .chip = "TU102", .vram_size = 127ULL * SZ_1M },
		{ .chip = "GA102", .bar1_size = 3 * SZ_256M },
		{ .chip = "GA102", .bar1_size = SZ_512K },
		/* Below 16 MiB the default GSP layout has no room. */
		{ .chip = "GA102", .vram_size = 15 * SZ_1M },
		/* A v2 PTE's ADDRESS_VID (32:8, >> 12) reaches 128 GiB. */
		{ .chip = "AD102", .vram_size = 129ULL * SZ_1G },
	};
	struct novamm_sim *sim = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, novamm_sim_create(&bad[i], &sim), -EINVAL,
				    "config %u", i);
		KUNIT_EXPECT_NULL(test, sim);
	}
	/* The largest and smallest sizes each chip reaches are accepted. */
	sim_new(test, "GH100", 256ULL * SZ_1G, 0);
	sim_drop(test);
	sim_new(test, "AD102", 128ULL * SZ_1G, 0);
	sim_drop(test);
	sim_new(test, "GA102", 16 * SZ_1M, 0);
}

/* Unimplemented registers read as poison, ignore writes and are counted. */
static void sim_unimplemented(struct kunit *test)
{
	struct novamm_sim *sim = sim_new(test, "GA102", SZ_256M, 0);
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, 0x123450), NOVAMM_SIM_POISON);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, 0x123450), NOVAMM_SIM_POISON);
	novamm_sim_wr32(sim, 0x123450, 1);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, 0x123450), NOVAMM_SIM_POISON);
	/* Turing to Ada have no XAL window register. */
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR0_WINDOW_GH), NOVAMM_SIM_POISON);

	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.unimplemented, 5);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 4);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 1);
}

struct window_case {
	const char *chip;
	u32 reg;
	u32 all_ones_reads;	/* BASE (and TARGET) bits kept of 0xffffffff */
	u32 other;
};

static const struct window_case window_cases[] = {
	/* NV_PBUS_BAR0_WINDOW: 23:0 BASE, 25:24 TARGET. */
	{ "TU102", T_BAR0_WINDOW_TU, 0x03ffffff, T_BAR0_WINDOW_GH },
	{ "AD104", T_BAR0_WINDOW_TU, 0x03ffffff, T_BAR0_WINDOW_GH },
	/* NV_XAL_EP_BAR0_WINDOW: 21:0 BASE on GH100, 22:0 on Blackwell. */
	{ "GH100", T_BAR0_WINDOW_GH, 0x003fffff, T_BAR0_WINDOW_TU },
	{ "GB100", T_BAR0_WINDOW_GH, 0x007fffff, T_BAR0_WINDOW_TU },
	{ "GB207", T_BAR0_WINDOW_GH, 0x007fffff, T_BAR0_WINDOW_TU },
};

static void window_desc(const struct window_case *c, char *desc)
{
	strscpy(desc, c->chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(window, window_cases, window_desc);

/* The window register keeps its fields only, and moves are counted. */
static void sim_window_register(struct kunit *test)
{
	const struct window_case *c = test->param_value;
	struct novamm_sim *sim = sim_new(test, c->chip, SZ_64M, 0);
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, c->reg), 0);
	novamm_sim_wr32(sim, c->reg, 0xffffffff);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, c->reg), c->all_ones_reads);
	novamm_sim_wr32(sim, c->reg, 0x10);
	novamm_sim_wr32(sim, c->reg, 0x10);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, c->reg), 0x10);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, c->other), NOVAMM_SIM_POISON);

	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_writes, 3);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 2);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 3);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 4);
}

/* PRAMIN offset X reaches VRAM at (BASE << 16) + X, in both directions. */
static void sim_pramin_window(struct kunit *test)
{
	const struct window_case *c = test->param_value;
	struct novamm_sim *sim = sim_new(test, c->chip, SZ_64M, 0);
	struct novamm_sim_counters cnt;
	__le32 le;
	u8 b;

	/* Backdoor words at 0x10, 1 MiB - 4, 0x30010 and 40 MiB + 0x20. */
	le = cpu_to_le32(0x11111111);
	novamm_sim_vram_write(sim, 0x10, &le, 4);
	le = cpu_to_le32(0x22222222);
	novamm_sim_vram_write(sim, SZ_1M - 4, &le, 4);
	le = cpu_to_le32(0x33333333);
	novamm_sim_vram_write(sim, 0x30010, &le, 4);
	le = cpu_to_le32(0x44444444);
	novamm_sim_vram_write(sim, 40 * SZ_1M + 0x20, &le, 4);

	/* Window at 0 (reset value). */
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x10), 0x11111111);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + SZ_1M - 4), 0x22222222);

	/* Window at 0x30000: BASE 3, not a 1 MiB multiple. */
	novamm_sim_wr32(sim, c->reg, 0x3);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x10), 0x33333333);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + SZ_1M - 0x30000 - 4),
			0x22222222);

	/* Window at 40 MiB: BASE 0x280. Write through it, read the backdoor. */
	novamm_sim_wr32(sim, c->reg, 0x280);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x20), 0x44444444);
	novamm_sim_wr32(sim, T_PRAMIN + 0xfff0, 0xcafef00d);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, 40 * SZ_1M + 0xfff0, &le, 4), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(le), 0xcafef00d);
	/* Little-endian in VRAM: the low byte first. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, 40 * SZ_1M + 0xfff0, &b, 1), 0);
	KUNIT_EXPECT_EQ(test, b, 0x0d);

	/* Back to 0: the write is not visible there. */
	novamm_sim_wr32(sim, c->reg, 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0xfff0), 0);

	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 3);
	KUNIT_EXPECT_EQ(test, cnt.pramin_reads, 6);
	KUNIT_EXPECT_EQ(test, cnt.pramin_writes, 1);
	KUNIT_EXPECT_EQ(test, cnt.pramin_errors, 0);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 6);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 4);
}

/* PRAMIN past the end of VRAM, or aimed at system memory, reaches nothing. */
static void sim_pramin_errors(struct kunit *test)
{
	struct novamm_sim *sim = sim_new(test, "GA102", SZ_64M, 0);
	struct novamm_sim_counters cnt;

	/* Window at 63.5 MiB: its second half lies beyond 64 MiB. */
	novamm_sim_wr32(sim, T_BAR0_WINDOW_TU, 0x3f8);
	novamm_sim_wr32(sim, T_PRAMIN + 0x7fffc, 0x5555aaaa);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x7fffc), 0x5555aaaa);
	novamm_sim_wr32(sim, T_PRAMIN + 0x80000, 0x12345678);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x80000), NOVAMM_SIM_POISON);

	/* TARGET = SYS_MEM_COHERENT (2): the sim has no system memory. */
	novamm_sim_wr32(sim, T_BAR0_WINDOW_TU, 0x02000000);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN), NOVAMM_SIM_POISON);
	novamm_sim_wr32(sim, T_PRAMIN, 0x1);

	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.pramin_errors, 4);
	KUNIT_EXPECT_EQ(test, cnt.pramin_writes, 3);
	KUNIT_EXPECT_EQ(test, cnt.pramin_reads, 3);
	/* Only the one good write allocated a page. */
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 1);
}

/* Bad VRAM: stuck bits read as one through every path, and only inside the range. */
static void sim_bad_vram(struct kunit *test)
{
	struct novamm_sim *sim = sim_new(test, "GA102", SZ_64M, 0);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .flush_polls = 1, .bad_vram_addr = 0x1004,
					 .bad_vram_size = 4, .bad_vram_stuck = 0x80000001 };
	__le32 w[3] = { 0, 0, 0 };

	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(sim, 0x1000, w, sizeof(w)), 0);
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(sim, &inj), 0);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(sim, 0x1000, w, sizeof(w)), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(w[0]), 0U);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(w[1]), 0x80000001U);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(w[2]), 0U);
	novamm_sim_wr32(sim, T_BAR0_WINDOW_TU, 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x1004), 0x80000001U);
	/* A write does not mend it. */
	novamm_sim_wr32(sim, T_PRAMIN + 0x1004, 0x12345670);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x1004), 0x92345671U);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x1008), 0U);

	inj.bad_vram_addr = SZ_64M - 4;
	inj.bad_vram_size = 8;
	KUNIT_EXPECT_EQ(test, novamm_sim_set_inject(sim, &inj), -EINVAL);
}

/* A 24 GiB device costs only the pages written; the rest reads as fill. */
static void sim_sparse_vram(struct kunit *test)
{
	struct novamm_sim *sim = sim_new(test, "GA102", 24ULL * SZ_1G, 0xa5);
	struct novamm_sim_counters cnt;
	u8 buf[16];
	u8 pat[6] = { 1, 2, 3, 4, 5, 6 };

	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 0);

	/* Reads anywhere allocate nothing. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, 24ULL * SZ_1G - 16, buf, 16), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);
	KUNIT_EXPECT_EQ(test, buf[15], 0xa5);
	novamm_sim_wr32(sim, T_BAR0_WINDOW_TU, (u32)((20ULL * SZ_1G) >> 16));
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x100), 0xa5a5a5a5);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 0);

	/* One word at 20 GiB: posted, then landed by a read, one page. */
	novamm_sim_wr32(sim, T_PRAMIN + 0x100, 0);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_posted(sim), 1);
	/* The rest of that page keeps the fill. */
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_PRAMIN + 0x104), 0xa5a5a5a5);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 1);
	KUNIT_EXPECT_EQ(test, novamm_sim_posted(sim), 0);

	/* Six bytes straddling a page boundary near the end: two more. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(sim, 24ULL * SZ_1G - SZ_4K - 3, pat, 6), 0);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 3);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, 24ULL * SZ_1G - SZ_4K - 4, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);
	KUNIT_EXPECT_EQ(test, buf[1], 1);
	KUNIT_EXPECT_EQ(test, buf[6], 6);
	KUNIT_EXPECT_EQ(test, buf[7], 0xa5);

	/* Out of range: refused, nothing allocated. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(sim, 24ULL * SZ_1G - 2, pat, 4), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, U64_MAX - 1, buf, 4), -ERANGE);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 3);

	/* Resetting the counters keeps the page level, zeroes the rest. */
	novamm_sim_reset_counters(sim);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 3);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 0);
}

/*
 * With vram_huge, the first write into a 2 MiB block of VRAM brings host
 * memory for all of it, filled; a block that VRAM's end cuts short gets
 * pages one by one.
 */
static void sim_huge_vram(struct kunit *test)
{
	struct novamm_sim_config cfg = { .chip = "GA102", .vram_size = 65 * SZ_1M,
					 .vram_fill = 0xa5, .vram_huge = true, .no_gsp = true };
	struct novamm_sim **simp = test->priv;
	struct novamm_sim_counters cnt;
	u8 pat[4] = { 1, 2, 3, 4 }, buf[4];

	KUNIT_ASSERT_EQ(test, novamm_sim_create(&cfg, simp), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(*simp, SZ_2M + SZ_4K, pat, 4), 0);
	novamm_sim_counters(*simp, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 512);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(*simp, SZ_4M - 4, pat, 4), 0);
	novamm_sim_counters(*simp, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 512);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(*simp, SZ_2M, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);
	KUNIT_EXPECT_EQ(test, buf[3], 0xa5);
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(*simp, SZ_2M + SZ_4K, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, buf[3], 4);

	/* [64 MiB, 66 MiB) ends past 65 MiB: a page of its own. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_write(*simp, SZ_64M + SZ_4K, pat, 4), 0);
	novamm_sim_counters(*simp, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 513);
}

/* With no instance block bound, every BAR1 access faults. */
static void sim_bar1_unbound(struct kunit *test)
{
	struct novamm_sim *sim = sim_new(test, "GA102", SZ_64M, 0);
	struct novamm_sim_counters cnt;
	struct novamm_sim_pdata pdata;
	u8 buf[4] = { 1, 2, 3, 4 };

	novamm_sim_pdata(sim, &pdata);
	KUNIT_EXPECT_PTR_EQ(test, pdata.sim, sim);
	KUNIT_EXPECT_EQ(test, pdata.bar0_size, SZ_16M);
	KUNIT_EXPECT_EQ(test, pdata.bar1_size, SZ_256M);

	pdata.ops->bar1_write(sim, 0, buf, sizeof(buf));
	pdata.ops->bar1_read(sim, 0, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[0], 0xff);
	KUNIT_EXPECT_EQ(test, buf[3], 0xff);

	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.bar1_reads, 1);
	KUNIT_EXPECT_EQ(test, cnt.bar1_writes, 1);
	KUNIT_EXPECT_EQ(test, cnt.bar1_faults, 2);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, 0);
}

static struct kunit_case novamm_sim_cases[] = {
	KUNIT_CASE_PARAM(sim_boot_registers, boot_id_gen_params),
	KUNIT_CASE(sim_gfw_boot_late),
	KUNIT_CASE_PARAM(sim_vram_size_registers, vram_reg_gen_params),
	KUNIT_CASE(sim_create_refuses),
	KUNIT_CASE(sim_unimplemented),
	KUNIT_CASE_PARAM(sim_window_register, window_gen_params),
	KUNIT_CASE_PARAM(sim_pramin_window, window_gen_params),
	KUNIT_CASE(sim_pramin_errors),
	KUNIT_CASE(sim_sparse_vram),
	KUNIT_CASE(sim_huge_vram),
	KUNIT_CASE(sim_bad_vram),
	KUNIT_CASE(sim_bar1_unbound),
	{}
};

static struct kunit_suite novamm_sim_suite = {
	.name = "novamm_sim",
	.init = sim_test_init,
	.exit = sim_test_exit,
	.test_cases = novamm_sim_cases,
};

kunit_test_suite(novamm_sim_suite);
