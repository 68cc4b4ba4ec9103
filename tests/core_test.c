// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_core: chip identification, and bring-up of a device
 * on every simulated chip.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/core.h>
#include <novamm/sim.h>

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

	chip = novamm_core_identify(id->boot0, id->boot42, &why);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(chip), "refused: %s", why);
	KUNIT_EXPECT_STREQ(test, chip->name, id->chip);
	KUNIT_EXPECT_EQ(test, chip->id, id->boot42 >> 20);
	KUNIT_EXPECT_EQ(test, chip->arch->code, id->arch);
	KUNIT_EXPECT_STREQ(test, chip->arch->name, id->arch_name);
	KUNIT_EXPECT_EQ(test, chip->arch->mmu_version, id->mmu_version);
	KUNIT_EXPECT_PTR_EQ(test, novamm_core_chip_by_id(chip->id), chip);
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

	chip = novamm_core_identify(id->boot0, id->boot42, &why);
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
	KUNIT_EXPECT_PTR_EQ(test, ctx->ndev.mm.ndev, &ctx->ndev);
	KUNIT_EXPECT_EQ(test, ctx->ndev.bar0_size, SZ_16M);
	KUNIT_EXPECT_EQ(test, ctx->ndev.bar1_size, SZ_256M);

	/*
	 * Bring-up reads BOOT_0, BOOT_42, the two GFW-boot registers, one
	 * VRAM-size register and the BAR0 window register, writes nothing,
	 * and touches nothing the sim does not implement.
	 */
	novamm_sim_counters(ctx->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 6);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0);
	KUNIT_EXPECT_EQ(test, cnt.unimplemented, 0);
}

/* Accesses outside BAR0 or BAR1 never reach the hardware. */
static void core_access_bounds(struct kunit *test)
{
	struct novamm_test_dev *ctx = novamm_test_dev_attach(test, "GA102", SZ_256M);
	u8 buf[8] = { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11 };
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_EQ(test, novamm_core_rd32(&ctx->ndev, SZ_16M), U32_MAX);
	KUNIT_EXPECT_EQ(test, novamm_core_rd32(&ctx->ndev, 0x2), U32_MAX);
	novamm_core_wr32(&ctx->ndev, SZ_16M - 2, 0);
	KUNIT_EXPECT_EQ(test, novamm_core_bar1_read(&ctx->ndev, SZ_256M - 4, buf, 8), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_core_bar1_write(&ctx->ndev, U64_MAX - 2, buf, 8), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_core_bar1_read(&ctx->ndev, SZ_256M, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0x11);

	novamm_sim_counters(ctx->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0);
	KUNIT_EXPECT_EQ(test, cnt.bar1_reads, 0);
	KUNIT_EXPECT_EQ(test, cnt.bar1_writes, 0);

	/* The last byte of BAR0 and of BAR1 are still reachable. */
	KUNIT_EXPECT_EQ(test, novamm_core_rd32(&ctx->ndev, SZ_16M - 4), NOVAMM_SIM_POISON);
	KUNIT_EXPECT_EQ(test, novamm_core_bar1_read(&ctx->ndev, SZ_256M - 8, buf, 8), 0);
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
	KUNIT_EXPECT_EQ(test, novamm_core_sim_attach(ndev, ctx->dev, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_core_sim_attach(ndev, ctx->dev, &pdata), -EINVAL);
	KUNIT_EXPECT_NULL(test, ndev->hw);
}

static struct kunit_case novamm_core_cases[] = {
	KUNIT_CASE_PARAM(core_identify_supported, boot_id_gen_params),
	KUNIT_CASE_PARAM(core_identify_refused, refused_gen_params),
	KUNIT_CASE_PARAM(core_probe_sim, probe_gen_params),
	KUNIT_CASE(core_access_bounds),
	KUNIT_CASE(core_attach_refuses_bad_pdata),
	{}
};

static struct kunit_suite novamm_core_suite = {
	.name = "novamm_core",
	.test_cases = novamm_core_cases,
};

kunit_test_suite(novamm_core_suite);
