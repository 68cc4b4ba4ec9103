/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm core internals: the hardware access backends and the pieces of
 * module and device bring-up that only core/ sees.
 */
#ifndef _NOVAMM_CORE_INTERNAL_H_
#define _NOVAMM_CORE_INTERNAL_H_

#include <novamm/core.h>

struct novamm_sim_pdata;
struct resource;
struct seq_file;

/**
 * enum novamm_console - what probe does about the firmware console
 * @NOVAMM_CONSOLE_NONE: the GPU does not show it
 * @NOVAMM_CONSOLE_REFUSE: it does; the GPU is not taken
 * @NOVAMM_CONSOLE_TAKE_OVER: it does; the firmware framebuffer is removed
 *	before BAR1 is touched
 */
enum novamm_console {
	NOVAMM_CONSOLE_NONE,
	NOVAMM_CONSOLE_REFUSE,
	NOVAMM_CONSOLE_TAKE_OVER,
};

/**
 * struct novamm_console_info - what the PCI glue found about the console
 * @fb_present: the boot loader reported a linear framebuffer
 * @fb_base: its physical base
 * @bars: the GPU's BAR resources
 * @num_bars: entries of @bars
 * @default_vga: the GPU is the VGA arbiter's default device
 * @mem_decode: its PCI_COMMAND_MEMORY is set
 * @takeover: take it over whatever takeover_console says (KUnit)
 */
struct novamm_console_info {
	bool fb_present;
	u64 fb_base;
	const struct resource *bars;
	unsigned int num_bars;
	bool default_vga;
	bool mem_decode;
	bool takeover;
};

int novamm_core_check_bar(struct device *dev, int bar, const struct resource *res,
			  resource_size_t need);
enum novamm_console novamm_core_console(struct device *dev,
					const struct novamm_console_info *con);

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
	u32 (*rd32)(struct novamm_device *ndev, u32 reg);
	void (*wr32)(struct novamm_device *ndev, u32 reg, u32 val);
	void (*bar1_read)(struct novamm_device *ndev, u64 offset, void *buf,
			  size_t len);
	void (*bar1_write)(struct novamm_device *ndev, u64 offset,
			   const void *buf, size_t len);
	void (*bar1_zero)(struct novamm_device *ndev, u64 offset, size_t len);
	int (*gsp_rpc)(struct novamm_device *ndev, const void *req,
		       size_t req_len, void *reply, size_t reply_size,
		       size_t *reply_len);
	u64 (*bar1_faults)(struct novamm_device *ndev, u64 *last_va);
	phys_addr_t (*bar1_phys)(struct novamm_device *ndev);
	struct page *(*bar1_page)(struct novamm_device *ndev, u64 offset, bool write);
	bool (*disconnected)(struct novamm_device *ndev);
	int (*claim)(struct novamm_device *ndev);
	void (*release)(struct novamm_device *ndev);
};

int novamm_core_probe(struct novamm_device *ndev);
void novamm_core_remove(struct novamm_device *ndev);

int novamm_core_sim_attach(struct novamm_device *ndev, struct device *dev,
			   const struct novamm_sim_pdata *pdata);

int novamm_core_selftest(struct novamm_device *ndev, const char *name);
void novamm_core_selftest_probe(struct novamm_device *ndev);
void novamm_core_selftest_show(struct seq_file *m, struct novamm_device *ndev);

#ifdef CONFIG_FAULT_INJECTION
void novamm_core_fault_init(struct novamm_device *ndev);
#else
static inline void novamm_core_fault_init(struct novamm_device *ndev) { }
#endif

struct dentry *novamm_core_debugfs_root(void);
void novamm_core_debugfs_init(void);
void novamm_core_debugfs_fini(void);
void novamm_core_debugfs_add(struct novamm_device *ndev);
void novamm_core_debugfs_remove(struct novamm_device *ndev);

int novamm_core_platform_register(void);
void novamm_core_platform_unregister(void);

#if IS_ENABLED(CONFIG_PCI)
int novamm_core_pci_register(void);
void novamm_core_pci_unregister(void);
#else
static inline int novamm_core_pci_register(void) { return 0; }
static inline void novamm_core_pci_unregister(void) { }
#endif

#endif /* _NOVAMM_CORE_INTERNAL_H_ */
