// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU v2 page-table formats: Turing, Ampere, Ada.
 */

/**
 * DOC: MMU v2
 *
 * Five levels over a 49-bit VA, 64 KiB big pages, 2 MiB pages at PD0 and,
 * from GA100 on, 512 MiB pages at PD1. Two formats:
 *
 * - ``novamm_pt_v2_tu102``, Turing: no 512 MiB pages, which RM enables
 *   only from GA10x;
 * - ``novamm_pt_v2_ga100``, Ampere and Ada: with them.
 *
 * Field definitions are NVIDIA's (``NV_MMU_VER2_*``), from OGKM
 * ``kernel-open/nvidia-uvm/hwref/turing/tu102/dev_mmu.h`` and OGD
 * ``manuals/turing/tu104/dev_mmu.ref.txt``; levels from OGKM
 * ``src/nvidia/src/kernel/gpu/mmu/arch/pascal/kern_gmmu_fmt_gp10x.c``,
 * and 512 MiB pages from ``.../ampere/kern_gmmu_fmt_ga10x.c`` (OGKM:
 * NVIDIA/open-gpu-kernel-modules, OGD: NVIDIA/open-gpu-doc).
 *
 * Sparse and invalid forms are as nouveau writes them
 * (``drivers/gpu/drm/nouveau/nvkm/subdev/mmu/vmmgp100.c``): a sparse PTE
 * or PDE is VOL alone; a big-page PTE that is invalid, so that the MMU
 * does not go on to the small-page table, is PRIVILEGE alone. An invalid
 * PDE is written as zero, the same as an unmapped one.
 *
 * An address sits in the entry shifted right by 12 (by 8 for the
 * big-page table pointer of a dual PDE). The encoders refuse with -ERANGE
 * what v2 cannot hold: a video- or peer-memory address at or above 2^37,
 * a system-memory one at or above 2^58, an address not aligned to 4 KiB
 * (256 bytes for the big-page table pointer), an aperture v2 does not
 * have, and the access-counting disable (``no_access_counting``), which
 * v2 has not. Where the sources leave a choice, tables in coherent system
 * memory are read uncached (VOL), as nouveau has it.
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

/* PDE, 8 bytes: PD3, PD2, PD1. */
#define NV_MMU_VER2_PDE_IS_PTE			BIT_ULL(0)
#define NV_MMU_VER2_PDE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER2_PDE_VOL			BIT_ULL(3)
#define NV_MMU_VER2_PDE_NO_ATS			BIT_ULL(5)
#define NV_MMU_VER2_PDE_ADDRESS_SYS		GENMASK_ULL(53, 8)
#define NV_MMU_VER2_PDE_ADDRESS_VID		GENMASK_ULL(32, 8)
#define NV_MMU_VER2_PDE_ADDRESS_SHIFT		12

/* Dual PDE, 16 bytes: PD0. Bits of the low qword ... */
#define NV_MMU_VER2_DUAL_PDE_IS_PTE		BIT_ULL(0)
#define NV_MMU_VER2_DUAL_PDE_APERTURE_BIG	GENMASK_ULL(2, 1)
#define NV_MMU_VER2_DUAL_PDE_VOL_BIG		BIT_ULL(3)
#define NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG_SYS	GENMASK_ULL(53, 4)
#define NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG_VID	GENMASK_ULL(32, 4)
#define NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG_SHIFT	8
/* ... and of the high qword (entry bits 127:64, less 64). */
#define NV_MMU_VER2_DUAL_PDE_APERTURE_SMALL	GENMASK_ULL(2, 1)	/* 66:65 */
#define NV_MMU_VER2_DUAL_PDE_VOL_SMALL		BIT_ULL(3)		/* 67 */
#define NV_MMU_VER2_DUAL_PDE_ADDRESS_SMALL_SYS	GENMASK_ULL(53, 8)	/* 117:72 */
#define NV_MMU_VER2_DUAL_PDE_ADDRESS_SMALL_VID	GENMASK_ULL(32, 8)	/* 96:72 */
#define NV_MMU_VER2_DUAL_PDE_ADDRESS_SHIFT	12

/* PTE, 8 bytes: PT_SMALL, PT_BIG, and large pages at PD0 and PD1. */
#define NV_MMU_VER2_PTE_VALID			BIT_ULL(0)
#define NV_MMU_VER2_PTE_APERTURE		GENMASK_ULL(2, 1)
#define NV_MMU_VER2_PTE_VOL			BIT_ULL(3)
#define NV_MMU_VER2_PTE_ENCRYPTED		BIT_ULL(4)
#define NV_MMU_VER2_PTE_PRIVILEGE		BIT_ULL(5)
#define NV_MMU_VER2_PTE_READ_ONLY		BIT_ULL(6)
#define NV_MMU_VER2_PTE_ATOMIC_DISABLE		BIT_ULL(7)
#define NV_MMU_VER2_PTE_ADDRESS_SYS		GENMASK_ULL(53, 8)
#define NV_MMU_VER2_PTE_ADDRESS_VID		GENMASK_ULL(32, 8)
#define NV_MMU_VER2_PTE_ADDRESS_SHIFT		12
#define NV_MMU_VER2_PTE_KIND			GENMASK_ULL(63, 56)

/* A VRAM address is ADDRESS_VID << 12: 25 + 12 bits. */
#define VER2_VID_ADDR_BITS			37
#define VER2_SYS_ADDR_BITS			58

static bool ver2_aperture_is_vid(u8 aperture)
{
	return aperture == NOVAMM_PT_APERTURE_VIDEO ||
	       aperture == NOVAMM_PT_APERTURE_PEER;
}

static int ver2_addr(u64 addr, u64 align, bool vid, unsigned int shift,
		     u64 vid_field, u64 sys_field, u64 *out)
{
	if (!IS_ALIGNED(addr, align) ||
	    addr >> (vid ? VER2_VID_ADDR_BITS : VER2_SYS_ADDR_BITS))
		return -ERANGE;
	*out = vid ? novamm_pt_field_prep(vid_field, addr >> shift) :
		     novamm_pt_field_prep(sys_field, addr >> shift);
	return 0;
}

static int ver2_pte_encode(const struct novamm_pte *pte, u64 *raw)
{
	const struct novamm_pte_attrs *a = &pte->attrs;
	u64 addr;
	int ret;

	switch (pte->state) {
	case NOVAMM_PT_UNMAPPED:
		*raw = 0;
		return 0;
	case NOVAMM_PT_SPARSE:
		*raw = NV_MMU_VER2_PTE_VOL;
		return 0;
	case NOVAMM_PT_INVALID:
		*raw = NV_MMU_VER2_PTE_PRIVILEGE;
		return 0;
	case NOVAMM_PT_VALID:
		break;
	default:
		return -EINVAL;
	}
	if (a->aperture > NOVAMM_PT_APERTURE_SYS_NONCOHERENT ||
	    a->no_access_counting)
		return -ERANGE;
	ret = ver2_addr(pte->addr, SZ_4K, ver2_aperture_is_vid(a->aperture),
			NV_MMU_VER2_PTE_ADDRESS_SHIFT, NV_MMU_VER2_PTE_ADDRESS_VID,
			NV_MMU_VER2_PTE_ADDRESS_SYS, &addr);
	if (ret)
		return ret;
	*raw = NV_MMU_VER2_PTE_VALID |
	       FIELD_PREP(NV_MMU_VER2_PTE_APERTURE, a->aperture) |
	       (a->uncached ? NV_MMU_VER2_PTE_VOL : 0) |
	       (a->encrypted ? NV_MMU_VER2_PTE_ENCRYPTED : 0) |
	       (a->privileged ? NV_MMU_VER2_PTE_PRIVILEGE : 0) |
	       (a->read_only ? NV_MMU_VER2_PTE_READ_ONLY : 0) |
	       (a->atomic_disable ? NV_MMU_VER2_PTE_ATOMIC_DISABLE : 0) |
	       addr | FIELD_PREP(NV_MMU_VER2_PTE_KIND, a->kind);
	return 0;
}

static void ver2_pte_decode(u64 raw, struct novamm_pte *pte)
{
	struct novamm_pte_attrs *a = &pte->attrs;

	*pte = (struct novamm_pte){};
	if (!(raw & NV_MMU_VER2_PTE_VALID)) {
		if (!raw)
			pte->state = NOVAMM_PT_UNMAPPED;
		else if (raw == NV_MMU_VER2_PTE_VOL)
			pte->state = NOVAMM_PT_SPARSE;
		else
			pte->state = NOVAMM_PT_INVALID;
		return;
	}
	pte->state = NOVAMM_PT_VALID;
	a->aperture = FIELD_GET(NV_MMU_VER2_PTE_APERTURE, raw);
	a->uncached = raw & NV_MMU_VER2_PTE_VOL;
	a->encrypted = raw & NV_MMU_VER2_PTE_ENCRYPTED;
	a->privileged = raw & NV_MMU_VER2_PTE_PRIVILEGE;
	a->read_only = raw & NV_MMU_VER2_PTE_READ_ONLY;
	a->atomic_disable = raw & NV_MMU_VER2_PTE_ATOMIC_DISABLE;
	a->kind = FIELD_GET(NV_MMU_VER2_PTE_KIND, raw);
	if (ver2_aperture_is_vid(a->aperture))
		pte->addr = FIELD_GET(NV_MMU_VER2_PTE_ADDRESS_VID, raw) <<
			    NV_MMU_VER2_PTE_ADDRESS_SHIFT;
	else
		pte->addr = FIELD_GET(NV_MMU_VER2_PTE_ADDRESS_SYS, raw) <<
			    NV_MMU_VER2_PTE_ADDRESS_SHIFT;
}

/* One PDE, or one half of a dual one: the fields differ, the rules not. */
struct ver2_pde_fields {
	u64 aperture, vol, vid, sys;
	unsigned int shift;
	u64 align;
};

static const struct ver2_pde_fields ver2_pde = {
	NV_MMU_VER2_PDE_APERTURE, NV_MMU_VER2_PDE_VOL,
	NV_MMU_VER2_PDE_ADDRESS_VID, NV_MMU_VER2_PDE_ADDRESS_SYS,
	NV_MMU_VER2_PDE_ADDRESS_SHIFT, SZ_4K,
};

static const struct ver2_pde_fields ver2_dual_big = {
	NV_MMU_VER2_DUAL_PDE_APERTURE_BIG, NV_MMU_VER2_DUAL_PDE_VOL_BIG,
	NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG_VID, NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG_SYS,
	NV_MMU_VER2_DUAL_PDE_ADDRESS_BIG_SHIFT, 256,
};

static const struct ver2_pde_fields ver2_dual_small = {
	NV_MMU_VER2_DUAL_PDE_APERTURE_SMALL, NV_MMU_VER2_DUAL_PDE_VOL_SMALL,
	NV_MMU_VER2_DUAL_PDE_ADDRESS_SMALL_VID, NV_MMU_VER2_DUAL_PDE_ADDRESS_SMALL_SYS,
	NV_MMU_VER2_DUAL_PDE_ADDRESS_SHIFT, SZ_4K,
};

static int ver2_pde_fields_encode(const struct ver2_pde_fields *f,
				  const struct novamm_pde *pde, u64 *raw)
{
	u64 addr;
	int ret;

	switch (pde->state) {
	case NOVAMM_PT_UNMAPPED:
	case NOVAMM_PT_INVALID:
		*raw = 0;
		return 0;
	case NOVAMM_PT_SPARSE:
		*raw = f->vol;
		return 0;
	case NOVAMM_PT_TABLE:
		break;
	default:
		return -EINVAL;
	}
	if (pde->aperture == NOVAMM_PDE_APERTURE_INVALID ||
	    pde->aperture > NOVAMM_PDE_APERTURE_SYS_NONCOHERENT)
		return -ERANGE;
	ret = ver2_addr(pde->addr, f->align,
			pde->aperture == NOVAMM_PDE_APERTURE_VIDEO, f->shift,
			f->vid, f->sys, &addr);
	if (ret)
		return ret;
	/* Tables in coherent system memory are volatile, as nouveau has it. */
	*raw = novamm_pt_field_prep(f->aperture, pde->aperture) | addr |
	       (pde->aperture == NOVAMM_PDE_APERTURE_SYS_COHERENT ? f->vol : 0);
	return 0;
}

static void ver2_pde_fields_decode(const struct ver2_pde_fields *f, u64 raw,
				   struct novamm_pde *pde)
{
	*pde = (struct novamm_pde){};
	pde->aperture = novamm_pt_field_get(f->aperture, raw);
	if (pde->aperture == NOVAMM_PDE_APERTURE_INVALID) {
		if (!raw)
			pde->state = NOVAMM_PT_UNMAPPED;
		else if (raw == f->vol)
			pde->state = NOVAMM_PT_SPARSE;
		else
			pde->state = NOVAMM_PT_INVALID;
		return;
	}
	pde->state = NOVAMM_PT_TABLE;
	if (pde->aperture == NOVAMM_PDE_APERTURE_VIDEO)
		pde->addr = novamm_pt_field_get(f->vid, raw) << f->shift;
	else
		pde->addr = novamm_pt_field_get(f->sys, raw) << f->shift;
}

static int ver2_pde_encode(const struct novamm_pde *pde, u64 *raw)
{
	return ver2_pde_fields_encode(&ver2_pde, pde, raw);
}

static void ver2_pde_decode(u64 raw, struct novamm_pde *pde)
{
	ver2_pde_fields_decode(&ver2_pde, raw, pde);
}

static int ver2_dual_encode(const struct novamm_pde *big,
			    const struct novamm_pde *small, u64 raw[2])
{
	int ret = ver2_pde_fields_encode(&ver2_dual_big, big, &raw[0]);

	return ret ? ret : ver2_pde_fields_encode(&ver2_dual_small, small, &raw[1]);
}

static void ver2_dual_decode(const u64 raw[2], struct novamm_pde *big,
			     struct novamm_pde *small)
{
	ver2_pde_fields_decode(&ver2_dual_big, raw[0], big);
	ver2_pde_fields_decode(&ver2_dual_small, raw[1], small);
}

static bool ver2_is_pte(u64 raw)
{
	/* NV_MMU_VER2_PDE_IS_PTE and _DUAL_PDE_IS_PTE: bit 0 of the entry. */
	return raw & NV_MMU_VER2_PDE_IS_PTE;
}

/* Turing: RM maps no 512 MiB pages before GA10x. */
static const struct novamm_pt_level ver2_dirs_tu102[] = {
	{ .name = "PD3", .va_shift = 47, .va_bits = 2, .entry_size = 8 },
	{ .name = "PD2", .va_shift = 38, .va_bits = 9, .entry_size = 8 },
	{ .name = "PD1", .va_shift = 29, .va_bits = 9, .entry_size = 8 },
	{ .name = "PD0", .va_shift = 21, .va_bits = 8, .entry_size = 16,
	  .dual = true, .pte = true },
};

static const struct novamm_pt_level ver2_dirs_ga100[] = {
	{ .name = "PD3", .va_shift = 47, .va_bits = 2, .entry_size = 8 },
	{ .name = "PD2", .va_shift = 38, .va_bits = 9, .entry_size = 8 },
	{ .name = "PD1", .va_shift = 29, .va_bits = 9, .entry_size = 8,
	  .pte = true },
	{ .name = "PD0", .va_shift = 21, .va_bits = 8, .entry_size = 16,
	  .dual = true, .pte = true },
};

static const struct novamm_pt_level ver2_pt_big = {
	.name = "PT_BIG", .va_shift = 16, .va_bits = 5, .entry_size = 8,
	.pte = true, .leaf = true,
};

static const struct novamm_pt_level ver2_pt_small = {
	.name = "PT_SMALL", .va_shift = 12, .va_bits = 9, .entry_size = 8,
	.pte = true, .leaf = true,
};

/* The v2 entry encodings: every v2 geometry below walks this one layout. */
const struct novamm_pt_codec novamm_pt_codec_v2 = {
	.version = 2, .addr_bits = VER2_VID_ADDR_BITS,
	.pte_encode = ver2_pte_encode, .pte_decode = ver2_pte_decode,
	.pde_encode = ver2_pde_encode, .pde_decode = ver2_pde_decode,
	.dual_encode = ver2_dual_encode, .dual_decode = ver2_dual_decode,
	.is_pte = ver2_is_pte,
};
EXPORT_SYMBOL_GPL(novamm_pt_codec_v2);

const struct novamm_pt_format novamm_pt_v2_tu102 = {
	.name = "v2 (Turing)", .codec = &novamm_pt_codec_v2, .va_bits = 49,
	.num_dirs = ARRAY_SIZE(ver2_dirs_tu102), .dirs = ver2_dirs_tu102,
	.pt_big = &ver2_pt_big, .pt_small = &ver2_pt_small,
};
EXPORT_SYMBOL_GPL(novamm_pt_v2_tu102);

const struct novamm_pt_format novamm_pt_v2_ga100 = {
	.name = "v2 (Ampere, Ada)", .codec = &novamm_pt_codec_v2, .va_bits = 49,
	.num_dirs = ARRAY_SIZE(ver2_dirs_ga100), .dirs = ver2_dirs_ga100,
	.pt_big = &ver2_pt_big, .pt_small = &ver2_pt_small,
};
EXPORT_SYMBOL_GPL(novamm_pt_v2_ga100);
