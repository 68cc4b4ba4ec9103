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
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/core.h>
#include <novamm/pagetable.h>
#include <novamm/sim.h>
#include <novamm/tlb.h>

#include "../pagetable/internal.h"
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
	u64 va = SZ_1G, flushes;
	bool hit, v2;

	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(env->pt, va, SZ_4K, 12), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, va, 1, 12, SZ_1M, &rw), 0);
	KUNIT_EXPECT_EQ(test, translate(test, env, va + 0x10, &hit), (u64)SZ_1M + 0x10);
	KUNIT_EXPECT_FALSE(test, hit);

	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, va, 1, 12, SZ_2M, &rw), 0);
	KUNIT_EXPECT_EQ(test, translate(test, env, va + 0x10, &hit), (u64)SZ_1M + 0x10);
	KUNIT_EXPECT_TRUE(test, hit);

	novamm_sim_reset_counters(env->td->sim);
	flushes = env->mm->tlb.flushes;
	KUNIT_ASSERT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	/*
	 * The flush first: on GA102 FB_FLUSH written, read busy once, then
	 * clear; on GH100 FB_FLUSH read (the trigger), FB_FLUSH_COMPLETED
	 * read busy once, then idle. Then PDB, UPPER_PDB, INVALIDATE;
	 * TRIGGER read busy once, then clear.
	 */
	v2 = novamm_chip_mmu_version(env->td->ndev.chip->arch) == 2;
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, v2 ? 4ULL : 3ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, v2 ? 4ULL : 5ULL);
	KUNIT_EXPECT_EQ(test, cnt.fb_flushes, 1ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.flushes, flushes + 1);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_ignored, 0ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.invalidates, 1ULL);

	KUNIT_EXPECT_EQ(test, translate(test, env, va + 0x10, &hit), (u64)SZ_2M + 0x10);
	KUNIT_EXPECT_FALSE(test, hit);

	/* The hub-only and downgrade forms are invalidates all the same. */
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, va, 1, 12, SZ_4M, &rw), 0);
	KUNIT_ASSERT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr,
						    NOVAMM_TLB_HUB_ONLY | NOVAMM_TLB_DOWNGRADE), 0);
	KUNIT_EXPECT_EQ(test, translate(test, env, va, &hit), (u64)SZ_4M);
}

/*
 * Every invalidate flushes first: a PTE rewritten through PRAMIN is
 * posted, and the invalidate's refill walk would read the old one. With
 * the flush left out the sim's log shows the invalidate overtaking the
 * write and the walk finds the stale PTE; with it, nothing is posted when
 * the invalidate starts and the walk finds the new one.
 */
static void tlb_flush_before_invalidate(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_invalidate e;
	u64 va = SZ_1G;
	bool hit;

	KUNIT_ASSERT_EQ(test, novamm_pagetable_prepare(env->pt, va, SZ_4K, 12), 0);
	KUNIT_ASSERT_EQ(test, novamm_test_pt_map(env->pt, va, 1, 12, SZ_1M, &rw), 0);
	KUNIT_EXPECT_EQ(test, translate(test, env, va, &hit), (u64)SZ_1M);

	/* Into the written table: one PTE, two posted PRAMIN words. */
	env->mm->tlb.test_skip_flush = true;
	KUNIT_ASSERT_EQ(test, novamm_pagetable_map(env->pt, va, 1, 12, SZ_2M, &rw), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_posted(env->td->sim), 2U);
	novamm_sim_clear_invalidates(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0), 0);
	KUNIT_ASSERT_EQ(test, novamm_sim_invalidates(env->td->sim, &e, 1), 1U);
	KUNIT_EXPECT_EQ(test, e.posted, 2U);
	KUNIT_EXPECT_EQ(test, translate(test, env, va, &hit), (u64)SZ_1M);
	KUNIT_EXPECT_FALSE(test, hit);

	env->mm->tlb.test_skip_flush = false;
	KUNIT_ASSERT_EQ(test, novamm_pagetable_map(env->pt, va, 1, 12, SZ_4M, &rw), 0);
	novamm_sim_clear_invalidates(env->td->sim);
	KUNIT_ASSERT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0), 0);
	KUNIT_ASSERT_EQ(test, novamm_sim_invalidates(env->td->sim, &e, 1), 1U);
	KUNIT_EXPECT_EQ(test, e.posted, 0U);
	KUNIT_EXPECT_EQ(test, novamm_sim_posted(env->td->sim), 0U);
	KUNIT_EXPECT_EQ(test, translate(test, env, va, &hit), (u64)SZ_4M);
}

/* A flush that never completes: -ETIMEDOUT, no invalidate started. */
static void tlb_flush_timeout(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .flush_polls = U32_MAX };
	struct novamm_sim_counters cnt;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(env->td->sim, &inj), 0);
	env->mm->tlb.timeout_us = 2000;
	novamm_sim_clear_invalidates(env->td->sim);
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.flush_timeouts, 1ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.invalidates, 0ULL);
	KUNIT_EXPECT_EQ(test, novamm_sim_invalidates(env->td->sim, NULL, 0), 0U);

	/* Lifted: the stuck flush completes, a new one runs, then the invalidate. */
	inj.flush_polls = 1;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(env->td->sim, &inj), 0);
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.fb_flushes,
			novamm_chip_mmu_version(env->td->ndev.chip->arch) == 2 ? 2ULL : 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	KUNIT_EXPECT_FALSE(test, env->mm->tlb.flush_pending);
}

/* An invalidate that never completes: -ETIMEDOUT, and every later one. */
static void tlb_timeout(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_inject inj = { .invalidate_polls = U32_MAX, .bind_polls = 1 };
	struct novamm_sim_counters cnt;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(env->td->sim, &inj), 0);
	env->mm->tlb.timeout_us = 2000;
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.timeouts, 1ULL);
	KUNIT_EXPECT_TRUE(test, env->mm->tlb.pending);

	/* Still running: the next one waits for it and writes nothing. */
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0),
			-ETIMEDOUT);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0ULL);
	KUNIT_EXPECT_GT(test, cnt.mmio_reads, 0ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.timeouts, 2ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.invalidates, 0ULL);
}

/*
 * An invalidate the GPU completes at once costs no sleep: the sim's
 * default, done on the second status read as hardware is within a few
 * microseconds, whatever a read costs (after the spin's time the wait
 * reads once more before it sleeps). One busy for 50 reads is waited for
 * to the end, spinning or not: whether it sleeps depends on the clock (a
 * guest's may not move within the spin, or jump past a timeout between
 * two reads), so it is not asserted. The status reads are the flush's
 * (two up to Ada, three from Hopper) and the invalidate's.
 */
static void tlb_spin(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_inject inj = { .invalidate_polls = 50, .bind_polls = 1,
					 .flush_polls = 1 };
	u64 flush_reads = novamm_chip_mmu_version(env->td->ndev.chip->arch) == 2 ? 2 : 3;
	struct novamm_sim_counters cnt;
	unsigned long nvcsw = current->nvcsw;

	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0), 0);
	KUNIT_EXPECT_EQ(test, current->nvcsw, nvcsw);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, flush_reads + 2);

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(env->td->sim, &inj), 0);
	novamm_sim_reset_counters(env->td->sim);
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr, 0), 0);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, flush_reads + 51);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.timeouts, 0ULL);
}

static void tlb_refused(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	struct novamm_sim_counters cnt;

	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, env->pt->root->addr + 0x800, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_tlb_invalidate(&env->mm->tlb, 1ULL << 60, 0), -EINVAL);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, 0ULL);
}

#define TLB_THREADS	4U
#define TLB_LOOPS	50U
/* The last invalidates the sim logged, fewer than were made. */
#define TLB_LOG		64U

struct tlb_thread {
	struct novamm_mm *mm;
	u64 pdb;
	int errors;
	struct completion *start;
	atomic_t *in_flight, *max_in_flight;
	struct completion done;
};

static int tlb_thread_fn(void *data)
{
	struct tlb_thread *t = data;
	unsigned int i;
	int n, max;

	wait_for_completion(t->start);
	for (i = 0; i < TLB_LOOPS; i++) {
		n = atomic_inc_return(t->in_flight);
		max = atomic_read(t->max_in_flight);
		while (n > max && !atomic_try_cmpxchg(t->max_in_flight, &max, n))
			;
		t->errors += novamm_tlb_invalidate(&t->mm->tlb, t->pdb, 0) != 0;
		atomic_dec(t->in_flight);
	}
	complete(&t->done);
	return 0;
}

/* Four threads, four address spaces, one register sequence at a time. */
static void tlb_concurrent(struct kunit *test)
{
	struct tlb_env *env = tlb_env(test);
	atomic_t in_flight = ATOMIC_INIT(0), max_in_flight = ATOMIC_INIT(0);
	struct novamm_sim_invalidate *log;
	struct novamm_sim_counters cnt;
	struct completion start;
	struct tlb_thread *th;
	struct task_struct *task;
	unsigned int i, n;

	th = kunit_kcalloc(test, TLB_THREADS, sizeof(*th), GFP_KERNEL);
	log = kunit_kcalloc(test, TLB_LOG, sizeof(*log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, th);
	KUNIT_ASSERT_NOT_NULL(test, log);
	init_completion(&start);
	novamm_sim_clear_invalidates(env->td->sim);
	for (i = 0; i < TLB_THREADS; i++) {
		th[i].mm = env->mm;
		th[i].pdb = env->pt->root->addr + i * SZ_4K;
		th[i].start = &start;
		th[i].in_flight = &in_flight;
		th[i].max_in_flight = &max_in_flight;
		init_completion(&th[i].done);
		task = kthread_run(tlb_thread_fn, &th[i], "novamm-tlb-%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	complete_all(&start);
	for (i = 0; i < TLB_THREADS; i++) {
		wait_for_completion(&th[i].done);
		KUNIT_EXPECT_EQ(test, th[i].errors, 0);
	}
	kunit_info(test, "%u CPUs, at most %d invalidates in flight\n", num_online_cpus(),
		   atomic_read(&max_in_flight));
	/* More than one CPU: the threads must really have raced (see vmm_threads). */
	if (num_online_cpus() > 1)
		KUNIT_EXPECT_GE(test, atomic_read(&max_in_flight), 2);
	/*
	 * The GPU saw each invalidate whole: every one it logged names one
	 * of the four PDBs, with the PDB's two words from the same thread.
	 */
	n = novamm_sim_invalidates(env->td->sim, log, TLB_LOG);
	KUNIT_EXPECT_EQ(test, n, TLB_THREADS * TLB_LOOPS);
	n = min(n, TLB_LOG);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, log[i].pdb >= env->pt->root->addr &&
				      log[i].pdb < env->pt->root->addr + TLB_THREADS * SZ_4K &&
				      IS_ALIGNED(log[i].pdb - env->pt->root->addr, SZ_4K),
				      "invalidate %u of PDB 0x%llx", i, log[i].pdb);
	novamm_sim_counters(env->td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, (u64)TLB_THREADS * TLB_LOOPS);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_ignored, 0ULL);
	KUNIT_EXPECT_EQ(test, env->mm->tlb.invalidates, (u64)TLB_THREADS * TLB_LOOPS);
}

static struct kunit_case novamm_tlb_cases[] = {
	KUNIT_CASE_PARAM(tlb_invalidate_drops_stale, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_flush_before_invalidate, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_flush_timeout, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_timeout, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_spin, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_refused, tlb_chip_gen_params),
	KUNIT_CASE_PARAM(tlb_concurrent, tlb_chip_gen_params),
	{}
};

static struct kunit_suite novamm_tlb_suite = {
	.name = "novamm_tlb",
	.test_cases = novamm_tlb_cases,
};

kunit_test_suite(novamm_tlb_suite);
