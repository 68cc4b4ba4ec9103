/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated MMU's own reading of the page-table, instance-block, BAR1
 * binding and TLB-invalidate formats.
 *
 * These definitions are the oracle's: they are written from NVIDIA's
 * published headers and nothing else, and the driver's page-table code
 * never includes them, nor does this directory include the driver's.
 * Two independent readings of the manuals are what make a test that
 * compares them mean something.
 *
 * Sources:
 *   MMU2  OGKM kernel-open/nvidia-uvm/hwref/turing/tu102/dev_mmu.h and
 *         OGD manuals/turing/tu104/dev_mmu.ref.txt (NV_MMU_VER2_*)
 *   MMU3  OGKM src/common/inc/swref/published/hopper/gh100/dev_mmu.h
 *         (NV_MMU_VER3_*)
 *   FMT2  OGKM src/nvidia/src/kernel/gpu/mmu/arch/pascal/kern_gmmu_fmt_gp10x.c,
 *         .../ampere/kern_gmmu_fmt_ga10x.c (levels, 512 MiB pages)
 *   FMT3  OGKM .../hopper/kern_gmmu_fmt_gh10x.c, .../blackwell/kern_gmmu_fmt_gb10x.c
 *   RAM   OGD manuals/turing/tu104/dev_ram.ref.txt; OGKM .../dev_ram.h
 *   VM    OGKM src/common/inc/swref/published/turing/tu102/dev_vm.h,
 *         .../hopper/gh100/dev_vm.h; OGD manuals/ampere/ga100/dev_vm.ref.txt
 * (OGKM: NVIDIA/open-gpu-kernel-modules; OGD: NVIDIA/open-gpu-doc.)
 */
#ifndef _NOVAMM_SIM_MMU_H_
#define _NOVAMM_SIM_MMU_H_

#include <linux/bits.h>

/* ---- MMU v2 (MMU2) ---------------------------------------------------- */

/* PDE, 8 bytes (PD3, PD2, PD1). */
#define SIM_V2_PDE_IS_PTE		BIT_ULL(0)
#define SIM_V2_PDE_APERTURE		GENMASK_ULL(2, 1)
#define SIM_V2_PDE_VOL			BIT_ULL(3)
#define SIM_V2_PDE_ADDRESS_VID		GENMASK_ULL(32, 8)	/* addr >> 12 */
#define SIM_V2_PDE_ADDRESS_VID_PEER	GENMASK_ULL(35, 33)

/* PDE and dual-PDE apertures: NV_MMU_VER2_PDE_APERTURE_*. */
#define SIM_V2_PDE_APERTURE_INVALID	0
#define SIM_V2_PDE_APERTURE_VIDEO	1

/* Dual PDE (PD0), 16 bytes: the low qword is the big-page table ... */
#define SIM_V2_DUAL_IS_PTE		BIT_ULL(0)
#define SIM_V2_DUAL_APERTURE_BIG	GENMASK_ULL(2, 1)
#define SIM_V2_DUAL_VOL_BIG		BIT_ULL(3)
#define SIM_V2_DUAL_ADDRESS_BIG_VID	GENMASK_ULL(32, 4)	/* addr >> 8 */
/* ... and the high qword (bits 127:64) the small-page table. */
#define SIM_V2_DUAL_APERTURE_SMALL	GENMASK_ULL(2, 1)	/* 66:65 */
#define SIM_V2_DUAL_VOL_SMALL		BIT_ULL(3)		/* 67 */
#define SIM_V2_DUAL_ADDRESS_SMALL_VID	GENMASK_ULL(32, 8)	/* 96:72, addr >> 12 */

/* PTE, 8 bytes (PT_SMALL, PT_BIG, and large pages at PD0/PD1). */
#define SIM_V2_PTE_VALID		BIT_ULL(0)
#define SIM_V2_PTE_APERTURE		GENMASK_ULL(2, 1)
#define SIM_V2_PTE_VOL			BIT_ULL(3)
#define SIM_V2_PTE_ENCRYPTED		BIT_ULL(4)
#define SIM_V2_PTE_PRIVILEGE		BIT_ULL(5)
#define SIM_V2_PTE_READ_ONLY		BIT_ULL(6)
#define SIM_V2_PTE_ATOMIC_DISABLE	BIT_ULL(7)
#define SIM_V2_PTE_ADDRESS_VID		GENMASK_ULL(32, 8)	/* addr >> 12 */
#define SIM_V2_PTE_ADDRESS_VID_PEER	GENMASK_ULL(35, 33)
#define SIM_V2_PTE_COMPTAGLINE		GENMASK_ULL(55, 36)
#define SIM_V2_PTE_KIND			GENMASK_ULL(63, 56)

/* PTE apertures differ from PDE apertures: NV_MMU_VER2_PTE_APERTURE_*. */
#define SIM_V2_PTE_APERTURE_VIDEO	0

#define SIM_V2_ADDRESS_SHIFT		12
#define SIM_V2_ADDRESS_BIG_SHIFT	8

/* ---- MMU v3 (MMU3) ---------------------------------------------------- */

/* PDE, 8 bytes (PD4 ... PD1): address bits 51:12 in place. */
#define SIM_V3_PDE_IS_PTE		BIT_ULL(0)
#define SIM_V3_PDE_APERTURE		GENMASK_ULL(2, 1)
#define SIM_V3_PDE_PCF			GENMASK_ULL(5, 3)
#define SIM_V3_PDE_ADDRESS		GENMASK_ULL(51, 12)

#define SIM_V3_PDE_APERTURE_INVALID	0
#define SIM_V3_PDE_APERTURE_VIDEO	1
/* PDE PCF with aperture INVALID: SPARSE_ATS_ALLOWED, SPARSE_ATS_NOT_ALLOWED. */
#define SIM_V3_PDE_PCF_SPARSE_ATS_ALLOWED	1
#define SIM_V3_PDE_PCF_SPARSE_ATS_NOT_ALLOWED	3

/* Dual PDE (PD0): big table in the low qword, address bits 51:8 in place. */
#define SIM_V3_DUAL_IS_PTE		BIT_ULL(0)
#define SIM_V3_DUAL_APERTURE_BIG	GENMASK_ULL(2, 1)
#define SIM_V3_DUAL_PCF_BIG		GENMASK_ULL(5, 3)
#define SIM_V3_DUAL_ADDRESS_BIG		GENMASK_ULL(51, 8)
/* Small table in the high qword: 66:65, 69:67, 115:76. */
#define SIM_V3_DUAL_APERTURE_SMALL	GENMASK_ULL(2, 1)
#define SIM_V3_DUAL_PCF_SMALL		GENMASK_ULL(5, 3)
#define SIM_V3_DUAL_ADDRESS_SMALL	GENMASK_ULL(51, 12)

/* PTE, 8 bytes. */
#define SIM_V3_PTE_VALID		BIT_ULL(0)
#define SIM_V3_PTE_APERTURE		GENMASK_ULL(2, 1)
#define SIM_V3_PTE_PCF			GENMASK_ULL(7, 3)
#define SIM_V3_PTE_KIND			GENMASK_ULL(11, 8)
#define SIM_V3_PTE_ADDRESS		GENMASK_ULL(51, 12)
#define SIM_V3_PTE_PEER_ID		GENMASK_ULL(63, 61)

#define SIM_V3_PTE_APERTURE_VIDEO	0

/*
 * PTE PCF with VALID set: the 32 NV_MMU_VER3_PTE_PCF_* names decompose
 * into these independent bits of the 5-bit field.
 */
#define SIM_V3_PTE_PCF_UNCACHED		BIT(0)
#define SIM_V3_PTE_PCF_PRIVILEGE	BIT(1)
#define SIM_V3_PTE_PCF_READ_ONLY	BIT(2)
#define SIM_V3_PTE_PCF_NO_ATOMIC	BIT(3)
#define SIM_V3_PTE_PCF_ACD		BIT(4)

/* PTE PCF with VALID clear. */
#define SIM_V3_PTE_PCF_INVALID			0
#define SIM_V3_PTE_PCF_SPARSE			1
#define SIM_V3_PTE_PCF_MAPPING_NOWHERE		2
#define SIM_V3_PTE_PCF_NO_VALID_4KB_PAGE	3

/* ---- Instance block (RAM), the fields BAR1 uses ----------------------- */

#define SIM_RAMIN_SIZE				4096
#define SIM_RAMIN_PAGE_DIR_BASE_LO		0x200
#define   SIM_RAMIN_PAGE_DIR_BASE_TARGET	GENMASK(1, 0)
#define     SIM_RAMIN_PAGE_DIR_BASE_TARGET_VID_MEM	0
#define     SIM_RAMIN_PAGE_DIR_BASE_TARGET_INVALID	1
#define   SIM_RAMIN_PAGE_DIR_BASE_VOL		BIT(2)
#define   SIM_RAMIN_USE_VER2_PT_FORMAT		BIT(10)
#define   SIM_RAMIN_BIG_PAGE_SIZE		BIT(11)		/* 1 = 64 KiB */
#define   SIM_RAMIN_PAGE_DIR_BASE_LO_ADDR	GENMASK(31, 12)	/* in place */
#define SIM_RAMIN_PAGE_DIR_BASE_HI		0x204		/* addr 63:32 */
/* GB10x/GB20x: NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE (OGKM ga10b/dev_ram.h). */
#define SIM_RAMIN_ENGINE_CTXSW_FW_MAGIC		0x20c
#define   SIM_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE	0xcafeca11

/* ---- BAR1 binding (VM), BAR0 offsets on the physical function --------- */

/* Turing, Ampere, Ada. */
#define SIM_VF_PRIV_BAR1_BLOCK			0xb80f40
#define   SIM_VF_PRIV_BAR1_BLOCK_PTR		GENMASK(27, 0)	/* addr >> 12 */
#define   SIM_VF_PRIV_BAR1_BLOCK_TARGET		GENMASK(29, 28)
#define   SIM_VF_PRIV_BAR1_BLOCK_MODE		BIT(31)		/* 1 = virtual */
#define SIM_VF_PRIV_BIND_STATUS			0xb80f50
#define   SIM_VF_PRIV_BIND_STATUS_BAR1_PENDING		BIT(0)
#define   SIM_VF_PRIV_BIND_STATUS_BAR1_OUTSTANDING	BIT(1)

/* Hopper, Blackwell: the HIGH write triggers the bind. */
#define SIM_VF_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR	0xb80f60
#define   SIM_VF_BAR1_LOW_BAR1_PENDING		BIT(0)
#define   SIM_VF_BAR1_LOW_BAR1_OUTSTANDING	BIT(1)
#define   SIM_VF_BAR1_LOW_MODE			BIT(9)
#define   SIM_VF_BAR1_LOW_TARGET		GENMASK(11, 10)
#define   SIM_VF_BAR1_LOW_PTR			GENMASK(31, 12)	/* addr 31:12 */
#define SIM_VF_PRIV_FUNC_BAR1_BLOCK_HIGH_ADDR	0xb80f64	/* addr 63:32 */

#define SIM_BAR1_TARGET_VID_MEM			0

/* ---- TLB invalidation (VM) --------------------------------------------- */

#define SIM_VF_PRIV_MMU_INVALIDATE_PDB		0xb830a0
#define   SIM_VF_INVALIDATE_PDB_APERTURE	BIT(1)		/* 1 = SYS_MEM */
#define   SIM_VF_INVALIDATE_PDB_ADDR		GENMASK(31, 4)	/* PDB >> 12 */
#define SIM_VF_PRIV_MMU_INVALIDATE_UPPER_PDB	0xb830a4
#define   SIM_VF_INVALIDATE_UPPER_PDB_ADDR	GENMASK(19, 0)	/* PDB >> 40 */
#define SIM_VF_PRIV_MMU_INVALIDATE		0xb830b0
#define   SIM_VF_INVALIDATE_ALL_VA		BIT(0)
#define   SIM_VF_INVALIDATE_ALL_PDB		BIT(1)
#define   SIM_VF_INVALIDATE_HUBTLB_ONLY		BIT(2)
#define   SIM_VF_INVALIDATE_SYS_MEMBAR		BIT(6)
#define   SIM_VF_INVALIDATE_ACK			GENMASK(8, 7)
#define   SIM_VF_INVALIDATE_CACHE_LEVEL		GENMASK(26, 24)
#define     SIM_VF_INVALIDATE_CACHE_LEVEL_ALL		0
#define     SIM_VF_INVALIDATE_CACHE_LEVEL_PTE_ONLY	1
#define     SIM_VF_INVALIDATE_CACHE_LEVEL_UP_TO_PDE0	2
#define   SIM_VF_INVALIDATE_TRIGGER		BIT(31)

#endif /* _NOVAMM_SIM_MMU_H_ */
