// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_sim_mmu: the simulated MMU, TLB, BAR1 and GSP against
 * page tables built by hand in simulated VRAM. Every entry below is typed
 * from the hardware reference (field tables of NV_MMU_VER2_* and
 * NV_MMU_VER3_*, NV_RAMIN_*, NV_VIRTUAL_FUNCTION_*), with its arithmetic
 * done by hand, never with code under test.
 *
 * v2: a PDE or PTE pointing at VRAM address A is A >> 4 with the flags ORed
 * in (the address field starts at bit 8 and holds A >> 12; the big-table
 * field starts at bit 4 and holds A >> 8). v3: A in place, flags ORed in.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/sim.h>

#define VRAM		(64ULL * SZ_1M)
/* Table and page placement shared by both layouts. */
#define ROOT		0x100000ULL

struct golden {
	const char *row;	/* the reference row the entry exercises */
	u64 va;
	unsigned int access;
	int ret;
	enum novamm_sim_fault_reason fault;
	bool sparse;
	u64 pa;
	u64 page_size;
};

/* No GSP-RM: BAR1 starts unbound, for the tests to bind it by hand. */
static struct novamm_sim *mmu_sim(struct kunit *test, const char *chip)
{
	struct novamm_sim_config cfg = { .chip = chip, .vram_size = VRAM, .no_gsp = true };
	struct novamm_sim **simp = test->priv;

	KUNIT_ASSERT_EQ(test, novamm_sim_create(&cfg, simp), 0);
	return *simp;
}

static int mmu_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct novamm_sim *), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void mmu_test_exit(struct kunit *test)
{
	novamm_sim_destroy(*(struct novamm_sim **)test->priv);
}

static void put64(struct kunit *test, struct novamm_sim *sim, u64 addr, u64 v)
{
	__le64 le = cpu_to_le64(v);

	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(sim, addr, &le, 8), 0);
}

static void put32(struct kunit *test, struct novamm_sim *sim, u64 addr, u32 v)
{
	__le32 le = cpu_to_le32(v);

	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(sim, addr, &le, 4), 0);
}

static void check_golden(struct kunit *test, struct novamm_sim *sim,
			 const struct golden *g, unsigned int n)
{
	struct novamm_sim_translation t;
	unsigned int i;

	for (i = 0; i < n; i++) {
		int ret = novamm_sim_translate(sim, ROOT, g[i].va, g[i].access, &t);

		KUNIT_EXPECT_EQ_MSG(test, ret, g[i].ret, "%s", g[i].row);
		KUNIT_EXPECT_EQ_MSG(test, t.fault, g[i].fault, "%s", g[i].row);
		KUNIT_EXPECT_EQ_MSG(test, t.sparse, g[i].sparse, "%s", g[i].row);
		if (!g[i].ret && !g[i].sparse) {
			KUNIT_EXPECT_EQ_MSG(test, t.pa, g[i].pa, "%s", g[i].row);
			KUNIT_EXPECT_EQ_MSG(test, t.page_size, g[i].page_size, "%s", g[i].row);
		}
	}
}

#define OK(r, v, p, s)		{ r, v, 0, 0, NOVAMM_SIM_FAULT_NONE, false, p, s }
#define OK_AS(r, v, a, p, s)	{ r, v, a, 0, NOVAMM_SIM_FAULT_NONE, false, p, s }
#define SPARSE(r, v)		{ r, v, 0, 0, NOVAMM_SIM_FAULT_NONE, true, 0, 0 }
#define FAULT(r, v, a, f)	{ r, v, a, -EFAULT, NOVAMM_SIM_FAULT_##f, false, 0, 0 }

/*
 * MMU v2 layout: PD3 0x100000, PD2 0x101000, PD1 0x102000, PD0 0x103000,
 * SPT 0x104000, LPT 0x105000.
 */
static void build_v2(struct kunit *test, struct novamm_sim *sim)
{
	/* 1.2 PDE: APERTURE VIDEO_MEMORY (1) in 2:1, address >> 12 at 8. */
	put64(test, sim, 0x100000, 0x10102);		/* PD3[0] -> PD2 */
	put64(test, sim, 0x101000, 0x10202);		/* PD2[0] -> PD1 */
	put64(test, sim, 0x102000, 0x10302);		/* PD1[0] -> PD0 */
	/* 1.5: PD1[1] is a 512 MiB PTE at 0 (GA10x and later only). */
	put64(test, sim, 0x102008, 0x00001);
	/* 1.3 dual PDE, PD0[0]: big table 0x105000 (>> 8 at bit 4), small 0x104000. */
	put64(test, sim, 0x103000, 0x10502);
	put64(test, sim, 0x103008, 0x10402);
	/* 1.5: PD0[1] is a 2 MiB PTE at 0x800000, high qword 0. */
	put64(test, sim, 0x103010, 0x80001);
	/* 1.5 sparse PD0: PD0[2] low qword VOL_BIG only. */
	put64(test, sim, 0x103020, 0x8);
	/* PD0[3] all zero: no table. PD0[4]: small table in SYSTEM_COHERENT. */
	put64(test, sim, 0x103048, 0x10404);
	/* PD0[5]: a 2 MiB PTE at 0x801000, not 2 MiB aligned. */
	put64(test, sim, 0x103050, 0x80101);

	/* 1.4 PTEs in the SPT (index = VA 20:12). */
	put64(test, sim, 0x104000 + 0 * 8, 0x40001);		/* 0x400000 RW */
	put64(test, sim, 0x104000 + 1 * 8, 0x40141);		/* 0x401000 READ_ONLY */
	put64(test, sim, 0x104000 + 2 * 8, 0x40221);		/* 0x402000 PRIVILEGE */
	put64(test, sim, 0x104000 + 3 * 8, 0x8);		/* sparse: VOL, !VALID */
	/* index 4 stays 0: no PTE */
	put64(test, sim, 0x104000 + 5 * 8, 0x400001);		/* 0x4000000: past VRAM */
	/* KIND 0x06 in 63:56, ATOMIC_DISABLE 7, VOL 3: 0x406000. */
	put64(test, sim, 0x104000 + 6 * 8, 0x0600000000040689ULL);
	put64(test, sim, 0x104000 + 16 * 8, 0x70001);		/* under a valid LPTE */
	put64(test, sim, 0x104000 + 32 * 8, 0x44001);		/* under an invalid LPTE */
	put64(test, sim, 0x104000 + 48 * 8, 0x45001);		/* under an unmapped LPTE */
	put64(test, sim, 0x104000 + 64 * 8, 0x46001);		/* under a sparse LPTE */

	/* LPTEs (index = VA 20:16). */
	put64(test, sim, 0x105000 + 1 * 8, 0x60001);		/* 64 KiB at 0x600000 */
	put64(test, sim, 0x105000 + 2 * 8, 0x20);		/* invalid: PRIV, !VALID */
	/* index 3 stays 0: unmapped, the SPTEs are used */
	put64(test, sim, 0x105000 + 4 * 8, 0x8);		/* sparse: VOL, !VALID */
}

static const struct golden v2_golden[] = {
	OK("1.4 SPTE valid RW", 0x123, 0x400123, SZ_4K),
	OK("1.4 SPTE READ_ONLY, read", 0x1456, 0x401456, SZ_4K),
	FAULT("1.4 SPTE READ_ONLY, write", 0x1456, NOVAMM_SIM_ACCESS_WRITE, READ_ONLY),
	FAULT("1.4 SPTE PRIVILEGE, unprivileged", 0x2000, 0, PRIVILEGE),
	OK_AS("1.4 SPTE PRIVILEGE, privileged", 0x2008, NOVAMM_SIM_ACCESS_PRIV,
	      0x402008, SZ_4K),
	SPARSE("1.5 sparse PTE (VALID 0, VOL 1)", 0x3000),
	FAULT("1.4 SPTE zero", 0x4000, 0, NO_PTE),
	FAULT("1.4 SPTE address past VRAM", 0x5000, 0, BAD_ADDRESS),
	OK("1.4 SPTE KIND 6, VOL, ATOMIC_DISABLE", 0x6010, 0x406010, SZ_4K),
	OK("1.5 valid LPTE wins over the SPTE", 0x1abcd, 0x60abcd, SZ_64K),
	FAULT("1.5 invalid LPTE (PRIV) hides the SPTE", 0x20000, 0, NO_PTE),
	OK("1.5 unmapped LPTE: the SPTE is used", 0x30010, 0x450010, SZ_4K),
	SPARSE("1.5 sparse LPTE", 0x40000),
	OK("1.5 2 MiB PTE at PD0", 0x212345, 0x812345, SZ_2M),
	SPARSE("1.5 sparse PD0", 0x400000),
	FAULT("1.3 PD0 zero", 0x600000, 0, NO_PDE),
	FAULT("1.3 PD0 small table in system memory", 0x800000, 0, BAD_APERTURE),
	FAULT("1.5 2 MiB PTE not 2 MiB aligned", 0xa00000, 0, BAD_ADDRESS),
	OK("1.5 512 MiB PTE at PD1 (GA10x)", 0x20001234, 0x1234, SZ_512M),
	FAULT("1.2 PD2[1] zero", 1ULL << 38, 0, NO_PDE),
	FAULT("1.1 VA beyond 49 bits", 1ULL << 49, 0, VA_RANGE),
};

static void mmu_v2_golden(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GA102");
	struct novamm_sim_translation t;

	build_v2(test, sim);
	check_golden(test, sim, v2_golden, ARRAY_SIZE(v2_golden));

	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x6010, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.kind, 6);
	KUNIT_EXPECT_TRUE(test, t.vol);
	KUNIT_EXPECT_TRUE(test, t.atomic_disable);
	KUNIT_EXPECT_FALSE(test, t.read_only);
	KUNIT_EXPECT_FALSE(test, t.privileged);
}

/* Turing has no 512 MiB pages: a PTE at PD1 is not a valid PDE there. */
static void mmu_v2_turing_pd1(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "TU102");
	struct novamm_sim_translation t;

	build_v2(test, sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20001234, 0, &t), -EFAULT);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PDE);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x212345, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x812345);
}

/*
 * MMU v3 layout: PD4 0x100000, PD3 0x101000, PD2 0x102000, PD1 0x103000,
 * PD0 0x104000, SPT 0x105000, LPT 0x106000.
 */
static void build_v3(struct kunit *test, struct novamm_sim *sim)
{
	/* 2.2 PDE: address in place, APERTURE VIDEO (1) in 2:1, PCF 5:3. */
	put64(test, sim, 0x100000, 0x101002);		/* PD4[0], PCF 0 */
	put64(test, sim, 0x101000, 0x102012);		/* PD3[0], PCF 2 */
	put64(test, sim, 0x101008, 0x28);		/* PD3[1]: invalid, PCF 5 */
	put64(test, sim, 0x102000, 0x103002);		/* PD2[0] */
	put64(test, sim, 0x102008, 0x000001);		/* PD2[1]: 256 GiB PTE at 0 */
	put64(test, sim, 0x103000, 0x104002);		/* PD1[0] */
	put64(test, sim, 0x103008, 0x000001);		/* PD1[1]: 512 MiB PTE at 0 */
	put64(test, sim, 0x103010, 0x104004);		/* PD1[2]: SYSTEM_COHERENT */
	/* 2.3 dual PDE, PD0[0]: big 0x106000, small 0x105000. */
	put64(test, sim, 0x104000, 0x106002);
	put64(test, sim, 0x104008, 0x105002);
	put64(test, sim, 0x104010, 0x800001);		/* PD0[1]: 2 MiB PTE */
	put64(test, sim, 0x104020, 0x8);		/* PD0[2]: PCF_BIG SPARSE */

	/* 2.4 PTEs: address in place, VALID 0, PCF 7:3, KIND 11:8. */
	put64(test, sim, 0x105000 + 0 * 8, 0x400001);		/* RW, PCF 0 */
	put64(test, sim, 0x105000 + 1 * 8, 0x401021);		/* PCF 4: read-only */
	put64(test, sim, 0x105000 + 2 * 8, 0x402011);		/* PCF 2: privilege */
	put64(test, sim, 0x105000 + 3 * 8, 0x8);		/* !VALID, PCF SPARSE */
	/* index 4 stays 0: PCF INVALID */
	/* PCF 0x19 = ACD | NO_ATOMIC | UNCACHED, KIND 6: 0x405000. */
	put64(test, sim, 0x105000 + 5 * 8, 0x4056c9);
	put64(test, sim, 0x105000 + 6 * 8, 0x10);		/* !VALID, MAPPING_NOWHERE */
	put64(test, sim, 0x105000 + 16 * 8, 0x700001);
	put64(test, sim, 0x105000 + 32 * 8, 0x440001);
	put64(test, sim, 0x105000 + 48 * 8, 0x450001);

	/* LPTEs. */
	put64(test, sim, 0x106000 + 1 * 8, 0x600001);		/* 64 KiB at 0x600000 */
	put64(test, sim, 0x106000 + 2 * 8, 0x18);		/* NO_VALID_4KB_PAGE */
	/* index 3 stays 0: PCF INVALID, the SPTE is used */
	put64(test, sim, 0x106000 + 4 * 8, 0x8);		/* SPARSE */
}

static const struct golden v3_golden[] = {
	OK("2.4 PTE valid, PCF 0", 0x123, 0x400123, SZ_4K),
	OK("2.4 PCF READ_ONLY, read", 0x1ff8, 0x401ff8, SZ_4K),
	FAULT("2.4 PCF READ_ONLY, write", 0x1000, NOVAMM_SIM_ACCESS_WRITE, READ_ONLY),
	FAULT("2.4 PCF PRIVILEGE, unprivileged", 0x2000, 0, PRIVILEGE),
	OK_AS("2.4 PCF PRIVILEGE, privileged write", 0x2004,
	      NOVAMM_SIM_ACCESS_PRIV | NOVAMM_SIM_ACCESS_WRITE, 0x402004, SZ_4K),
	SPARSE("2.5 sparse PTE (PCF SPARSE)", 0x3000),
	FAULT("2.4 PTE PCF INVALID", 0x4000, 0, NO_PTE),
	OK("2.4 PCF ACD|NO_ATOMIC|UNCACHED, KIND 6", 0x5100, 0x405100, SZ_4K),
	FAULT("2.4 PTE PCF MAPPING_NOWHERE", 0x6000, 0, NO_PTE),
	OK("2.5 valid LPTE wins over the SPTE", 0x1fffc, 0x60fffc, SZ_64K),
	FAULT("2.5 LPTE NO_VALID_4KB_PAGE hides the SPTE", 0x20000, 0, NO_PTE),
	OK("2.5 LPTE PCF INVALID: the SPTE is used", 0x30abc, 0x450abc, SZ_4K),
	SPARSE("2.5 sparse LPTE", 0x40000),
	OK("2.5 2 MiB PTE at PD0", 0x2fffff, 0x8fffff, SZ_2M),
	SPARSE("2.5 sparse PD0 (PCF_BIG SPARSE)", 0x400000),
	OK("2.5 512 MiB PTE at PD1", 0x20000040, 0x40, SZ_512M),
	FAULT("2.2 PDE aperture SYSTEM_COHERENT", 0x40000000, 0, BAD_APERTURE),
	FAULT("2.2 PDE PCF 5 (undefined) is not sparse", 1ULL << 47, 0, NO_PDE),
	FAULT("2.1 PD3[2] zero", 2ULL << 47, 0, NO_PDE),
	FAULT("2.1 VA beyond 57 bits", 1ULL << 57, 0, VA_RANGE),
};

static void mmu_v3_golden(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GH100");
	struct novamm_sim_translation t;

	build_v3(test, sim);
	check_golden(test, sim, v3_golden, ARRAY_SIZE(v3_golden));

	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x5100, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.kind, 6);
	KUNIT_EXPECT_TRUE(test, t.vol);
	KUNIT_EXPECT_TRUE(test, t.atomic_disable);
	/* GH100 has no 256 GiB pages: a PTE at PD2 is not a valid PDE. */
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, (1ULL << 38) + 0x1234, 0, &t),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PDE);
}

/* Blackwell maps 256 GiB pages at PD2. */
static void mmu_v3_blackwell_pd2(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GB202");
	struct novamm_sim_translation t;

	build_v3(test, sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, (1ULL << 38) + 0x1234, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x1234);
	KUNIT_EXPECT_EQ(test, t.page_size, 1ULL << 38);
}

/* The MMU_INVALIDATE registers, typed from dev_vm.h. */
#define T_INV_PDB		0xb830a0
#define T_INV_UPPER_PDB		0xb830a4
#define T_INVALIDATE		0xb830b0
#define T_TRIGGER_ALL_VA	0x80000001
#define T_TRIGGER_ALL_PDB	0x80000003
/* PDB 0x100000 >> 12 = 0x100 in ADDR 31:4, aperture VID_MEM. */
#define T_INV_PDB_ROOT		0x1000

/* A changed PTE is served stale until an invalidate completes. */
static void tlb_stale_then_fresh(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GA102");
	struct novamm_sim_translation t;
	struct novamm_sim_counters cnt;

	build_v2(test, sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x10, 0, &t), 0);
	KUNIT_EXPECT_FALSE(test, t.from_tlb);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_TRUE(test, t.from_tlb);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400020);

	/* Point SPTE 0 at 0x401000: the TLB still says 0x400000. */
	put64(test, sim, 0x104000, 0x40101);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400020);

	/* Targeted (no ALL_VA) and other-PDB invalidates drop nothing. */
	novamm_sim_wr32(sim, T_INV_PDB, T_INV_PDB_ROOT);
	novamm_sim_wr32(sim, T_INV_UPPER_PDB, 0);
	novamm_sim_wr32(sim, T_INVALIDATE, 0x80000000);
	novamm_sim_wr32(sim, T_INV_PDB, 0x2000);
	novamm_sim_wr32(sim, T_INVALIDATE, T_TRIGGER_ALL_VA);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0x80000000);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400020);

	/* This PDB's address, but APERTURE SYS_MEM (bit 1): not this PDB. */
	novamm_sim_wr32(sim, T_INV_PDB, T_INV_PDB_ROOT | 0x2);
	novamm_sim_wr32(sim, T_INVALIDATE, T_TRIGGER_ALL_VA);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400020);

	/* This PDB, ALL_VA: pending for one status read, then done. */
	novamm_sim_wr32(sim, T_INV_PDB, T_INV_PDB_ROOT);
	novamm_sim_wr32(sim, T_INVALIDATE, T_TRIGGER_ALL_VA);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400020);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0x80000000);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_FALSE(test, t.from_tlb);
	KUNIT_EXPECT_EQ(test, t.pa, 0x401020);

	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 2);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_ignored, 2);
}

static void invalidate(struct kunit *test, struct novamm_sim *sim, u32 value)
{
	novamm_sim_wr32(sim, T_INV_PDB, T_INV_PDB_ROOT);
	novamm_sim_wr32(sim, T_INV_UPPER_PDB, 0);
	novamm_sim_wr32(sim, T_INVALIDATE, value);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0x80000000);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0);
}

/*
 * Directory entries are cached too: PD0[0] pointed at a new small table,
 * or the old one reused for something else, without an invalidate, and
 * the walk still goes through the old entry. CACHE_LEVEL PTE_ONLY (1 in
 * 26:24) keeps the directory cache; ALL (0) drops it.
 */
static void tlb_dir_cache_stale(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GA102");
	struct novamm_sim_translation t;
	struct novamm_sim_counters cnt;

	build_v2(test, sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x10, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400010);

	/* A new SPT at 0x106000: index 7 maps 0x470000. */
	put64(test, sim, 0x106000 + 7 * 8, 0x47001);
	put64(test, sim, 0x103008, 0x10602);
	novamm_sim_reset_counters(sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x7000, 0, &t), -EFAULT);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PTE);
	novamm_sim_counters(sim, &cnt);
	/* PD3, PD2, PD1 and PD0 from the cache; only the old SPT read. */
	KUNIT_EXPECT_EQ(test, cnt.dir_hits, 4);
	KUNIT_EXPECT_EQ(test, cnt.walks, 1);

	/* The old SPT reused: its index 7 now says 0x480000. */
	put64(test, sim, 0x104000 + 7 * 8, 0x48001);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x7000, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x480000);

	/* PTE_ONLY: the translation goes, the stale PD0 entry stays. */
	invalidate(test, sim, 0x81000001);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x7008, 0, &t), 0);
	KUNIT_EXPECT_FALSE(test, t.from_tlb);
	KUNIT_EXPECT_EQ(test, t.pa, 0x480008);

	/* UP_TO_PDE0 (2) drops PD0's entries and below. */
	invalidate(test, sim, 0x82000001);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x7000, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x470000);

	/* PD1[0] pointed elsewhere: UP_TO_PDE0 leaves it, ALL drops it. */
	put64(test, sim, 0x102000, 0);
	invalidate(test, sim, 0x82000001);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x7000, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x470000);
	invalidate(test, sim, 0x80000001);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x7000, 0, &t), -EFAULT);
	KUNIT_EXPECT_EQ(test, t.fault, NOVAMM_SIM_FAULT_NO_PDE);
}

/* With the directory cache off, a rewritten PDE is seen by the next walk. */
static void tlb_dir_cache_off(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GA102");
	struct novamm_sim_models mo;
	struct novamm_sim_translation t;
	struct novamm_sim_counters cnt;

	novamm_sim_models(sim, &mo);
	KUNIT_EXPECT_TRUE(test, mo.dir_cache);
	KUNIT_EXPECT_TRUE(test, mo.gpc_tlb);
	mo.dir_cache = false;
	novamm_sim_set_models(sim, &mo);
	build_v2(test, sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x10, 0, &t), 0);
	put64(test, sim, 0x106000 + 7 * 8, 0x47001);
	put64(test, sim, 0x103008, 0x10602);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x7000, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x470000);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.dir_hits, 0);
}

/*
 * BAR1 translates through the hub TLB, an engine through a GPC TLB:
 * HUBTLB_ONLY (bit 2) drops the hub's entries and leaves the GPC's, a
 * full invalidate drops both. With the GPC model off there is one TLB.
 */
static void tlb_hub_and_gpc(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GH100");
	struct novamm_sim_models mo;
	struct novamm_sim_translation t;

	build_v3(test, sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x10, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400010);
	KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(sim, ROOT, 0x10, 0, &t), 0);
	KUNIT_EXPECT_FALSE(test, t.from_tlb);

	/* SPTE 0 (SPT at 0x105000) -> 0x401000: v3, address in place, VALID. */
	put64(test, sim, 0x105000, 0x401001);
	invalidate(test, sim, 0x80000005);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x401020);
	KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_TRUE(test, t.from_tlb);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400020);
	invalidate(test, sim, 0x80000001);
	KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x401020);

	novamm_sim_models(sim, &mo);
	mo.gpc_tlb = false;
	novamm_sim_set_models(sim, &mo);
	KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(sim, ROOT, 0x20, 0, &t), 0);
	put64(test, sim, 0x105000, 0x402001);
	invalidate(test, sim, 0x80000005);
	KUNIT_EXPECT_EQ(test, novamm_sim_engine_translate(sim, ROOT, 0x20, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x402020);
}

/* Every trigger is logged with its fields, dropped or not. */
static void tlb_invalidate_log(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "TU102");
	struct novamm_sim_invalidate e[8];
	struct novamm_sim_counters cnt;

	invalidate(test, sim, 0x80000001);
	/* ALL_VA, HUBTLB_ONLY, SYS_MEMBAR (6), ACK GLOBALLY (8:7 = 1). */
	novamm_sim_wr32(sim, T_INVALIDATE, 0x800000c5);
	novamm_sim_wr32(sim, T_INVALIDATE, 0x80000001);		/* while pending */
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0x80000000);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0);
	novamm_sim_wr32(sim, T_INVALIDATE, 0x80000000);		/* no ALL_VA */
	novamm_sim_wr32(sim, T_INV_PDB, T_INV_PDB_ROOT | 0x2);	/* SYS_MEM */
	novamm_sim_wr32(sim, T_INVALIDATE, 0x80000001);
	/* ALL_PDB with CACHE_LEVEL PTE_ONLY: the PDB registers do not matter. */
	novamm_sim_wr32(sim, T_INVALIDATE, 0x81000003);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0x80000000);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0);

	KUNIT_ASSERT_EQ(test, novamm_sim_invalidates(sim, e, ARRAY_SIZE(e)), 6);
	KUNIT_EXPECT_EQ(test, e[0].pdb, ROOT);
	KUNIT_EXPECT_EQ(test, e[0].value, 0x80000001);
	KUNIT_EXPECT_TRUE(test, e[0].all_va);
	KUNIT_EXPECT_FALSE(test, e[0].hub_only || e[0].sys_membar || e[0].all_pdb);
	KUNIT_EXPECT_EQ(test, e[0].ack, 0);
	KUNIT_EXPECT_FALSE(test, e[0].ignored);
	KUNIT_EXPECT_EQ(test, e[1].value, 0x800000c5);
	KUNIT_EXPECT_TRUE(test, e[1].hub_only && e[1].sys_membar && e[1].all_va);
	KUNIT_EXPECT_EQ(test, e[1].ack, 1);
	KUNIT_EXPECT_FALSE(test, e[1].ignored);
	KUNIT_EXPECT_TRUE(test, e[2].ignored);
	KUNIT_EXPECT_FALSE(test, e[3].all_va);
	KUNIT_EXPECT_TRUE(test, e[3].ignored);
	KUNIT_EXPECT_TRUE(test, e[4].pdb_sysmem);
	KUNIT_EXPECT_EQ(test, e[4].pdb, ROOT);
	KUNIT_EXPECT_TRUE(test, e[4].ignored);
	KUNIT_EXPECT_TRUE(test, e[5].all_pdb);
	KUNIT_EXPECT_EQ(test, e[5].cache_level, 1);
	KUNIT_EXPECT_FALSE(test, e[5].ignored);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 3);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_ignored, 3);

	novamm_sim_clear_invalidates(sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_invalidates(sim, e, ARRAY_SIZE(e)), 0);
}

/* An invalidate that never completes leaves TRIGGER set and the TLB stale. */
static void tlb_invalidate_hang(struct kunit *test)
{
	struct novamm_sim_inject inj = { .invalidate_polls = U32_MAX, .bind_polls = 1,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };
	struct novamm_sim *sim = mmu_sim(test, "GH100");
	struct novamm_sim_translation t;
	struct novamm_sim_counters cnt;
	unsigned int i;

	build_v3(test, sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x10, 0, &t), 0);
	put64(test, sim, 0x105000, 0x401001);
	novamm_sim_set_inject(sim, &inj);
	novamm_sim_wr32(sim, T_INVALIDATE, T_TRIGGER_ALL_PDB);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_INVALIDATE), 0x80000000);
	/* A second trigger while one is pending is ignored. */
	novamm_sim_wr32(sim, T_INVALIDATE, T_TRIGGER_ALL_PDB);
	KUNIT_EXPECT_EQ(test, novamm_sim_translate(sim, ROOT, 0x10, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.pa, 0x400010);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.invalidates, 0);
	KUNIT_EXPECT_EQ(test, cnt.invalidates_ignored, 1);
}

/* Instance block at 0x200000: PDB 0x100000, VID_MEM, VER2, 64 KiB big pages. */
static void build_instance(struct kunit *test, struct novamm_sim *sim, u32 lo)
{
	put32(test, sim, 0x200200, lo);
	put32(test, sim, 0x200204, 0);
}

#define T_BAR1_BLOCK		0xb80f40
#define T_BIND_STATUS		0xb80f50
#define T_BAR1_LOW		0xb80f60
#define T_BAR1_HIGH		0xb80f64
/* NV_PRAMIN: the 1 MiB window's first word in BAR0. */
#define T_PRAMIN_BASE		0x700000

/* Turing-Ada: BAR1_BLOCK, then BIND_STATUS until PENDING/OUTSTANDING clear. */
static void bar1_bind_turing(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "AD102");
	struct novamm_sim_bar1_state st;
	struct novamm_sim_pdata pd;
	struct novamm_sim_fault f[8];
	u8 buf[8];

	novamm_sim_pdata(sim, &pd);
	build_v2(test, sim);
	build_instance(test, sim, 0x100c00);
	put64(test, sim, 0x400000, 0x1122334455667788ULL);

	/* Nothing bound yet. */
	pd.ops->bar1_read(sim, 0, buf, 8);
	KUNIT_EXPECT_EQ(test, buf[0], 0xff);

	/* MODE VIRTUAL (31), TARGET VID_MEM, PTR 0x200000 >> 12. */
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x80000200);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BIND_STATUS), 0x3);
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_FALSE(test, st.bound);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BIND_STATUS), 0x0);
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_TRUE(test, st.bound);
	KUNIT_EXPECT_TRUE(test, st.virtual_mode);
	KUNIT_EXPECT_EQ(test, st.instance, 0x200000);
	KUNIT_EXPECT_EQ(test, st.pdb, ROOT);
	KUNIT_EXPECT_TRUE(test, st.ver2);
	KUNIT_EXPECT_TRUE(test, st.big_64k);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR1_BLOCK), 0x80000200);

	/* Mapped, read-only, no PTE, sparse, beyond BAR1. */
	pd.ops->bar1_read(sim, 0, buf, 8);
	KUNIT_EXPECT_EQ(test, buf[0], 0x88);
	KUNIT_EXPECT_EQ(test, buf[7], 0x11);
	pd.ops->bar1_write(sim, 0x1000, buf, 8);
	pd.ops->bar1_read(sim, 0x4000, buf, 8);
	KUNIT_EXPECT_EQ(test, buf[3], 0xff);
	pd.ops->bar1_read(sim, 0x3000, buf, 8);
	KUNIT_EXPECT_EQ(test, buf[3], 0);
	pd.ops->bar1_read(sim, SZ_256M, buf, 8);
	pd.ops->bar1_write(sim, 0x2000, buf, 8);

	KUNIT_EXPECT_EQ(test, novamm_sim_faults(sim, f, ARRAY_SIZE(f)), 5);
	KUNIT_EXPECT_EQ(test, f[0].va, 0);
	KUNIT_EXPECT_EQ(test, f[0].reason, NOVAMM_SIM_FAULT_UNBOUND);
	KUNIT_EXPECT_EQ(test, f[1].va, 0x1000);
	KUNIT_EXPECT_EQ(test, f[1].access, NOVAMM_SIM_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, f[1].reason, NOVAMM_SIM_FAULT_READ_ONLY);
	KUNIT_EXPECT_EQ(test, f[2].va, 0x4000);
	KUNIT_EXPECT_EQ(test, f[2].reason, NOVAMM_SIM_FAULT_NO_PTE);
	KUNIT_EXPECT_EQ(test, f[3].va, SZ_256M);
	KUNIT_EXPECT_EQ(test, f[3].reason, NOVAMM_SIM_FAULT_OUTSIDE_BAR1);
	KUNIT_EXPECT_EQ(test, f[4].va, 0x2000);
	KUNIT_EXPECT_EQ(test, f[4].reason, NOVAMM_SIM_FAULT_PRIVILEGE);
	novamm_sim_clear_faults(sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_faults(sim, f, ARRAY_SIZE(f)), 0);
	/* The read-only page kept its contents. */
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, 0x401000, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0);
}

/* A PTE changed without an invalidate is served stale through BAR1. */
static void bar1_stale_read(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GA102");
	struct novamm_sim_pdata pd;
	u64 v;

	novamm_sim_pdata(sim, &pd);
	build_v2(test, sim);
	build_instance(test, sim, 0x100c00);
	put64(test, sim, 0x400000, 0xaaaaaaaaaaaaaaaaULL);
	put64(test, sim, 0x401000, 0xbbbbbbbbbbbbbbbbULL);
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x80000200);
	while (novamm_sim_rd32(sim, T_BIND_STATUS))
		;

	pd.ops->bar1_read(sim, 0, &v, 8);
	KUNIT_EXPECT_EQ(test, v, 0xaaaaaaaaaaaaaaaaULL);
	put64(test, sim, 0x104000, 0x40101);		/* SPTE 0 -> 0x401000 */
	pd.ops->bar1_read(sim, 0, &v, 8);
	KUNIT_EXPECT_EQ(test, v, 0xaaaaaaaaaaaaaaaaULL);	/* stale */

	novamm_sim_wr32(sim, T_INV_PDB, T_INV_PDB_ROOT);
	novamm_sim_wr32(sim, T_INV_UPPER_PDB, 0);
	novamm_sim_wr32(sim, T_INVALIDATE, T_TRIGGER_ALL_VA | 0x4);	/* HUBTLB_ONLY */
	while (novamm_sim_rd32(sim, T_INVALIDATE) & 0x80000000)
		;
	pd.ops->bar1_read(sim, 0, &v, 8);
	KUNIT_EXPECT_EQ(test, v, 0xbbbbbbbbbbbbbbbbULL);	/* fresh */
}

/* Instance blocks the hardware would refuse leave BAR1 unbound. */
static void bar1_bad_instance(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GA102");
	struct novamm_sim_bar1_state st;
	static const u32 bad[] = {
		0x100800,	/* USE_VER2_PT_FORMAT clear: v1 format */
		0x100400,	/* BIG_PAGE_SIZE clear: 128 KiB */
		0x100c01,	/* PAGE_DIR_BASE_TARGET INVALID */
		0x100c02,	/* PAGE_DIR_BASE_TARGET SYS_MEM_COHERENT */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		build_instance(test, sim, bad[i]);
		novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x80000200);
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BIND_STATUS), 0x3);
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BIND_STATUS), 0x0);
		novamm_sim_bar1_state(sim, &st);
		KUNIT_EXPECT_FALSE_MSG(test, st.bound, "instance word 0x%x", bad[i]);
	}
	/* TARGET SYS_MEM in the bind register itself. */
	build_instance(test, sim, 0x100c00);
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0xa0000200);
	while (novamm_sim_rd32(sim, T_BIND_STATUS))
		;
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_FALSE(test, st.bound);
}

/* Physical mode: a BAR1 offset is a VRAM address. */
static void bar1_physical(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "TU104");
	struct novamm_sim_bar1_state st;
	struct novamm_sim_pdata pd;
	u64 v = 0x0123456789abcdefULL;

	novamm_sim_pdata(sim, &pd);
	/* TARGET SYS_MEM_COHERENT (29:28 = 2): nothing is bound. */
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x20000200);
	while (novamm_sim_rd32(sim, T_BIND_STATUS))
		;
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_FALSE(test, st.bound);
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x00000200);
	while (novamm_sim_rd32(sim, T_BIND_STATUS))
		;
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_TRUE(test, st.bound);
	KUNIT_EXPECT_FALSE(test, st.virtual_mode);
	pd.ops->bar1_write(sim, 0x345678, &v, 8);
	v = 0;
	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, 0x345678, &v, 8), 0);
	KUNIT_EXPECT_EQ(test, v, 0x0123456789abcdefULL);
}

/*
 * Bus write transactions, worked out by hand from the model in sim/bar1.c
 * ("Bus transactions"): a 64-byte line written whole is one burst; a
 * line written in part is one partial write per 8-byte chunk that holds
 * a written byte.
 */
static const struct bus_case {
	u64 offset;
	u32 len;
	u64 tx;
} bus_cases[] = {
	{ 0x1000, 64, 1 },		/* one whole line */
	{ 0x1000, 4, 1 },		/* a word: one chunk */
	{ 0x1001, 1, 1 },		/* a byte */
	{ 0x1000, 16, 2 },		/* two chunks of a line */
	{ 0x1004, 8, 2 },		/* astride two chunks */
	{ 0x103c, 8, 2 },		/* the last chunk of a line, the first of the next */
	{ 0x1020, 64, 8 },		/* half of two lines: 4 + 4 */
	{ 0x1000, 128, 2 },		/* two whole lines */
	{ 0x1000, 505, 15 },		/* 7 lines, then 57 bytes: 8 chunks */
	{ 0x1000, 4096, 64 },		/* a page */
	{ 0x1008, 4096, 71 },		/* 7 chunks, 63 lines, 1 chunk */
	{ 0x1000, 3 * 4096, 192 },	/* three pages in one write */
	{ 0x1ff8, 16, 2 },		/* a page boundary, no line whole */
};

static void bar1_bus_writes(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "TU104");
	struct novamm_sim_counters c0, c1;
	struct novamm_sim_pdata pd;
	unsigned int i;
	u8 *buf;

	buf = kunit_kzalloc(test, 3 * SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	novamm_sim_pdata(sim, &pd);

	/* Unbound, the write faults, but the CPU sent it all the same. */
	novamm_sim_counters(sim, &c0);
	pd.ops->bar1_write(sim, 0x1000, buf, 64);
	novamm_sim_counters(sim, &c1);
	KUNIT_EXPECT_EQ(test, c1.bar1_faults - c0.bar1_faults, 1);
	KUNIT_EXPECT_EQ(test, c1.bus_writes - c0.bus_writes, 1);

	/* A BAR0 write is one, a read none; PRAMIN is BAR0. */
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x00000200);
	while (novamm_sim_rd32(sim, T_BIND_STATUS))
		;
	novamm_sim_counters(sim, &c0);
	KUNIT_EXPECT_EQ(test, c0.bus_writes - c1.bus_writes, 1);
	novamm_sim_wr32(sim, T_PRAMIN_BASE, 0xcafe);
	novamm_sim_rd32(sim, T_PRAMIN_BASE);
	novamm_sim_counters(sim, &c1);
	KUNIT_EXPECT_EQ(test, c1.bus_writes - c0.bus_writes, 1);

	/* Physical mode: every piece translates. */
	for (i = 0; i < ARRAY_SIZE(bus_cases); i++) {
		const struct bus_case *c = &bus_cases[i];

		novamm_sim_counters(sim, &c0);
		pd.ops->bar1_write(sim, c->offset, buf, c->len);
		novamm_sim_counters(sim, &c1);
		KUNIT_EXPECT_EQ_MSG(test, c1.bus_writes - c0.bus_writes, c->tx,
				    "%u bytes at 0x%llx", c->len, c->offset);
		KUNIT_EXPECT_EQ(test, c1.bar1_writes - c0.bar1_writes, 1);
		KUNIT_EXPECT_EQ(test, c1.bar1_faults, c0.bar1_faults);
	}
}

static void pramin_wr(struct novamm_sim *sim, u64 addr, u32 v)
{
	novamm_sim_wr32(sim, 0x001700, addr >> 16);
	novamm_sim_wr32(sim, 0x700000 + (addr & 0xffff), v);
}

/*
 * Every write that lands in VRAM the GPU reported reserved or protected
 * is counted, by any path: PRAMIN, BAR1, a CPU mapping of BAR1. With
 * GSP-RM on a 64 MiB GA102 that is [56, 60) MiB reserved and [60, 64) MiB
 * protected, less the one root entry of the BAR1 directory at 56 MiB that
 * covers BAR1; without it, the VGA memory [0, 256 KiB) and the top 2 MiB.
 * A write counts when it lands, not when it is posted; tests' direct
 * writes are not the GPU's.
 */
static void sim_protected_watch(struct kunit *test)
{
	struct novamm_sim_config cfg = { .chip = "GA102", .vram_size = VRAM };
	struct novamm_sim_protected_write w[4];
	struct novamm_sim **simp = test->priv;
	struct novamm_sim_models mo;
	struct novamm_sim_counters cnt;
	struct novamm_sim_pdata pd;
	struct novamm_sim *sim;
	struct page *page;
	u32 v = 0x5a5a5a5a;

	KUNIT_ASSERT_EQ(test, novamm_sim_create(&cfg, simp), 0);
	sim = *simp;
	pramin_wr(sim, 0x3800000, 1);		/* the root entry: allowed */
	pramin_wr(sim, 0x3800004, 1);
	pramin_wr(sim, 0x3800008, 2);		/* the next one: GSP-RM's */
	pramin_wr(sim, 0x3c00000, 3);		/* protected */
	pramin_wr(sim, 0x0100000, 4);		/* usable */
	KUNIT_EXPECT_EQ(test, novamm_sim_protected_writes(sim, NULL, 0), 0U);
	novamm_sim_rd32(sim, 0x700000);		/* lands them */
	KUNIT_ASSERT_EQ(test, novamm_sim_protected_writes(sim, w, 4), 2U);
	KUNIT_EXPECT_EQ(test, w[0].addr, 0x3800008ULL);
	KUNIT_EXPECT_EQ(test, w[0].len, 4U);
	KUNIT_EXPECT_FALSE(test, w[0].cpu);
	KUNIT_EXPECT_EQ(test, w[1].addr, 0x3c00000ULL);
	novamm_sim_counters(sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.protected_writes, 2);

	/* A test's direct write is not the GPU's; a switched-off watch sees nothing. */
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_write(sim, 0x3c00010, &v, 4), 0);
	novamm_sim_models(sim, &mo);
	mo.protected_watch = false;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_models(sim, &mo), 0);
	pramin_wr(sim, 0x3c00020, 5);
	novamm_sim_rd32(sim, 0x700000);
	KUNIT_EXPECT_EQ(test, novamm_sim_protected_writes(sim, NULL, 0), 2U);
	novamm_sim_clear_protected_writes(sim);
	KUNIT_EXPECT_EQ(test, novamm_sim_protected_writes(sim, NULL, 0), 0U);
	novamm_sim_destroy(sim);
	*simp = NULL;

	/* No GSP-RM: the firmware's ends; BAR1 in physical mode and its CPU pages. */
	sim = mmu_sim(test, "GA102");
	novamm_sim_pdata(sim, &pd);
	pramin_wr(sim, 0x000100, 6);
	pramin_wr(sim, 0x040000, 7);		/* just past the VGA memory */
	pramin_wr(sim, VRAM - SZ_2M - 4, 8);	/* just below the top 2 MiB */
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x00000000);
	while (novamm_sim_rd32(sim, T_BIND_STATUS))
		;
	pd.ops->bar1_write(sim, VRAM - 16, &v, 4);
	pd.ops->bar1_read(sim, VRAM - 16, &v, 4);
	page = pd.ops->bar1_page(sim, VRAM - SZ_1M, true);
	KUNIT_EXPECT_FALSE(test, IS_ERR(page));
	page = pd.ops->bar1_page(sim, SZ_1M, true);
	KUNIT_EXPECT_FALSE(test, IS_ERR(page));
	KUNIT_ASSERT_EQ(test, novamm_sim_protected_writes(sim, w, 4), 3U);
	KUNIT_EXPECT_EQ(test, w[0].addr, 0x100ULL);
	KUNIT_EXPECT_EQ(test, w[1].addr, VRAM - 16);
	KUNIT_EXPECT_FALSE(test, w[1].cpu);
	KUNIT_EXPECT_EQ(test, w[2].addr, VRAM - SZ_1M);
	KUNIT_EXPECT_EQ(test, w[2].len, (u32)PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, w[2].cpu);
}

/*
 * Hopper and later: LOW_ADDR (MODE 9, TARGET 11:10, address 31:12), then
 * HIGH_ADDR, whose write triggers the bind; LOW_ADDR bits 0 and 1 report it.
 */
static void bar1_bind_hopper(struct kunit *test)
{
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 3,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };
	struct novamm_sim *sim = mmu_sim(test, "GB202");
	struct novamm_sim_bar1_state st;
	struct novamm_sim_pdata pd;
	u64 v;

	novamm_sim_pdata(sim, &pd);
	novamm_sim_set_inject(sim, &inj);
	build_v3(test, sim);
	/* MMU v3: USE_VER2_PT_FORMAT clear, as RM writes it; magic at 0x20c. */
	build_instance(test, sim, 0x100800);
	put32(test, sim, 0x20020c, 0xcafeca11);
	put64(test, sim, 0x400000, 42);

	novamm_sim_wr32(sim, T_BAR1_LOW, 0x200200);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR1_LOW), 0x200200);
	novamm_sim_wr32(sim, T_BAR1_HIGH, 0);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR1_LOW), 0x200203);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR1_LOW), 0x200203);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR1_LOW), 0x200203);
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR1_LOW), 0x200200);
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_TRUE(test, st.bound);
	KUNIT_EXPECT_FALSE(test, st.ver2);
	KUNIT_EXPECT_TRUE(test, st.magic);
	pd.ops->bar1_read(sim, 0, &v, 8);
	KUNIT_EXPECT_EQ(test, v, 42);
	/* Turing's register does not exist here. */
	KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BAR1_BLOCK), NOVAMM_SIM_POISON);
}

/* A bind that never completes never binds. */
static void bar1_bind_hang(struct kunit *test)
{
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = U32_MAX,
					 .gsp = NOVAMM_SIM_GSP_ABSENT };
	struct novamm_sim *sim = mmu_sim(test, "GA104");
	struct novamm_sim_bar1_state st;
	unsigned int i;

	novamm_sim_set_inject(sim, &inj);
	build_instance(test, sim, 0x100c00);
	novamm_sim_wr32(sim, T_BAR1_BLOCK, 0x80000200);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, novamm_sim_rd32(sim, T_BIND_STATUS), 0x3);
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_FALSE(test, st.bound);
}

/* rpc_message_header_v03_00 followed by a zeroed GspStaticConfigInfo. */
#define T_RPC_LEN		(32 + 1656)

static void gsp_request(u8 *req, u32 function, u32 sequence)
{
	static const u32 hdr[8] = { 0x03000000, 0x43505256, T_RPC_LEN, 65,
				    0xffffffff, 0xffffffff, 0, 0 };
	unsigned int i;

	memset(req, 0, T_RPC_LEN);
	for (i = 0; i < 8; i++) {
		__le32 le = cpu_to_le32(i == 3 ? function : i == 6 ? sequence : hdr[i]);

		memcpy(req + 4 * i, &le, 4);
	}
}

static u64 rd(const u8 *p, unsigned int size)
{
	u64 v = 0;

	memcpy(&v, p, size);
	return le64_to_cpu((__force __le64)v);
}

static void gsp_call(struct kunit *test, struct novamm_sim *sim, u32 function,
		     u8 *reply, size_t *len)
{
	struct novamm_sim_pdata pd;
	u8 *req = kunit_kzalloc(test, T_RPC_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, req);
	novamm_sim_pdata(sim, &pd);
	gsp_request(req, function, 7);
	KUNIT_ASSERT_EQ(test, pd.ops->gsp_rpc(sim, req, T_RPC_LEN, reply, 4096, len), 0);
}

/* The static-info reply decodes, at the reference's offsets, to the table. */
static void gsp_static_info(struct kunit *test)
{
	struct novamm_sim_config cfg = { .chip = "GA102", .vram_size = 24ULL * SZ_1G };
	struct novamm_sim **simp = test->priv;
	u8 *reply = kunit_kzalloc(test, 4096, GFP_KERNEL);
	const u8 *info, *e;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, reply);
	KUNIT_ASSERT_EQ(test, novamm_sim_create(&cfg, simp), 0);
	gsp_call(test, *simp, 65, reply, &len);

	KUNIT_EXPECT_EQ(test, len, T_RPC_LEN);
	KUNIT_EXPECT_EQ(test, rd(reply + 0, 4), 0x03000000);
	KUNIT_EXPECT_EQ(test, rd(reply + 4, 4), 0x43505256);
	KUNIT_EXPECT_EQ(test, rd(reply + 8, 4), T_RPC_LEN);
	KUNIT_EXPECT_EQ(test, rd(reply + 12, 4), 65);
	KUNIT_EXPECT_EQ(test, rd(reply + 16, 4), 0);		/* NV_OK */
	KUNIT_EXPECT_EQ(test, rd(reply + 24, 4), 7);		/* sequence echoed */

	/* 24 GiB: usable to 23.5 GiB, 256 MiB reserved, 256 MiB protected. */
	info = reply + 32;
	KUNIT_EXPECT_EQ(test, rd(info + 344, 4), 3);		/* numFBRegions */
	e = info + 352;						/* fbRegion[0] */
	KUNIT_EXPECT_EQ(test, rd(e + 0, 8), 0);
	KUNIT_EXPECT_EQ(test, rd(e + 8, 8), 0x5dfffffffULL);
	KUNIT_EXPECT_EQ(test, rd(e + 16, 8), 0);
	KUNIT_EXPECT_EQ(test, e[28], 1);			/* supportCompressed */
	KUNIT_EXPECT_EQ(test, e[29], 1);			/* supportISO */
	KUNIT_EXPECT_EQ(test, e[30], 0);			/* bProtected */
	e += 48;
	KUNIT_EXPECT_EQ(test, rd(e + 0, 8), 0x5e0000000ULL);
	KUNIT_EXPECT_EQ(test, rd(e + 8, 8), 0x5efffffffULL);
	KUNIT_EXPECT_EQ(test, rd(e + 16, 8), 1);		/* reserved */
	e += 48;
	KUNIT_EXPECT_EQ(test, rd(e + 0, 8), 0x5f0000000ULL);
	KUNIT_EXPECT_EQ(test, rd(e + 8, 8), 0x5ffffffffULL);
	KUNIT_EXPECT_EQ(test, e[30], 1);			/* bProtected */
	KUNIT_EXPECT_EQ(test, rd(info + 1536, 8), 0x5e0000000ULL);	/* bar1PdeBase */
	KUNIT_EXPECT_EQ(test, rd(info + 1544, 8), 0x5e0010000ULL);	/* bar2PdeBase */
}

/* Injected GSP failures, and requests that are not RPC messages. */
static void gsp_faults(struct kunit *test)
{
	struct novamm_sim *sim = mmu_sim(test, "GH100");
	struct novamm_sim_inject inj = { .invalidate_polls = 1, .bind_polls = 1 };
	u8 *reply = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u8 *req = kunit_kzalloc(test, T_RPC_LEN, GFP_KERNEL);
	struct novamm_sim_bar1_state st;
	struct novamm_sim_pdata pd;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, reply);
	KUNIT_ASSERT_NOT_NULL(test, req);
	novamm_sim_pdata(sim, &pd);
	/* mmu_sim() has no GSP-RM: start one. */
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(sim, &inj), 0);

	gsp_call(test, sim, 66, reply, &len);
	KUNIT_EXPECT_EQ(test, len, 32);
	KUNIT_EXPECT_EQ(test, rd(reply + 16, 4), 0x56);		/* NV_ERR_NOT_SUPPORTED */

	inj.gsp = NOVAMM_SIM_GSP_ERROR;
	novamm_sim_set_inject(sim, &inj);
	gsp_call(test, sim, 65, reply, &len);
	KUNIT_EXPECT_EQ(test, len, 32);
	KUNIT_EXPECT_EQ(test, rd(reply + 16, 4), 0xffff);	/* NV_ERR_GENERIC */

	inj.gsp = NOVAMM_SIM_GSP_TRUNCATED;
	novamm_sim_set_inject(sim, &inj);
	gsp_call(test, sim, 65, reply, &len);
	KUNIT_EXPECT_EQ(test, len, 32 + 828);
	KUNIT_EXPECT_EQ(test, rd(reply + 8, 4), T_RPC_LEN);

	inj.gsp = NOVAMM_SIM_GSP_TOO_MANY_REGIONS;
	novamm_sim_set_inject(sim, &inj);
	gsp_call(test, sim, 65, reply, &len);
	KUNIT_EXPECT_EQ(test, rd(reply + 32 + 344, 4), 17);

	inj.gsp = NOVAMM_SIM_GSP_INVERTED_REGION;
	novamm_sim_set_inject(sim, &inj);
	gsp_call(test, sim, 65, reply, &len);
	KUNIT_EXPECT_GT(test, rd(reply + 32 + 352, 8), rd(reply + 32 + 352 + 8, 8));

	inj.gsp = NOVAMM_SIM_GSP_OVERLAPPING_REGIONS;
	novamm_sim_set_inject(sim, &inj);
	gsp_call(test, sim, 65, reply, &len);
	KUNIT_EXPECT_LE(test, rd(reply + 32 + 400, 8), rd(reply + 32 + 352 + 8, 8));

	/* Not an RPC message: no reply at all. */
	gsp_request(req, 65, 1);
	req[4] ^= 1;						/* signature */
	KUNIT_EXPECT_EQ(test, pd.ops->gsp_rpc(sim, req, T_RPC_LEN, reply, 4096, &len),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, len, 0);
	gsp_request(req, 65, 1);
	KUNIT_EXPECT_EQ(test, pd.ops->gsp_rpc(sim, req, 16, reply, 4096, &len), -EPROTO);
	KUNIT_EXPECT_EQ(test, pd.ops->gsp_rpc(sim, req, T_RPC_LEN - 4, reply, 4096, &len),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, pd.ops->gsp_rpc(sim, req, T_RPC_LEN, reply, 100, &len),
			-ENOSPC);

	/* No GSP-RM: no answer at all, and a BAR1 nobody bound. */
	inj.gsp = NOVAMM_SIM_GSP_ABSENT;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(sim, &inj), 0);
	gsp_request(req, 65, 1);
	KUNIT_EXPECT_EQ(test, pd.ops->gsp_rpc(sim, req, T_RPC_LEN, reply, 4096, &len),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, len, 0);
	novamm_sim_bar1_state(sim, &st);
	KUNIT_EXPECT_FALSE(test, st.bound);
	inj.gsp = NOVAMM_SIM_GSP_ABSENT + 1;
	KUNIT_EXPECT_EQ(test, novamm_sim_set_inject(sim, &inj), -EINVAL);
}

static u64 rd_vram(struct kunit *test, struct novamm_sim *sim, u64 addr,
		   unsigned int size)
{
	u8 buf[8] = {};

	KUNIT_EXPECT_EQ(test, novamm_sim_vram_read(sim, addr, buf, size), 0);
	return rd(buf, size);
}

/*
 * GSP-RM binds BAR1 at boot: an instance block 128 KiB past bar1PdeBase,
 * its words as dev_ram.ref.txt lays them out, and an empty root there.
 */
static void gsp_boot_bar1(struct kunit *test)
{
	static const struct { const char *chip; u32 lo_bits; bool magic; } c[] = {
		/* TARGET VID_MEM, BIG_PAGE_SIZE 64K (bit 11), VER2 (bit 10) on v2 only. */
		{ "TU102", 0xc00, false }, { "GH100", 0x800, false }, { "GB202", 0x800, true },
	};
	struct novamm_sim_bar1_state st;
	struct novamm_sim_gsp_config g;
	struct novamm_sim_config cfg = { .vram_size = VRAM };
	struct novamm_sim **simp = test->priv;
	unsigned int i;
	u64 inst;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		cfg.chip = c[i].chip;
		KUNIT_ASSERT_EQ(test, novamm_sim_create(&cfg, simp), 0);
		novamm_sim_gsp_config(*simp, &g);
		novamm_sim_bar1_state(*simp, &st);
		inst = g.bar1_pde_base + SZ_128K;
		KUNIT_EXPECT_TRUE_MSG(test, st.bound, "%s", c[i].chip);
		KUNIT_EXPECT_TRUE(test, st.virtual_mode);
		KUNIT_EXPECT_EQ(test, st.instance, inst);
		KUNIT_EXPECT_EQ(test, st.pdb, g.bar1_pde_base);
		KUNIT_EXPECT_EQ(test, st.magic, c[i].magic);
		KUNIT_EXPECT_EQ(test, rd_vram(test, *simp, inst + 0x200, 4),
				lower_32_bits(g.bar1_pde_base) | c[i].lo_bits);
		KUNIT_EXPECT_EQ(test, rd_vram(test, *simp, inst + 0x204, 4),
				upper_32_bits(g.bar1_pde_base));
		KUNIT_EXPECT_EQ(test, rd_vram(test, *simp, inst + 0x20c, 4),
				c[i].magic ? 0xcafeca11 : 0);
		KUNIT_EXPECT_EQ(test, rd_vram(test, *simp, g.bar1_pde_base, 8), 0);
		novamm_sim_destroy(*simp);
		*simp = NULL;
	}
}

static struct kunit_case novamm_sim_mmu_cases[] = {
	KUNIT_CASE(mmu_v2_golden),
	KUNIT_CASE(mmu_v2_turing_pd1),
	KUNIT_CASE(mmu_v3_golden),
	KUNIT_CASE(mmu_v3_blackwell_pd2),
	KUNIT_CASE(tlb_stale_then_fresh),
	KUNIT_CASE(tlb_invalidate_hang),
	KUNIT_CASE(tlb_dir_cache_stale),
	KUNIT_CASE(tlb_dir_cache_off),
	KUNIT_CASE(tlb_hub_and_gpc),
	KUNIT_CASE(tlb_invalidate_log),
	KUNIT_CASE(bar1_bind_turing),
	KUNIT_CASE(bar1_stale_read),
	KUNIT_CASE(bar1_bad_instance),
	KUNIT_CASE(bar1_physical),
	KUNIT_CASE(bar1_bus_writes),
	KUNIT_CASE(sim_protected_watch),
	KUNIT_CASE(bar1_bind_hopper),
	KUNIT_CASE(bar1_bind_hang),
	KUNIT_CASE(gsp_static_info),
	KUNIT_CASE(gsp_faults),
	KUNIT_CASE(gsp_boot_bar1),
	{}
};

static struct kunit_suite novamm_sim_mmu_suite = {
	.name = "novamm_sim_mmu",
	.init = mmu_test_init,
	.exit = mmu_test_exit,
	.test_cases = novamm_sim_mmu_cases,
};

kunit_test_suite(novamm_sim_mmu_suite);
