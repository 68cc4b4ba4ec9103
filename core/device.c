// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device object: bring-up and removal common to PCI GPUs and
 * simulated ones.
 */

/**
 * DOC: Locking
 *
 * Probe and remove take no lock of their own: nothing else reaches the
 * device before probe has finished or after remove has begun, and each
 * subsystem initialises and destroys its own lock.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>

#include <novamm/compat.h>
#include <novamm/gsp.h>
#include <novamm/regs.h>
#include <novamm/uapi.h>

#include "internal.h"

/* nova-core waits up to 4 s for GFW boot, polling every millisecond (gfw.rs). */
#define NOVAMM_GFW_BOOT_POLL_US		1000
#define NOVAMM_GFW_BOOT_TIMEOUT_MS	4000

/*
 * GFW_BOOT is readable only once FWSEC has lowered the privilege level of
 * its scratch group (nova-core gfw.rs; RM _gpuIsGfwBootCompleted_TU102).
 */
static bool novamm_core_gfw_booted(struct novamm_device *ndev)
{
	u32 plm, boot;

	plm = novamm_hw_rd32(&ndev->hw, NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK);
	if (!(plm & NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK_READ_PROTECTION_LEVEL0))
		return false;
	boot = novamm_hw_rd32(&ndev->hw, NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT);
	return FIELD_GET(NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT_PROGRESS, boot) ==
	       NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT_PROGRESS_COMPLETED;
}

/*
 * Turing to Ada only: on Hopper and Blackwell the registers are not a
 * handshake for drivers and may never read as done (see chip/chip.c).
 */
static int novamm_core_wait_gfw_boot(struct novamm_device *ndev)
{
	bool booted;
	int ret;

	if (!ndev->chip->arch->gfw_boot_wait)
		return 0;
	ret = novamm_should_fail(&ndev->hw) ? -ETIMEDOUT :
	      read_poll_timeout(novamm_core_gfw_booted, booted, booted,
				NOVAMM_GFW_BOOT_POLL_US,
				NOVAMM_GFW_BOOT_TIMEOUT_MS * USEC_PER_MSEC, false,
				ndev);
	if (ret)
		dev_err(ndev->hw.dev, "GPU firmware did not finish booting in %u ms\n",
			NOVAMM_GFW_BOOT_TIMEOUT_MS);
	return ret;
}

static int novamm_core_identify_device(struct novamm_device *ndev)
{
	const struct novamm_chip *chip;
	const char *why = NULL;

	ndev->boot0 = novamm_hw_rd32(&ndev->hw, NV_PMC_BOOT_0);
	ndev->boot42 = novamm_hw_rd32(&ndev->hw, NV_PMC_BOOT_42);
	chip = novamm_chip_identify(ndev->boot0, ndev->boot42, &why);
	if (IS_ERR(chip)) {
		dev_err(ndev->hw.dev,
			"unsupported GPU: %s (BOOT_0 0x%08x, BOOT_42 0x%08x, chip id 0x%03lx)\n",
			why, ndev->boot0, ndev->boot42,
			FIELD_GET(NV_PMC_BOOT_42_CHIP_ID, ndev->boot42));
		return PTR_ERR(chip);
	}
	ndev->chip = chip;
	return 0;
}

/* The VRAM size and the framebuffer layout, which everything above carves up. */
static int novamm_core_layout(struct novamm_device *ndev)
{
	struct novamm_mm *mm = &ndev->mm;
	int ret;

	mm->hw = &ndev->hw;
	mm->pt_format = ndev->chip->arch->pt_format;
	ret = novamm_chip_vram_size(&ndev->hw, ndev->chip, &mm->vram_size);
	if (ret)
		return ret;

	ret = novamm_gsp_fb_layout(&ndev->hw, novamm_chip_vram_reach(ndev->chip),
				   &mm->fb);
	if (ret == -EOPNOTSUPP) {
		dev_info(ndev->hw.dev, "no GSP transport: VRAM layout from the size register, top %llu MiB kept back\n",
			 novamm_fb_fallback_reserve(mm->vram_size) >> 20);
		ret = novamm_fb_from_vram_size(ndev->hw.dev, mm->vram_size, &mm->fb);
	}
	if (ret)
		return ret;
	/* GSP-RM's structures at the top must stay within PRAMIN's reach. */
	if (mm->fb.vram_end > mm->vram_size) {
		dev_info(ndev->hw.dev, "framebuffer regions end at 0x%llx, past the 0x%llx bytes of the size register\n",
			 mm->fb.vram_end, mm->vram_size);
		mm->vram_size = mm->fb.vram_end;
	}
	return 0;
}

static int novamm_core_claim(struct novamm_device *ndev)
{
	int ret = novamm_hw_claim(&ndev->hw);

	if (ret)
		dev_err(ndev->hw.dev, "the GPU is held by another driver device: %d\n", ret);
	return ret;
}

static void novamm_core_release(struct novamm_device *ndev)
{
	novamm_hw_release(&ndev->hw);
}

static int novamm_core_buddy_init(struct novamm_device *ndev)
{
	return novamm_buddy_init(&ndev->mm.buddy, &ndev->hw, &ndev->mm.fb);
}

static void novamm_core_buddy_fini(struct novamm_device *ndev)
{
	unsigned int kept;

	ndev->vram_leaks += novamm_buddy_fini(&ndev->mm.buddy, &kept);
	ndev->vram_kept += kept;
}

static int novamm_core_tlb_init(struct novamm_device *ndev)
{
	novamm_tlb_init(&ndev->mm.tlb, &ndev->hw, ndev->chip->arch->fb_flush);
	return 0;
}

static void novamm_core_tlb_fini(struct novamm_device *ndev)
{
	novamm_tlb_fini(&ndev->mm.tlb);
}

static int novamm_core_pramin_init(struct novamm_device *ndev)
{
	const struct novamm_arch_info *arch = ndev->chip->arch;

	return novamm_pramin_init(&ndev->mm.pramin, &ndev->hw, ndev->mm.vram_size,
				  arch->bar0_window, arch->bar0_window_base,
				  arch->bar0_window_has_target);
}

static void novamm_core_pramin_fini(struct novamm_device *ndev)
{
	novamm_pramin_fini(&ndev->mm.pramin);
}

static int novamm_core_bar1_init(struct novamm_device *ndev)
{
	return novamm_bar1_init(&ndev->bar1, &ndev->mm, ndev->chip->arch);
}

static void novamm_core_bar1_fini(struct novamm_device *ndev)
{
	novamm_bar1_fini(&ndev->bar1);
}

static void novamm_core_bar1_debugfs(struct novamm_device *ndev, struct dentry *dir)
{
	novamm_bar1_debugfs_add(&ndev->bar1, dir);
}

/* One line that says what probe found, once everything below is up. */
static int novamm_core_announce(struct novamm_device *ndev)
{
	const struct novamm_chip *chip = ndev->chip;

	dev_info(ndev->hw.dev, "%s (%s, MMU v%u) rev %02lx, %llu MiB VRAM (%llu MiB usable, layout from %s), %llu MiB BAR1 on %s instance block, %s\n",
		 chip->name, chip->arch->name, novamm_chip_mmu_version(chip->arch),
		 FIELD_GET(NV_PMC_BOOT_42_MAJOR_REVISION, ndev->boot42) << 4 |
		 FIELD_GET(NV_PMC_BOOT_42_MINOR_REVISION, ndev->boot42),
		 ndev->mm.vram_size >> 20, ndev->mm.buddy.usable >> 20,
		 novamm_fb_source_name(ndev->mm.fb.source),
		 ndev->hw.bar1_size >> 20,
		 ndev->bar1.mode == NOVAMM_BAR1_GSP ? "GSP-RM's" : "its own",
		 ndev->hw.ops->name);
	return 0;
}

/*
 * Self-tests first, before anything else can reach the device: they
 * count BAR1 faults no client may add to.
 */
static int novamm_core_selftests(struct novamm_device *ndev)
{
	novamm_core_selftest_probe(ndev);
	return 0;
}

static int novamm_core_debugfs(struct novamm_device *ndev)
{
	novamm_core_debugfs_add(ndev);
	return 0;
}

static int novamm_core_uapi_init(struct novamm_device *ndev)
{
	struct novamm_uapi_gpu gpu = {
		.hw = &ndev->hw, .chip = ndev->chip, .buddy = &ndev->mm.buddy,
		.bar1 = &ndev->bar1, .vram_size = ndev->mm.vram_size,
	};
	struct novamm_uapi *u = novamm_uapi_init(&gpu);

	if (IS_ERR(u))
		return PTR_ERR(u);
	ndev->uapi = u;
	return 0;
}

static void novamm_core_uapi_fini(struct novamm_device *ndev)
{
	novamm_uapi_fini(ndev->uapi);
	ndev->uapi = NULL;
}

/*
 * The rows of "Probe order" below, bottom up. Probe runs each init in
 * turn and, when one fails, the fini of those before it in reverse;
 * remove runs every fini in reverse.
 */
const struct novamm_core_layer novamm_core_layers[] = {
	{ "claim", novamm_core_claim, novamm_core_release },
	{ "chip", novamm_core_identify_device },
	{ "firmware boot", novamm_core_wait_gfw_boot },
	{ "layout", novamm_core_layout },
	{ "buddy", novamm_core_buddy_init, novamm_core_buddy_fini,
	  .selftest = &novamm_core_vram_selftest },
	{ "tlb", novamm_core_tlb_init, novamm_core_tlb_fini },
	{ "pramin", novamm_core_pramin_init, novamm_core_pramin_fini,
	  .selftest = &novamm_core_pramin_selftest },
	{ "bar1", novamm_core_bar1_init, novamm_core_bar1_fini, novamm_core_bar1_debugfs,
	  &novamm_core_bar1_selftest },
	{ "announce", novamm_core_announce },
	{ "selftest", novamm_core_selftests },
	{ "debugfs", novamm_core_debugfs, novamm_core_debugfs_remove },
	{ "uapi", novamm_core_uapi_init, novamm_core_uapi_fini },
};

/* The rows of novamm_core_layers[], for core/debugfs.c. */
const unsigned int novamm_core_num_layers = ARRAY_SIZE(novamm_core_layers);

/**
 * DOC: Where the layout comes from
 *
 * At probe, novamm_gsp_fb_layout() asks GSP-RM for its static information
 * (GET_GSP_STATIC_INFO) when there is a transport to the GSP. Where there
 * is none (novamm_hw_gsp_rpc() returns ``-EOPNOTSUPP``: real GPUs, for
 * now), the layout comes from the register fallback,
 * novamm_fb_from_vram_size().
 *
 * A GSP that answers badly fails the probe rather than falling back to
 * the registers: a layout guessed from a register could hand out VRAM
 * that GSP-RM owns.
 */

/**
 * DOC: Probe order
 *
 * Bring-up follows the layers, bottom up. From the claim on, each step is a
 * row of ``novamm_core_layers[]`` (&struct novamm_core_layer): its name,
 * how it is brought up and taken down, the debugfs files it adds to the
 * device's directory and its self-test. Probe runs the
 * rows in order and, when one fails, takes down the ones before it in
 * reverse; remove takes all of them down in reverse. A new subsystem is
 * one row, in the place its dependencies give it.
 *
 * 1. bus glue: on PCI, check that the device is an NVIDIA display
 *    controller and not the one showing the firmware console (core/claim.c),
 *    then map the BARs, each refused with ``-ENODEV`` and a message naming
 *    it when it is not memory, too small, or was given no address
 *    (``IORESOURCE_UNSET``); on the sim, attach its access functions and
 *    claim it;
 * 2. identify the chip;
 * 3. on Turing, Ampere and Ada, wait for GPU firmware devinit to complete:
 *    scratch group 05's privilege mask must allow reads, then ``GFW_BOOT``
 *    must report completion (polled every millisecond for up to 4 s, as
 *    nova-core's ``gfw.rs`` does, then ``-ETIMEDOUT``), because devinit
 *    publishes the VRAM size. RM waits so on TU102 to AD107 only and gives
 *    every later chip a stub (``gpuWaitForGfwBootComplete_TU102`` in OGKM
 *    ``src/nvidia/generated/g_gpu_nvoc.c``); nova-core's GH100 HAL, used
 *    for Hopper and Blackwell, reads nothing. On those chips the two
 *    registers are not a handshake for drivers and need never read as
 *    done, so novamm does not read them (the chip table's
 *    ``gfw_boot_wait``);
 * 4. read the VRAM size: ``NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE`` on Turing
 *    and GA100 (magnitude and scale, less one sixteenth with ECC),
 *    ``NV_USABLE_FB_SIZE_IN_MB`` from GA102 on; a zero size or one beyond
 *    what the BAR0 window can reach is refused;
 * 5. learn the framebuffer layout: GSP-RM's static information, or the
 *    size register with the top kept back when there is no GSP transport
 *    (:doc:`gsp`); a GSP reply that cannot be trusted fails the probe. A
 *    layout that ends above the size register's VRAM size raises it, so
 *    that PRAMIN reaches GSP-RM's structures at the top;
 * 6. seed the VRAM allocator with it, every reserved range taken at once
 *    (:doc:`buddy`);
 * 7. initialise the rest of the memory manager, &struct novamm_mm: the TLB
 *    operations (:doc:`tlb`) and the PRAMIN window, which reads the window
 *    register once and keeps it (:doc:`pramin`);
 * 8. bring up BAR1: its address space, and either an instance block of
 *    novamm's own, bound, or GSP-RM's page directory adopted (:doc:`bar1`);
 * 9. with ``novamm.selftest=1``, run the PRAMIN, VRAM and BAR1 self-tests,
 *    before anything else can reach the device: they count BAR1 faults no
 *    client may add to, and a failure is logged but does not fail the
 *    probe;
 * 10. create ``/sys/kernel/debug/novamm/<device>/`` with ``info``,
 *     ``vram``, ``mappings``, ``pagetables``, ``stats``, ``vram_raw``,
 *     ``bar1_map`` and ``selftest`` (:doc:`bar1`), and ``fail`` in kernels
 *     with ``CONFIG_FAULT_INJECTION_DEBUG_FS``;
 * 11. register ``/dev/novamm<N>`` (:doc:`uapi`).
 *
 * Until the last step has succeeded, fault points answer to the
 * driver-wide ``fail_probe`` knob, and to the device's own ``fail`` after.
 */

/**
 * DOC: Removal
 *
 * Remove undoes the probe steps in reverse, and a failed probe step undoes
 * the ones before it: every failure returns before anything that needs
 * undoing is left behind; device memory is device-managed.
 *
 * Remove first asks whether the GPU is still there: a PCI device the bus
 * reports disconnected (``pci_dev_is_disconnected()``), or one whose BOOT_0
 * reads all ones, is gone, and from then on no register or BAR1 access
 * reaches it and no hardware wait polls it (TLB invalidates, FB flushes
 * and BAR1 unbinds return at once: nothing there completes, and nothing
 * there can walk a table or cache a translation any more). Without that,
 * every mapped buffer cost a 2 s flush timeout under the device's locks.
 * The simulated GPU's ``gone`` injection makes it read all ones.
 *
 * When the BAR1 unbind of novamm's own instance block does not complete at
 * remove (on a GPU that is still there), BAR1 may still translate through
 * the block and its page tables: both are kept allocated
 * (novamm_vram_keep()), logged, and counted as kept rather than leaked
 * (``vram_kept`` of &struct novamm_device) when the allocator goes, so
 * nothing is ever put where the GPU might still walk.
 */

/**
 * novamm_core_probe() - bring up a device whose backend is attached
 * @ndev: the device, its access layer (``hw``) attached by its bus glue
 *
 * Runs the rows of novamm_core_layers[]: the claim, where the backend
 * must claim the hardware (a simulated GPU), then steps 2 to 11 of "Probe
 * order" above. A self-test that fails is logged and kept for debugfs, but the
 * device stays bound for inspection.
 *
 * Context: process context, from the bus glue's probe.
 *
 * Return: 0, or a negative errno with nothing left behind: -EBUSY when
 * another driver device holds the hardware, -ENODEV for a chip novamm
 * does not drive or an implausible VRAM size, -ETIMEDOUT when devinit or
 * the BAR1 bind does not complete, or the error of the layer that failed.
 */
int novamm_core_probe(struct novamm_device *ndev)
{
	unsigned int i;
	int ret = 0;

	novamm_hw_fault_init(&ndev->hw);
	for (i = 0; i < novamm_core_num_layers; i++) {
		ret = novamm_core_layers[i].init(ndev);
		if (ret)
			break;
	}
	if (ret) {
		dev_dbg(ndev->hw.dev, "probe: %s failed: %d\n", novamm_core_layers[i].name, ret);
		while (i--)
			if (novamm_core_layers[i].fini)
				novamm_core_layers[i].fini(ndev);
		return ret;
	}
	novamm_hw_fault_ready(&ndev->hw);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_core_probe);

/**
 * novamm_core_remove() - undo novamm_core_probe()
 * @ndev: the device, probed successfully
 *
 * Finds out first whether the GPU is gone (see "Removal" above), then
 * takes the rows of novamm_core_layers[] down in reverse: /dev/novamm<N>
 * (files still open are left with -ENODEV), debugfs, BAR1, the memory
 * manager, the claim.
 *
 * Context: process context, from the bus glue's remove.
 */
void novamm_core_remove(struct novamm_device *ndev)
{
	unsigned int i = novamm_core_num_layers;

	novamm_hw_check_gone(&ndev->hw);
	while (i--)
		if (novamm_core_layers[i].fini)
			novamm_core_layers[i].fini(ndev);
}
EXPORT_SYMBOL_IF_KUNIT(novamm_core_remove);
