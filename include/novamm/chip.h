/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm chip: the table of GPUs novamm drives, one row per generation,
 * and how a chip is recognised from its boot registers. Every subsystem
 * that differs by generation reads its row here.
 */
#ifndef _NOVAMM_CHIP_H_
#define _NOVAMM_CHIP_H_

#include <linux/types.h>

struct novamm_hw;
struct novamm_pt_format;

/**
 * enum novamm_bar1_bind - how a generation points BAR1 at an instance block
 * @NOVAMM_BAR1_BIND_BAR1_BLOCK: one write of NV_PBUS_BAR1_BLOCK
 *	(``NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK``), progress in
 *	``NV_VIRTUAL_FUNCTION_PRIV_BIND_STATUS`` (Turing to Ada)
 * @NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK: ``NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR``,
 *	then ``_HIGH_ADDR``, whose write triggers the bind; progress in
 *	``_LOW_ADDR`` (Hopper, Blackwell)
 */
enum novamm_bar1_bind {
	NOVAMM_BAR1_BIND_BAR1_BLOCK,
	NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK,
};

/**
 * struct novamm_arch_info - what one GPU architecture shares
 * @code: NV_PMC_BOOT_42 ARCHITECTURE value
 * @name: marketing family name
 * @pt_format: the page-table geometry and codec the MMU walks, and so the
 *	page sizes it can map
 * @bar0_window: BAR0 offset of the PRAMIN window register
 * @bar0_window_base: mask of its BASE field (address >> 16)
 * @bar0_window_has_target: the register has a TARGET field (Turing to Ada)
 * @gfw_boot_wait: VBIOS devinit reports completion through the GFW_BOOT
 *	scratch registers, which must be waited for before the VRAM size is
 *	read (Turing to Ada only)
 * @fb_flush: enum novamm_fb_flush
 * @bar1_bind: enum novamm_bar1_bind
 * @ramin_va_limit: an instance block carries the VA limit (RM's
 *	kgmmuInstBlkVaLimitGet_GV100, which only TU10x uses)
 * @ramin_magic: an instance block carries the ENGINE_CTXSW_FW magic word
 *	(RM's kgmmuInstBlkMagicValueGet_GA10B, which GB10x and GB20x use)
 *
 * One row per generation: everything in which generations differ that
 * novamm needs, so that a new one whose formats exist is one row here and
 * its ids in regs.h.
 */
struct novamm_arch_info {
	u8 code;
	const char *name;
	const struct novamm_pt_format *pt_format;
	u32 bar0_window;
	u32 bar0_window_base;
	bool bar0_window_has_target;
	bool gfw_boot_wait;
	u8 fb_flush;
	u8 bar1_bind;
	bool ramin_va_limit;
	bool ramin_magic;
};

/**
 * enum novamm_vram_size_reg - where a chip publishes its VRAM size
 * @NOVAMM_VRAM_SIZE_LOCAL_MEMORY_RANGE: NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE
 *	(Turing, GA100)
 * @NOVAMM_VRAM_SIZE_USABLE_FB_SIZE_IN_MB: NV_USABLE_FB_SIZE_IN_MB (GA102
 *	and later)
 */
enum novamm_vram_size_reg {
	NOVAMM_VRAM_SIZE_LOCAL_MEMORY_RANGE,
	NOVAMM_VRAM_SIZE_USABLE_FB_SIZE_IN_MB,
};

/**
 * struct novamm_chip - one entry of the chip table
 * @id: NV_PMC_BOOT_42 CHIP_ID, (architecture << 4) | implementation
 * @name: chip name as NVIDIA writes it, e.g. "GA102"
 * @arch: the architecture the chip belongs to
 * @vram_size_reg: the register that holds the VRAM size
 */
struct novamm_chip {
	u16 id;
	const char *name;
	const struct novamm_arch_info *arch;
	enum novamm_vram_size_reg vram_size_reg;
};

const struct novamm_chip *novamm_chip_identify(u32 boot0, u32 boot42,
					       const char **why);
const struct novamm_chip *novamm_chip_by_id(u16 id);
u64 novamm_chip_vram_reach(const struct novamm_chip *chip);
unsigned int novamm_chip_mmu_version(const struct novamm_arch_info *arch);
int novamm_chip_vram_size(struct novamm_hw *hw, const struct novamm_chip *chip,
			  u64 *size);

#endif /* _NOVAMM_CHIP_H_ */
