// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated MMU: page-table walks for MMU v2 and v3, and the TLBs.
 */

/**
 * DOC: Locking
 *
 * novamm_sim_translate(), novamm_sim_walk() and
 * novamm_sim_engine_translate() take ``sim->lock``; the rest is called with
 * it held (lockdep-asserted), but for novamm_sim_tlb_init(), which runs
 * before the sim is shared, and novamm_sim_root_shift(), which reads only
 * the chip.
 */

/**
 * DOC: Page-table walk
 *
 * novamm_sim_translate() and every BAR1 access walk the tables in
 * simulated VRAM the way the hardware does, decoding them with the sim's
 * own field definitions (``sim/mmu.h``, each with its source); nothing
 * here knows the driver's page-table code. Each MMU version is one row,
 * struct sim_mmu: its directory levels, VA width and entry decoders,
 * which the chip's row names; the walk itself names no version. The
 * formats:
 *
 * - MMU v2: PD3, PD2, PD1, dual PD0, 64 KiB and 4 KiB tables, 49-bit VA;
 * - MMU v3: PD4 to PD1, dual PD0, tables, 57-bit VA, PCF fields, addresses
 *   in place;
 * - 2 MiB pages at PD0, 512 MiB at PD1 from Ampere on, 256 GiB at PD2 on
 *   Blackwell;
 * - sparse PDEs, PD0s and PTEs read as zero without a fault.
 *
 * Under a dual PD0, a valid LPTE wins over whatever the small table says;
 * an LPTE with nothing set sends the walk to the small table; a v2 LPTE
 * with PRIVILEGE set, or a v3 one with PCF ``NO_VALID_4KB_PAGE`` or
 * ``MAPPING_NOWHERE``, faults without looking there. Entries that target
 * system or peer memory fault (the sim has none). Writes to read-only
 * pages and unprivileged accesses to privileged pages fault, checked on
 * every access, from a TLB or not; BAR1 accesses are unprivileged.
 *
 * Where no public source settles the hardware's behaviour, the walk takes
 * the strict reading, so that a driver relying on it fails a test:
 *
 * - an LPTE with VALID clear is "unmapped", and the walk goes on to the
 *   small-page table, only when nothing else is set in its low bits (v2:
 *   neither VOL nor PRIVILEGE; v3: PCF ``INVALID``); VOL alone means
 *   sparse, PRIVILEGE means invalid with the small table ignored
 *   (nouveau's state machine, ``vmm.c``); v3 PCF ``MAPPING_NOWHERE`` and
 *   ``NO_VALID_4KB_PAGE`` fault with the small table ignored;
 * - a PTE of a 64 KiB or larger page whose address is not aligned to its
 *   page size, and any table or page beyond the end of VRAM, is a bad
 *   address;
 * - an entry with IS_PTE set at a level that cannot hold a page (PD3 and
 *   above, PD1 on Turing, PD2 before Blackwell) has no valid PDE.
 */

/**
 * DOC: TLB and directory cache
 *
 * Two TLBs: the hub's, which BAR1 accesses and novamm_sim_translate()
 * use, and a GPC's, which novamm_sim_engine_translate() uses, a test-only
 * engine that translates a VA of any address space. Each caches valid
 * translations per address space and page after their first walk, and
 * every directory entry on the way that points at a table, per address
 * space, level and VA (the page-walk caches that the invalidate
 * register's ``CACHE_LEVEL`` field names, ``dev_vm.h``): a walk takes a
 * cached directory entry without reading VRAM (counted in ``dir_hits``).
 * Faults and sparse results are not cached.
 *
 * Entries stay until an invalidate covering them completes (vm.c). Both
 * TLBs are emptied when one reaches 65,536 entries, to stay bounded and
 * reproducible, and when BAR1's boot state is rebuilt or the
 * ``dir_cache`` or ``gpc_tlb`` model switched. So a table freed and
 * reused, or a directory entry rewritten, without an invalidate in
 * between is walked through the stale entry, as the hardware's walk
 * caches would. novamm_sim_walk() shows what the tables say past every
 * cache.
 */
#include <linux/bitfield.h>
#include <linux/hash.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include "internal.h"
#include "mmu.h"

/*
 * Directory levels above PD0, root first: the VA bit each one's index
 * starts at and how many bits it takes (FMT2/FMT3: v2 PD3 48:47, PD2
 * 46:38, PD1 37:29; v3 PD4 56, PD3 55:47, PD2 46:38, PD1 37:29).
 */
static const struct sim_pd_level sim_v2_pds[] = { { 47, 2 }, { 38, 9 }, { 29, 9 } };
static const struct sim_pd_level sim_v3_pds[] = { { 56, 1 }, { 47, 9 }, { 38, 9 }, { 29, 9 } };

/* PD0: VA 28:21, 16-byte entries; LPT 20:16 and SPT 20:12, 8-byte entries. */
#define SIM_PD0_SHIFT		21
#define SIM_PD0_BITS		8
#define SIM_LPT_SHIFT		16
#define SIM_LPT_BITS		5
#define SIM_SPT_SHIFT		12
#define SIM_SPT_BITS		9

/* ---- MMU v2 ---- */

static bool sim_v2_pte(u64 pte, u64 *addr, struct novamm_sim_translation *t)
{
	if (FIELD_GET(SIM_V2_PTE_APERTURE, pte) != SIM_V2_PTE_APERTURE_VIDEO)
		return false;
	*addr = FIELD_GET(SIM_V2_PTE_ADDRESS_VID, pte) << SIM_V2_ADDRESS_SHIFT;
	t->read_only = pte & SIM_V2_PTE_READ_ONLY;
	t->privileged = pte & SIM_V2_PTE_PRIVILEGE;
	t->vol = pte & SIM_V2_PTE_VOL;
	t->atomic_disable = pte & SIM_V2_PTE_ATOMIC_DISABLE;
	t->kind = FIELD_GET(SIM_V2_PTE_KIND, pte);
	return true;
}

/* VOL alone is sparse; PRIVILEGE is invalid, whatever else is set. */
static bool sim_v2_pte_sparse(u64 pte)
{
	return (pte & SIM_V2_PTE_VOL) && !(pte & SIM_V2_PTE_PRIVILEGE);
}

static bool sim_v2_lpte_unmapped(u64 lpte)
{
	return !(lpte & (SIM_V2_PTE_VOL | SIM_V2_PTE_PRIVILEGE));
}

static enum sim_aperture sim_v2_aperture(u32 ap)
{
	if (ap == SIM_V2_PDE_APERTURE_INVALID)
		return SIM_AP_INVALID;
	return ap == SIM_V2_PDE_APERTURE_VIDEO ? SIM_AP_VIDEO : SIM_AP_OTHER;
}

/* A sparse PD1-PD3 entry has VOL set and nothing else. */
static void sim_v2_pde(u64 pde, struct sim_pde *d)
{
	d->ap = sim_v2_aperture(FIELD_GET(SIM_V2_PDE_APERTURE, pde));
	d->addr = FIELD_GET(SIM_V2_PDE_ADDRESS_VID, pde) << SIM_V2_ADDRESS_SHIFT;
	d->sparse = pde == SIM_V2_PDE_VOL;
}

/* A sparse PD0 entry has VOL_BIG set and nothing else, in both qwords. */
static void sim_v2_dual(const u64 raw[2], struct sim_pde *big, struct sim_pde *small)
{
	big->ap = sim_v2_aperture(FIELD_GET(SIM_V2_DUAL_APERTURE_BIG, raw[0]));
	big->addr = FIELD_GET(SIM_V2_DUAL_ADDRESS_BIG_VID, raw[0]) << SIM_V2_ADDRESS_BIG_SHIFT;
	big->sparse = raw[0] == SIM_V2_DUAL_VOL_BIG && !raw[1];
	small->ap = sim_v2_aperture(FIELD_GET(SIM_V2_DUAL_APERTURE_SMALL, raw[1]));
	small->addr = FIELD_GET(SIM_V2_DUAL_ADDRESS_SMALL_VID, raw[1]) << SIM_V2_ADDRESS_SHIFT;
	small->sparse = false;
}

/* ---- MMU v3 ---- */

static bool sim_v3_pte(u64 pte, u64 *addr, struct novamm_sim_translation *t)
{
	u32 pcf = FIELD_GET(SIM_V3_PTE_PCF, pte);

	if (FIELD_GET(SIM_V3_PTE_APERTURE, pte) != SIM_V3_PTE_APERTURE_VIDEO)
		return false;
	*addr = pte & SIM_V3_PTE_ADDRESS;
	t->read_only = pcf & SIM_V3_PTE_PCF_READ_ONLY;
	t->privileged = pcf & SIM_V3_PTE_PCF_PRIVILEGE;
	t->vol = pcf & SIM_V3_PTE_PCF_UNCACHED;
	t->atomic_disable = pcf & SIM_V3_PTE_PCF_NO_ATOMIC;
	t->kind = FIELD_GET(SIM_V3_PTE_KIND, pte);
	return true;
}

static bool sim_v3_pte_sparse(u64 pte)
{
	return FIELD_GET(SIM_V3_PTE_PCF, pte) == SIM_V3_PTE_PCF_SPARSE;
}

/* MAPPING_NOWHERE and NO_VALID_4KB_PAGE fault with the small table ignored. */
static bool sim_v3_lpte_unmapped(u64 lpte)
{
	return FIELD_GET(SIM_V3_PTE_PCF, lpte) == SIM_V3_PTE_PCF_INVALID;
}

/* PDE PCF values 4 to 7 are not defined: only 1 and 3 mean sparse. */
static bool sim_v3_pcf_sparse(u32 pcf)
{
	return pcf == SIM_V3_PDE_PCF_SPARSE_ATS_ALLOWED ||
	       pcf == SIM_V3_PDE_PCF_SPARSE_ATS_NOT_ALLOWED;
}

static enum sim_aperture sim_v3_aperture(u32 ap)
{
	if (ap == SIM_V3_PDE_APERTURE_INVALID)
		return SIM_AP_INVALID;
	return ap == SIM_V3_PDE_APERTURE_VIDEO ? SIM_AP_VIDEO : SIM_AP_OTHER;
}

static void sim_v3_pde(u64 pde, struct sim_pde *d)
{
	d->ap = sim_v3_aperture(FIELD_GET(SIM_V3_PDE_APERTURE, pde));
	d->addr = pde & SIM_V3_PDE_ADDRESS;
	d->sparse = sim_v3_pcf_sparse(FIELD_GET(SIM_V3_PDE_PCF, pde));
}

/* A sparse PD0 entry has a sparse PCF for the big half, no address, nothing high. */
static void sim_v3_dual(const u64 raw[2], struct sim_pde *big, struct sim_pde *small)
{
	big->ap = sim_v3_aperture(FIELD_GET(SIM_V3_DUAL_APERTURE_BIG, raw[0]));
	big->addr = raw[0] & SIM_V3_DUAL_ADDRESS_BIG;
	big->sparse = sim_v3_pcf_sparse(FIELD_GET(SIM_V3_DUAL_PCF_BIG, raw[0])) &&
		      !(raw[0] & SIM_V3_DUAL_ADDRESS_BIG) && !raw[1];
	small->ap = sim_v3_aperture(FIELD_GET(SIM_V3_DUAL_APERTURE_SMALL, raw[1]));
	small->addr = raw[1] & SIM_V3_DUAL_ADDRESS_SMALL;
	small->sparse = false;
}

/* One row per MMU version: everything the walk needs to know of it. */
const struct sim_mmu sim_mmu_v2 = {
	.version = 2,
	.va_bits = 49,
	.pds = sim_v2_pds,
	.nr_pds = ARRAY_SIZE(sim_v2_pds),
	.is_pte = SIM_V2_PDE_IS_PTE,
	.valid = SIM_V2_PTE_VALID,
	/* ADDRESS_VID, 32:8, holds address bits 36:12. */
	.vram_reach = BIT_ULL(37),
	.ramin_ver2 = true,
	.pte = sim_v2_pte,
	.pte_sparse = sim_v2_pte_sparse,
	.lpte_unmapped = sim_v2_lpte_unmapped,
	.pde = sim_v2_pde,
	.dual = sim_v2_dual,
};

const struct sim_mmu sim_mmu_v3 = {
	.version = 3,
	.va_bits = 57,
	.pds = sim_v3_pds,
	.nr_pds = ARRAY_SIZE(sim_v3_pds),
	.is_pte = SIM_V3_PDE_IS_PTE,
	.valid = SIM_V3_PTE_VALID,
	/* ADDRESS, 51:12, in place. */
	.vram_reach = BIT_ULL(52),
	.pte = sim_v3_pte,
	.pte_sparse = sim_v3_pte_sparse,
	.lpte_unmapped = sim_v3_lpte_unmapped,
	.pde = sim_v3_pde,
	.dual = sim_v3_dual,
};

static u64 sim_index(u64 va, unsigned int shift, unsigned int bits)
{
	return (va >> shift) & GENMASK_ULL(bits - 1, 0);
}

static int sim_rd64(struct novamm_sim *sim, u64 addr, u64 *val)
{
	__le64 le;
	int ret = novamm_sim_vram_access(sim, addr, &le, sizeof(le), false);

	*val = le64_to_cpu(le);
	return ret;
}

static void sim_fault(struct novamm_sim_translation *t,
		      enum novamm_sim_fault_reason reason)
{
	t->fault = reason;
}

/* Decode a PTE found at a level whose pages are 1 << shift bytes. */
static void sim_pte(struct novamm_sim *sim, u64 pte, unsigned int shift,
		    struct novamm_sim_translation *t)
{
	u64 size = BIT_ULL(shift);
	u64 addr;

	if (!sim->chip->mmu->pte(pte, &addr, t))
		return sim_fault(t, NOVAMM_SIM_FAULT_BAD_APERTURE);
	if (!IS_ALIGNED(addr, size) || addr >= sim->vram_size)
		return sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
	t->pa = addr;
	t->page_size = size;
}

/* A PTE with VALID clear: sparse, or a plain fault. */
static void sim_invalid_pte(struct novamm_sim *sim, u64 pte,
			    struct novamm_sim_translation *t)
{
	if (sim->chip->mmu->pte_sparse(pte))
		t->sparse = true;
	else
		sim_fault(t, NOVAMM_SIM_FAULT_NO_PTE);
}

/* Where a PDE points; false, with the fault set, when it points nowhere. */
static bool sim_pde(struct novamm_sim *sim, u64 pde, u64 *table,
		    struct novamm_sim_translation *t)
{
	struct sim_pde d;

	sim->chip->mmu->pde(pde, &d);
	*table = d.addr;
	if (d.ap == SIM_AP_INVALID) {
		if (d.sparse)
			t->sparse = true;
		else
			sim_fault(t, NOVAMM_SIM_FAULT_NO_PDE);
		return false;
	}
	if (d.ap != SIM_AP_VIDEO) {
		sim_fault(t, NOVAMM_SIM_FAULT_BAD_APERTURE);
		return false;
	}
	if (*table >= sim->vram_size) {
		sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
		return false;
	}
	return true;
}

static u32 sim_tlb_hash(u64 pdb, unsigned int key, u64 vpn)
{
	return hash_64(pdb ^ (vpn << 8) ^ key, 10);
}

static struct sim_tlb_entry *sim_tlb_find(struct sim_tlb *tlb, u64 pdb,
					  unsigned int key, u64 vpn)
{
	struct sim_tlb_entry *e;

	hash_for_each_possible(tlb->hash, e, node, sim_tlb_hash(pdb, key, vpn))
		if (e->pdb == pdb && e->key == key && e->vpn == vpn)
			return e;
	return NULL;
}

/* A new entry, or NULL (a lost entry is only a later walk). */
static struct sim_tlb_entry *sim_tlb_add(struct novamm_sim *sim, struct sim_tlb *tlb,
					 u64 pdb, unsigned int key, u64 vpn)
{
	struct sim_tlb_entry *e;

	if (tlb->entries >= SIM_TLB_MAX)
		novamm_sim_tlb_flush_all(sim);
	e = kzalloc(sizeof(*e), SIM_GFP_MMIO);
	if (!e)
		return NULL;
	e->pdb = pdb;
	e->key = key;
	e->vpn = vpn;
	hash_add(tlb->hash, &e->node, sim_tlb_hash(pdb, key, vpn));
	tlb->entries++;
	return e;
}

/*
 * One walk: the address space, the TLB whose directory cache serves it
 * (NULL: none, a walk that reads VRAM only) and the VA.
 */
struct sim_walk {
	struct sim_tlb *tlb;
	u64 pdb;
	u64 va;
};

/*
 * The directory entry of depth @depth (0 for the root) whose index starts
 * at VA bit @shift, @words qwords at @addr: from the directory cache, or
 * read from VRAM. Caching only entries that point at a table is the
 * caller's: see sim_dir_keep().
 */
static int sim_dir_read(struct novamm_sim *sim, const struct sim_walk *w,
			unsigned int depth, unsigned int shift, u64 addr,
			unsigned int words, u64 *raw, bool *cached)
{
	struct sim_tlb_entry *e = NULL;
	unsigned int i;
	int ret;

	*cached = false;
	if (w->tlb && sim->models.dir_cache)
		e = sim_tlb_find(w->tlb, w->pdb, SIM_TLB_DIR + depth, w->va >> shift);
	if (e) {
		sim->cnt.dir_hits++;
		memcpy(raw, e->pde, words * sizeof(u64));
		*cached = true;
		return 0;
	}
	for (i = 0, ret = 0; i < words && !ret; i++)
		ret = sim_rd64(sim, addr + i * 8, &raw[i]);
	return ret;
}

static void sim_dir_keep(struct novamm_sim *sim, const struct sim_walk *w,
			 unsigned int depth, unsigned int shift,
			 const u64 *raw, unsigned int words)
{
	struct sim_tlb_entry *e;

	if (!w->tlb || !sim->models.dir_cache)
		return;
	e = sim_tlb_add(sim, w->tlb, w->pdb, SIM_TLB_DIR + depth, w->va >> shift);
	if (e)
		memcpy(e->pde, raw, words * sizeof(u64));
}

/* PD0's dual entry: a 2 MiB page, or the big and small tables below it. */
static void sim_walk_pd0(struct novamm_sim *sim, const struct sim_walk *w,
			 unsigned int depth, u64 pd0,
			 struct novamm_sim_translation *t)
{
	u64 va = w->va;
	u64 entry = pd0 + sim_index(va, SIM_PD0_SHIFT, SIM_PD0_BITS) * 16;
	const struct sim_mmu *mmu = sim->chip->mmu;
	struct sim_pde big, small;
	u64 raw[2], pte;
	bool cached;

	if (sim_dir_read(sim, w, depth, SIM_PD0_SHIFT, entry, 2, raw, &cached))
		return sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
	/* IS_PTE sits in the same bit of PD0's low qword (MMU2, MMU3). */
	if (raw[0] & mmu->is_pte)
		return sim_pte(sim, raw[0], SIM_PD0_SHIFT, t);

	mmu->dual(raw, &big, &small);
	if (big.ap == SIM_AP_OTHER || small.ap == SIM_AP_OTHER)
		return sim_fault(t, NOVAMM_SIM_FAULT_BAD_APERTURE);
	/* An entry that points at a table is cached, whatever lies below. */
	if ((big.ap == SIM_AP_VIDEO || small.ap == SIM_AP_VIDEO) && !cached)
		sim_dir_keep(sim, w, depth, SIM_PD0_SHIFT, raw, 2);

	if (big.ap == SIM_AP_VIDEO) {
		if (sim_rd64(sim, big.addr + sim_index(va, SIM_LPT_SHIFT, SIM_LPT_BITS) * 8, &pte))
			return sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
		/* A valid LPTE wins over whatever the small table says. */
		if (pte & mmu->valid)
			return sim_pte(sim, pte, SIM_LPT_SHIFT, t);
		if (!mmu->lpte_unmapped(pte))
			return sim_invalid_pte(sim, pte, t);
	}
	if (small.ap == SIM_AP_VIDEO) {
		if (sim_rd64(sim, small.addr + sim_index(va, SIM_SPT_SHIFT, SIM_SPT_BITS) * 8,
			     &pte))
			return sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
		if (pte & mmu->valid)
			return sim_pte(sim, pte, SIM_SPT_SHIFT, t);
		return sim_invalid_pte(sim, pte, t);
	}
	if (big.ap == SIM_AP_VIDEO)
		return sim_fault(t, NOVAMM_SIM_FAULT_NO_PTE);
	if (big.sparse)
		t->sparse = true;
	else
		sim_fault(t, NOVAMM_SIM_FAULT_NO_PDE);
}

/* A full walk from the page directory base, through the directory cache. */
static void sim_walk(struct novamm_sim *sim, const struct sim_walk *w,
		     struct novamm_sim_translation *t)
{
	const struct sim_mmu *mmu = sim->chip->mmu;
	const struct sim_pd_level *pds = mmu->pds;
	unsigned int nr = mmu->nr_pds;
	u64 table = w->pdb, pde, va = w->va;
	unsigned int i;
	bool cached;

	sim->cnt.walks++;
	if (va >> mmu->va_bits)
		return sim_fault(t, NOVAMM_SIM_FAULT_VA_RANGE);

	for (i = 0; i < nr; i++) {
		u64 entry = table + sim_index(va, pds[i].shift, pds[i].bits) * 8;

		if (sim_dir_read(sim, w, i, pds[i].shift, entry, 1, &pde, &cached))
			return sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
		if (pde & mmu->is_pte) {
			if ((pds[i].shift == 29 && sim->chip->pd1_pages) ||
			    (pds[i].shift == 38 && sim->chip->pd2_pages))
				return sim_pte(sim, pde, pds[i].shift, t);
			return sim_fault(t, NOVAMM_SIM_FAULT_NO_PDE);
		}
		if (!sim_pde(sim, pde, &table, t))
			return;
		if (!cached)
			sim_dir_keep(sim, w, i, pds[i].shift, &pde, 1);
	}
	sim_walk_pd0(sim, w, nr, table, t);
}

/**
 * novamm_sim_root_shift() - the VA bit the root directory's index starts at
 * @sim: the simulated GPU
 *
 * 47 with MMU v2 (PD3), 56 with v3 (PD4): the size of VA one root entry
 * covers, which says how many entries of a root directory a BAR1 of a
 * given size uses.
 *
 * Context: Any.
 * Return: the shift.
 */
unsigned int novamm_sim_root_shift(const struct novamm_sim *sim)
{
	return sim->chip->mmu->pds[0].shift;
}

/* Page sizes a translation can have, smallest first. */
static const u8 sim_page_shifts[] = { 12, 16, 21, 29, 38 };

static bool sim_tlb_lookup(struct sim_tlb *tlb, u64 pdb, u64 va,
			   struct novamm_sim_translation *t)
{
	struct sim_tlb_entry *e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sim_page_shifts); i++) {
		e = sim_tlb_find(tlb, pdb, sim_page_shifts[i], va >> sim_page_shifts[i]);
		if (e) {
			*t = e->t;
			t->from_tlb = true;
			return true;
		}
	}
	return false;
}

static void sim_tlb_insert(struct novamm_sim *sim, struct sim_tlb *tlb, u64 pdb,
			   u64 va, const struct novamm_sim_translation *t)
{
	unsigned int shift = __ffs64(t->page_size);
	struct sim_tlb_entry *e = sim_tlb_add(sim, tlb, pdb, shift, va >> shift);

	if (e)
		e->t = *t;
}

/**
 * novamm_sim_tlb_init() - start with both TLBs empty
 * @sim: the simulated GPU, being created
 *
 * Context: Process context, before the sim is shared.
 */
void novamm_sim_tlb_init(struct novamm_sim *sim)
{
	unsigned int i;

	for (i = 0; i < SIM_TLB_COUNT; i++) {
		hash_init(sim->tlb[i].hash);
		sim->tlb[i].entries = 0;
	}
}

/*
 * Whether an invalidate's CACHE_LEVEL covers an entry: ALL covers every
 * one, PTE_ONLY the translations, UP_TO_PDEn the translations and the
 * directory levels from PD0 up to PDn.
 */
static bool sim_tlb_covers(struct novamm_sim *sim, const struct sim_tlb_entry *e,
			   u32 level)
{
	unsigned int nr = sim->chip->mmu->nr_pds;

	if (level == SIM_VF_INVALIDATE_CACHE_LEVEL_ALL || e->key < SIM_TLB_DIR)
		return true;
	if (level < SIM_VF_INVALIDATE_CACHE_LEVEL_UP_TO_PDE0)
		return false;
	/* PD0 is the deepest directory, depth nr; PDn is depth nr - n. */
	return nr - (e->key - SIM_TLB_DIR) <= level - SIM_VF_INVALIDATE_CACHE_LEVEL_UP_TO_PDE0;
}

static void sim_tlb_drop(struct novamm_sim *sim, struct sim_tlb *tlb, bool all,
			 u64 pdb, u32 level)
{
	struct sim_tlb_entry *e;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(tlb->hash, bkt, tmp, e, node) {
		if ((all || e->pdb == pdb) && sim_tlb_covers(sim, e, level)) {
			hash_del(&e->node);
			kfree(e);
			tlb->entries--;
		}
	}
}

/**
 * novamm_sim_tlb_flush() - what a completed invalidate drops
 * @sim: the simulated GPU, lock held
 * @invalidate: the MMU_INVALIDATE value: ALL_PDB, HUBTLB_ONLY and
 *	CACHE_LEVEL say what goes
 * @pdb: the address space whose entries go, without ALL_PDB
 *
 * HUBTLB_ONLY leaves the GPC TLB alone, unless that model is off.
 *
 * Context: sim->lock held.
 */
void novamm_sim_tlb_flush(struct novamm_sim *sim, u32 invalidate, u64 pdb)
{
	bool all = invalidate & SIM_VF_INVALIDATE_ALL_PDB;
	u32 level = FIELD_GET(SIM_VF_INVALIDATE_CACHE_LEVEL, invalidate);

	lockdep_assert_held(&sim->lock);
	sim_tlb_drop(sim, &sim->tlb[SIM_TLB_HUB], all, pdb, level);
	if (!(invalidate & SIM_VF_INVALIDATE_HUBTLB_ONLY) || !sim->models.gpc_tlb)
		sim_tlb_drop(sim, &sim->tlb[SIM_TLB_GPC], all, pdb, level);
}

/**
 * novamm_sim_tlb_flush_all() - empty both TLBs and their directory caches
 * @sim: the simulated GPU
 *
 * For what no invalidate stands for: the sim's destruction, a new BAR1
 * boot, a strict model switched, a TLB full.
 *
 * Context: sim->lock held.
 */
void novamm_sim_tlb_flush_all(struct novamm_sim *sim)
{
	unsigned int i;

	lockdep_assert_held(&sim->lock);
	for (i = 0; i < SIM_TLB_COUNT; i++)
		sim_tlb_drop(sim, &sim->tlb[i], true, 0, SIM_VF_INVALIDATE_CACHE_LEVEL_ALL);
}

/**
 * novamm_sim_translate_locked() - translate through a TLB and the walk
 * @sim: the simulated GPU, lock held
 * @tlb: which TLB: the hub's for BAR1, a GPC's for engines
 * @pdb: VRAM address of the address space's root page directory
 * @va: the virtual address
 * @access: NOVAMM_SIM_ACCESS_* flags
 * @t: the result; @t->pa is the VRAM address of @va
 *
 * Permissions are checked on every access, cached or not. Faults are
 * returned, not logged: logging them is BAR1's business.
 *
 * Context: sim->lock held.
 * Return: 0 when @va maps to VRAM or is sparse, -EFAULT with @t->fault
 * set otherwise.
 */
int novamm_sim_translate_locked(struct novamm_sim *sim, enum sim_tlb_id tlb,
				u64 pdb, u64 va, unsigned int access,
				struct novamm_sim_translation *t)
{
	struct sim_walk w = { .tlb = &sim->tlb[tlb], .pdb = pdb, .va = va };

	lockdep_assert_held(&sim->lock);
	memset(t, 0, sizeof(*t));

	if (sim_tlb_lookup(w.tlb, pdb, va, t)) {
		sim->cnt.tlb_hits++;
	} else {
		sim_walk(sim, &w, t);
		if (!t->fault && !t->sparse)
			sim_tlb_insert(sim, w.tlb, pdb, va, t);
	}
	if (t->fault || t->sparse)
		return t->fault ? -EFAULT : 0;

	if ((access & NOVAMM_SIM_ACCESS_WRITE) && t->read_only)
		sim_fault(t, NOVAMM_SIM_FAULT_READ_ONLY);
	else if (t->privileged && !(access & NOVAMM_SIM_ACCESS_PRIV))
		sim_fault(t, NOVAMM_SIM_FAULT_PRIVILEGE);
	if (t->fault)
		return -EFAULT;
	t->pa += va & (t->page_size - 1);
	if (t->pa >= sim->vram_size)
		sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
	return t->fault ? -EFAULT : 0;
}

/**
 * novamm_sim_translate() - translate a virtual address as BAR1 would
 * @sim: the simulated GPU
 * @pdb: VRAM address of the address space's root page directory
 * @va: the virtual address
 * @access: NOVAMM_SIM_ACCESS_* flags
 * @t: the result
 *
 * Goes through the hub TLB and the walk that BAR1 accesses use, so an
 * address space can be checked before BAR1 is bound to it. Faults are
 * returned, not logged.
 *
 * Context: Process context; takes sim->lock.
 * Return: 0 when mapped or sparse, -EFAULT with @t->fault set otherwise.
 */
int novamm_sim_translate(struct novamm_sim *sim, u64 pdb, u64 va,
			 unsigned int access, struct novamm_sim_translation *t)
{
	int ret;

	mutex_lock(&sim->lock);
	ret = novamm_sim_translate_locked(sim, SIM_TLB_HUB, pdb, va, access, t);
	mutex_unlock(&sim->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_sim_translate);

/**
 * novamm_sim_walk() - what the tables in VRAM say, past every cache
 * @sim: the simulated GPU
 * @pdb: as for novamm_sim_translate()
 * @va: likewise
 * @t: the result
 *
 * A walk with no TLB and no directory cache in the way, caching nothing:
 * what any client would see after a complete invalidate. Tests compare
 * it before and after an operation that failed, where a TLB would still
 * show a translation the tables no longer hold. Writes still posted are
 * not seen, as by any walk.
 *
 * Context: Process context; takes sim->lock.
 * Return: as novamm_sim_translate() for a privileged read.
 */
int novamm_sim_walk(struct novamm_sim *sim, u64 pdb, u64 va,
		    struct novamm_sim_translation *t)
{
	struct sim_walk w = { .pdb = pdb, .va = va };

	mutex_lock(&sim->lock);
	memset(t, 0, sizeof(*t));
	sim_walk(sim, &w, t);
	if (!t->fault && !t->sparse) {
		t->pa += va & (t->page_size - 1);
		if (t->pa >= sim->vram_size)
			sim_fault(t, NOVAMM_SIM_FAULT_BAD_ADDRESS);
	}
	mutex_unlock(&sim->lock);
	return t->fault ? -EFAULT : 0;
}
EXPORT_SYMBOL_GPL(novamm_sim_walk);

/**
 * novamm_sim_engine_translate() - translate as an engine in a GPC would
 * @sim: the simulated GPU
 * @pdb: as for novamm_sim_translate()
 * @va: likewise
 * @access: likewise
 * @t: likewise
 *
 * A test-only engine: the same walk through the GPC TLB, which an
 * invalidate with HUBTLB_ONLY does not touch.
 *
 * Context: Process context; takes sim->lock.
 * Return: as novamm_sim_translate().
 */
int novamm_sim_engine_translate(struct novamm_sim *sim, u64 pdb, u64 va,
				unsigned int access,
				struct novamm_sim_translation *t)
{
	int ret;

	mutex_lock(&sim->lock);
	ret = novamm_sim_translate_locked(sim, SIM_TLB_GPC, pdb, va, access, t);
	mutex_unlock(&sim->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_sim_engine_translate);
