// SPDX-License-Identifier: GPL-2.0-only
/*
 * The chips the sim can pretend to be.
 */

/**
 * DOC: Chips
 *
 * TU102, TU104, TU106, TU116, TU117, GA100, GA102, GA103, GA104, GA106,
 * GA107, AD102, AD103, AD104, AD106, AD107, GH100, GB100, GB102, GB202,
 * GB203, GB205, GB206, GB207. Names are case-insensitive.
 *
 * Architectures and implementations come from OGKM ``ctrl2080mc.h``
 * (``NV2080_CTRL_MC_ARCH_INFO_*``), the chip id being
 * ``(architecture << 4) | implementation`` as nova-core's ``gpu.rs`` keys
 * them; the window register per generation, the VRAM-size register per
 * chip, firmware boot and the FB flush from the sources in ``regs.h``.
 * Each chip's default VRAM size, used when none is asked for, is that of
 * a common board of it; VRAM is allocated sparsely, so a large default
 * costs nothing until written.
 */
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "internal.h"
#include "regs.h"

/*
 * Large pages by level (FMT2, FMT3 in mmu.h): 2 MiB at PD0 everywhere,
 * 512 MiB at PD1 from GA10x on (RM enables them from Ampere), 256 GiB at
 * PD2 on Blackwell. The GFW_BOOT wait is RM's for TU102 to AD107 only
 * (gpuWaitForGfwBootComplete_TU102, OGKM src/nvidia/generated/g_gpu_nvoc.c);
 * the XAL FB flush is RM's kbusSendSysmembarSingle_GH100, chosen for GH100
 * and GB20x (g_kern_bus_nvoc.c); GB10x flushes through GSP-RM there, and
 * its published XAL header has no flush register. BAR1's instance block
 * is bound through FUNC_BAR1_BLOCK_LOW_ADDR/HIGH_ADDR from Hopper on and
 * through BAR1_BLOCK before (VM in mmu.h).
 */
#define CHIP_ID(_arch, _impl)	((SIM_ARCH_##_arch) << 4 | (_impl))

#define TURING(_name, _impl, _vram) {					\
	.name = #_name, .chip_id = CHIP_ID(TU100, _impl),		\
	.window = SIM_PBUS_BAR0_WINDOW,					\
	.window_base = SIM_PBUS_BAR0_WINDOW_BASE,			\
	.window_target = true, .local_memory_range = true,		\
	.gfw_boot = true, .flush = SIM_FLUSH_UFLUSH,			\
	.mmu = &sim_mmu_v2, .vram_default = (_vram) }

#define AMPERE_ADA(_name, _arch, _impl, _lmr, _vram) {			\
	.name = #_name, .chip_id = CHIP_ID(_arch, _impl),		\
	.window = SIM_PBUS_BAR0_WINDOW,					\
	.window_base = SIM_PBUS_BAR0_WINDOW_BASE,			\
	.window_target = true, .local_memory_range = _lmr,		\
	.gfw_boot = true, .flush = SIM_FLUSH_UFLUSH,			\
	.mmu = &sim_mmu_v2, .pd1_pages = true, .vram_default = (_vram) }

#define HOPPER(_name, _impl, _vram) {					\
	.name = #_name, .chip_id = CHIP_ID(GH100, _impl),		\
	.window = SIM_XAL_EP_BAR0_WINDOW,				\
	.window_base = SIM_XAL_EP_BAR0_WINDOW_BASE_GH100,		\
	.flush = SIM_FLUSH_XAL,						\
	.mmu = &sim_mmu_v3, .pd1_pages = true,				\
	.bar1_block_low_high = true, .vram_default = (_vram) }

#define BLACKWELL(_name, _arch, _impl, _flush, _vram) {		\
	.name = #_name, .chip_id = CHIP_ID(_arch, _impl),		\
	.window = SIM_XAL_EP_BAR0_WINDOW,				\
	.window_base = SIM_XAL_EP_BAR0_WINDOW_BASE_GB100,		\
	.flush = (_flush),						\
	.mmu = &sim_mmu_v3, .pd1_pages = true, .pd2_pages = true,	\
	.bar1_block_low_high = true, .ramin_magic = true,		\
	.vram_default = (_vram) }

static const struct sim_chip sim_chips[] = {
	TURING(TU102, 0x2, 11ULL * SZ_1G),
	TURING(TU104, 0x4, 8ULL * SZ_1G),
	TURING(TU106, 0x6, 8ULL * SZ_1G),
	TURING(TU116, 0x8, 6ULL * SZ_1G),
	TURING(TU117, 0x7, 4ULL * SZ_1G),
	AMPERE_ADA(GA100, GA100, 0x0, true, 40ULL * SZ_1G),
	AMPERE_ADA(GA102, GA100, 0x2, false, 24ULL * SZ_1G),
	AMPERE_ADA(GA103, GA100, 0x3, false, 8ULL * SZ_1G),
	AMPERE_ADA(GA104, GA100, 0x4, false, 8ULL * SZ_1G),
	AMPERE_ADA(GA106, GA100, 0x6, false, 12ULL * SZ_1G),
	AMPERE_ADA(GA107, GA100, 0x7, false, 4ULL * SZ_1G),
	AMPERE_ADA(AD102, AD100, 0x2, false, 24ULL * SZ_1G),
	AMPERE_ADA(AD103, AD100, 0x3, false, 16ULL * SZ_1G),
	AMPERE_ADA(AD104, AD100, 0x4, false, 12ULL * SZ_1G),
	AMPERE_ADA(AD106, AD100, 0x6, false, 8ULL * SZ_1G),
	AMPERE_ADA(AD107, AD100, 0x7, false, 8ULL * SZ_1G),
	HOPPER(GH100, 0x0, 80ULL * SZ_1G),
	BLACKWELL(GB100, GB100, 0x0, SIM_FLUSH_NONE, 192ULL * SZ_1G),
	BLACKWELL(GB102, GB100, 0x2, SIM_FLUSH_NONE, 96ULL * SZ_1G),
	BLACKWELL(GB202, GB200, 0x2, SIM_FLUSH_XAL, 32ULL * SZ_1G),
	BLACKWELL(GB203, GB200, 0x3, SIM_FLUSH_XAL, 16ULL * SZ_1G),
	BLACKWELL(GB205, GB200, 0x5, SIM_FLUSH_XAL, 12ULL * SZ_1G),
	BLACKWELL(GB206, GB200, 0x6, SIM_FLUSH_XAL, 8ULL * SZ_1G),
	BLACKWELL(GB207, GB200, 0x7, SIM_FLUSH_XAL, 8ULL * SZ_1G),
};

/**
 * novamm_sim_chip_find() - look a chip up by name
 * @name: chip name, in any case ("ga102", "GH100")
 *
 * Context: Any.
 * Return: the sim's description of the chip, which lives as long as the
 * module; NULL for a chip the sim does not know.
 */
const struct sim_chip *novamm_sim_chip_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sim_chips); i++)
		if (!strcasecmp(sim_chips[i].name, name))
			return &sim_chips[i];
	return NULL;
}
