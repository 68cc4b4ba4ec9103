// SPDX-License-Identifier: GPL-2.0-only
/*
 * The access layer: every register, BAR1 and GSP access of a device, with
 * its checks, whatever backend it has.
 */

/**
 * DOC: Locking
 *
 * The access functions take no lock: they may sleep (the simulated GPU
 * allocates on first touch), so they are made from process context, and
 * the layers above serialise what must not interleave (the PRAMIN window,
 * the TLB-invalidate sequence) with locks of their own. ``gone`` is
 * written once, at remove, and read with READ_ONCE().
 */

/**
 * DOC: Hardware access
 *
 * Every layer reaches the GPU through these functions, on the &struct
 * novamm_hw its device embeds:
 *
 * novamm_hw_rd32(), novamm_hw_wr32()
 *     32-bit BAR0 accesses. An unaligned offset or one beyond the mapped
 *     BAR0 is refused with a rate-limited ``dev_err``: a read returns all
 *     ones (as a PCI read of a vanished device does), a write is dropped.
 *
 * novamm_hw_wait32()
 *     The wait for a request's completion bit: a spin of 20 us, then
 *     sleeping reads up to the caller's timeout.
 *
 * novamm_hw_bar1_read(), novamm_hw_bar1_write(), novamm_hw_bar1_zero()
 *     Copies through BAR1, and zeroing. A range leaving BAR1 returns
 *     ``-ERANGE`` and touches nothing; a zero length does nothing.
 *
 * novamm_hw_bar1_phys(), novamm_hw_bar1_page()
 *     What a CPU mapping of BAR1 shows, for ``/dev/novamm<N>``: BAR1's
 *     physical address on a PCI GPU, the host page behind a BAR1 offset on
 *     a simulated one.
 *
 * novamm_hw_bar1_faults(), novamm_hw_gsp_rpc()
 *     What only some backends offer: BAR1 translation faults and a GSP
 *     transport, both only on a simulated GPU so far.
 *
 * A PCI device implements them with MMIO, a simulated one with calls into
 * the sim (``hw/pci.c``, ``hw/sim.c``); nothing above ``hw/`` knows which.
 * The accessors may sleep (the sim allocates VRAM on first write), so they
 * are called from process context.
 * Once remove has found the GPU gone (novamm_hw_gone()), no access
 * reaches it: reads return all ones, writes are dropped.
 */
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include <novamm/compat.h>
#include <novamm/hw.h>
#include <novamm/regs.h>

static bool novamm_hw_bar0_ok(struct novamm_hw *hw, u32 reg)
{
	if (likely(IS_ALIGNED(reg, sizeof(u32)) &&
		   reg <= hw->bar0_size - sizeof(u32)))
		return true;
	dev_err_ratelimited(hw->dev,
			    "BAR0 access at 0x%x: unaligned or beyond the 0x%llx mapped bytes\n",
			    reg, hw->bar0_size);
	return false;
}

/**
 * novamm_hw_gone() - whether the GPU was found gone
 * @hw: the GPU
 *
 * Hardware waits return at once on a GPU that is gone: nothing there
 * completes, and nothing there can still walk a table or cache a
 * translation.
 *
 * Return: true once removal found the GPU off the bus or reading all ones.
 */
bool novamm_hw_gone(struct novamm_hw *hw)
{
	return READ_ONCE(hw->gone);
}
EXPORT_SYMBOL_GPL(novamm_hw_gone);

/**
 * novamm_hw_check_gone() - find out at remove whether the GPU is still there
 * @hw: the GPU
 *
 * A GPU pulled from the bus (surprise removal, a link that went down)
 * reads all ones, and every poll for a completion would run to its
 * timeout, 2 s for each buffer whose mapping goes. One the bus reports
 * disconnected, or whose BOOT_0 reads all ones, is marked gone, and from
 * then on novamm_hw_gone() is true.
 *
 * Context: remove, before anything is taken down; may sleep.
 */
void novamm_hw_check_gone(struct novamm_hw *hw)
{
	bool gone = hw->ops->disconnected && hw->ops->disconnected(hw);

	if (!gone && hw->ops->rd32(hw, NV_PMC_BOOT_0) != U32_MAX)
		return;
	WRITE_ONCE(hw->gone, true);
	dev_warn(hw->dev, "GPU is gone (%s): removing without touching it\n",
		 gone ? "disconnected" : "BOOT_0 reads all ones");
}
EXPORT_SYMBOL_GPL(novamm_hw_check_gone);

/**
 * novamm_hw_rd32() - read a 32-bit BAR0 register
 * @hw: the GPU
 * @reg: BAR0 offset, 4-byte aligned
 *
 * Context: process context; may sleep.
 *
 * Return: the value; all ones for an unaligned offset or one outside the
 * mapped BAR0 (logged, rate-limited), or from a GPU that is gone, which is
 * also what a PCI read of such a device returns.
 */
u32 novamm_hw_rd32(struct novamm_hw *hw, u32 reg)
{
	might_sleep();
	if (!novamm_hw_bar0_ok(hw, reg) || novamm_hw_gone(hw))
		return U32_MAX;
	return hw->ops->rd32(hw, reg);
}
EXPORT_SYMBOL_GPL(novamm_hw_rd32);

/**
 * novamm_hw_wr32() - write a 32-bit BAR0 register
 * @hw: the GPU
 * @reg: BAR0 offset, 4-byte aligned
 * @val: the value; dropped (logged, rate-limited) for an unaligned offset
 *	or one outside the mapped BAR0, and for a GPU that is gone
 *
 * Context: process context; may sleep.
 */
void novamm_hw_wr32(struct novamm_hw *hw, u32 reg, u32 val)
{
	might_sleep();
	if (novamm_hw_bar0_ok(hw, reg) && !novamm_hw_gone(hw))
		hw->ops->wr32(hw, reg, val);
}
EXPORT_SYMBOL_GPL(novamm_hw_wr32);

/**
 * novamm_hw_wait32() - wait for a status register to say a request is done
 * @hw: the GPU
 * @reg: BAR0 offset of the status register
 * @done: whether a value read from @reg says done, given @arg
 * @arg: passed to @done (a flush's token, say)
 * @val: the last value read
 * @poll_us: the sleep between reads once the spin is over
 * @timeout_us: how long to wait in all
 *
 * Spins first, reading every microsecond for NOVAMM_HW_SPIN_US, then
 * sleeps between reads until @timeout_us: the requests waited for this
 * way (an FB flush, a TLB invalidate, a BAR bind) complete within a few
 * microseconds on hardware, and a sleep would cost every map and unmap a
 * timer tick, or tens of microseconds of scheduling, for nothing. A GPU
 * that takes longer is still waited for, without holding the CPU.
 *
 * Context: process context; may sleep.
 * Return: 0 once @done holds, or -ETIMEDOUT.
 */
int novamm_hw_wait32(struct novamm_hw *hw, u32 reg, bool (*done)(u32 val, u32 arg),
		     u32 arg, u32 *val, unsigned long poll_us, u64 timeout_us)
{
	if (!read_poll_timeout_atomic(novamm_hw_rd32, *val, done(*val, arg), 1,
				      NOVAMM_HW_SPIN_US, false, hw, reg))
		return 0;
	return read_poll_timeout(novamm_hw_rd32, *val, done(*val, arg), poll_us,
				 timeout_us, false, hw, reg);
}
EXPORT_SYMBOL_GPL(novamm_hw_wait32);

static int novamm_hw_bar1_check(struct novamm_hw *hw, u64 offset, size_t len)
{
	if (offset > hw->bar1_size || len > hw->bar1_size - offset) {
		dev_dbg(hw->dev, "BAR1 access [0x%llx, +0x%zx) beyond its 0x%llx bytes\n",
			offset, len, hw->bar1_size);
		return -ERANGE;
	}
	return 0;
}

/**
 * novamm_hw_bar1_read() - copy from BAR1
 * @hw: the GPU
 * @offset: BAR1 offset
 * @buf: destination
 * @len: bytes; 0 does nothing
 *
 * From a GPU that is gone, @buf reads all ones, as from a PCI device that
 * vanished.
 *
 * Context: process context; may sleep.
 *
 * Return: 0, or -ERANGE when the range leaves BAR1 (nothing is read).
 */
int novamm_hw_bar1_read(struct novamm_hw *hw, u64 offset, void *buf,
			size_t len)
{
	int ret;

	might_sleep();
	ret = novamm_hw_bar1_check(hw, offset, len);
	if (ret || !len)
		return ret;
	if (novamm_hw_gone(hw))
		memset(buf, 0xff, len);
	else
		hw->ops->bar1_read(hw, offset, buf, len);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_bar1_read);

/**
 * novamm_hw_bar1_write() - copy to BAR1
 * @hw: the GPU
 * @offset: BAR1 offset
 * @buf: source
 * @len: bytes; 0 does nothing
 *
 * Nothing reaches a GPU that is gone; that is not an error.
 *
 * Context: process context; may sleep.
 *
 * Return: 0, or -ERANGE when the range leaves BAR1 (nothing is written).
 */
int novamm_hw_bar1_write(struct novamm_hw *hw, u64 offset, const void *buf,
			 size_t len)
{
	int ret;

	might_sleep();
	ret = novamm_hw_bar1_check(hw, offset, len);
	if (ret || !len || novamm_hw_gone(hw))
		return ret;
	hw->ops->bar1_write(hw, offset, buf, len);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_bar1_write);

/* What a backend without a zeroing op of its own writes. */
static const u8 novamm_hw_zeros[SZ_4K];

/**
 * novamm_hw_bar1_zero() - zero a range of BAR1
 * @hw: the GPU
 * @offset: BAR1 offset
 * @len: bytes; 0 does nothing
 *
 * A backend without a zeroing op of its own (the sim) is written a page of
 * zeros at a time, yielding the CPU in between, so that clearing a large
 * allocation does not hog it. Nothing reaches a GPU that is gone; that is
 * not an error.
 *
 * Context: process context; may sleep.
 *
 * Return: 0, or -ERANGE when the range leaves BAR1 (nothing is written).
 */
int novamm_hw_bar1_zero(struct novamm_hw *hw, u64 offset, u64 len)
{
	size_t n;
	int ret;

	might_sleep();
	ret = novamm_hw_bar1_check(hw, offset, len);
	if (ret || !len || novamm_hw_gone(hw))
		return ret;
	if (hw->ops->bar1_zero) {
		hw->ops->bar1_zero(hw, offset, len);
		return 0;
	}
	for (; len; offset += n, len -= n) {
		n = min_t(u64, len, sizeof(novamm_hw_zeros));
		hw->ops->bar1_write(hw, offset, novamm_hw_zeros, n);
		cond_resched();
	}
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_bar1_zero);

/**
 * novamm_hw_bar1_faults() - BAR1 translation faults, where they can be seen
 * @hw: the GPU
 * @count: faults so far
 * @last_va: BAR1 offset of the latest
 *
 * Return: 0, or -EOPNOTSUPP where the backend cannot report them (real
 * GPUs).
 */
int novamm_hw_bar1_faults(struct novamm_hw *hw, u64 *count, u64 *last_va)
{
	if (!hw->ops->bar1_faults)
		return -EOPNOTSUPP;
	*count = hw->ops->bar1_faults(hw, last_va);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_bar1_faults);

/**
 * novamm_hw_bar1_phys() - where BAR1 is, for a userspace mapping of it
 * @hw: the GPU
 * @phys: the CPU physical address of BAR1 offset 0
 *
 * Return: 0, or -EOPNOTSUPP where BAR1 is not physical memory (a
 * simulated GPU: use novamm_hw_bar1_page()).
 */
int novamm_hw_bar1_phys(struct novamm_hw *hw, phys_addr_t *phys)
{
	if (!hw->ops->bar1_phys)
		return -EOPNOTSUPP;
	*phys = hw->ops->bar1_phys(hw);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_bar1_phys);

/**
 * novamm_hw_bar1_page() - the page a CPU mapping of BAR1 shows
 * @hw: the GPU
 * @offset: BAR1 offset, page aligned
 * @write: the CPU writes
 *
 * Context: process context; may sleep.
 *
 * Return: the page, or an error pointer: -EFAULT where the GPU's MMU
 * faults, -EOPNOTSUPP where BAR1 is physical memory (a PCI GPU: use
 * novamm_hw_bar1_phys()), -ERANGE beyond BAR1, -ENODEV from a GPU that
 * is gone.
 */
struct page *novamm_hw_bar1_page(struct novamm_hw *hw, u64 offset, bool write)
{
	might_sleep();
	if (!hw->ops->bar1_page)
		return ERR_PTR(-EOPNOTSUPP);
	if (offset >= hw->bar1_size)
		return ERR_PTR(-ERANGE);
	if (novamm_hw_gone(hw))
		return ERR_PTR(-ENODEV);
	return hw->ops->bar1_page(hw, offset, write);
}
EXPORT_SYMBOL_GPL(novamm_hw_bar1_page);

/**
 * novamm_hw_gsp_rpc() - one request/response exchange with the GSP
 * @hw: the GPU
 * @req: the RPC message: header and payload
 * @req_len: its bytes
 * @reply: room for the reply
 * @reply_size: bytes of room
 * @reply_len: bytes of reply received
 *
 * Context: process context; may sleep.
 *
 * Return: 0 with a reply to validate, -EOPNOTSUPP where novamm has no
 * transport to the GSP (real GPUs, for now), or the transport's error.
 */
int novamm_hw_gsp_rpc(struct novamm_hw *hw, const void *req, size_t req_len,
		      void *reply, size_t reply_size, size_t *reply_len)
{
	might_sleep();
	*reply_len = 0;
	if (!hw->ops->gsp_rpc)
		return -EOPNOTSUPP;
	return hw->ops->gsp_rpc(hw, req, req_len, reply, reply_size,
				 reply_len);
}
EXPORT_SYMBOL_GPL(novamm_hw_gsp_rpc);

/**
 * novamm_hw_claim() - take the hardware for this driver device
 * @hw: the GPU, its backend attached
 *
 * Context: probe, before the first access.
 *
 * Return: 0, or -EBUSY when another driver device holds it (a simulated
 * GPU); always 0 where the bus binds one driver only (PCI).
 */
int novamm_hw_claim(struct novamm_hw *hw)
{
	return hw->ops->claim ? hw->ops->claim(hw) : 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_claim);

/**
 * novamm_hw_release() - undo novamm_hw_claim()
 * @hw: the GPU
 *
 * Context: the end of remove, or of a failed probe.
 */
void novamm_hw_release(struct novamm_hw *hw)
{
	if (hw->ops->release)
		hw->ops->release(hw);
}
EXPORT_SYMBOL_GPL(novamm_hw_release);

#ifdef CONFIG_FAULT_INJECTION
/*
 * Probe's fault points answer to one driver-wide knob, for a device has
 * no debugfs directory before it is up. It logs each failure it injects,
 * as the kernel's knobs do by default; the device's own knobs do not.
 */
struct fault_attr novamm_fail_probe = FAULT_ATTR_INITIALIZER;
EXPORT_SYMBOL_IF_KUNIT(novamm_fail_probe);

/**
 * novamm_hw_fault_init() - set up a device's fault points for probe
 * @hw: the GPU, before anything of probe has run
 *
 * Points answer to ``novamm_fail_probe`` until novamm_hw_fault_ready(),
 * then to the device's own knobs, which start quiet (no log line per
 * injected failure) so that a test failing every point in turn does not
 * flood the log. Without CONFIG_FAULT_INJECTION this is an empty inline.
 */
void novamm_hw_fault_init(struct novamm_hw *hw)
{
	hw->fault_ops = (struct fault_attr)FAULT_ATTR_INITIALIZER;
	hw->fault_ops.verbose = 0;
	hw->fault = &novamm_fail_probe;
}

/**
 * novamm_hw_fault_ready() - hand a device's fault points to its own knobs
 * @hw: the GPU, probed
 *
 * Without CONFIG_FAULT_INJECTION this is an empty inline.
 */
void novamm_hw_fault_ready(struct novamm_hw *hw)
{
	hw->fault = &hw->fault_ops;
}
#endif
