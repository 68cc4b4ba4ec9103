// SPDX-License-Identifier: GPL-2.0-only
/*
 * novamm.ko: memory management for NVIDIA GPUs, Turing to Blackwell.
 *
 * Two ways in: a PCI driver that binds only the GPUs it is handed, and a
 * platform driver for the simulated GPUs of novamm_sim.ko.
 */
#include <linux/module.h>

#include "internal.h"

static int __init novamm_init(void)
{
	int ret;

	novamm_core_debugfs_init();
	ret = novamm_core_platform_register();
	if (ret)
		goto err_debugfs;
	ret = novamm_core_pci_register();
	if (ret)
		goto err_platform;
	return 0;

err_platform:
	novamm_core_platform_unregister();
err_debugfs:
	novamm_core_debugfs_fini();
	return ret;
}

static void __exit novamm_exit(void)
{
	novamm_core_pci_unregister();
	novamm_core_platform_unregister();
	novamm_core_debugfs_fini();
}

module_init(novamm_init);
module_exit(novamm_exit);

MODULE_DESCRIPTION("novamm: NVIDIA GPU memory management");
MODULE_LICENSE("GPL");
