/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm core internals: the pieces of module and device bring-up that
 * only core/ sees.
 */
#ifndef _NOVAMM_CORE_INTERNAL_H_
#define _NOVAMM_CORE_INTERNAL_H_

#include <novamm/core.h>

struct dentry;
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
 * struct novamm_core_test - the self-test of one layer
 * @id: the slot of its result in &novamm_device.selftest, and its place
 *	in the order the self-tests run
 * @name: what debugfs ``selftest`` and the log call it
 * @run: runs it on a device that is up, with nothing else using it
 */
struct novamm_core_test {
	enum novamm_selftest id;
	const char *name;
	int (*run)(struct novamm_device *ndev);
};

extern const struct novamm_core_test novamm_core_pramin_selftest;
extern const struct novamm_core_test novamm_core_vram_selftest;
extern const struct novamm_core_test novamm_core_bar1_selftest;

/**
 * struct novamm_core_layer - one row of bring-up, from the access layer up
 * @name: what a failure is logged as
 * @init: brings it up; on failure it leaves nothing behind
 * @fini: takes it down; NULL when there is nothing to undo
 * @debugfs: adds its files to the device's debugfs directory (which may
 *	be an error pointer); NULL when it has none
 * @selftest: its self-test (core/selftest.c); NULL when it has none
 */
struct novamm_core_layer {
	const char *name;
	int (*init)(struct novamm_device *ndev);
	void (*fini)(struct novamm_device *ndev);
	void (*debugfs)(struct novamm_device *ndev, struct dentry *dir);
	const struct novamm_core_test *selftest;
};

extern const struct novamm_core_layer novamm_core_layers[];
extern const unsigned int novamm_core_num_layers;

int novamm_core_probe(struct novamm_device *ndev);
void novamm_core_remove(struct novamm_device *ndev);

int novamm_core_selftest(struct novamm_device *ndev, const char *name);
void novamm_core_selftest_probe(struct novamm_device *ndev);
void novamm_core_selftest_show(struct seq_file *m, struct novamm_device *ndev);

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
