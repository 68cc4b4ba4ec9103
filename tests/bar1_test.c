// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_bar1: BAR1 brought up on simulated GPUs of both MMU
 * generations, with novamm's own instance block and under the GSP's page
 * directory, checked through the sim's bind state, VRAM, MMU and fault
 * log.
 */
#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <novamm/bar1.h>
#include <novamm/buddy.h>
#include <novamm/core.h>
#include <novamm/regs.h>
#include <novamm/sim.h>
#include <novamm/vmm.h>

#include "../bar1/internal.h"
#include "../core/internal.h"
#include "helpers.h"

struct bar1_case {
	const char *chip;
	bool gsp;
};

static const struct bar1_case bar1_cases[] = {
	{ "TU102", false }, { "GA102", false }, { "GH100", false }, { "GB202", false },
	{ "TU102", true }, { "GA102", true }, { "GH100", true }, { "GB202", true },
};

static void bar1_desc(const struct bar1_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s", c->chip,
		 c->gsp ? "under GSP-RM's directory" : "own instance block");
}

KUNIT_ARRAY_PARAM(bar1, bar1_cases, bar1_desc);

/*
 * The cases on novamm's own block alone, through KUNIT_ARRAY_PARAM() too:
 * a generator's signature changes between kernels (7.3's takes the test).
 */
static const struct bar1_case bar1_own_cases[] = {
	{ "TU102", false }, { "GA102", false }, { "GH100", false }, { "GB202", false },
};

KUNIT_ARRAY_PARAM(bar1_own, bar1_own_cases, bar1_desc);

#define BAR1_VRAM	SZ_1G

/*
 * A device whose GSP either reports its BAR1 directory (the sim's default)
 * or reports none, as a GPU without GSP-RM, so that novamm binds its own.
 */
static struct novamm_test_dev *bar1_dev_attach(struct kunit *test,
					       const struct bar1_case *c)
{
	struct novamm_test_dev *td = novamm_test_dev_attach(test, c->chip, BAR1_VRAM);
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };

	if (!c->gsp)
		KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	return td;
}

static struct novamm_test_dev *bar1_dev_new(struct kunit *test,
					    const struct bar1_case *c)
{
	struct novamm_test_dev *td = bar1_dev_attach(test, c);

	novamm_test_dev_probe(test, td);
	return td;
}

static u32 sim_vram_rd32(struct kunit *test, struct novamm_test_dev *td, u64 addr)
{
	__le32 v;

	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, addr, &v, sizeof(v)), 0);
	return le32_to_cpu(v);
}

static u64 sim_vram_rd64(struct kunit *test, struct novamm_test_dev *td, u64 addr)
{
	__le64 v;

	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, addr, &v, sizeof(v)), 0);
	return le64_to_cpu(v);
}

static u64 sim_faults(struct novamm_test_dev *td, struct novamm_sim_fault *last)
{
	struct novamm_sim_fault log[64];
	unsigned int n = novamm_sim_faults(td->sim, log, ARRAY_SIZE(log));

	if (n && last)
		*last = log[min_t(unsigned int, n, ARRAY_SIZE(log)) - 1];
	return n;
}

/* Bring-up: the instance block's words, the bind, the address space. */
static void bar1_bringup(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_bar1 *bar1 = &ndev->bar1;
	bool v2 = novamm_chip_mmu_version(ndev->chip->arch) == 2;
	bool blackwell = !strcmp(c->chip, "GB202");
	struct novamm_sim_bar1_state st;
	struct novamm_sim_counters cnt;
	struct novamm_sim_gsp_config g;
	u64 inst, pdb;

	novamm_sim_bar1_state(td->sim, &st);
	novamm_sim_counters(td->sim, &cnt);
	novamm_sim_gsp_config(td->sim, &g);
	KUNIT_EXPECT_EQ(test, bar1->size, SZ_256M);
	KUNIT_EXPECT_EQ(test, bar1->vmm->va_start, 0);
	KUNIT_EXPECT_EQ(test, bar1->vmm->va_end, SZ_256M);
	KUNIT_EXPECT_EQ(test, bar1->vmm->tlb_flags, NOVAMM_TLB_HUB_ONLY);
	KUNIT_EXPECT_TRUE(test, st.bound);
	KUNIT_EXPECT_TRUE(test, st.virtual_mode);
	KUNIT_EXPECT_TRUE(test, st.big_64k);
	KUNIT_EXPECT_EQ(test, st.ver2, v2);
	KUNIT_EXPECT_EQ(test, st.magic, blackwell);
	KUNIT_EXPECT_EQ(test, st.pdb, novamm_vmm_pdb(bar1->vmm));

	if (c->gsp) {
		/* GSP-RM's binding is left alone: novamm never wrote the register. */
		KUNIT_EXPECT_EQ(test, bar1->mode, NOVAMM_BAR1_GSP);
		KUNIT_EXPECT_NULL(test, bar1->inst);
		KUNIT_EXPECT_EQ(test, novamm_vmm_pdb(bar1->vmm), g.bar1_pde_base);
		KUNIT_EXPECT_EQ(test, cnt.binds, 0);
		KUNIT_EXPECT_EQ(test, cnt.invalidates, 0);
		KUNIT_EXPECT_EQ(test, bar1->vmm->pt.num_tables, 1);
		return;
	}

	KUNIT_EXPECT_EQ(test, bar1->mode, NOVAMM_BAR1_OWN);
	KUNIT_ASSERT_NOT_NULL(test, bar1->inst);
	inst = novamm_vram_start(bar1->inst);
	pdb = novamm_vmm_pdb(bar1->vmm);
	KUNIT_EXPECT_EQ(test, st.instance, inst);
	KUNIT_EXPECT_EQ(test, cnt.binds, 1);
	/* One invalidate after the bind, of the hub only. */
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 1);
	KUNIT_EXPECT_EQ(test, inst & (SZ_4K - 1), 0);
	KUNIT_EXPECT_EQ(test, pdb & (SZ_4K - 1), 0);
	KUNIT_EXPECT_LT(test, inst, g.bar1_pde_base ?: BAR1_VRAM);

	/* 0x200: TARGET VID_MEM (0), VER2 (bit 10) on v2 only, 64 KiB (bit 11), PDB 31:12. */
	KUNIT_EXPECT_EQ(test, sim_vram_rd32(test, td, inst + 0x200),
			(u32)(lower_32_bits(pdb) | BIT(11) | (v2 ? BIT(10) : 0)));
	KUNIT_EXPECT_EQ(test, sim_vram_rd32(test, td, inst + 0x204), upper_32_bits(pdb));
	/* The VA limit on Turing only; the magic on Blackwell only. */
	KUNIT_EXPECT_EQ(test, sim_vram_rd32(test, td, inst + 0x208),
			!strcmp(c->chip, "TU102") ? 0x0fffffffU : 0);
	KUNIT_EXPECT_EQ(test, sim_vram_rd32(test, td, inst + 0x20c),
			blackwell ? 0xcafeca11U : 0);
	/* The rest of the block is zero. */
	KUNIT_EXPECT_EQ(test, sim_vram_rd64(test, td, inst), 0);
	KUNIT_EXPECT_EQ(test, sim_vram_rd64(test, td, inst + 0x210), 0);
	KUNIT_EXPECT_EQ(test, sim_vram_rd64(test, td, inst + SZ_4K - 8), 0);
}

#define BAR1_MAP_SIZE	(SZ_2M + SZ_64K + SZ_4K)

static u32 bar1_word(u64 offset)
{
	return lower_32_bits(offset) ^ 0x5a5a0000;
}

/* Map, write through BAR1, find the bytes in VRAM, read back, unmap, fault. */
static void bar1_map_access(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_vram_cursor cur = {};
	struct novamm_sim_counters before, after;
	struct novamm_sim_translation t;
	struct novamm_vram_stats s0, s1;
	struct novamm_bar1_mapping *map;
	struct novamm_sim_fault f;
	static const u64 pages[] = { SZ_2M, SZ_64K, SZ_4K };
	struct novamm_vram *vram;
	u32 *buf, *back, word;
	u64 pdb = novamm_vmm_pdb(ndev->bar1.vmm), at = 0, i, faults, offset;
	unsigned int n = 0;

	buf = novamm_test_vmalloc(test, BAR1_MAP_SIZE);
	back = novamm_test_vmalloc(test, BAR1_MAP_SIZE);
	novamm_vram_stats(&ndev->mm.buddy, &s0);
	vram = novamm_vram_alloc(&ndev->mm.buddy, BAR1_MAP_SIZE, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));

	novamm_sim_counters(td->sim, &before);
	map = novamm_bar1_map(&ndev->bar1, vram, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	novamm_sim_counters(td->sim, &after);
	KUNIT_EXPECT_EQ(test, after.invalidates - before.invalidates, 1);
	KUNIT_EXPECT_EQ(test, map->size, BAR1_MAP_SIZE);
	KUNIT_EXPECT_EQ(test, map->offset & (SZ_2M - 1), 0);
	KUNIT_EXPECT_EQ(test, ndev->bar1.num_mappings, 1);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&ndev->bar1), BAR1_MAP_SIZE);

	for (i = 0; i < BAR1_MAP_SIZE / 4; i++)
		buf[i] = bar1_word(i * 4);
	KUNIT_ASSERT_EQ(test, novamm_bar1_write(&ndev->bar1, map, 0, buf, BAR1_MAP_SIZE), 0);

	/* Block by block: the sim's MMU maps each with its page size, VRAM holds the bytes. */
	while (novamm_vram_next_block(vram, &cur)) {
		KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(pages));
		KUNIT_EXPECT_EQ(test, cur.size, pages[n]);
		KUNIT_ASSERT_EQ(test,
				novamm_sim_translate(td->sim, pdb, map->offset + at, 0, &t), 0);
		KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NONE);
		KUNIT_EXPECT_EQ(test, t.pa, cur.offset);
		KUNIT_EXPECT_EQ(test, t.page_size, pages[n]);
		KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, cur.offset, back, cur.size), 0);
		KUNIT_EXPECT_EQ(test, memcmp(back, (u8 *)buf + at, cur.size), 0);
		at += cur.size;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 3);

	back = novamm_test_vmalloc_fill(test, BAR1_MAP_SIZE, 0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, map, 0, back, BAR1_MAP_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, buf, BAR1_MAP_SIZE), 0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, map, BAR1_MAP_SIZE - 4, &word, 4), 0);
	KUNIT_EXPECT_EQ(test, word, bar1_word(BAR1_MAP_SIZE - 4));
	KUNIT_EXPECT_EQ(test, sim_faults(td, NULL), 0);

	/* Outside the mapping: refused, nothing reaches BAR1. */
	KUNIT_EXPECT_EQ(test, novamm_bar1_read(&ndev->bar1, map, BAR1_MAP_SIZE - 2, &word, 4),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_bar1_write(&ndev->bar1, map, BAR1_MAP_SIZE, &word, 1),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_bar1_read(&ndev->bar1, map, U64_MAX, &word, 4), -ERANGE);

	offset = map->offset;
	novamm_sim_counters(td->sim, &before);
	KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, map), 0);
	novamm_sim_counters(td->sim, &after);
	KUNIT_EXPECT_EQ(test, after.invalidates - before.invalidates, 1);
	KUNIT_EXPECT_EQ(test, ndev->bar1.num_mappings, 0);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&ndev->bar1), 0);

	/* The old offsets fault now, in the sim's TLB too. */
	faults = sim_faults(td, NULL);
	KUNIT_ASSERT_EQ(test, novamm_hw_bar1_read(&ndev->hw, offset + at - 4, &word, 4), 0);
	KUNIT_EXPECT_EQ(test, word, U32_MAX);
	KUNIT_EXPECT_EQ(test, sim_faults(td, &f), faults + 1);
	KUNIT_EXPECT_EQ(test, f.va, offset + at - 4);
	KUNIT_EXPECT_TRUE(test, f.reason == NOVAMM_SIM_FAULT_NO_PDE ||
			  f.reason == NOVAMM_SIM_FAULT_NO_PTE);

	/*
	 * The allocator is as before, but for the table pool's first 2 MiB
	 * chunk, which an address space keeps once grown: under GSP-RM's
	 * directory the first map grew it, with its own root it held the root.
	 */
	novamm_vram_free(vram);
	novamm_vram_stats(&ndev->mm.buddy, &s1);
	KUNIT_EXPECT_EQ(test, s1.free, s0.free - (c->gsp ? SZ_2M : 0));
	KUNIT_EXPECT_EQ(test, s1.allocations, s0.allocations + c->gsp);
	/* Every table the mapping needed is gone again: the root is left. */
	KUNIT_EXPECT_EQ(test, ndev->bar1.vmm->pt.num_tables, 1);
}

/* A read-only mapping refuses writes in novamm and faults them in the MMU. */
static void bar1_read_only(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_bar1_mapping *map;
	struct novamm_sim_fault f;
	u32 word = 0x12345678, got;
	u64 faults;

	map = novamm_bar1_map_new(&ndev->bar1, SZ_64K, NOVAMM_BAR1_MAP_READ_ONLY, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_EXPECT_EQ(test, novamm_bar1_write(&ndev->bar1, map, 0, &word, 4), -EPERM);
	KUNIT_EXPECT_EQ(test, novamm_bar1_copy(&ndev->bar1, map, 0, map, 4, 4), -EPERM);

	faults = sim_faults(td, NULL);
	KUNIT_ASSERT_EQ(test, novamm_hw_bar1_write(&ndev->hw, map->offset, &word, 4), 0);
	KUNIT_EXPECT_EQ(test, sim_faults(td, &f), faults + 1);
	KUNIT_EXPECT_EQ(test, f.reason, NOVAMM_SIM_FAULT_READ_ONLY);
	KUNIT_EXPECT_EQ(test, f.va, map->offset);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, map, 0, &got, 4), 0);
	/* VRAM never written reads as the sim's fill byte, 0. */
	KUNIT_EXPECT_EQ(test, got, 0);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap_owned(&ndev->bar1, map->offset), 0);
	KUNIT_EXPECT_EQ(test, ndev->bar1.num_mappings, 0);
}

/* Copies between mappings and within one, overlapping both ways. */
static void bar1_copy(struct kunit *test)
{
	static const struct bar1_case c = { "GA102", false };
	struct novamm_test_dev *td = bar1_dev_new(test, &c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_bar1_mapping *a, *b;
	const size_t len = SZ_128K + 12;
	u8 *buf, *got;
	size_t i;

	buf = novamm_test_vmalloc(test, SZ_256K);
	got = novamm_test_vmalloc(test, SZ_256K);
	a = novamm_bar1_map_new(&ndev->bar1, SZ_256K, 0, NULL);
	b = novamm_bar1_map_new(&ndev->bar1, SZ_256K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	for (i = 0; i < SZ_256K; i++)
		buf[i] = i * 7 + (i >> 8);
	KUNIT_ASSERT_EQ(test, novamm_bar1_write(&ndev->bar1, a, 0, buf, SZ_256K), 0);

	KUNIT_ASSERT_EQ(test, novamm_bar1_copy(&ndev->bar1, b, 4, a, 100, len), 0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, b, 4, got, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, buf + 100, len), 0);

	/* Forward overlap: the destination starts inside the source. */
	KUNIT_ASSERT_EQ(test, novamm_bar1_copy(&ndev->bar1, a, 1000, a, 0, len), 0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, a, 1000, got, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, buf, len), 0);
	/* Backward overlap: the source starts inside the destination. */
	KUNIT_ASSERT_EQ(test, novamm_bar1_write(&ndev->bar1, a, 0, buf, SZ_256K), 0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_copy(&ndev->bar1, a, 0, a, 1000, len), 0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, a, 0, got, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, buf + 1000, len), 0);

	KUNIT_EXPECT_EQ(test, novamm_bar1_copy(&ndev->bar1, a, SZ_256K - 4, b, 0, 8), -ERANGE);
	KUNIT_EXPECT_EQ(test, novamm_bar1_copy(&ndev->bar1, a, 0, b, SZ_256K - 4, 8), -ERANGE);
}

/*
 * What mappings may take of a 256 MiB BAR1: all but the table window's
 * slice at its top, a 32nd of it (8 MiB).
 */
#define BAR1_ROOM	(SZ_256M - SZ_8M)

/*
 * All of BAR1 that mappings may take in one mapping of VRAM the test
 * declares its own (novamm_vram_set_written()): filling BAR1 costs no
 * 248 MiB of zeroing.
 */
static struct novamm_bar1_mapping *bar1_fill_all(struct kunit *test,
						 struct novamm_device *ndev,
						 struct novamm_vram **vram)
{
	struct novamm_bar1_mapping *all;

	*vram = novamm_vram_alloc(&ndev->mm.buddy, BAR1_ROOM, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(*vram));
	novamm_vram_set_written(*vram);
	all = novamm_bar1_map(&ndev->bar1, *vram, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(all));
	return all;
}

/* BAR1 full: -ENOSPC, and nothing written, invalidated, allocated or kept. */
static void bar1_exhaustion(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_sim_counters before, after;
	struct novamm_vram_stats s0, s1;
	struct novamm_bar1_mapping *all, *more;
	struct novamm_vram *big, *small, *allv;
	unsigned int tables;

	/* All of BAR1 that mappings may take in one, then not one page more. */
	KUNIT_EXPECT_EQ(test, novamm_bar1_room(&ndev->bar1), (u64)BAR1_ROOM);
	all = bar1_fill_all(test, ndev, &allv);
	KUNIT_EXPECT_EQ(test, all->offset, 0);
	KUNIT_EXPECT_EQ(test, novamm_bar1_room(&ndev->bar1), 0ULL);
	small = novamm_vram_alloc(&ndev->mm.buddy, SZ_4K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(small));
	tables = ndev->bar1.vmm->pt.num_tables;
	novamm_sim_counters(td->sim, &before);
	novamm_vram_stats(&ndev->mm.buddy, &s0);
	more = novamm_bar1_map(&ndev->bar1, small, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(more), -ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map_new(&ndev->bar1, SZ_4K, 0, NULL)), -ENOSPC);
	novamm_sim_counters(td->sim, &after);
	novamm_vram_stats(&ndev->mm.buddy, &s1);
	KUNIT_EXPECT_EQ(test, after.mmio_writes, before.mmio_writes);
	KUNIT_EXPECT_EQ(test, after.invalidates, before.invalidates);
	KUNIT_EXPECT_EQ(test, s1.free, s0.free);
	KUNIT_EXPECT_EQ(test, s1.allocations, s0.allocations);
	KUNIT_EXPECT_EQ(test, ndev->bar1.vmm->pt.num_tables, tables);
	KUNIT_EXPECT_EQ(test, ndev->bar1.num_mappings, 1);
	KUNIT_EXPECT_EQ(test, ndev->bar1.full, 2);
	KUNIT_EXPECT_EQ(test, ndev->bar1.map_errors, 2);

	/* Larger than mappings may take, on an empty BAR1. */
	KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, all), 0);
	novamm_vram_free(allv);
	big = novamm_vram_alloc(&ndev->mm.buddy, BAR1_ROOM + SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(big));
	novamm_sim_counters(td->sim, &before);
	novamm_vram_stats(&ndev->mm.buddy, &s0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map(&ndev->bar1, big, 0)), -ENOSPC);
	novamm_sim_counters(td->sim, &after);
	novamm_vram_stats(&ndev->mm.buddy, &s1);
	KUNIT_EXPECT_EQ(test, after.mmio_writes, before.mmio_writes);
	KUNIT_EXPECT_EQ(test, after.invalidates, before.invalidates);
	KUNIT_EXPECT_EQ(test, s1.free, s0.free);
	KUNIT_EXPECT_EQ(test, ndev->bar1.num_mappings, 0);
	KUNIT_EXPECT_EQ(test, ndev->bar1.full, 3);

	/* Room again. */
	more = novamm_bar1_map(&ndev->bar1, small, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(more));
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(&ndev->bar1, more), 0);
	novamm_vram_free(small);
	novamm_vram_free(big);
}

/* Arguments that are not this device's, or not valid at all. */
static void bar1_refusals(struct kunit *test)
{
	static const struct bar1_case c = { "GH100", true };
	struct novamm_test_dev *td = bar1_dev_new(test, &c);
	struct novamm_test_dev *other = bar1_dev_new(test, &c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_bar1_mapping *map, *theirs;
	struct novamm_vram *vram;

	vram = novamm_vram_alloc(&other->ndev.mm.buddy, SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map(&ndev->bar1, vram, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map(&ndev->bar1, NULL, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map(&other->ndev.bar1, vram, BIT(5))), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map_new(&ndev->bar1, SZ_4K + 1, 0, NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map_new(&ndev->bar1, 0, 0, NULL)), -EINVAL);

	theirs = novamm_bar1_map(&other->ndev.bar1, vram, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(theirs));
	map = novamm_bar1_map_new(&ndev->bar1, SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	/* Same offset on both devices: only the owner's pointer unmaps it. */
	KUNIT_EXPECT_EQ(test, map->offset, theirs->offset);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(&ndev->bar1, theirs), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(&ndev->bar1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap_owned(&other->ndev.bar1, theirs->offset), -ENOENT);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap_owned(&ndev->bar1, map->offset + SZ_4K), -ENOENT);
	KUNIT_EXPECT_EQ(test, other->ndev.bar1.num_mappings, 1);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(&other->ndev.bar1, theirs), 0);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(&ndev->bar1, map), 0);
	novamm_vram_free(vram);
}

/* Hopper and Blackwell show a bind in progress in the LOW register. */
static bool bar1_case_split_block(const struct bar1_case *c)
{
	return c->chip[0] == 'G' && (c->chip[1] == 'H' || c->chip[1] == 'B');
}

/*
 * A bind that never completes fails the probe with nothing left behind
 * (only novamm's own instance block is bound by novamm).
 */
static void bar1_bind_timeout(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td;
	struct novamm_sim_inject inj = { .bind_polls = U32_MAX, .invalidate_polls = 1,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };
	u32 status_reg = bar1_case_split_block(c) ?
			 NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR :
			 NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS;
	struct novamm_sim_bar1_state st;
	struct novamm_sim_counters cnt;
	struct novamm_vram_stats s;
	u64 binds;

	td = bar1_dev_attach(test, c);
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	KUNIT_EXPECT_EQ(test, novamm_core_probe(&td->ndev), -ETIMEDOUT);
	KUNIT_EXPECT_NULL(test, td->ndev.bar1.vmm);
	KUNIT_EXPECT_NULL(test, td->ndev.bar1.inst);
	/* Everything the failed probe allocated was freed by the probe. */
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0);

	/*
	 * The GPU recovers: the stuck bind finishes (two status reads), then
	 * the next probe binds its own block, once, and finds VRAM as new.
	 */
	inj.bind_polls = 1;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_sim_rd32(td->sim, status_reg);
	novamm_sim_rd32(td->sim, status_reg);
	novamm_sim_counters(td->sim, &cnt);
	binds = cnt.binds;
	novamm_test_dev_probe(test, td);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.binds, binds + 1);
	novamm_sim_bar1_state(td->sim, &st);
	KUNIT_EXPECT_TRUE(test, st.bound);
	KUNIT_EXPECT_TRUE(test, st.virtual_mode);
	KUNIT_EXPECT_EQ(test, st.instance, novamm_vram_start(td->ndev.bar1.inst));
	KUNIT_EXPECT_EQ(test, st.pdb, novamm_vmm_pdb(td->ndev.bar1.vmm));
	/* The instance block and the table pool's first chunk, nothing older. */
	novamm_vram_stats(&td->ndev.mm.buddy, &s);
	KUNIT_EXPECT_EQ(test, s.allocations, 2);
	KUNIT_EXPECT_EQ(test, s.allocated, SZ_4K + SZ_2M);
}

/*
 * Rebind novamm's block with the sim busy for @polls status reads; the
 * voluntary context switches the bind made, or ULONG_MAX if it was not
 * one bind completed after exactly @polls + 1 reads.
 */
static unsigned long bar1_rebind(struct kunit *test, struct novamm_test_dev *td, u32 polls)
{
	struct novamm_sim_inject inj = { .bind_polls = polls, .invalidate_polls = 1,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };
	struct novamm_sim_counters cnt;
	unsigned long nvcsw;
	int ret;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_sim_reset_counters(td->sim);
	nvcsw = current->nvcsw;
	ret = novamm_bar1_bind_inst(&td->ndev.bar1, novamm_vram_start(td->ndev.bar1.inst),
				    NV_BAR1_BLOCK_MODE_VIRTUAL);
	nvcsw = current->nvcsw - nvcsw;
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, cnt.binds, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_reads, (u64)polls + 1);
	return ret || cnt.binds != 1 || cnt.mmio_reads != (u64)polls + 1 ? ULONG_MAX : nvcsw;
}

/*
 * A bind the GPU completes at once (the sim's default: on the second
 * status read) costs no sleep, as on hardware where nouveau busy-waits on
 * it; one busy for 50 reads is waited for to the end. (That a wait that
 * outlasts the spin sleeps is tlb_spin's: the wait is the same.)
 */
static void bar1_bind_spin(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_sim_bar1_state st;

	KUNIT_EXPECT_EQ(test, bar1_rebind(test, td, 1), 0UL);
	KUNIT_EXPECT_NE(test, bar1_rebind(test, td, 50), ULONG_MAX);
	novamm_sim_bar1_state(td->sim, &st);
	KUNIT_EXPECT_TRUE(test, st.bound);
	KUNIT_EXPECT_EQ(test, st.instance, novamm_vram_start(td->ndev.bar1.inst));
}

/* GSP-RM's directory already maps BAR1: novamm does not take it over. */
static void bar1_gsp_directory_in_use(struct kunit *test)
{
	static const struct bar1_case c = { "GA102", true };
	struct novamm_test_dev *td = bar1_dev_attach(test, &c);
	struct novamm_sim_gsp_config g;
	__le64 pde = cpu_to_le64(0x1234500ULL | 0x2);

	novamm_sim_gsp_config(td->sim, &g);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(td->sim, g.bar1_pde_base, &pde,
						    sizeof(pde)), 0);
	KUNIT_EXPECT_EQ(test, novamm_core_probe(&td->ndev), -EBUSY);
	KUNIT_EXPECT_NULL(test, td->ndev.bar1.vmm);
	/* Its entry is still there. */
	KUNIT_EXPECT_EQ(test, sim_vram_rd64(test, td, g.bar1_pde_base), 0x1234502ULL);
}

/* Removal with live mappings: released, and BAR1 left as the owner expects. */
static void bar1_remove_live(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_sim_bar1_state st;
	struct novamm_sim_gsp_config g;
	struct novamm_bar1_mapping *map;
	struct novamm_vram *vram;
	u64 root, faults;
	u32 word;

	novamm_sim_gsp_config(td->sim, &g);
	root = novamm_vmm_pdb(ndev->bar1.vmm);
	KUNIT_ASSERT_FALSE(test, IS_ERR(novamm_bar1_map_new(&ndev->bar1, SZ_2M, 0, NULL)));
	KUNIT_ASSERT_FALSE(test, IS_ERR(novamm_bar1_map_new(&ndev->bar1, SZ_64K, 0, NULL)));
	vram = novamm_vram_alloc(&ndev->mm.buddy, SZ_4K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	map = novamm_bar1_map(&ndev->bar1, vram, NOVAMM_BAR1_MAP_READ_ONLY);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_EXPECT_NE(test, sim_vram_rd64(test, td, root), 0);
	/* The caller's allocation is the caller's: freed before removal. */
	KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, map), 0);
	novamm_vram_free(vram);

	novamm_test_dev_remove(td);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0);
	novamm_sim_bar1_state(td->sim, &st);
	if (c->gsp) {
		/* GSP-RM's directory is as it found it, and still bound. */
		KUNIT_EXPECT_EQ(test, sim_vram_rd64(test, td, root), 0);
		KUNIT_EXPECT_TRUE(test, st.bound);
		KUNIT_EXPECT_EQ(test, st.pdb, g.bar1_pde_base);
		faults = sim_faults(td, NULL);
		td->pdata.ops->bar1_read(td->sim, 0, &word, sizeof(word));
		KUNIT_EXPECT_EQ(test, word, U32_MAX);
		KUNIT_EXPECT_EQ(test, sim_faults(td, NULL), faults + 1);
	} else {
		/* Back to physical mode: BAR1 offset = VRAM address. */
		KUNIT_EXPECT_TRUE(test, st.bound);
		KUNIT_EXPECT_FALSE(test, st.virtual_mode);
	}
}

/* The self-test passes, leaves the allocator as it was, and logs one fault. */
static void bar1_selftest(struct kunit *test)
{
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_vram_stats s0, s1;
	struct novamm_sim_fault f;

	/*
	 * Twice 2 MiB read back through PRAMIN word by word, on eight
	 * devices: whole on UML; the debug smoke runs the self-test too.
	 */
	novamm_test_full_size(test);
	novamm_vram_stats(&ndev->mm.buddy, &s0);
	KUNIT_EXPECT_EQ(test, novamm_bar1_selftest(&ndev->bar1), 0);
	novamm_vram_stats(&ndev->mm.buddy, &s1);
	/* As before, but for the pool's first chunk (see bar1_map_access). */
	KUNIT_EXPECT_EQ(test, s1.free, s0.free - (c->gsp ? SZ_2M : 0));
	KUNIT_EXPECT_EQ(test, s1.allocations, s0.allocations + c->gsp);
	KUNIT_EXPECT_EQ(test, novamm_bar1_selftest(&ndev->bar1), 0);
	novamm_vram_stats(&td->ndev.mm.buddy, &s0);
	KUNIT_EXPECT_EQ(test, s0.free, s1.free);
	KUNIT_EXPECT_EQ(test, sim_faults(td, &f), 2);
	KUNIT_EXPECT_EQ(test, ndev->bar1.num_mappings, 0);
	KUNIT_EXPECT_EQ(test, ndev->bar1.maps, 2);
	KUNIT_EXPECT_EQ(test, ndev->bar1.unmaps, 2);
}

static const char * const flush_chips[] = { "TU102", "GA102", "GH100", "GB100", "GB202" };

static void flush_chip_desc(const char * const *chip, char *desc)
{
	strscpy(desc, *chip, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(flush_chip, flush_chips, flush_chip_desc);

/*
 * Map, then read through BAR1. Without the FB flush before the map's
 * invalidate the new tables are still posted when the walk runs: it finds
 * GSP-RM's root entry invalid, as it was, and the read faults. With the
 * flush (UFLUSH on TU102 and GA102, the XAL token on GH100 and GB202, a
 * PRAMIN read on GB100) the same read returns the word in VRAM.
 */
static void bar1_flush_before_invalidate(struct kunit *test)
{
	const char *chip = *(const char * const *)test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_new(test, chip, BAR1_VRAM);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_sim_fault f;
	struct novamm_bar1_mapping *stale, *fresh;
	struct novamm_vram *a, *b;
	__le32 word = cpu_to_le32(0x600dcafe);
	struct novamm_sim_invalidate inv[3];
	unsigned int i;
	u32 got;

	a = novamm_vram_alloc(&ndev->mm.buddy, SZ_64K, NOVAMM_VRAM_CONTIGUOUS, NULL);
	b = novamm_vram_alloc(&ndev->mm.buddy, SZ_64K, NOVAMM_VRAM_CONTIGUOUS, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a) || IS_ERR(b));
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(td->sim, novamm_vram_start(a), &word, 4), 0);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(td->sim, novamm_vram_start(b), &word, 4), 0);
	/* Their data is the test's own: the maps must not clear it. */
	novamm_vram_set_written(a);
	novamm_vram_set_written(b);
	novamm_sim_clear_faults(td->sim);

	ndev->mm.tlb.test_skip_flush = true;
	stale = novamm_bar1_map(&ndev->bar1, a, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(stale));
	KUNIT_EXPECT_GT(test, novamm_sim_posted(td->sim), 0U);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, stale, 0, &got, 4), 0);
	KUNIT_EXPECT_EQ(test, got, 0xffffffff);
	KUNIT_ASSERT_EQ(test, novamm_sim_faults(td->sim, &f, 1), 1U);
	KUNIT_EXPECT_EQ(test, f.va, stale->offset);
	KUNIT_EXPECT_EQ(test, f.reason, NOVAMM_SIM_FAULT_NO_PDE);

	ndev->mm.tlb.test_skip_flush = false;
	novamm_sim_clear_invalidates(td->sim);
	fresh = novamm_bar1_map(&ndev->bar1, b, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fresh));
	KUNIT_EXPECT_EQ(test, novamm_sim_posted(td->sim), 0U);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, fresh, 0, &got, 4), 0);
	KUNIT_EXPECT_EQ(test, got, 0x600dcafe);
	KUNIT_EXPECT_EQ(test, novamm_sim_faults(td->sim, NULL, 0), 1U);

	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(&ndev->bar1, stale), 0);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(&ndev->bar1, fresh), 0);
	/*
	 * As the sim logged them: BAR1's map and two unmaps, each of BAR1's
	 * directory, hub-only, nothing posted; the unmaps with SYS_MEMBAR and
	 * ACK_GLOBALLY (1).
	 */
	KUNIT_ASSERT_EQ(test, novamm_sim_invalidates(td->sim, inv, 3), 3U);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, inv[i].pdb, novamm_vmm_pdb(ndev->bar1.vmm));
		KUNIT_EXPECT_TRUE(test, inv[i].hub_only && inv[i].all_va);
		KUNIT_EXPECT_EQ(test, inv[i].posted, 0U);
		KUNIT_EXPECT_EQ(test, inv[i].sys_membar, i > 0);
		KUNIT_EXPECT_EQ(test, inv[i].ack, i > 0 ? 1 : 0);
	}
	novamm_vram_free(a);
	novamm_vram_free(b);
}

struct bar1_fault_ctx {
	struct novamm_test_dev *td;
	struct novamm_vram_stats vram;
	unsigned int mappings;
	struct novamm_test_view view;
	struct novamm_bar1_mapping *map;
};

static int bar1_fault_op(void *ctx)
{
	struct bar1_fault_ctx *c = ctx;

	c->map = novamm_bar1_map_new(&c->td->ndev.bar1, SZ_2M + SZ_64K, 0, NULL);
	return PTR_ERR_OR_ZERO(c->map);
}

static void bar1_fault_check(struct kunit *test, void *ctx, unsigned int n, int ret)
{
	struct bar1_fault_ctx *c = ctx;
	struct novamm_device *ndev = &c->td->ndev;
	struct novamm_vram_stats now;

	KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -ETIMEDOUT, "point %u: %d", n, ret);
	novamm_vram_stats(&ndev->mm.buddy, &now);
	KUNIT_EXPECT_EQ_MSG(test, now.free, c->vram.free, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, now.allocations, c->vram.allocations, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, ndev->bar1.num_mappings, c->mappings, "point %u", n);
	novamm_test_view_expect(test, c->td, novamm_vmm_pdb(ndev->bar1.vmm), &c->view, n);
}

/*
 * A BAR1 mapping of new VRAM, failed at each point: BAR1 and VRAM as
 * they were each time, as the GPU walks BAR1 and as the allocator counts.
 * A mapping is made first, so that the table pool has its chunk: tables
 * that a timed-out invalidate leaves are kept, for the GPU may still
 * cache them, and they are kept inside it.
 */
static void bar1_map_faults(struct kunit *test)
{
	const struct bar1_case *bc = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, bc);
	struct novamm_test_span span = { 0, SZ_8M, SZ_4K };
	struct bar1_fault_ctx c = { .td = td };
	struct novamm_bar1_mapping *first;
	struct novamm_sim_translation t;
	unsigned int points;

	first = novamm_bar1_map_new(&td->ndev.bar1, SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(first));
	novamm_test_fault_quiet(test, &td->ndev.mm);
	novamm_vram_stats(&td->ndev.mm.buddy, &c.vram);
	c.mappings = td->ndev.bar1.num_mappings;
	novamm_test_view_take(test, td, novamm_vmm_pdb(td->ndev.bar1.vmm), &span, 1, &c.view);
	points = novamm_test_fault_walk(test, bar1_fault_op, bar1_fault_check, &c);
	kunit_info(test, "BAR1 map: %u fault points\n", points);
	/* The VRAM, the mapping record, the range list, the VMM's. */
	KUNIT_EXPECT_GE(test, points, 6U);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c.map));
	KUNIT_EXPECT_EQ(test, novamm_sim_walk(td->sim, novamm_vmm_pdb(td->ndev.bar1.vmm),
					      c.map->offset + SZ_2M, &t), 0);
	novamm_bar1_unmap(&td->ndev.bar1, c.map);
	novamm_bar1_unmap(&td->ndev.bar1, first);
}

/*
 * A page-table chunk goes back to the allocator dirty: it holds other
 * mappings' VRAM addresses. Whoever maps that VRAM next reads zeros, in
 * BAR1 and in VRAM.
 */
static void bar1_pool_chunk_cleared(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", BAR1_VRAM);
	struct novamm_device *ndev = &td->ndev;
	u8 *buf = novamm_test_vmalloc_fill(test, SZ_2M, 0);
	struct novamm_vram_place place = { .min_block = SZ_2M };
	struct novamm_bar1_mapping *map;
	struct novamm_vram *data, *again;
	struct novamm_vmm *vmm;
	u64 va = 0, chunk;

	vmm = novamm_vmm_create(&ndev->mm, 2, 0, SZ_4G, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vmm));
	data = novamm_vram_alloc(&ndev->mm.buddy, SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(data));
	KUNIT_ASSERT_EQ(test, novamm_vmm_map_vram(vmm, &va, data, 0, NULL), 0);
	chunk = round_down(novamm_vmm_pdb(vmm), SZ_2M);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, chunk, buf, SZ_2M), 0);
	KUNIT_EXPECT_NOT_NULL(test, memchr_inv(buf, 0, SZ_2M));
	KUNIT_ASSERT_EQ(test, novamm_vmm_unmap(vmm, va, SZ_64K), 0);
	novamm_vmm_destroy(vmm);
	novamm_vram_free(data);

	place.start = chunk;
	place.end = chunk + SZ_2M;
	again = novamm_vram_alloc(&ndev->mm.buddy, SZ_2M, NOVAMM_VRAM_RANGE, &place);
	KUNIT_ASSERT_FALSE(test, IS_ERR(again));
	KUNIT_EXPECT_FALSE(test, novamm_vram_is_clear(again));
	map = novamm_bar1_map(&ndev->bar1, again, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_EXPECT_TRUE(test, novamm_vram_is_clear(again));
	buf = novamm_test_vmalloc_fill(test, SZ_2M, 0x77);
	KUNIT_ASSERT_EQ(test, novamm_bar1_read(&ndev->bar1, map, 0, buf, SZ_2M), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, SZ_2M));
	buf = novamm_test_vmalloc_fill(test, SZ_2M, 0x77);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, chunk, buf, SZ_2M), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, SZ_2M));
	KUNIT_EXPECT_EQ(test, ndev->bar1.cleared_mapped, (u64)SZ_2M);
	KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, map), 0);
	novamm_vram_free(again);
}

/*
 * With BAR1 full, novamm_bar1_clear() cannot map what it clears: it goes
 * through PRAMIN instead, one window write per word, and the VRAM is zero.
 */
static void bar1_clear_when_full(struct kunit *test)
{
	struct novamm_sim_config cfg = { .chip = "GA102", .vram_size = BAR1_VRAM,
					 .vram_fill = 0xee };
	struct novamm_test_dev *td = novamm_test_dev_attach_cfg(test, &cfg);
	struct novamm_device *ndev;
	struct novamm_sim_counters c0, c1;
	struct novamm_bar1_mapping *all;
	struct novamm_vram *vram, *allv;
	u8 *buf = novamm_test_vmalloc_fill(test, SZ_64K, 0x11);

	novamm_test_dev_probe(test, td);
	ndev = &td->ndev;
	all = bar1_fill_all(test, ndev, &allv);
	vram = novamm_vram_alloc(&ndev->mm.buddy, SZ_64K, NOVAMM_VRAM_CONTIGUOUS, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, novamm_vram_start(vram), buf,
						   SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xee);
	novamm_sim_counters(td->sim, &c0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_clear(&ndev->bar1, vram), 0);
	novamm_sim_counters(td->sim, &c1);
	KUNIT_EXPECT_TRUE(test, novamm_vram_is_clear(vram));
	KUNIT_EXPECT_EQ(test, c1.pramin_writes - c0.pramin_writes, (u64)SZ_64K / 4);
	KUNIT_EXPECT_EQ(test, c1.bar1_writes, c0.bar1_writes);
	KUNIT_EXPECT_EQ(test, ndev->bar1.cleared_pramin, (u64)SZ_64K);
	KUNIT_EXPECT_EQ(test, ndev->bar1.clear_pieces, 0ULL);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, novamm_vram_start(vram), buf,
						   SZ_64K), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, SZ_64K));
	/* Known zero now: a second call clears nothing. */
	KUNIT_ASSERT_EQ(test, novamm_bar1_clear(&ndev->bar1, vram), 0);
	KUNIT_EXPECT_EQ(test, ndev->bar1.cleared_pramin, (u64)SZ_64K);
	novamm_vram_free(vram);
	KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, all), 0);
	novamm_vram_free(allv);
}

static void bar1_ratio(char *buf, size_t len, u64 num, u64 den)
{
	snprintf(buf, len, "%llu.%02llu", div64_u64(num, den),
		 div64_u64((num % den) * 100, den));
}

/*
 * What clearing costs, per MiB, next to the minimum: through a BAR1
 * mapping of its own (the BAR0 writes are the page-table words, the flush
 * and the invalidate of one map and one unmap per 32 MiB piece; the
 * minimum is the two words of each 2 MiB PTE, written and cleared), and
 * through PRAMIN (one 32-bit write per word, the minimum). Then the share
 * of allocations that needed no clearing over a mix of buffers, half of
 * them only ever mapped read-only.
 */
static void bar1_clear_bench(struct kunit *test)
{
	static const u64 sizes[] = { SZ_2M, SZ_32M, SZ_32M + SZ_2M };
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_4G);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_sim_counters c0, c1;
	struct novamm_vram_stats s0, s1;
	struct novamm_bar1_mapping *map, *all;
	struct novamm_vram *vram, *allv;
	char wr[48], min[48], bar1[48], bus[48];
	unsigned int i;
	u64 mib, tx;

	/* Megabytes through the sim word by word: whole on UML, as the other benchmarks. */
	novamm_test_full_size(test);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		vram = novamm_vram_alloc(&ndev->mm.buddy, sizes[i], NOVAMM_VRAM_CONTIGUOUS, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
		mib = sizes[i] / SZ_1M;
		novamm_sim_counters(td->sim, &c0);
		KUNIT_ASSERT_EQ(test, novamm_bar1_clear(&ndev->bar1, vram), 0);
		novamm_sim_counters(td->sim, &c1);
		bar1_ratio(wr, sizeof(wr), c1.mmio_writes - c0.mmio_writes, mib);
		bar1_ratio(min, sizeof(min), 2 * 2 * mib / 2, mib);
		bar1_ratio(bar1, sizeof(bar1), c1.bar1_writes - c0.bar1_writes, mib);
		tx = c1.bus_writes - c0.bus_writes;
		bar1_ratio(bus, sizeof(bus), tx, mib);
		kunit_info(test, "bench: clear path=bar1 bytes=%llu bus_tx_per_mib=%s min_bus_tx_per_mib=16384.00 mmio_wr_per_mib=%s min_wr_per_mib=%s bar1_write_calls_per_mib=%s tlb_invalidates=%llu fb_flushes=%llu\n",
			   sizes[i], bus, wr, min, bar1, c1.invalidates - c0.invalidates,
			   c1.fb_flushes - c0.fb_flushes);
		/* A MiB is 16384 bursts of 64 bytes; the mapping's entries add a few. */
		KUNIT_EXPECT_GE(test, tx, 16384 * mib);
		KUNIT_EXPECT_LE(test, tx * 100, 16384 * mib * 110);
		KUNIT_EXPECT_TRUE(test, novamm_vram_is_clear(vram));
		novamm_vram_free(vram);
	}

	/* BAR1 full: PRAMIN, word by word. */
	all = bar1_fill_all(test, ndev, &allv);
	vram = novamm_vram_alloc(&ndev->mm.buddy, SZ_256K, NOVAMM_VRAM_CONTIGUOUS, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
	novamm_sim_counters(td->sim, &c0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_clear(&ndev->bar1, vram), 0);
	novamm_sim_counters(td->sim, &c1);
	/* Word by word is slow under KASAN and TCG: 256 KiB, scaled. */
	bar1_ratio(wr, sizeof(wr), (c1.pramin_writes - c0.pramin_writes) * 4, 1);
	kunit_info(test, "bench: clear path=pramin bytes=%u pramin_wr_per_mib=%s min_wr_per_mib=262144.00 window_moves=%llu\n",
		   SZ_256K, wr, c1.window_moves - c0.window_moves);
	KUNIT_EXPECT_EQ(test, c1.pramin_writes - c0.pramin_writes, (u64)SZ_256K / 4);
	novamm_vram_free(vram);
	KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, all), 0);
	novamm_vram_free(allv);

	/* A mix: 16 buffers of 256 KiB, every other one only read. */
	novamm_vram_stats(&ndev->mm.buddy, &s0);
	for (i = 0; i < 16; i++) {
		vram = novamm_vram_alloc(&ndev->mm.buddy, SZ_256K, 0, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(vram));
		map = novamm_bar1_map(&ndev->bar1, vram, i & 1 ? NOVAMM_BAR1_MAP_READ_ONLY : 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(map));
		KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, map), 0);
		if (i & 1)
			novamm_vram_free_unwritten(vram);
		else
			novamm_vram_free(vram);
	}
	novamm_vram_stats(&ndev->mm.buddy, &s1);
	kunit_info(test, "bench: clear mix allocations=%llu clean_allocations=%llu clean_share_pct=%llu handed_out_dirty_bytes=%llu\n",
		   s1.allocs - s0.allocs, s1.clean_allocs - s0.clean_allocs,
		   div64_u64((s1.clean_allocs - s0.clean_allocs) * 100, s1.allocs - s0.allocs),
		   s1.dirty_bytes - s0.dirty_bytes);
	KUNIT_EXPECT_EQ(test, s1.allocs - s0.allocs, 16ULL);
	KUNIT_EXPECT_GT(test, s1.clean_allocs - s0.clean_allocs, 0ULL);
}

/*
 * What BAR1 @offset maps, as the sim walks BAR1's tables: the VRAM
 * address of the table window's chunk there, or 0 for nothing, checked
 * to be one 2 MiB page.
 */
static u64 window_slot_sees(struct kunit *test, struct novamm_test_dev *td, u64 offset)
{
	struct novamm_sim_bar1_state st;
	struct novamm_sim_translation t;

	novamm_sim_bar1_state(td->sim, &st);
	if (novamm_sim_walk(td->sim, st.pdb, offset + 8, &t))
		return 0;
	KUNIT_EXPECT_EQ(test, t.page_size, (u64)SZ_2M);
	return t.pa - 8;
}

/* An address space of the device's generation, with its root's chunk. */
static struct novamm_vmm *window_vmm(struct kunit *test, struct novamm_device *ndev, u64 *chunk)
{
	struct novamm_vmm *vmm = novamm_vmm_create(&ndev->mm,
						   novamm_chip_mmu_version(ndev->chip->arch),
						   0, SZ_4G, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(vmm));
	/* The root is the first table of its pool's first 2 MiB chunk. */
	*chunk = round_down(novamm_vmm_pdb(vmm), SZ_2M);
	return vmm;
}

/* 64 KiB of 4 KiB pages mapped at VA 1 GiB: through the window or not, the GPU sees them. */
static void window_map_check(struct kunit *test, struct novamm_test_dev *td,
			     struct novamm_vmm *vmm, bool through_window)
{
	struct novamm_phys_range r = { SZ_64M + SZ_4K, SZ_64K };
	struct novamm_sim_translation t;
	struct novamm_sim_counters cnt;
	u64 va = SZ_1G;

	novamm_sim_reset_counters(td->sim);
	KUNIT_ASSERT_EQ(test, novamm_vmm_map(vmm, &va, &r, 1, NOVAMM_VMM_MAP_FIXED), 0);
	novamm_sim_counters(td->sim, &cnt);
	if (through_window) {
		KUNIT_EXPECT_EQ(test, cnt.pramin_writes, 0ULL);
		KUNIT_EXPECT_GT(test, cnt.bar1_writes, 0ULL);
	} else {
		KUNIT_EXPECT_GT(test, cnt.pramin_writes, 0ULL);
		KUNIT_EXPECT_EQ(test, cnt.bar1_writes, 0ULL);
	}
	va += SZ_64K - SZ_4K + 8;
	KUNIT_EXPECT_EQ(test, novamm_sim_walk(td->sim, novamm_vmm_pdb(vmm), va, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, (u64)SZ_64M + SZ_64K + 8);
	KUNIT_EXPECT_EQ(test, novamm_vmm_unmap(vmm, SZ_1G, SZ_64K), 0);
}

/*
 * The table window's slice: the top 8 MiB of a 256 MiB BAR1, four 2 MiB
 * slots at 248, 250, 252 and 254 MiB, which no mapping of VRAM takes.
 * With every other byte of BAR1 mapped, address spaces still get their
 * chunks into it, in the lowest free slot; a fifth finds it full and
 * writes its tables through PRAMIN; a slot given back is taken again.
 */
static void bar1_table_window_slice(struct kunit *test)
{
	static const u64 slot[] = { 0xf800000, 0xfa00000, 0xfc00000, 0xfe00000 };
	const struct bar1_case *c = test->param_value;
	struct novamm_test_dev *td = bar1_dev_new(test, c);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_bar1 *bar1 = &ndev->bar1;
	struct novamm_bar1_mapping *all;
	struct novamm_vmm *vmm[6];
	struct novamm_vram *allv;
	u64 chunk[6];
	unsigned int i;

	KUNIT_EXPECT_EQ(test, bar1->window_base, 0xf800000ULL);
	KUNIT_EXPECT_EQ(test, bar1->window_slots, 4U);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 0U);
	all = bar1_fill_all(test, ndev, &allv);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map_new(bar1, SZ_4K, 0, NULL)), -ENOSPC);

	for (i = 0; i < 4; i++) {
		vmm[i] = window_vmm(test, ndev, &chunk[i]);
		KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), i + 1);
		KUNIT_EXPECT_EQ(test, window_slot_sees(test, td, slot[i]), chunk[i]);
		window_map_check(test, td, vmm[i], true);
	}
	/* The slice is full: the fifth stays on PRAMIN, and nothing else moved. */
	vmm[4] = window_vmm(test, ndev, &chunk[4]);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 4U);
	KUNIT_EXPECT_EQ(test, novamm_pt_window_chunks(&ndev->mm.ptw), 4U);
	window_map_check(test, td, vmm[4], false);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, window_slot_sees(test, td, slot[i]), chunk[i]);

	/* The second slot given back, and taken by the next address space. */
	novamm_vmm_destroy(vmm[1]);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 3U);
	KUNIT_EXPECT_EQ(test, window_slot_sees(test, td, slot[1]), 0ULL);
	vmm[5] = window_vmm(test, ndev, &chunk[5]);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 4U);
	KUNIT_EXPECT_EQ(test, window_slot_sees(test, td, slot[1]), chunk[5]);
	window_map_check(test, td, vmm[5], true);
	/* Mappings of VRAM got none of it meanwhile. */
	KUNIT_EXPECT_EQ(test, novamm_bar1_room(bar1), 0ULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_bar1_map_new(bar1, SZ_4K, 0, NULL)), -ENOSPC);

	for (i = 0; i < ARRAY_SIZE(vmm); i++)
		if (i != 1)
			novamm_vmm_destroy(vmm[i]);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 0U);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, window_slot_sees(test, td, slot[i]), 0ULL);
	KUNIT_EXPECT_EQ(test, novamm_bar1_unmap(bar1, all), 0);
	novamm_vram_free(allv);
}

/*
 * The slice for BAR1 sizes: a 32nd in whole 2 MiB chunks, at most 16 of
 * them, at the top; none under 64 MiB, where tables go through PRAMIN.
 */
static const struct window_size_case {
	u64 bar1_size;
	u64 base;
	unsigned int slots;
} window_size_cases[] = {
	{ SZ_32M, SZ_32M, 0 },
	{ SZ_64M, 0x3e00000, 1 },
	{ SZ_256M, 0xf800000, 4 },
	{ SZ_2G, 0x7e000000, 16 },
};

static void window_size_desc(const struct window_size_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "BAR1 of %llu MiB", c->bar1_size >> 20);
}

KUNIT_ARRAY_PARAM(window_size, window_size_cases, window_size_desc);

static void bar1_table_window_sizes(struct kunit *test)
{
	const struct window_size_case *c = test->param_value;
	struct novamm_sim_config cfg = { .chip = "GA102", .vram_size = BAR1_VRAM,
					 .bar1_size = c->bar1_size };
	struct novamm_test_dev *td = novamm_test_dev_attach_cfg(test, &cfg);
	struct novamm_bar1 *bar1;
	struct novamm_vmm *vmm;
	u64 chunk;

	novamm_test_dev_probe(test, td);
	bar1 = &td->ndev.bar1;
	KUNIT_EXPECT_EQ(test, bar1->size, c->bar1_size);
	KUNIT_EXPECT_EQ(test, bar1->window_base, c->base);
	KUNIT_EXPECT_EQ(test, bar1->window_slots, c->slots);
	KUNIT_EXPECT_EQ(test, novamm_bar1_room(bar1), c->base);
	vmm = window_vmm(test, &td->ndev, &chunk);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), c->slots ? 1U : 0U);
	KUNIT_EXPECT_EQ(test, novamm_bar1_room(bar1), c->base);
	if (c->slots)
		KUNIT_EXPECT_EQ(test, window_slot_sees(test, td, c->base), chunk);
	window_map_check(test, td, vmm, c->slots);
	novamm_vmm_destroy(vmm);
	KUNIT_EXPECT_EQ(test, novamm_bar1_window_chunks(bar1), 0U);
}

static struct kunit_case novamm_bar1_cases[] = {
	KUNIT_CASE_PARAM(bar1_bringup, bar1_gen_params),
	KUNIT_CASE_PARAM(bar1_map_access, bar1_gen_params),
	KUNIT_CASE_PARAM(bar1_flush_before_invalidate, flush_chip_gen_params),
	KUNIT_CASE_PARAM(bar1_read_only, bar1_gen_params),
	KUNIT_CASE(bar1_copy),
	KUNIT_CASE_PARAM(bar1_exhaustion, bar1_gen_params),
	KUNIT_CASE(bar1_refusals),
	KUNIT_CASE_PARAM(bar1_bind_timeout, bar1_own_gen_params),
	KUNIT_CASE_PARAM(bar1_bind_spin, bar1_own_gen_params),
	KUNIT_CASE(bar1_gsp_directory_in_use),
	KUNIT_CASE_PARAM(bar1_remove_live, bar1_gen_params),
	KUNIT_CASE_PARAM(bar1_selftest, bar1_gen_params),
	KUNIT_CASE_PARAM(bar1_map_faults, bar1_gen_params),
	KUNIT_CASE(bar1_pool_chunk_cleared),
	KUNIT_CASE(bar1_clear_when_full),
	KUNIT_CASE(bar1_clear_bench),
	KUNIT_CASE_PARAM(bar1_table_window_slice, bar1_gen_params),
	KUNIT_CASE_PARAM(bar1_table_window_sizes, window_size_gen_params),
	{}
};

static struct kunit_suite novamm_bar1_suite = {
	.name = "novamm_bar1",
	.test_cases = novamm_bar1_cases,
};

kunit_test_suite(novamm_bar1_suite);
