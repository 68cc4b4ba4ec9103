// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR1's debugfs files and counters, in the device's directory (described
 * with the rest of it in core/debugfs.c, "BAR1 and VRAM files").
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <novamm/bar1.h>
#include <novamm/hw.h>
#include <novamm/vmm.h>

/* "mappings": BAR1 offset -> VRAM. */
static int bar1_mappings_show(struct seq_file *m, void *unused)
{
	struct novamm_bar1 *bar1 = m->private;
	struct novamm_bar1_mapping *map;
	u64 va = 0;

	mutex_lock(&bar1->lock);
	seq_printf(m, "mode: %s\n", novamm_bar1_mode_name(bar1->mode));
	seq_printf(m, "size: %llu\n", bar1->size);
	seq_printf(m, "mappings: %u\n", bar1->num_mappings);
	for (; (map = novamm_vmm_next_owner(bar1->vmm, &va)); va += map->size)
		seq_printf(m, "bar1 0x%010llx-0x%010llx %s%s\n", map->offset,
			   map->offset + map->size - 1,
			   map->flags & NOVAMM_BAR1_MAP_READ_ONLY ? "ro" : "rw",
			   map->owned_vram ? ", owns its VRAM" : "");
	novamm_vmm_show(m, bar1->vmm);
	mutex_unlock(&bar1->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bar1_mappings);

/* "pagetables": the page tables under BAR1. */
static int bar1_pagetables_show(struct seq_file *m, void *unused)
{
	struct novamm_bar1 *bar1 = m->private;

	mutex_lock(&bar1->lock);
	novamm_vmm_dump(m, bar1->vmm, 0, bar1->size);
	mutex_unlock(&bar1->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bar1_pagetables);

/**
 * novamm_bar1_show_stats() - debugfs: BAR1's counters
 * @m: the file
 * @bar1: BAR1 of the device
 *
 * Context: takes bar1->lock, then the address space's.
 */
void novamm_bar1_show_stats(struct seq_file *m, struct novamm_bar1 *bar1)
{
	struct novamm_vmm_stats st;

	mutex_lock(&bar1->lock);
	seq_printf(m, "bar1_mode: %s\n", novamm_bar1_mode_name(bar1->mode));
	seq_printf(m, "bar1_instance: 0x%llx\n",
		   bar1->inst ? novamm_vram_start(bar1->inst) : 0);
	seq_printf(m, "bar1_pdb: 0x%llx\n", novamm_vmm_pdb(bar1->vmm));
	seq_printf(m, "bar1_mappings: %u\n", bar1->num_mappings);
	seq_printf(m, "bar1_maps: %llu\n", bar1->maps);
	seq_printf(m, "bar1_unmaps: %llu\n", bar1->unmaps);
	seq_printf(m, "bar1_map_errors: %llu\n", bar1->map_errors);
	seq_printf(m, "bar1_map_enospc: %llu\n", bar1->full);
	seq_printf(m, "bar1_cleared_mapped: %llu\n", bar1->cleared_mapped);
	seq_printf(m, "bar1_cleared_bar1: %llu\n", bar1->cleared_bar1);
	seq_printf(m, "bar1_cleared_pramin: %llu\n", bar1->cleared_pramin);
	seq_printf(m, "bar1_clear_pieces: %llu\n", bar1->clear_pieces);
	seq_printf(m, "bar1_table_window_base: 0x%llx\n", bar1->window_base);
	seq_printf(m, "bar1_table_window_slots: %u\n", bar1->window_slots);
	seq_printf(m, "bar1_table_window_chunks: %u\n", novamm_bar1_window_chunks(bar1));
	novamm_vmm_get_stats(bar1->vmm, &st);
	seq_printf(m, "bar1_mapped: %llu\n", st.mapped);
	seq_printf(m, "bar1_tables: %u\n", st.tables);
	seq_printf(m, "bar1_pool_chunks: %u\n", st.pool_chunks);
	seq_printf(m, "bar1_retired_tables: %u\n", st.retired);
	seq_printf(m, "bar1_invalidates: %llu\n", st.invalidates);
	mutex_unlock(&bar1->lock);
}

/* The self-test's allocation: one 2 MiB, one 64 KiB and one 4 KiB page. */
#define NOVAMM_BAR1_SELFTEST_SIZE	(SZ_2M + SZ_64K + SZ_4K)

/*
 * A debugging handle on BAR1 without a userspace API: "map <bytes>
 * [ro]" allocates VRAM and maps it (the new mapping shows in
 * "mappings"), "fill <bar1 offset> <u32>" writes a word over a whole
 * mapping through BAR1, "unmap <bar1 offset>" undoes a map made here
 * (or by any other novamm_bar1_map_new() caller). One short command per
 * write, at file offset 0. Mappings left are released when the device
 * goes.
 */
static ssize_t bar1_map_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct novamm_bar1 *bar1 = file->private_data;
	struct novamm_bar1_mapping *map;
	unsigned long flags = 0;
	char buf[64], *p, *cmd, *arg;
	bool word_given = false;
	u64 val, offset;
	u32 word = 0;
	int ret;

	if (*ppos || !len || len >= sizeof(buf))
		goto bad;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	p = strim(buf);
	cmd = strsep(&p, " ");
	arg = strsep(&p, " ");
	if (!arg || kstrtou64(arg, 0, &val))
		goto bad;
	if (p && !strcmp(cmd, "map") && !strcmp(p, "ro"))
		flags = NOVAMM_BAR1_MAP_READ_ONLY;
	else if (p && !strcmp(cmd, "fill") && !kstrtou32(p, 0, &word))
		word_given = true;
	else if (p)
		goto bad;

	if (!strcmp(cmd, "map")) {
		/* Another writer may unmap it at once: only the offset is ours. */
		map = novamm_bar1_map_new(bar1, val, flags, &offset);
		if (IS_ERR(map))
			return PTR_ERR(map);
		dev_info(bar1->hw->dev, "debugfs: mapped %llu bytes of VRAM at BAR1 0x%llx\n",
			 val, offset);
		return len;
	}
	if (!strcmp(cmd, "unmap")) {
		ret = novamm_bar1_unmap_owned(bar1, val);
		return ret ? ret : len;
	}
	if (!strcmp(cmd, "fill") && word_given) {
		ret = novamm_bar1_fill(bar1, val, word);
		return ret ? ret : len;
	}
bad:
	dev_dbg(bar1->hw->dev, "debugfs bar1_map: expected 'map <bytes> [ro]', 'fill <offset> <u32>' or 'unmap <offset>'\n");
	return -EINVAL;
}

static const struct file_operations bar1_map_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = bar1_map_write,
	.llseek = noop_llseek,
};

/**
 * novamm_bar1_debugfs_add() - BAR1's files in the device's directory
 * @bar1: BAR1 of the device, up
 * @dir: the directory; an error pointer is accepted (no files then)
 *
 * ``mappings``, ``pagetables`` and ``bar1_map``; they go with the
 * directory, which the caller removes before novamm_bar1_fini().
 */
void novamm_bar1_debugfs_add(struct novamm_bar1 *bar1, struct dentry *dir)
{
	debugfs_create_file("mappings", 0444, dir, bar1, &bar1_mappings_fops);
	debugfs_create_file("pagetables", 0444, dir, bar1, &bar1_pagetables_fops);
	debugfs_create_file("bar1_map", 0200, dir, bar1, &bar1_map_fops);
}
