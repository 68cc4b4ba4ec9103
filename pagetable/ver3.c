// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU v3 page-table formats: Hopper, Blackwell.
 */

/**
 * DOC: MMU v3
 *
 * Six levels over a 57-bit VA, 64 KiB big pages, 2 MiB pages at PD0,
 * 512 MiB at PD1 and, on Blackwell, 256 GiB at PD2. Two formats:
 *
 * - ``novamm_pt_v3_gh100``, Hopper: no 256 GiB pages, which come with the
 *   GB10x HAL;
 * - ``novamm_pt_v3_gb100``, Blackwell: with them.
 *
 * Addresses sit in place in bits 51:12 (51:8 for the big-page table
 * pointer); permissions and caching are one PCF field.
 *
 * Field definitions are NVIDIA's (``NV_MMU_VER3_*``), from OGKM
 * ``src/common/inc/swref/published/hopper/gh100/dev_mmu.h``; levels from
 * OGKM ``src/nvidia/src/kernel/gpu/mmu/arch/hopper/kern_gmmu_fmt_gh10x.c``
 * and, for 256 GiB pages, ``.../blackwell/kern_gmmu_fmt_gb10x.c`` (OGKM:
 * NVIDIA/open-gpu-kernel-modules).
 *
 * The PTE PCF of a valid entry is five independent bits (the 32
 * enumerated ``NV_MMU_VER3_PTE_PCF_*`` names decompose so); of an invalid
 * one, a value: INVALID 0, SPARSE 1, MAPPING_NOWHERE 2, NO_VALID_4KB_PAGE
 * 3. A sparse PTE is PCF SPARSE alone; an invalid one, for a big-page
 * entry the MMU is not to look past, PCF NO_VALID_4KB_PAGE alone. A PDE's
 * PCF means ``VALID_*`` with an aperture and ``INVALID_*`` or ``SPARSE_*``
 * without one: a sparse PDE is written as PCF SPARSE_ATS_ALLOWED alone,
 * and read as sparse whenever PCF is its only field that is not zero and
 * has bit 0 set; an invalid PDE is written as zero, the same as an
 * unmapped one.
 *
 * Where the sources leave a choice: table PDEs carry PCF
 * VALID_CACHED_ATS_NOT_ALLOWED (ATS translates system memory; tables need
 * none of it), and tables in coherent system memory are read uncached,
 * PCF VALID_UNCACHED_ATS_NOT_ALLOWED, as v2's VOL.
 *
 * The encoders refuse with -ERANGE what v3 cannot hold: an address at or
 * above 2^52 or not aligned to 4 KiB (256 bytes for the big-page table
 * pointer), a kind above 15 (``KIND`` is 4 bits), an aperture v3 does not
 * have, and ``encrypted``, which v3 has not.
 *
 * No state: these are tables and pure functions.
 */
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#include <novamm/pagetable.h>

#include "internal.h"

/* PDE, 8 bytes: PD4 to PD1. */
#define NV_MMU_VER3_PDE_IS_PTE			BIT_ULL(0)
#define NV_MMU_VER3_PDE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER3_PDE_PCF			GENMASK_ULL(5, 3)
#define   NV_MMU_VER3_PDE_PCF_VALID_CACHED_ATS_NOT_ALLOWED	2
#define   NV_MMU_VER3_PDE_PCF_VALID_UNCACHED_ATS_NOT_ALLOWED	3
#define   NV_MMU_VER3_PDE_PCF_SPARSE_ATS_ALLOWED		1
#define NV_MMU_VER3_PDE_ADDRESS			GENMASK_ULL(51, 12)

/* Dual PDE, 16 bytes: PD0. The low qword ... */
#define NV_MMU_VER3_DUAL_PDE_IS_PTE		BIT_ULL(0)
#define NV_MMU_VER3_DUAL_PDE_APERTURE_BIG	GENMASK_ULL(2, 1)
#define NV_MMU_VER3_DUAL_PDE_PCF_BIG		GENMASK_ULL(5, 3)
#define NV_MMU_VER3_DUAL_PDE_ADDRESS_BIG	GENMASK_ULL(51, 8)
/* ... and the high qword (entry bits 127:64, less 64). */
#define NV_MMU_VER3_DUAL_PDE_APERTURE_SMALL	GENMASK_ULL(2, 1)	/* 66:65 */
#define NV_MMU_VER3_DUAL_PDE_PCF_SMALL		GENMASK_ULL(5, 3)	/* 69:67 */
#define NV_MMU_VER3_DUAL_PDE_ADDRESS_SMALL	GENMASK_ULL(51, 12)	/* 115:76 */

/* PTE, 8 bytes. */
#define NV_MMU_VER3_PTE_VALID			BIT_ULL(0)
#define NV_MMU_VER3_PTE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER3_PTE_PCF			GENMASK_ULL(7, 3)
#define   NV_MMU_VER3_PTE_PCF_UNCACHED		BIT(0)
#define   NV_MMU_VER3_PTE_PCF_PRIVILEGE		BIT(1)
#define   NV_MMU_VER3_PTE_PCF_RO		BIT(2)
#define   NV_MMU_VER3_PTE_PCF_NO_ATOMIC		BIT(3)
#define   NV_MMU_VER3_PTE_PCF_ACD		BIT(4)
#define   NV_MMU_VER3_PTE_PCF_SPARSE		1
#define   NV_MMU_VER3_PTE_PCF_NO_VALID_4KB_PAGE	3
#define NV_MMU_VER3_PTE_KIND			GENMASK_ULL(11, 8)
#define NV_MMU_VER3_PTE_ADDRESS			GENMASK_ULL(51, 12)

#define VER3_ADDR_BITS				52

static int ver3_pte_encode(const struct novamm_pte *pte, u64 *raw)
{
	const struct novamm_pte_attrs *a = &pte->attrs;
	u64 pcf;

	switch (pte->state) {
	case NOVAMM_PT_UNMAPPED:
		*raw = 0;
		return 0;
	case NOVAMM_PT_SPARSE:
		*raw = FIELD_PREP(NV_MMU_VER3_PTE_PCF, NV_MMU_VER3_PTE_PCF_SPARSE);
		return 0;
	case NOVAMM_PT_INVALID:
		*raw = FIELD_PREP(NV_MMU_VER3_PTE_PCF,
				  NV_MMU_VER3_PTE_PCF_NO_VALID_4KB_PAGE);
		return 0;
	case NOVAMM_PT_VALID:
		break;
	default:
		return -EINVAL;
	}
	if (a->aperture > NOVAMM_PT_APERTURE_SYS_NONCOHERENT || a->encrypted ||
	    a->kind > FIELD_MAX(NV_MMU_VER3_PTE_KIND) ||
	    !IS_ALIGNED(pte->addr, SZ_4K) || pte->addr >> VER3_ADDR_BITS)
		return -ERANGE;
	pcf = (a->uncached ? NV_MMU_VER3_PTE_PCF_UNCACHED : 0) |
	      (a->privileged ? NV_MMU_VER3_PTE_PCF_PRIVILEGE : 0) |
	      (a->read_only ? NV_MMU_VER3_PTE_PCF_RO : 0) |
	      (a->atomic_disable ? NV_MMU_VER3_PTE_PCF_NO_ATOMIC : 0) |
	      (a->no_access_counting ? NV_MMU_VER3_PTE_PCF_ACD : 0);
	*raw = NV_MMU_VER3_PTE_VALID |
	       FIELD_PREP(NV_MMU_VER3_PTE_APERTURE, a->aperture) |
	       FIELD_PREP(NV_MMU_VER3_PTE_PCF, pcf) |
	       FIELD_PREP(NV_MMU_VER3_PTE_KIND, a->kind) |
	       (pte->addr & NV_MMU_VER3_PTE_ADDRESS);
	return 0;
}

static void ver3_pte_decode(u64 raw, struct novamm_pte *pte)
{
	struct novamm_pte_attrs *a = &pte->attrs;
	u64 pcf = FIELD_GET(NV_MMU_VER3_PTE_PCF, raw);

	*pte = (struct novamm_pte){};
	if (!(raw & NV_MMU_VER3_PTE_VALID)) {
		if (!raw)
			pte->state = NOVAMM_PT_UNMAPPED;
		else if (raw == FIELD_PREP(NV_MMU_VER3_PTE_PCF,
					   NV_MMU_VER3_PTE_PCF_SPARSE))
			pte->state = NOVAMM_PT_SPARSE;
		else
			pte->state = NOVAMM_PT_INVALID;
		return;
	}
	pte->state = NOVAMM_PT_VALID;
	pte->addr = raw & NV_MMU_VER3_PTE_ADDRESS;
	a->aperture = FIELD_GET(NV_MMU_VER3_PTE_APERTURE, raw);
	a->kind = FIELD_GET(NV_MMU_VER3_PTE_KIND, raw);
	a->uncached = pcf & NV_MMU_VER3_PTE_PCF_UNCACHED;
	a->privileged = pcf & NV_MMU_VER3_PTE_PCF_PRIVILEGE;
	a->read_only = pcf & NV_MMU_VER3_PTE_PCF_RO;
	a->atomic_disable = pcf & NV_MMU_VER3_PTE_PCF_NO_ATOMIC;
	a->no_access_counting = pcf & NV_MMU_VER3_PTE_PCF_ACD;
}

/* One PDE, or one half of a dual one. */
struct ver3_pde_fields {
	u64 aperture, pcf, address;
	u64 align;
};

static const struct ver3_pde_fields ver3_pde = {
	NV_MMU_VER3_PDE_APERTURE, NV_MMU_VER3_PDE_PCF, NV_MMU_VER3_PDE_ADDRESS,
	SZ_4K,
};

static const struct ver3_pde_fields ver3_dual_big = {
	NV_MMU_VER3_DUAL_PDE_APERTURE_BIG, NV_MMU_VER3_DUAL_PDE_PCF_BIG,
	NV_MMU_VER3_DUAL_PDE_ADDRESS_BIG, 256,
};

static const struct ver3_pde_fields ver3_dual_small = {
	NV_MMU_VER3_DUAL_PDE_APERTURE_SMALL, NV_MMU_VER3_DUAL_PDE_PCF_SMALL,
	NV_MMU_VER3_DUAL_PDE_ADDRESS_SMALL, SZ_4K,
};

static int ver3_pde_fields_encode(const struct ver3_pde_fields *f,
				  const struct novamm_pde *pde, u64 *raw)
{
	switch (pde->state) {
	case NOVAMM_PT_UNMAPPED:
	case NOVAMM_PT_INVALID:
		*raw = 0;
		return 0;
	case NOVAMM_PT_SPARSE:
		*raw = novamm_pt_field_prep(f->pcf, NV_MMU_VER3_PDE_PCF_SPARSE_ATS_ALLOWED);
		return 0;
	case NOVAMM_PT_TABLE:
		break;
	default:
		return -EINVAL;
	}
	if (pde->aperture == NOVAMM_PDE_APERTURE_INVALID ||
	    pde->aperture > NOVAMM_PDE_APERTURE_SYS_NONCOHERENT ||
	    !IS_ALIGNED(pde->addr, f->align) || pde->addr >> VER3_ADDR_BITS)
		return -ERANGE;
	/*
	 * ATS translates system memory and has no business with tables;
	 * tables in coherent system memory are read uncached, as v2's VOL.
	 */
	*raw = novamm_pt_field_prep(f->aperture, pde->aperture) |
	       novamm_pt_field_prep(f->pcf, pde->aperture == NOVAMM_PDE_APERTURE_SYS_COHERENT ?
				    NV_MMU_VER3_PDE_PCF_VALID_UNCACHED_ATS_NOT_ALLOWED :
				    NV_MMU_VER3_PDE_PCF_VALID_CACHED_ATS_NOT_ALLOWED) |
	       (pde->addr & f->address);
	return 0;
}

static void ver3_pde_fields_decode(const struct ver3_pde_fields *f, u64 raw,
				   struct novamm_pde *pde)
{
	*pde = (struct novamm_pde){};
	pde->aperture = novamm_pt_field_get(f->aperture, raw);
	if (pde->aperture == NOVAMM_PDE_APERTURE_INVALID) {
		/* PCF bit 0 without an aperture: SPARSE_ATS_(NOT_)ALLOWED. */
		if (!raw)
			pde->state = NOVAMM_PT_UNMAPPED;
		else if ((raw & ~f->pcf) == 0 && (novamm_pt_field_get(f->pcf, raw) & 1))
			pde->state = NOVAMM_PT_SPARSE;
		else
			pde->state = NOVAMM_PT_INVALID;
		return;
	}
	pde->state = NOVAMM_PT_TABLE;
	pde->addr = raw & f->address;
}

static int ver3_pde_encode(const struct novamm_pde *pde, u64 *raw)
{
	return ver3_pde_fields_encode(&ver3_pde, pde, raw);
}

static void ver3_pde_decode(u64 raw, struct novamm_pde *pde)
{
	ver3_pde_fields_decode(&ver3_pde, raw, pde);
}

static int ver3_dual_encode(const struct novamm_pde *big,
			    const struct novamm_pde *small, u64 raw[2])
{
	int ret = ver3_pde_fields_encode(&ver3_dual_big, big, &raw[0]);

	return ret ? ret : ver3_pde_fields_encode(&ver3_dual_small, small, &raw[1]);
}

static void ver3_dual_decode(const u64 raw[2], struct novamm_pde *big,
			     struct novamm_pde *small)
{
	ver3_pde_fields_decode(&ver3_dual_big, raw[0], big);
	ver3_pde_fields_decode(&ver3_dual_small, raw[1], small);
}

static bool ver3_is_pte(u64 raw)
{
	/* NV_MMU_VER3_PDE_IS_PTE and _DUAL_PDE_IS_PTE: bit 0 of the entry. */
	return raw & NV_MMU_VER3_PDE_IS_PTE;
}

/* Hopper: 256 GiB pages come with the GB10x HAL. */
static const struct novamm_pt_level ver3_dirs_gh100[] = {
	{ .name = "PD4", .va_shift = 56, .va_bits = 1, .entry_size = 8 },
	{ .name = "PD3", .va_shift = 47, .va_bits = 9, .entry_size = 8 },
	{ .name = "PD2", .va_shift = 38, .va_bits = 9, .entry_size = 8 },
	{ .name = "PD1", .va_shift = 29, .va_bits = 9, .entry_size = 8,
	  .pte = true },
	{ .name = "PD0", .va_shift = 21, .va_bits = 8, .entry_size = 16,
	  .dual = true, .pte = true },
};

static const struct novamm_pt_level ver3_dirs_gb100[] = {
	{ .name = "PD4", .va_shift = 56, .va_bits = 1, .entry_size = 8 },
	{ .name = "PD3", .va_shift = 47, .va_bits = 9, .entry_size = 8 },
	{ .name = "PD2", .va_shift = 38, .va_bits = 9, .entry_size = 8,
	  .pte = true },
	{ .name = "PD1", .va_shift = 29, .va_bits = 9, .entry_size = 8,
	  .pte = true },
	{ .name = "PD0", .va_shift = 21, .va_bits = 8, .entry_size = 16,
	  .dual = true, .pte = true },
};

static const struct novamm_pt_level ver3_pt_big = {
	.name = "PT_BIG", .va_shift = 16, .va_bits = 5, .entry_size = 8,
	.pte = true, .leaf = true,
};

static const struct novamm_pt_level ver3_pt_small = {
	.name = "PT_SMALL", .va_shift = 12, .va_bits = 9, .entry_size = 8,
	.pte = true, .leaf = true,
};

/* The v3 entry encodings: every v3 geometry below walks this one layout. */
const struct novamm_pt_codec novamm_pt_codec_v3 = {
	.version = 3, .addr_bits = VER3_ADDR_BITS,
	.pte_encode = ver3_pte_encode, .pte_decode = ver3_pte_decode,
	.pde_encode = ver3_pde_encode, .pde_decode = ver3_pde_decode,
	.dual_encode = ver3_dual_encode, .dual_decode = ver3_dual_decode,
	.is_pte = ver3_is_pte,
};
EXPORT_SYMBOL_GPL(novamm_pt_codec_v3);

const struct novamm_pt_format novamm_pt_v3_gh100 = {
	.name = "v3 (Hopper)", .codec = &novamm_pt_codec_v3, .va_bits = 57,
	.num_dirs = ARRAY_SIZE(ver3_dirs_gh100), .dirs = ver3_dirs_gh100,
	.pt_big = &ver3_pt_big, .pt_small = &ver3_pt_small,
};
EXPORT_SYMBOL_GPL(novamm_pt_v3_gh100);

const struct novamm_pt_format novamm_pt_v3_gb100 = {
	.name = "v3 (Blackwell)", .codec = &novamm_pt_codec_v3, .va_bits = 57,
	.num_dirs = ARRAY_SIZE(ver3_dirs_gb100), .dirs = ver3_dirs_gb100,
	.pt_big = &ver3_pt_big, .pt_small = &ver3_pt_small,
};
EXPORT_SYMBOL_GPL(novamm_pt_v3_gb100);
