// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_pagetable: the MMU v2 and v3 formats against
 * encodings typed from the hardware reference, encode/decode round trips,
 * the walker's tables and their VRAM traffic, and a differential test in
 * which the simulated MMU, walking what the driver wrote to VRAM with its
 * own reading of the manuals, must agree with the shadow on every address.
 *
 * Golden values name the row of ../shared/docs/hw-reference.md they come
 * from; they are written out, never computed with the code under test.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/core.h>
#include <novamm/pagetable.h>
#include <novamm/sim.h>
#include <novamm/tlb.h>

#include "../pagetable/internal.h"
#include "helpers.h"

static ulong pagetable_test_seed;
module_param(pagetable_test_seed, ulong, 0444);
MODULE_PARM_DESC(pagetable_test_seed, "seed of the KUnit page-table random runs, 0 for the fixed one");

static u64 test_seed(struct kunit *test)
{
	u64 seed = pagetable_test_seed ? pagetable_test_seed : 0x70616765ULL;

	kunit_info(test, "seed %llu (novamm_kunit.pagetable_test_seed= to repeat)\n", seed);
	return seed;
}

static u64 rnd64(struct rnd_state *rnd)
{
	u64 hi = prandom_u32_state(rnd);

	return hi << 32 | prandom_u32_state(rnd);
}

/* ---- golden encodings ------------------------------------------------- */

enum golden_kind { G_PTE, G_PDE, G_DUAL };

struct golden {
	const char *row;
	enum golden_kind kind;
	struct novamm_pte pte;
	struct novamm_pde pde, small;
	u64 raw[2];
	int ret;
};

#define VID	NOVAMM_PT_APERTURE_VIDEO
#define PTE(_addr, ...)	{ NOVAMM_PT_VALID, (_addr), { __VA_ARGS__ } }
#define TBL(_addr)	{ NOVAMM_PT_TABLE, NOVAMM_PDE_APERTURE_VIDEO, (_addr) }
#define NONE		{ NOVAMM_PT_UNMAPPED }

static const struct golden v2_golden[] = {
	{ "1.4 VALID, APERTURE VIDEO_MEMORY, ADDRESS_VID 0x1000", G_PTE,
	  .pte = PTE(0x1000, VID), .raw = { 0x0000000000000101ULL } },
	{ "1.4 ADDRESS_VID 0x12345000 (addr >> 12 in 32:8)", G_PTE,
	  .pte = PTE(0x12345000ULL, VID), .raw = { 0x0000000001234501ULL } },
	{ "1.4 ADDRESS_VID at its top, 2^37 - 4 KiB", G_PTE,
	  .pte = PTE(0x1ffffff000ULL, VID), .raw = { 0x00000001ffffff01ULL } },
	{ "1.4 VOL (bit 3)", G_PTE,
	  .pte = PTE(0x1000, VID, .uncached = true), .raw = { 0x109 } },
	{ "1.4 ENCRYPTED (bit 4)", G_PTE,
	  .pte = PTE(0x1000, VID, .encrypted = true), .raw = { 0x111 } },
	{ "1.4 PRIVILEGE (bit 5)", G_PTE,
	  .pte = PTE(0x1000, VID, .privileged = true), .raw = { 0x121 } },
	{ "1.4 READ_ONLY (bit 6)", G_PTE,
	  .pte = PTE(0x1000, VID, .read_only = true), .raw = { 0x141 } },
	{ "1.4 ATOMIC_DISABLE (bit 7)", G_PTE,
	  .pte = PTE(0x1000, VID, .atomic_disable = true), .raw = { 0x181 } },
	{ "1.4 KIND 0x06 GENERIC_MEMORY (63:56)", G_PTE,
	  .pte = PTE(0x1000, VID, .kind = 0x06), .raw = { 0x0600000000000101ULL } },
	{ "1.4 KIND 0xff", G_PTE,
	  .pte = PTE(0x1000, VID, .kind = 0xff), .raw = { 0xff00000000000101ULL } },
	{ "1.4 APERTURE SYSTEM_COHERENT_MEMORY, ADDRESS_SYS", G_PTE,
	  .pte = PTE(0x1000, NOVAMM_PT_APERTURE_SYS_COHERENT), .raw = { 0x105 } },
	{ "1.4 APERTURE SYSTEM_NON_COHERENT, ADDRESS_SYS 2^40", G_PTE,
	  .pte = PTE(1ULL << 40, NOVAMM_PT_APERTURE_SYS_NONCOHERENT),
	  .raw = { 0x0000001000000007ULL } },
	{ "1.4 VOL, PRIVILEGE, READ_ONLY, ATOMIC_DISABLE, KIND 0x08 at 2 MiB", G_PTE,
	  .pte = PTE(0x200000, VID, .uncached = true, .privileged = true,
		     .read_only = true, .atomic_disable = true, .kind = 0x08),
	  .raw = { 0x08000000000200e9ULL } },
	{ "1.5 sparse PTE: VALID=0, VOL=1", G_PTE,
	  .pte = { NOVAMM_PT_SPARSE }, .raw = { 0x8 } },
	{ "1.5 LPTE invalid: VALID=0, PRIVILEGE=1", G_PTE,
	  .pte = { NOVAMM_PT_INVALID }, .raw = { 0x20 } },
	{ "1.5 unmapped: all zero", G_PTE, .pte = { NOVAMM_PT_UNMAPPED }, .raw = { 0 } },
	{ "1.4 ADDRESS_VID past 2^37: refused", G_PTE,
	  .pte = PTE(1ULL << 37, VID), .ret = -ERANGE },
	{ "1.4 address not in 4 KiB pages: refused", G_PTE,
	  .pte = PTE(0x1800, VID), .ret = -ERANGE },
	{ "2.4 ACD has no v2 field: refused", G_PTE,
	  .pte = PTE(0x1000, VID, .no_access_counting = true), .ret = -ERANGE },
	{ "1.2 PDE APERTURE VIDEO_MEMORY, ADDRESS_VID 0x1000", G_PDE,
	  .pde = TBL(0x1000), .raw = { 0x102 } },
	{ "1.2 PDE ADDRESS_VID 0x5e0000000", G_PDE,
	  .pde = TBL(0x5e0000000ULL), .raw = { 0x000000005e000002ULL } },
	{ "1.2 PDE APERTURE SYSTEM_COHERENT, VOL", G_PDE,
	  .pde = { NOVAMM_PT_TABLE, NOVAMM_PDE_APERTURE_SYS_COHERENT, 0x1000 },
	  .raw = { 0x10c } },
	{ "1.5 sparse PD1/PD2/PD3: bit 3", G_PDE,
	  .pde = { NOVAMM_PT_SPARSE }, .raw = { 0x8 } },
	{ "1.3 dual PDE, small table only (upper 32:8)", G_DUAL,
	  .pde = NONE, .small = TBL(0x2000), .raw = { 0, 0x202 } },
	{ "1.3 dual PDE, big table only (ADDRESS_BIG_VID addr >> 8 in 32:4)", G_DUAL,
	  .pde = TBL(0x1100), .small = NONE, .raw = { 0x112, 0 } },
	{ "1.3 dual PDE, both tables", G_DUAL,
	  .pde = TBL(0x3000), .small = TBL(0x4000), .raw = { 0x302, 0x402 } },
	{ "1.5 sparse PD0: VOL_BIG, high qword 0", G_DUAL,
	  .pde = { NOVAMM_PT_SPARSE }, .small = NONE, .raw = { 0x8, 0 } },
	{ "1.3 big table not 256-byte aligned: refused", G_DUAL,
	  .pde = TBL(0x1080), .small = NONE, .ret = -ERANGE },
};

static const struct golden v3_golden[] = {
	{ "2.4 VALID, APERTURE VIDEO, ADDRESS 0x1000 in place", G_PTE,
	  .pte = PTE(0x1000, VID), .raw = { 0x1001 } },
	{ "2.4 ADDRESS 0x12345000 (51:12)", G_PTE,
	  .pte = PTE(0x12345000ULL, VID), .raw = { 0x12345001ULL } },
	{ "2.4 ADDRESS at its top, 2^52 - 4 KiB", G_PTE,
	  .pte = PTE(0xffffffffff000ULL, VID), .raw = { 0x000ffffffffff001ULL } },
	{ "2.4 PCF UNCACHED (PCF bit 0, entry bit 3)", G_PTE,
	  .pte = PTE(0x1000, VID, .uncached = true), .raw = { 0x1009 } },
	{ "2.4 PCF PRIVILEGE (PCF bit 1, entry bit 4)", G_PTE,
	  .pte = PTE(0x1000, VID, .privileged = true), .raw = { 0x1011 } },
	{ "2.4 PCF RO (PCF bit 2, entry bit 5)", G_PTE,
	  .pte = PTE(0x1000, VID, .read_only = true), .raw = { 0x1021 } },
	{ "2.4 PCF NO_ATOMIC (PCF bit 3, entry bit 6)", G_PTE,
	  .pte = PTE(0x1000, VID, .atomic_disable = true), .raw = { 0x1041 } },
	{ "2.4 PCF ACD (PCF bit 4, entry bit 7)", G_PTE,
	  .pte = PTE(0x1000, VID, .no_access_counting = true), .raw = { 0x1081 } },
	{ "2.4 KIND 0x6 GENERIC_MEMORY (11:8)", G_PTE,
	  .pte = PTE(0x1000, VID, .kind = 0x6), .raw = { 0x1601 } },
	{ "2.4 KIND 0xf SMSKED_MESSAGE", G_PTE,
	  .pte = PTE(0x1000, VID, .kind = 0xf), .raw = { 0x1f01 } },
	{ "2.4 APERTURE SYSTEM_COHERENT", G_PTE,
	  .pte = PTE(0x1000, NOVAMM_PT_APERTURE_SYS_COHERENT), .raw = { 0x1005 } },
	{ "2.4 APERTURE PEER", G_PTE,
	  .pte = PTE(0x1000, NOVAMM_PT_APERTURE_PEER), .raw = { 0x1003 } },
	{ "2.4 PCF 0x1c REGULAR_RO_NO_ATOMIC_CACHED_ACD", G_PTE,
	  .pte = PTE(0x1000, VID, .read_only = true, .atomic_disable = true,
		     .no_access_counting = true), .raw = { 0x10e1 } },
	{ "2.4 PCF 0x1f, every bit", G_PTE,
	  .pte = PTE(0x1000, VID, .uncached = true, .privileged = true,
		     .read_only = true, .atomic_disable = true,
		     .no_access_counting = true), .raw = { 0x10f9 } },
	{ "2.5 sparse PTE: VALID=0, PCF SPARSE (1)", G_PTE,
	  .pte = { NOVAMM_PT_SPARSE }, .raw = { 0x8 } },
	{ "2.5 LPTE invalid: PCF NO_VALID_4KB_PAGE (3)", G_PTE,
	  .pte = { NOVAMM_PT_INVALID }, .raw = { 0x18 } },
	{ "2.4 unmapped: all zero", G_PTE, .pte = { NOVAMM_PT_UNMAPPED }, .raw = { 0 } },
	{ "2.4 KIND is 4 bits: 0x10 refused", G_PTE,
	  .pte = PTE(0x1000, VID, .kind = 0x10), .ret = -ERANGE },
	{ "2.4 no ENCRYPTED field: refused", G_PTE,
	  .pte = PTE(0x1000, VID, .encrypted = true), .ret = -ERANGE },
	{ "2.4 ADDRESS past 2^52: refused", G_PTE,
	  .pte = PTE(1ULL << 52, VID), .ret = -ERANGE },
	{ "2.2 PDE APERTURE VIDEO, PCF VALID_CACHED_ATS_NOT_ALLOWED (2)", G_PDE,
	  .pde = TBL(0x1000), .raw = { 0x1012 } },
	{ "2.2 PDE ADDRESS 0x5e0000000 in place", G_PDE,
	  .pde = TBL(0x5e0000000ULL), .raw = { 0x5e0000012ULL } },
	{ "2.5 sparse PDE: APERTURE INVALID, PCF SPARSE_ATS_ALLOWED (1)", G_PDE,
	  .pde = { NOVAMM_PT_SPARSE }, .raw = { 0x8 } },
	{ "2.3 dual PDE, small table only (ADDRESS_SMALL 115:76)", G_DUAL,
	  .pde = NONE, .small = TBL(0x2000), .raw = { 0, 0x2012 } },
	{ "2.3 dual PDE, big table only (ADDRESS_BIG 51:8 in place)", G_DUAL,
	  .pde = TBL(0x1100), .small = NONE, .raw = { 0x1112, 0 } },
	{ "2.3 dual PDE, both tables", G_DUAL,
	  .pde = TBL(0x3000), .small = TBL(0x4000), .raw = { 0x3012, 0x4012 } },
	{ "2.5 sparse PD0: PCF_BIG SPARSE_ATS_ALLOWED, high qword 0", G_DUAL,
	  .pde = { NOVAMM_PT_SPARSE }, .small = NONE, .raw = { 0x8, 0 } },
};

static_assert(ARRAY_SIZE(v2_golden) >= 20);
static_assert(ARRAY_SIZE(v3_golden) >= 20);

struct golden_set {
	const char *name;
	const struct novamm_pt_format *fmt;
	const struct golden *g;
	unsigned int n;
};

static const struct golden_set golden_sets[] = {
	{ "v2", &novamm_pt_v2_ga100, v2_golden, ARRAY_SIZE(v2_golden) },
	{ "v3", &novamm_pt_v3_gh100, v3_golden, ARRAY_SIZE(v3_golden) },
};

static void golden_desc(const struct golden_set *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(golden, golden_sets, golden_desc);

static void pt_golden(struct kunit *test)
{
	const struct golden_set *set = test->param_value;
	const struct novamm_pt_format *fmt = set->fmt;
	struct novamm_pde big, small;
	struct novamm_pte pte;
	const struct golden *g;
	u64 raw[2];
	unsigned int i;
	int ret;

	for (i = 0; i < set->n; i++) {
		g = &set->g[i];
		raw[0] = 0xdeadbeefdeadbeefULL;
		raw[1] = raw[0];
		switch (g->kind) {
		case G_PTE:
			ret = fmt->codec->pte_encode(&g->pte, raw);
			break;
		case G_PDE:
			ret = fmt->codec->pde_encode(&g->pde, raw);
			break;
		default:
			ret = fmt->codec->dual_encode(&g->pde, &g->small, raw);
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, ret, g->ret, "%s", g->row);
		if (ret || g->ret)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, raw[0], g->raw[0], "%s", g->row);
		if (g->kind == G_DUAL)
			KUNIT_EXPECT_EQ_MSG(test, raw[1], g->raw[1], "%s", g->row);

		/* And back. */
		switch (g->kind) {
		case G_PTE:
			fmt->codec->pte_decode(g->raw[0], &pte);
			KUNIT_EXPECT_EQ_MSG(test, pte.state, g->pte.state, "%s", g->row);
			KUNIT_EXPECT_EQ_MSG(test, pte.addr, g->pte.addr, "%s", g->row);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(&pte.attrs, &g->pte.attrs,
							 sizeof(pte.attrs)), 0, "%s", g->row);
			KUNIT_EXPECT_EQ_MSG(test, fmt->codec->is_pte(g->raw[0]),
					    g->pte.state == NOVAMM_PT_VALID, "%s", g->row);
			break;
		case G_PDE:
			fmt->codec->pde_decode(g->raw[0], &big);
			KUNIT_EXPECT_EQ_MSG(test, big.state, g->pde.state, "%s", g->row);
			KUNIT_EXPECT_EQ_MSG(test, big.addr, g->pde.addr, "%s", g->row);
			KUNIT_EXPECT_FALSE_MSG(test, fmt->codec->is_pte(g->raw[0]), "%s", g->row);
			break;
		default:
			fmt->codec->dual_decode(g->raw, &big, &small);
			KUNIT_EXPECT_EQ_MSG(test, big.state, g->pde.state, "%s", g->row);
			KUNIT_EXPECT_EQ_MSG(test, big.addr, g->pde.addr, "%s", g->row);
			KUNIT_EXPECT_EQ_MSG(test, small.state, g->small.state, "%s", g->row);
			KUNIT_EXPECT_EQ_MSG(test, small.addr, g->small.addr, "%s", g->row);
			break;
		}
	}
}

/* ---- round trips over random field values ----------------------------- */

static const struct novamm_pt_format * const formats[] = {
	&novamm_pt_v2_tu102, &novamm_pt_v2_ga100, &novamm_pt_v3_gh100, &novamm_pt_v3_gb100,
};

static void format_desc(const struct novamm_pt_format * const *f, char *desc)
{
	strscpy(desc, (*f)->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(format, formats, format_desc);

#define ROUND_TRIPS	novamm_sim_test_scaled(4000)

static void pt_round_trip(struct kunit *test)
{
	const struct novamm_pt_format *fmt = *(const struct novamm_pt_format **)test->param_value;
	struct novamm_pde big, small, pde, got_big, got_small, got;
	struct novamm_pte pte, back;
	struct rnd_state rnd;
	unsigned int i, bad = 0;
	u64 raw[2], bits;
	u32 r;

	prandom_seed_state(&rnd, test_seed(test));
	for (i = 0; i < ROUND_TRIPS; i++) {
		r = prandom_u32_state(&rnd);
		pte = (struct novamm_pte){ .state = NOVAMM_PT_VALID };
		pte.attrs.aperture = r & 3;
		pte.attrs.read_only = r & BIT(2);
		pte.attrs.privileged = r & BIT(3);
		pte.attrs.uncached = r & BIT(4);
		pte.attrs.atomic_disable = r & BIT(5);
		if (fmt->codec->version == 2) {
			pte.attrs.encrypted = r & BIT(6);
			pte.attrs.kind = r >> 24;
			/* Video and peer: 37 bits; system memory: 58. */
			bits = pte.attrs.aperture <= NOVAMM_PT_APERTURE_PEER ? 37 : 58;
		} else {
			pte.attrs.no_access_counting = r & BIT(6);
			pte.attrs.kind = (r >> 24) & 0xf;
			bits = 52;
		}
		pte.addr = (rnd64(&rnd) & (BIT_ULL(bits) - 1)) & ~0xfffULL;
		bad += fmt->codec->pte_encode(&pte, raw) != 0;
		fmt->codec->pte_decode(raw[0], &back);
		bad += back.state != pte.state || back.addr != pte.addr ||
		       memcmp(&back.attrs, &pte.attrs, sizeof(back.attrs));
		bad += !fmt->codec->is_pte(raw[0]);

		/* Video memory (aperture 1) is 37 bits wide on v2. */
		bits = fmt->codec->version == 2 && r % 3 == 0 ? 37 : 52;
		pde = (struct novamm_pde){ NOVAMM_PT_TABLE, 1 + r % 3,
			(rnd64(&rnd) & (BIT_ULL(bits) - 1)) & ~0xfffULL };
		bad += fmt->codec->pde_encode(&pde, raw) != 0;
		fmt->codec->pde_decode(raw[0], &got);
		bad += got.state != pde.state || got.addr != pde.addr ||
		       got.aperture != pde.aperture || fmt->codec->is_pte(raw[0]);

		big = (struct novamm_pde){ NOVAMM_PT_TABLE, NOVAMM_PDE_APERTURE_VIDEO,
			(rnd64(&rnd) & (BIT_ULL(37) - 1)) & ~0xffULL };
		small = (struct novamm_pde){ NOVAMM_PT_TABLE, NOVAMM_PDE_APERTURE_VIDEO,
			(rnd64(&rnd) & (BIT_ULL(37) - 1)) & ~0xfffULL };
		if (r & BIT(7))
			big = (struct novamm_pde){ NOVAMM_PT_UNMAPPED };
		bad += fmt->codec->dual_encode(&big, &small, raw) != 0;
		fmt->codec->dual_decode(raw, &got_big, &got_small);
		bad += got_big.state != big.state || got_big.addr != big.addr ||
		       got_small.state != small.state || got_small.addr != small.addr;
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/* ---- the walker on a simulated GPU ------------------------------------ */

struct pt_env {
	struct novamm_test_dev *td;
	struct novamm_mm *mm;
	struct novamm_pagetable *pt;
};

/* A probed device of @chip and an empty tree on it, freed with the test. */
static struct pt_env *pt_env(struct kunit *test, const char *chip, u64 vram)
{
	struct pt_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->td = novamm_test_dev_new(test, chip, vram);
	env->mm = &env->td->ndev.mm;
	env->pt = novamm_test_pagetable_new(test, env->td);
	/* Probe's own register reads are not the tables'. */
	novamm_sim_reset_counters(env->td->sim);
	return env;
}

/* Reads through PRAMIN: a table read back, which the shadow makes needless. */
static u64 table_reads(struct pt_env *env)
{
	struct novamm_sim_counters cnt;

	novamm_sim_counters(env->td->sim, &cnt);
	return cnt.pramin_reads;
}

/* What the driver does before the GPU walks what it wrote. */
static void pt_flush(struct kunit *test, struct pt_env *env)
{
	KUNIT_ASSERT_EQ(test, novamm_tlb_flush(&env->mm->tlb), 0);
}

struct chip_case {
	const char *chip;
	unsigned int tables_4k;		/* root and every level to a PT_SMALL */
	bool pages_512m;		/* PD1 entries may be PTEs */
};

static const struct chip_case chip_cases[] = {
	{ "TU102", 5, false },
	{ "GA102", 5, true },
	{ "GH100", 6, true },
};

static void chip_desc(const struct chip_case *c, char *desc)
{
	strscpy(desc, c->chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chip, chip_cases, chip_desc);

static const struct novamm_pte_attrs rw = { .aperture = NOVAMM_PT_APERTURE_VIDEO };

static void pt_tables(struct kunit *test)
{
	const struct chip_case *c = test->param_value;
	struct pt_env *env = pt_env(test, c->chip, SZ_256M);
	struct novamm_pagetable *pt = env->pt;
	struct novamm_vram_stats before, after;
	struct novamm_sim_translation t;
	struct novamm_sim_counters cnt;
	struct novamm_pt_mapping map;
	u64 va = 0x40000000ULL;

	novamm_vram_stats(&env->mm->buddy, &before);
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_EXPECT_EQ(test, pt->num_tables, 1U);
	KUNIT_EXPECT_EQ(test, pt->pool.num_chunks, 1U);

	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(pt, va, SZ_4K, 12), 0);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k);
	/* The same PD0 entry's big-page table; 2 MiB pages at the next entry. */
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(pt, va, SZ_64K, 16), 0);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k + 1);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(pt, va + SZ_2M, SZ_2M, 21), 0);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k + 1);
	/* Every table fits the first 2 MiB chunk of the pool. */
	KUNIT_EXPECT_EQ(test, pt->pool.num_chunks, 1U);

	/* Entries of fresh tables go to the shadow only: the GPU sees nothing. */
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_map(pt, va, 16, 12, 0x100000, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_map(pt, va + SZ_2M, 1, 21, SZ_2M, &rw), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0ULL);
	KUNIT_EXPECT_EQ(test, pt->num_fresh, c->tables_4k);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(env->td->sim, pt->root->addr, va, 0, &t),
			-EFAULT);

	/*
	 * Commit writes each new table once, whole: 4 KiB directories and
	 * PT_SMALL (1024 words each), the 256-byte PT_BIG (64), then the
	 * root's entry (2).
	 */
	KUNIT_ASSERT_EQ(test, novamm_pagetable_commit(pt, va, SZ_4M), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes,
			(c->tables_4k - 1) * 1024ULL + 64 + 2 + cnt.window_writes);
	KUNIT_EXPECT_LE(test, cnt.window_writes, 2ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0ULL);
	KUNIT_EXPECT_EQ(test, pt->num_fresh, 0U);
	pt_flush(test, env);
	KUNIT_ASSERT_EQ(test, novamm_sim_translate(env->td->sim, pt->root->addr, va + SZ_4K,
						   0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x101000ULL);

	/* Into a written table: 16 PTEs, one run, 16 x 8 bytes, 32 MMIO writes. */
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_map(pt, va, 16, 12, 0x100000, &rw), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 32 + cnt.window_writes);
	KUNIT_EXPECT_LE(test, cnt.window_writes, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0ULL);

	KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(pt, va + SZ_2M + 0x1234, &map), 0);
	KUNIT_EXPECT_EQ(test, map.state, NOVAMM_PT_VALID);
	KUNIT_EXPECT_EQ(test, map.phys, (u64)SZ_2M + 0x1234);
	KUNIT_EXPECT_EQ(test, map.page_size, (u64)SZ_2M);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(pt, va + 5 * SZ_4K + 8, &map), 0);
	KUNIT_EXPECT_EQ(test, map.phys, 0x100000ULL + 5 * SZ_4K + 8);
	KUNIT_EXPECT_EQ(test, map.page_size, (u64)SZ_4K);

	/* Clearing leaves the tables; freeing the empty ones takes them. */
	/*
	 * A 64 KiB page over the first 4 KiB pages wins; cleared, the MMU
	 * goes on to the small-page table again.
	 */
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(pt, va, 1, 16, 0x200000, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(pt, va + 0x3008, &map), 0);
	KUNIT_EXPECT_EQ(test, map.phys, 0x203008ULL);
	KUNIT_EXPECT_EQ(test, map.page_size, (u64)SZ_64K);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_clear(pt, va, 1, 16), 0);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(pt, va + 0x3008, &map), 0);
	KUNIT_EXPECT_EQ(test, map.phys, 0x103008ULL);
	KUNIT_EXPECT_EQ(test, map.page_size, (u64)SZ_4K);
	pt_flush(test, env);
	KUNIT_ASSERT_EQ(test, novamm_sim_translate(env->td->sim, pt->root->addr, va + 0x3008,
						   0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x103008ULL);
	KUNIT_EXPECT_EQ(test, t.page_size, (u64)SZ_4K);

	KUNIT_ASSERT_EQ(test, novamm_pagetable_clear(pt, va, 16, 12), 0);
	/* The MMU sees the cleared PTE (no address here was walked before). */
	pt_flush(test, env);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(env->td->sim, pt->root->addr, va + SZ_8K,
						   0, &t), -EFAULT);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PTE);
	/* Both page tables of the PD0 entry; PD0 still holds the 2 MiB page. */
	KUNIT_EXPECT_EQ(test, novamm_pagetable_free_empty(pt, va, SZ_2M), 2U);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k - 1);
	/* Their VRAM waits for the caller's invalidate. */
	KUNIT_EXPECT_EQ(test, pt->num_unlinked, 2U);
	KUNIT_EXPECT_EQ(test, novamm_pagetable_release(pt), 2U);
	KUNIT_EXPECT_EQ(test, pt->num_unlinked, 0U);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_clear(pt, va + SZ_2M, 1, 21), 0);
	/* Nothing beyond the VA; then every directory but the root. */
	KUNIT_EXPECT_EQ(test, novamm_pagetable_free_empty(pt, BIT_ULL(pt->fmt->va_bits), SZ_2M),
			0U);
	KUNIT_EXPECT_EQ(test, novamm_pagetable_free_empty(pt, 0, U64_MAX), c->tables_4k - 2);
	KUNIT_EXPECT_EQ(test, novamm_pagetable_release(pt), c->tables_4k - 2);
	KUNIT_EXPECT_EQ(test, pt->num_tables, 1U);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(pt, va, &map), 0);
	KUNIT_EXPECT_EQ(test, map.state, NOVAMM_PT_UNMAPPED);
	/* And the root's entry is gone too. */
	pt_flush(test, env);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(env->td->sim, pt->root->addr,
						   va + SZ_2M + SZ_1M, 0, &t), -EFAULT);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PDE);
	KUNIT_EXPECT_EQ(test, table_reads(env), 0ULL);

	novamm_pagetable_fini(pt);
	novamm_vram_stats(&env->mm->buddy, &after);
	KUNIT_EXPECT_EQ(test, after.free, before.free + SZ_2M);
}

static void pt_refused(struct kunit *test)
{
	const struct chip_case *c = test->param_value;
	struct pt_env *env = pt_env(test, c->chip, SZ_256M);
	struct novamm_pagetable *pt = env->pt;
	struct novamm_pte_attrs bad = rw;
	unsigned int tables;

	/* Page sizes: 4K, 64K, 2M everywhere; 512M from GA100 on; no 1M. */
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, 0, 1, 64, 0, &rw), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pagetable_clear(pt, 0, 1, 200), -EINVAL);
	KUNIT_EXPECT_TRUE(test, novamm_pagetable_page_size_ok(pt, 12));
	KUNIT_EXPECT_TRUE(test, novamm_pagetable_page_size_ok(pt, 16));
	KUNIT_EXPECT_TRUE(test, novamm_pagetable_page_size_ok(pt, 21));
	KUNIT_EXPECT_EQ(test, novamm_pagetable_page_size_ok(pt, 29), c->pages_512m);
	KUNIT_EXPECT_FALSE(test, novamm_pagetable_page_size_ok(pt, 20));
	KUNIT_EXPECT_FALSE(test, novamm_pagetable_page_size_ok(pt, 64));
	KUNIT_EXPECT_EQ(test, novamm_pagetable_prepare(pt, 0, SZ_1M, 20), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pagetable_prepare(pt, SZ_4K, SZ_64K, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pagetable_prepare(pt, BIT_ULL(pt->fmt->va_bits) - SZ_4K,
						       SZ_8K, 12), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, 0, 1, 12, 0, &rw), -ENOENT);

	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(pt, 0, SZ_4M, 21), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(pt, 0, 1, 21, 0, &rw), 0);
	tables = pt->num_tables;
	/* A 2 MiB page is mapped where a 4 KiB table would go. */
	KUNIT_EXPECT_EQ(test, novamm_pagetable_prepare(pt, 0, SZ_4K, 12), -EBUSY);
	KUNIT_EXPECT_EQ(test, pt->num_tables, tables);
	/* And a table where a 2 MiB page would go. */
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(pt, SZ_2M, SZ_4K, 12), 0);
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, SZ_2M, 1, 21, 0, &rw), -EBUSY);
	/*
	 * A prepare that fails half way frees the tables it made, and no
	 * other: the empty table prepared at 8 MiB beforehand stays.
	 */
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(pt, SZ_8M, SZ_4K, 12), 0);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(pt, SZ_8M + SZ_2M, SZ_2M, 21), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(pt, SZ_8M + SZ_2M, 1, 21, 0, &rw), 0);
	tables = pt->num_tables;
	/* New tables at 4M and 6M, the one at 8M reused, a page at 10M. */
	KUNIT_EXPECT_EQ(test, novamm_pagetable_prepare(pt, SZ_4M, SZ_8M, 12), -EBUSY);
	KUNIT_EXPECT_EQ(test, pt->num_tables, tables);
	/* Freed at once: they were never written, so no TLB can hold them. */
	KUNIT_EXPECT_EQ(test, pt->num_unlinked, 0U);
	/* Those prepared at 2 MiB and 8 MiB, never committed. */
	KUNIT_EXPECT_EQ(test, pt->num_fresh, 2U);
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, SZ_8M, 1, 12, 0, &rw), 0);
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, SZ_4M, 1, 12, 0, &rw), -ENOENT);

	/* What the format cannot hold. */
	bad.kind = 0x10;
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, SZ_2M, 1, 12, 0, &bad),
			pt->fmt->codec->version == 3 ? -ERANGE : 0);
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, SZ_2M, 1, 12,
						 1ULL << pt->fmt->codec->addr_bits, &rw),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, SZ_2M, 1, 12, 0x800, &rw), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_test_pt_map(pt, SZ_2M, 0, 12, 0, &rw), -EINVAL);
	KUNIT_EXPECT_EQ(test, table_reads(env), 0ULL);
}

/* MMIO writes since the last look. */
static u64 pt_writes(struct pt_env *env)
{
	struct novamm_sim_counters cnt;

	novamm_sim_counters(env->td->sim, &cnt);
	novamm_sim_reset_counters(env->td->sim);
	return cnt.mmio_writes;
}

/*
 * Where the tables in VRAM take @va, past the TLBs (no invalidate here),
 * or 0 with @t.fault set.
 */
static u64 pt_walk(struct pt_env *env, u64 va, struct novamm_sim_translation *t)
{
	if (novamm_sim_walk(env->td->sim, env->pt->root->addr, va, t))
		return 0;
	return t->pa;
}

/*
 * An update as its callers use it. Refused calls change nothing. Before
 * commit nothing is written, and abort frees only the update's tables.
 * Commit maps before it unmaps, so that an unmap never takes out a table
 * that a map of the same update fills. An abort after commit links back
 * what the unmaps took out and takes out what the maps made.
 */
static void pt_update(struct kunit *test)
{
	const struct chip_case *c = test->param_value;
	struct pt_env *env = pt_env(test, c->chip, SZ_256M);
	struct novamm_pagetable *pt = env->pt;
	const u64 va = SZ_1G;
	/* Four 4 KiB pages, a 64 KiB page in the same PD0 entry, a 2 MiB page. */
	const struct novamm_pt_run runs[] = {
		{ va, 0x100000, 4, 12 },
		{ va + SZ_64K, 0x300000, 1, 16 },
		{ va + SZ_2M, SZ_4M, 1, 21 },
	};
	const struct novamm_pt_run backwards[] = {
		{ va + SZ_8K, 0x100000, 1, 12 },
		{ va, 0x100000, 1, 12 },
	};
	const struct novamm_pt_run odd = { va, 0x100800, 1, 12 };
	/* In the PT_SMALL of the first run; then under a PD0 entry of its own. */
	const struct novamm_pt_run late = { va + SZ_1M, 0x500000, 1, 12 };
	const struct novamm_pt_run apart = { va + SZ_4M, 0x600000, 1, 12 };
	struct novamm_sim_translation t;
	struct novamm_pt_update u;

	/* Refused, and the tables made before a refusal go. */
	novamm_pt_update_begin(&u, pt);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_map(&u, backwards, 2, &rw), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_map(&u, &odd, 1, &rw), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt->num_tables, 1U);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_map(&u, runs, 3, &rw), 0);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k + 1);
	KUNIT_EXPECT_EQ(test, pt->num_fresh, c->tables_4k);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_unmap(&u, va + SZ_2M, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_unmap(&u, va + SZ_8M, SZ_4K + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pt_writes(env), 0ULL);
	/* Abort before commit: the update's tables go, nothing written. */
	KUNIT_EXPECT_FALSE(test, novamm_pt_update_abort(&u));
	KUNIT_EXPECT_EQ(test, novamm_pt_update_release(&u, false), 0U);
	KUNIT_EXPECT_EQ(test, pt->num_tables, 1U);
	KUNIT_EXPECT_EQ(test, pt->num_fresh, 0U);
	KUNIT_EXPECT_EQ(test, pt->num_unlinked + pt->num_retired, 0U);
	KUNIT_EXPECT_EQ(test, pt_writes(env), 0ULL);

	/* Commit: the MMU finds every page. */
	novamm_pt_update_begin(&u, pt);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_map(&u, runs, 3, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_commit(&u), 0);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_commit(&u), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_release(&u, true), 0U);
	KUNIT_EXPECT_EQ(test, pt->num_fresh, 0U);
	pt_flush(test, env);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_4K + 8, &t), 0x101008ULL);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_64K + 0x10, &t), 0x300010ULL);
	KUNIT_EXPECT_EQ(test, t.page_size, (u64)SZ_64K);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_2M + 5, &t), (u64)SZ_4M + 5);
	KUNIT_EXPECT_EQ(test, t.page_size, (u64)SZ_2M);

	/*
	 * Unmap the four small pages and map one more in their table: the
	 * table stays, for the map goes first.
	 */
	novamm_pt_update_begin(&u, pt);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_unmap(&u, va, SZ_16K), 0);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_map(&u, &late, 1, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_commit(&u), 0);
	KUNIT_EXPECT_EQ(test, pt->num_unlinked, 0U);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_release(&u, true), 0U);
	pt_flush(test, env);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_1M, &t), 0x500000ULL);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_4K, &t), 0ULL);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PTE);

	/*
	 * Take out the PD0 entry's two tables and map under a new one, as if
	 * the invalidate then failed: abort links them back, and takes out
	 * the new table, which waits for the invalidate.
	 */
	novamm_pt_update_begin(&u, pt);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_unmap(&u, va, SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_map(&u, &apart, 1, &rw), 0);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k + 2);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_commit(&u), 0);
	KUNIT_EXPECT_EQ(test, pt->num_unlinked, 2U);
	KUNIT_EXPECT_TRUE(test, novamm_pt_update_abort(&u));
	KUNIT_EXPECT_EQ(test, pt->num_unlinked, 1U);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_release(&u, true), 1U);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k + 1);
	pt_flush(test, env);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_1M + 8, &t), 0x500008ULL);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_64K, &t), 0x300000ULL);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + SZ_4M, &t), 0ULL);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PDE);
	KUNIT_EXPECT_EQ(test, table_reads(env), 0ULL);
}

/* PRAMIN writes since the last look, in 32-bit words. */
static u64 pt_words_written(struct pt_env *env)
{
	struct novamm_sim_counters cnt;

	novamm_sim_counters(env->td->sim, &cnt);
	novamm_sim_reset_counters(env->td->sim);
	return cnt.pramin_writes;
}

/*
 * Released tables are kept spare and reused: a one-page map into an empty
 * tree then writes the span of old and new entries of each table, not
 * each table whole, and the old entry reads invalid. Every table below
 * the root is 4 KiB on these chips (512 entries of 8 bytes, or 256 dual
 * entries of 16 at PD0).
 */
static void pt_spare(struct kunit *test)
{
	const struct chip_case *c = test->param_value;
	struct pt_env *env = pt_env(test, c->chip, SZ_256M);
	struct novamm_pagetable *pt = env->pt;
	const u64 va = SZ_1G;
	const struct novamm_pt_run first = { va, 0x100000, 1, 12 };
	/* PT_SMALL entry 3, where the first page was entry 0. */
	const struct novamm_pt_run again = { va + 3 * SZ_4K, 0x200000, 1, 12 };
	unsigned int below_root = c->tables_4k - 1;
	struct novamm_sim_translation t;
	struct novamm_pt_update u;

	pt_words_written(env);
	novamm_pt_update_begin(&u, pt);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_map(&u, &first, 1, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_commit(&u), 0);
	novamm_pt_update_release(&u, true);
	/* New from the pool: each table whole, then the root's entry. */
	KUNIT_EXPECT_EQ(test, pt_words_written(env), below_root * 1024ULL + 2);
	KUNIT_EXPECT_EQ(test, pt->num_spare, 0U);

	/* The unmap empties every table: one root entry cleared. */
	novamm_pt_update_begin(&u, pt);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_unmap(&u, va, SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_commit(&u), 0);
	KUNIT_EXPECT_EQ(test, novamm_pt_update_release(&u, true), below_root);
	KUNIT_EXPECT_EQ(test, pt_words_written(env), 2ULL);
	KUNIT_EXPECT_EQ(test, pt->num_tables, 1U);
	KUNIT_EXPECT_EQ(test, pt->num_spare, below_root);

	/*
	 * The spares again: PT_SMALL entries 0 to 3 (8 words), one dual PD0
	 * entry (4), one entry of each other directory and of the root (2).
	 */
	novamm_pt_update_begin(&u, pt);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_map(&u, &again, 1, &rw), 0);
	KUNIT_EXPECT_EQ(test, pt->num_spare, 0U);
	KUNIT_ASSERT_EQ(test, novamm_pt_update_commit(&u), 0);
	novamm_pt_update_release(&u, true);
	KUNIT_EXPECT_EQ(test, pt_words_written(env), 8 + 4 + 2ULL * (below_root - 2) + 2);
	KUNIT_EXPECT_EQ(test, pt->num_tables, c->tables_4k);
	pt_flush(test, env);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va + 3 * SZ_4K + 8, &t), 0x200008ULL);
	KUNIT_EXPECT_EQ(test, pt_walk(env, va, &t), 0ULL);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PTE);
	KUNIT_EXPECT_EQ(test, table_reads(env), 0ULL);
}

/* 256 GiB pages, on Blackwell only: PD2 entries that are PTEs. */
static void pt_huge_pages(struct kunit *test)
{
	struct pt_env *gh = pt_env(test, "GH100", SZ_64M);
	struct pt_env *gb = pt_env(test, "GB202", 512ULL << 30);
	struct novamm_sim_translation t;
	struct novamm_pt_mapping map;
	u64 va = 5ULL << 38, pa = 1ULL << 38;

	KUNIT_EXPECT_FALSE(test, novamm_pagetable_page_size_ok(gh->pt, 38));
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(gb->pt, va, 1ULL << 38, 38), 0);
	/* The root and PD3: PD2 holds the page. */
	KUNIT_EXPECT_EQ(test, gb->pt->num_tables, 3U);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(gb->pt, va, 1, 38, pa, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(gb->pt, va + 0x12345678ULL, &map), 0);
	KUNIT_EXPECT_EQ(test, map.phys, pa + 0x12345678ULL);
	KUNIT_EXPECT_EQ(test, map.page_size, 1ULL << 38);
	KUNIT_ASSERT_EQ(test, novamm_sim_translate(gb->td->sim, gb->pt->root->addr,
						   va + 0x12345678ULL, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, pa + 0x12345678ULL);
	KUNIT_EXPECT_EQ(test, t.page_size, 1ULL << 38);
	KUNIT_EXPECT_EQ(test, table_reads(gb), 0ULL);
}

/* 512 MiB pages exist on Ampere and later, not on Turing. */
static void pt_large_pages(struct kunit *test)
{
	struct pt_env *tu = pt_env(test, "TU102", SZ_64M);
	struct pt_env *ga = pt_env(test, "GA102", SZ_1G);
	struct novamm_sim_translation t;
	struct novamm_pt_mapping map;
	u64 va = 3 * SZ_512M;

	KUNIT_EXPECT_FALSE(test, novamm_pagetable_page_size_ok(tu->pt, 29));
	KUNIT_EXPECT_EQ(test, novamm_pagetable_prepare(tu->pt, 0, SZ_512M, 29), -EINVAL);

	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(ga->pt, va, SZ_512M, 29), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(ga->pt, va, 1, 29, SZ_512M, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(ga->pt, va + 0x123456, &map), 0);
	KUNIT_EXPECT_EQ(test, map.phys, (u64)SZ_512M + 0x123456);
	KUNIT_EXPECT_EQ(test, map.page_size, (u64)SZ_512M);
	KUNIT_ASSERT_EQ(test, novamm_sim_translate(ga->td->sim, ga->pt->root->addr,
						   va + 0x123456, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NONE);
	KUNIT_EXPECT_EQ(test, t.pa, (u64)SZ_512M + 0x123456);
	KUNIT_EXPECT_EQ(test, t.page_size, (u64)SZ_512M);
	KUNIT_EXPECT_EQ(test, table_reads(ga), 0ULL);
}

/* One line of the dump, in two pieces. */
static const char entry1[] = "          [1] va 0x40001000: valid 0x101000 aperture 0 kind 0x6 ro";
static const char entry1_raw[] = " (PT_SMALL 0x0600000000010141)\n";

static void pt_dump(struct kunit *test)
{
	struct pt_env *env = pt_env(test, "GA102", SZ_256M);
	struct novamm_pte_attrs ro = { .read_only = true, .kind = 0x06 };
	struct seq_file m = { .size = SZ_64K };
	char line[128], *p;
	u64 pt_small;

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(env->pt, SZ_1G, SZ_8K, 12), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, SZ_1G, 2, 12, 0x100000, &ro), 0);
	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(env->pt, SZ_2G, SZ_4K, 12), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, SZ_2G, 1, 12, 0, &ro), 0);

	novamm_pagetable_dump(&m, env->pt, SZ_1G, SZ_2M);
	kunit_info(test, "%s", m.buf);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf,
					   "format: v2 (Ampere, Ada), 7 tables, 1 pool chunks\n"));
	/* 1 GiB: PD3 entry 0, PD2 entry 0, PD1 entry 2, PD0 entry 0 (small half). */
	pt_small = env->pt->root->child[0]->child[0]->child[2]->child[0 * 2 + 1]->addr;
	snprintf(line, sizeof(line), "        PT_SMALL at 0x%llx: 2 of 512 entries used\n",
		 pt_small);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, line));
	p = strstr(m.buf, entry1);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, strncmp(p + strlen(entry1), entry1_raw, strlen(entry1_raw)), 0);
	/* Outside the range asked for: the page at 2 GiB and its tables. */
	KUNIT_EXPECT_NULL(test, strstr(m.buf, "va 0x80000000"));
	KUNIT_EXPECT_NULL(test, strstr(strstr(m.buf, "PT_SMALL at") + 1, "PT_SMALL at"));

	m.count = 0;
	novamm_pagetable_dump(&m, env->pt, 0, 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "va 0x80000000: valid 0x0"));

	/* Beyond the 49-bit VA: the root, and no entry of it. */
	m.count = 0;
	novamm_pagetable_dump(&m, env->pt, BIT_ULL(49) + SZ_1G, SZ_2M);
	snprintf(line, sizeof(line), "PD3 at 0x%llx: 1 of 4 entries used\n",
		 env->pt->root->addr);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, line));
	KUNIT_EXPECT_NULL(test, strstr(m.buf, "PD2 at"));
	KUNIT_EXPECT_NULL(test, strstr(m.buf, "va 0x"));
	KUNIT_EXPECT_EQ(test, table_reads(env), 0ULL);
}

/* ---- differential: the driver's tables, walked by the sim ------------- */

#define DIFF_MAPPINGS	2000
#define DIFF_REGIONS	8
#define DIFF_SLOTS	512		/* 2 MiB slots per 1 GiB region */

struct diff_map {
	u64 va, phys;
	unsigned int shift, count;
	struct novamm_pte_attrs attrs;
};

static void diff_attrs(const struct novamm_pt_format *fmt, u32 r,
		       struct novamm_pte_attrs *a)
{
	*a = (struct novamm_pte_attrs){ .aperture = NOVAMM_PT_APERTURE_VIDEO };
	a->read_only = r & BIT(0);
	a->privileged = r & BIT(1);
	a->uncached = r & BIT(2);
	a->atomic_disable = r & BIT(3);
	a->kind = fmt->codec->version == 2 ? (r >> 8) & 0xff : (r >> 8) & 0xf;
}

/* The sim and the shadow agree on @va. */
static bool diff_agree(struct kunit *test, struct pt_env *env, u64 va)
{
	struct novamm_sim_translation t;
	struct novamm_pt_mapping map;

	int ret;

	if (novamm_pagetable_lookup(env->pt, va, &map))
		return false;
	ret = novamm_sim_translate(env->td->sim, env->pt->root->addr, va,
				   NOVAMM_SIM_ACCESS_PRIV, &t);
	if (map.state != NOVAMM_PT_VALID)
		return ret == -EFAULT && (t.fault == NOVAMM_SIM_FAULT_NO_PDE ||
					  t.fault == NOVAMM_SIM_FAULT_NO_PTE);
	if (ret || t.fault != NOVAMM_SIM_FAULT_NONE || t.pa != map.phys ||
	    t.page_size != map.page_size || t.read_only != map.attrs.read_only ||
	    t.privileged != map.attrs.privileged || t.vol != map.attrs.uncached ||
	    t.atomic_disable != map.attrs.atomic_disable || t.kind != map.attrs.kind) {
		kunit_err(test, "va 0x%llx: sim fault %d pa 0x%llx size 0x%llx, shadow pa 0x%llx size 0x%llx\n",
			  va, t.fault, t.pa, t.page_size, map.phys, map.page_size);
		return false;
	}
	return true;
}

static void pt_differential(struct kunit *test)
{
	const struct chip_case *c = test->param_value;
	struct pt_env *env = pt_env(test, c->chip, SZ_1G);
	const struct novamm_pt_format *fmt = env->pt->fmt;
	u64 region[DIFF_REGIONS], va, vram = SZ_1G, expect;
	unsigned int i, j, n = 0, kind, mismatch = 0, unmapped = 0, checked = 0;
	unsigned int tables, freed;
	unsigned long *used;
	struct novamm_pt_mapping map;
	struct diff_map *m;
	struct rnd_state rnd;
	int ret;
	u32 r;

	/* Thousands of mappings, each checked against the sim. */
	novamm_test_full_size(test);

	m = kunit_kcalloc(test, DIFF_MAPPINGS, sizeof(*m), GFP_KERNEL);
	used = kunit_kcalloc(test, BITS_TO_LONGS(DIFF_REGIONS * DIFF_SLOTS),
			     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, used);
	prandom_seed_state(&rnd, test_seed(test));
	/* 1 GiB regions spread over the whole VA, so every level branches. */
	for (i = 0; i < DIFF_REGIONS; i++) {
		region[i] = (rnd64(&rnd) & (BIT_ULL(fmt->va_bits) - 1)) & ~(u64)(SZ_1G - 1);
		for (j = 0; j < i; j++)
			if (region[j] == region[i])
				break;
		if (j < i)
			i--;	/* drawn again */
	}
	novamm_sim_reset_counters(env->td->sim);

	while (n < DIFF_MAPPINGS) {
		r = prandom_u32_state(&rnd);
		i = r % (DIFF_REGIONS * DIFF_SLOTS);
		if (test_and_set_bit(i, used))
			continue;
		va = region[i / DIFF_SLOTS] + (u64)(i % DIFF_SLOTS) * SZ_2M;
		kind = prandom_u32_state(&rnd) % 4;
		/* Per slot: one 2 MiB page; 64 KiB pages; 4 KiB pages; or both. */
		for (j = 0; j < (kind == 3 ? 2 : 1) && n < DIFF_MAPPINGS; j++) {
			struct diff_map *d = &m[n];

			d->shift = kind == 0 ? 21 : (kind == 1 || j == 1) ? 16 : 12;
			d->count = d->shift == 21 ? 1 : 1 + prandom_u32_state(&rnd) % 8;
			/* With both: 4 KiB pages in the first 1 MiB, 64 KiB in the second. */
			d->va = va + (kind == 3 && j == 1 ? SZ_1M : 0) +
				((u64)(prandom_u32_state(&rnd) % 8) << d->shift) % SZ_1M;
			d->phys = round_down(rnd64(&rnd) % (vram - SZ_2M),
					     1ULL << d->shift);
			diff_attrs(fmt, prandom_u32_state(&rnd), &d->attrs);
			KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(env->pt, d->va,
								       (u64)d->count << d->shift,
								       d->shift), 0);
			ret = novamm_test_pt_map(env->pt, d->va, d->count, d->shift,
						 d->phys, &d->attrs);
			KUNIT_ASSERT_EQ(test, ret, 0);
			n++;
		}
	}
	KUNIT_EXPECT_EQ(test, table_reads(env), 0ULL);
	kunit_info(test, "%u mappings in %u tables, %u pool chunks\n", n,
		   env->pt->num_tables, env->pt->pool.num_chunks);

	/* Every page of every mapping, at a random offset. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < m[i].count; j++) {
			va = m[i].va + ((u64)j << m[i].shift) +
			     (prandom_u32_state(&rnd) & ((1U << m[i].shift) - 1));
			expect = m[i].phys + (va - m[i].va);
			mismatch += !diff_agree(test, env, va);
			KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(env->pt, va, &map), 0);
			mismatch += map.phys != expect ||
				    map.page_size != 1ULL << m[i].shift;
			checked++;
		}
	}
	/* Addresses anywhere, mostly unmapped. */
	for (i = 0; i < 4 * DIFF_MAPPINGS; i++) {
		va = rnd64(&rnd) & (BIT_ULL(fmt->va_bits) - 1);
		if (i & 1)
			va = region[i % DIFF_REGIONS] + (rnd64(&rnd) & (SZ_1G - 1));
		mismatch += !diff_agree(test, env, va);
		KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(env->pt, va, &map), 0);
		unmapped += map.state != NOVAMM_PT_VALID;
	}
	kunit_info(test, "%u mapped pages and %u addresses compared, %u of them unmapped\n",
		   checked, 4 * DIFF_MAPPINGS, unmapped);
	KUNIT_EXPECT_EQ(test, mismatch, 0U);
	KUNIT_EXPECT_GT(test, unmapped, (unsigned int)DIFF_MAPPINGS);

	/*
	 * Every other mapping cleared and its empty tables taken out; after
	 * the invalidate the sim walks the result: cleared pages fault, the
	 * others still translate, and the shadow agrees on each.
	 */
	tables = env->pt->num_tables;
	for (i = 0; i < n; i += 2)
		KUNIT_ASSERT_EQ(test, novamm_pagetable_clear(env->pt, m[i].va, m[i].count,
							     m[i].shift), 0);
	freed = novamm_pagetable_free_empty(env->pt, 0, U64_MAX);
	KUNIT_ASSERT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0), 0);
	KUNIT_EXPECT_EQ(test, novamm_pagetable_release(env->pt), freed);
	KUNIT_EXPECT_EQ(test, env->pt->num_tables, tables - freed);
	KUNIT_EXPECT_GT(test, freed, 0U);
	mismatch = 0;
	for (i = 0; i < n; i++) {
		va = m[i].va + (prandom_u32_state(&rnd) & ((1U << m[i].shift) - 1));
		mismatch += !diff_agree(test, env, va);
		KUNIT_ASSERT_EQ(test, novamm_pagetable_lookup(env->pt, va, &map), 0);
		mismatch += (map.state == NOVAMM_PT_VALID) != (i & 1);
	}
	kunit_info(test, "%u of %u tables freed after clearing half the mappings\n", freed,
		   tables);
	KUNIT_EXPECT_EQ(test, mismatch, 0U);
	KUNIT_EXPECT_EQ(test, table_reads(env), 0ULL);
}

static struct kunit_case novamm_pagetable_cases[] = {
	KUNIT_CASE_PARAM(pt_golden, golden_gen_params),
	KUNIT_CASE_PARAM(pt_round_trip, format_gen_params),
	KUNIT_CASE_PARAM(pt_tables, chip_gen_params),
	KUNIT_CASE_PARAM(pt_refused, chip_gen_params),
	KUNIT_CASE_PARAM(pt_update, chip_gen_params),
	KUNIT_CASE_PARAM(pt_spare, chip_gen_params),
	KUNIT_CASE(pt_large_pages),
	KUNIT_CASE(pt_huge_pages),
	KUNIT_CASE(pt_dump),
	KUNIT_CASE_PARAM(pt_differential, chip_gen_params),
	{}
};

static struct kunit_suite novamm_pagetable_suite = {
	.name = "novamm_pagetable",
	.test_cases = novamm_pagetable_cases,
};

kunit_test_suite(novamm_pagetable_suite);
