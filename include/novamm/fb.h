/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm fb: where the VRAM is and which of it novamm may hand out.
 *
 * A struct novamm_fb_layout, made once at probe from GSP-RM's static
 * information (include/novamm/gsp.h decodes it) or, without a GSP reply,
 * from the VRAM-size register with a fixed reservation at the top (here).
 * The VRAM allocator is seeded from it, BAR1 adopts GSP-RM's page
 * directory from it, and debugfs shows it.
 */
#ifndef _NOVAMM_FB_H_
#define _NOVAMM_FB_H_

#include <linux/sizes.h>
#include <linux/types.h>

struct device;
struct seq_file;

/* NV2080_CTRL_CMD_FB_GET_FB_REGION_INFO_MAX_ENTRIES (ctrl2080fb.h). */
#define NOVAMM_FB_MAX_REGIONS	16

/*
 * A usable region may split the VRAM into usable and reserved ranges that
 * alternate; one more reserved range than usable ones at most.
 */
#define NOVAMM_FB_MAX_RESERVED		(NOVAMM_FB_MAX_REGIONS + 1)

/**
 * enum novamm_fb_source - where a framebuffer layout came from
 * @NOVAMM_FB_SOURCE_GSP: GSP-RM's static information
 * @NOVAMM_FB_SOURCE_REGISTERS: the VRAM-size register, with the top
 *	novamm_fb_fallback_reserve() bytes and the first
 *	NOVAMM_FB_FALLBACK_LOW kept back
 */
enum novamm_fb_source {
	NOVAMM_FB_SOURCE_GSP,
	NOVAMM_FB_SOURCE_REGISTERS,
};

/**
 * struct novamm_fb_region - one entry of GSP-RM's framebuffer region table
 * @base: first byte
 * @limit: last byte (inclusive, as the firmware reports it)
 * @reserved: bytes RM keeps in the region; non-zero makes it unusable
 * @performance: RM's ranking of the region
 * @compressed: the region supports compressed kinds
 * @iso: the region supports isochronous (display) traffic
 * @protected: the region is protected (for instance the WPR)
 */
struct novamm_fb_region {
	u64 base;
	u64 limit;
	u64 reserved;
	u32 performance;
	bool compressed;
	bool iso;
	bool protected;
};

/**
 * struct novamm_fb_range - a byte range of VRAM
 * @start: first byte
 * @end: one past the last byte
 */
struct novamm_fb_range {
	u64 start;
	u64 end;
};

/**
 * struct novamm_fb_layout - the framebuffer as novamm uses it
 * @source: where it came from
 * @vram_end: one past the highest byte any region covers; the size
 *	register's value for the register source
 * @num_regions: entries of @regions; 0 for the register source
 * @regions: the region table as reported, in the reply's order
 * @num_usable: entries of @usable
 * @usable: what the VRAM allocator may hand out, ascending, each 4 KiB
 *	aligned at both ends
 * @num_reserved: entries of @reserved
 * @reserved: everything else below @vram_end, ascending and coalesced
 * @bar1_pde_base: VRAM address of GSP-RM's BAR1 root page directory;
 *	meaningful when @has_bar_pde_base
 * @bar2_pde_base: the same for BAR2
 * @has_bar_pde_base: the layout came with page-directory bases (only the
 *	GSP source has them)
 */
struct novamm_fb_layout {
	enum novamm_fb_source source;
	u64 vram_end;
	unsigned int num_regions;
	struct novamm_fb_region regions[NOVAMM_FB_MAX_REGIONS];
	unsigned int num_usable;
	struct novamm_fb_range usable[NOVAMM_FB_MAX_REGIONS];
	unsigned int num_reserved;
	struct novamm_fb_range reserved[NOVAMM_FB_MAX_RESERVED];
	u64 bar1_pde_base;
	u64 bar2_pde_base;
	bool has_bar_pde_base;
};

/*
 * Without a GSP layout the first 256 KiB are kept back too: the VGA
 * memory that nouveau keeps out of its allocator on GP102 and later
 * (rsvd_head in nvkm/subdev/fb/ramgp102.c), the path of its non-GSP
 * Turing and Ampere support.
 */
#define NOVAMM_FB_FALLBACK_LOW		SZ_256K

/**
 * novamm_fb_fallback_reserve() - VRAM kept back without a GSP layout
 * @vram_size: bytes of VRAM
 *
 * The top 512 MiB, or the top half of a smaller VRAM. What GSP firmware
 * puts at the top (nova-core fb.rs: VGA workspace and FRTS, 1 MiB each,
 * the bootloader and firmware images, a WPR2 heap of at most 280 MiB, a
 * non-WPR heap of at most 2.125 MiB) stays below 512 MiB, and 512 MiB is
 * 2% of a 24 GiB board.
 *
 * Return: bytes at the top of VRAM that are not usable.
 */
static inline u64 novamm_fb_fallback_reserve(u64 vram_size)
{
	return vram_size >= 2ULL * SZ_512M ? SZ_512M : vram_size / 2;
}

int novamm_fb_from_vram_size(struct device *dev, u64 vram_size,
			     struct novamm_fb_layout *fb);
const char *novamm_fb_source_name(enum novamm_fb_source source);
void novamm_fb_show(struct seq_file *m, const struct novamm_fb_layout *fb);

#endif /* _NOVAMM_FB_H_ */
