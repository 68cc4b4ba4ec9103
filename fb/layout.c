// SPDX-License-Identifier: GPL-2.0-only
/*
 * The framebuffer layout: the register fallback for a device without a
 * GSP transport, and the layout as debugfs shows it.
 */

/**
 * DOC: Locking
 *
 * None: the layout is made at probe, before anything else uses it, and
 * debugfs reads it once it no longer changes.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <novamm/fb.h>

/**
 * DOC: The register fallback
 *
 * Without GSP-RM, the VRAM size comes from the chip's register
 * (``NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE`` on Turing and GA100,
 * ``NV_USABLE_FB_SIZE_IN_MB`` from GA102 on) and the top of VRAM is kept
 * back: 512 MiB, or half of a VRAM smaller than 1 GiB
 * (novamm_fb_fallback_reserve()). What GSP firmware places at the top (VGA
 * workspace, FRTS, the bootloader and firmware images, a WPR2 heap of at
 * most 280 MiB, a non-WPR heap) stays below 512 MiB. The first 256 KiB
 * are kept back as well: the VGA memory the VBIOS uses, which nouveau
 * keeps out of its allocator on GP102 and later (``rsvd_head`` in
 * ``nvkm/subdev/fb/ramgp102.c``). The layout then has no region table and
 * no page-directory bases, and its source is ``registers``.
 *
 * The fallback does not know where a firmware console (efifb, simpledrm)
 * scans out of VRAM beyond those 256 KiB: unbind such a console from the
 * GPU before handing the GPU to novamm, or its framebuffer may be
 * allocated, and overwritten by the PRAMIN self-test.
 */

/**
 * novamm_fb_from_vram_size() - framebuffer layout without GSP
 * @dev: for messages
 * @vram_size: bytes of VRAM the chip's size register reports
 * @fb: the layout
 *
 * Everything between the first NOVAMM_FB_FALLBACK_LOW bytes (the VGA
 * memory the VBIOS uses) and the top novamm_fb_fallback_reserve() bytes
 * (what the firmware puts at the top), rounded down to 4 KiB, is usable;
 * the two ends are the reserved ranges, and there is no page-directory
 * base.
 *
 * Return: 0, or -EINVAL (logged, @fb untouched) for a size that leaves no
 * usable 4 KiB page.
 */
int novamm_fb_from_vram_size(struct device *dev, u64 vram_size,
			     struct novamm_fb_layout *fb)
{
	u64 usable_end = round_down(vram_size -
				    novamm_fb_fallback_reserve(vram_size), SZ_4K);

	if (usable_end <= NOVAMM_FB_FALLBACK_LOW) {
		dev_err(dev, "%llu bytes of VRAM leave nothing usable\n",
			vram_size);
		return -EINVAL;
	}
	memset(fb, 0, sizeof(*fb));
	fb->source = NOVAMM_FB_SOURCE_REGISTERS;
	fb->vram_end = vram_size;
	fb->num_usable = 1;
	fb->usable[0] = (struct novamm_fb_range){ NOVAMM_FB_FALLBACK_LOW, usable_end };
	fb->num_reserved = 2;
	fb->reserved[0] = (struct novamm_fb_range){ 0, NOVAMM_FB_FALLBACK_LOW };
	fb->reserved[1] = (struct novamm_fb_range){ usable_end, vram_size };
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_fb_from_vram_size);

/**
 * novamm_fb_source_name() - name of a layout's source, for debugfs
 * @source: where the layout came from
 *
 * Return: "gsp" or "registers"; "unknown" for a value out of the enum,
 * so that a corrupt layout still prints.
 */
const char *novamm_fb_source_name(enum novamm_fb_source source)
{
	switch (source) {
	case NOVAMM_FB_SOURCE_GSP:
		return "gsp";
	case NOVAMM_FB_SOURCE_REGISTERS:
		return "registers";
	}
	return "unknown";
}
EXPORT_SYMBOL_GPL(novamm_fb_source_name);

/**
 * novamm_fb_show() - print a layout for debugfs
 * @m: the file
 * @fb: the layout
 *
 * One "key: value" per line; ranges are [start, end) in hex. The
 * page-directory bases and the regions are printed only when the layout
 * has them, that is, when it came from GSP-RM.
 *
 * Context: a debugfs read, once the layout no longer changes.
 */
void novamm_fb_show(struct seq_file *m, const struct novamm_fb_layout *fb)
{
	const struct novamm_fb_region *r;
	unsigned int i;

	seq_printf(m, "source: %s\n", novamm_fb_source_name(fb->source));
	seq_printf(m, "vram_end: 0x%llx\n", fb->vram_end);
	if (fb->has_bar_pde_base) {
		seq_printf(m, "bar1_pde_base: 0x%llx\n", fb->bar1_pde_base);
		seq_printf(m, "bar2_pde_base: 0x%llx\n", fb->bar2_pde_base);
	}
	for (i = 0; i < fb->num_regions; i++) {
		r = &fb->regions[i];
		seq_printf(m, "region: %u base=0x%llx limit=0x%llx reserved=0x%llx performance=%u compressed=%u iso=%u protected=%u\n",
			   i, r->base, r->limit, r->reserved, r->performance,
			   r->compressed, r->iso, r->protected);
	}
	for (i = 0; i < fb->num_usable; i++)
		seq_printf(m, "usable_range: 0x%llx-0x%llx\n",
			   fb->usable[i].start, fb->usable[i].end);
	for (i = 0; i < fb->num_reserved; i++)
		seq_printf(m, "reserved_range: 0x%llx-0x%llx\n",
			   fb->reserved[i].start, fb->reserved[i].end);
}
EXPORT_SYMBOL_GPL(novamm_fb_show);
