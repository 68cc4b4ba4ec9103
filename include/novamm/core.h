/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm core: the device object, the chip table and the only way to reach
 * the hardware.
 *
 * Everything above core/ talks to the GPU through novamm_core_rd32(),
 * novamm_core_wr32() and the BAR1 accessors below, and never learns whether
 * the device is a PCI GPU or a simulated one.
 */
#ifndef _NOVAMM_CORE_H_
#define _NOVAMM_CORE_H_

#include <linux/atomic.h>
#include <linux/fault-inject.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <novamm/bar1.h>
#include <novamm/buddy.h>
#include <novamm/gsp.h>
#include <novamm/pramin.h>
#include <novamm/tlb.h>

struct device;
struct dentry;
struct page;
struct novamm_device;
struct novamm_hw_ops;
struct novamm_pt_format;
struct novamm_uapi;

/**
 * enum novamm_fb_flush - how a generation lands posted writes in VRAM
 * @NOVAMM_FB_FLUSH_UFLUSH: NV_UFLUSH_FB_FLUSH (Turing to Ada)
 * @NOVAMM_FB_FLUSH_XAL: NV_XAL_EP_ZB_UFLUSH_FB_FLUSH and _COMPLETED
 *	(GH100, GB20x)
 * @NOVAMM_FB_FLUSH_PRAMIN_READ: a read through the PRAMIN window, RM's
 *	BUS_FLUSH_VIDEO_MEMORY_VIA_PRAMIN_WINDOW (GB10x: RM flushes there
 *	through GSP-RM, and the published GB100 XAL header has no flush
 *	register)
 */
enum novamm_fb_flush {
	NOVAMM_FB_FLUSH_UFLUSH,
	NOVAMM_FB_FLUSH_XAL,
	NOVAMM_FB_FLUSH_PRAMIN_READ,
};

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
 * @mmu_version: page-table format version, 2 (Turing to Ada) or 3
 *	(Hopper, Blackwell); that of @pt_format's codec
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
	u8 mmu_version;
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

/**
 * struct novamm_mm - the per-device memory manager
 * @ndev: the device it manages
 * @vram_size: bytes of VRAM: what the chip's size register reports, or
 *	the end of the framebuffer layout if that is higher; PRAMIN reaches
 *	no further
 * @fb: the framebuffer layout, fixed at probe
 * @buddy: the VRAM allocator (include/novamm/buddy.h)
 * @pramin_lock: held by whoever is using the PRAMIN window, across as
 *	many accesses as must see it unmoved (include/novamm/pramin.h)
 * @pramin: the BAR0 window onto VRAM
 * @tlb: TLB invalidation (include/novamm/tlb.h)
 * @fault: what novamm_should_fail() asks: &novamm_fail_probe while the
 *	device probes, @fault_ops once it is up
 * @fault_ops: the device's own fault-injection knobs, debugfs "fail"
 *
 * One per device, like nova-core's GpuMm: it owns what every address space
 * of the device shares; address spaces borrow it. Lock order: a VMM's
 * lock, then buddy.lock, then pramin_lock; tlb.lock nests inside a VMM's
 * lock alone.
 */
struct novamm_mm {
	struct novamm_device *ndev;
	u64 vram_size;
	struct novamm_fb_layout fb;
	struct novamm_buddy buddy;
	struct mutex pramin_lock;	/* see above */
	struct novamm_pramin pramin;
	struct novamm_tlb tlb;
#ifdef CONFIG_FAULT_INJECTION
	struct fault_attr *fault;	/* novamm_fail_probe, then fault_ops */
	struct fault_attr fault_ops;
#endif
};

#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr novamm_fail_probe;
#endif

/**
 * novamm_should_fail() - a fault point: an allocation or a hardware wait
 * @mm: the memory manager whose operation is at the point
 *
 * The kernel's fault-injection framework decides: the caller's
 * /proc/self/task/<tid>/fail-nth (current->fail_nth) fails its nth point,
 * or the device's knobs do, "fail_probe" in novamm's debugfs directory
 * until probe has finished and the device's own "fail" after (see
 * Documentation/fault-injection/fault-injection.rst). The caller acts as
 * on the real failure: an allocation returns -ENOMEM, a wait times out.
 * Always false in kernels without CONFIG_FAULT_INJECTION.
 *
 * Return: true when this point must fail.
 */
static inline bool novamm_should_fail(struct novamm_mm *mm)
{
#ifdef CONFIG_FAULT_INJECTION
	return mm->fault && should_fail(mm->fault, 1);
#else
	return false;
#endif
}

/**
 * novamm_should_fail_probe() - a fault point of probe before the device's
 *	memory manager exists
 *
 * Return: true when this point must fail; see novamm_should_fail().
 */
static inline bool novamm_should_fail_probe(void)
{
#ifdef CONFIG_FAULT_INJECTION
	return should_fail(&novamm_fail_probe, 1);
#else
	return false;
#endif
}

/**
 * enum novamm_selftest - the self-tests of core/selftest.c, in the order
 *	they run
 * @NOVAMM_SELFTEST_PRAMIN: "pramin", the PRAMIN window
 * @NOVAMM_SELFTEST_VRAM: "vram", the allocator and the VRAM it hands out
 * @NOVAMM_SELFTEST_BAR1: "bar1", BAR1 written, PRAMIN read back
 * @NOVAMM_SELFTEST_COUNT: how many there are
 */
enum novamm_selftest {
	NOVAMM_SELFTEST_PRAMIN,
	NOVAMM_SELFTEST_VRAM,
	NOVAMM_SELFTEST_BAR1,
	NOVAMM_SELFTEST_COUNT,
};

/**
 * struct novamm_device - one GPU, real or simulated
 * @dev: the bound struct device, for dev_printk and devres
 * @chip: the identified chip
 * @boot0: NV_PMC_BOOT_0 as read at probe
 * @boot42: NV_PMC_BOOT_42 as read at probe
 * @bar0_size: bytes of BAR0 that are mapped
 * @bar1_size: bytes of BAR1
 * @mm: the memory manager
 * @bar1: BAR1 and its mappings
 * @uapi: /dev/novamm<N>
 * @debugfs: this device's directory under novamm/ in debugfs, or an error
 *	pointer when debugfs is unavailable
 * @selftest: last result of each self-test (enum novamm_selftest): 0 not
 *	run, 1 passed, else the error
 * @vram_leaks: VRAM allocations found still live when the allocator was
 *	torn down, over every remove of this device: each is a bug, logged
 * @vram_kept: VRAM allocations kept out of use for good because the GPU
 *	might still read them (novamm_vram_keep()), over every remove
 * @gone: the GPU no longer answers (removed from the bus, or reading all
 *	ones): found at remove, after which no register or BAR1 access
 *	reaches it and no wait polls it
 * @hw: hardware access backend, private to core/
 * @hw_priv: backend data, private to core/
 */
struct novamm_device {
	struct device *dev;
	const struct novamm_chip *chip;
	u32 boot0;
	u32 boot42;
	u64 bar0_size;
	u64 bar1_size;
	struct novamm_mm mm;
	struct novamm_bar1 bar1;
	struct novamm_uapi *uapi;
	struct dentry *debugfs;
	int selftest[NOVAMM_SELFTEST_COUNT];
	unsigned int vram_leaks;
	unsigned int vram_kept;
	bool gone;

	const struct novamm_hw_ops *hw;
	void *hw_priv;
};

bool novamm_core_gone(struct novamm_device *ndev);
u32 novamm_core_rd32(struct novamm_device *ndev, u32 reg);
void novamm_core_wr32(struct novamm_device *ndev, u32 reg, u32 val);
int novamm_core_bar1_read(struct novamm_device *ndev, u64 offset, void *buf,
			  size_t len);
int novamm_core_bar1_write(struct novamm_device *ndev, u64 offset,
			   const void *buf, size_t len);
int novamm_core_bar1_zero(struct novamm_device *ndev, u64 offset, u64 len);
int novamm_core_bar1_faults(struct novamm_device *ndev, u64 *count, u64 *last_va);
int novamm_core_bar1_phys(struct novamm_device *ndev, phys_addr_t *phys);
struct page *novamm_core_bar1_page(struct novamm_device *ndev, u64 offset, bool write);
int novamm_core_gsp_rpc(struct novamm_device *ndev, const void *req,
			size_t req_len, void *reply, size_t reply_size,
			size_t *reply_len);

const struct novamm_chip *novamm_core_identify(u32 boot0, u32 boot42,
					       const char **why);
const struct novamm_chip *novamm_core_chip_by_id(u16 id);
u64 novamm_core_vram_reach(const struct novamm_chip *chip);
int novamm_core_vram_size(struct novamm_device *ndev, u64 *size);

#endif /* _NOVAMM_CORE_H_ */
