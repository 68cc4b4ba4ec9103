// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_vmm_bench: map then unmap 1 GiB in 4 KiB, 64 KiB and
 * 2 MiB pages on simulated GA102 and GH100 GPUs, and print what it cost in
 * MMIO next to the fewest 32-bit writes that could do the same work.
 *
 * The minimum is worked out here from the page-table geometry of the
 * hardware reference, not from the driver's format tables: every table a
 * map creates must be written whole (its VRAM holds garbage until then),
 * the root's entries that lead to them must be written, and an unmap that
 * empties everything under the root needs only those root entries
 * cleared. Times are printed, never judged; the counts are checked.
 *
 * vmm_latency maps and unmaps one page again and again beside a mapped
 * neighbour, whose tables stay, and prints the median CPU time of each
 * call: what a map or unmap costs when nothing has to be allocated.
 */
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/sort.h>

#include <novamm/core.h>
#include <novamm/sim.h>
#include <novamm/vmm.h>

#include "helpers.h"

/*
 * Levels, root first, then the dual PD0, then PT_BIG and PT_SMALL: lowest
 * VA bit, VA bits, entry bytes. ../shared/docs/hw-reference.md 1.1 (v2,
 * from kern_gmmu_fmt_gp10x.c) and 2.1 (v3, from kern_gmmu_fmt_gh10x.c).
 */
struct bench_level {
	u8 shift, bits, esize;
};

static const struct bench_level bench_v2[] = {
	{ 47, 2, 8 }, { 38, 9, 8 }, { 29, 9, 8 }, { 21, 8, 16 },
	{ 16, 5, 8 }, { 12, 9, 8 },
};

static const struct bench_level bench_v3[] = {
	{ 56, 1, 8 }, { 47, 9, 8 }, { 38, 9, 8 }, { 29, 9, 8 }, { 21, 8, 16 },
	{ 16, 5, 8 }, { 12, 9, 8 },
};

struct bench_case {
	const char *name;
	const char *chip;
	unsigned int page_shift;
};

static const struct bench_case bench_cases[] = {
	{ "GA102-4K", "GA102", 12 }, { "GA102-64K", "GA102", 16 },
	{ "GA102-2M", "GA102", 21 }, { "GH100-4K", "GH100", 12 },
	{ "GH100-64K", "GH100", 16 }, { "GH100-2M", "GH100", 21 },
};

static void bench_desc(const struct bench_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bench, bench_cases, bench_desc);

#define BENCH_VA	0ULL
#define BENCH_SIZE	SZ_1G
#define BENCH_PA	SZ_1G

/* Aligned blocks of 1 << @span bytes that [va, va + size) touches. */
static u64 bench_blocks(unsigned int span, u64 va, u64 size)
{
	return ((va + size - 1) >> span) - (va >> span) + 1;
}

/*
 * Fewest 32-bit writes to map [va, va + size) with 1 << shift pages in an
 * empty address space, and then to unmap it again.
 */
static u64 bench_min_writes(unsigned int version, unsigned int shift, u64 va, u64 size)
{
	const struct bench_level *lv = version == 2 ? bench_v2 : bench_v3;
	unsigned int n = version == 2 ? ARRAY_SIZE(bench_v2) : ARRAY_SIZE(bench_v3);
	unsigned int pd0 = n - 3, i, last;
	u64 words, root;

	/* The levels between the root and the one holding the pages. */
	last = shift == 21 ? pd0 : shift == 16 ? n - 2 : n - 1;
	/* Root entries, then the tables of each level. */
	root = bench_blocks(lv[0].shift, va, size) * lv[0].esize / 4;
	words = root;
	for (i = 1; i <= last; i++) {
		if (i > pd0 && i != last)
			continue;	/* the other page table under PD0 */
		words += bench_blocks(lv[i].shift + lv[i].bits, va, size) *
			 (BIT(lv[i].bits) * lv[i].esize / 4);
	}
	/* Unmap: the root's entries; everything under them goes unwritten. */
	return words + root;
}

/* @num / @den with six decimals, as "int.frac". */
static void bench_ratio(char *buf, size_t len, u64 num, u64 den)
{
	u64 q = div64_u64(num * 1000000, den);

	snprintf(buf, len, "%llu.%06llu", div_u64(q, 1000000), q % 1000000);
}

static void vmm_bench(struct kunit *test)
{
	const struct bench_case *c = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_new(test, c->chip, 4ULL * SZ_1G);
	unsigned int version = novamm_chip_mmu_version(td->ndev.chip->arch);
	/*
	 * VA and PA agree modulo the page size and differ at the next one up
	 * (512 MiB above 2 MiB pages).
	 */
	struct novamm_phys_range r = { BENCH_PA + BIT(c->page_shift), BENCH_SIZE };
	char rd[32], wr[32], minwr[32], bus[32], minbus[32];
	struct novamm_sim_counters cnt;
	struct novamm_pt_mapping map;
	u64 va = BENCH_VA, pages = BENCH_SIZE >> c->page_shift, min, t0, t;
	struct novamm_sim_invalidate *log;
	struct novamm_vmm *vmm;
	unsigned int i, n, own;
	u64 pdb;

	/* A gigabyte in 4 KiB pages: a count only UML reaches in time. */
	novamm_test_full_size(test);
	log = kunit_kcalloc(test, 64, sizeof(*log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log);

	vmm = novamm_vmm_create(&td->ndev.mm, version, 0, 2ULL * SZ_1G, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vmm));
	pdb = novamm_vmm_pdb(vmm);
	novamm_sim_reset_counters(td->sim);
	novamm_sim_clear_invalidates(td->sim);

	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, novamm_vmm_map(vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	t = ktime_get_ns() - t0;

	/* Every page as the MMU walks it, at its first and last byte. */
	for (i = 0; i < 8; i++) {
		u64 at = va + div_u64(BENCH_SIZE, 8) * i + BIT(c->page_shift) - 8;
		struct novamm_sim_translation tr;

		KUNIT_EXPECT_EQ(test, novamm_sim_translate(td->sim, novamm_vmm_pdb(vmm), at, 0,
							   &tr), 0);
		KUNIT_EXPECT_EQ(test, tr.pa, r.addr + (at - va));
		KUNIT_EXPECT_EQ(test, tr.page_size, BIT_ULL(c->page_shift));
	}
	if (c->page_shift == 21) {
		/* 512 leaf entries, each a 2 MiB page. */
		for (i = 0; i < BENCH_SIZE / SZ_2M; i++) {
			novamm_vmm_lookup(vmm, va + (u64)i * SZ_2M, &map);
			if (map.state != NOVAMM_PT_VALID || map.page_size != SZ_2M)
				break;
		}
		KUNIT_EXPECT_EQ(test, i, 512U);
	}
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(vmm, va, BENCH_SIZE), 0);
	t += ktime_get_ns() - t0;
	novamm_sim_counters(td->sim, &cnt);
	n = novamm_sim_invalidates(td->sim, log, 64);
	for (i = 0, own = 0; i < n; i++)
		own += log[i].pdb == pdb;
	KUNIT_EXPECT_EQ(test, vmm->pt.num_tables, 1U);
	novamm_vmm_destroy(vmm);

	min = bench_min_writes(version, c->page_shift, va, BENCH_SIZE);
	bench_ratio(rd, sizeof(rd), cnt.mmio_reads, pages);
	bench_ratio(wr, sizeof(wr), cnt.mmio_writes, pages);
	bench_ratio(minwr, sizeof(minwr), min, pages);
	bench_ratio(bus, sizeof(bus), cnt.bus_writes, pages);
	/* The bytes of those words, in 64-byte bursts. */
	bench_ratio(minbus, sizeof(minbus), min * 4, pages * 64);
	kunit_info(test, "BENCH %s pages=%llu mmio_rd_per_page=%s mmio_wr_per_page=%s min_wr_per_page=%s bus_tx_per_page=%s min_bus_tx_per_page=%s tlb_invalidates=%llu fb_flushes=%llu window_moves=%llu\n",
		   c->name, pages, rd, wr, minwr, bus, minbus, cnt.invalidates,
		   cnt.fb_flushes, cnt.window_moves);
	/* A time, apart from the counts: printed, never judged. */
	kunit_info(test, "BENCH %s ns_per_page=%llu\n", c->name, div64_u64(t, pages));

	/*
	 * The targets: one invalidate of the address space per call and one
	 * flush before each invalidate, no table read, bus transactions
	 * within 10 % of the minimum's bytes in 64-byte bursts. The other
	 * invalidates are BAR1's, hub-only, for the table window's chunks: a
	 * gigabyte of 4 KiB pages needs a second chunk, mapped by the map and
	 * unmapped when the unmap empties it.
	 */
	KUNIT_EXPECT_EQ(test, own, 2U);
	for (i = 0; i < n; i++)
		if (log[i].pdb != pdb)
			KUNIT_EXPECT_TRUE(test, log[i].hub_only);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, (u64)n);
	KUNIT_EXPECT_EQ(test, cnt.fb_flushes, cnt.invalidates);
	KUNIT_EXPECT_EQ(test, cnt.pramin_reads, 0ULL);
	/*
	 * Only completion polls read (the sim answers on the second): the
	 * invalidate's two, and the flush's two on MMU v2 chips (FB_FLUSH),
	 * three on v3 ones (the FB_FLUSH read that starts it, then
	 * FB_FLUSH_COMPLETED twice).
	 */
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, (version == 2 ? 4 : 5) * cnt.invalidates);
	KUNIT_EXPECT_LE_MSG(test, cnt.bus_writes * 64 * 100, min * 4 * 110,
			    "%llu transactions, minimum %llu bytes", cnt.bus_writes, min * 4);
	/* The tables went through the window: BAR0 wrote only registers and BAR1's entries. */
	KUNIT_EXPECT_LT(test, cnt.pramin_writes * 100, cnt.bus_writes);
}

static const char * const latency_chips[] = { "TU102", "GA102", "GH100", "GB202" };

static void latency_desc(const char * const *chip, char *desc)
{
	strscpy(desc, *chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(latency, latency_chips, latency_desc);

/* One map and one unmap per call: plenty for a median, minutes on no kernel. */
#define LATENCY_CALLS	1001U

static int latency_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Map and unmap the @size page at @va (physical @pa) @n times; its
 * neighbour below is mapped, so every table stays. The medians of the
 * two calls' times go to @map_ns and @unmap_ns. Every call costs one
 * invalidate and no sleep: the GPU answers within the spin.
 */
static void latency_run(struct kunit *test, struct novamm_test_dev *td,
			struct novamm_vmm *vmm, u64 va, u64 pa, u64 size, bool warm,
			u64 *times, unsigned int n, u64 *map_ns, u64 *unmap_ns)
{
	struct novamm_phys_range below = { pa - size, size }, r = { pa, size };
	struct novamm_sim_translation tr;
	struct novamm_sim_counters cnt;
	u64 at = va - size, t0;
	unsigned long nvcsw;
	unsigned int i;

	if (warm)
		KUNIT_ASSERT_EQ(test, novamm_vmm_map(vmm, &at, &below, 1, NOVAMM_VMM_MAP_FIXED), 0);
	novamm_sim_reset_counters(td->sim);
	nvcsw = current->nvcsw;
	for (i = 0; i < n; i++) {
		at = va;
		t0 = ktime_get_ns();
		if (novamm_vmm_map(vmm, &at, &r, 1, NOVAMM_VMM_MAP_FIXED))
			break;
		times[i] = ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		if (novamm_vmm_unmap(vmm, va, size))
			break;
		times[n + i] = ktime_get_ns() - t0;
	}
	KUNIT_EXPECT_EQ(test, i, n);
	KUNIT_EXPECT_EQ(test, current->nvcsw, nvcsw);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 2ULL * n);
	KUNIT_EXPECT_EQ(test, cnt.pramin_reads, 0ULL);

	/* The last map stands as the MMU walks it, then the unmap took it. */
	at = va;
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(vmm, &at, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(td->sim, novamm_vmm_pdb(vmm), va + size - 8,
						   0, &tr), 0);
	KUNIT_EXPECT_EQ(test, tr.pa, pa + size - 8);
	KUNIT_EXPECT_EQ(test, tr.page_size, size);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(vmm, va, size), 0);
	if (warm)
		KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(vmm, va - size, size), 0);

	sort(times, n, sizeof(*times), latency_cmp, NULL);
	sort(times + n, n, sizeof(*times), latency_cmp, NULL);
	*map_ns = times[n / 2];
	*unmap_ns = times[n + n / 2];
}

/*
 * One-page maps and unmaps on every MMU generation's chips: medians
 * printed, never judged; one invalidate per call and no sleep checked.
 */
static void vmm_latency(struct kunit *test)
{
	const char *chip = *(const char * const *)test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_new(test, chip, SZ_1G);
	unsigned int n = novamm_sim_test_scaled(LATENCY_CALLS) | 1;
	u64 map4k, unmap4k, map2m, unmap2m, cmap4k, cunmap4k, *times;
	struct novamm_vmm *vmm;

	times = kunit_kmalloc_array(test, 2 * n, sizeof(*times), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, times);
	vmm = novamm_vmm_create(&td->ndev.mm, novamm_chip_mmu_version(td->ndev.chip->arch),
				0, SZ_1G, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vmm));
	latency_run(test, td, vmm, SZ_2M + SZ_4K, SZ_256M + SZ_4K, SZ_4K, true, times, n,
		    &map4k, &unmap4k);
	latency_run(test, td, vmm, SZ_8M + SZ_2M, SZ_256M + SZ_2M, SZ_2M, true, times, n,
		    &map2m, &unmap2m);
	latency_run(test, td, vmm, SZ_2M + SZ_4K, SZ_256M + SZ_4K, SZ_4K, false, times, n,
		    &cmap4k, &cunmap4k);
	KUNIT_EXPECT_EQ(test, vmm->pt.num_tables, 1U);
	novamm_vmm_destroy(vmm);
	kunit_info(test, "BENCH latency-%s calls=%u map_4k_ns=%llu unmap_4k_ns=%llu map_2m_ns=%llu unmap_2m_ns=%llu map_4k_empty_ns=%llu unmap_4k_empty_ns=%llu\n",
		   chip, n, map4k, unmap4k, map2m, unmap2m, cmap4k, cunmap4k);
}

static struct kunit_case novamm_vmm_bench_cases[] = {
	KUNIT_CASE_PARAM(vmm_bench, bench_gen_params),
	KUNIT_CASE_PARAM(vmm_latency, latency_gen_params),
	{}
};

static struct kunit_suite novamm_vmm_bench_suite = {
	.name = "novamm_vmm_bench",
	.test_cases = novamm_vmm_bench_cases,
};

kunit_test_suite(novamm_vmm_bench_suite);
