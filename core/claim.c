// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whether a PCI GPU may be taken: its BARs are assigned, and it is not
 * showing the firmware's console.
 */

/**
 * DOC: The firmware console
 *
 * On a GPU that drives the boot display, the EFI or VBIOS framebuffer is
 * scanned out of VRAM, and efifb or simpledrm writes the console through
 * BAR1 in physical mode. Binding BAR1 to novamm's instance block pulls
 * that aperture from under them: their writes land wherever the new page
 * tables send them, or fault. Probe therefore decides first, before it
 * enables the device: the GPU shows the console
 *
 * - when the framebuffer the boot loader reported (``screen_info`` on x86,
 *   inside ``sysfb_primary_display`` from 7.3; see include/novamm/compat.h)
 *   starts inside one of its assigned memory BARs, or
 * - when it is the VGA arbiter's default device with memory decoding left
 *   on by the firmware (legacy VGA text, or a framebuffer whose base the
 *   boot loader did not report). On architectures other than x86 this is
 *   the only check.
 *
 * Such a GPU is refused with ``-EBUSY`` and a message naming the parameter
 * that takes it over. DRM drivers first remove the conflicting firmware
 * framebuffers (aperture_remove_conflicting_pci_devices(),
 * drivers/video/aperture.c; nouveau_drm.c does so before it touches BAR1);
 * novamm does the same and goes on, but only when asked
 * (``novamm.takeover_console=1``), since it takes the console away: the
 * console is then gone from that GPU until another driver sets up a
 * display. If the removal fails, so does the probe, with its error.
 *
 * The decisions are pure functions of what the PCI glue read, so that
 * KUnit can walk every case without a PCI device.
 */
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/module.h>

#include <novamm/compat.h>

#include "internal.h"

static bool takeover_console;
module_param(takeover_console, bool, 0444);
MODULE_PARM_DESC(takeover_console,
		 "Take a GPU that shows the firmware console: remove the firmware framebuffer first (default: refuse the GPU)");

/**
 * novamm_core_check_bar() - whether a BAR can be mapped
 * @dev: for the message
 * @bar: its Linux resource index, for the message
 * @res: its resource
 * @need: bytes novamm maps from it
 *
 * Return: 0, or -ENODEV (logged, naming the BAR) for a BAR that is not
 * memory, is smaller than @need, or was given no address (IORESOURCE_UNSET:
 * the firmware or the PCI core could not fit it, and its start is
 * meaningless).
 */
int novamm_core_check_bar(struct device *dev, int bar, const struct resource *res,
			  resource_size_t need)
{
	if (!(res->flags & IORESOURCE_MEM) || resource_size(res) < need) {
		dev_err(dev, "BAR%d: no memory BAR of at least 0x%llx bytes (%pR)\n",
			bar, (u64)need, res);
		return -ENODEV;
	}
	if (res->flags & IORESOURCE_UNSET) {
		dev_err(dev, "BAR%d has no address assigned (%pR): the firmware or the PCI core could not place it\n",
			bar, res);
		return -ENODEV;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_core_check_bar);

/**
 * novamm_core_console() - what to do about the firmware console
 * @dev: for the messages
 * @con: what the PCI glue found
 *
 * The GPU holds the boot framebuffer when the firmware framebuffer's base
 * lies inside one of its memory BARs, or when it is the default VGA
 * device with memory decoding on (legacy VGA text or a framebuffer whose
 * base the boot loader did not report).
 *
 * Return: NOVAMM_CONSOLE_NONE when it does not; otherwise
 * NOVAMM_CONSOLE_TAKE_OVER with takeover_console set (or @con->takeover),
 * else NOVAMM_CONSOLE_REFUSE, with a message naming the parameter.
 */
enum novamm_console novamm_core_console(struct device *dev,
					const struct novamm_console_info *con)
{
	const struct resource *res;
	unsigned int i;
	bool takeover = con->takeover || READ_ONCE(takeover_console);
	int bar = -1;

	for (i = 0; con->fb_present && i < con->num_bars; i++) {
		res = &con->bars[i];
		if (res->flags & IORESOURCE_MEM && !(res->flags & IORESOURCE_UNSET) &&
		    con->fb_base >= res->start && con->fb_base <= res->end) {
			bar = i;
			break;
		}
	}
	if (bar < 0 && !(con->default_vga && con->mem_decode))
		return NOVAMM_CONSOLE_NONE;

	if (bar >= 0)
		dev_info(dev, "the firmware framebuffer at 0x%llx lies in BAR%d: this GPU shows the boot console\n",
			 con->fb_base, bar);
	else
		dev_info(dev, "this GPU is the default VGA device and decodes memory: it shows the boot console\n");
	if (takeover)
		return NOVAMM_CONSOLE_TAKE_OVER;
	dev_err(dev, "not taking the GPU that shows the console: load novamm with takeover_console=1 to remove the firmware framebuffer and take it\n");
	return NOVAMM_CONSOLE_REFUSE;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_core_console);
