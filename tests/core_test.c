// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_core: chip identification, and bring-up of a device
 * on every simulated chip.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/core.h>
#include <novamm/pagetable.h>
#include <novamm/sim.h>
#include <novamm/uapi.h>

#include "../core/internal.h"
#include "boot_ids.h"
#include "helpers.h"

static void boot_id_desc(const struct novamm_test_boot_id *id, char *desc)
{
	strscpy(desc, id->chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(boot_id, novamm_test_boot_ids, boot_id_desc);

/* Every chip of the reference decodes to its name, family and MMU. */
static void core_identify_supported(struct kunit *test)
{
	const struct novamm_test_boot_id *id = test->param_value;
	const struct novamm_chip *chip;
	const char *why = NULL;

	chip = novamm_chip_identify(id->boot0, id->boot42, &why);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(chip), "refused: %s", why);
	KUNIT_EXPECT_STREQ(test, chip->name, id->chip);
	KUNIT_EXPECT_EQ(test, chip->id, id->boot42 >> 20);
	KUNIT_EXPECT_EQ(test, chip->arch->code, id->arch);
	KUNIT_EXPECT_STREQ(test, chip->arch->name, id->arch_name);
	KUNIT_EXPECT_EQ(test, novamm_chip_mmu_version(chip->arch), id->mmu_version);
	KUNIT_EXPECT_PTR_EQ(test, novamm_chip_by_id(chip->id), chip);
}

/*
 * Each generation's row, typed from the hardware reference: the page sizes
 * its MMU maps (4K, 64K, 2M everywhere; 512M from GA100; 256G on
 * Blackwell), its VA width, the PRAMIN window register (0x1700 with 23:0
 * BASE and a TARGET field up to Ada; 0x10fd40 with 21:0 on GH100, 22:0 on
 * Blackwell), the flush, the BAR1 bind registers and the instance-block
 * extras (VA limit on TU10x, magic word on GB10x and GB20x).
 */
struct arch_row {
	u16 chip;
	u8 mmu;
	u64 page_sizes;
	u8 va_bits;
	u32 window;
	u32 window_base;
	bool target;
	bool gfw_boot;
	u8 flush;
	u8 bind;
	bool va_limit;
	bool magic;
};

static const struct arch_row arch_rows[] = {
	{ 0x162, 2, 0x00211000, 49, 0x001700, 0xffffff, true, true,
	  NOVAMM_FB_FLUSH_UFLUSH, NOVAMM_BAR1_BIND_BAR1_BLOCK, true, false },
	{ 0x170, 2, 0x20211000, 49, 0x001700, 0xffffff, true, true,
	  NOVAMM_FB_FLUSH_UFLUSH, NOVAMM_BAR1_BIND_BAR1_BLOCK, false, false },
	{ 0x192, 2, 0x20211000, 49, 0x001700, 0xffffff, true, true,
	  NOVAMM_FB_FLUSH_UFLUSH, NOVAMM_BAR1_BIND_BAR1_BLOCK, false, false },
	{ 0x180, 3, 0x20211000, 57, 0x10fd40, 0x3fffff, false, false,
	  NOVAMM_FB_FLUSH_XAL, NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK, false, false },
	{ 0x1a0, 3, 0x4020211000, 57, 0x10fd40, 0x7fffff, false, false,
	  NOVAMM_FB_FLUSH_PRAMIN_READ, NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK, false, true },
	{ 0x1b2, 3, 0x4020211000, 57, 0x10fd40, 0x7fffff, false, false,
	  NOVAMM_FB_FLUSH_XAL, NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK, false, true },
};

static void arch_row_desc(const struct arch_row *r, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "chip 0x%03x", r->chip);
}

KUNIT_ARRAY_PARAM(arch_row, arch_rows, arch_row_desc);

/* A generation's row holds what the reference says it differs in. */
static void core_arch_row(struct kunit *test)
{
	const struct arch_row *r = test->param_value;
	const struct novamm_chip *chip = novamm_chip_by_id(r->chip);
	const struct novamm_arch_info *arch;
	const struct novamm_pt_format *fmt;
	u64 sizes = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, chip);
	arch = chip->arch;
	fmt = arch->pt_format;
	KUNIT_ASSERT_NOT_NULL(test, fmt);
	for (i = 0; i < fmt->num_dirs; i++)
		if (fmt->dirs[i].pte)
			sizes |= BIT_ULL(fmt->dirs[i].va_shift);
	sizes |= BIT_ULL(fmt->pt_big->va_shift) | BIT_ULL(fmt->pt_small->va_shift);
	KUNIT_EXPECT_EQ(test, sizes, r->page_sizes);
	KUNIT_EXPECT_EQ(test, fmt->va_bits, r->va_bits);
	KUNIT_EXPECT_EQ(test, fmt->codec->version, r->mmu);
	KUNIT_EXPECT_EQ(test, novamm_chip_mmu_version(arch), r->mmu);
	KUNIT_EXPECT_EQ(test, arch->bar0_window, r->window);
	KUNIT_EXPECT_EQ(test, arch->bar0_window_base, r->window_base);
	KUNIT_EXPECT_EQ(test, arch->bar0_window_has_target, r->target);
	KUNIT_EXPECT_EQ(test, arch->gfw_boot_wait, r->gfw_boot);
	KUNIT_EXPECT_EQ(test, arch->fb_flush, r->flush);
	KUNIT_EXPECT_EQ(test, arch->bar1_bind, r->bind);
	KUNIT_EXPECT_EQ(test, arch->ramin_va_limit, r->va_limit);
	KUNIT_EXPECT_EQ(test, arch->ramin_magic, r->magic);
}

struct refused_id {
	const char *desc;
	u32 boot0;
	u32 boot42;
	const char *why;
};

static const struct refused_id refused_ids[] = {
	{ "device gone", 0xffffffff, 0xffffffff,
	  "BOOT_0 reads all ones, the device does not respond" },
	/* ARCHITECTURE_0 0x0b with ARCHITECTURE_1 clear: before Fermi. */
	{ "pre-Fermi", 0x0b0000a1, 0x00000000, "pre-Fermi GPU" },
	{ "BOOT_42 zero", 0x172000a1, 0x00000000, "BOOT_42 holds no chip id" },
	{ "BOOT_42 all ones", 0x172000a1, 0xffffffff,
	  "BOOT_42 holds no chip id" },
	{ "GA102 BOOT_0, GH100 BOOT_42", 0x172000a1, 0x180a1000,
	  "BOOT_0 and BOOT_42 disagree on the architecture" },
	/* Volta GV100, 0x140: a real chip, but MMU v2 with no novamm support. */
	{ "GV100", 0x140000a1, 0x140a1000, "chip not supported" },
	/* Ampere implementation 1 exists in no table. */
	{ "Ampere impl 1", 0x171000a1, 0x171a1000, "chip not supported" },
	/* A future architecture. */
	{ "arch 0x1c", 0x1c2000a1, 0x1c2a1000, "chip not supported" },
	/* ARCHITECTURE_1 set: architecture 0x36, beyond every table. */
	{ "ARCHITECTURE_1 set", 0x162001a1, 0x362a1000, "chip not supported" },
};

static void refused_desc(const struct refused_id *id, char *desc)
{
	strscpy(desc, id->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(refused, refused_ids, refused_desc);

static void core_identify_refused(struct kunit *test)
{
	const struct refused_id *id = test->param_value;
	const struct novamm_chip *chip;
	const char *why = NULL;

	chip = novamm_chip_identify(id->boot0, id->boot42, &why);
	KUNIT_EXPECT_PTR_EQ(test, chip, ERR_PTR(-ENODEV));
	KUNIT_EXPECT_STREQ(test, why, id->why);
}

struct probe_case {
	const char *chip;
	u64 vram_size;
};

/*
 * Sizes that exercise both VRAM-size registers: LOCAL_MEMORY_RANGE needs
 * MAG << SCALE MiB (11 GiB is 44 << 8, 6 GiB 48 << 7, 96 MiB 48 << 1,
 * 40 GiB 40 << 10), the MiB register any whole number of MiB.
 */
static const struct probe_case probe_cases[] = {
	{ "TU102", 11ULL * SZ_1G },
	{ "TU116", 6ULL * SZ_1G },
	{ "TU117", 96ULL * SZ_1M },
	{ "GA100", 40ULL * SZ_1G },
	{ "GA102", 24ULL * SZ_1G },
	{ "GA107", 4097ULL * SZ_1M },
	{ "AD102", 24ULL * SZ_1G },
	{ "GH100", 80ULL * SZ_1G },
	{ "GB100", 192ULL * SZ_1G },
	{ "GB202", 32ULL * SZ_1G },
	{ "GB207", 257ULL * SZ_1M },
};

static void probe_desc(const struct probe_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %llu MiB", c->chip,
		 c->vram_size >> 20);
}

KUNIT_ARRAY_PARAM(probe, probe_cases, probe_desc);

/* Bring-up on a simulated chip finds that chip and the VRAM it was given. */
static void core_probe_sim(struct kunit *test)
{
	const struct probe_case *c = test->param_value;
	struct novamm_test_dev *ctx = novamm_test_dev_new(test, c->chip, c->vram_size);
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_STREQ(test, ctx->ndev.chip->name, c->chip);
	KUNIT_EXPECT_EQ(test, ctx->ndev.mm.vram_size, c->vram_size);
	KUNIT_EXPECT_PTR_EQ(test, ctx->ndev.mm.hw, &ctx->ndev.hw);
	KUNIT_EXPECT_PTR_EQ(test, ctx->ndev.mm.pt_format, ctx->ndev.chip->arch->pt_format);
	KUNIT_EXPECT_EQ(test, ctx->ndev.hw.bar0_size, SZ_16M);
	KUNIT_EXPECT_EQ(test, ctx->ndev.hw.bar1_size, SZ_256M);

	/*
	 * Bring-up reads BOOT_0, BOOT_42, the two GFW-boot registers (Turing
	 * to Ada only, the MMU v2 chips here), one VRAM-size register and the
	 * BAR0 window register, then GSP-RM's BAR1 root directory once
	 * through PRAMIN: 4 entries of 8 bytes on MMU v2 (PD3), 2 on v3
	 * (PD4), in 32-bit reads, after one window move. It binds nothing
	 * (GSP-RM did) and touches nothing the sim does not implement.
	 */
	novamm_sim_counters(ctx->sim, &cnt);
	KUNIT_EXPECT_EQ(test, ctx->ndev.bar1.mode, NOVAMM_BAR1_GSP);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads,
			novamm_chip_mmu_version(ctx->ndev.chip->arch) == 2 ? 6 + 8 : 4 + 4);
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(ctx->sim, 0x118128),
			novamm_chip_mmu_version(ctx->ndev.chip->arch) == 2 ? 1 : 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(ctx->sim, 0x118234),
			novamm_chip_mmu_version(ctx->ndev.chip->arch) == 2 ? 1 : 0);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 1);
	KUNIT_EXPECT_EQ(test, cnt.window_moves, 1);
	KUNIT_EXPECT_EQ(test, cnt.binds, 0);
	KUNIT_EXPECT_EQ(test, cnt.unimplemented, 0);
}

struct cycle_case {
	const char *chip;
	bool own_bar1;
};

static const struct cycle_case cycle_cases[] = {
	{ "GA102", false }, { "GA102", true }, { "GH100", false }, { "GH100", true },
};

static void cycle_desc(const struct cycle_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %s BAR1 instance block", c->chip,
		 c->own_bar1 ? "own" : "GSP-RM's");
}

KUNIT_ARRAY_PARAM(cycle, cycle_cases, cycle_desc);

#define CORE_CYCLES	novamm_sim_test_scaled(100)

/*
 * Probe and remove, again and again, each time with a BAR1 mapping left
 * live for remove to release: every probe allocates exactly what
 * bring-up needs, every remove finds nothing left in the allocator to
 * reclaim, the sim holds no more host pages than after the first cycle,
 * and nothing ever faults or stays bound to a freed instance block.
 */
static void core_probe_cycles(struct kunit *test)
{
	const struct cycle_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, c->chip, SZ_1G);
	struct novamm_vram_stats st;
	struct novamm_sim_counters cnt;
	struct novamm_sim_gsp_config g;
	struct novamm_sim_bar1_state bs;
	struct novamm_bar1_mapping *map;
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };
	u64 pages = 0, word;
	unsigned int i;

	novamm_sim_gsp_config(td->sim, &g);
	if (c->own_bar1)
		KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	for (i = 0; i < CORE_CYCLES; i++) {
		novamm_test_dev_probe(test, td);
		/* Bring-up holds the instance block and the pool's first chunk, or nothing. */
		novamm_vram_stats(&td->ndev.mm.buddy, &st);
		KUNIT_ASSERT_EQ_MSG(test, st.allocations, c->own_bar1 ? 2 : 0, "cycle %u", i);
		KUNIT_ASSERT_EQ_MSG(test, st.allocated, c->own_bar1 ? SZ_2M + SZ_4K : 0,
				    "cycle %u", i);

		map = novamm_bar1_map_new(&td->ndev.bar1, SZ_2M + SZ_64K, 0, NULL);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(map), "cycle %u", i);
		/* Never zero: a zero write to a page never written allocates nothing. */
		word = i + 1;
		KUNIT_ASSERT_EQ(test, novamm_bar1_write(&td->ndev.bar1, map, SZ_2M, &word, 8), 0);
		word = 0;
		KUNIT_ASSERT_EQ(test, novamm_bar1_read(&td->ndev.bar1, map, SZ_2M, &word, 8), 0);
		KUNIT_ASSERT_EQ(test, word, i + 1);
		novamm_test_dev_remove(td);
		/* Remove released the live mapping and everything else. */
		KUNIT_ASSERT_EQ_MSG(test, td->ndev.vram_leaks, 0, "cycle %u", i);

		novamm_sim_counters(td->sim, &cnt);
		if (!i)
			pages = cnt.vram_pages;
		KUNIT_ASSERT_EQ_MSG(test, cnt.vram_pages, pages, "cycle %u", i);
	}
	novamm_sim_counters(td->sim, &cnt);
	novamm_sim_bar1_state(td->sim, &bs);
	KUNIT_EXPECT_EQ(test, cnt.bar1_faults, 0);
	KUNIT_EXPECT_EQ(test, cnt.binds, c->own_bar1 ? 2 * CORE_CYCLES : 0);
	KUNIT_EXPECT_TRUE(test, bs.bound);
	/* Left in physical mode by novamm, or on GSP-RM's untouched directory. */
	KUNIT_EXPECT_EQ(test, bs.virtual_mode, !c->own_bar1);
	if (!c->own_bar1) {
		KUNIT_EXPECT_EQ(test, bs.pdb, g.bar1_pde_base);
		KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, g.bar1_pde_base, &word,
							   sizeof(word)), 0);
		KUNIT_EXPECT_EQ(test, word, 0);
	}
}

struct probe_fault_ctx {
	struct novamm_test_dev *td;
	struct novamm_sim_bar1_state bar1;
};

static int probe_fault_op(void *ctx)
{
	struct probe_fault_ctx *c = ctx;

	return novamm_core_probe(&c->td->ndev);
}

static void probe_fault_check(struct kunit *test, void *ctx, unsigned int n, int ret)
{
	struct probe_fault_ctx *c = ctx;
	struct novamm_device *ndev = &c->td->ndev;
	struct novamm_sim_bar1_state bs;

	KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -ETIMEDOUT, "point %u: %d", n, ret);
	KUNIT_EXPECT_NULL_MSG(test, ndev->debugfs, "point %u", n);
	KUNIT_EXPECT_NULL_MSG(test, ndev->uapi, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, ndev->vram_leaks, 0U, "point %u", n);
	/*
	 * BAR1 translating as before: through GSP-RM's directory, or not at
	 * all (unbound, or handed back in physical mode), never through a
	 * block of novamm's that it has freed.
	 */
	novamm_sim_bar1_state(c->td->sim, &bs);
	KUNIT_EXPECT_EQ_MSG(test, bs.virtual_mode, c->bar1.virtual_mode, "point %u", n);
	if (c->bar1.virtual_mode)
		KUNIT_EXPECT_EQ_MSG(test, bs.pdb, c->bar1.pdb, "point %u", n);
}

/*
 * Probe failed at each of its allocations and waits: each failure
 * leaves no debugfs directory, no character device, BAR1 as the GPU had
 * it, and nothing for the allocator to reclaim (host memory is kmemleak's,
 * on the x86_64 run); the device then probes and removes cleanly.
 */
static void core_probe_faults(struct kunit *test)
{
	const struct cycle_case *cc = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, cc->chip, SZ_1G);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };
	struct probe_fault_ctx c = { .td = td };
	unsigned int points;

	if (cc->own_bar1)
		KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_sim_bar1_state(td->sim, &c.bar1);
#ifdef CONFIG_FAULT_INJECTION
	novamm_fail_probe.verbose = 0;
#endif
	points = novamm_test_fault_walk(test, probe_fault_op, probe_fault_check, &c);
	kunit_info(test, "probe: %u fault points\n", points);
	/* The device, the GSP request, the allocator, the character device. */
	KUNIT_EXPECT_GE(test, points, 4U);
	td->probed = true;
	KUNIT_EXPECT_NOT_NULL(test, td->ndev.uapi);
	novamm_test_dev_remove(td);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0U);
}

struct gfw_case {
	const char *chip;
	u32 polls;	/* reads of the privilege mask before devinit is done */
	int probe;
	u64 plm_reads;
	u64 boot_reads;
};

/*
 * The GFW_BOOT wait is Turing to Ada's (0x118128 bit 0, then 0x118234
 * bits 7:0 = 0xff, polled every millisecond for 4 s): Hopper and
 * Blackwell never read the two registers, even with firmware that would
 * never report done; a Turing whose devinit never finishes fails probe.
 */
static const struct gfw_case gfw_cases[] = {
	{ "TU102", 0, 0, 1, 1 },
	{ "TU102", 3, 0, 4, 1 },
	{ "GA102", 0, 0, 1, 1 },
	{ "AD107", 0, 0, 1, 1 },
	{ "GH100", U32_MAX, 0, 0, 0 },
	{ "GB100", U32_MAX, 0, 0, 0 },
	{ "GB202", U32_MAX, 0, 0, 0 },
	/* Polled until the timeout: how often depends on the sleeps, at least twice. */
	{ "TU102", U32_MAX, -ETIMEDOUT, 2, 0 },
};

static void gfw_desc(const struct gfw_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, done after %d polls", c->chip,
		 c->polls == U32_MAX ? -1 : (int)c->polls);
}

KUNIT_ARRAY_PARAM(gfw, gfw_cases, gfw_desc);

static void core_gfw_boot(struct kunit *test)
{
	const struct gfw_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, c->chip, SZ_1G);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .gfw_boot_polls = c->polls };
	struct novamm_sim_counters cnt;
	u64 plm, pages;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_sim_counters(td->sim, &cnt);
	pages = cnt.vram_pages;
	KUNIT_ASSERT_EQ(test, novamm_core_probe(&td->ndev), c->probe);
	td->probed = !c->probe;
	plm = novamm_sim_reg_reads(td->sim, 0x118128);
	if (c->probe)
		KUNIT_EXPECT_GE_MSG(test, plm, c->plm_reads, "%llu reads", plm);
	else
		KUNIT_EXPECT_EQ(test, plm, c->plm_reads);
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(td->sim, 0x118234), c->boot_reads);
	if (!c->probe)
		return;

	/* Nothing was written, nothing is left: the same device probes once booted. */
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages, pages);
	inj.gfw_boot_polls = 0;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_test_dev_probe(test, td);
	novamm_test_dev_remove(td);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0);
}

struct bad_vram_case {
	const char *name;
	enum novamm_selftest idx;
	u64 size;		/* what the self-test allocates first */
	unsigned long flags;
};

static const struct bad_vram_case bad_vram_cases[] = {
	{ "pramin", NOVAMM_SELFTEST_PRAMIN, SZ_2M, NOVAMM_VRAM_CONTIGUOUS },
	{ "vram", NOVAMM_SELFTEST_VRAM, SZ_256K, 0 },
	{ "bar1", NOVAMM_SELFTEST_BAR1, SZ_2M + SZ_64K + SZ_4K, 0 },
};

static void bad_vram_desc(const struct bad_vram_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s self-test", c->name);
}

KUNIT_ARRAY_PARAM(bad_vram, bad_vram_cases, bad_vram_desc);

/*
 * Each self-test fails with -EIO on VRAM with a bit stuck at one (bit 8
 * of every word of the first block it will use: the allocator hands the
 * same block out again), and passes once the VRAM is good.
 */
static void core_selftest_bad_vram(struct kunit *test)
{
	const struct bad_vram_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .flush_polls = 1 };
	struct novamm_vram_cursor cur = {};
	struct novamm_vram *trial;

	/* Each self-test moves megabytes through PRAMIN word by word. */
	novamm_test_full_size(test);
	trial = novamm_vram_alloc(&td->ndev.mm.buddy, c->size, c->flags, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(trial));
	KUNIT_ASSERT_TRUE(test, novamm_vram_next_block(trial, &cur));
	novamm_vram_free(trial);

	inj.bad_vram_addr = cur.offset;
	inj.bad_vram_size = cur.size;
	inj.bad_vram_stuck = BIT(8);
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	KUNIT_EXPECT_EQ(test, novamm_core_selftest(&td->ndev, c->name), -EIO);
	KUNIT_EXPECT_EQ(test, td->ndev.selftest[c->idx], -EIO);

	inj.bad_vram_size = 0;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	KUNIT_EXPECT_EQ(test, novamm_core_selftest(&td->ndev, c->name), 0);
	KUNIT_EXPECT_EQ(test, td->ndev.selftest[c->idx], 1);
}

#define GONE_BUFFERS	64

/*
 * A GPU that fell off the bus while a process held 64 mapped buffers:
 * remove reads BOOT_0 once, finds all ones, and from then on neither
 * touches the GPU nor waits on it; every buffer, mapping and table is
 * still freed (nothing can walk them). Without that, each buffer's unmap
 * waited for a flush that never completes: 2 s each.
 */
static void core_remove_gone(struct kunit *test)
{
	const struct cycle_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, c->chip, SZ_1G);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .flush_polls = 1 };
	struct novamm_sim_counters cnt;
	struct novamm_uapi_file *f;
	struct novamm_alloc al;
	struct novamm_map m;
	unsigned int i;

	if (c->own_bar1) {
		inj.gsp = NOVAMM_SIM_GSP_ABSENT;
		KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	}
	novamm_test_dev_probe(test, td);
	f = novamm_uapi_open(td->ndev.uapi, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	for (i = 0; i < GONE_BUFFERS; i++) {
		al = (struct novamm_alloc){ .size = SZ_64K };
		KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
		m = (struct novamm_map){ .handle = al.handle };
		KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	}

	inj.gone = true;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_sim_reset_counters(td->sim);
	novamm_sim_clear_invalidates(td->sim);
	novamm_test_dev_remove(td);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_TRUE(test, td->ndev.hw.gone);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 1);
	KUNIT_EXPECT_EQ(test, novamm_sim_reg_reads(td->sim, 0x000000), 1);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_invalidates(td->sim, NULL, 0), 0U);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_kept, 0);
	novamm_uapi_release(f);
}

/*
 * With novamm's own instance block, a BAR1 unbind that never completes at
 * remove: the GPU may still translate through the block and the tables,
 * so they stay allocated (kept, not leaked) instead of going back.
 */
static void core_unbind_timeout_keeps(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_attach(test, "GA102", SZ_1G);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .flush_polls = 1, .gsp = NOVAMM_SIM_GSP_ABSENT };
	struct novamm_sim_bar1_state bs;
	struct novamm_bar1_mapping *map;
	u64 inst;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_test_dev_probe(test, td);
	inst = novamm_vram_start(td->ndev.bar1.inst);
	map = novamm_bar1_map_new(&td->ndev.bar1, SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));

	inj.bind_polls = U32_MAX;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_test_dev_remove(td);
	/* The instance block and the pool's one chunk; the mapping's VRAM went back. */
	KUNIT_EXPECT_EQ(test, td->ndev.vram_kept, 2);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0);
	novamm_sim_bar1_state(td->sim, &bs);
	KUNIT_EXPECT_TRUE(test, bs.bound && bs.virtual_mode);
	KUNIT_EXPECT_EQ(test, bs.instance, inst);
}

/* Accesses outside BAR0 or BAR1 never reach the hardware. */
static void core_access_bounds(struct kunit *test)
{
	struct novamm_test_dev *ctx = novamm_test_dev_attach(test, "GA102", SZ_256M);
	u8 buf[8] = { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11 };
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_EQ(test, novamm_hw_rd32(&ctx->ndev.hw, SZ_16M), U32_MAX);
	KUNIT_EXPECT_EQ(test, novamm_hw_rd32(&ctx->ndev.hw, 0x2), U32_MAX);
	novamm_hw_wr32(&ctx->ndev.hw, SZ_16M - 2, 0);
	KUNIT_EXPECT_EQ(test, novamm_hw_bar1_read(&ctx->ndev.hw, SZ_256M - 4, buf, 8), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_hw_bar1_write(&ctx->ndev.hw, U64_MAX - 2, buf, 8), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_hw_bar1_read(&ctx->ndev.hw, SZ_256M, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0x11);

	novamm_sim_counters(ctx->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0);
	KUNIT_EXPECT_EQ(test, cnt.bar1_reads, 0);
	KUNIT_EXPECT_EQ(test, cnt.bar1_writes, 0);

	/* The last byte of BAR0 and of BAR1 are still reachable. */
	KUNIT_EXPECT_EQ(test, novamm_hw_rd32(&ctx->ndev.hw, SZ_16M - 4), NOVAMM_SIM_POISON);
	KUNIT_EXPECT_EQ(test, novamm_hw_bar1_read(&ctx->ndev.hw, SZ_256M - 8, buf, 8), 0);
	novamm_sim_counters(ctx->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 1);
	KUNIT_EXPECT_EQ(test, cnt.bar1_reads, 1);
}

/* Platform data that does not describe a sim is refused. */
static void core_attach_refuses_bad_pdata(struct kunit *test)
{
	struct novamm_test_dev *ctx = novamm_test_dev_attach(test, "GA102", SZ_256M);
	struct novamm_sim_pdata pdata = {};
	struct novamm_device *ndev = kunit_kzalloc(test, sizeof(*ndev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ndev);
	KUNIT_EXPECT_EQ(test, novamm_hw_sim_attach(&ndev->hw, ctx->dev, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_hw_sim_attach(&ndev->hw, ctx->dev, &pdata), -EINVAL);
	KUNIT_EXPECT_NULL(test, ndev->hw.ops);
}

/*
 * Only a driver holds the sim, and under it GSP-RM cannot come or go
 * (that rebuilds BAR1 as another GPU would boot): -EBUSY, nothing
 * changed. A second driver device on the same sim is refused.
 */
static void core_sim_claimed(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .flush_polls = 1 };
	struct novamm_sim_bar1_state before, after;
	struct novamm_device *other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, other);
	novamm_sim_bar1_state(td->sim, &before);
	KUNIT_EXPECT_TRUE(test, before.bound);
	inj.gsp = NOVAMM_SIM_GSP_ABSENT;
	KUNIT_EXPECT_EQ(test, novamm_sim_set_inject(td->sim, &inj), -EBUSY);
	novamm_sim_bar1_state(td->sim, &after);
	KUNIT_EXPECT_TRUE(test, after.bound);
	KUNIT_EXPECT_EQ(test, after.instance, before.instance);
	/* What a running GPU can suffer still applies at once. */
	inj.gsp = NOVAMM_SIM_GSP_OK;
	inj.bad_vram_addr = SZ_512M;
	inj.bad_vram_size = SZ_4K;
	inj.bad_vram_stuck = 1;
	KUNIT_EXPECT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	inj.bad_vram_size = 0;
	KUNIT_EXPECT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);

	KUNIT_ASSERT_EQ(test, novamm_hw_sim_attach(&other->hw, td->dev, &td->pdata), 0);
	KUNIT_EXPECT_EQ(test, novamm_core_probe(other), -EBUSY);

	novamm_test_dev_remove(td);
	inj.gsp = NOVAMM_SIM_GSP_ABSENT;
	KUNIT_EXPECT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_sim_bar1_state(td->sim, &after);
	KUNIT_EXPECT_FALSE(test, after.bound);
}

struct bar_case {
	const char *name;
	struct resource res;
	resource_size_t need;
	int ret;
};

static const struct bar_case bar_cases[] = {
	{ "assigned", DEFINE_RES_MEM(0xe0000000, SZ_256M), SZ_256M, 0 },
	{ "unassigned", { .start = 0, .end = SZ_256M - 1,
			  .flags = IORESOURCE_MEM | IORESOURCE_UNSET }, SZ_256M, -ENODEV },
	{ "io", DEFINE_RES_IO(0x3000, 0x80), 0x80, -ENODEV },
	{ "too small", DEFINE_RES_MEM(0xf0000000, SZ_8M), SZ_16M, -ENODEV },
	{ "absent", { .flags = 0 }, SZ_16M, -ENODEV },
};

static void bar_desc(const struct bar_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bar, bar_cases, bar_desc);

/* A BAR is mapped only when it is memory, large enough and assigned. */
static void core_check_bar(struct kunit *test)
{
	const struct bar_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, "GA102", SZ_256M);

	KUNIT_EXPECT_EQ(test, novamm_core_check_bar(td->dev, 1, &c->res, c->need), c->ret);
}

/* A GA102 board: BAR0 16 MiB, BAR1 256 MiB, BAR3 32 MiB, as x86 firmware places them. */
static const struct resource console_bars[] = {
	DEFINE_RES_MEM(0xfb000000, SZ_16M),
	DEFINE_RES_MEM_NAMED(0xd0000000, SZ_256M, "bar1"),
	{},
	DEFINE_RES_MEM_NAMED(0xe0000000, SZ_32M, "bar3"),
};

static const struct resource console_bars_unset[] = {
	DEFINE_RES_MEM(0xfb000000, SZ_16M),
	{ .start = 0xd0000000, .end = 0xd0000000 + SZ_256M - 1,
	  .flags = IORESOURCE_MEM | IORESOURCE_UNSET },
};

struct console_case {
	const char *name;
	struct novamm_console_info con;
	enum novamm_console want;
};

static const struct console_case console_cases[] = {
	{ "EFI framebuffer in BAR1", { .fb_present = true, .fb_base = 0xd0000000,
	  .bars = console_bars, .num_bars = 4 }, NOVAMM_CONSOLE_REFUSE },
	{ "EFI framebuffer in BAR1, taken over", { .fb_present = true, .fb_base = 0xd0000000,
	  .bars = console_bars, .num_bars = 4, .takeover = true }, NOVAMM_CONSOLE_TAKE_OVER },
	{ "framebuffer at the end of BAR1", { .fb_present = true,
	  .fb_base = 0xd0000000 + SZ_256M - SZ_4K, .bars = console_bars, .num_bars = 4 },
	  NOVAMM_CONSOLE_REFUSE },
	{ "framebuffer in BAR3", { .fb_present = true, .fb_base = 0xe1000000,
	  .bars = console_bars, .num_bars = 4 }, NOVAMM_CONSOLE_REFUSE },
	{ "framebuffer in another device's BAR", { .fb_present = true, .fb_base = 0xc0000000,
	  .bars = console_bars, .num_bars = 4 }, NOVAMM_CONSOLE_NONE },
	{ "framebuffer just below BAR1", { .fb_present = true, .fb_base = 0xd0000000 - SZ_4K,
	  .bars = console_bars, .num_bars = 4 }, NOVAMM_CONSOLE_NONE },
	{ "no firmware framebuffer", { .bars = console_bars, .num_bars = 4 },
	  NOVAMM_CONSOLE_NONE },
	{ "no framebuffer, taken over", { .bars = console_bars, .num_bars = 4,
	  .takeover = true }, NOVAMM_CONSOLE_NONE },
	{ "default VGA device decoding memory", { .bars = console_bars, .num_bars = 4,
	  .default_vga = true, .mem_decode = true }, NOVAMM_CONSOLE_REFUSE },
	{ "default VGA device decoding memory, taken over", { .bars = console_bars,
	  .num_bars = 4, .default_vga = true, .mem_decode = true, .takeover = true },
	  NOVAMM_CONSOLE_TAKE_OVER },
	{ "default VGA device, memory decoding off", { .bars = console_bars, .num_bars = 4,
	  .default_vga = true }, NOVAMM_CONSOLE_NONE },
	{ "framebuffer inside an unassigned BAR", { .fb_present = true, .fb_base = 0xd0000000,
	  .bars = console_bars_unset, .num_bars = 2 }, NOVAMM_CONSOLE_NONE },
};

static void console_desc(const struct console_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(console, console_cases, console_desc);

/* Whether a GPU shows the firmware console, and what probe does then. */
static void core_console(struct kunit *test)
{
	const struct console_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, "GA102", SZ_256M);

	KUNIT_EXPECT_EQ(test, novamm_core_console(td->dev, &c->con), c->want);
}

static struct kunit_case novamm_core_cases[] = {
	KUNIT_CASE_PARAM(core_identify_supported, boot_id_gen_params),
	KUNIT_CASE_PARAM(core_identify_refused, refused_gen_params),
	KUNIT_CASE_PARAM(core_arch_row, arch_row_gen_params),
	KUNIT_CASE_PARAM(core_probe_sim, probe_gen_params),
	KUNIT_CASE_PARAM(core_probe_cycles, cycle_gen_params),
	KUNIT_CASE_PARAM(core_probe_faults, cycle_gen_params),
	KUNIT_CASE_PARAM(core_gfw_boot, gfw_gen_params),
	KUNIT_CASE_PARAM(core_selftest_bad_vram, bad_vram_gen_params),
	KUNIT_CASE_PARAM(core_remove_gone, cycle_gen_params),
	KUNIT_CASE(core_unbind_timeout_keeps),
	KUNIT_CASE(core_access_bounds),
	KUNIT_CASE(core_attach_refuses_bad_pdata),
	KUNIT_CASE(core_sim_claimed),
	KUNIT_CASE_PARAM(core_check_bar, bar_gen_params),
	KUNIT_CASE_PARAM(core_console, console_gen_params),
	{}
};

static struct kunit_suite novamm_core_suite = {
	.name = "novamm_core",
	.test_cases = novamm_core_cases,
};

kunit_test_suite(novamm_core_suite);
