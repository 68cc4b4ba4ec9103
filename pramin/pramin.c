// SPDX-License-Identifier: GPL-2.0-only
/*
 * PRAMIN: VRAM through the 1 MiB window at BAR0 + 0x700000.
 */

/**
 * DOC: Locking
 *
 * The window register is one piece of hardware state per GPU, and the
 * window's own ``lock`` (&struct novamm_pramin) guards it and the cache of
 * it: every access takes the lock for itself. A caller whose accesses must
 * all see the window where it left it (an instance block written and read
 * back, a self-test's patterns) makes them inside novamm_pramin_batch(),
 * which holds the lock across its callback; the accesses the callback
 * makes find their task in ``batch`` and ride on that hold, so that the
 * same functions serve inside a batch and outside. ``batch`` is written
 * only under the lock, and only a task that set it can find itself there.
 * The lock ranks below a VMM's lock and the VRAM allocator's lock.
 *
 * The simulated GPU allocates host memory on the first write to a VRAM
 * page, and every move of the window is a place to yield, so accesses may
 * sleep: the lock is a mutex, and no caller may hold a spinlock around
 * PRAMIN.
 */
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/hw.h>
#include <novamm/pramin.h>
#include <novamm/regs.h>

#define PRAMIN_WINDOW_ALIGN	BIT_ULL(NV_BAR0_WINDOW_BASE_SHIFT)

/**
 * DOC: The window policy
 *
 * The window register (``NV_PBUS_BAR0_WINDOW`` up to Ada,
 * ``NV_XAL_EP_BAR0_WINDOW`` from Hopper on) holds the VRAM address the
 * window starts at, in 64 KiB units. The accessor keeps the register's
 * value in a cache and writes the register only when an access falls
 * outside the current window:
 *
 * - At probe, the register is read once and its value kept. From then on
 *   the driver trusts its cache and never reads the register again.
 * - An access inside the cached window is made at once. An access outside
 *   it first writes the register, with the base set to the access address
 *   rounded down to 64 KiB (and TARGET set to video memory up to Ada).
 *   Since aligned accesses never cross a 64 KiB boundary, one window
 *   always covers them, and a run of accesses moving upward, as bulk
 *   copies and page-table runs do, moves the window once per MiB: a
 *   sequential 4 MiB write from a MiB boundary the window does not cover
 *   makes exactly 4 window writes and 1,048,576 data writes, and no read.
 * - A window found pointing at system memory (TARGET not video memory) is
 *   treated as not covering anything, so the first access moves it even
 *   if its base happens to match.
 * - At remove, if the driver moved the window, the value found at probe is
 *   written back, so firmware or the next driver finds it where it left
 *   it.
 */

/**
 * novamm_pramin_init() - take over the window register
 * @p: the window to set up
 * @hw: the GPU
 * @vram_size: bytes of VRAM the window may reach
 * @reg: BAR0 offset of the generation's window register
 * @base_mask: its BASE field (address >> 16, from bit 0)
 * @has_target: it has a TARGET field to set to video memory (up to Ada)
 *
 * Reads the register once, to know where the window is and to give it
 * back at novamm_pramin_fini(); from then on only the cache is consulted.
 *
 * Context: probe, before any access.
 * Return: 0, always: nothing here can fail.
 */
int novamm_pramin_init(struct novamm_pramin *p, struct novamm_hw *hw,
		       u64 vram_size, u32 reg, u32 base_mask, bool has_target)
{
	memset(p, 0, sizeof(*p));
	mutex_init(&p->lock);
	p->hw = hw;
	p->vram_size = vram_size;
	p->reg = reg;
	p->base_mask = base_mask;
	p->has_target = has_target;

	p->saved = novamm_hw_rd32(hw, p->reg);
	p->base = (u64)(p->saved & p->base_mask) << NV_BAR0_WINDOW_BASE_SHIFT;
	/* A window left on system memory shows no VRAM: move it on first use. */
	p->valid = !p->has_target ||
		   FIELD_GET(NV_PBUS_BAR0_WINDOW_TARGET, p->saved) ==
		   NV_PBUS_BAR0_WINDOW_TARGET_VID_MEM;
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_pramin_init);

/**
 * novamm_pramin_fini() - give the window register back as it was found
 * @p: the window
 *
 * Writes back the value novamm_pramin_init() found, and only if the window
 * was moved since: a driver that never used it leaves the register alone.
 *
 * Context: remove, after the last access.
 */
void novamm_pramin_fini(struct novamm_pramin *p)
{
	if (p->window_moves)
		novamm_hw_wr32(p->hw, p->reg, p->saved);
	mutex_destroy(&p->lock);
}
EXPORT_SYMBOL_GPL(novamm_pramin_fini);

/* Take the window, unless the caller's own batch holds it already. */
static bool pramin_lock(struct novamm_pramin *p)
{
	if (READ_ONCE(p->batch) == current) {
		lockdep_assert_held(&p->lock);
		return false;
	}
	mutex_lock(&p->lock);
	return true;
}

static void pramin_unlock(struct novamm_pramin *p, bool locked)
{
	if (locked)
		mutex_unlock(&p->lock);
}

/**
 * novamm_pramin_batch() - make many accesses under one hold of the window
 * @p: the window
 * @fn: what makes them, with the PRAMIN accessors on @p
 * @arg: handed to @fn
 *
 * No other task moves the window while @fn runs. A batch inside a batch
 * runs in the outer one's hold.
 *
 * Context: may sleep; @fn must not take a lock that ranks above the
 * window's (a VMM's, the VRAM allocator's).
 * Return: what @fn returns.
 */
int novamm_pramin_batch(struct novamm_pramin *p,
			int (*fn)(struct novamm_pramin *p, void *arg), void *arg)
{
	bool locked = pramin_lock(p);
	int ret;

	if (locked)
		WRITE_ONCE(p->batch, current);
	ret = fn(p, arg);
	if (locked)
		WRITE_ONCE(p->batch, NULL);
	pramin_unlock(p, locked);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_pramin_batch);

/**
 * novamm_pramin_window_moves() - writes of the window register since init
 * @p: the window
 *
 * Return: the count, for statistics.
 */
u64 novamm_pramin_window_moves(struct novamm_pramin *p)
{
	bool locked = pramin_lock(p);
	u64 n = p->window_moves;

	pramin_unlock(p, locked);
	return n;
}
EXPORT_SYMBOL_GPL(novamm_pramin_window_moves);

/* Point the window at @addr if it does not cover it; return the BAR0 offset. */
static u32 pramin_window(struct novamm_pramin *p, u64 addr)
{
	u32 val;

	if (p->valid && addr >= p->base && addr - p->base < NV_PRAMIN_SIZE)
		return NV_PRAMIN + (u32)(addr - p->base);

	/* A long copy moves the window once per MiB: a place to yield. */
	cond_resched();
	p->base = ALIGN_DOWN(addr, PRAMIN_WINDOW_ALIGN);
	val = (p->base >> NV_BAR0_WINDOW_BASE_SHIFT) & p->base_mask;
	if (p->has_target)
		val |= FIELD_PREP(NV_PBUS_BAR0_WINDOW_TARGET,
				  NV_PBUS_BAR0_WINDOW_TARGET_VID_MEM);
	novamm_hw_wr32(p->hw, p->reg, val);
	p->valid = true;
	p->window_moves++;
	return NV_PRAMIN + (u32)(addr - p->base);
}

/**
 * DOC: Errors
 *
 * Every access is checked before anything is touched. Errors, with a
 * ``dev_dbg`` line and nothing read or written:
 *
 * - ``-EINVAL``: a typed access that is not naturally aligned (alignment
 *   is checked first);
 * - ``-ERANGE``: any byte of the access at or beyond the end of VRAM;
 * - a zero-length copy or fill does nothing and returns 0, whatever its
 *   address.
 *
 * Nothing on these paths can WARN: the addresses come from callers, and
 * callers may be wrong.
 */
static int pramin_check(struct novamm_pramin *p, u64 addr, size_t len,
			unsigned int align)
{
	struct device *dev = p->hw->dev;

	if (!IS_ALIGNED(addr, align)) {
		dev_dbg(dev, "PRAMIN: 0x%llx is not %u-byte aligned\n",
			addr, align);
		return -EINVAL;
	}
	if (addr >= p->vram_size || len > p->vram_size - addr) {
		dev_dbg(dev, "PRAMIN: [0x%llx, +0x%zx) is beyond the end of VRAM at 0x%llx\n",
			addr, len, p->vram_size);
		return -ERANGE;
	}
	return 0;
}

enum pramin_op { PRAMIN_READ, PRAMIN_WRITE, PRAMIN_FILL };

/**
 * DOC: 64-bit accesses
 *
 * Every VRAM access is made of 32-bit BAR0 accesses. A 64-bit value is two
 * of them, the low word first, then the high word, and is not atomic. This
 * is a choice, for these reasons:
 *
 * - Whether the GPU performs a 64-bit MMIO access through PRAMIN as one
 *   atomic write is not settled by any public source: nova-core uses
 *   64-bit accesses, nouveau only 32-bit ones. A 64-bit CPU access that
 *   the bus or the GPU splits would be two writes anyway, in an order
 *   nobody promises; two 32-bit writes at least have a known order.
 * - The hardware access layer offers BAR0 accesses of 32 bits only, the
 *   same on a PCI device and on the simulated one, which keeps the
 *   simulated GPU's MMIO counters exact.
 *
 * What the caller relies on instead: a page-table entry is never changed
 * in place while the GPU may be using it. Entries are written while
 * invalid or unused, and the TLB invalidate that follows a batch of writes
 * is what makes them visible. Writing the low word first also means that
 * an entry being cleared loses its valid bit (bit 0 in MMU v2 and v3 PTEs)
 * before anything else.
 */

/**
 * DOC: Cost
 *
 * Each 32-bit access is one MMIO transaction: a write is posted, a read is
 * a round trip. 8- and 16-bit writes, and the partial words at the ends of
 * a copy or fill, read the word before writing it back. The page-table
 * code therefore keeps a shadow of every table in host memory and writes
 * VRAM in runs of consecutive entries, never reading it.
 *
 * The ``novamm_pramin`` KUnit suite prints, for each generation, the
 * window moves and MMIO writes per MiB written sequentially (``bench:``
 * lines in ``make kunit``): 1 window move and 262,145 MMIO writes per MiB,
 * against a minimum of 1 and 262,144.
 */

/*
 * The one loop every access goes through, a 32-bit word at a time. Whole
 * words are read or written directly; a word the range covers only in
 * part is read, merged and written back.
 */
static void pramin_xfer(struct novamm_pramin *p, u64 addr, u8 *buf, size_t len,
			enum pramin_op op, u8 fill)
{
	u32 pattern = fill * 0x01010101u;

	while (len) {
		u64 word = ALIGN_DOWN(addr, sizeof(u32));
		unsigned int off = addr - word;
		size_t n = min_t(size_t, len, sizeof(u32) - off);
		u32 reg = pramin_window(p, word);
		__le32 le;

		if (n == sizeof(u32) && op == PRAMIN_FILL) {
			novamm_hw_wr32(p->hw, reg, pattern);
		} else if (n == sizeof(u32) && op == PRAMIN_WRITE) {
			memcpy(&le, buf, sizeof(le));
			novamm_hw_wr32(p->hw, reg, le32_to_cpu(le));
		} else if (n == sizeof(u32)) {
			le = cpu_to_le32(novamm_hw_rd32(p->hw, reg));
			memcpy(buf, &le, sizeof(le));
		} else {
			le = cpu_to_le32(novamm_hw_rd32(p->hw, reg));
			if (op == PRAMIN_READ) {
				memcpy(buf, (u8 *)&le + off, n);
			} else {
				if (op == PRAMIN_FILL)
					memset((u8 *)&le + off, fill, n);
				else
					memcpy((u8 *)&le + off, buf, n);
				novamm_hw_wr32(p->hw, reg, le32_to_cpu(le));
			}
		}
		if (op != PRAMIN_FILL)
			buf += n;
		addr += n;
		len -= n;
	}
}

/*
 * One checked access, under the window's lock: nothing is touched when
 * the check fails, and a zero-length copy or fill returns before it.
 */
static int pramin_access(struct novamm_pramin *p, u64 addr, u8 *buf, size_t len,
			 unsigned int align, enum pramin_op op, u8 fill)
{
	bool locked;
	int ret;

	if (!len)
		return 0;
	locked = pramin_lock(p);
	ret = pramin_check(p, addr, len, align);
	if (!ret)
		pramin_xfer(p, addr, buf, len, op, fill);
	pramin_unlock(p, locked);
	return ret;
}

/**
 * novamm_pramin_read() - copy from VRAM
 * @p: the window
 * @addr: VRAM address, any alignment
 * @buf: destination
 * @len: bytes; 0 does nothing
 *
 * Split at window edges, a 32-bit read per word the range touches.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0, or -ERANGE when the range leaves VRAM (nothing is read).
 */
int novamm_pramin_read(struct novamm_pramin *p, u64 addr, void *buf, size_t len)
{
	return pramin_access(p, addr, buf, len, 1, PRAMIN_READ, 0);
}
EXPORT_SYMBOL_GPL(novamm_pramin_read);

/**
 * novamm_pramin_write() - copy to VRAM
 * @p: the window
 * @addr: VRAM address, any alignment
 * @buf: source
 * @len: bytes; 0 does nothing
 *
 * Split at window edges. Whole words are written without being read; a
 * word the range covers only in part, at either end, is read first and
 * merged.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0, or -ERANGE when the range leaves VRAM (nothing is written).
 */
int novamm_pramin_write(struct novamm_pramin *p, u64 addr, const void *buf,
			size_t len)
{
	return pramin_access(p, addr, (u8 *)buf, len, 1, PRAMIN_WRITE, 0);
}
EXPORT_SYMBOL_GPL(novamm_pramin_write);

/**
 * novamm_pramin_fill() - set a range of VRAM to one byte value
 * @p: the window
 * @addr: VRAM address, any alignment
 * @val: the byte
 * @len: bytes; 0 does nothing
 *
 * What zeroes page-table pages. Split at window edges like
 * novamm_pramin_write(), with the partial words at the ends read and
 * merged.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0, or -ERANGE when the range leaves VRAM (nothing is written).
 */
int novamm_pramin_fill(struct novamm_pramin *p, u64 addr, u8 val, size_t len)
{
	return pramin_access(p, addr, NULL, len, 1, PRAMIN_FILL, val);
}
EXPORT_SYMBOL_GPL(novamm_pramin_fill);

/*
 * Typed accessors: naturally aligned, little-endian in VRAM. A misaligned
 * address is -EINVAL, one beyond VRAM -ERANGE; *val is untouched then.
 */
static int pramin_rd(struct novamm_pramin *p, u64 addr, void *le, size_t size)
{
	return pramin_access(p, addr, le, size, size, PRAMIN_READ, 0);
}

static int pramin_wr(struct novamm_pramin *p, u64 addr, void *le, size_t size)
{
	return pramin_access(p, addr, le, size, size, PRAMIN_WRITE, 0);
}

/**
 * novamm_pramin_rd8() - read a byte of VRAM
 * @p: the window
 * @addr: VRAM address
 * @val: the byte; untouched on error
 *
 * One 32-bit read of the word that holds it.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0, or -ERANGE when @addr is at or beyond the end of VRAM.
 */
int novamm_pramin_rd8(struct novamm_pramin *p, u64 addr, u8 *val)
{
	return pramin_rd(p, addr, val, sizeof(*val));
}
EXPORT_SYMBOL_GPL(novamm_pramin_rd8);

/**
 * novamm_pramin_rd16() - read a little-endian u16 from VRAM
 * @p: the window
 * @addr: VRAM address, naturally aligned
 * @val: the value; untouched on error
 *
 * One 32-bit read of the word that holds it.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0; -EINVAL when @addr is not 2-byte aligned; -ERANGE when
 * the 2 bytes reach beyond the end of VRAM.
 */
int novamm_pramin_rd16(struct novamm_pramin *p, u64 addr, u16 *val)
{
	__le16 le;
	int ret = pramin_rd(p, addr, &le, sizeof(le));

	if (!ret)
		*val = le16_to_cpu(le);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_pramin_rd16);

/**
 * novamm_pramin_rd32() - read a little-endian u32 from VRAM
 * @p: the window
 * @addr: VRAM address, naturally aligned
 * @val: the value; untouched on error
 *
 * One 32-bit read.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0; -EINVAL when @addr is not 4-byte aligned; -ERANGE when
 * the 4 bytes reach beyond the end of VRAM.
 */
int novamm_pramin_rd32(struct novamm_pramin *p, u64 addr, u32 *val)
{
	__le32 le;
	int ret = pramin_rd(p, addr, &le, sizeof(le));

	if (!ret)
		*val = le32_to_cpu(le);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_pramin_rd32);

/**
 * novamm_pramin_rd64() - read a little-endian u64 from VRAM
 * @p: the window
 * @addr: VRAM address, naturally aligned
 * @val: the value; untouched on error
 *
 * Two 32-bit reads, the low word first: not atomic, so a value the GPU
 * changes in between may be read torn.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0; -EINVAL when @addr is not 8-byte aligned; -ERANGE when
 * the 8 bytes reach beyond the end of VRAM.
 */
int novamm_pramin_rd64(struct novamm_pramin *p, u64 addr, u64 *val)
{
	__le64 le;
	int ret = pramin_rd(p, addr, &le, sizeof(le));

	if (!ret)
		*val = le64_to_cpu(le);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_pramin_rd64);

/**
 * novamm_pramin_wr8() - write a byte of VRAM
 * @p: the window
 * @addr: VRAM address
 * @val: the byte
 *
 * Reads the word that holds it, merges and writes it back.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0, or -ERANGE when @addr is at or beyond the end of VRAM.
 */
int novamm_pramin_wr8(struct novamm_pramin *p, u64 addr, u8 val)
{
	return pramin_wr(p, addr, &val, sizeof(val));
}
EXPORT_SYMBOL_GPL(novamm_pramin_wr8);

/**
 * novamm_pramin_wr16() - write a little-endian u16 to VRAM
 * @p: the window
 * @addr: VRAM address, naturally aligned
 * @val: the value
 *
 * Reads the word that holds it, merges and writes it back.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0; -EINVAL when @addr is not 2-byte aligned; -ERANGE when
 * the 2 bytes reach beyond the end of VRAM.
 */
int novamm_pramin_wr16(struct novamm_pramin *p, u64 addr, u16 val)
{
	__le16 le = cpu_to_le16(val);

	return pramin_wr(p, addr, &le, sizeof(le));
}
EXPORT_SYMBOL_GPL(novamm_pramin_wr16);

/**
 * novamm_pramin_wr32() - write a little-endian u32 to VRAM
 * @p: the window
 * @addr: VRAM address, naturally aligned
 * @val: the value
 *
 * One 32-bit write, with no read.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0; -EINVAL when @addr is not 4-byte aligned; -ERANGE when
 * the 4 bytes reach beyond the end of VRAM.
 */
int novamm_pramin_wr32(struct novamm_pramin *p, u64 addr, u32 val)
{
	__le32 le = cpu_to_le32(val);

	return pramin_wr(p, addr, &le, sizeof(le));
}
EXPORT_SYMBOL_GPL(novamm_pramin_wr32);

/**
 * novamm_pramin_wr64() - write a little-endian u64 to VRAM
 * @p: the window
 * @addr: VRAM address, naturally aligned
 * @val: the value
 *
 * Two 32-bit writes, the low word first, with no read: not atomic (see
 * "64-bit accesses" above), so an entry the GPU may be using must not be
 * changed in place with it.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0; -EINVAL when @addr is not 8-byte aligned; -ERANGE when
 * the 8 bytes reach beyond the end of VRAM.
 */
int novamm_pramin_wr64(struct novamm_pramin *p, u64 addr, u64 val)
{
	__le64 le = cpu_to_le64(val);

	return pramin_wr(p, addr, &le, sizeof(le));
}
EXPORT_SYMBOL_GPL(novamm_pramin_wr64);

#define PRAMIN_SELFTEST_POINTS	3

/*
 * Every pattern is written before any is read back: were the window not
 * to move, or to move to the wrong place, the addresses would alias and
 * a later write would show through an earlier one.
 */
static int pramin_selftest_run(struct novamm_pramin *p, const u64 *addr,
			       unsigned int n)
{
	static const u64 pattern[PRAMIN_SELFTEST_POINTS] = {
		0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x5a5a5a5aa5a5a5a5ULL,
	};
	unsigned int i;
	u64 got64;
	u32 got32;
	u8 got8;
	int ret;

	for (i = 0; i < n; i++) {
		ret = novamm_pramin_wr64(p, addr[i], pattern[i]);
		if (ret)
			return ret;
	}
	for (i = 0; i < n; i++) {
		/* Little-endian: the low byte first, the high word second. */
		if (novamm_pramin_rd64(p, addr[i], &got64) || got64 != pattern[i] ||
		    novamm_pramin_rd8(p, addr[i], &got8) || got8 != (u8)pattern[i] ||
		    novamm_pramin_rd32(p, addr[i] + 4, &got32) ||
		    got32 != upper_32_bits(pattern[i])) {
			dev_err(p->hw->dev,
				"PRAMIN self-test: 0x%llx does not read back 0x%016llx\n",
				addr[i], pattern[i]);
			return -EIO;
		}
	}
	return 0;
}

struct pramin_selftest {
	u64 start;
	u64 len;
};

/* In one batch: nobody else may write the points while they are borrowed. */
static int pramin_selftest_batch(struct novamm_pramin *p, void *arg)
{
	const struct pramin_selftest *st = arg;
	u64 addr[PRAMIN_SELFTEST_POINTS], saved[PRAMIN_SELFTEST_POINTS];
	unsigned int i, n = 2;
	int ret;

	ret = pramin_check(p, st->start, st->len, sizeof(u64));
	if (ret)
		return ret;
	addr[0] = st->start;
	addr[1] = st->start + st->len - sizeof(u64);
	if (st->len >= NV_PRAMIN_SIZE + 2 * sizeof(u64))
		addr[n++] = st->start + NV_PRAMIN_SIZE;

	for (i = 0; i < n; i++) {
		ret = novamm_pramin_rd64(p, addr[i], &saved[i]);
		if (ret)
			return ret;
	}
	ret = pramin_selftest_run(p, addr, n);
	for (i = 0; i < n; i++)
		novamm_pramin_wr64(p, addr[i], saved[i]);
	if (!ret)
		dev_dbg(p->hw->dev, "PRAMIN self-test passed on [0x%llx, +0x%llx)\n",
			st->start, st->len);
	return ret;
}

/**
 * novamm_pramin_selftest() - check PRAMIN on a range of usable VRAM
 * @p: the window
 * @start: 8-byte aligned start of VRAM that may be written
 * @len: its length, a multiple of 8 bytes, at least 16
 *
 * Writes distinct patterns at the start and the end of a range the caller
 * knows to be usable and, when the range spans more than one window, one
 * window past the start, so that the window has to move between them; all
 * are written before any is read back, so that a window that does not
 * move, or moves to the wrong place, makes them alias and fail. Then reads
 * each back as a u64, a byte and the high word. What was there is
 * restored. The device self-test (``selftest=1`` at probe, or debugfs)
 * runs it on 2 MiB the VRAM allocator hands out, once the framebuffer
 * layout has said which VRAM is usable.
 *
 * Context: takes the window's lock, unless the caller's batch holds it;
 * may sleep.
 * Return: 0, -EINVAL for an unusable range, -ERANGE beyond VRAM, -EIO
 * (logged) when VRAM does not read back what was written.
 */
int novamm_pramin_selftest(struct novamm_pramin *p, u64 start, u64 len)
{
	struct pramin_selftest st = { .start = start, .len = len };

	if (len < 2 * sizeof(u64) || !IS_ALIGNED(len, sizeof(u64)))
		return -EINVAL;
	return novamm_pramin_batch(p, pramin_selftest_batch, &st);
}
EXPORT_SYMBOL_GPL(novamm_pramin_selftest);
