// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_tlb: TLB invalidation on simulated GA102 and GH100
 * GPUs, whose TLB keeps a translation until an invalidate covering it
 * completes: a changed PTE must read stale before the invalidate and new
 * after it.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/core.h>
#include <novamm/pagetable.h>
#include <novamm/sim.h>
#include <novamm/tlb.h>

#include "helpers.h"

static const char * const tlb_chips[] = { "GA102", "GH100" };

static void tlb_chip_desc(const char * const *chip, char *desc)
{
	strscpy(desc, *chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tlb_chip, tlb_chips, tlb_chip_desc);

static const struct novamm_pte_attrs rw = { .aperture = NOVAMM_PT_APERTURE_VIDEO };

struct tlb_env {
	struct novamm_test_dev *td;
	struct novamm_mm *mm;
	struct novamm_pagetable *pt;
};

static struct tlb_env *tlb_env(struct kunit *test)
{
	struct tlb_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	const char *chip = *(const char * const *)test->param_value;

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->td = novamm_test_dev_new(test, chip, SZ_64M);
	env->mm = &env->td->ndev.mm;
	env->pt = novamm_test_pagetable_new(test, env->td);
	novamm_sim_reset_counters(env->td->sim);
	return env;
}

static u64 translate(struct kunit *test, struct tlb_env *env, u64 va, bool *from_tlb)
{
	struct novamm_sim_translation t;

	int ret = novamm_sim_translate(env->td->sim, env->pt->root->addr, va, 0, &t);

	KUNIT_EXPECT_EQ(test, ret, 0);
	*from_tlb = t.from_tlb;
	return t.pa;
}

/* A PTE changed under a cached translation: stale until the invalidate. */
static void tlb_invalidate_drops_stale(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_counters cnt;
	u64 va = SZ_1G;
	bool hit;

	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(env->pt, va, SZ_4K, 12), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, va, 1, 12, SZ_1M, &rw), 0);
	KUNIT_EXPECT_EQ(test, translate(test, env, va + 0x10, &hit), (u64)SZ_1M + 0x10);
	KUNIT_EXPECT_FALSE(test, hit);

	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, va, 1, 12, SZ_2M, &rw), 0);
	KUNIT_EXPECT_EQ(test, translate(test, env, va + 0x10, &hit), (u64)SZ_1M + 0x10);
	KUNIT_EXPECT_TRUE(test, hit);

	novamm_sim_reset_counters(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_tlb_invalidate(env->mm, env->pt->root->addr, 0), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	/* PDB, UPPER_PDB, INVALIDATE; TRIGGER read busy once, then clear. */
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 3ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 2ULL);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_ignored, 0ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.invalidates, 1ULL);

	KUNIT_EXPECT_EQ(test, translate(test, env, va + 0x10, &hit), (u64)SZ_2M + 0x10);
	KUNIT_EXPECT_FALSE(test, hit);

	/* The hub-only and downgrade forms are invalidates all the same. */
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, va, 1, 12, SZ_4M, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_tlb_invalidate(env->mm, env->pt->root->addr,
						    NOVAMM_TLB_HUB_ONLY | NOVAMM_TLB_DOWNGRADE), 0);
	KUNIT_EXPECT_EQ(test, translate(test, env, va, &hit), (u64)SZ_4M);
}

/* An invalidate that never completes: -ETIMEDOUT, and every later one. */
static void tlb_timeout(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_inject inj = { .invalidate_polls = U32_MAX, .bind_polls = 1 };
	struct novamm_sim_counters cnt;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(env->td->sim, &inj), 0);
	env->mm->tlb.timeout_us = 2000;
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(env->mm, env->pt->root->addr, 0), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.timeouts, 1ULL);
	KUNIT_EXPECT_TRUE(test, env->mm->tlb.pending);

	/* Still running: the next one waits for it and writes nothing. */
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(env->mm, env->pt->root->addr, 0), -ETIMEDOUT);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0ULL);
	KUNIT_EXPECT_GT(test, cnt.mmio_reads, 0ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.timeouts, 2ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.invalidates, 0ULL);
}

static void tlb_refused(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(env->mm, env->pt->root->addr + 0x800, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(env->mm, 1ULL << 60, 0), -EINVAL);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0ULL);
}

#define TLB_THREADS	4
#define TLB_LOOPS	50

struct tlb_thread {
	struct novamm_mm *mm;
	u64 pdb;
	int errors;
	struct completion done;
};

static int tlb_thread_fn(void *data)
{
	struct tlb_thread *t = data;
	unsigned int i;

	for (i = 0; i < TLB_LOOPS; i++)
		t->errors += novamm_tlb_invalidate(t->mm, t->pdb, 0) != 0;
	complete(&t->done);
	return 0;
}

/* Four threads, four address spaces, one register sequence at a time. */
static void tlb_concurrent(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct tlb_thread *th;
	struct novamm_sim_counters cnt;
	struct task_struct *task;
	unsigned int i;

	th = kunit_kcalloc(test, TLB_THREADS, sizeof(*th), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, th);
	for (i = 0; i < TLB_THREADS; i++) {
		th[i].mm = env->mm;
		th[i].pdb = env->pt->root->addr + i * SZ_4K;
		init_completion(&th[i].done);
		task = kthread_run(tlb_thread_fn, &th[i], "novamm-tlb-%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	for (i = 0; i < TLB_THREADS; i++) {
		wait_for_completion(&th[i].done);
		KUNIT_EXPECT_EQ(test, th[i].errors, 0);
	}
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, (u64)TLB_THREADS * TLB_LOOPS);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_ignored, 0ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.invalidates, (u64)TLB_THREADS * TLB_LOOPS);
}

static struct kunit_case novamm_tlb_cases[] = {
	KUNIT_CASE_PARAM(tlb_invalidate_drops_stale, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_timeout, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_refused, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_concurrent, tlb_chip_gen_params),
	{}
};

static struct kunit_suite novamm_tlb_suite = {
	.name = "novamm_tlb",
	.test_cases = novamm_tlb_cases,
};

kunit_test_suite(novamm_tlb_suite);
