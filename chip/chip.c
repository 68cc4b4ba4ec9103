// SPDX-License-Identifier: GPL-2.0-only
/*
 * The chip table: which GPUs novamm drives, what each one's MMU and
 * register layout are, and how a chip is recognised from its boot
 * registers.
 */

/**
 * DOC: Chip identification
 *
 * ``NV_PMC_BOOT_0`` is read first, to turn away pre-Fermi GPUs, then
 * ``NV_PMC_BOOT_42`` whose ``CHIP_ID`` (bits 29:20, architecture and
 * implementation) selects a chip table entry. Each entry names the chip
 * and the register that publishes its VRAM size, and points at its
 * architecture's row (struct novamm_arch_info): the name (Turing, Ampere,
 * Ada, Hopper, Blackwell), the MMU version (2 up to Ada, 3 from Hopper)
 * and page-table geometry, the BAR0 window register of its generation,
 * whether devinit must be waited for, how posted writes are flushed to
 * VRAM, how BAR1 is bound and what an instance block carries besides its
 * page directory.
 *
 * A chip is refused with ``-ENODEV`` and a ``dev_err`` naming the reason,
 * BOOT_0, BOOT_42 and the chip id
 *
 * - when BOOT_0 reads all ones,
 * - when it is pre-Fermi,
 * - when BOOT_42 is zero or all ones,
 * - when BOOT_0 and BOOT_42 disagree on the architecture: a bad read (a
 *   device falling off the bus, a wrong BAR) is more likely than a GPU
 *   whose two boot registers disagree, and trusting either would drive
 *   the chip with another generation's registers,
 * - or when the chip is not in the table.
 */

/**
 * DOC: Sources
 *
 * Chip ids and architectures: see include/novamm/regs.h. MMU version per
 * architecture: RM reports only version 2 on Turing, Ampere and Ada and
 * only version 3 from Hopper on (``kgmmuFmtIsVersionSupported_GP10X`` and
 * ``_GH10X``, HAL selection in OGKM
 * ``src/nvidia/generated/g_kern_gmmu_nvoc.c``); nova-core maps them the
 * same way (``mm/pagetable.rs``). The GFW_BOOT wait is RM's
 * ``gpuWaitForGfwBootComplete_TU102``, which RM uses for TU102 to AD107
 * only (the other chips get a stub: OGKM
 * ``src/nvidia/generated/g_gpu_nvoc.c``); nova-core's GH100 HAL, used for
 * Hopper and Blackwell, reads nothing (``gpu/hal/gh100.rs``). The FB flush
 * per generation: see include/novamm/regs.h and enum novamm_fb_flush.
 */
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>

#include <novamm/chip.h>
#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/regs.h>
#include <novamm/tlb.h>

/*
 * One row per generation. Turing to Ada share the v2 registers and MMU,
 * Hopper and Blackwell the v3 ones; within each, the rows differ where the
 * hardware does: 512 MiB pages from GA100 (novamm_pt_v2_ga100), 256 GiB
 * pages on Blackwell, the VA limit in TU10x instance blocks and the magic
 * word in Blackwell's, the PRAMIN BASE width and the FB flush.
 *
 * Turing to Ada: the v2 MMU, NV_PBUS_BAR0_WINDOW, UFLUSH, BAR1_BLOCK.
 */
#define ARCH_V2(_var, _code, _name, _fmt, _va_limit)			\
static const struct novamm_arch_info _var = {				\
	.code = (_code), .name = (_name),				\
	.pt_format = (_fmt), .bar0_window = NV_PBUS_BAR0_WINDOW,	\
	.bar0_window_base = NV_PBUS_BAR0_WINDOW_BASE,			\
	.bar0_window_has_target = true, .gfw_boot_wait = true,		\
	.fb_flush = NOVAMM_FB_FLUSH_UFLUSH,				\
	.bar1_bind = NOVAMM_BAR1_BIND_BAR1_BLOCK,			\
	.ramin_va_limit = (_va_limit),					\
}

/* Hopper and Blackwell: the v3 MMU, NV_XAL_EP_BAR0_WINDOW, FUNC_BAR1_BLOCK. */
#define ARCH_V3(_var, _code, _name, _fmt, _base, _flush, _magic)	\
static const struct novamm_arch_info _var = {				\
	.code = (_code), .name = (_name),				\
	.pt_format = (_fmt), .bar0_window = NV_XAL_EP_BAR0_WINDOW,	\
	.bar0_window_base = (_base), .fb_flush = (_flush),		\
	.bar1_bind = NOVAMM_BAR1_BIND_FUNC_BAR1_BLOCK,			\
	.ramin_magic = (_magic),					\
}

ARCH_V2(arch_turing, NV_PMC_BOOT_ARCHITECTURE_TU100, "Turing",
	&novamm_pt_v2_tu102, true);
ARCH_V2(arch_ampere, NV_PMC_BOOT_ARCHITECTURE_GA100, "Ampere",
	&novamm_pt_v2_ga100, false);
ARCH_V2(arch_ada, NV_PMC_BOOT_ARCHITECTURE_AD100, "Ada",
	&novamm_pt_v2_ga100, false);
ARCH_V3(arch_hopper, NV_PMC_BOOT_ARCHITECTURE_GH100, "Hopper",
	&novamm_pt_v3_gh100, NV_XAL_EP_BAR0_WINDOW_BASE_GH100,
	NOVAMM_FB_FLUSH_XAL, false);
ARCH_V3(arch_gb10x, NV_PMC_BOOT_ARCHITECTURE_GB100, "Blackwell",
	&novamm_pt_v3_gb100, NV_XAL_EP_BAR0_WINDOW_BASE_GB100,
	NOVAMM_FB_FLUSH_PRAMIN_READ, true);
ARCH_V3(arch_gb20x, NV_PMC_BOOT_ARCHITECTURE_GB200, "Blackwell",
	&novamm_pt_v3_gb100, NV_XAL_EP_BAR0_WINDOW_BASE_GB100,
	NOVAMM_FB_FLUSH_XAL, true);

#define CHIP(_name, _arch, _vram) {					\
	.id = NV_CHIP_ID_##_name, .name = #_name, .arch = &(_arch),	\
	.vram_size_reg = NOVAMM_VRAM_SIZE_##_vram }

static const struct novamm_chip novamm_chips[] = {
	CHIP(TU102, arch_turing, LOCAL_MEMORY_RANGE),
	CHIP(TU104, arch_turing, LOCAL_MEMORY_RANGE),
	CHIP(TU106, arch_turing, LOCAL_MEMORY_RANGE),
	CHIP(TU117, arch_turing, LOCAL_MEMORY_RANGE),
	CHIP(TU116, arch_turing, LOCAL_MEMORY_RANGE),
	CHIP(GA100, arch_ampere, LOCAL_MEMORY_RANGE),
	CHIP(GA102, arch_ampere, USABLE_FB_SIZE_IN_MB),
	CHIP(GA103, arch_ampere, USABLE_FB_SIZE_IN_MB),
	CHIP(GA104, arch_ampere, USABLE_FB_SIZE_IN_MB),
	CHIP(GA106, arch_ampere, USABLE_FB_SIZE_IN_MB),
	CHIP(GA107, arch_ampere, USABLE_FB_SIZE_IN_MB),
	CHIP(GH100, arch_hopper, USABLE_FB_SIZE_IN_MB),
	CHIP(AD102, arch_ada, USABLE_FB_SIZE_IN_MB),
	CHIP(AD103, arch_ada, USABLE_FB_SIZE_IN_MB),
	CHIP(AD104, arch_ada, USABLE_FB_SIZE_IN_MB),
	CHIP(AD106, arch_ada, USABLE_FB_SIZE_IN_MB),
	CHIP(AD107, arch_ada, USABLE_FB_SIZE_IN_MB),
	CHIP(GB100, arch_gb10x, USABLE_FB_SIZE_IN_MB),
	CHIP(GB102, arch_gb10x, USABLE_FB_SIZE_IN_MB),
	CHIP(GB202, arch_gb20x, USABLE_FB_SIZE_IN_MB),
	CHIP(GB203, arch_gb20x, USABLE_FB_SIZE_IN_MB),
	CHIP(GB205, arch_gb20x, USABLE_FB_SIZE_IN_MB),
	CHIP(GB206, arch_gb20x, USABLE_FB_SIZE_IN_MB),
	CHIP(GB207, arch_gb20x, USABLE_FB_SIZE_IN_MB),
};

/**
 * novamm_chip_by_id() - look a chip up in the table
 * @id: NV_PMC_BOOT_42 CHIP_ID, (architecture << 4) | implementation
 *
 * The table is the list of chips novamm drives; an id that is not in it
 * is a chip novamm has no register layout for, whatever BOOT_42 says.
 *
 * Return: the entry, which lives as long as the module, or NULL.
 */
const struct novamm_chip *novamm_chip_by_id(u16 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(novamm_chips); i++)
		if (novamm_chips[i].id == id)
			return &novamm_chips[i];
	return NULL;
}
EXPORT_SYMBOL_GPL(novamm_chip_by_id);

/**
 * novamm_chip_identify() - recognise a chip from its boot registers
 * @boot0: NV_PMC_BOOT_0
 * @boot42: NV_PMC_BOOT_42
 * @why: on failure, why the chip was refused, for the caller's log line
 *
 * nova-core's procedure (gpu.rs): BOOT_0 first, to turn away pre-Fermi
 * GPUs whose BOOT_42 means nothing, then BOOT_42's CHIP_ID, which keeps
 * room for ids that BOOT_0 has run out of. A BOOT_0 that disagrees with
 * BOOT_42 on the architecture is taken as a bad read (a device falling
 * off the bus, a wrong BAR) rather than trusted either way: novamm would
 * otherwise drive a GPU with another generation's registers.
 *
 * Return: the chip, or ERR_PTR(-ENODEV) with @why set.
 */
const struct novamm_chip *novamm_chip_identify(u32 boot0, u32 boot42,
					       const char **why)
{
	u32 arch0 = FIELD_GET(NV_PMC_BOOT_0_ARCHITECTURE_0, boot0);
	u32 arch1 = FIELD_GET(NV_PMC_BOOT_0_ARCHITECTURE_1, boot0);
	u32 arch = arch1 << NV_PMC_BOOT_0_ARCHITECTURE_0_WIDTH | arch0;
	const struct novamm_chip *chip;

	if (boot0 == U32_MAX) {
		*why = "BOOT_0 reads all ones, the device does not respond";
		return ERR_PTR(-ENODEV);
	}
	if (!arch1 && arch0 < NV_PMC_BOOT_ARCHITECTURE_FERMI) {
		*why = "pre-Fermi GPU";
		return ERR_PTR(-ENODEV);
	}
	if (!boot42 || boot42 == U32_MAX) {
		*why = "BOOT_42 holds no chip id";
		return ERR_PTR(-ENODEV);
	}
	if (FIELD_GET(NV_PMC_BOOT_42_ARCHITECTURE, boot42) != arch) {
		*why = "BOOT_0 and BOOT_42 disagree on the architecture";
		return ERR_PTR(-ENODEV);
	}
	chip = novamm_chip_by_id(FIELD_GET(NV_PMC_BOOT_42_CHIP_ID, boot42));
	if (!chip) {
		*why = "chip not supported";
		return ERR_PTR(-ENODEV);
	}
	return chip;
}
EXPORT_SYMBOL_GPL(novamm_chip_identify);

static u64 chip_decode_lmr(u32 val)
{
	u64 mag = FIELD_GET(NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE_LOWER_MAG, val);
	u32 scale = FIELD_GET(NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE_LOWER_SCALE, val);
	u64 size = mag << (scale + 20);

	/* With ECC, one unit in 16 holds check bits. */
	if (val & NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE_ECC_MODE)
		size = size / 16 * 15;
	return size;
}

/**
 * novamm_chip_vram_reach() - bytes of VRAM a chip can address
 * @chip: the chip
 *
 * As far as the PRAMIN window's BASE field reaches: VRAM novamm cannot
 * read or write through it is VRAM it cannot manage.
 *
 * Return: the byte count, a power of two.
 */
u64 novamm_chip_vram_reach(const struct novamm_chip *chip)
{
	return ((u64)chip->arch->bar0_window_base + 1) << NV_BAR0_WINDOW_BASE_SHIFT;
}
EXPORT_SYMBOL_GPL(novamm_chip_vram_reach);

/**
 * novamm_chip_mmu_version() - the MMU version of a generation
 * @arch: its row
 *
 * The version of the page-table format the row names: the two come
 * together, so they cannot disagree.
 *
 * Return: 2 (Turing to Ada) or 3 (Hopper, Blackwell).
 */
unsigned int novamm_chip_mmu_version(const struct novamm_arch_info *arch)
{
	return arch->pt_format->codec->version;
}
EXPORT_SYMBOL_GPL(novamm_chip_mmu_version);

/**
 * novamm_chip_vram_size() - read the VRAM size the chip publishes
 * @hw: the device
 * @chip: its chip
 * @size: bytes of VRAM
 *
 * The register is written by VBIOS devinit; novamm_core_probe() waits for
 * that before anything reads it.
 *
 * Context: process context; the register read may sleep.
 *
 * Return: 0, or -ENODEV (logged) when the register holds zero or more
 * than novamm_chip_vram_reach(), which is a bad read; -EINVAL for a chip
 * entry with no known size register.
 */
int novamm_chip_vram_size(struct novamm_hw *hw, const struct novamm_chip *chip,
			  u64 *size)
{
	u32 val;

	switch (chip->vram_size_reg) {
	case NOVAMM_VRAM_SIZE_LOCAL_MEMORY_RANGE:
		val = novamm_hw_rd32(hw, NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE);
		*size = chip_decode_lmr(val);
		break;
	case NOVAMM_VRAM_SIZE_USABLE_FB_SIZE_IN_MB:
		val = novamm_hw_rd32(hw, NV_USABLE_FB_SIZE_IN_MB);
		*size = (u64)val << 20;
		break;
	default:
		return -EINVAL;
	}

	/* PRAMIN must reach all of it; a larger value is a bad read. */
	if (!*size || *size > novamm_chip_vram_reach(chip)) {
		dev_err(hw->dev, "%s: implausible VRAM size register value 0x%08x\n",
			chip->name, val);
		return -ENODEV;
	}
	return 0;
}
