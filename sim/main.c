// SPDX-License-Identifier: GPL-2.0-only
/*
 * novamm_sim.ko: simulated NVIDIA GPUs, created and destroyed like
 * netdevsim's devices.
 */

/**
 * DOC: Locking
 *
 * ``sim_devices_lock``, a mutex, guards the device list, the id allocator
 * and whether the bus takes new devices. It is held across device
 * registration and removal, so when ``new_device`` or ``del_device`` bind
 * or unbind the driver, it is taken before the driver's probe or remove
 * runs and before any ``sim->lock`` they take. The driver never takes it,
 * so no path takes the two the other way round. Module unload stops the
 * bus taking devices, deletes them, and only then unregisters the bus,
 * whose removal waits for writers of its attributes that are still
 * running (they find it stopped).
 */

/**
 * DOC: Creating and deleting devices
 *
 * The simulated GPUs live on a bus of their own, ``novamm_sim``, as
 * netdevsim's devices do on theirs: each is a device ``novamm_sim<id>``
 * on it (``/sys/bus/novamm_sim/devices/``), with a child platform device
 * ``novamm-sim.<id>`` that novamm.ko binds like a real GPU, and a
 * directory ``/sys/kernel/debug/novamm_sim/<id>/`` of files that inspect
 * and steer it; a device takes the lowest free id. At load time::
 *
 *     insmod novamm_sim.ko devices=ga102:24G,gh100:512M vram_fill=0
 *
 * At run time, one device per write to the bus's attributes, in the same
 * ``chip[:vram[:bar1]]`` form (sizes take K, M, G, T suffixes; without a
 * VRAM size the chip's usual board size is used, without a BAR1 size
 * 256 MiB, a power of two from 1 MiB to 1 TiB otherwise)::
 *
 *     echo tu102:11G > /sys/bus/novamm_sim/new_device
 *     echo 2 > /sys/bus/novamm_sim/del_device
 *
 * ``Documentation/ABI/testing/sysfs-bus-novamm_sim`` is the interface's
 * ABI description. The knobs stay in debugfs.
 *
 * A device of ``devices`` that cannot be created fails the load, with
 * every device made before it deleted. ``vram_fill`` and ``vram_huge``
 * can be changed at run time (``/sys/module/novamm_sim/parameters/``):
 * like a ``new_device`` spec, they apply to devices created later.
 *
 * Deleting a device unbinds the driver first. Unloading the module deletes
 * every device. Bad input fails the write: an unknown chip, a size no such
 * chip can have, a device that does not exist with -EINVAL or -ENOENT and
 * a kernel log line; input to ``new_device`` longer than 63 bytes, or an
 * id that is not a number, with -EINVAL alone.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <novamm/compat.h>

#include "internal.h"

static char *devices;
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices,
		 "simulated GPUs to create at load: chip[:vram[:bar1]][,...], e.g. ga102:24G,gh100:80G:4G");

static u8 vram_fill;
module_param(vram_fill, byte, 0644);
MODULE_PARM_DESC(vram_fill, "byte that never-written VRAM reads as (default 0)");

static bool vram_huge;
module_param(vram_huge, bool, 0644);
MODULE_PARM_DESC(vram_huge,
		 "back VRAM with physically contiguous 2 MiB blocks of host memory (default N)");

/*
 * The scale of the long KUnit loops lives here, in a module loaded before
 * the suites': a module's suites run while it loads, before its own
 * parameters are parsed (load_module() tells KUnit of the coming module
 * ahead of parse_args()), so novamm_kunit.ko's suites can only read a
 * parameter that novamm_sim.ko was loaded with.
 */
static unsigned int kunit_scale = 100;
module_param(kunit_scale, uint, 0444);
MODULE_PARM_DESC(kunit_scale,
		 "percent of their iterations novamm's long KUnit cases run, 1 to 100 (default 100)");

/**
 * novamm_sim_test_scaled() - how many iterations a long driver case runs
 * @n: its full count
 *
 * The x86_64 run under QEMU, with every checker on and no KVM, runs a
 * few percent of each loop: the full depth is UML's; there the point is
 * threads overlapping on real CPUs.
 *
 * Return: @n scaled by the kunit_scale parameter, at least 1.
 */
unsigned int novamm_sim_test_scaled(unsigned int n)
{
	return max_t(u64, 1, (u64)n * clamp(kunit_scale, 1U, 100U) / 100);
}
EXPORT_SYMBOL_IF_KUNIT(novamm_sim_test_scaled);

/* Enough for any "chip:size" a person types; longer input is refused. */
#define SIM_SPEC_MAX	64

/*
 * A debugfs file read through name##_show and written through
 * name##_write, in the spirit of DEFINE_SHOW_ATTRIBUTE (6.1 has no
 * read-write variant).
 */
#define SIM_RW_ATTRIBUTE(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, name##_show, inode->i_private);	\
}									\
									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
	.write = name##_write,						\
}

static DEFINE_MUTEX(sim_devices_lock);
static LIST_HEAD(sim_devices);
static DEFINE_IDA(sim_ida);
/* The bus takes new devices: from the end of module init to unload. */
static bool sim_bus_enabled;

static struct bus_type novamm_sim_bus;
static struct dentry *sim_debugfs;

/**
 * DOC: Debugfs files
 *
 * Each device's directory ``/sys/kernel/debug/novamm_sim/<id>/`` holds:
 *
 * ``info``
 *   the chip, its chip id, VRAM and BAR1 sizes and the fill byte;
 * ``counters``
 *   every member of &struct novamm_sim_counters, one ``name: value`` a
 *   line, as novamm_sim_counters() reads them for tests; write ``0`` to
 *   reset them;
 * ``faults``
 *   the fault log (bar1.c); write ``0`` to clear it;
 * ``invalidates``
 *   the invalidate log (vm.c); write ``0`` to clear it;
 * ``bar1``
 *   what BAR1 is bound to (&struct novamm_sim_bar1_state);
 * ``fb_regions``
 *   the page-directory bases and the region table the GSP reports, as
 *   set, before any injected fault garbles the reply;
 * ``protected``
 *   the ranges the protected-VRAM watch covers, the writable hole in them
 *   and the log of writes that landed there (vram.c);
 * ``inject``
 *   the fault-injection knobs, one ``knob value`` per write;
 * ``models``
 *   the strict models, one ``name value`` per write: ``0`` or ``1``, or a
 *   number for ``posted_depth``.
 *
 * A write of anything but ``0`` to a file that clears is refused with
 * -EINVAL.
 */

static int sim_counters_show(struct seq_file *m, void *unused)
{
	struct novamm_sim *sim = m->private;
	struct novamm_sim_counters c;

	novamm_sim_counters(sim, &c);
	seq_printf(m, "mmio_reads: %llu\n", c.mmio_reads);
	seq_printf(m, "mmio_writes: %llu\n", c.mmio_writes);
	seq_printf(m, "window_writes: %llu\n", c.window_writes);
	seq_printf(m, "window_moves: %llu\n", c.window_moves);
	seq_printf(m, "pramin_reads: %llu\n", c.pramin_reads);
	seq_printf(m, "pramin_writes: %llu\n", c.pramin_writes);
	seq_printf(m, "pramin_errors: %llu\n", c.pramin_errors);
	seq_printf(m, "unimplemented: %llu\n", c.unimplemented);
	seq_printf(m, "bar1_reads: %llu\n", c.bar1_reads);
	seq_printf(m, "bar1_writes: %llu\n", c.bar1_writes);
	seq_printf(m, "bus_writes: %llu\n", c.bus_writes);
	seq_printf(m, "bar1_faults: %llu\n", c.bar1_faults);
	seq_printf(m, "bar1_mmap_faults: %llu\n", c.bar1_mmap_faults);
	seq_printf(m, "walks: %llu\n", c.walks);
	seq_printf(m, "tlb_hits: %llu\n", c.tlb_hits);
	seq_printf(m, "dir_hits: %llu\n", c.dir_hits);
	seq_printf(m, "posted_writes: %llu\n", c.posted_writes);
	seq_printf(m, "fb_flushes: %llu\n", c.fb_flushes);
	seq_printf(m, "read_flushes: %llu\n", c.read_flushes);
	seq_printf(m, "invalidates_unflushed: %llu\n", c.invalidates_unflushed);
	seq_printf(m, "protected_writes: %llu\n", c.protected_writes);
	seq_printf(m, "invalidates: %llu\n", c.invalidates);
	seq_printf(m, "invalidates_ignored: %llu\n", c.invalidates_ignored);
	seq_printf(m, "binds: %llu\n", c.binds);
	seq_printf(m, "gsp_rpcs: %llu\n", c.gsp_rpcs);
	seq_printf(m, "vram_pages: %llu\n", c.vram_pages);
	return 0;
}

/*
 * The counters and the fault log are cleared by writing "0" to them, and
 * by nothing else.
 */
static ssize_t sim_clear_write(struct file *file, const char __user *ubuf,
			       size_t count, void (*clear)(struct novamm_sim *))
{
	unsigned int val;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &val);
	if (ret)
		return ret;
	if (val)
		return -EINVAL;
	clear(file_inode(file)->i_private);
	return count;
}

static ssize_t sim_counters_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return sim_clear_write(file, ubuf, count, novamm_sim_reset_counters);
}

SIM_RW_ATTRIBUTE(sim_counters);

static int sim_info_show(struct seq_file *m, void *unused)
{
	struct novamm_sim *sim = m->private;

	seq_printf(m, "chip: %s\n", sim->chip->name);
	seq_printf(m, "chip_id: 0x%03x\n", sim->chip->chip_id);
	seq_printf(m, "vram_size: %llu\n", sim->vram_size);
	seq_printf(m, "bar1_size: %llu\n", sim->bar1_size);
	seq_printf(m, "vram_fill: 0x%02x\n", sim->vram_fill);
	seq_printf(m, "vram_huge: %d\n", sim->vram_huge);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_info);

static int sim_faults_show(struct seq_file *m, void *unused)
{
	struct novamm_sim *sim = m->private;
	struct novamm_sim_fault *f;
	unsigned int i, n, kept;

	f = kcalloc(SIM_FAULT_LOG_SIZE, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	n = novamm_sim_faults(sim, f, SIM_FAULT_LOG_SIZE);
	kept = min_t(unsigned int, n, SIM_FAULT_LOG_SIZE);
	seq_printf(m, "count: %u\n", n);
	for (i = 0; i < kept; i++)
		seq_printf(m, "fault: va 0x%llx %s %s\n", f[i].va,
			   f[i].access & NOVAMM_SIM_ACCESS_WRITE ? "write" : "read",
			   novamm_sim_fault_name(f[i].reason));
	kfree(f);
	return 0;
}

static ssize_t sim_faults_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	return sim_clear_write(file, ubuf, count, novamm_sim_clear_faults);
}

SIM_RW_ATTRIBUTE(sim_faults);

static int sim_invalidates_show(struct seq_file *m, void *unused)
{
	struct novamm_sim_invalidate *e;
	unsigned int i, n, kept;

	e = kcalloc(SIM_INV_LOG_SIZE, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	n = novamm_sim_invalidates(m->private, e, SIM_INV_LOG_SIZE);
	kept = min_t(unsigned int, n, SIM_INV_LOG_SIZE);
	seq_printf(m, "count: %u\n", n);
	for (i = 0; i < kept; i++)
		seq_printf(m, "invalidate: pdb 0x%llx%s value 0x%08x all_va %d all_pdb %d hub_only %d sys_membar %d ack %u cache_level %u posted %u%s\n",
			   e[i].pdb, e[i].pdb_sysmem ? " (sysmem)" : "", e[i].value,
			   e[i].all_va, e[i].all_pdb, e[i].hub_only, e[i].sys_membar,
			   e[i].ack, e[i].cache_level, e[i].posted,
			   e[i].ignored ? " ignored" : "");
	kfree(e);
	return 0;
}

static ssize_t sim_invalidates_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	return sim_clear_write(file, ubuf, count, novamm_sim_clear_invalidates);
}

SIM_RW_ATTRIBUTE(sim_invalidates);

static int sim_protected_show(struct seq_file *m, void *unused)
{
	struct novamm_sim *sim = m->private;
	struct novamm_sim_protected_write *w;
	unsigned int i, n, kept;

	w = kcalloc(SIM_PROTECTED_LOG_SIZE, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	mutex_lock(&sim->lock);
	for (i = 0; i < sim->watch.num; i++)
		seq_printf(m, "range: 0x%llx-0x%llx\n", sim->watch.range[i].start,
			   sim->watch.range[i].end);
	if (sim->watch.hole.end)
		seq_printf(m, "writable: 0x%llx-0x%llx\n", sim->watch.hole.start,
			   sim->watch.hole.end);
	mutex_unlock(&sim->lock);
	n = novamm_sim_protected_writes(sim, w, SIM_PROTECTED_LOG_SIZE);
	kept = min_t(unsigned int, n, SIM_PROTECTED_LOG_SIZE);
	seq_printf(m, "count: %u\n", n);
	for (i = 0; i < kept; i++)
		seq_printf(m, "write: 0x%llx +%u%s\n", w[i].addr, w[i].len,
			   w[i].cpu ? " cpu" : "");
	kfree(w);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_protected);

static int sim_bar1_show(struct seq_file *m, void *unused)
{
	struct novamm_sim_bar1_state st;

	novamm_sim_bar1_state(m->private, &st);
	seq_printf(m, "bound: %d\n", st.bound);
	seq_printf(m, "mode: %s\n", st.virtual_mode ? "virtual" : "physical");
	seq_printf(m, "instance: 0x%llx\n", st.instance);
	seq_printf(m, "pdb: 0x%llx\n", st.pdb);
	seq_printf(m, "ver2_pt_format: %d\n", st.ver2);
	seq_printf(m, "big_page_64k: %d\n", st.big_64k);
	seq_printf(m, "ctxsw_magic: %d\n", st.magic);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_bar1);

static int sim_fb_regions_show(struct seq_file *m, void *unused)
{
	struct novamm_sim_gsp_config *g;
	unsigned int i;

	g = kmalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	novamm_sim_gsp_config(m->private, g);
	seq_printf(m, "bar1_pde_base: 0x%llx\n", g->bar1_pde_base);
	seq_printf(m, "bar2_pde_base: 0x%llx\n", g->bar2_pde_base);
	for (i = 0; i < g->num_regions; i++)
		seq_printf(m, "region: 0x%llx-0x%llx reserved %llu compressed %d iso %d protected %d\n",
			   g->regions[i].base, g->regions[i].limit,
			   g->regions[i].reserved, g->regions[i].compressed,
			   g->regions[i].iso, g->regions[i].protected);
	kfree(g);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_fb_regions);

/**
 * DOC: Fault injection
 *
 * ``/sys/kernel/debug/novamm_sim/<id>/inject`` (and
 * novamm_sim_set_inject(), &struct novamm_sim_inject) takes one
 * ``knob value`` per write; the other knobs stay as they are. Reading it
 * shows every knob. For example::
 *
 *     echo 'invalidate_polls 4294967295' > inject  # never completes
 *     echo 'bind_polls 3' > inject                 # busy for 3 reads
 *     echo 'flush_polls 4294967295' > inject       # FB flush never ends
 *     echo 'gsp truncated' > inject
 *     echo 'gfw_boot_polls 4294967295' > inject    # devinit never done
 *     echo 'bad_vram 0x100000 0x10000 0x100' > inject  # bit 8 stuck at 1
 *     echo 'gone 1' > inject                       # fallen off the bus
 *
 * ``gsp`` takes ``none``, ``error`` (``NV_ERR_GENERIC`` in rpc_result),
 * ``truncated`` (half the payload delivered, the header still claiming
 * all of it), ``too-many-regions`` (17), ``inverted-region`` (base above
 * limit), ``overlapping-regions``, and ``absent`` (no GSP-RM: no answer,
 * BAR1 unbound as such a GPU boots; switching to or from it rebuilds
 * BAR1's boot state). A bind, an invalidate or an FB flush stuck by a
 * count of 4294967295 finishes under the new count once it is changed.
 *
 * ``gone`` makes the GPU one that fell off the bus: every BAR0 and BAR1
 * read returns all ones and every write is dropped (still counted, so a
 * test sees how often a driver tried), CPU pages of BAR1 fault and the GSP
 * answers nothing.
 *
 * A write that does not parse, or whose setting does not fit the device
 * (an unknown knob or ``gsp`` value, bad VRAM outside VRAM), is refused
 * with -EINVAL (-ERANGE for a number too large), and nothing changes.
 */
static const char * const sim_gsp_fault_names[] = {
	[NOVAMM_SIM_GSP_OK] = "none",
	[NOVAMM_SIM_GSP_ERROR] = "error",
	[NOVAMM_SIM_GSP_TRUNCATED] = "truncated",
	[NOVAMM_SIM_GSP_TOO_MANY_REGIONS] = "too-many-regions",
	[NOVAMM_SIM_GSP_INVERTED_REGION] = "inverted-region",
	[NOVAMM_SIM_GSP_OVERLAPPING_REGIONS] = "overlapping-regions",
	[NOVAMM_SIM_GSP_ABSENT] = "absent",
};

/* The counting knobs of struct novamm_sim_inject (U32_MAX: never completes). */
static const struct {
	const char *name;
	size_t offset;
} sim_inject_polls[] = {
	{ "invalidate_polls", offsetof(struct novamm_sim_inject, invalidate_polls) },
	{ "bind_polls", offsetof(struct novamm_sim_inject, bind_polls) },
	{ "flush_polls", offsetof(struct novamm_sim_inject, flush_polls) },
	{ "gfw_boot_polls", offsetof(struct novamm_sim_inject, gfw_boot_polls) },
};

static u32 *sim_inject_poll(struct novamm_sim_inject *inj, unsigned int i)
{
	return (u32 *)((u8 *)inj + sim_inject_polls[i].offset);
}

static int sim_inject_show(struct seq_file *m, void *unused)
{
	struct novamm_sim *sim = m->private;
	struct novamm_sim_inject inj;
	unsigned int i;

	mutex_lock(&sim->lock);
	inj = sim->inject;
	mutex_unlock(&sim->lock);
	for (i = 0; i < ARRAY_SIZE(sim_inject_polls); i++)
		seq_printf(m, "%s: %u\n", sim_inject_polls[i].name, *sim_inject_poll(&inj, i));
	seq_printf(m, "gsp: %s\n", inj.gsp < ARRAY_SIZE(sim_gsp_fault_names) ?
		   sim_gsp_fault_names[inj.gsp] : "?");
	seq_printf(m, "bad_vram: 0x%llx 0x%llx 0x%08x\n", inj.bad_vram_addr,
		   inj.bad_vram_size, inj.bad_vram_stuck);
	seq_printf(m, "gone: %d\n", inj.gone);
	return 0;
}

/* A short line written in one go; longer input is refused, not cut. */
static int sim_copy_input(char (*buf)[SIM_SPEC_MAX], const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	if (*ppos || count >= sizeof(*buf))
		return -EINVAL;
	if (copy_from_user(*buf, ubuf, count))
		return -EFAULT;
	(*buf)[count] = '\0';
	return 0;
}

/* "bad_vram ADDR SIZE STUCK": three numbers. */
static int sim_parse_bad_vram(char *val, struct novamm_sim_inject *inj)
{
	char *addr = strsep(&val, " "), *size = strsep(&val, " ");
	int ret;

	if (!size || !val)
		return -EINVAL;
	ret = kstrtou64(addr, 0, &inj->bad_vram_addr);
	ret = ret ?: kstrtou64(size, 0, &inj->bad_vram_size);
	return ret ?: kstrtou32(val, 0, &inj->bad_vram_stuck);
}

/*
 * One "knob value" per write, e.g. "bind_polls 4294967295", "gsp error",
 * "bad_vram 0x100000 0x1000 0x1" or "gone 1": the other knobs stay as they
 * are, even if set meanwhile.
 */
static ssize_t sim_inject_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct novamm_sim *sim = file_inode(file)->i_private;
	char buf[SIM_SPEC_MAX], *key, *val;
	struct novamm_sim_inject inj;
	unsigned int i;
	int ret;

	ret = sim_copy_input(&buf, ubuf, count, ppos);
	if (ret)
		return ret;
	key = strim(buf);
	val = strchr(key, ' ');
	if (!val)
		return -EINVAL;
	*val++ = '\0';
	val = strim(val);

	mutex_lock(&sim->lock);
	inj = sim->inject;
	for (i = 0; i < ARRAY_SIZE(sim_inject_polls); i++)
		if (!strcmp(key, sim_inject_polls[i].name))
			break;
	if (i < ARRAY_SIZE(sim_inject_polls)) {
		ret = kstrtou32(val, 0, sim_inject_poll(&inj, i));
	} else if (!strcmp(key, "gsp")) {
		ret = match_string(sim_gsp_fault_names,
				   ARRAY_SIZE(sim_gsp_fault_names), val);
		inj.gsp = ret;
	} else if (!strcmp(key, "bad_vram")) {
		ret = sim_parse_bad_vram(val, &inj);
	} else if (!strcmp(key, "gone")) {
		ret = kstrtobool(val, &inj.gone);
	} else {
		ret = -EINVAL;
	}
	if (ret >= 0 && !novamm_sim_inject_ok(sim, &inj))
		ret = -EINVAL;
	if (ret >= 0)
		ret = novamm_sim_apply_inject_locked(sim, &inj);
	mutex_unlock(&sim->lock);
	return ret < 0 ? ret : count;
}

SIM_RW_ATTRIBUTE(sim_inject);

/*
 * The strict models, one "name value" per write: on or off (0 or 1), and
 * posted_depth a number of accesses.
 */
static const char * const sim_model_names[] = {
	"posted_writes", "dir_cache", "gpc_tlb", "protected_watch",
};

static bool *sim_model(struct novamm_sim_models *mo, unsigned int i)
{
	bool *knobs[] = {
		&mo->posted_writes, &mo->dir_cache, &mo->gpc_tlb, &mo->protected_watch,
	};

	BUILD_BUG_ON(ARRAY_SIZE(knobs) != ARRAY_SIZE(sim_model_names));
	return knobs[i];
}

static int sim_models_show(struct seq_file *m, void *unused)
{
	struct novamm_sim_models mo;
	unsigned int i;

	novamm_sim_models(m->private, &mo);
	for (i = 0; i < ARRAY_SIZE(sim_model_names); i++)
		seq_printf(m, "%s: %d\n", sim_model_names[i], *sim_model(&mo, i));
	seq_printf(m, "posted_depth: %u\n", mo.posted_depth);
	return 0;
}

static ssize_t sim_models_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct novamm_sim *sim = file_inode(file)->i_private;
	char buf[SIM_SPEC_MAX], *key, *val;
	struct novamm_sim_models mo;
	bool on = false;
	u32 depth = 0;
	int ret, i;

	ret = sim_copy_input(&buf, ubuf, count, ppos);
	if (ret)
		return ret;
	key = strim(buf);
	val = strchr(key, ' ');
	if (!val)
		return -EINVAL;
	*val++ = '\0';
	val = strim(val);
	if (!strcmp(key, "posted_depth")) {
		i = -1;
		ret = kstrtou32(val, 0, &depth);
	} else {
		i = match_string(sim_model_names, ARRAY_SIZE(sim_model_names), key);
		ret = i < 0 ? i : kstrtobool(val, &on);
	}
	if (ret)
		return ret;
	/* One model changes; the others stay as they are, even if set meanwhile. */
	mutex_lock(&sim->lock);
	mo = sim->models;
	if (i < 0)
		mo.posted_depth = depth;
	else
		*sim_model(&mo, i) = on;
	ret = novamm_sim_apply_models_locked(sim, &mo);
	mutex_unlock(&sim->lock);
	return ret ? ret : count;
}

SIM_RW_ATTRIBUTE(sim_models);

/* A size of @what in a device spec: a number with an optional K, M, G or T. */
static int sim_parse_size(const char *size, const char *what, const char *spec, u64 *out)
{
	char *end;

	*out = memparse(size, &end);
	if (!*size || *end || !*out) {
		pr_err("novamm_sim: bad %s size '%s' for %s\n", what, size, spec);
		return -EINVAL;
	}
	return 0;
}

static int sim_parse_spec(char *spec, struct novamm_sim_config *cfg)
{
	char *size = strchr(spec, ':'), *bar1;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->vram_fill = vram_fill;
	cfg->vram_huge = vram_huge;
	if (size) {
		*size++ = '\0';
		bar1 = strchr(size, ':');
		if (bar1) {
			*bar1++ = '\0';
			ret = sim_parse_size(bar1, "BAR1", spec, &cfg->bar1_size);
			if (ret)
				return ret;
		}
		ret = sim_parse_size(size, "VRAM", spec, &cfg->vram_size);
		if (ret)
			return ret;
	}
	cfg->chip = spec;
	return 0;
}

static void sim_bus_dev_release(struct device *dev)
{
	kfree(dev);
}

/* The device on the bus that stands for @sim, parent of its platform device. */
static int sim_bus_dev_add(struct novamm_sim *sim)
{
	struct device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->bus = &novamm_sim_bus;
	dev->release = sim_bus_dev_release;
	ret = dev_set_name(dev, "novamm_sim%d", sim->id);
	if (!ret)
		ret = device_add(dev);
	if (ret) {
		put_device(dev);
		return ret;
	}
	sim->bus_dev = dev;
	return 0;
}

/* Called with sim_devices_lock held. */
static int sim_add(char *spec)
{
	struct novamm_sim_pdata pdata;
	struct novamm_sim_config cfg;
	struct novamm_sim *sim;
	char name[16];
	int ret, id;

	ret = sim_parse_spec(spec, &cfg);
	if (ret)
		return ret;
	ret = novamm_sim_create(&cfg, &sim);
	if (ret)
		return ret;

	id = ida_alloc(&sim_ida, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto err_destroy;
	}
	sim->id = id;

	ret = sim_bus_dev_add(sim);
	if (ret) {
		pr_err("novamm_sim: cannot add device %d to the bus: %d\n", id, ret);
		goto err_ida;
	}
	novamm_sim_pdata(sim, &pdata);
	sim->pdev = platform_device_register_data(sim->bus_dev, NOVAMM_SIM_DRIVER_NAME,
						  id, &pdata, sizeof(pdata));
	if (IS_ERR(sim->pdev)) {
		ret = PTR_ERR(sim->pdev);
		pr_err("novamm_sim: cannot register device %d: %d\n", id, ret);
		goto err_bus;
	}

	snprintf(name, sizeof(name), "%d", id);
	sim->debugfs = debugfs_create_dir(name, sim_debugfs);
	debugfs_create_file("info", 0400, sim->debugfs, sim, &sim_info_fops);
	debugfs_create_file("counters", 0600, sim->debugfs, sim,
			    &sim_counters_fops);
	debugfs_create_file("faults", 0600, sim->debugfs, sim, &sim_faults_fops);
	debugfs_create_file("bar1", 0400, sim->debugfs, sim, &sim_bar1_fops);
	debugfs_create_file("fb_regions", 0400, sim->debugfs, sim,
			    &sim_fb_regions_fops);
	debugfs_create_file("inject", 0600, sim->debugfs, sim, &sim_inject_fops);
	debugfs_create_file("invalidates", 0600, sim->debugfs, sim,
			    &sim_invalidates_fops);
	debugfs_create_file("models", 0600, sim->debugfs, sim, &sim_models_fops);
	debugfs_create_file("protected", 0400, sim->debugfs, sim, &sim_protected_fops);

	list_add_tail(&sim->node, &sim_devices);
	pr_info("novamm_sim: device %d: %s, %llu MiB VRAM, %llu MiB BAR1\n",
		id, sim->chip->name, sim->vram_size >> 20, sim->bar1_size >> 20);
	return 0;

err_bus:
	device_unregister(sim->bus_dev);
err_ida:
	ida_free(&sim_ida, id);
err_destroy:
	novamm_sim_destroy(sim);
	return ret;
}

/* Called with sim_devices_lock held. The driver is unbound first. */
static void sim_del(struct novamm_sim *sim)
{
	list_del(&sim->node);
	platform_device_unregister(sim->pdev);
	device_unregister(sim->bus_dev);
	debugfs_remove_recursive(sim->debugfs);
	ida_free(&sim_ida, sim->id);
	novamm_sim_destroy(sim);
}

static ssize_t new_device_store(NOVAMM_BUS_ATTR_CONST struct bus_type *bus,
				const char *buf, size_t count)
{
	char spec[SIM_SPEC_MAX];
	int ret;

	if (count >= sizeof(spec))
		return -EINVAL;
	memcpy(spec, buf, count);
	spec[count] = '\0';

	mutex_lock(&sim_devices_lock);
	ret = sim_bus_enabled ? sim_add(strim(spec)) : -ENODEV;
	mutex_unlock(&sim_devices_lock);
	return ret ? ret : count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(NOVAMM_BUS_ATTR_CONST struct bus_type *bus,
				const char *buf, size_t count)
{
	struct novamm_sim *sim;
	int ret, id;

	ret = kstrtoint(buf, 10, &id);
	if (ret)
		return ret;

	ret = -ENOENT;
	mutex_lock(&sim_devices_lock);
	list_for_each_entry(sim, &sim_devices, node) {
		if (sim_bus_enabled && sim->id == id) {
			sim_del(sim);
			ret = 0;
			break;
		}
	}
	mutex_unlock(&sim_devices_lock);
	if (ret)
		pr_err("novamm_sim: no device %d\n", id);
	return ret ? ret : count;
}
static BUS_ATTR_WO(del_device);

static struct attribute *novamm_sim_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL
};
ATTRIBUTE_GROUPS(novamm_sim_bus);

static struct bus_type novamm_sim_bus = {
	.name = "novamm_sim",
	.bus_groups = novamm_sim_bus_groups,
};

static void sim_del_all(void)
{
	struct novamm_sim *sim, *tmp;

	mutex_lock(&sim_devices_lock);
	list_for_each_entry_safe(sim, tmp, &sim_devices, node)
		sim_del(sim);
	mutex_unlock(&sim_devices_lock);
}

static int sim_add_param_devices(void)
{
	char *list, *cur, *spec;
	int ret = 0;

	if (!devices || !*devices)
		return 0;
	list = kstrdup(devices, GFP_KERNEL);
	if (!list)
		return -ENOMEM;

	cur = list;
	mutex_lock(&sim_devices_lock);
	while ((spec = strsep(&cur, ",")) != NULL) {
		spec = strim(spec);
		if (!*spec)
			continue;
		ret = sim_add(spec);
		if (ret)
			break;
	}
	mutex_unlock(&sim_devices_lock);
	kfree(list);
	return ret;
}

static int __init novamm_sim_init(void)
{
	int ret;

	ret = bus_register(&novamm_sim_bus);
	if (ret)
		return ret;
	sim_debugfs = debugfs_create_dir("novamm_sim", NULL);
	ret = sim_add_param_devices();
	if (ret) {
		sim_del_all();
		debugfs_remove_recursive(sim_debugfs);
		bus_unregister(&novamm_sim_bus);
		ida_destroy(&sim_ida);
		return ret;
	}
	/* Only now: no write can add a device while init may still fail. */
	mutex_lock(&sim_devices_lock);
	sim_bus_enabled = true;
	mutex_unlock(&sim_devices_lock);
	return 0;
}

static void __exit novamm_sim_exit(void)
{
	mutex_lock(&sim_devices_lock);
	sim_bus_enabled = false;
	mutex_unlock(&sim_devices_lock);
	sim_del_all();
	debugfs_remove_recursive(sim_debugfs);
	bus_unregister(&novamm_sim_bus);
	ida_destroy(&sim_ida);
}

module_init(novamm_sim_init);
module_exit(novamm_sim_exit);

MODULE_DESCRIPTION("novamm: simulated NVIDIA GPU");
MODULE_LICENSE("GPL");
