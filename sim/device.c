// SPDX-License-Identifier: GPL-2.0-only
/*
 * A simulated GPU: its BAR0 register file and the PRAMIN window onto its
 * VRAM.
 */

/**
 * DOC: Locking
 *
 * Each device has one mutex, ``sim->lock``. Every entry point of sim/ (the
 * driver's &struct novamm_sim_ops and the C API exported to tests) takes
 * it and releases it before returning; it is a mutex because VRAM pages
 * are allocated on first write, which may sleep. The functions sim/'s files
 * share through internal.h say in their Context whether they need it:
 * those that touch the device's state are called with it held (the names
 * of some end in ``_locked``), and most assert it with lockdep.
 * Nothing in sim/ calls out of sim/ with it held, so it nests inside any
 * lock of the driver's.
 */

/**
 * DOC: Registers
 *
 * BAR0 is 16 MiB. Besides PRAMIN (below) the sim implements:
 *
 * - ``NV_PMC_BOOT_0`` and ``NV_PMC_BOOT_42`` of the chip at revision A1
 *   (MAJOR 0xa, MINOR 1), read-only: writes are ignored;
 * - the chip's VRAM-size register: ``LOCAL_MEMORY_RANGE`` (0x100ce0) on
 *   Turing and GA100, with the smallest ``SCALE`` that states the size, or
 *   ``USABLE_FB_SIZE_IN_MB`` (0x1183a4) on every other chip;
 * - the BAR0 window register of the generation, keeping only its ``BASE``
 *   (and, up to Ada, ``TARGET``) bits and starting at 0;
 * - the firmware-boot registers (below), the FB flush (flush.c), BAR1
 *   binding and TLB invalidation (vm.c).
 *
 * Every register the sim decodes is defined in ``sim/regs.h`` and
 * ``sim/mmu.h``, written from NVIDIA's headers with their sources; sim/
 * includes nothing of the driver's but ``include/novamm/sim.h``, so an
 * offset or field the driver gets wrong disagrees with the sim instead of
 * agreeing by construction.
 *
 * Any other register reads as ``NOVAMM_SIM_POISON`` (``0xbadf5e11``),
 * ignores writes, is counted (``unimplemented``), and is reported in the
 * kernel log once per register. Every read outside PRAMIN is also counted
 * per register: novamm_sim_reg_reads() tells how often a register was
 * read since the counters were reset, for tests that a driver reads a
 * register only when it should.
 */
#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include "internal.h"
#include "regs.h"

/* The sim is silicon revision A1: BOOT_0/BOOT_42 MAJOR 0xa, MINOR 1. */
#define SIM_MAJOR_REVISION	0xa
#define SIM_MINOR_REVISION	0x1

#define SIM_BAR1_DEFAULT	SZ_256M
/*
 * Room for the default GSP layout: usable VRAM below an RM-reserved and a
 * protected region of at least 2 MiB each (gsp.c).
 */
#define SIM_VRAM_MIN		SZ_16M
#define SIM_DEFAULT_POLLS	1
/* Accesses after which a posted write lands by itself (flush.c). */
#define SIM_POSTED_DEPTH	64

static atomic_t sim_serial = ATOMIC_INIT(0);

static u32 sim_boot0(const struct sim_chip *chip)
{
	u32 arch = chip->chip_id >> 4;

	return FIELD_PREP(SIM_PMC_BOOT_0_ARCHITECTURE_0,
			  arch & GENMASK(SIM_PMC_BOOT_0_ARCHITECTURE_0_WIDTH - 1, 0)) |
	       FIELD_PREP(SIM_PMC_BOOT_0_ARCHITECTURE_1,
			  arch >> SIM_PMC_BOOT_0_ARCHITECTURE_0_WIDTH) |
	       FIELD_PREP(SIM_PMC_BOOT_0_IMPLEMENTATION, chip->chip_id & 0xf) |
	       FIELD_PREP(SIM_PMC_BOOT_0_MAJOR_REVISION, SIM_MAJOR_REVISION) |
	       FIELD_PREP(SIM_PMC_BOOT_0_MINOR_REVISION, SIM_MINOR_REVISION);
}

static u32 sim_boot42(const struct sim_chip *chip)
{
	return FIELD_PREP(SIM_PMC_BOOT_42_CHIP_ID, chip->chip_id) |
	       FIELD_PREP(SIM_PMC_BOOT_42_MAJOR_REVISION, SIM_MAJOR_REVISION) |
	       FIELD_PREP(SIM_PMC_BOOT_42_MINOR_REVISION, SIM_MINOR_REVISION);
}

/*
 * LOCAL_MEMORY_RANGE holds the size as LOWER_MAG << (LOWER_SCALE + 20).
 * A size that no (MAG, SCALE) pair states exactly cannot exist on such a
 * chip, so the sim refuses it instead of rounding.
 */
static int sim_lmr_encode(u64 size, u32 *val)
{
	u64 mib = size >> 20;
	u32 scale;

	for (scale = 0; scale <= FIELD_MAX(SIM_LMR_LOWER_SCALE);
	     scale++) {
		u64 mag = mib >> scale;

		if (mag << scale != mib)
			break;
		if (mag <= FIELD_MAX(SIM_LMR_LOWER_MAG)) {
			*val = FIELD_PREP(SIM_LMR_LOWER_MAG, mag) |
			       FIELD_PREP(SIM_LMR_LOWER_SCALE, scale);
			return 0;
		}
	}
	return -EINVAL;
}

static void sim_log_unimplemented(struct novamm_sim *sim, u32 offset,
				  bool write)
{
	sim->cnt.unimplemented++;
	/* Once per register: a driver polling one would flood the log. */
	if (xa_insert(&sim->logged, offset >> 2, xa_mk_value(1), SIM_GFP_MMIO))
		return;
	pr_notice("novamm_sim %u (%s): %s of unimplemented register 0x%06x\n",
		  sim->serial, sim->chip->name, write ? "write" : "read",
		  offset);
}

static u64 sim_window_base(struct novamm_sim *sim)
{
	return (u64)(sim->bar0_window & sim->chip->window_base) <<
	       SIM_BAR0_WINDOW_BASE_SHIFT;
}

/**
 * DOC: PRAMIN
 *
 * BAR0 offsets 0x700000 to 0x7fffff reach VRAM at
 * ``(BASE << 16) + (offset - 0x700000)``, little-endian, ``BASE`` being
 * that of the window register as last written. An access beyond the end
 * of VRAM, or with a ``TARGET`` other than video memory (the sim has no
 * system memory), reads as poison, drops the write, counts a
 * ``pramin_errors`` and logs a rate-limited kernel line. A write through
 * the window is posted and a read through it lands every posted write
 * first (flush.c).
 */

/* Where a PRAMIN access lands in VRAM, or -EIO when it reaches none. */
static int sim_pramin_addr(struct novamm_sim *sim, u32 offset, u64 *addr)
{
	u32 target = FIELD_GET(SIM_PBUS_BAR0_WINDOW_TARGET, sim->bar0_window);

	*addr = sim_window_base(sim) + (offset - SIM_PRAMIN);
	if ((sim->chip->window_target &&
	     target != SIM_PBUS_BAR0_WINDOW_TARGET_VID_MEM) ||
	    *addr + sizeof(u32) > sim->vram_size) {
		sim->cnt.pramin_errors++;
		pr_notice_ratelimited("novamm_sim %u (%s): PRAMIN access at 0x%llx reaches no VRAM (window 0x%08x)\n",
				      sim->serial, sim->chip->name, *addr,
				      sim->bar0_window);
		return -EIO;
	}
	return 0;
}

static bool sim_in_pramin(u32 offset)
{
	return offset >= SIM_PRAMIN && offset < SIM_PRAMIN + SIM_PRAMIN_SIZE;
}

static u32 sim_vram_size_reg(struct novamm_sim *sim, u32 offset, bool *hit)
{
	u32 val;

	*hit = true;
	if (offset == SIM_PFB_PRI_MMU_LOCAL_MEMORY_RANGE &&
	    sim->chip->local_memory_range) {
		/* Checked at creation, cannot fail here. */
		sim_lmr_encode(sim->vram_size, &val);
		return val;
	}
	if (offset == SIM_USABLE_FB_SIZE_IN_MB && !sim->chip->local_memory_range)
		return sim->vram_size >> 20;
	*hit = false;
	return 0;
}

/**
 * DOC: Firmware boot
 *
 * On Turing, Ampere and Ada (the chips RM waits on with
 * ``gpuWaitForGfwBootComplete_TU102``, OGKM ``g_gpu_nvoc.c``) scratch
 * group 05's privilege mask (0x118128) reads bit 0 set and ``GFW_BOOT``
 * (0x118234) reads progress 0xff once devinit is done; until then they
 * read 0, scratch group 05 still read-protected. Devinit is done before
 * the driver looks unless ``gfw_boot_polls`` says otherwise: that many
 * reads of the privilege mask first, counted from when it is set, or
 * never with 4294967295 (``U32_MAX``).
 *
 * Hopper and Blackwell have no such handshake for a driver: RM has a stub
 * for them and nova-core's GH100 HAL reads nothing. There both registers
 * answer with the PRI error ``0xbadf1100`` (``FECS_PRI_DECODE``: a read
 * that decodes to no register returns 0xbad in bits 31:20 and its error
 * code in 31:8, ``dev_pri_ringstation_sys.h``): a driver waiting on them
 * there never sees them done, as it would not on the hardware.
 */
static u32 sim_gfw_boot_reg(struct novamm_sim *sim, u32 offset, bool *hit)
{
	bool done = !sim->inject.gfw_boot_polls;

	*hit = offset == SIM_GC6_SCRATCH_GROUP_05_PRIV_LEVEL_MASK ||
	       offset == SIM_GC6_SCRATCH_GROUP_05_0_GFW_BOOT;
	if (!*hit)
		return 0;
	if (!sim->chip->gfw_boot)
		return SIM_PRI_ERROR_DECODE;
	if (offset == SIM_GC6_SCRATCH_GROUP_05_0_GFW_BOOT)
		return done ? SIM_GC6_GFW_BOOT_PROGRESS_COMPLETED : 0;
	if (!done && sim->inject.gfw_boot_polls != U32_MAX)
		sim->inject.gfw_boot_polls--;
	return done ? SIM_GC6_SCRATCH_GROUP_05_READ_PROTECTION_LEVEL0 : 0;
}

/* Reads per register, outside PRAMIN, for tests that a driver reads none. */
static void sim_count_read(struct novamm_sim *sim, u32 offset)
{
	unsigned long n = xa_to_value(xa_load(&sim->reg_reads, offset >> 2));

	/* A lost count under memory pressure only undercounts a test's view. */
	xa_store(&sim->reg_reads, offset >> 2, xa_mk_value(n + 1), SIM_GFP_MMIO);
}

static u32 sim_bar0_rd32_locked(struct novamm_sim *sim, u32 offset)
{
	__le32 data;
	bool hit;
	u64 addr;
	u32 val;

	sim->cnt.mmio_reads++;
	novamm_sim_access(sim);
	if (!sim_in_pramin(offset))
		sim_count_read(sim, offset);
	if (sim->inject.gone)
		return U32_MAX;
	if (sim_in_pramin(offset)) {
		sim->cnt.pramin_reads++;
		/* A read through the window lands every posted write first. */
		novamm_sim_posted_drain(sim, true);
		if (sim_pramin_addr(sim, offset, &addr))
			return NOVAMM_SIM_POISON;
		if (novamm_sim_vram_access(sim, addr, &data, sizeof(data), false))
			return NOVAMM_SIM_POISON;
		return le32_to_cpu(data);
	}

	if (offset == SIM_PMC_BOOT_0)
		return sim_boot0(sim->chip);
	if (offset == SIM_PMC_BOOT_42)
		return sim_boot42(sim->chip);
	if (offset == sim->chip->window)
		return sim->bar0_window;
	val = sim_gfw_boot_reg(sim, offset, &hit);
	if (hit)
		return val;
	val = novamm_sim_flush_rd32(sim, offset, &hit);
	if (hit)
		return val;
	val = sim_vram_size_reg(sim, offset, &hit);
	if (hit)
		return val;
	val = novamm_sim_vm_rd32(sim, offset, &hit);
	if (hit)
		return val;

	sim_log_unimplemented(sim, offset, false);
	return NOVAMM_SIM_POISON;
}

static void sim_window_write(struct novamm_sim *sim, u32 val)
{
	u32 mask = sim->chip->window_base;

	if (sim->chip->window_target)
		mask |= SIM_PBUS_BAR0_WINDOW_TARGET;
	val &= mask;
	sim->cnt.window_writes++;
	if (val != sim->bar0_window)
		sim->cnt.window_moves++;
	sim->bar0_window = val;
}

static void sim_bar0_wr32_locked(struct novamm_sim *sim, u32 offset, u32 val)
{
	__le32 data = cpu_to_le32(val);
	u64 addr;

	sim->cnt.mmio_writes++;
	sim->cnt.bus_writes++;
	novamm_sim_access(sim);
	if (sim->inject.gone)
		return;
	if (sim_in_pramin(offset)) {
		sim->cnt.pramin_writes++;
		if (!sim_pramin_addr(sim, offset, &addr))
			novamm_sim_post_write(sim, addr, &data, sizeof(data));
		return;
	}

	if (offset == sim->chip->window) {
		sim_window_write(sim, val);
		return;
	}
	/* Read-only registers ignore writes, as the hardware does. */
	if (offset == SIM_PMC_BOOT_0 || offset == SIM_PMC_BOOT_42)
		return;
	if (novamm_sim_vm_wr32(sim, offset, val))
		return;
	if (novamm_sim_flush_wr32(sim, offset, val))
		return;

	sim_log_unimplemented(sim, offset, true);
}

/**
 * novamm_sim_rd32() - read BAR0 as the driver does
 * @sim: the simulated GPU
 * @offset: BAR0 offset, which the caller keeps 4-byte aligned and inside
 *	BAR0
 *
 * The driver's bar0_rd32 op too, so a test's read is one more the driver
 * could have made: it counts in ``mmio_reads``, ticks the posted-write
 * clock, and through PRAMIN lands every posted write first. Status
 * registers advance the request they report (a bind, an invalidate, an
 * FB flush, the GFW boot).
 *
 * Context: Process context; takes sim->lock.
 * Return: the register's value, or the PRAMIN word; NOVAMM_SIM_POISON for
 * a register the sim does not implement or a PRAMIN access that reaches
 * no VRAM; all ones when the GPU is gone (injected).
 */
u32 novamm_sim_rd32(struct novamm_sim *sim, u32 offset)
{
	u32 val;

	mutex_lock(&sim->lock);
	val = sim_bar0_rd32_locked(sim, offset);
	mutex_unlock(&sim->lock);
	return val;
}
EXPORT_SYMBOL_GPL(novamm_sim_rd32);

/**
 * novamm_sim_wr32() - write BAR0 as the driver does
 * @sim: the simulated GPU
 * @offset: BAR0 offset, which the caller keeps 4-byte aligned and inside
 *	BAR0
 * @val: the value
 *
 * The driver's bar0_wr32 op too: it counts in ``mmio_writes`` and ticks the
 * posted-write clock. A write through PRAMIN is posted (flush.c); one to a
 * read-only register is ignored, one to a register the sim does not
 * implement is dropped and logged, and every write is dropped while the
 * GPU is gone (injected).
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_wr32(struct novamm_sim *sim, u32 offset, u32 val)
{
	mutex_lock(&sim->lock);
	sim_bar0_wr32_locked(sim, offset, val);
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_wr32);

static void sim_op_bar1_read(struct novamm_sim *sim, u64 offset, void *buf,
			     size_t len)
{
	mutex_lock(&sim->lock);
	novamm_sim_bar1_read_locked(sim, offset, buf, len);
	mutex_unlock(&sim->lock);
}

static void sim_op_bar1_write(struct novamm_sim *sim, u64 offset,
			      const void *buf, size_t len)
{
	mutex_lock(&sim->lock);
	novamm_sim_bar1_write_locked(sim, offset, buf, len);
	mutex_unlock(&sim->lock);
}

static int sim_op_gsp_rpc(struct novamm_sim *sim, const void *req,
			  size_t req_len, void *reply, size_t reply_size,
			  size_t *reply_len)
{
	int ret;

	mutex_lock(&sim->lock);
	ret = novamm_sim_gsp_rpc_locked(sim, req, req_len, reply, reply_size,
					reply_len);
	mutex_unlock(&sim->lock);
	return ret;
}

static u64 sim_op_bar1_faults(struct novamm_sim *sim, u64 *last_va)
{
	u64 count;

	mutex_lock(&sim->lock);
	count = sim->fault_count;
	*last_va = count ? sim->faults[(count - 1) % SIM_FAULT_LOG_SIZE].va : 0;
	mutex_unlock(&sim->lock);
	return count;
}

static struct page *sim_op_bar1_page(struct novamm_sim *sim, u64 offset,
				     bool write)
{
	struct page *page;

	mutex_lock(&sim->lock);
	page = novamm_sim_bar1_page_locked(sim, offset, write);
	mutex_unlock(&sim->lock);
	return page;
}

static int sim_op_claim(struct novamm_sim *sim)
{
	int ret = 0;

	mutex_lock(&sim->lock);
	if (sim->claimed)
		ret = -EBUSY;
	else
		sim->claimed = true;
	mutex_unlock(&sim->lock);
	return ret;
}

static void sim_op_release(struct novamm_sim *sim)
{
	mutex_lock(&sim->lock);
	sim->claimed = false;
	mutex_unlock(&sim->lock);
}

const struct novamm_sim_ops novamm_sim_ops = {
	.bar0_rd32 = novamm_sim_rd32,
	.bar0_wr32 = novamm_sim_wr32,
	.bar1_read = sim_op_bar1_read,
	.bar1_write = sim_op_bar1_write,
	.gsp_rpc = sim_op_gsp_rpc,
	.bar1_faults = sim_op_bar1_faults,
	.bar1_page = sim_op_bar1_page,
	.claim = sim_op_claim,
	.release = sim_op_release,
};

/**
 * novamm_sim_ring_copy() - read a log kept as a ring
 * @out: filled with the entries kept, oldest first
 * @ring: the ring, @size entries of @esize bytes
 * @esize: bytes of an entry
 * @size: entries of the ring
 * @count: entries ever written to it; the last @size of them are kept
 * @max: room in @out, in entries
 *
 * Context: Any; the caller holds whatever guards @ring (sim->lock for the
 * sim's logs).
 * Return: @count, at most UINT_MAX.
 */
unsigned int novamm_sim_ring_copy(void *out, const void *ring, size_t esize,
				  unsigned int size, u64 count, unsigned int max)
{
	unsigned int kept = min_t(u64, count, size), i;
	u32 at;

	for (i = 0; i < kept && i < max; i++) {
		div_u64_rem(count - kept + i, size, &at);
		memcpy((u8 *)out + i * esize, (const u8 *)ring + at * esize, esize);
	}
	return min_t(u64, count, UINT_MAX);
}

/**
 * novamm_sim_inject_ok() - whether injection settings fit this sim
 * @sim: the simulated GPU
 * @inject: the settings
 *
 * The check novamm_sim_apply_inject_locked() relies on having been made:
 * the GSP fault is a known one and the bad-VRAM range lies inside VRAM.
 * Every other knob takes any value.
 *
 * Context: Any; reads only what is fixed at creation.
 * Return: true when they fit.
 */
bool novamm_sim_inject_ok(const struct novamm_sim *sim,
			  const struct novamm_sim_inject *inject)
{
	return inject->gsp <= NOVAMM_SIM_GSP_ABSENT &&
	       inject->bad_vram_addr <= sim->vram_size &&
	       inject->bad_vram_size <= sim->vram_size - inject->bad_vram_addr;
}

/**
 * DOC: Injection under a driver
 *
 * A driver holds the sim from the start of its probe to the end of its
 * remove (the ``claim`` and ``release`` ops of &struct novamm_sim_ops; a
 * second driver device on the same sim is refused with -EBUSY). While one
 * does, switching ``gsp`` to or from ``absent`` is refused with -EBUSY and
 * changes nothing: it rebuilds BAR1 as a different GPU would boot,
 * unbinding the driver's instance block or wiping GSP-RM's root directory
 * under its tables, which no running GPU does. Unbind first, inject, bind
 * again. Every other knob models what can happen to a running GPU (a unit
 * that hangs, a reply that goes wrong, memory that fails, a fall off the
 * bus) and applies at once, bound or not.
 */

/**
 * novamm_sim_apply_inject_locked() - take new fault-injection settings
 * @sim: the simulated GPU
 * @inject: the settings, checked by novamm_sim_inject_ok()
 *
 * See "Injection under a driver". GSP-RM coming or going rebuilds BAR1's
 * boot state (novamm_sim_gsp_bind_bar1_locked()). A bind, an invalidate
 * or an FB flush stuck by a count of U32_MAX finishes under the new
 * count; one still counting down keeps its count.
 *
 * Context: sim->lock held.
 * Return: 0, or -EBUSY, with nothing changed, for GSP-RM coming or going
 * while a driver holds the sim.
 */
int novamm_sim_apply_inject_locked(struct novamm_sim *sim,
				   const struct novamm_sim_inject *inject)
{
	bool absent_changed = (sim->inject.gsp == NOVAMM_SIM_GSP_ABSENT) !=
			      (inject->gsp == NOVAMM_SIM_GSP_ABSENT);

	lockdep_assert_held(&sim->lock);
	if (absent_changed && sim->claimed)
		return -EBUSY;
	sim->inject = *inject;
	/* With or without GSP-RM, BAR1 is as that GPU would boot. */
	if (absent_changed)
		novamm_sim_gsp_bind_bar1_locked(sim);
	/* A request stuck by the old setting finishes under the new one. */
	if (sim->inv.active && sim->inv.polls == U32_MAX)
		sim->inv.polls = inject->invalidate_polls;
	if (sim->bind.active && sim->bind.polls == U32_MAX)
		sim->bind.polls = inject->bind_polls;
	if (sim->flush.active && sim->flush.polls == U32_MAX)
		sim->flush.polls = inject->flush_polls;
	return 0;
}

/**
 * novamm_sim_set_inject() - set fault injection
 * @sim: the simulated GPU
 * @inject: every knob at once (&struct novamm_sim_inject)
 *
 * What the ``inject`` file does one knob at a time. The poll counts of
 * binds, invalidates and FB flushes apply to the requests started from
 * now on and to one stuck by U32_MAX; every other knob, ``gfw_boot_polls``
 * included, applies at once.
 *
 * Context: Process context; takes sim->lock.
 * Return: 0; -EINVAL for an unknown GSP fault or bad VRAM outside VRAM;
 * -EBUSY for GSP-RM coming or going while a driver holds the sim (nothing
 * changes).
 */
int novamm_sim_set_inject(struct novamm_sim *sim,
			  const struct novamm_sim_inject *inject)
{
	int ret;

	if (!novamm_sim_inject_ok(sim, inject))
		return -EINVAL;
	mutex_lock(&sim->lock);
	ret = novamm_sim_apply_inject_locked(sim, inject);
	mutex_unlock(&sim->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_sim_set_inject);

/**
 * novamm_sim_vram_read() - read VRAM directly, as a test
 * @sim: the simulated GPU
 * @addr: VRAM byte address, any alignment
 * @buf: filled with what VRAM will hold
 * @len: bytes
 *
 * No counter moves and no MMIO is modelled: the read sees the posted
 * writes over VRAM's bytes and drains nothing. Bad VRAM (injected) shows
 * its stuck bits in the bytes VRAM holds; bytes still queued read as
 * they were written.
 *
 * Context: Process context; takes sim->lock.
 * Return: 0, or -ERANGE, with @buf untouched, when the range reaches
 * beyond VRAM.
 */
int novamm_sim_vram_read(struct novamm_sim *sim, u64 addr, void *buf,
			 size_t len)
{
	int ret;

	mutex_lock(&sim->lock);
	ret = novamm_sim_vram_access(sim, addr, buf, len, false);
	if (!ret)
		novamm_sim_posted_overlay(sim, addr, buf, len);
	mutex_unlock(&sim->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_sim_vram_read);

/**
 * novamm_sim_vram_write() - write VRAM directly, as a test
 * @sim: the simulated GPU
 * @addr: VRAM byte address, any alignment
 * @buf: the bytes
 * @len: how many
 *
 * No counter moves, no MMIO is modelled and the protected-VRAM watch does
 * not look: the write lands at once, and posted bytes it covers take its
 * value, so that it stays the newest write when they land.
 *
 * Context: Process context; takes sim->lock.
 * Return: 0; -ERANGE, with nothing written, when the range reaches beyond
 * VRAM; -ENOMEM when a page could not be allocated (the pages before it
 * are written, the posted bytes left as they were).
 */
int novamm_sim_vram_write(struct novamm_sim *sim, u64 addr, const void *buf,
			  size_t len)
{
	int ret;

	mutex_lock(&sim->lock);
	ret = novamm_sim_vram_access(sim, addr, (void *)buf, len, true);
	if (!ret)
		novamm_sim_posted_patch(sim, addr, buf, len);
	mutex_unlock(&sim->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_sim_vram_write);

/**
 * novamm_sim_posted() - writes the GPU has taken but not yet landed
 * @sim: the simulated GPU
 *
 * Context: Process context; takes sim->lock.
 * Return: how many, each a PRAMIN word or a BAR1 piece.
 */
unsigned int novamm_sim_posted(struct novamm_sim *sim)
{
	unsigned int n;

	mutex_lock(&sim->lock);
	n = sim->num_posted;
	mutex_unlock(&sim->lock);
	return n;
}
EXPORT_SYMBOL_GPL(novamm_sim_posted);

/**
 * novamm_sim_counters() - read the counters
 * @sim: the simulated GPU
 * @out: filled with all of them, as of one instant
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_counters(struct novamm_sim *sim,
			 struct novamm_sim_counters *out)
{
	mutex_lock(&sim->lock);
	*out = sim->cnt;
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_counters);

/**
 * novamm_sim_reset_counters() - start counting again from zero
 * @sim: the simulated GPU
 *
 * Every counter goes back to 0 but ``vram_pages``, a level rather than a
 * count of events, and so do the per-register read counts of
 * novamm_sim_reg_reads(). The fault, invalidate and protected-write logs
 * have their own clear functions and are left alone.
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_reset_counters(struct novamm_sim *sim)
{
	u64 pages;

	mutex_lock(&sim->lock);
	pages = sim->cnt.vram_pages;
	memset(&sim->cnt, 0, sizeof(sim->cnt));
	sim->cnt.vram_pages = pages;
	xa_destroy(&sim->reg_reads);
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_reset_counters);

/**
 * novamm_sim_reg_reads() - how often a register was read
 * @sim: the simulated GPU
 * @offset: BAR0 offset of the register, outside PRAMIN
 *
 * Context: Process context; takes sim->lock.
 * Return: reads since the sim was created or its counters last reset
 * (a read counts even while the GPU is gone).
 */
u64 novamm_sim_reg_reads(struct novamm_sim *sim, u32 offset)
{
	u64 n;

	mutex_lock(&sim->lock);
	n = xa_to_value(xa_load(&sim->reg_reads, offset >> 2));
	mutex_unlock(&sim->lock);
	return n;
}
EXPORT_SYMBOL_GPL(novamm_sim_reg_reads);

/**
 * DOC: Strict models
 *
 * Each strict model is on by default and can be switched off, to show
 * what it catches (never to make a driver pass), with
 * novamm_sim_set_models() or the ``models`` file in debugfs:
 *
 * ``posted_writes``
 *   posted writes (flush.c); off, every PRAMIN and BAR1 write lands at
 *   once, and switching it off lands what is queued;
 * ``posted_depth``
 *   the number of later accesses after which a posted write lands by
 *   itself, 1 to 4096 (``NOVAMM_SIM_POSTED_DEPTH_MAX``), 64 by default;
 * ``dir_cache``
 *   the directory cache of the TLBs (mmu.c); off, every walk reads every
 *   directory entry from VRAM;
 * ``gpc_tlb``
 *   the GPC TLB apart from the hub's; off, ``HUBTLB_ONLY`` drops every
 *   entry as a full invalidate does;
 * ``protected_watch``
 *   the protected-VRAM watch (vram.c); off, nothing is counted.
 *
 * Switching ``dir_cache`` or ``gpc_tlb`` empties both TLBs, so that no
 * entry outlives the model that cached it.
 */

/**
 * novamm_sim_apply_models_locked() - switch the strict models
 * @sim: the simulated GPU
 * @models: the new settings
 *
 * novamm_sim_set_models() for a caller that holds the lock, such as the
 * ``models`` file, which changes one model of the settings it finds.
 *
 * Context: sim->lock held.
 * Return: 0, or -EINVAL, with nothing changed, for a posted depth outside
 * 1 to NOVAMM_SIM_POSTED_DEPTH_MAX.
 */
int novamm_sim_apply_models_locked(struct novamm_sim *sim,
				   const struct novamm_sim_models *models)
{
	lockdep_assert_held(&sim->lock);
	if (!models->posted_depth || models->posted_depth > NOVAMM_SIM_POSTED_DEPTH_MAX)
		return -EINVAL;
	if (models->dir_cache != sim->models.dir_cache ||
	    models->gpc_tlb != sim->models.gpc_tlb)
		novamm_sim_tlb_flush_all(sim);
	/* Writes posted under the old settings land under the new ones. */
	if (!models->posted_writes)
		novamm_sim_posted_drain(sim, false);
	sim->models = *models;
	return 0;
}

/**
 * novamm_sim_models() - which strict models are on
 * @sim: the simulated GPU
 * @out: filled with the current settings
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_models(struct novamm_sim *sim, struct novamm_sim_models *out)
{
	mutex_lock(&sim->lock);
	*out = sim->models;
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_models);

/**
 * novamm_sim_set_models() - switch the strict models on or off
 * @sim: the simulated GPU
 * @models: the new settings
 *
 * Switching the directory cache or the GPC TLB empties the TLBs, so that
 * no entry outlives the model that cached it; switching posted writes off
 * lands the ones posted.
 *
 * Context: Process context; takes sim->lock.
 * Return: 0, or -EINVAL, with nothing changed, for a posted depth outside
 * 1 to NOVAMM_SIM_POSTED_DEPTH_MAX.
 */
int novamm_sim_set_models(struct novamm_sim *sim,
			  const struct novamm_sim_models *models)
{
	int ret;

	mutex_lock(&sim->lock);
	ret = novamm_sim_apply_models_locked(sim, models);
	mutex_unlock(&sim->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_sim_set_models);

/**
 * novamm_sim_pdata() - describe a sim the way its platform device does
 * @sim: the simulated GPU
 * @pdata: filled with its access functions and BAR sizes
 *
 * What sim/main.c hands novamm.ko as platform data, for a test that probes
 * the driver on a sim it made itself.
 *
 * Context: Any.
 */
void novamm_sim_pdata(struct novamm_sim *sim, struct novamm_sim_pdata *pdata)
{
	pdata->sim = sim;
	pdata->ops = &novamm_sim_ops;
	pdata->bar0_size = SIM_BAR0_SIZE;
	pdata->bar1_size = sim->bar1_size;
}
EXPORT_SYMBOL_GPL(novamm_sim_pdata);

/**
 * novamm_sim_chip_name() - the chip a sim simulates
 * @sim: the simulated GPU
 *
 * Context: Any.
 * Return: the chip's name in upper case ("GA102"), which lives as long as
 * the module.
 */
const char *novamm_sim_chip_name(const struct novamm_sim *sim)
{
	return sim->chip->name;
}
EXPORT_SYMBOL_GPL(novamm_sim_chip_name);

/**
 * novamm_sim_vram_size() - how much VRAM a sim has
 * @sim: the simulated GPU
 *
 * Context: Any.
 * Return: its bytes, fixed at creation: the size asked for, or the chip's
 * default.
 */
u64 novamm_sim_vram_size(const struct novamm_sim *sim)
{
	return sim->vram_size;
}
EXPORT_SYMBOL_GPL(novamm_sim_vram_size);

/**
 * DOC: VRAM and BAR1 sizes
 *
 * A VRAM size must be a multiple of 1 MiB, at least 16 MiB (room for the
 * default GSP layout, gsp.c), that the chip can address: 128 GiB with MMU
 * v2 (a PTE's 25-bit ``ADDRESS_VID`` holds the address >> 12), and what
 * the BAR0 window reaches from Hopper on (``BASE << 16`` with a 22-bit
 * ``BASE``, 256 GiB, on GH100, a 23-bit one, 512 GiB, on Blackwell). On
 * Turing and GA100 it must also be expressible as ``MAG << SCALE`` MiB
 * with a 6-bit ``MAG``, the only sizes their ``LOCAL_MEMORY_RANGE``
 * register can state: the sim refuses a size instead of rounding it.
 *
 * BAR1 is 256 MiB unless the C API asks for another power of two from
 * 1 MiB to 1 TiB (&struct novamm_sim_config). A size that breaks a rule
 * fails novamm_sim_create() with -EINVAL and a kernel log line.
 */
static int sim_check_config(const struct sim_chip *chip, u64 vram, u64 bar1)
{
	/* PRAMIN cannot reach past BASE's width: neither can the chip. */
	u64 reach = ((u64)chip->window_base + 1) << SIM_BAR0_WINDOW_BASE_SHIFT;
	u32 lmr;

	/* A PTE's address reaches only so far: 128 GiB with MMU v2. */
	reach = min(reach, chip->mmu->vram_reach);
	if (vram < SIM_VRAM_MIN || !IS_ALIGNED(vram, SZ_1M) || vram > reach) {
		pr_err("novamm_sim: %s: VRAM size %llu must be a multiple of 1 MiB from %u to %llu\n",
		       chip->name, vram, SIM_VRAM_MIN, reach);
		return -EINVAL;
	}
	if (chip->local_memory_range && sim_lmr_encode(vram, &lmr)) {
		pr_err("novamm_sim: %s: VRAM size %llu MiB is not MAG << SCALE MiB with MAG < 64\n",
		       chip->name, vram >> 20);
		return -EINVAL;
	}
	if (!is_power_of_2(bar1) || bar1 < SZ_1M || bar1 > SZ_1T) {
		pr_err("novamm_sim: %s: BAR1 size %llu must be a power of two from 1 MiB to 1 TiB\n",
		       chip->name, bar1);
		return -EINVAL;
	}
	return 0;
}

/**
 * novamm_sim_create() - build a simulated GPU
 * @cfg: chip, VRAM and BAR1 sizes
 * @simp: the new sim on success, untouched on failure
 *
 * The GPU is as a driver finds it at boot: every strict model on, a bind,
 * an invalidate or an FB flush busy for one status read, devinit done,
 * the GSP's default region table and BAR1 bound by GSP-RM (unless
 * @cfg->no_gsp). It has no platform device: a test probes the driver on
 * it with novamm_sim_pdata(), and frees it with novamm_sim_destroy().
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for an unknown chip or an impossible size (logged),
 * -ENOMEM.
 */
int novamm_sim_create(const struct novamm_sim_config *cfg,
		      struct novamm_sim **simp)
{
	const struct sim_chip *chip;
	struct novamm_sim *sim;
	u64 vram, bar1;
	unsigned int i;
	int ret;

	chip = cfg->chip ? novamm_sim_chip_find(cfg->chip) : NULL;
	if (!chip) {
		pr_err("novamm_sim: unknown chip '%s'\n",
		       cfg->chip ? cfg->chip : "(none)");
		return -EINVAL;
	}
	vram = cfg->vram_size ? cfg->vram_size : chip->vram_default;
	bar1 = cfg->bar1_size ? cfg->bar1_size : SIM_BAR1_DEFAULT;
	ret = sim_check_config(chip, vram, bar1);
	if (ret)
		return ret;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	sim->chip = chip;
	sim->serial = atomic_inc_return(&sim_serial);
	sim->vram_size = vram;
	sim->bar1_size = bar1;
	sim->vram_fill = cfg->vram_fill;
	sim->vram_huge = cfg->vram_huge;
	sim->id = -1;
	mutex_init(&sim->lock);
	xa_init(&sim->vram);
	xa_init(&sim->logged);
	xa_init(&sim->reg_reads);
	novamm_sim_tlb_init(sim);
	INIT_LIST_HEAD(&sim->posted);
	for (i = 0; i < SIM_POSTED_CLASSES; i++)
		INIT_LIST_HEAD(&sim->posted_spare[i]);
	sim->models = (struct novamm_sim_models){
		.posted_writes = true, .posted_depth = SIM_POSTED_DEPTH,
		.dir_cache = true, .gpc_tlb = true, .protected_watch = true,
	};
	INIT_LIST_HEAD(&sim->node);
	/* The hardware takes a status read or two to finish a request. */
	sim->inject.invalidate_polls = SIM_DEFAULT_POLLS;
	sim->inject.bind_polls = SIM_DEFAULT_POLLS;
	sim->inject.flush_polls = SIM_DEFAULT_POLLS;
	if (cfg->no_gsp)
		sim->inject.gsp = NOVAMM_SIM_GSP_ABSENT;
	novamm_sim_gsp_defaults(sim);
	mutex_lock(&sim->lock);
	novamm_sim_gsp_bind_bar1_locked(sim);
	mutex_unlock(&sim->lock);
	*simp = sim;
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_sim_create);

/**
 * novamm_sim_destroy() - free a simulated GPU
 * @sim: the sim, or NULL for nothing
 *
 * Writes still posted are dropped, not landed. No driver may be bound to
 * it any more: sim/main.c unregisters a device's platform device first.
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_destroy(struct novamm_sim *sim)
{
	if (!sim)
		return;
	mutex_lock(&sim->lock);
	novamm_sim_tlb_flush_all(sim);
	novamm_sim_posted_free(sim);
	mutex_unlock(&sim->lock);
	novamm_sim_vram_free(sim);
	xa_destroy(&sim->logged);
	xa_destroy(&sim->reg_reads);
	mutex_destroy(&sim->lock);
	kfree(sim);
}
EXPORT_SYMBOL_GPL(novamm_sim_destroy);
