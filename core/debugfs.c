// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: /sys/kernel/debug/novamm/<device>/, one directory per bound GPU.
 */

/**
 * DOC: Locking
 *
 * The files read state fixed at probe or take the locks of what they
 * show, one at a time: ``bar1->lock`` (then the VMM's), the buddy lock,
 * the PRAMIN window's lock, ``tlb.lock``. Self-tests take their own
 * (core/selftest.c).
 */

/**
 * DOC: Directory
 *
 * ``/sys/kernel/debug/novamm/`` holds one directory per bound GPU, named
 * after its struct device (``0000:01:00.0``, ``novamm-sim.0``). Files that
 * report values print one ``key: value`` pair per line so that scripts can
 * read them with a single pattern; ``mappings`` and ``pagetables`` add a
 * line per entry. In kernels with ``CONFIG_FAULT_INJECTION_DEBUG_FS``,
 * ``novamm/fail_probe`` and each device's ``fail`` are the kernel's
 * fault-injection knobs for probe and for the device once it is up (see
 * novamm_should_fail()).
 */

/**
 * DOC: info
 *
 * ``/sys/kernel/debug/novamm/<device>/info`` prints what probe found, one
 * ``key: value`` per line: the chip, its id and revision, its architecture
 * and that architecture's id, the MMU version, the two boot registers as
 * read, the backend (``pci`` or ``sim``), the mapped BAR0 and the BAR1
 * sizes, who owns BAR1's instance block (``own`` or ``gsp``) and the VRAM
 * size::
 *
 *     chip: GA102
 *     chip_id: 0x172
 *     revision: a1
 *     architecture: Ampere
 *     architecture_id: 0x17
 *     mmu_version: 2
 *     boot0: 0x172000a1
 *     boot42: 0x172a1000
 *     backend: sim
 *     bar0_size: 16777216
 *     bar1_size: 268435456
 *     bar1_mode: gsp
 *     vram_size: 25769803776
 */

/**
 * DOC: BAR1 and VRAM files
 *
 * Under ``/sys/kernel/debug/novamm/<device>/``:
 *
 * ``vram``
 *     The framebuffer layout and the VRAM allocator's state.
 * ``mappings``
 *     The mode, the BAR1 size, and for each mapping its BAR1 range, access
 *     and whether it owns its VRAM, then each run of pages: BAR1 address,
 *     VRAM address, page size and count::
 *
 *         mode: gsp
 *         size: 268435456
 *         mappings: 1
 *         bar1 0x0000000000-0x0000210fff rw, owns its VRAM
 *         mapped: 2166784
 *         0x0000000000-0x0000210fff rw, 3 runs
 *           va 0x0000000000 -> vram 0x05df800000, 1 x 2M
 *           va 0x0000200000 -> vram 0x05dfff0000, 1 x 64K
 *           va 0x0000210000 -> vram 0x05dffef000, 1 x 4K
 *
 * ``pagetables``
 *     The page tables under BAR1, from the shadow: each table with its
 *     level, VRAM address and entries in use, each page entry with its
 *     target and raw value.
 * ``stats``
 *     The allocator, PRAMIN window moves, TLB invalidates, FB flushes and
 *     their timeouts, and BAR1's mode, instance block, directory,
 *     mappings, calls, errors, ``-ENOSPC`` refusals, bytes cleared each way,
 *     tables and invalidates.
 * ``vram_raw`` (root only)
 *     VRAM through PRAMIN at the file offset: seek and read, at most 64 KiB
 *     a call, nothing past the end of VRAM. Every byte of VRAM reads, the
 *     reserved and protected ranges included, which is why the file is
 *     root's alone.
 * ``bar1_map`` (write only, root)
 *     ``map <bytes> [ro]`` allocates VRAM and maps it, ``fill <offset>
 *     <u32>`` writes a word over a whole mapping through BAR1, ``unmap
 *     <offset>`` undoes a map made here (or by any other
 *     novamm_bar1_map_new() caller). Anything else is ``-EINVAL``, and so
 *     is a command of 64 bytes or more or one written at a file offset
 *     other than 0. Mappings left are released when the device goes.
 * ``selftest``
 *     Write ``1`` (or ``all``) to run every self-test, or one name:
 *     ``pramin``, ``vram``, ``bar1``; the write returns the first failure.
 *     Read the last result of each: ``not run``, ``passed`` or ``failed``
 *     and the error. ``novamm.selftest=1`` runs them all at probe (a
 *     failure is logged and shown, the device stays bound for inspection).
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <novamm/regs.h>

#include "internal.h"

static struct dentry *novamm_debugfs;

/**
 * novamm_core_debugfs_root() - novamm's own directory in debugfs, for
 *	files that belong to the driver rather than to one device
 *
 * Return: ``/sys/kernel/debug/novamm``; NULL before
 * novamm_core_debugfs_init() and after novamm_core_debugfs_fini(), an
 * error pointer when debugfs is unavailable (debugfs calls accept both).
 */
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
	seq_printf(m, "mmu_version: %u\n", novamm_chip_mmu_version(chip->arch));
	seq_printf(m, "boot0: 0x%08x\n", ndev->boot0);
	seq_printf(m, "boot42: 0x%08x\n", ndev->boot42);
	seq_printf(m, "backend: %s\n", ndev->hw.ops->name);
	seq_printf(m, "bar0_size: %llu\n", ndev->hw.bar0_size);
	seq_printf(m, "bar1_size: %llu\n", ndev->hw.bar1_size);
	seq_printf(m, "bar1_mode: %s\n", novamm_bar1_mode_name(ndev->bar1.mode));
	seq_printf(m, "vram_size: %llu\n", ndev->mm.vram_size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(novamm_info);

static int novamm_vram_show(struct seq_file *m, void *unused)
{
	struct novamm_device *ndev = m->private;

	novamm_fb_show(m, &ndev->mm.fb);
	novamm_buddy_show(m, &ndev->mm.buddy);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(novamm_vram);

static int novamm_stats_show(struct seq_file *m, void *unused)
{
	struct novamm_device *ndev = m->private;
	struct novamm_mm *mm = &ndev->mm;
	struct novamm_vram_stats st;

	novamm_vram_stats(&mm->buddy, &st);
	seq_printf(m, "vram_total: %llu\n", st.total);
	seq_printf(m, "vram_usable: %llu\n", st.usable);
	seq_printf(m, "vram_free: %llu\n", st.free);
	seq_printf(m, "vram_largest_free: %llu\n", st.largest_free);
	seq_printf(m, "vram_allocated: %llu\n", st.allocated);
	seq_printf(m, "vram_allocations: %u\n", st.allocations);
	seq_printf(m, "pramin_window_moves: %llu\n",
		   novamm_pramin_window_moves(&mm->pramin));
	novamm_tlb_show_stats(m, &mm->tlb);
	novamm_bar1_show_stats(m, &ndev->bar1);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(novamm_stats);

/* vram_raw reads at most this much per read() call. */
#define NOVAMM_VRAM_RAW_CHUNK	SZ_64K

/*
 * Read VRAM through PRAMIN at the file offset: every byte of VRAM, the
 * reserved and protected ranges included, which is why the file is
 * root's alone. Reads past the end of VRAM return 0 bytes.
 */
static ssize_t novamm_vram_raw_read(struct file *file, char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	struct novamm_device *ndev = file->private_data;
	struct novamm_mm *mm = &ndev->mm;
	loff_t pos = *ppos;
	void *buf;
	int ret;

	if (pos < 0)
		return -EINVAL;
	if (pos >= mm->vram_size || !len)
		return 0;
	len = min_t(u64, min_t(u64, len, NOVAMM_VRAM_RAW_CHUNK), mm->vram_size - pos);
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = novamm_pramin_read(&mm->pramin, pos, buf, len);
	if (!ret && copy_to_user(ubuf, buf, len))
		ret = -EFAULT;
	kvfree(buf);
	if (ret)
		return ret;
	*ppos = pos + len;
	return len;
}

static loff_t novamm_vram_raw_llseek(struct file *file, loff_t offset, int whence)
{
	struct novamm_device *ndev = file->private_data;

	return generic_file_llseek_size(file, offset, whence, ndev->mm.vram_size,
					ndev->mm.vram_size);
}

static const struct file_operations novamm_vram_raw_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = novamm_vram_raw_read,
	.llseek = novamm_vram_raw_llseek,
};

/* Copy a short command from userspace into @buf, trimmed. */
static char *novamm_debugfs_command(const char __user *ubuf, size_t len,
				    loff_t *ppos, char *buf, size_t size)
{
	if (*ppos || !len || len >= size)
		return ERR_PTR(-EINVAL);
	if (copy_from_user(buf, ubuf, len))
		return ERR_PTR(-EFAULT);
	buf[len] = '\0';
	return strim(buf);
}

/*
 * Write "1" (or "all") to run every self-test, or the name of one
 * ("pramin", "vram", "bar1"); the write returns the first failure.
 * Reading shows the last result of each.
 */
static ssize_t novamm_selftest_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct novamm_device *ndev = m->private;
	char buf[16], *name;
	int ret;

	name = novamm_debugfs_command(ubuf, len, ppos, buf, sizeof(buf));
	if (IS_ERR(name))
		return PTR_ERR(name);
	if (!strcmp(name, "1") || !strcmp(name, "all"))
		name = NULL;
	ret = novamm_core_selftest(ndev, name);
	return ret ? ret : len;
}

static int novamm_selftest_show(struct seq_file *m, void *unused)
{
	novamm_core_selftest_show(m, m->private);
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

/**
 * novamm_core_debugfs_add() - create a device's debugfs directory
 * @ndev: the device, brought up as far as BAR1 (the files show it)
 *
 * core/'s own files, then those of each row of novamm_core_layers[] that
 * has some.
 *
 * Failures are not reported: debugfs is a debugging aid, and a device
 * without it works the same. @ndev->debugfs is then an error pointer,
 * which the debugfs calls accept.
 */
void novamm_core_debugfs_add(struct novamm_device *ndev)
{
	unsigned int i;

	ndev->debugfs = debugfs_create_dir(dev_name(ndev->hw.dev), novamm_debugfs);
	debugfs_create_file("info", 0444, ndev->debugfs, ndev,
			    &novamm_info_fops);
	debugfs_create_file("vram", 0444, ndev->debugfs, ndev,
			    &novamm_vram_fops);
	debugfs_create_file("stats", 0444, ndev->debugfs, ndev,
			    &novamm_stats_fops);
	debugfs_create_file("vram_raw", 0400, ndev->debugfs, ndev,
			    &novamm_vram_raw_fops);
	debugfs_create_file("selftest", 0600, ndev->debugfs, ndev,
			    &novamm_selftest_fops);
	for (i = 0; i < novamm_core_num_layers; i++)
		if (novamm_core_layers[i].debugfs)
			novamm_core_layers[i].debugfs(ndev, ndev->debugfs);
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail", ndev->debugfs, &ndev->hw.fault_ops);
#endif
}

/**
 * novamm_core_debugfs_remove() - remove a device's debugfs directory
 * @ndev: the device
 *
 * Removal waits for readers and writers of its files, so no file
 * operation runs on @ndev after this returns.
 */
void novamm_core_debugfs_remove(struct novamm_device *ndev)
{
	debugfs_remove_recursive(ndev->debugfs);
	ndev->debugfs = NULL;
}

/**
 * novamm_core_debugfs_init() - create ``/sys/kernel/debug/novamm``
 *
 * At module load, before any device can probe: the devices' directories
 * go below it, and ``fail_probe`` with it, since probe's fault points
 * exist before any device's directory does.
 */
void novamm_core_debugfs_init(void)
{
	novamm_debugfs = debugfs_create_dir("novamm", NULL);
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail_probe", novamm_debugfs, &novamm_fail_probe);
#endif
}

/**
 * novamm_core_debugfs_fini() - remove ``/sys/kernel/debug/novamm``
 *
 * At module unload, after every device is removed.
 */
void novamm_core_debugfs_fini(void)
{
	debugfs_remove_recursive(novamm_debugfs);
	novamm_debugfs = NULL;
}
