// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_vmm: address spaces on simulated GA102 and GH100
 * GPUs, checked through the shadow and through the sim's MMU and TLB.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/maple_tree.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/buddy.h>
#include <novamm/core.h>
#include <novamm/sim.h>
#include <novamm/vmm.h>

#include "helpers.h"

static ulong vmm_test_seed;
module_param(vmm_test_seed, ulong, 0444);
MODULE_PARM_DESC(vmm_test_seed, "seed of the KUnit VMM random run, 0 for the fixed one");

/* ---- page-size choice --------------------------------------------------- */

struct shift_case {
	const struct novamm_pt_format *fmt;
	u64 va, pa, len;
	unsigned int shift;
};

/* Not SZ_256G: later kernels define it in sizes.h, 6.1 does not. */
#define T_256G		(256ULL * SZ_1G)

/*
 * 4 KiB, 64 KiB and 2 MiB pages everywhere; 512 MiB from GA100 on, not on
 * Turing; 256 GiB on Blackwell, not on Hopper.
 */
static const struct shift_case shift_cases[] = {
	{ &novamm_pt_v2_ga100, 0, 0, SZ_2M, 21 },
	{ &novamm_pt_v2_ga100, SZ_2M, SZ_4M, SZ_2M, 21 },
	{ &novamm_pt_v2_ga100, 0, 0, SZ_2M - SZ_4K, 16 },
	{ &novamm_pt_v2_ga100, 0, SZ_64K, SZ_2M, 16 },
	{ &novamm_pt_v2_ga100, SZ_64K, SZ_2M + SZ_64K, SZ_64K, 16 },
	{ &novamm_pt_v2_ga100, 0, 0, SZ_64K, 16 },
	{ &novamm_pt_v2_ga100, 0, 0, SZ_64K - SZ_4K, 12 },
	{ &novamm_pt_v2_ga100, SZ_4K, SZ_4K, SZ_2M, 12 },
	{ &novamm_pt_v2_ga100, SZ_2M, SZ_4M + SZ_4K, SZ_2M, 12 },
	{ &novamm_pt_v2_ga100, 0, 0, SZ_4K, 12 },
	{ &novamm_pt_v2_ga100, 0, 0, SZ_512M, 29 },
	{ &novamm_pt_v2_ga100, SZ_512M, SZ_1G, SZ_1G, 29 },
	{ &novamm_pt_v2_ga100, 0, SZ_2M, SZ_1G, 21 },
	{ &novamm_pt_v2_ga100, 0, 0, SZ_512M - SZ_2M, 21 },
	{ &novamm_pt_v2_tu102, 0, 0, SZ_512M, 21 },
	{ &novamm_pt_v2_tu102, SZ_512M, SZ_1G, SZ_1G, 21 },
	{ &novamm_pt_v3_gh100, 0, 0, SZ_512M, 29 },
	{ &novamm_pt_v3_gh100, 0, 0, T_256G, 29 },
	{ &novamm_pt_v3_gh100, 0, 0, SZ_4K, 12 },
	{ &novamm_pt_v3_gb100, 0, 0, T_256G, 38 },
	{ &novamm_pt_v3_gb100, T_256G, 2 * T_256G, T_256G, 38 },
	{ &novamm_pt_v3_gb100, 0, SZ_512M, T_256G, 29 },
	{ &novamm_pt_v3_gb100, 0, 0, T_256G - SZ_512M, 29 },
	{ &novamm_pt_v3_gb100, 0, 0, SZ_2M, 21 },
};

static void vmm_page_shift_table(struct kunit *test)
{
	const struct shift_case *c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shift_cases); i++) {
		c = &shift_cases[i];
		KUNIT_EXPECT_EQ_MSG(test, novamm_vmm_page_shift(c->fmt, c->va, c->pa, c->len),
				    c->shift, "case %u (%s)", i, c->fmt->name);
	}
}

/* ---- on a simulated GPU -------------------------------------------------- */

static const char * const vmm_chips[] = { "GA102", "GH100" };

static void vmm_chip_desc(const char * const *chip, char *desc)
{
	strscpy(desc, *chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vmm_chip, vmm_chips, vmm_chip_desc);

struct vmm_env {
	struct novamm_test_dev *td;
	struct novamm_mm *mm;
	struct novamm_vmm *vmm;
};

static void vmm_test_exit(struct kunit *test)
{
	struct vmm_env *env = test->priv;

	if (env)
		novamm_vmm_destroy(env->vmm);
}

static struct vmm_env *vmm_env(struct kunit *test, u64 vram, u64 va_size)
{
	struct vmm_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	const char *chip = *(const char * const *)test->param_value;

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->td = novamm_test_dev_new(test, chip, vram);
	env->mm = &env->td->ndev.mm;
	env->vmm = novamm_vmm_create(env->mm, novamm_chip_mmu_version(env->td->ndev.chip->arch), 0,
				     va_size, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->vmm));
	test->priv = env;
	env->mm->tlb.timeout_us = 2000;
	novamm_sim_reset_counters(env->td->sim);
	return env;
}

/* The sim's MMU, through its TLB, as the GPU sees the address now. */
static int sim_sees(struct vmm_env *env, u64 va, u64 *pa, u64 *page_size)
{
	struct novamm_sim_translation t;
	int ret;

	ret = novamm_sim_translate(env->td->sim, novamm_vmm_pdb(env->vmm), va, 0, &t);
	*pa = t.pa;
	*page_size = t.page_size;
	return ret;
}

/*
 * 4K + 64K + 2M + 64K + 4K, with VA and PA equal modulo 2 MiB: each piece
 * gets the largest page it allows, the GPU sees all of it after the one
 * invalidate and none of it after unmap.
 */
static void vmm_map_unmap(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_1G);
	u64 va = SZ_2M - SZ_64K - SZ_4K, pa = SZ_4M - SZ_64K - SZ_4K;
	u64 size = SZ_4K + SZ_64K + SZ_2M + SZ_64K + SZ_4K, got, page;
	struct novamm_phys_range r = { pa, size };
	static const struct { u64 off, page; } at[] = {
		{ 0, SZ_4K }, { SZ_4K, SZ_64K }, { SZ_4K + SZ_64K, SZ_2M },
		{ SZ_4K + SZ_64K + SZ_2M, SZ_64K }, { SZ_4K + 2 * SZ_64K + SZ_2M, SZ_4K },
	};
	struct novamm_vram_stats before, after;
	struct novamm_sim_counters cnt;
	struct novamm_pt_mapping map;
	unsigned int i;

	novamm_vram_stats(&env->mm->buddy, &before);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		KUNIT_ASSERT_EQ(test, novamm_vmm_lookup(env->vmm, va + at[i].off + 8, &map), 0);
		KUNIT_EXPECT_EQ_MSG(test, map.phys, pa + at[i].off + 8, "piece %u", i);
		KUNIT_EXPECT_EQ_MSG(test, map.page_size, at[i].page, "piece %u", i);
		KUNIT_EXPECT_EQ(test, sim_sees(env, va + at[i].off + 8, &got, &page), 0);
		KUNIT_EXPECT_EQ_MSG(test, got, pa + at[i].off + 8, "piece %u", i);
		KUNIT_EXPECT_EQ_MSG(test, page, at[i].page, "piece %u", i);
	}
	KUNIT_EXPECT_EQ(test, env->vmm->mapped, size);

	KUNIT_ASSERT_EQ(test, novamm_vmm_unmap(env->vmm, va, size), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 2ULL);
	/* Cached above, gone now: the invalidate came before anything was freed. */
	for (i = 0; i < ARRAY_SIZE(at); i++)
		KUNIT_EXPECT_EQ_MSG(test, sim_sees(env, va + at[i].off, &got, &page), -EFAULT,
				    "piece %u", i);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, 1U);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_retired, 0U);
	KUNIT_EXPECT_EQ(test, env->vmm->mapped, 0ULL);
	novamm_vram_stats(&env->mm->buddy, &after);
	KUNIT_EXPECT_EQ(test, after.free, before.free);
	KUNIT_EXPECT_NULL(test, mtree_load(&env->vmm->va, va));
	novamm_sim_counters(env->td->sim, &cnt);
	/*
	 * Each invalidate's two status reads, and its flush's: two of
	 * FB_FLUSH on GA102, three on GH100 (the read that starts it, then
	 * COMPLETED twice). Nothing read a table.
	 */
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads,
			novamm_chip_mmu_version(env->td->ndev.chip->arch) == 2 ? 8ULL : 10ULL);
	KUNIT_EXPECT_EQ(test, cnt.pramin_reads, 0ULL);
	KUNIT_EXPECT_EQ(test, cnt.fb_flushes, 2ULL);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_unflushed, 0ULL);
}

struct flags_case {
	const char *chip;
	bool hub;
};

static const struct flags_case flags_cases[] = {
	{ "TU102", false }, { "TU102", true }, { "GA102", false }, { "GA102", true },
	{ "GH100", false }, { "GH100", true }, { "GB202", false }, { "GB202", true },
};

static void flags_desc(const struct flags_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %s", c->chip,
		 c->hub ? "hub (BAR) address space" : "engine address space");
}

KUNIT_ARRAY_PARAM(flags, flags_cases, flags_desc);

/* One logged invalidate, field by field (NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE). */
static void expect_invalidate(struct kunit *test, struct novamm_sim *sim, u64 pdb,
			      bool hub, bool downgrade)
{
	struct novamm_sim_invalidate e;

	KUNIT_ASSERT_EQ(test, novamm_sim_invalidates(sim, &e, 1), 1);
	KUNIT_EXPECT_EQ(test, e.pdb, pdb);
	KUNIT_EXPECT_FALSE(test, e.pdb_sysmem);
	KUNIT_EXPECT_TRUE(test, e.all_va);
	KUNIT_EXPECT_FALSE(test, e.all_pdb);
	KUNIT_EXPECT_EQ(test, e.hub_only, hub);
	/* RM adds SYS_MEMBAR and ACK_GLOBALLY (1) when entries go or tighten. */
	KUNIT_EXPECT_EQ(test, e.sys_membar, downgrade);
	KUNIT_EXPECT_EQ(test, e.ack, downgrade ? 1 : 0);
	KUNIT_EXPECT_EQ(test, e.cache_level, 0);
	KUNIT_EXPECT_FALSE(test, e.ignored);
	/* TRIGGER 31, ACK 8:7, SYS_MEMBAR 6, HUBTLB_ONLY 2, ALL_VA 0. */
	KUNIT_EXPECT_EQ(test, e.value, 0x80000001 | (hub ? 0x4 : 0) | (downgrade ? 0xc0 : 0));
	novamm_sim_clear_invalidates(sim);
}

/*
 * What each invalidate asks for, as the sim logged it: a map only ALL_VA;
 * an unmap SYS_MEMBAR and ACK_GLOBALLY too, on every generation;
 * HUBTLB_ONLY for address spaces of hub clients (BAR1) and no other. The
 * GPC TLB shows why: an engine's translation goes with an engine address
 * space's unmap, and stays (stale) after a hub-only one.
 */
static void vmm_invalidate_flags(struct kunit *test)
{
	const struct flags_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_new(test, c->chip, SZ_64M);
	struct novamm_mm *mm = &td->ndev.mm;
	struct novamm_sim_translation t;
	struct novamm_phys_range r = { SZ_16M, SZ_2M };
	struct novamm_vmm *vmm;
	u64 va = SZ_1G, pdb;

	vmm = novamm_vmm_create(mm, novamm_chip_mmu_version(td->ndev.chip->arch), 0, SZ_4G,
				c->hub ? NOVAMM_VMM_HUB : 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vmm));
	test->priv = kunit_kzalloc(test, sizeof(struct vmm_env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, test->priv);
	((struct vmm_env *)test->priv)->vmm = vmm;
	pdb = novamm_vmm_pdb(vmm);
	novamm_sim_clear_invalidates(td->sim);

	KUNIT_ASSERT_EQ(test, novamm_vmm_map(vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	expect_invalidate(test, td->sim, pdb, c->hub, false);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(td->sim, pdb, va + 8, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, SZ_16M + 8);
	KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(td->sim, pdb, va + 8, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, SZ_16M + 8);

	KUNIT_ASSERT_EQ(test, novamm_vmm_unmap(vmm, va, SZ_2M), 0);
	expect_invalidate(test, td->sim, pdb, c->hub, true);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(td->sim, pdb, va + 8, 0, &t), -EFAULT);
	if (c->hub) {
		KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(td->sim, pdb, va + 8, 0, &t), 0);
		KUNIT_EXPECT_TRUE(test, t.from_tlb);
	} else {
		KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(td->sim, pdb, va + 8, 0, &t),
				-EFAULT);
	}
}

/* A VRAM allocation, at a VA the VMM picks: aligned for 2 MiB pages. */
static void vmm_map_vram(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_1G);
	struct novamm_vram_place p = { .min_block = SZ_2M };
	struct novamm_pt_mapping map;
	struct novamm_vram *vram;
	u64 va = 0;

	vram = novamm_vram_alloc(&env->mm->buddy, SZ_8M, 0, &p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	KUNIT_ASSERT_EQ(test, novamm_vmm_map_vram(env->vmm, &va, vram, NOVAMM_VMM_MAP_READ_ONLY,
						  NULL),
			0);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(va, SZ_2M));
	KUNIT_ASSERT_EQ(test, novamm_vmm_lookup(env->vmm, va + SZ_4M + 0x10, &map), 0);
	KUNIT_EXPECT_EQ(test, map.page_size, (u64)SZ_2M);
	KUNIT_EXPECT_TRUE(test, map.attrs.read_only);
	KUNIT_ASSERT_EQ(test, novamm_vmm_unmap(env->vmm, va, SZ_8M), 0);
	novamm_vram_free(vram);
}

/*
 * The address space as its callers' registry: the owner given with a
 * mapping is found at the address the mapping starts at and nowhere
 * else, mappings without one are passed over, the walk goes by address
 * whatever the order of mapping, and an unmapped range's owner is gone.
 */
static void vmm_owners(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_1G);
	struct novamm_phys_range plain = { .addr = SZ_32M, .size = SZ_64K };
	int owner_a, owner_b;
	struct novamm_vram *a, *b;
	u64 va_a = SZ_8M, va_b = SZ_2M, va_plain = SZ_4M, va;

	a = novamm_vram_alloc(&env->mm->buddy, SZ_64K, 0, NULL);
	b = novamm_vram_alloc(&env->mm->buddy, SZ_4K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_ASSERT_EQ(test, novamm_vmm_map_vram(env->vmm, &va_a, a, NOVAMM_VMM_MAP_FIXED,
						  &owner_a), 0);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &va_plain, &plain, 1,
					     NOVAMM_VMM_MAP_FIXED), 0);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map_vram(env->vmm, &va_b, b, NOVAMM_VMM_MAP_FIXED,
						  &owner_b), 0);

	KUNIT_EXPECT_PTR_EQ(test, novamm_vmm_owner(env->vmm, SZ_8M), &owner_a);
	KUNIT_EXPECT_PTR_EQ(test, novamm_vmm_owner(env->vmm, SZ_2M), &owner_b);
	KUNIT_EXPECT_NULL(test, novamm_vmm_owner(env->vmm, SZ_8M + SZ_4K));
	KUNIT_EXPECT_NULL(test, novamm_vmm_owner(env->vmm, SZ_4M));
	KUNIT_EXPECT_NULL(test, novamm_vmm_owner(env->vmm, 0));
	KUNIT_EXPECT_TRUE(test, novamm_vmm_has_owner(env->vmm, &owner_a));
	KUNIT_EXPECT_TRUE(test, novamm_vmm_has_owner(env->vmm, &owner_b));
	/* Not an owner here: found by its address alone. */
	KUNIT_EXPECT_FALSE(test, novamm_vmm_has_owner(env->vmm, &va));
	KUNIT_EXPECT_FALSE(test, novamm_vmm_has_owner(env->vmm, NULL));

	va = 0;
	KUNIT_EXPECT_PTR_EQ(test, novamm_vmm_next_owner(env->vmm, &va), &owner_b);
	KUNIT_EXPECT_EQ(test, va, (u64)SZ_2M);
	va = SZ_2M + 1;
	KUNIT_EXPECT_PTR_EQ(test, novamm_vmm_next_owner(env->vmm, &va), &owner_a);
	KUNIT_EXPECT_EQ(test, va, (u64)SZ_8M);
	va = SZ_8M + SZ_4K;
	KUNIT_EXPECT_NULL(test, novamm_vmm_next_owner(env->vmm, &va));
	KUNIT_EXPECT_EQ(test, va, (u64)SZ_8M + SZ_4K);

	KUNIT_ASSERT_EQ(test, novamm_vmm_unmap(env->vmm, SZ_2M, SZ_4K), 0);
	KUNIT_EXPECT_NULL(test, novamm_vmm_owner(env->vmm, SZ_2M));
	KUNIT_EXPECT_FALSE(test, novamm_vmm_has_owner(env->vmm, &owner_b));
	KUNIT_EXPECT_TRUE(test, novamm_vmm_has_owner(env->vmm, &owner_a));
	va = 0;
	KUNIT_EXPECT_PTR_EQ(test, novamm_vmm_next_owner(env->vmm, &va), &owner_a);
	KUNIT_EXPECT_EQ(test, va, (u64)SZ_8M);

	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, SZ_8M, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, SZ_4M, SZ_64K), 0);
	va = 0;
	KUNIT_EXPECT_NULL(test, novamm_vmm_next_owner(env->vmm, &va));
	novamm_vram_free(a);
	novamm_vram_free(b);
}

/*
 * Mappings that allow the geometry's largest pages get them, as the MMU
 * walks them: a 2 MiB piece, then 512 MiB pages where VA and PA are
 * 512 MiB aligned (2 MiB pages on Turing, which has none), then a 2 MiB
 * piece; on Blackwell, a 512 MiB piece and a 256 GiB page at PD2 (on
 * sparse VRAM of 512 GiB, the sim's most, to hold it). One invalidate
 * each way, and nothing left after unmap.
 */
struct large_case {
	const char *chip;
	u64 vram, va, pa, size;
	/* Offsets into the mapping and the page each must be in. */
	struct { u64 off, page; } at[3];
};

static const struct large_case large_cases[] = {
	{ "TU102", SZ_4G, SZ_512M - SZ_2M, SZ_1G - SZ_2M, SZ_1G + SZ_4M,
	  { { 0, SZ_2M }, { SZ_2M, SZ_2M }, { SZ_1G + SZ_2M, SZ_2M } } },
	{ "GA102", SZ_4G, SZ_512M - SZ_2M, SZ_1G - SZ_2M, SZ_1G + SZ_4M,
	  { { 0, SZ_2M }, { SZ_2M, SZ_512M }, { SZ_1G + SZ_2M, SZ_2M } } },
	{ "GH100", SZ_4G, SZ_512M - SZ_2M, SZ_1G - SZ_2M, SZ_1G + SZ_4M,
	  { { 0, SZ_2M }, { SZ_2M + SZ_512M, SZ_512M }, { SZ_1G + SZ_2M, SZ_2M } } },
	{ "GB202", 2 * T_256G, T_256G - SZ_512M, T_256G - SZ_512M, T_256G + SZ_512M,
	  { { 0, SZ_512M }, { SZ_512M + SZ_2G, T_256G }, { T_256G, T_256G } } },
};

static void large_desc(const struct large_case *c, char *desc)
{
	strscpy(desc, c->chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(large, large_cases, large_desc);

static void vmm_large_pages(struct kunit *test)
{
	const struct large_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_new(test, c->chip, c->vram);
	struct novamm_phys_range r = { c->pa, c->size };
	struct novamm_sim_translation t;
	struct novamm_sim_counters cnt;
	struct novamm_pt_mapping map;
	struct novamm_vmm *vmm;
	u64 va = c->va, at;
	unsigned int i;

	vmm = novamm_vmm_create(&td->ndev.mm, novamm_chip_mmu_version(td->ndev.chip->arch), 0,
				4 * T_256G, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vmm));
	novamm_sim_reset_counters(td->sim);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	for (i = 0; i < ARRAY_SIZE(c->at); i++) {
		at = c->va + c->at[i].off + 8;
		KUNIT_EXPECT_EQ_MSG(test, novamm_vmm_lookup(vmm, at, &map), 0, "at %u", i);
		KUNIT_EXPECT_EQ_MSG(test, map.page_size, c->at[i].page, "at %u", i);
		KUNIT_EXPECT_EQ_MSG(test, novamm_sim_translate(td->sim, novamm_vmm_pdb(vmm), at,
							       0, &t), 0, "at %u", i);
		KUNIT_EXPECT_EQ_MSG(test, t.pa, c->pa + c->at[i].off + 8, "at %u", i);
		KUNIT_EXPECT_EQ_MSG(test, t.page_size, c->at[i].page, "at %u", i);
	}
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(vmm, c->va, c->size), 0);
	at = c->va + c->at[1].off + 8;
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(td->sim, novamm_vmm_pdb(vmm), at, 0, &t),
			-EFAULT);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 2ULL);
	KUNIT_EXPECT_EQ(test, vmm->pt.num_tables, 1U);
	novamm_vmm_destroy(vmm);
}

static void vmm_refused(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_1G);
	struct novamm_phys_range r = { 0, SZ_64K }, bad = { SZ_4K + 8, SZ_4K };
	struct novamm_sim_counters cnt;
	unsigned int version;
	u64 va = SZ_1M, other;

	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	other = SZ_1M + SZ_32K;
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &other, &r, 1, NOVAMM_VMM_MAP_FIXED),
			-EEXIST);
	other = SZ_1G - SZ_32K;
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &other, &r, 1, NOVAMM_VMM_MAP_FIXED),
			-ERANGE);
	other = SZ_2M + 8;
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &other, &r, 1, NOVAMM_VMM_MAP_FIXED),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &other, &bad, 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &other, &r, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &other, &r, 1, BIT(7)), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, va, SZ_4K), -ENOENT);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, va + SZ_4K, SZ_64K), -ENOENT);
	KUNIT_EXPECT_TRUE(test, IS_ERR(novamm_vmm_create(env->mm, 5, 0, SZ_1G, 0)));
	version = env->mm->pt_format->codec->version;
	KUNIT_EXPECT_TRUE(test, IS_ERR(novamm_vmm_create(env->mm, version, SZ_4K + 8, SZ_1G, 0)));
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	KUNIT_ASSERT_EQ(test, novamm_vmm_unmap(env->vmm, va, SZ_64K), 0);
}

/*
 * The lowest free range that holds a mapping at its pages' alignment is
 * found even when it is exactly the mapping's size; nothing larger is.
 */
static void vmm_va_exact_fit(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_8M);
	struct novamm_phys_range big = { 0, SZ_2M }, small = { SZ_4M, SZ_4K };
	u64 va = SZ_4K, got[3], low, next;
	unsigned int i;

	/* Free VA: [0, 4K) and [8K, 8M). */
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &va, &small, 1, NOVAMM_VMM_MAP_FIXED), 0);
	/* 2 MiB pages at 2M, 4M and 6M: the last ends exactly at the end of VA. */
	for (i = 0; i < ARRAY_SIZE(got); i++) {
		KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &got[i], &big, 1, 0), 0);
		KUNIT_EXPECT_EQ(test, got[i], (u64)(i + 1) * SZ_2M);
	}
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &next, &big, 1, 0), -ENOSPC);
	/* Small pages still fit below, in the lowest gaps. */
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &low, &small, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, low, 0);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &next, &small, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, next, SZ_8K);

	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, va, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, low, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, next, SZ_4K), 0);
	for (i = 0; i < ARRAY_SIZE(got); i++)
		KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, got[i], SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, env->vmm->mapped, 0);
}

/* An invalidate that never completes: each call fails and changes nothing. */
static void vmm_invalidate_timeout(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_1G);
	struct novamm_sim_inject inj = { .invalidate_polls = U32_MAX, .bind_polls = 1 };
	struct novamm_phys_range r = { SZ_2M, SZ_2M + SZ_64K };
	struct novamm_vram_stats start, now;
	struct novamm_pt_mapping map;
	u64 va = SZ_4M, kept = SZ_64M, got, page;
	unsigned int tables;

	novamm_vram_stats(&env->mm->buddy, &start);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &kept, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	tables = env->vmm->pt.num_tables;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(env->td->sim, &inj), 0);

	/* The new tables were linked: they wait for an invalidate that completes. */
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED),
			-ETIMEDOUT);
	KUNIT_EXPECT_NULL(test, mtree_load(&env->vmm->va, va));
	KUNIT_ASSERT_EQ(test, novamm_vmm_lookup(env->vmm, va, &map), 0);
	KUNIT_EXPECT_NE(test, map.state, NOVAMM_PT_VALID);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, tables);
	/* The 64 KiB page's PT_BIG, the one table the failed map added. */
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_retired, 1U);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_unlinked, 0U);
	KUNIT_EXPECT_EQ(test, env->vmm->mapped, (u64)r.size);

	/* An unmap that cannot be confirmed puts the mapping back. */
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, kept, r.size), -ETIMEDOUT);
	KUNIT_ASSERT_EQ(test, novamm_vmm_lookup(env->vmm, kept + SZ_2M + 8, &map), 0);
	KUNIT_EXPECT_EQ(test, map.state, NOVAMM_PT_VALID);
	KUNIT_EXPECT_EQ(test, map.phys, (u64)SZ_4M + 8);
	KUNIT_EXPECT_NOT_NULL(test, mtree_load(&env->vmm->va, kept));
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, tables);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_unlinked, 0U);
	KUNIT_EXPECT_EQ(test, sim_sees(env, kept + SZ_2M + 8, &got, &page), 0);
	KUNIT_EXPECT_EQ(test, got, (u64)SZ_4M + 8);
	KUNIT_EXPECT_EQ(test, page, (u64)SZ_64K);

	/* The GPU recovers: the next unmap completes and frees everything. */
	inj.invalidate_polls = 1;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(env->td->sim, &inj), 0);
#ifdef CONFIG_FAULT_INJECTION
	/*
	 * But a map that fails before it writes anything invalidates
	 * nothing: the table still waiting for an invalidate stays, at
	 * every point where the map runs out of memory.
	 */
	{
		unsigned int n, left;
		int ret;

		novamm_test_fault_quiet(test, env->mm);
		for (n = 1; n <= 64; n++) {
			current->fail_nth = n;
			ret = novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED);
			left = current->fail_nth;
			current->fail_nth = 0;
			if (left || ret != -ENOMEM)
				break;
			KUNIT_EXPECT_EQ_MSG(test, env->vmm->pt.num_retired, 1U, "point %u", n);
		}
		/* The record, the VA tree, and the shadow of the new PT_BIG. */
		KUNIT_EXPECT_GE(test, n, 4U);
		if (!ret)
			KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, va, r.size), 0);
	}
#endif
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, kept, r.size), 0);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_retired, 0U);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, 1U);
	KUNIT_EXPECT_EQ(test, env->vmm->mapped, 0ULL);
	novamm_vram_stats(&env->mm->buddy, &now);
	KUNIT_EXPECT_EQ(test, now.free, start.free);
	KUNIT_EXPECT_EQ(test, sim_sees(env, kept + SZ_2M + 8, &got, &page), -EFAULT);
}

/*
 * VRAM runs out while tables are allocated: the map fails with -ENOSPC and
 * leaves tables, VRAM and VA as they were.
 */
static void vmm_out_of_vram(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_16M, 1ULL << 36);
	struct novamm_phys_range r = { 0, SZ_4K };
	struct novamm_sim_counters cnt;
	struct novamm_vram_stats st;
	struct novamm_vram *rest;
	struct novamm_pt_mapping map;
	unsigned int tables, n = 0;
	u64 va;
	int ret;

	/* Some 500 page tables written whole through PRAMIN. */
	novamm_test_full_size(test);
	novamm_vram_stats(&env->mm->buddy, &st);
	rest = novamm_vram_alloc(&env->mm->buddy, st.free, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rest));
	/* One 4 KiB page per 2 MiB slot: a page table each, until the pool is full. */
	do {
		va = (u64)n * SZ_2M;
		novamm_sim_reset_counters(env->td->sim);
		ret = novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED);
		n++;
	} while (!ret && n < 1024);
	KUNIT_ASSERT_EQ(test, ret, -ENOSPC);
	/* It failed allocating: the GPU was shown nothing, so nothing to invalidate. */
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0ULL);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 0ULL);
	KUNIT_EXPECT_GT(test, n, 400U);
	tables = env->vmm->pt.num_tables;
	KUNIT_EXPECT_NULL(test, mtree_load(&env->vmm->va, va));
	KUNIT_ASSERT_EQ(test, novamm_vmm_lookup(env->vmm, va, &map), 0);
	KUNIT_EXPECT_NE(test, map.state, NOVAMM_PT_VALID);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_retired, 0U);
	novamm_vram_stats(&env->mm->buddy, &st);
	KUNIT_EXPECT_EQ(test, st.free, 0ULL);

	/* Freeing VRAM lets the same map through. */
	novamm_vram_free(rest);
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, tables + 1);
}

/*
 * Fault injection: every allocation and wait of an operation failed in
 * turn, through the kernel's fault-injection framework. After each
 * failure the address space must be as it was, seen through the sim:
 * the tables the MMU walks, past every TLB; VRAM itself where nothing
 * may have been written; the allocator, the table pool, the VA tree.
 */
struct vmm_fault_ctx {
	struct vmm_env *env;
	struct novamm_phys_range b;
	u64 va_a, va_b;
	bool unmap;
	struct novamm_vram_stats vram;
	unsigned int tables, chunks;
	u64 mapped;
	u32 crc;
	struct novamm_test_view view;
};

static void vmm_fault_snapshot(struct kunit *test, struct vmm_fault_ctx *c)
{
	struct vmm_env *env = c->env;
	/* b page by page, its 1 GiB by 2 MiB, and the mapping beside it. */
	struct novamm_test_span spans[] = {
		{ c->va_b, c->b.size, SZ_4K },
		{ ALIGN_DOWN(c->va_b, SZ_1G), SZ_1G, SZ_2M },
		{ c->va_a, SZ_64K, SZ_4K },
	};

	novamm_vram_stats(&env->mm->buddy, &c->vram);
	c->tables = env->vmm->pt.num_tables;
	c->chunks = env->vmm->pt.pool.num_chunks;
	c->mapped = env->vmm->mapped;
	c->crc = novamm_test_vram_crc(test, env->td);
	novamm_test_view_take(test, env->td, novamm_vmm_pdb(env->vmm), spans,
			      ARRAY_SIZE(spans), &c->view);
	novamm_sim_reset_counters(env->td->sim);
}

static int vmm_fault_op(void *ctx)
{
	struct vmm_fault_ctx *c = ctx;
	u64 va = c->va_b;

	if (c->unmap)
		return novamm_vmm_unmap(c->env->vmm, c->va_b, c->b.size);
	return novamm_vmm_map(c->env->vmm, &va, &c->b, 1, NOVAMM_VMM_MAP_FIXED);
}

static void vmm_fault_check(struct kunit *test, void *ctx, unsigned int n, int ret)
{
	struct vmm_fault_ctx *c = ctx;
	struct vmm_env *env = c->env;
	struct novamm_sim_counters cnt;
	struct novamm_vram_stats now;

	KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -ETIMEDOUT,
			      "point %u: %d", n, ret);
	novamm_sim_counters(env->td->sim, &cnt);
	/* An allocation fails before the GPU is shown anything. */
	if (ret == -ENOMEM) {
		KUNIT_EXPECT_EQ_MSG(test, cnt.mmio_writes, 0ULL, "point %u", n);
		KUNIT_EXPECT_EQ_MSG(test, cnt.invalidates, 0ULL, "point %u", n);
		KUNIT_EXPECT_EQ_MSG(test, novamm_test_vram_crc(test, env->td), c->crc,
				    "point %u: VRAM changed", n);
	}
	novamm_vram_stats(&env->mm->buddy, &now);
	KUNIT_EXPECT_EQ_MSG(test, now.free, c->vram.free, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, now.allocations, c->vram.allocations, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, env->vmm->pt.num_tables, c->tables, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, env->vmm->pt.pool.num_chunks, c->chunks, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, env->vmm->pt.num_fresh, 0U, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, env->vmm->mapped, c->mapped, "point %u", n);
	if (c->unmap)
		KUNIT_EXPECT_NOT_NULL_MSG(test, mtree_load(&env->vmm->va, c->va_b), "point %u", n);
	else
		KUNIT_EXPECT_NULL_MSG(test, mtree_load(&env->vmm->va, c->va_b), "point %u", n);
	novamm_test_view_expect(test, env->td, novamm_vmm_pdb(env->vmm), &c->view, n);
	novamm_sim_reset_counters(env->td->sim);
}

/*
 * A map of 4K + 64K | 2M | 64K + 4K over three PD0 entries of a new PD0,
 * beside a mapping that stays, failed at each of its points; then its
 * unmap likewise, each failure leaving the mapping whole.
 */
static void vmm_map_faults(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_4G);
	struct novamm_phys_range a = { SZ_8M, SZ_64K };
	struct vmm_fault_ctx c = {
		.env = env,
		.b = { SZ_4M - SZ_64K - SZ_4K, SZ_2M + 2 * (SZ_64K + SZ_4K) },
		.va_a = SZ_1M,
		.va_b = SZ_1G + SZ_2M - SZ_64K - SZ_4K,
	};
	unsigned int points;
	u64 got, page;

	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &c.va_a, &a, 1, NOVAMM_VMM_MAP_FIXED), 0);
	novamm_test_fault_quiet(test, env->mm);
	vmm_fault_snapshot(test, &c);
	points = novamm_test_fault_walk(test, vmm_fault_op, vmm_fault_check, &c);
	kunit_info(test, "map: %u fault points\n", points);
	/* At least the record, the VA tree, a table and the invalidate. */
	KUNIT_EXPECT_GE(test, points, 4U);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, c.tables + 5);
	KUNIT_EXPECT_EQ(test, sim_sees(env, c.va_b + SZ_4K + SZ_64K + 8, &got, &page), 0);
	KUNIT_EXPECT_EQ(test, got, (u64)SZ_4M + 8);
	KUNIT_EXPECT_EQ(test, page, (u64)SZ_2M);

	c.unmap = true;
	vmm_fault_snapshot(test, &c);
	points = novamm_test_fault_walk(test, vmm_fault_op, vmm_fault_check, &c);
	kunit_info(test, "unmap: %u fault points\n", points);
	/* The flush and the invalidate. */
	KUNIT_EXPECT_GE(test, points, 2U);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, c.tables - 5);
	KUNIT_EXPECT_NULL(test, mtree_load(&env->vmm->va, c.va_b));
	KUNIT_EXPECT_NE(test, sim_sees(env, c.va_b + SZ_4K + SZ_64K + 8, &got, &page), 0);
}

struct vmm_create_ctx {
	struct vmm_env *env;
	struct novamm_vram_stats vram;
	u32 crc;
	struct novamm_vmm *made;
};

static int vmm_create_op(void *ctx)
{
	struct vmm_create_ctx *c = ctx;
	struct novamm_mm *mm = c->env->mm;

	c->made = novamm_vmm_create(mm, mm->pt_format->codec->version, 0, SZ_1G, 0);
	return PTR_ERR_OR_ZERO(c->made);
}

static void vmm_create_check(struct kunit *test, void *ctx, unsigned int n, int ret)
{
	struct vmm_create_ctx *c = ctx;
	struct novamm_vram_stats now;

	/* The table window's chunk goes into BAR1 last, and waits for its invalidate. */
	KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -ETIMEDOUT, "point %u: %d", n, ret);
	novamm_vram_stats(&c->env->mm->buddy, &now);
	KUNIT_EXPECT_EQ_MSG(test, now.free, c->vram.free, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, now.allocations, c->vram.allocations, "point %u", n);
	if (ret == -ENOMEM)
		KUNIT_EXPECT_EQ_MSG(test, novamm_test_vram_crc(test, c->env->td), c->crc,
				    "point %u: VRAM changed", n);
}

/* An address space of its own: record, root table, table pool. */
static void vmm_create_faults(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_1G);
	struct vmm_create_ctx c = { .env = env };
	unsigned int points;

	novamm_test_fault_quiet(test, env->mm);
	novamm_vram_stats(&env->mm->buddy, &c.vram);
	c.crc = novamm_test_vram_crc(test, env->td);
	points = novamm_test_fault_walk(test, vmm_create_op, vmm_create_check, &c);
	kunit_info(test, "create: %u fault points\n", points);
	KUNIT_EXPECT_GE(test, points, 2U);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c.made));
	novamm_vmm_destroy(c.made);
}

/* map_vram's list of ranges fails before anything else. */
static void vmm_map_vram_fault(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_4G);
	struct novamm_vram *vram;
	unsigned int tables = env->vmm->pt.num_tables;
	u64 va __maybe_unused = 0;

	novamm_test_fault_quiet(test, env->mm);
	vram = novamm_vram_alloc(&env->mm->buddy, SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
#ifdef CONFIG_FAULT_INJECTION
	current->fail_nth = 1;
	KUNIT_EXPECT_EQ(test, novamm_vmm_map_vram(env->vmm, &va, vram, 0, NULL), -ENOMEM);
	KUNIT_EXPECT_EQ(test, current->fail_nth, 0U);
	current->fail_nth = 0;
#endif
	KUNIT_EXPECT_EQ(test, env->vmm->mapped, 0ULL);
	novamm_vram_free(vram);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, tables);
}

/* ---- differential against a model of the address space ----------------- */

#define DIFF_OPS	10000
#define DIFF_LIVE	64
#define DIFF_VA		BIT_ULL(34)

struct model_map {
	u64 va, pa, size;
};

static const struct model_map *model_find(const struct model_map *m, unsigned int n, u64 va)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (va >= m[i].va && va - m[i].va < m[i].size)
			return &m[i];
	return NULL;
}

static bool model_overlaps(const struct model_map *m, unsigned int n, u64 va, u64 size)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (va < m[i].va + m[i].size && m[i].va < va + size)
			return true;
	return false;
}

static u64 rnd64(struct rnd_state *rnd)
{
	u64 hi = prandom_u32_state(rnd);

	return hi << 32 | prandom_u32_state(rnd);
}

static void vmm_differential(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_256M, DIFF_VA);
	u64 seed = vmm_test_seed ? vmm_test_seed : 0x766d6dULL;
	unsigned int i, n = 0, bad = 0, stale = 0, maps = 0, eexist = 0;
	struct novamm_vram_stats before, after;
	const struct model_map *hit;
	struct novamm_phys_range r;
	struct novamm_pt_mapping map;
	struct model_map *live;
	struct rnd_state rnd;
	u64 va, probe, got, page;
	int ret;
	u32 x;

	/* Thousands of operations, each checked against the sim. */
	novamm_test_full_size(test);

	live = kunit_kcalloc(test, DIFF_LIVE, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	kunit_info(test, "seed %llu (novamm_kunit.vmm_test_seed= to repeat)\n", seed);
	prandom_seed_state(&rnd, seed);
	novamm_vram_stats(&env->mm->buddy, &before);

	for (i = 0; i < DIFF_OPS; i++) {
		x = prandom_u32_state(&rnd);
		if (n && (n == DIFF_LIVE || (x & 1))) {
			x = (x >> 1) % n;
			/* In the sim's TLB before, faulting after: no stale entry. */
			bad += sim_sees(env, live[x].va, &got, &page) || got != live[x].pa;
			bad += novamm_vmm_unmap(env->vmm, live[x].va, live[x].size) != 0;
			stale += sim_sees(env, live[x].va, &got, &page) != -EFAULT;
			live[x] = live[--n];
		} else {
			/* Sizes and addresses with every alignment from 4 KiB to 2 MiB. */
			r.size = ((u64)(prandom_u32_state(&rnd) % 1024) + 1) * SZ_4K;
			r.addr = round_down(rnd64(&rnd) % (SZ_256M - r.size),
					    SZ_4K << (prandom_u32_state(&rnd) % 10));
			va = round_down(rnd64(&rnd) % (DIFF_VA - r.size),
					SZ_4K << (prandom_u32_state(&rnd) % 10));
			ret = novamm_vmm_map(env->vmm, &va, &r, 1,
					     (x & 2) ? NOVAMM_VMM_MAP_FIXED : 0);
			if ((x & 2) && model_overlaps(live, n, va, r.size)) {
				bad += ret != -EEXIST;
				eexist++;
			} else if (ret) {
				bad++;
			} else {
				bad += model_overlaps(live, n, va, r.size);
				live[n++] = (struct model_map){ va, r.addr, r.size };
				maps++;
				probe = rnd64(&rnd) % r.size;
				stale += sim_sees(env, va + probe, &got, &page) ||
					 got != r.addr + probe;
			}
		}
		/* One address in a live mapping, one anywhere. */
		if (n) {
			hit = &live[prandom_u32_state(&rnd) % n];
			probe = hit->va + rnd64(&rnd) % hit->size;
			bad += novamm_vmm_lookup(env->vmm, probe, &map) ||
			       map.state != NOVAMM_PT_VALID ||
			       map.phys != hit->pa + (probe - hit->va);
		}
		probe = rnd64(&rnd) % DIFF_VA;
		hit = model_find(live, n, probe);
		bad += novamm_vmm_lookup(env->vmm, probe, &map) ||
		       (map.state == NOVAMM_PT_VALID) != !!hit ||
		       (hit && map.phys != hit->pa + (probe - hit->va));
		/* And the GPU, through its TLB, agrees with the model. */
		ret = sim_sees(env, probe, &got, &page);
		stale += hit ? ret || got != hit->pa + (probe - hit->va) : ret != -EFAULT;
	}
	kunit_info(test, "%u maps, %u refused as overlapping, %u invalidates\n", maps, eexist,
		   (unsigned int)env->vmm->invalidates);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_EQ(test, stale, 0U);

	while (n) {
		n--;
		KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, live[n].va, live[n].size), 0);
	}
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, 1U);
	KUNIT_EXPECT_EQ(test, env->vmm->mapped, 0ULL);
	novamm_vram_stats(&env->mm->buddy, &after);
	KUNIT_EXPECT_EQ(test, after.free, before.free);
}

/* ---- threads -------------------------------------------------------------- */

#define THREADS		4
#define THREAD_LOOPS	novamm_sim_test_scaled(100)

/* Shared by the threads of one run: they start together and count. */
struct vmm_race {
	struct novamm_sim *sim;
	struct completion start;
	atomic_t in_flight;
	atomic_t max_in_flight;
};

struct vmm_thread {
	struct vmm_race *race;
	struct novamm_vmm *vmm;
	unsigned int id;
	int errors;
	struct completion done;
};

static void vmm_race_enter(struct vmm_race *race)
{
	int n = atomic_inc_return(&race->in_flight), max = atomic_read(&race->max_in_flight);

	while (n > max && !atomic_try_cmpxchg(&race->max_in_flight, &max, n))
		;
}

/*
 * Map, check, unmap, again and again. The GPU's view is checked too:
 * each page resolves, through the hub TLB, to this thread's VRAM while
 * mapped, and never after unmap (another thread may have the VA by
 * then, never with this thread's VRAM).
 */
static int vmm_thread_fn(void *data)
{
	struct vmm_thread *t = data;
	struct novamm_phys_range r = { (u64)t->id * SZ_4M, SZ_2M + SZ_64K + SZ_4K };
	static const u64 at[] = { 8, SZ_2M + 8, SZ_2M + SZ_64K + 8 };
	struct novamm_sim_translation tr;
	struct novamm_pt_mapping map;
	unsigned int i, j;
	u64 va, pdb = novamm_vmm_pdb(t->vmm);

	wait_for_completion(&t->race->start);
	for (i = 0; i < THREAD_LOOPS; i++) {
		va = 0;
		vmm_race_enter(t->race);
		if (novamm_vmm_map(t->vmm, &va, &r, 1, 0)) {
			atomic_dec(&t->race->in_flight);
			t->errors++;
			continue;
		}
		t->errors += novamm_vmm_lookup(t->vmm, va + SZ_2M + 8, &map) ||
			     map.phys != r.addr + SZ_2M + 8;
		for (j = 0; j < ARRAY_SIZE(at); j++)
			t->errors += novamm_sim_translate(t->race->sim, pdb, va + at[j], 0, &tr) ||
				     tr.pa != r.addr + at[j];
		t->errors += novamm_vmm_unmap(t->vmm, va, r.size) != 0;
		atomic_dec(&t->race->in_flight);
		for (j = 0; j < ARRAY_SIZE(at); j++)
			t->errors += !novamm_sim_translate(t->race->sim, pdb, va + at[j], 0, &tr) &&
				     tr.pa == r.addr + at[j];
	}
	complete(&t->done);
	return 0;
}

/*
 * With more than one CPU the threads must really have overlapped: two or
 * more between their map and their unmap at once. UML has one CPU and no
 * preemption, so there they take turns and only correctness is checked.
 */
static void vmm_run_threads(struct kunit *test, struct vmm_env *env, struct novamm_vmm **vmm)
{
	struct vmm_thread *th = kunit_kcalloc(test, THREADS, sizeof(*th), GFP_KERNEL);
	struct vmm_race *race = kunit_kzalloc(test, sizeof(*race), GFP_KERNEL);
	struct task_struct *task;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, th);
	KUNIT_ASSERT_NOT_NULL(test, race);
	race->sim = env->td->sim;
	init_completion(&race->start);
	for (i = 0; i < THREADS; i++) {
		th[i] = (struct vmm_thread){ .race = race, .vmm = vmm[i], .id = i };
		init_completion(&th[i].done);
		task = kthread_run(vmm_thread_fn, &th[i], "novamm-vmm-%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	complete_all(&race->start);
	for (i = 0; i < THREADS; i++) {
		wait_for_completion(&th[i].done);
		KUNIT_EXPECT_EQ(test, th[i].errors, 0);
	}
	kunit_info(test, "%u CPUs, at most %d maps in flight\n", num_online_cpus(),
		   atomic_read(&race->max_in_flight));
	if (num_online_cpus() > 1)
		KUNIT_EXPECT_GE(test, atomic_read(&race->max_in_flight), 2);
}

static void vmm_threads(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_1G);
	struct novamm_vmm *shared[THREADS], *own[THREADS];
	unsigned int i;

	for (i = 0; i < THREADS; i++)
		shared[i] = env->vmm;
	vmm_run_threads(test, env, shared);
	KUNIT_EXPECT_EQ(test, env->vmm->pt.num_tables, 1U);

	for (i = 0; i < THREADS; i++) {
		own[i] = novamm_vmm_create(env->mm,
					   novamm_chip_mmu_version(env->td->ndev.chip->arch), 0,
					   SZ_1G, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(own[i]));
	}
	vmm_run_threads(test, env, own);
	for (i = 0; i < THREADS; i++) {
		KUNIT_EXPECT_EQ(test, own[i]->pt.num_tables, 1U);
		novamm_vmm_destroy(own[i]);
	}
}

/*
 * The top of an address space kept for fixed maps: an 8 MiB space with
 * its top 2 MiB kept, so chosen addresses end at 6 MiB while a fixed map
 * still goes there; refusals for a size that is unaligned, or all of the
 * space, or a slice that a mapping already reaches into.
 */
static void vmm_reserve_top(struct kunit *test)
{
	struct vmm_env *env = vmm_env(test, SZ_64M, SZ_8M);
	struct novamm_phys_range big = { 0, SZ_2M }, small = { SZ_4M, SZ_4K };
	u64 got[3], va = SZ_8M - SZ_4K, top = SZ_8M - SZ_2M;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, novamm_vmm_reserve_top(env->vmm, SZ_2M + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_vmm_reserve_top(env->vmm, SZ_8M), -EINVAL);
	/* A mapping in the last page: the top 2 MiB cannot be kept. */
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &va, &small, 1, NOVAMM_VMM_MAP_FIXED), 0);
	KUNIT_EXPECT_EQ(test, novamm_vmm_reserve_top(env->vmm, SZ_2M), -EBUSY);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, va, SZ_4K), 0);
	/* Nor when one reaches into it from below. */
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &top, &big, 1, NOVAMM_VMM_MAP_FIXED), 0);
	KUNIT_EXPECT_EQ(test, novamm_vmm_reserve_top(env->vmm, SZ_1M), -EBUSY);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, top, SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, novamm_vmm_reserve_top(env->vmm, SZ_2M), 0);

	/* Chosen: 0, 2 MiB and 4 MiB, then no more, though 6 MiB is free. */
	for (i = 0; i < ARRAY_SIZE(got); i++) {
		KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &got[i], &big, 1, 0), 0);
		KUNIT_EXPECT_EQ(test, got[i], (u64)i * SZ_2M);
	}
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &va, &small, 1, 0), -ENOSPC);
	/* A fixed map takes the kept top. */
	va = SZ_8M - SZ_2M;
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(env->vmm, &va, &big, 1, NOVAMM_VMM_MAP_FIXED), 0);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, SZ_8M - SZ_2M, SZ_2M), 0);
	for (i = 0; i < ARRAY_SIZE(got); i++)
		KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(env->vmm, got[i], SZ_2M), 0);
}

/*
 * Tables through the write-combined table window. 64 MiB of 4 KiB pages
 * at VA 1 GiB in an address space that holds only its root: every level
 * below the root gets one fresh 4 KiB table (three on MMU v2, four on
 * v3), plus 32 page tables, each written whole as 64 bursts of 64 bytes;
 * the root's one new entry is one partial write of 8 bytes. Then the
 * flush and the invalidate: FB_FLUSH written (Turing to Ada) or read
 * (Hopper on), and the invalidate's three registers.
 */
static const struct window_case {
	const char *chip;
	u64 bus_writes;
} window_cases[] = {
	{ "TU102", (3 + 32) * 64 + 1 + 1 + 3 },
	{ "GA102", (3 + 32) * 64 + 1 + 1 + 3 },
	{ "GH100", (4 + 32) * 64 + 1 + 0 + 3 },
	{ "GB202", (4 + 32) * 64 + 1 + 0 + 3 },
};

static void window_desc(const struct window_case *c, char *desc)
{
	strscpy(desc, c->chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(window, window_cases, window_desc);

/* The GPU sees [va, va + size) as [pa, pa + size) in 4 KiB pages, or nothing. */
static void window_expect(struct kunit *test, struct vmm_env *env, u64 va, u64 pa, u64 size,
			  bool mapped)
{
	u64 at[] = { 0, SZ_2M - SZ_4K, SZ_2M, size - SZ_4K }, got, page;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(at); i++) {
		if (!mapped) {
			KUNIT_EXPECT_NE(test, sim_sees(env, va + at[i] + 8, &got, &page), 0);
			continue;
		}
		KUNIT_EXPECT_EQ(test, sim_sees(env, va + at[i] + 8, &got, &page), 0);
		KUNIT_EXPECT_EQ(test, got, pa + at[i] + 8);
		KUNIT_EXPECT_EQ(test, page, (u64)SZ_4K);
	}
}

/*
 * With BAR1 up, a new address space's pool chunk is mapped through BAR1,
 * and its tables go there and not through PRAMIN; another address space's
 * chunk comes and goes with it. Once the window closes
 * (BAR1 going away), the same tables are written through PRAMIN, each
 * word a transaction, and the GPU sees the same.
 */
static void vmm_table_window(struct kunit *test)
{
	const struct window_case *c = test->param_value;
	struct vmm_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	/* VA and PA apart by 4 KiB modulo 64 KiB: 4 KiB pages throughout. */
	struct novamm_phys_range r = { SZ_64M + SZ_4K, SZ_64M }, one = { SZ_32M, SZ_4K };
	struct novamm_bar1 *bar1;
	struct novamm_sim_counters cnt;
	struct novamm_vmm *other;
	u64 va = SZ_1G, ova = 0;

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->td = novamm_test_dev_new(test, c->chip, SZ_1G);
	env->mm = &env->td->ndev.mm;
	bar1 = &env->td->ndev.bar1;
	env->vmm = novamm_vmm_create(env->mm, novamm_chip_mmu_version(env->td->ndev.chip->arch),
				     0, SZ_4G, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->vmm));
	test->priv = env;

	/* The root's chunk went into BAR1 with the address space. */
	KUNIT_EXPECT_EQ(test, novamm_pt_window_chunks(&env->mm->ptw), 1U);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 1U);

	novamm_sim_reset_counters(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.pramin_writes, 0ULL);
	KUNIT_EXPECT_EQ(test, cnt.bus_writes, c->bus_writes);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_unflushed, 0ULL);
	window_expect(test, env, va, r.addr, r.size, true);

	/* Another address space: its chunk is mapped by its map, unmapped with it. */
	other = novamm_vmm_create(env->mm, novamm_chip_mmu_version(env->td->ndev.chip->arch),
				  0, SZ_1G, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	KUNIT_EXPECT_EQ(test, novamm_pt_window_chunks(&env->mm->ptw), 2U);
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(other, &ova, &one, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(other, ova, SZ_4K), 0);
	novamm_vmm_destroy(other);
	KUNIT_EXPECT_EQ(test, novamm_pt_window_chunks(&env->mm->ptw), 1U);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 1U);

	/* BAR1 going away: the chunk leaves it, the tables go back to PRAMIN. */
	novamm_pt_window_disable(&env->mm->ptw);
	KUNIT_EXPECT_EQ(test, novamm_pt_window_chunks(&env->mm->ptw), 0U);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 0U);
	window_expect(test, env, va, r.addr, r.size, true);
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_vmm_unmap(env->vmm, va, r.size), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.bar1_writes, 0ULL);
	KUNIT_EXPECT_GT(test, cnt.pramin_writes, 0ULL);
	window_expect(test, env, va, r.addr, r.size, false);
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(env->vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.bar1_writes, 0ULL);
	KUNIT_EXPECT_EQ(test, cnt.bus_writes, cnt.mmio_writes);
	KUNIT_EXPECT_GT(test, cnt.pramin_writes, 16 * c->bus_writes / 2);
	window_expect(test, env, va, r.addr, r.size, true);
}

static struct kunit_case novamm_vmm_cases[] = {
	KUNIT_CASE(vmm_page_shift_table),
	KUNIT_CASE_PARAM(vmm_map_unmap, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_map_vram, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_owners, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_large_pages, large_gen_params),
	KUNIT_CASE_PARAM(vmm_invalidate_flags, flags_gen_params),
	KUNIT_CASE_PARAM(vmm_refused, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_va_exact_fit, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_reserve_top, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_invalidate_timeout, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_out_of_vram, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_map_faults, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_create_faults, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_map_vram_fault, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_differential, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_threads, vmm_chip_gen_params),
	KUNIT_CASE_PARAM(vmm_table_window, window_gen_params),
	{}
};

static struct kunit_suite novamm_vmm_suite = {
	.name = "novamm_vmm",
	.exit = vmm_test_exit,
	.test_cases = novamm_vmm_cases,
};

kunit_test_suite(novamm_vmm_suite);
