/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated GPU's own reading of the registers that are not about the
 * MMU (those are in mmu.h): boot and chip identification, VRAM size, the
 * PRAMIN window, firmware boot and the FB flush.
 *
 * Like mmu.h, these are the oracle's definitions, written from NVIDIA's
 * published headers and manuals; sim/ includes nothing of the driver's
 * but the shared interface, include/novamm/sim.h, so that a wrong offset
 * or field on either side shows up as a disagreement in a test.
 *
 * Sources:
 *   REF    OGKM src/common/inc/swref/published/nv_ref.h (NV_PMC_BOOT_*)
 *   MC     OGKM src/common/sdk/nvidia/inc/ctrl/ctrl2080/ctrl2080mc.h
 *          (architectures and implementations)
 *   RAM    OGD manuals/turing/tu104/dev_ram.ref.txt (NV_PRAMIN)
 *   BUS    OGKM .../published/maxwell/gm107/dev_bus.h, OGD
 *          manuals/turing/tu104/dev_bus.ref.txt (NV_PBUS_BAR0_WINDOW)
 *   XAL    OGKM .../published/hopper/gh100/hwproject.h (NV_XAL_BASE_ADDRESS
 *          0x10f000), .../hopper/gh100/dev_nv_xal_ep_zb.h,
 *          .../blackwell/gb100/dev_nv_xal_ep_zb.h
 *   FB     OGKM .../published/pascal/gp102/dev_fb.h (LOCAL_MEMORY_RANGE)
 *   GC6    OGKM .../published/ampere/ga102/dev_gc6_island_addendum.h,
 *          .../turing/tu102/dev_gc6_island_addendum.h
 *   FLUSH  OGKM .../published/maxwell/gm107/dev_flush.h (the offset); the
 *          fields from NVIDIA's nvgpu hw_flush_tu104.h/hw_flush_ga100.h
 *          (flush_fb_flush_pending 0:0, outstanding 1:1) and nouveau
 *          nvkm/subdev/bar/g84.c (writes 1, polls bit 1)
 *   PRI    OGKM .../published/maxwell/gm107/dev_pri_ringstation_sys.h
 *          (NV_PPRIV_SYS_PRI_ERROR_CODE in 31:8); GPU_READ_PRI_ERROR_MASK
 *          and _CODE in src/nvidia/generated/g_gpu_nvoc.h
 * (OGKM: NVIDIA/open-gpu-kernel-modules; OGD: NVIDIA/open-gpu-doc.)
 */
#ifndef _NOVAMM_SIM_REGS_H_
#define _NOVAMM_SIM_REGS_H_

#include <linux/bits.h>
#include <linux/sizes.h>

/* BAR0 is 16 MiB; every register below lies inside it. */
#define SIM_BAR0_SIZE				SZ_16M

/* ---- Boot registers (REF) ---------------------------------------------- */

#define SIM_PMC_BOOT_0				0x000000
#define   SIM_PMC_BOOT_0_MINOR_REVISION		GENMASK(3, 0)
#define   SIM_PMC_BOOT_0_MAJOR_REVISION		GENMASK(7, 4)
#define   SIM_PMC_BOOT_0_ARCHITECTURE_1		BIT(8)	/* the MSB */
#define   SIM_PMC_BOOT_0_IMPLEMENTATION		GENMASK(23, 20)
#define   SIM_PMC_BOOT_0_ARCHITECTURE_0		GENMASK(28, 24)
/* decodePmcBoot0Architecture: ARCHITECTURE_1 sits above these 5 bits. */
#define   SIM_PMC_BOOT_0_ARCHITECTURE_0_WIDTH	5

#define SIM_PMC_BOOT_42				0x000a00
#define   SIM_PMC_BOOT_42_MINOR_REVISION	GENMASK(15, 12)
#define   SIM_PMC_BOOT_42_MAJOR_REVISION	GENMASK(19, 16)
#define   SIM_PMC_BOOT_42_IMPLEMENTATION	GENMASK(23, 20)
#define   SIM_PMC_BOOT_42_ARCHITECTURE		GENMASK(29, 24)
#define   SIM_PMC_BOOT_42_CHIP_ID		GENMASK(29, 20)	/* arch:impl */

/* NV2080_CTRL_MC_ARCH_INFO_ARCHITECTURE_* (MC). */
#define SIM_ARCH_TU100				0x16
#define SIM_ARCH_GA100				0x17
#define SIM_ARCH_GH100				0x18
#define SIM_ARCH_AD100				0x19
#define SIM_ARCH_GB100				0x1a
#define SIM_ARCH_GB200				0x1b

/* ---- PRAMIN and the BAR0 window (RAM, BUS, XAL) ------------------------ */

#define SIM_PRAMIN				0x700000
#define SIM_PRAMIN_SIZE				SZ_1M

/* Turing to Ada. BASE holds the window's VRAM address >> 16. */
#define SIM_PBUS_BAR0_WINDOW			0x001700
#define   SIM_PBUS_BAR0_WINDOW_BASE		GENMASK(23, 0)
#define   SIM_PBUS_BAR0_WINDOW_TARGET		GENMASK(25, 24)
#define     SIM_PBUS_BAR0_WINDOW_TARGET_VID_MEM	0
/* Hopper and Blackwell: XAL base 0x10f000 + 0xd40, no TARGET (always VRAM). */
#define SIM_XAL_EP_BAR0_WINDOW			0x10fd40
#define   SIM_XAL_EP_BAR0_WINDOW_BASE_GH100	GENMASK(21, 0)
#define   SIM_XAL_EP_BAR0_WINDOW_BASE_GB100	GENMASK(22, 0)
#define SIM_BAR0_WINDOW_BASE_SHIFT		16

/* ---- VRAM size (FB, GC6) ------------------------------------------------ */

/* Turing and GA100: bytes = LOWER_MAG << (LOWER_SCALE + 20). */
#define SIM_PFB_PRI_MMU_LOCAL_MEMORY_RANGE	0x100ce0
#define   SIM_LMR_LOWER_SCALE			GENMASK(3, 0)
#define   SIM_LMR_LOWER_MAG			GENMASK(9, 4)
/* GA102 and later: NV_PGC6_AON_SECURE_SCRATCH_GROUP_42, in MiB. */
#define SIM_USABLE_FB_SIZE_IN_MB		0x1183a4

/* ---- Firmware boot (GC6) ------------------------------------------------ */

/*
 * Turing, Ampere and Ada: FWSEC lowers the read protection of scratch
 * group 05 (bit 0 of its PRIV_LEVEL_MASK set) and devinit reports
 * GFW_BOOT progress 0xff when done.
 */
#define SIM_GC6_SCRATCH_GROUP_05_PRIV_LEVEL_MASK	0x118128
#define   SIM_GC6_SCRATCH_GROUP_05_READ_PROTECTION_LEVEL0 BIT(0)
#define SIM_GC6_SCRATCH_GROUP_05_0_GFW_BOOT		0x118234
#define   SIM_GC6_GFW_BOOT_PROGRESS			GENMASK(7, 0)
#define     SIM_GC6_GFW_BOOT_PROGRESS_COMPLETED		0xff

/* ---- FB flush (FLUSH, XAL) --------------------------------------------- */

/* Turing to Ada: write PENDING_BUSY, busy while PENDING or OUTSTANDING. */
#define SIM_UFLUSH_FB_FLUSH			0x070000
#define   SIM_UFLUSH_FB_FLUSH_PENDING		BIT(0)
#define   SIM_UFLUSH_FB_FLUSH_OUTSTANDING	BIT(1)

/*
 * GH100 and GB20x: a read of FB_FLUSH starts a flush and returns its
 * token; FB_FLUSH_COMPLETED shows the last completed token and STATUS
 * BUSY while flushes are outstanding (kbusSendSysmembarSingle_GH100).
 * The GB100 header has no UFLUSH registers; the sim gives GB10x none.
 */
#define SIM_XAL_EP_ZB_UFLUSH_FB_FLUSH		0x10f800
#define   SIM_XAL_FB_FLUSH_TOKEN		GENMASK(30, 0)
#define SIM_XAL_EP_ZB_UFLUSH_FB_FLUSH_COMPLETED	0x10f804
#define   SIM_XAL_FB_FLUSH_COMPLETED_TOKEN	GENMASK(30, 0)
#define   SIM_XAL_FB_FLUSH_COMPLETED_STATUS_BUSY BIT(31)

/* ---- PRI errors (PRI) --------------------------------------------------- */

/*
 * A read that no register answers returns 0xbad in its top twelve bits;
 * the code in 31:8 says why. FECS_PRI_DECODE (0xbadf11): nothing decodes
 * the address, what a register a generation does not have gives.
 */
#define SIM_PRI_ERROR_DECODE			0xbadf1100

#endif /* _NOVAMM_SIM_REGS_H_ */
