// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: /sys/kernel/debug/novamm/<device>/, one directory per bound
 * GPU, named after its struct device ("0000:01:00.0", "novamm-sim.0").
 * Files print one "key: value" pair per line so that scripts can read
 * them with a single pattern.
 *
 * Locking: the files read state fixed at probe or take the locks of what
 * they show (the buddy lock, pramin_lock for the PRAMIN self-test).
 * novamm_selftest_lock runs self-tests one at a time, across devices, and
 * is taken outside those locks; the results it guards are read unlocked,
 * which at worst shows a stale result.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <novamm/regs.h>

#include "internal.h"

static struct dentry *novamm_debugfs;
static DEFINE_MUTEX(novamm_selftest_lock);

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

static int novamm_vram_show(struct seq_file *m, void *unused)
{
	struct novamm_device *ndev = m->private;

	novamm_gsp_fb_show(m, &ndev->mm.fb);
	novamm_buddy_show(m, &ndev->mm);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(novamm_vram);

/*
 * PRAMIN checks the first and last words of the scratch range and one
 * window past the first, so the range spans more than a window.
 */
#define NOVAMM_PRAMIN_SELFTEST_SIZE	(2 * SZ_1M)

static int novamm_selftest_pramin(struct novamm_device *ndev)
{
	struct novamm_mm *mm = &ndev->mm;
	struct novamm_vram *scratch;
	int ret;

	scratch = novamm_vram_alloc(mm, NOVAMM_PRAMIN_SELFTEST_SIZE,
				    NOVAMM_VRAM_CONTIGUOUS, NULL);
	if (IS_ERR(scratch))
		return PTR_ERR(scratch);
	mutex_lock(&mm->pramin_lock);
	ret = novamm_pramin_selftest(mm, novamm_vram_start(scratch),
				     NOVAMM_PRAMIN_SELFTEST_SIZE);
	mutex_unlock(&mm->pramin_lock);
	novamm_vram_free(scratch);
	return ret;
}

/*
 * Write the name of a self-test ("pramin", "vram") to run it; the write
 * returns its error. Reading shows the last result of each.
 */
static ssize_t novamm_selftest_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct novamm_device *ndev = m->private;
	char buf[16], *name;
	int ret;

	if (*ppos || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	name = strim(buf);

	/* One at a time: each checks that the allocator ends as it began. */
	mutex_lock(&novamm_selftest_lock);
	if (!strcmp(name, "pramin")) {
		ret = novamm_selftest_pramin(ndev);
		ndev->selftest_pramin = ret ? ret : 1;
	} else if (!strcmp(name, "vram")) {
		ret = novamm_buddy_selftest(&ndev->mm);
		ndev->selftest_vram = ret ? ret : 1;
	} else {
		mutex_unlock(&novamm_selftest_lock);
		dev_dbg(ndev->dev, "debugfs selftest: unknown test '%s'\n", name);
		return -EINVAL;
	}
	mutex_unlock(&novamm_selftest_lock);
	dev_info(ndev->dev, "self-test %s: %s (%d)\n", name,
		 ret ? "FAILED" : "passed", ret);
	return ret ? ret : len;
}

static void novamm_selftest_result(struct seq_file *m, const char *name,
				   int result)
{
	if (!result)
		seq_printf(m, "%s: not run\n", name);
	else if (result > 0)
		seq_printf(m, "%s: passed\n", name);
	else
		seq_printf(m, "%s: failed %d\n", name, result);
}

static int novamm_selftest_show(struct seq_file *m, void *unused)
{
	struct novamm_device *ndev = m->private;

	novamm_selftest_result(m, "pramin", ndev->selftest_pramin);
	novamm_selftest_result(m, "vram", ndev->selftest_vram);
	return 0;
}

static int novamm_selftest_open(struct inode *inode, struct file *file)
{
	return single_open(file, novamm_selftest_show, inode->i_private);
}

static const struct file_operations novamm_selftest_fops = {
	.owner = THIS_MODULE,
	.open = novamm_selftest_open,
	.read = seq_read,
	.write = novamm_selftest_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void novamm_core_debugfs_add(struct novamm_device *ndev)
{
	ndev->debugfs = debugfs_create_dir(dev_name(ndev->dev), novamm_debugfs);
	debugfs_create_file("info", 0444, ndev->debugfs, ndev,
			    &novamm_info_fops);
	debugfs_create_file("vram", 0444, ndev->debugfs, ndev,
			    &novamm_vram_fops);
	debugfs_create_file("selftest", 0644, ndev->debugfs, ndev,
			    &novamm_selftest_fops);
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
