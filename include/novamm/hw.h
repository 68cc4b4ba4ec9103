/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm hw: the bottom layer, the only way to reach the hardware.
 *
 * Register accesses, BAR1 accesses and the GSP transport of one GPU, a
 * PCI one or a simulated one; nothing above hw/ learns which. It includes
 * no other header of novamm's, so that every layer may sit on it.
 */
#ifndef _NOVAMM_HW_H_
#define _NOVAMM_HW_H_

#include <linux/fault-inject.h>
#include <linux/types.h>

struct device;
struct page;
struct novamm_hw;

/**
 * struct novamm_hw_ops - one way of reaching the hardware
 * @name: "pci" or "sim", shown in debugfs
 * @rd32: BAR0 read, offset already checked
 * @wr32: BAR0 write, offset already checked
 * @bar1_read: BAR1 read, range already checked
 * @bar1_write: BAR1 write, range already checked
 * @bar1_zero: BAR1 zeroed, range already checked; NULL to zero it with
 *	@bar1_write from a page of zeros
 * @gsp_rpc: one request/response exchange with the GSP, or NULL where
 *	novamm has no transport to it
 * @bar1_faults: BAR1 translation faults so far and the address of the
 *	latest, or NULL where they cannot be read (real GPUs: they go to the
 *	GPU's fault buffer, which novamm does not own)
 * @bar1_phys: the CPU physical address of BAR1, for mapping it to
 *	userspace; NULL where BAR1 is not physical memory (the sim)
 * @bar1_page: the host page a BAR1 offset shows, or an error pointer;
 *	NULL where BAR1 is physical memory
 * @disconnected: the bus says the device is gone, or NULL where it
 *	cannot tell (the sim: an all-ones BOOT_0 is the only sign)
 * @claim: probe takes the hardware: -EBUSY when another driver device
 *	holds it; NULL where the bus binds one driver only (PCI)
 * @release: remove lets it go; NULL with @claim
 */
struct novamm_hw_ops {
	const char *name;
	u32 (*rd32)(struct novamm_hw *hw, u32 reg);
	void (*wr32)(struct novamm_hw *hw, u32 reg, u32 val);
	void (*bar1_read)(struct novamm_hw *hw, u64 offset, void *buf,
			  size_t len);
	void (*bar1_write)(struct novamm_hw *hw, u64 offset, const void *buf,
			   size_t len);
	void (*bar1_zero)(struct novamm_hw *hw, u64 offset, size_t len);
	int (*gsp_rpc)(struct novamm_hw *hw, const void *req, size_t req_len,
		       void *reply, size_t reply_size, size_t *reply_len);
	u64 (*bar1_faults)(struct novamm_hw *hw, u64 *last_va);
	phys_addr_t (*bar1_phys)(struct novamm_hw *hw);
	struct page *(*bar1_page)(struct novamm_hw *hw, u64 offset, bool write);
	bool (*disconnected)(struct novamm_hw *hw);
	int (*claim)(struct novamm_hw *hw);
	void (*release)(struct novamm_hw *hw);
};

/**
 * struct novamm_hw - one GPU as the layers above see it
 * @dev: the bound struct device, for dev_printk and devres
 * @ops: its backend, set by novamm_hw_pci_attach() or
 *	novamm_hw_sim_attach()
 * @priv: the backend's data
 * @bar0_size: bytes of BAR0 that are mapped
 * @bar1_size: bytes of BAR1
 * @gone: the GPU no longer answers (removed from the bus, or reading all
 *	ones): found at remove by novamm_hw_check_gone(), after which no
 *	register or BAR1 access reaches it and no wait polls it
 * @fault: what novamm_should_fail() asks: &novamm_fail_probe while the
 *	device probes, @fault_ops once it is up
 * @fault_ops: the device's own fault-injection knobs, debugfs "fail"
 *
 * Embedded in the device; every layer that touches the hardware is given
 * a pointer to it at init.
 */
struct novamm_hw {
	struct device *dev;
	const struct novamm_hw_ops *ops;
	void *priv;
	u64 bar0_size;
	u64 bar1_size;
	bool gone;
#ifdef CONFIG_FAULT_INJECTION
	struct fault_attr *fault;	/* novamm_fail_probe, then fault_ops */
	struct fault_attr fault_ops;
#endif
};

#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr novamm_fail_probe;
void novamm_hw_fault_init(struct novamm_hw *hw);
void novamm_hw_fault_ready(struct novamm_hw *hw);
#else
static inline void novamm_hw_fault_init(struct novamm_hw *hw) { }
static inline void novamm_hw_fault_ready(struct novamm_hw *hw) { }
#endif

/**
 * novamm_should_fail() - a fault point: an allocation or a hardware wait
 * @hw: the GPU whose operation is at the point
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
static inline bool novamm_should_fail(struct novamm_hw *hw)
{
#ifdef CONFIG_FAULT_INJECTION
	return hw->fault && should_fail(hw->fault, 1);
#else
	return false;
#endif
}

/**
 * novamm_should_fail_probe() - a fault point of probe before the device's
 *	hardware access exists
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

bool novamm_hw_gone(struct novamm_hw *hw);
void novamm_hw_check_gone(struct novamm_hw *hw);
u32 novamm_hw_rd32(struct novamm_hw *hw, u32 reg);
void novamm_hw_wr32(struct novamm_hw *hw, u32 reg, u32 val);

/*
 * How long novamm_hw_wait32() spins before it sleeps. A flush, an
 * invalidate or a BAR bind completes within a few reads: RM spins on the
 * flush (osSpinLoop in kbusSendSysmembarSingle_GH100), nouveau busy-waits
 * on the invalidate's TRIGGER (nvkm_msec in tu102_vmm_flush) and on the
 * bind's PENDING and OUTSTANDING (tu102_bar_bar1_wait), NVIDIA's nvgpu
 * polls every 5 us.
 */
#define NOVAMM_HW_SPIN_US	20
int novamm_hw_wait32(struct novamm_hw *hw, u32 reg, bool (*done)(u32 val, u32 arg),
		     u32 arg, u32 *val, unsigned long poll_us, u64 timeout_us);
int novamm_hw_bar1_read(struct novamm_hw *hw, u64 offset, void *buf,
			size_t len);
int novamm_hw_bar1_write(struct novamm_hw *hw, u64 offset, const void *buf,
			 size_t len);
int novamm_hw_bar1_zero(struct novamm_hw *hw, u64 offset, u64 len);
int novamm_hw_bar1_faults(struct novamm_hw *hw, u64 *count, u64 *last_va);
int novamm_hw_bar1_phys(struct novamm_hw *hw, phys_addr_t *phys);
struct page *novamm_hw_bar1_page(struct novamm_hw *hw, u64 offset, bool write);
int novamm_hw_gsp_rpc(struct novamm_hw *hw, const void *req, size_t req_len,
		      void *reply, size_t reply_size, size_t *reply_len);
int novamm_hw_claim(struct novamm_hw *hw);
void novamm_hw_release(struct novamm_hw *hw);

struct novamm_sim_pdata;
int novamm_hw_sim_attach(struct novamm_hw *hw, struct device *dev,
			 const struct novamm_sim_pdata *pdata);

#if IS_ENABLED(CONFIG_PCI)
struct pci_dev;
int novamm_hw_pci_attach(struct novamm_hw *hw, struct pci_dev *pdev,
			 void __iomem *bar0, u64 bar0_size, void __iomem *bar1,
			 phys_addr_t bar1_phys, u64 bar1_size);
#endif

#endif /* _NOVAMM_HW_H_ */
