// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: /sys/kernel/debug/novamm/<device>/, one directory per bound
 * GPU, named after its struct device ("0000:01:00.0", "novamm-sim.0").
 * Files print one "key: value" pair per line so that scripts can read
 * them with a single pattern.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>

#include <novamm/regs.h>

#include "internal.h"

static struct dentry *novamm_debugfs;

struct dentry *novamm_core_debugfs_root(void)
{
	return novamm_debugfs;
}

static int novamm_info_show(struct seq_file *m, void *unused)
{
	struct novamm_device *ndev = m->private;
	const struct novamm_chip *chip = ndev->chip;

	seq_printf(m, "chip: %s\n", chip->name);
	seq_printf(m, "chip_id: 0x%03x\n", chip->id);
	seq_printf(m, "revision: %lx%lx\n",
		   FIELD_GET(NV_PMC_BOOT_42_MAJOR_REVISION, ndev->boot42),
		   FIELD_GET(NV_PMC_BOOT_42_MINOR_REVISION, ndev->boot42));
	seq_printf(m, "architecture: %s\n", chip->arch->name);
	seq_printf(m, "architecture_id: 0x%02x\n", chip->arch->code);
	seq_printf(m, "mmu_version: %u\n", chip->arch->mmu_version);
	seq_printf(m, "boot0: 0x%08x\n", ndev->boot0);
	seq_printf(m, "boot42: 0x%08x\n", ndev->boot42);
	seq_printf(m, "backend: %s\n", ndev->hw->name);
	seq_printf(m, "bar0_size: %llu\n", ndev->bar0_size);
	seq_printf(m, "bar1_size: %llu\n", ndev->bar1_size);
	seq_printf(m, "vram_size: %llu\n", ndev->mm.vram_size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(novamm_info);

void novamm_core_debugfs_add(struct novamm_device *ndev)
{
	ndev->debugfs = debugfs_create_dir(dev_name(ndev->dev), novamm_debugfs);
	debugfs_create_file("info", 0444, ndev->debugfs, ndev,
			    &novamm_info_fops);
}

void novamm_core_debugfs_remove(struct novamm_device *ndev)
{
	debugfs_remove_recursive(ndev->debugfs);
	ndev->debugfs = NULL;
}

void novamm_core_debugfs_init(void)
{
	novamm_debugfs = debugfs_create_dir("novamm", NULL);
}

void novamm_core_debugfs_fini(void)
{
	debugfs_remove_recursive(novamm_debugfs);
	novamm_debugfs = NULL;
}
