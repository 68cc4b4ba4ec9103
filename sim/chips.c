// SPDX-License-Identifier: GPL-2.0-only
/*
 * The chips the sim can pretend to be.
 *
 * Chip ids: OGKM ctrl2080mc.h and nova-core gpu.rs. Window register per
 * generation and VRAM-size register per chip: see include/novamm/regs.h.
 * Default VRAM sizes are those of common boards of each chip; VRAM is
 * allocated sparsely, so a large default costs nothing until written.
 */
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/regs.h>

#include "internal.h"

/*
 * Large pages by level (FMT2, FMT3 in mmu.h): 2 MiB at PD0 everywhere,
 * 512 MiB at PD1 from GA10x on (RM enables them from Ampere), 256 GiB at
 * PD2 on Blackwell.
 */
#define TURING(_name, _vram) {						\
	.name = #_name, .chip_id = NV_CHIP_ID_##_name,			\
	.window = NV_PBUS_BAR0_WINDOW,					\
	.window_base = NV_PBUS_BAR0_WINDOW_BASE,			\
	.window_target = true, .local_memory_range = true,		\
	.mmu = 2, .vram_default = (_vram) }

#define AMPERE_ADA(_name, _lmr, _vram) {				\
	.name = #_name, .chip_id = NV_CHIP_ID_##_name,			\
	.window = NV_PBUS_BAR0_WINDOW,					\
	.window_base = NV_PBUS_BAR0_WINDOW_BASE,			\
	.window_target = true, .local_memory_range = _lmr,		\
	.mmu = 2, .pd1_pages = true, .vram_default = (_vram) }

#define HOPPER(_name, _vram) {						\
	.name = #_name, .chip_id = NV_CHIP_ID_##_name,			\
	.window = NV_XAL_EP_BAR0_WINDOW,				\
	.window_base = NV_XAL_EP_BAR0_WINDOW_BASE_GH100,		\
	.mmu = 3, .pd1_pages = true, .vram_default = (_vram) }

#define BLACKWELL(_name, _vram) {					\
	.name = #_name, .chip_id = NV_CHIP_ID_##_name,			\
	.window = NV_XAL_EP_BAR0_WINDOW,				\
	.window_base = NV_XAL_EP_BAR0_WINDOW_BASE_GB100,		\
	.mmu = 3, .pd1_pages = true, .pd2_pages = true,			\
	.ramin_magic = true, .vram_default = (_vram) }

static const struct sim_chip sim_chips[] = {
	TURING(TU102, 11ULL * SZ_1G),
	TURING(TU104, 8ULL * SZ_1G),
	TURING(TU106, 8ULL * SZ_1G),
	TURING(TU116, 6ULL * SZ_1G),
	TURING(TU117, 4ULL * SZ_1G),
	AMPERE_ADA(GA100, true, 40ULL * SZ_1G),
	AMPERE_ADA(GA102, false, 24ULL * SZ_1G),
	AMPERE_ADA(GA103, false, 8ULL * SZ_1G),
	AMPERE_ADA(GA104, false, 8ULL * SZ_1G),
	AMPERE_ADA(GA106, false, 12ULL * SZ_1G),
	AMPERE_ADA(GA107, false, 4ULL * SZ_1G),
	AMPERE_ADA(AD102, false, 24ULL * SZ_1G),
	AMPERE_ADA(AD103, false, 16ULL * SZ_1G),
	AMPERE_ADA(AD104, false, 12ULL * SZ_1G),
	AMPERE_ADA(AD106, false, 8ULL * SZ_1G),
	AMPERE_ADA(AD107, false, 8ULL * SZ_1G),
	HOPPER(GH100, 80ULL * SZ_1G),
	BLACKWELL(GB100, 192ULL * SZ_1G),
	BLACKWELL(GB102, 96ULL * SZ_1G),
	BLACKWELL(GB202, 32ULL * SZ_1G),
	BLACKWELL(GB203, 16ULL * SZ_1G),
	BLACKWELL(GB205, 12ULL * SZ_1G),
	BLACKWELL(GB206, 8ULL * SZ_1G),
	BLACKWELL(GB207, 8ULL * SZ_1G),
};

const struct sim_chip *novamm_sim_chip_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sim_chips); i++)
		if (!strcasecmp(sim_chips[i].name, name))
			return &sim_chips[i];
	return NULL;
}
