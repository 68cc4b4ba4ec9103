/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm: NVIDIA GPU registers, one definition each, named as NVIDIA's
 * manuals name them.
 */

/**
 * DOC: Sources
 *
 * Every register and field novamm uses is defined once, in
 * ``<novamm/regs.h>``, named as NVIDIA's manuals name it, with the
 * public file it comes from. This is the driver's reading of the manuals.
 * The simulated GPU never includes it: ``sim/regs.h`` and ``sim/mmu.h``
 * are a second, independent reading, so that a wrong offset or field here
 * disagrees with the sim in a test instead of agreeing with it by
 * construction.
 *
 * Sources, abbreviated in the definitions:
 *
 * ========  ==============================================================
 * OGKM      NVIDIA/open-gpu-kernel-modules, tag 595.45.04
 * OGD       NVIDIA/open-gpu-doc
 * NOVA      torvalds/linux ``drivers/gpu/nova-core``
 * ========  ==============================================================
 */
#ifndef _NOVAMM_REGS_H_
#define _NOVAMM_REGS_H_

#include <linux/bits.h>
#include <linux/sizes.h>

/*
 * Boot registers: OGKM src/common/inc/swref/published/nv_ref.h,
 * NOVA regs.rs.
 */
#define NV_PMC_BOOT_0				0x00000000
#define   NV_PMC_BOOT_0_MINOR_REVISION		GENMASK(3, 0)
#define   NV_PMC_BOOT_0_MAJOR_REVISION		GENMASK(7, 4)
#define   NV_PMC_BOOT_0_ARCHITECTURE_1		BIT(8)
#define   NV_PMC_BOOT_0_IMPLEMENTATION		GENMASK(23, 20)
#define   NV_PMC_BOOT_0_ARCHITECTURE_0		GENMASK(28, 24)
/* ARCHITECTURE_1 is the MSB above the 5-bit ARCHITECTURE_0 (decodePmcBoot0Architecture). */
#define   NV_PMC_BOOT_0_ARCHITECTURE_0_WIDTH	5

#define NV_PMC_BOOT_42				0x00000a00
#define   NV_PMC_BOOT_42_MINOR_EXTENDED_REVISION GENMASK(11, 8)
#define   NV_PMC_BOOT_42_MINOR_REVISION		GENMASK(15, 12)
#define   NV_PMC_BOOT_42_MAJOR_REVISION		GENMASK(19, 16)
#define   NV_PMC_BOOT_42_IMPLEMENTATION		GENMASK(23, 20)
#define   NV_PMC_BOOT_42_ARCHITECTURE		GENMASK(29, 24)
#define   NV_PMC_BOOT_42_CHIP_ID		GENMASK(29, 20)

/*
 * Architecture codes (BOOT_42 ARCHITECTURE, BOOT_0 ARCHITECTURE_1:0):
 * nv_ref.h, OGKM src/common/sdk/nvidia/inc/ctrl/ctrl2080/ctrl2080mc.h,
 * NOVA gpu.rs. Before Fermi, BOOT_0 held an architecture below 0xc with
 * ARCHITECTURE_1 clear; NOVA gpu.rs refuses those before reading BOOT_42.
 */
#define NV_PMC_BOOT_ARCHITECTURE_FERMI		0x0c
#define NV_PMC_BOOT_ARCHITECTURE_TU100		0x16
#define NV_PMC_BOOT_ARCHITECTURE_GA100		0x17
#define NV_PMC_BOOT_ARCHITECTURE_GH100		0x18
#define NV_PMC_BOOT_ARCHITECTURE_AD100		0x19
#define NV_PMC_BOOT_ARCHITECTURE_GB100		0x1a
#define NV_PMC_BOOT_ARCHITECTURE_GB200		0x1b

/*
 * CHIP_ID values, (ARCHITECTURE << 4) | IMPLEMENTATION: ctrl2080mc.h
 * lists the implementations per architecture, NOVA gpu.rs the combined ids.
 */
#define NV_CHIP_ID_TU102			0x162
#define NV_CHIP_ID_TU104			0x164
#define NV_CHIP_ID_TU106			0x166
#define NV_CHIP_ID_TU117			0x167
#define NV_CHIP_ID_TU116			0x168
#define NV_CHIP_ID_GA100			0x170
#define NV_CHIP_ID_GA102			0x172
#define NV_CHIP_ID_GA103			0x173
#define NV_CHIP_ID_GA104			0x174
#define NV_CHIP_ID_GA106			0x176
#define NV_CHIP_ID_GA107			0x177
#define NV_CHIP_ID_GH100			0x180
#define NV_CHIP_ID_AD102			0x192
#define NV_CHIP_ID_AD103			0x193
#define NV_CHIP_ID_AD104			0x194
#define NV_CHIP_ID_AD106			0x196
#define NV_CHIP_ID_AD107			0x197
#define NV_CHIP_ID_GB100			0x1a0
#define NV_CHIP_ID_GB102			0x1a2
#define NV_CHIP_ID_GB202			0x1b2
#define NV_CHIP_ID_GB203			0x1b3
#define NV_CHIP_ID_GB205			0x1b5
#define NV_CHIP_ID_GB206			0x1b6
#define NV_CHIP_ID_GB207			0x1b7

/*
 * BAR0 layout. nova-core maps 16 MiB of BAR0 (NOVA driver.rs); every
 * register used here lies below that.
 */
#define NV_BAR0_SIZE				SZ_16M

/*
 * PRAMIN: a 1 MiB window of BAR0 onto VRAM ("PRAMIN Priv Ram BAR0 Window
 * 1M HOST"): OGD manuals/turing/tu104/dev_ram.ref.txt; the same range in
 * OGKM .../turing/tu102/dev_ram.h, .../hopper/gh100/dev_ram.h and
 * .../blackwell/gb202/dev_ram.h.
 */
#define NV_PRAMIN				0x00700000
#define NV_PRAMIN_SIZE				SZ_1M

/*
 * The BAR0 window register, Turing to Ada: OGKM
 * src/common/inc/swref/published/maxwell/gm107/dev_bus.h, OGD
 * manuals/turing/tu104/dev_bus.ref.txt. BASE holds address >> 16.
 */
#define NV_PBUS_BAR0_WINDOW			0x00001700
#define   NV_PBUS_BAR0_WINDOW_BASE		GENMASK(23, 0)
#define   NV_PBUS_BAR0_WINDOW_TARGET		GENMASK(25, 24)
#define     NV_PBUS_BAR0_WINDOW_TARGET_VID_MEM		0
#define     NV_PBUS_BAR0_WINDOW_TARGET_SYS_MEM_COHERENT	2
#define     NV_PBUS_BAR0_WINDOW_TARGET_SYS_MEM_NONCOHERENT	3
#define NV_BAR0_WINDOW_BASE_SHIFT		16

/*
 * The BAR0 window register, Hopper and Blackwell: NV_XAL_BASE_ADDRESS
 * 0x10f000 plus 0xd40, in OGKM .../hopper/gh100/hwproject.h and
 * .../gh100/dev_nv_xal_ep_zb.h, .../blackwell/gb100/dev_nv_xal_ep_zb.h,
 * .../blackwell/gb202/dev_nv_xal_ep_zb.h. No TARGET field: the window is
 * always video memory (kbusSetBAR0WindowVidOffset_GH100 in OGKM
 * src/nvidia/src/kernel/gpu/bus/arch/hopper/kern_bus_gh100.c). BASE is 22
 * bits on GH100 and 23 bits on GB10x and GB20x (RM uses the GB100 routine
 * for GB20x: OGKM src/nvidia/generated/g_kern_bus_nvoc.c).
 */
#define NV_XAL_EP_BAR0_WINDOW			0x0010fd40
#define   NV_XAL_EP_BAR0_WINDOW_BASE_GH100	GENMASK(21, 0)
#define   NV_XAL_EP_BAR0_WINDOW_BASE_GB100	GENMASK(22, 0)

/*
 * VRAM size, Turing and GA100: OGKM .../pascal/gp102/dev_fb.h, used by
 * kern_mem_sys_gp102.c; NOVA fb/hal/tu102.rs. Bytes = LOWER_MAG <<
 * (LOWER_SCALE + 20), and 15/16 of that with ECC_MODE set.
 */
#define NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE	0x00100ce0
#define   NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE_LOWER_SCALE	GENMASK(3, 0)
#define   NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE_LOWER_MAG	GENMASK(9, 4)
#define   NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE_ECC_MODE	BIT(30)

/*
 * VRAM size in MiB, GA102 and later (NV_PGC6_AON_SECURE_SCRATCH_GROUP_42):
 * OGKM .../ampere/ga102/dev_gc6_island_addendum.h, kern_mem_sys_ga102.c;
 * NOVA fb/hal/ga102.rs, gh100.rs, gb100.rs, gb202.rs.
 */
#define NV_USABLE_FB_SIZE_IN_MB			0x001183a4

/*
 * GFW boot completion: VBIOS devinit publishes the VRAM size registers,
 * so they are read only after FWSEC lowered the read protection of
 * scratch group 05 and GFW_BOOT reports completion. OGKM
 * .../turing/tu102/dev_gc6_island_addendum.h, _gpuIsGfwBootCompleted_TU102
 * in src/nvidia/src/kernel/gpu/arch/turing/kern_gpu_tu102.c; NOVA regs.rs,
 * gfw.rs.
 */
#define NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK		0x00118128
#define   NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK_READ_PROTECTION_LEVEL0 BIT(0)
#define NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT			0x00118234
#define   NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT_PROGRESS	GENMASK(7, 0)
#define     NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT_PROGRESS_COMPLETED 0xff

/*
 * FB flush: writes through PRAMIN (and BAR1) are posted inside the GPU and
 * may still be on their way to VRAM when a TLB invalidate makes the MMU
 * walk again; RM flushes before every invalidate ("NOTE: Must call
 * kbusFlush BEFORE any calls to busInvalidate", kbusFlush_GM107 in OGKM
 * src/nvidia/src/kernel/gpu/bus/arch/maxwell/kern_bus_gm107.c).
 *
 * Turing to Ada: NV_UFLUSH_FB_FLUSH (OGKM
 * .../published/maxwell/gm107/dev_flush.h); write PENDING_BUSY and poll
 * until neither PENDING nor OUTSTANDING is set, as NVIDIA's nvgpu does
 * (hw_flush_tu104.h/hw_flush_ga100.h: pending 0:0, busy 1; outstanding
 * 1:1) and nouveau's g84_bar_flush (nvkm/subdev/bar/g84.c, used by
 * tu102.c) with a 2 s timeout.
 */
#define NV_UFLUSH_FB_FLUSH				0x00070000
#define   NV_UFLUSH_FB_FLUSH_PENDING			BIT(0)
#define     NV_UFLUSH_FB_FLUSH_PENDING_BUSY		1
#define   NV_UFLUSH_FB_FLUSH_OUTSTANDING		BIT(1)

/*
 * GH100 and GB20x: a read of NV_XAL_EP_ZB_UFLUSH_FB_FLUSH starts a flush
 * and returns its token; NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED has STATUS
 * BUSY while flushes are outstanding and the token of the last completed
 * one. XAL base 0x10f000 (NV_XAL_BASE_ADDRESS in OGKM
 * .../hopper/gh100/hwproject.h) plus 0x800 and 0x804 (.../hopper/gh100/
 * dev_nv_xal_ep_zb.h; NV_XAL_EP_ZB_MEMOP_MAX_OUTSTANDING in
 * dev_nv_xal_zb_addendum.h). kbusSendSysmembarSingle_GH100 (OGKM
 * .../bus/arch/hopper/kern_bus_gh100.c) waits until STATUS is IDLE or the
 * completed token is more than MAX_OUTSTANDING behind the started one,
 * i.e. past it; RM uses it for GH100 and GB20x (g_kern_bus_nvoc.c).
 */
#define NV_XAL_EP_ZB_UFLUSH_FB_FLUSH			0x0010f800
#define   NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_TOKEN		GENMASK(30, 0)
#define NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED		0x0010f804
#define   NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED_TOKEN	GENMASK(30, 0)
#define   NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED_STATUS	BIT(31)
#define     NV_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED_STATUS_BUSY 1
#define NV_XAL_EP_ZB_MEMOP_MAX_OUTSTANDING		140

/*
 * TLB invalidation, Turing to Blackwell, in the virtual-function register
 * block that RM reaches at BAR0 + 0xb80000 on every non-SR-IOV GPU
 * (gpuGetVirtRegPhysOffset_TU102). OGKM .../turing/tu102/dev_vm.h,
 * .../hopper/gh100/dev_vm.h, .../blackwell/gb100/dev_vm.h; OGD
 * manuals/ampere/ga100/dev_vm.ref.txt; sequence from
 * kgmmuCommitTlbInvalidate_TU102 (OGKM .../turing/kern_gmmu_tu102.c).
 * TRIGGER reads 1 until the invalidate completes.
 */
#define NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB		0x00b830a0
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_APERTURE	BIT(1)
#define     NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_APERTURE_VID_MEM	0
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR	GENMASK(31, 4)
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB_ADDR_ALIGNMENT	12
#define NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB	0x00b830a4
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_ADDR	GENMASK(19, 0)
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB_SHIFT	40
#define NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE			0x00b830b0
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ALL_VA	BIT(0)
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ALL_PDB	BIT(1)
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_HUBTLB_ONLY	BIT(2)
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_SYS_MEMBAR	BIT(6)
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ACK		GENMASK(8, 7)
#define     NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ACK_NONE_REQUIRED	0
#define     NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_ACK_GLOBALLY	1
#define   NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_TRIGGER	BIT(31)

/*
 * BAR1 binding: which instance block translates BAR1, in the same
 * virtual-function block. Turing to Ada: one register, bound by the
 * write, complete when BIND_STATUS shows BAR1 neither PENDING nor
 * OUTSTANDING (OGKM .../turing/tu102/dev_vm.h, OGD
 * manuals/ampere/ga100/dev_vm.ref.txt; kbusBar1InstBlkBind_TU102 in OGKM
 * src/nvidia/src/kernel/gpu/bus/arch/turing/kern_bus_tu102.c; nouveau
 * nvkm/subdev/bar/tu102.c). Hopper and Blackwell: LOW then HIGH, the HIGH
 * write triggers the bind, LOW carries the status (OGKM
 * .../hopper/gh100/dev_vm.h, kbusBar1InstBlkBind_GH100 in
 * .../hopper/kern_bus_gh100.c).
 */
#define NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK			0x00b80f40
#define   NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_PTR		GENMASK(27, 0)
#define   NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_TARGET		GENMASK(29, 28)
#define   NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK_MODE		BIT(31)
#define NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS			0x00b80f50
#define   NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS_BAR1_PENDING	BIT(0)
#define   NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS_BAR1_OUTSTANDING	BIT(1)
#define NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR	0x00b80f60
#define   NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_BAR1_PENDING	BIT(0)
#define   NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_BAR1_OUTSTANDING	BIT(1)
#define   NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_MODE	BIT(9)
#define   NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_TARGET	GENMASK(11, 10)
#define   NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR_PTR	GENMASK(31, 12)
#define NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_HIGH_ADDR	0x00b80f64
/* Both generations: BAR1_BLOCK TARGET and MODE values. */
#define NV_BAR1_BLOCK_TARGET_VID_MEM				0
#define NV_BAR1_BLOCK_MODE_PHYSICAL				0
#define NV_BAR1_BLOCK_MODE_VIRTUAL				1
#define NV_BAR1_BLOCK_PTR_SHIFT					12

#endif /* _NOVAMM_REGS_H_ */
