// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device object: hardware access and bring-up common to PCI GPUs and
 * simulated ones.
 */

/**
 * DOC: Locking
 *
 * Probe and remove initialise and destroy the memory manager's
 * ``pramin_lock`` and take it around the window's init and fini; the
 * access functions take no lock of their own. Accesses may sleep (the
 * simulated GPU allocates on first touch), so they are made from process
 * context, and callers above ``core/`` serialise what must not interleave
 * (the PRAMIN window, the TLB-invalidate sequence) with their own locks.
 */

/**
 * DOC: Hardware access
 *
 * Everything above ``core/`` reaches the GPU through these functions:
 *
 * novamm_core_rd32(), novamm_core_wr32()
 *     32-bit BAR0 accesses. An unaligned offset or one beyond the mapped
 *     BAR0 is refused with a rate-limited ``dev_err``: a read returns all
 *     ones (as a PCI read of a vanished device does), a write is dropped.
 *
 * novamm_core_bar1_read(), novamm_core_bar1_write(), novamm_core_bar1_zero()
 *     Copies through BAR1, and zeroing. A range leaving BAR1 returns
 *     ``-ERANGE`` and touches nothing; a zero length does nothing.
 *
 * novamm_core_bar1_phys(), novamm_core_bar1_page()
 *     What a CPU mapping of BAR1 shows, for ``/dev/novamm<N>``: BAR1's
 *     physical address on a PCI GPU, the host page behind a BAR1 offset on
 *     a simulated one.
 *
 * novamm_core_bar1_faults(), novamm_core_gsp_rpc()
 *     What only some backends offer: BAR1 translation faults and a GSP
 *     transport, both only on a simulated GPU so far.
 *
 * A PCI device implements them with MMIO, a simulated one with calls into
 * the sim; nothing above core knows which. The accessors may sleep (the sim
 * allocates VRAM on first write), so they are called from process context.
 * Once remove has found the GPU gone (novamm_core_gone()), no access
 * reaches it: reads return all ones, writes are dropped.
 */
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include <novamm/regs.h>
#include <novamm/uapi.h>

#include "internal.h"

/* nova-core waits up to 4 s for GFW boot, polling every millisecond (gfw.rs). */
#define NOVAMM_GFW_BOOT_POLL_US		1000
#define NOVAMM_GFW_BOOT_TIMEOUT_MS	4000

static bool novamm_core_bar0_ok(struct novamm_device *ndev, u32 reg)
{
	if (likely(IS_ALIGNED(reg, sizeof(u32)) &&
		   reg <= ndev->bar0_size - sizeof(u32)))
		return true;
	dev_err_ratelimited(ndev->dev,
			    "BAR0 access at 0x%x: unaligned or beyond the 0x%llx mapped bytes\n",
			    reg, ndev->bar0_size);
	return false;
}

/**
 * novamm_core_gone() - whether the GPU was found gone
 * @ndev: the device
 *
 * Hardware waits return at once on a GPU that is gone: nothing there
 * completes, and nothing there can still walk a table or cache a
 * translation.
 *
 * Return: true once removal found the GPU off the bus or reading all ones.
 */
bool novamm_core_gone(struct novamm_device *ndev)
{
	return READ_ONCE(ndev->gone);
}
EXPORT_SYMBOL_GPL(novamm_core_gone);

/*
 * At remove: a GPU pulled from the bus (surprise removal, a link that went
 * down) reads all ones, and every poll for a completion would run to its
 * timeout, 2 s for each buffer whose mapping goes.
 */
static void novamm_core_check_gone(struct novamm_device *ndev)
{
	bool gone = ndev->hw->disconnected && ndev->hw->disconnected(ndev);

	if (!gone && ndev->hw->rd32(ndev, NV_PMC_BOOT_0) != U32_MAX)
		return;
	WRITE_ONCE(ndev->gone, true);
	dev_warn(ndev->dev, "GPU is gone (%s): removing without touching it\n",
		 gone ? "disconnected" : "BOOT_0 reads all ones");
}

/**
 * novamm_core_rd32() - read a 32-bit BAR0 register
 * @ndev: the device
 * @reg: BAR0 offset, 4-byte aligned
 *
 * Context: process context; may sleep.
 *
 * Return: the value; all ones for an unaligned offset or one outside the
 * mapped BAR0 (logged, rate-limited), or from a GPU that is gone, which is
 * also what a PCI read of such a device returns.
 */
u32 novamm_core_rd32(struct novamm_device *ndev, u32 reg)
{
	might_sleep();
	if (!novamm_core_bar0_ok(ndev, reg) || novamm_core_gone(ndev))
		return U32_MAX;
	return ndev->hw->rd32(ndev, reg);
}
EXPORT_SYMBOL_GPL(novamm_core_rd32);

/**
 * novamm_core_wr32() - write a 32-bit BAR0 register
 * @ndev: the device
 * @reg: BAR0 offset, 4-byte aligned
 * @val: the value; dropped (logged, rate-limited) for an unaligned offset
 *	or one outside the mapped BAR0, and for a GPU that is gone
 *
 * Context: process context; may sleep.
 */
void novamm_core_wr32(struct novamm_device *ndev, u32 reg, u32 val)
{
	might_sleep();
	if (novamm_core_bar0_ok(ndev, reg) && !novamm_core_gone(ndev))
		ndev->hw->wr32(ndev, reg, val);
}
EXPORT_SYMBOL_GPL(novamm_core_wr32);

static int novamm_core_bar1_check(struct novamm_device *ndev, u64 offset,
				  size_t len)
{
	if (offset > ndev->bar1_size || len > ndev->bar1_size - offset) {
		dev_dbg(ndev->dev, "BAR1 access [0x%llx, +0x%zx) beyond its 0x%llx bytes\n",
			offset, len, ndev->bar1_size);
		return -ERANGE;
	}
	return 0;
}

/**
 * novamm_core_bar1_read() - copy from BAR1
 * @ndev: the device
 * @offset: BAR1 offset
 * @buf: destination
 * @len: bytes; 0 does nothing
 *
 * From a GPU that is gone, @buf reads all ones, as from a PCI device that
 * vanished.
 *
 * Context: process context; may sleep.
 *
 * Return: 0, or -ERANGE when the range leaves BAR1 (nothing is read).
 */
int novamm_core_bar1_read(struct novamm_device *ndev, u64 offset, void *buf,
			  size_t len)
{
	int ret;

	might_sleep();
	ret = novamm_core_bar1_check(ndev, offset, len);
	if (ret || !len)
		return ret;
	if (novamm_core_gone(ndev))
		memset(buf, 0xff, len);
	else
		ndev->hw->bar1_read(ndev, offset, buf, len);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_core_bar1_read);

/**
 * novamm_core_bar1_write() - copy to BAR1
 * @ndev: the device
 * @offset: BAR1 offset
 * @buf: source
 * @len: bytes; 0 does nothing
 *
 * Nothing reaches a GPU that is gone; that is not an error.
 *
 * Context: process context; may sleep.
 *
 * Return: 0, or -ERANGE when the range leaves BAR1 (nothing is written).
 */
int novamm_core_bar1_write(struct novamm_device *ndev, u64 offset,
			   const void *buf, size_t len)
{
	int ret;

	might_sleep();
	ret = novamm_core_bar1_check(ndev, offset, len);
	if (ret || !len || novamm_core_gone(ndev))
		return ret;
	ndev->hw->bar1_write(ndev, offset, buf, len);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_core_bar1_write);

/* What a backend without a zeroing op of its own writes. */
static const u8 novamm_core_zeros[SZ_4K];

/**
 * novamm_core_bar1_zero() - zero a range of BAR1
 * @ndev: the device
 * @offset: BAR1 offset
 * @len: bytes; 0 does nothing
 *
 * A backend without a zeroing op of its own (the sim) is written a page of
 * zeros at a time, yielding the CPU in between, so that clearing a large
 * allocation does not hog it. Nothing reaches a GPU that is gone; that is
 * not an error.
 *
 * Context: process context; may sleep.
 *
 * Return: 0, or -ERANGE when the range leaves BAR1 (nothing is written).
 */
int novamm_core_bar1_zero(struct novamm_device *ndev, u64 offset, u64 len)
{
	size_t n;
	int ret;

	might_sleep();
	ret = novamm_core_bar1_check(ndev, offset, len);
	if (ret || !len || novamm_core_gone(ndev))
		return ret;
	if (ndev->hw->bar1_zero) {
		ndev->hw->bar1_zero(ndev, offset, len);
		return 0;
	}
	for (; len; offset += n, len -= n) {
		n = min_t(u64, len, sizeof(novamm_core_zeros));
		ndev->hw->bar1_write(ndev, offset, novamm_core_zeros, n);
		cond_resched();
	}
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_core_bar1_zero);

/**
 * novamm_core_bar1_faults() - BAR1 translation faults, where they can be seen
 * @ndev: the device
 * @count: faults so far
 * @last_va: BAR1 offset of the latest
 *
 * Return: 0, or -EOPNOTSUPP where the backend cannot report them (real
 * GPUs).
 */
int novamm_core_bar1_faults(struct novamm_device *ndev, u64 *count, u64 *last_va)
{
	if (!ndev->hw->bar1_faults)
		return -EOPNOTSUPP;
	*count = ndev->hw->bar1_faults(ndev, last_va);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_core_bar1_faults);

/**
 * novamm_core_bar1_phys() - where BAR1 is, for a userspace mapping of it
 * @ndev: the device
 * @phys: the CPU physical address of BAR1 offset 0
 *
 * Return: 0, or -EOPNOTSUPP where BAR1 is not physical memory (a
 * simulated GPU: use novamm_core_bar1_page()).
 */
int novamm_core_bar1_phys(struct novamm_device *ndev, phys_addr_t *phys)
{
	if (!ndev->hw->bar1_phys)
		return -EOPNOTSUPP;
	*phys = ndev->hw->bar1_phys(ndev);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_core_bar1_phys);

/**
 * novamm_core_bar1_page() - the page a CPU mapping of BAR1 shows
 * @ndev: the device
 * @offset: BAR1 offset, page aligned
 * @write: the CPU writes
 *
 * Context: process context; may sleep.
 *
 * Return: the page, or an error pointer: -EFAULT where the GPU's MMU
 * faults, -EOPNOTSUPP where BAR1 is physical memory (a PCI GPU: use
 * novamm_core_bar1_phys()), -ERANGE beyond BAR1, -ENODEV from a GPU that
 * is gone.
 */
struct page *novamm_core_bar1_page(struct novamm_device *ndev, u64 offset, bool write)
{
	might_sleep();
	if (!ndev->hw->bar1_page)
		return ERR_PTR(-EOPNOTSUPP);
	if (offset >= ndev->bar1_size)
		return ERR_PTR(-ERANGE);
	if (novamm_core_gone(ndev))
		return ERR_PTR(-ENODEV);
	return ndev->hw->bar1_page(ndev, offset, write);
}
EXPORT_SYMBOL_GPL(novamm_core_bar1_page);

/**
 * novamm_core_gsp_rpc() - one request/response exchange with the GSP
 * @ndev: the device
 * @req: the RPC message: header and payload
 * @req_len: its bytes
 * @reply: room for the reply
 * @reply_size: bytes of room
 * @reply_len: bytes of reply received
 *
 * Context: process context; may sleep.
 *
 * Return: 0 with a reply to validate, -EOPNOTSUPP where novamm has no
 * transport to the GSP (real GPUs, for now), or the transport's error.
 */
int novamm_core_gsp_rpc(struct novamm_device *ndev, const void *req,
			size_t req_len, void *reply, size_t reply_size,
			size_t *reply_len)
{
	might_sleep();
	*reply_len = 0;
	if (!ndev->hw->gsp_rpc)
		return -EOPNOTSUPP;
	return ndev->hw->gsp_rpc(ndev, req, req_len, reply, reply_size,
				 reply_len);
}
EXPORT_SYMBOL_GPL(novamm_core_gsp_rpc);

/*
 * GFW_BOOT is readable only once FWSEC has lowered the privilege level of
 * its scratch group (nova-core gfw.rs; RM _gpuIsGfwBootCompleted_TU102).
 */
static bool novamm_core_gfw_booted(struct novamm_device *ndev)
{
	u32 plm, boot;

	plm = novamm_core_rd32(ndev, NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK);
	if (!(plm & NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK_READ_PROTECTION_LEVEL0))
		return false;
	boot = novamm_core_rd32(ndev, NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT);
	return FIELD_GET(NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT_PROGRESS, boot) ==
	       NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT_PROGRESS_COMPLETED;
}

/*
 * Turing to Ada only: on Hopper and Blackwell the registers are not a
 * handshake for drivers and may never read as done (see core/chip.c).
 */
static int novamm_core_wait_gfw_boot(struct novamm_device *ndev)
{
	bool booted;
	int ret;

	if (!ndev->chip->arch->gfw_boot_wait)
		return 0;
	ret = novamm_should_fail(&ndev->mm) ? -ETIMEDOUT :
	      read_poll_timeout(novamm_core_gfw_booted, booted, booted,
				NOVAMM_GFW_BOOT_POLL_US,
				NOVAMM_GFW_BOOT_TIMEOUT_MS * USEC_PER_MSEC, false,
				ndev);
	if (ret)
		dev_err(ndev->dev, "GPU firmware did not finish booting in %u ms\n",
			NOVAMM_GFW_BOOT_TIMEOUT_MS);
	return ret;
}

static int novamm_core_identify_device(struct novamm_device *ndev)
{
	const struct novamm_chip *chip;
	const char *why = NULL;

	ndev->boot0 = novamm_core_rd32(ndev, NV_PMC_BOOT_0);
	ndev->boot42 = novamm_core_rd32(ndev, NV_PMC_BOOT_42);
	chip = novamm_core_identify(ndev->boot0, ndev->boot42, &why);
	if (IS_ERR(chip)) {
		dev_err(ndev->dev,
			"unsupported GPU: %s (BOOT_0 0x%08x, BOOT_42 0x%08x, chip id 0x%03lx)\n",
			why, ndev->boot0, ndev->boot42,
			FIELD_GET(NV_PMC_BOOT_42_CHIP_ID, ndev->boot42));
		return PTR_ERR(chip);
	}
	ndev->chip = chip;
	return 0;
}

static int novamm_core_mm_init(struct novamm_device *ndev)
{
	struct novamm_mm *mm = &ndev->mm;
	unsigned int kept;
	int ret;

	mm->ndev = ndev;
	ret = novamm_core_wait_gfw_boot(ndev);
	if (ret)
		return ret;
	ret = novamm_core_vram_size(ndev, &mm->vram_size);
	if (ret)
		return ret;

	ret = novamm_gsp_fb_layout(ndev, &mm->fb);
	if (ret)
		return ret;
	/* GSP-RM's structures at the top must stay within PRAMIN's reach. */
	if (mm->fb.vram_end > mm->vram_size) {
		dev_info(ndev->dev, "framebuffer regions end at 0x%llx, past the 0x%llx bytes of the size register\n",
			 mm->fb.vram_end, mm->vram_size);
		mm->vram_size = mm->fb.vram_end;
	}

	ret = novamm_buddy_init(mm, &mm->fb);
	if (ret)
		return ret;
	novamm_tlb_init(mm);

	mutex_init(&mm->pramin_lock);
	mutex_lock(&mm->pramin_lock);
	ret = novamm_pramin_init(mm);
	mutex_unlock(&mm->pramin_lock);
	if (ret) {
		mutex_destroy(&mm->pramin_lock);
		novamm_tlb_fini(mm);
		novamm_buddy_fini(mm, &kept);
	}
	return ret;
}

static void novamm_core_mm_fini(struct novamm_device *ndev)
{
	struct novamm_mm *mm = &ndev->mm;
	unsigned int kept;

	mutex_lock(&mm->pramin_lock);
	novamm_pramin_fini(mm);
	mutex_unlock(&mm->pramin_lock);
	mutex_destroy(&mm->pramin_lock);
	novamm_tlb_fini(mm);
	ndev->vram_leaks += novamm_buddy_fini(mm, &kept);
	ndev->vram_kept += kept;
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * Probe's fault points answer to one driver-wide knob, for a device has
 * no debugfs directory before it is up. It logs each failure it injects,
 * as the kernel's knobs do by default; the device's own knobs do not.
 */
struct fault_attr novamm_fail_probe = FAULT_ATTR_INITIALIZER;

/**
 * novamm_core_fault_init() - set up a device's fault points for probe
 * @ndev: the device, before anything of probe has run
 *
 * Points answer to ``novamm_fail_probe`` until novamm_core_probe() has
 * finished, then to the device's own knobs, which start quiet (no log
 * line per injected failure) so that a test failing every point in turn
 * does not flood the log. Without CONFIG_FAULT_INJECTION this is an empty
 * inline.
 */
void novamm_core_fault_init(struct novamm_device *ndev)
{
	struct novamm_mm *mm = &ndev->mm;

	mm->fault_ops = (struct fault_attr)FAULT_ATTR_INITIALIZER;
	mm->fault_ops.verbose = 0;
	mm->fault = &novamm_fail_probe;
}
#endif

/**
 * DOC: Probe order
 *
 * Bring-up follows the layers, bottom up:
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
 *    operations (:doc:`tlb`), its ``pramin_lock``, and the PRAMIN window,
 *    which reads the window register once and keeps it (:doc:`pramin`);
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
 * @ndev: the device, with dev, hw and BAR sizes filled by its bus glue
 *
 * Runs steps 2 to 11 of "Probe order" above, claiming the hardware first
 * where the backend must (a simulated GPU). A self-test that fails is
 * logged and kept for debugfs, but the device stays bound for inspection.
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
	const struct novamm_chip *chip;
	int ret;

	novamm_core_fault_init(ndev);
	ret = ndev->hw->claim ? ndev->hw->claim(ndev) : 0;
	if (ret) {
		dev_err(ndev->dev, "the GPU is held by another driver device: %d\n", ret);
		return ret;
	}
	ret = novamm_core_identify_device(ndev);
	if (ret)
		goto err_release;
	ret = novamm_core_mm_init(ndev);
	if (ret)
		goto err_release;
	ret = novamm_bar1_init(ndev);
	if (ret)
		goto err_mm;

	chip = ndev->chip;
	dev_info(ndev->dev, "%s (%s, MMU v%u) rev %02lx, %llu MiB VRAM (%llu MiB usable, layout from %s), %llu MiB BAR1 on %s instance block, %s\n",
		 chip->name, chip->arch->name, chip->arch->mmu_version,
		 FIELD_GET(NV_PMC_BOOT_42_MAJOR_REVISION, ndev->boot42) << 4 |
		 FIELD_GET(NV_PMC_BOOT_42_MINOR_REVISION, ndev->boot42),
		 ndev->mm.vram_size >> 20, ndev->mm.buddy.usable >> 20,
		 novamm_gsp_fb_source_name(ndev->mm.fb.source),
		 ndev->bar1_size >> 20,
		 ndev->bar1.mode == NOVAMM_BAR1_GSP ? "GSP-RM's" : "its own",
		 ndev->hw->name);
	/*
	 * Self-tests first, before anything else can reach the device: they
	 * count BAR1 faults no client may add to.
	 */
	novamm_core_selftest_probe(ndev);
	novamm_core_debugfs_add(ndev);
	ret = novamm_uapi_init(ndev);
	if (ret)
		goto err_debugfs;
#ifdef CONFIG_FAULT_INJECTION
	ndev->mm.fault = &ndev->mm.fault_ops;
#endif
	return 0;

err_debugfs:
	novamm_core_debugfs_remove(ndev);
	novamm_bar1_fini(ndev);
err_mm:
	novamm_core_mm_fini(ndev);
err_release:
	if (ndev->hw->release)
		ndev->hw->release(ndev);
	return ret;
}

/**
 * novamm_core_remove() - undo novamm_core_probe()
 * @ndev: the device, probed successfully
 *
 * Finds out first whether the GPU is gone (see "Removal" above), then
 * takes the layers down in reverse: /dev/novamm<N> (files still open are
 * left with -ENODEV), debugfs, BAR1, the memory manager, the claim.
 *
 * Context: process context, from the bus glue's remove.
 */
void novamm_core_remove(struct novamm_device *ndev)
{
	novamm_core_check_gone(ndev);
	novamm_uapi_fini(ndev);
	novamm_core_debugfs_remove(ndev);
	novamm_bar1_fini(ndev);
	novamm_core_mm_fini(ndev);
	if (ndev->hw->release)
		ndev->hw->release(ndev);
}
