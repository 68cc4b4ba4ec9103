// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPU virtual address spaces.
 */

/**
 * DOC: Locking
 *
 * ``vmm->lock``, a mutex, is held across every call on an address space
 * and serialises them. Under it the calls take, one at a time and never
 * nested, the maple tree's own lock, the buddy lock (the table pool grows
 * in novamm_pt_update_map() and gives chunks back when tables are
 * released), the PRAMIN window's lock (table writes) and the TLB lock (the
 * invalidate). The order is therefore vmm, then any one of the others:
 * vmm -> allocator, vmm -> PRAMIN, vmm -> TLB.
 *
 * A client's table pool maps its chunks through BAR1 (the table window,
 * pagetable/window.c) under the client's ``vmm->lock``: vmm -> window ->
 * BAR1 -> BAR1's ``vmm->lock``. BAR1's address space, a hub one, has a
 * lock class of its own for that, and never takes a client's lock.
 *
 * Allocations (``GFP_KERNEL``) are made under ``vmm->lock`` only; a map
 * makes all of its own before the first entry is written, and after that
 * only the maple tree may allocate, when a range is erased. Nothing
 * allocates under the PRAMIN window's lock or ``tlb.lock``: novamm_tlb_init() tells
 * lockdep that ``tlb.lock`` may be taken in reclaim, so an allocation that
 * could reclaim while it is held is reported on the first run. No
 * shrinker or reclaim path takes ``vmm->lock``.
 *
 * Address spaces of one device share the PRAMIN window and the invalidate
 * registers, and nothing else.
 */

/**
 * DOC: Page sizes
 *
 * The page sizes are the geometry's (novamm_pt_page_shifts()): 4 KiB,
 * 64 KiB and 2 MiB on every chip, 512 MiB from GA100 on (a PTE in PD1) and
 * 256 GiB on Blackwell (a PTE in PD2). Each range is cut into pieces, each
 * mapped with the largest of those pages to which both its virtual and
 * its physical address are aligned and which the length left holds
 * (novamm_vmm_page_shift()). A run of small pages stops at the next
 * boundary where a larger page becomes possible, if the two addresses
 * agree modulo that size. So 4 KiB + 64 KiB + 2 MiB + 64 KiB + 4 KiB, with
 * virtual and physical addresses equal modulo 2 MiB, becomes five pieces
 * with one 2 MiB page in the middle; 1 GiB with 2 MiB-aligned ends that
 * are not 512 MiB aligned is 512 leaf entries, and with 512 MiB-aligned
 * ends two 512 MiB pages on GA102 and GH100 (512 2 MiB pages on Turing).
 *
 * Where the caller leaves the address to novamm_vmm_map(), it takes the
 * lowest free range aligned to the largest of those pages to which the
 * first range's physical address is aligned and which the whole mapping
 * holds, so that virtual and physical addresses agree modulo that page.
 */

/**
 * DOC: One invalidate per call
 *
 * A map is one page-table update (see :doc:`pagetables`) in three phases:
 *
 * 1. allocate: every table the pieces need is made in host memory and
 *    taken from the table pool (novamm_pt_update_map()); nothing is
 *    written yet;
 * 2. write: entries of tables the GPU already walks go to VRAM, runs of
 *    consecutive entries in one write, through the table window once BAR1
 *    is up, else through PRAMIN; new tables are written
 *    whole, once, and then the entries linking them in
 *    (novamm_pt_update_commit());
 * 3. one FB flush, so that every entry written is in VRAM, then one TLB
 *    invalidate of the address space (novamm_tlb_invalidate()).
 *
 * An unmap is an update too: it clears the pages of the mapping,
 * unlinking every table it empties with one write to its parent's entry
 * (novamm_pt_update_unmap()), flushes and invalidates once, and only then
 * gives the tables' VRAM back: until the invalidate the MMU may still
 * hold the directory entries that pointed at them, and without the flush
 * its refill walks could still find the old ones in VRAM. A flush that
 * times out is an invalidate that timed out: the tables stay.
 */

/**
 * DOC: Errors and unwinding
 *
 * Arguments are checked first: -EINVAL for unknown flags, no range, an
 * empty or misaligned range or a misaligned fixed VA; -ERANGE for a fixed
 * VA outside the address space; -EEXIST for one overlapping a mapping;
 * -ENOSPC when no free VA range is large enough. A refusal changes
 * nothing, and each has a ``dev_dbg`` line but novamm_vmm_map()'s of
 * unknown flags or of no range at all.
 *
 * A map that fails part way leaves the address space as it was:
 *
 * - in the allocation phase (-ENOMEM, or -ENOSPC when VRAM for tables
 *   runs out) nothing was written, so the tables it made are freed at
 *   once, without an MMIO write or an invalidate, and the VA range is
 *   released;
 * - after that (-ETIMEDOUT from the invalidate, or a PRAMIN error) its
 *   pages are cleared and its new tables unlinked, the TLB is invalidated
 *   again, and the VA range is released. The tables are freed once an
 *   invalidate of the address space has completed: if this one times out
 *   too, they are kept (``pt->num_retired``) and freed by the next unmap,
 *   clear or unwind whose invalidate completes, or with the address space.
 *   A map that succeeds does not free them.
 *
 * An unmap whose invalidate times out is undone: the unlinked tables are
 * linked back (their entries were never changed), the cleared entries are
 * written again and flushed, and -ETIMEDOUT tells the caller the mapping
 * is still there and may be retried.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/maple_tree.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/buddy.h>
#include <novamm/hw.h>
#include <novamm/tlb.h>
#include <novamm/vmm.h>

/*
 * One mapping: what unmap needs to clear it again, and who made it, so
 * that a service mapping on behalf of others (BAR1) needs no registry of
 * its own.
 */
struct novamm_vmm_mapping {
	u64 va;
	u64 size;
	void *owner;
	struct novamm_pte_attrs attrs;
	unsigned int nr;
	struct novamm_pt_run piece[];
};

/* The largest of @n page sizes (@shifts, largest first) for a piece. */
static unsigned int vmm_shift(const u8 *shifts, unsigned int n, u64 va,
			      u64 pa, u64 len)
{
	unsigned int i;

	for (i = 0; i < n - 1; i++)
		if (IS_ALIGNED(va | pa, BIT_ULL(shifts[i])) && len >= BIT_ULL(shifts[i]))
			return shifts[i];
	return shifts[n - 1];
}

/**
 * novamm_vmm_page_shift() - the largest page for the start of a piece
 * @fmt: the page-table geometry, whose levels give the page sizes
 * @va: virtual address
 * @pa: physical address
 * @len: bytes left
 *
 * Return: log2 of the largest page size of @fmt (256 GiB on Blackwell,
 * 512 MiB from GA100, then 2 MiB, 64 KiB and 4 KiB everywhere) to which
 * both addresses are aligned and that @len holds; 12 when none is.
 */
unsigned int novamm_vmm_page_shift(const struct novamm_pt_format *fmt, u64 va,
				   u64 pa, u64 len)
{
	u8 shifts[NOVAMM_PT_PAGE_SIZES_MAX];

	return vmm_shift(shifts, novamm_pt_page_shifts(fmt, shifts), va, pa, len);
}
EXPORT_SYMBOL_GPL(novamm_vmm_page_shift);

/*
 * How many pages of 1 << @shift to map from @va before a larger page may
 * become possible: up to the next boundary of a larger size, when the
 * virtual and physical addresses agree modulo it.
 */
static u64 vmm_run(const struct novamm_vmm *vmm, u64 va, u64 pa, u64 len,
		   unsigned int shift)
{
	u64 n = len >> shift, size, to;
	unsigned int i;

	for (i = 0; i < vmm->num_shifts && vmm->shifts[i] > shift; i++) {
		size = BIT_ULL(vmm->shifts[i]);
		if ((va ^ pa) & (size - 1))
			continue;
		to = (round_up(va + 1, size) - va) >> shift;
		n = min(n, to);
	}
	return n;
}

/* Cut @ranges at @va into pieces; with @m NULL, only count them. */
static unsigned int vmm_pieces(const struct novamm_vmm *vmm, u64 va,
			       const struct novamm_phys_range *ranges,
			       unsigned int nr, struct novamm_vmm_mapping *m)
{
	unsigned int i, n = 0, shift;
	u64 pa, len, count;

	for (i = 0; i < nr; i++) {
		pa = ranges[i].addr;
		len = ranges[i].size;
		while (len) {
			shift = vmm_shift(vmm->shifts, vmm->num_shifts, va, pa, len);
			count = vmm_run(vmm, va, pa, len, shift);
			if (m)
				m->piece[n] = (struct novamm_pt_run){ va, pa, count, shift };
			n++;
			va += count << shift;
			pa += count << shift;
			len -= count << shift;
		}
	}
	return n;
}

/**
 * novamm_vmm_create() - a new, empty address space
 * @mm: the memory manager of the device
 * @mmu_version: the page-table format the caller expects, 2 or 3; must be
 *	the chip's
 * @va_start: first usable virtual address, 4 KiB aligned
 * @va_size: bytes of VA, a multiple of 4 KiB, within the format's VA
 * @flags: %NOVAMM_VMM_HUB for address spaces of hub clients (BAR1): its
 *	TLB invalidates are then hub-only
 *
 * The address space starts empty: a zeroed root directory and nothing
 * else. @mmu_version must be the chip's, 2 for Turing to Ada and 3 for
 * Hopper and Blackwell, and the range 4 KiB aligned and inside the
 * format's VA.
 *
 * Once BAR1 is up, the chunk of the table pool that holds the root is
 * mapped through the table window last (pagetable/window.c).
 *
 * Context: process context; takes the buddy lock and the PRAMIN window's lock
 * for the root, one after the other, then the table window's lock and
 * BAR1's.
 *
 * Return: the address space, or an error pointer: -EINVAL for arguments
 * that do not fit the chip, -ENOSPC or -ENOMEM; -ETIMEDOUT when BAR1's
 * invalidate for the table window does not complete.
 */
struct novamm_vmm *novamm_vmm_create(struct novamm_mm *mm, unsigned int mmu_version,
				     u64 va_start, u64 va_size, unsigned int flags)
{
	return novamm_vmm_adopt(mm, mmu_version, va_start, va_size, flags,
				NOVAMM_VMM_NEW_PDB);
}
EXPORT_SYMBOL_GPL(novamm_vmm_create);

/* The lock class of hub address spaces (BAR1's); see novamm_vmm_adopt(). */
static struct lock_class_key novamm_vmm_hub_key;

/**
 * novamm_vmm_adopt() - an address space under an existing page directory
 * @mm: as for novamm_vmm_create()
 * @mmu_version: likewise
 * @va_start: likewise
 * @va_size: likewise
 * @flags: likewise
 * @pdb: VRAM address of a root directory someone else owns (GSP-RM's BAR1
 *	directory), whose entries for the VA range are all invalid; or
 *	%NOVAMM_VMM_NEW_PDB for a root of its own (novamm_vmm_create())
 *
 * The directory is read once and never freed; see novamm_pagetable_adopt().
 * Destroying the address space while it still maps anything would leave
 * the directory pointing at freed tables: unmap first.
 *
 * Context: process context; takes the PRAMIN window's lock to read the
 * directory.
 *
 * Return: as novamm_vmm_create(), and -EBUSY when the directory already
 * maps part of the range.
 */
struct novamm_vmm *novamm_vmm_adopt(struct novamm_mm *mm, unsigned int mmu_version,
				    u64 va_start, u64 va_size, unsigned int flags,
				    u64 pdb)
{
	const struct novamm_pt_format *fmt = mm->pt_format;
	struct novamm_vmm *vmm;
	int ret;

	if (fmt->codec->version != mmu_version || flags & ~NOVAMM_VMM_HUB ||
	    !va_size || !IS_ALIGNED(va_start | va_size, SZ_4K) ||
	    va_size > BIT_ULL(fmt->va_bits) || va_start > BIT_ULL(fmt->va_bits) - va_size) {
		dev_dbg(mm->hw->dev, "VMM: MMU v%u, VA [0x%llx, +0x%llx) does not fit the chip\n",
			mmu_version, va_start, va_size);
		return ERR_PTR(-EINVAL);
	}
	vmm = novamm_should_fail(mm->hw) ? NULL : kzalloc(sizeof(*vmm), GFP_KERNEL);
	if (!vmm)
		return ERR_PTR(-ENOMEM);
	/* BAR1's own tables make the window: they never go through it. */
	if (pdb == NOVAMM_VMM_NEW_PDB)
		ret = novamm_pagetable_init(&vmm->pt, &mm->buddy, &mm->pramin, fmt,
					    flags & NOVAMM_VMM_HUB || !mm->ptw.ready ?
					    NULL : &mm->ptw);
	else
		ret = novamm_pagetable_adopt(&vmm->pt, &mm->buddy, &mm->pramin, fmt,
					     pdb, va_start, va_size);
	if (ret) {
		kfree(vmm);
		return ERR_PTR(ret);
	}
	vmm->mm = mm;
	mutex_init(&vmm->lock);
	/*
	 * A client's lock is held while the table window maps a chunk
	 * through BAR1's address space, whose lock is therefore of a class
	 * of its own.
	 */
	if (flags & NOVAMM_VMM_HUB)
		lockdep_set_class(&vmm->lock, &novamm_vmm_hub_key);
	mt_init_flags(&vmm->va, MT_FLAGS_ALLOC_RANGE);
	vmm->va_start = va_start;
	vmm->va_end = va_start + va_size;
	vmm->va_chosen_end = vmm->va_end;
	vmm->tlb_flags = flags & NOVAMM_VMM_HUB ? NOVAMM_TLB_HUB_ONLY : 0;
	vmm->num_shifts = novamm_pt_page_shifts(fmt, vmm->shifts);
	/*
	 * Last, once nothing is left to allocate: the root's chunk into the
	 * table window, so that a map costs no BAR1 update until the pool
	 * grows. A failure here undoes the rest.
	 */
	ret = novamm_pagetable_window_map(&vmm->pt);
	if (ret) {
		novamm_vmm_destroy(vmm);
		return ERR_PTR(ret);
	}
	return vmm;
}
EXPORT_SYMBOL_GPL(novamm_vmm_adopt);

/* Drop every mapping record and the VA tree; the tables are not touched. */
static void vmm_forget_mappings(struct novamm_vmm *vmm)
{
	struct novamm_vmm_mapping *m;
	unsigned long index = 0;

	mt_for_each(&vmm->va, m, index, ULONG_MAX)
		kfree(m);
	mtree_destroy(&vmm->va);
	vmm->mapped = 0;
}

/**
 * novamm_vmm_destroy() - free an address space and its tables
 * @vmm: the address space; NULL or an error pointer is ignored. No GPU
 *	engine may use it any more; mappings still in it are dropped.
 *
 * Frees every table, those still waiting for an invalidate included, and
 * every mapping record left; the VRAM the mappings pointed at is the
 * callers'. After novamm_vmm_keep_tables() the tables' VRAM stays
 * allocated.
 *
 * Context: process context; ``vmm->lock`` is not taken: no other call on
 * @vmm may run or follow.
 */
void novamm_vmm_destroy(struct novamm_vmm *vmm)
{
	if (IS_ERR_OR_NULL(vmm))
		return;
	vmm_forget_mappings(vmm);
	novamm_pagetable_fini(&vmm->pt);
	mutex_destroy(&vmm->lock);
	kfree(vmm);
}
EXPORT_SYMBOL_GPL(novamm_vmm_destroy);

/**
 * novamm_vmm_keep_tables() - never give the tables' VRAM back
 * @vmm: an address space the GPU may go on walking after it is destroyed
 *	(BAR1's, when the unbind did not complete)
 *
 * Its tables' VRAM stays allocated (novamm_vram_keep()) when it is
 * destroyed, and from now on no table taken out goes back to the pool,
 * so that nothing else is ever put where the GPU may still walk; the
 * host's copies are freed.
 *
 * Context: takes ``vmm->lock``.
 */
void novamm_vmm_keep_tables(struct novamm_vmm *vmm)
{
	mutex_lock(&vmm->lock);
	novamm_pagetable_keep(&vmm->pt);
	mutex_unlock(&vmm->lock);
}
EXPORT_SYMBOL_GPL(novamm_vmm_keep_tables);

/**
 * novamm_vmm_pdb() - the address of the root page directory
 * @vmm: the address space
 *
 * What an instance block or a BAR binding points the MMU at, and what a
 * TLB invalidate of this address space names. It does not change for the
 * life of @vmm, so no lock is taken.
 *
 * Return: the VRAM address of the root directory: the one
 * novamm_vmm_adopt() was given, or the one novamm_vmm_create() allocated.
 */
u64 novamm_vmm_pdb(const struct novamm_vmm *vmm)
{
	return vmm->pt.root->addr;
}
EXPORT_SYMBOL_GPL(novamm_vmm_pdb);

/**
 * novamm_vmm_reserve_top() - keep the top of an address space for fixed maps
 * @vmm: the address space
 * @size: bytes at its top, a multiple of 4 KiB, less than all of it
 *
 * novamm_vmm_map() no longer chooses an address in the top @size bytes:
 * only %NOVAMM_VMM_MAP_FIXED maps there. For a user that places its own
 * mappings in a slice nobody else may take (BAR1's table window).
 *
 * Context: takes ``vmm->lock``.
 * Return: 0; -EINVAL for a size that is unaligned or leaves nothing to
 * choose from; -EBUSY when a mapping already lies in the slice.
 */
int novamm_vmm_reserve_top(struct novamm_vmm *vmm, u64 size)
{
	struct device *dev = vmm->mm->hw->dev;
	u64 end = vmm->va_end - size;
	unsigned long index;
	int ret = 0;

	if (!IS_ALIGNED(size, SZ_4K) || size >= vmm->va_end - vmm->va_start) {
		dev_dbg(dev, "VMM: cannot keep 0x%llx bytes of [0x%llx, 0x%llx) for fixed maps\n",
			size, vmm->va_start, vmm->va_end);
		return -EINVAL;
	}
	mutex_lock(&vmm->lock);
	/* A mapping that reaches into the slice, or lies in it. */
	index = end;
	if (mt_find(&vmm->va, &index, ULONG_MAX)) {
		dev_dbg(dev, "VMM: [0x%llx, 0x%llx) already holds a mapping\n", end, vmm->va_end);
		ret = -EBUSY;
	} else {
		vmm->va_chosen_end = end;
	}
	mutex_unlock(&vmm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_vmm_reserve_top);

static int vmm_invalidate(struct novamm_vmm *vmm, unsigned int flags)
{
	vmm->invalidates++;
	return novamm_tlb_invalidate(&vmm->mm->tlb, novamm_vmm_pdb(vmm), vmm->tlb_flags | flags);
}

/*
 * Where [*va, +size) goes: checked when given, found in the tree when not,
 * below what novamm_vmm_reserve_top() keeps. The caller holds vmm->lock,
 * so the gap stays free until it is inserted.
 */
static int vmm_choose_va(struct novamm_vmm *vmm, u64 *va, u64 size, u64 align,
			 unsigned long flags)
{
	MA_STATE(mas, &vmm->va, 0, 0);
	struct device *dev = vmm->mm->hw->dev;
	u64 min;
	int ret;

	if (flags & NOVAMM_VMM_MAP_FIXED) {
		if (!IS_ALIGNED(*va, SZ_4K)) {
			dev_dbg(dev, "VMM: VA 0x%llx is not 4 KiB aligned\n", *va);
			return -EINVAL;
		}
		if (*va < vmm->va_start || *va > vmm->va_end || size > vmm->va_end - *va) {
			dev_dbg(dev, "VMM: [0x%llx, +0x%llx) is outside [0x%llx, 0x%llx)\n",
				*va, size, vmm->va_start, vmm->va_end);
			return -ERANGE;
		}
		return 0;
	}

	if (size > vmm->va_chosen_end - vmm->va_start)
		goto full;
	/*
	 * The lowest gap that holds @size from an aligned start. A gap found
	 * at an unaligned address holds @size from there but maybe not from
	 * the next aligned one: search again from that one, which only moves
	 * up. Asking for size + align - 1 at once would refuse a gap of
	 * exactly @size, such as all of BAR1.
	 */
	min = vmm->va_start;
	mtree_lock(&vmm->va);
	for (;;) {
		mas_reset(&mas);
		ret = mas_empty_area(&mas, min, vmm->va_chosen_end - 1, size);
		if (ret || IS_ALIGNED(mas.index, align))
			break;
		min = round_up(mas.index, align);
		if (min < mas.index || min > vmm->va_chosen_end - size) {
			ret = -EBUSY;
			break;
		}
	}
	mtree_unlock(&vmm->va);
	if (ret)
		goto full;
	*va = mas.index;
	return 0;

full:
	dev_dbg(dev, "VMM: no free VA range of 0x%llx bytes aligned to 0x%llx\n",
		size, align);
	return -ENOSPC;
}

/*
 * Back to before the map: entries and new tables out, and, if the GPU may
 * have seen any of them, an invalidate before the tables are freed; then
 * the VA.
 */
static void vmm_unwind(struct novamm_vmm *vmm, struct novamm_pt_update *u,
		       struct novamm_vmm_mapping *m)
{
	bool invalidated = false;

	/*
	 * Without an invalidate of its own, the release must not free what
	 * earlier operations left waiting for one.
	 */
	if (novamm_pt_update_abort(u))
		invalidated = !vmm_invalidate(vmm, NOVAMM_TLB_DOWNGRADE);
	novamm_pt_update_release(u, invalidated);
	mtree_erase(&vmm->va, m->va);
}

static int vmm_map(struct novamm_vmm *vmm, u64 *va,
		   const struct novamm_phys_range *ranges, unsigned int nr,
		   unsigned long flags, void *owner)
{
	struct novamm_pte_attrs attrs = { .aperture = NOVAMM_PT_APERTURE_VIDEO };
	struct device *dev = vmm->mm->hw->dev;
	struct novamm_vmm_mapping *m;
	struct novamm_pt_update u;
	u64 size = 0, align;
	unsigned int i, n;
	int ret;

	if (!nr || flags & ~NOVAMM_VMM_MAP_FLAGS)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		if (!ranges[i].size || !IS_ALIGNED(ranges[i].addr | ranges[i].size, SZ_4K) ||
		    check_add_overflow(size, ranges[i].size, &size)) {
			dev_dbg(dev, "VMM: range %u [0x%llx, +0x%llx) is empty or not in 4 KiB pages\n",
				i, ranges[i].addr, ranges[i].size);
			return -EINVAL;
		}
	}
	attrs.read_only = flags & NOVAMM_VMM_MAP_READ_ONLY;
	align = BIT_ULL(vmm_shift(vmm->shifts, vmm->num_shifts, 0, ranges[0].addr, size));

	mutex_lock(&vmm->lock);
	ret = vmm_choose_va(vmm, va, size, align, flags);
	if (ret)
		goto out;
	n = vmm_pieces(vmm, *va, ranges, nr, NULL);
	m = novamm_should_fail(vmm->mm->hw) ? NULL :
	    kzalloc(struct_size(m, piece, n), GFP_KERNEL);
	if (!m) {
		ret = -ENOMEM;
		goto out;
	}
	m->va = *va;
	m->size = size;
	m->owner = owner;
	m->attrs = attrs;
	m->nr = vmm_pieces(vmm, *va, ranges, nr, m);
	ret = novamm_should_fail(vmm->mm->hw) ? -ENOMEM :
	      mtree_insert_range(&vmm->va, *va, *va + size - 1, m, GFP_KERNEL);
	if (ret) {
		if (ret == -EEXIST)
			dev_dbg(dev, "VMM: [0x%llx, +0x%llx) overlaps a mapping\n", *va, size);
		kfree(m);
		goto out;
	}

	/* The tables are made first: the GPU sees nothing of it. */
	novamm_pt_update_begin(&u, &vmm->pt);
	ret = novamm_pt_update_map(&u, m->piece, m->nr, &m->attrs);
	ret = ret ?: novamm_pt_update_commit(&u);
	ret = ret ?: vmm_invalidate(vmm, 0);
	if (ret)
		goto unwind;
	/* Nothing was taken out, so nothing waits for the invalidate. */
	novamm_pt_update_release(&u, false);
	vmm->mapped += size;
	mutex_unlock(&vmm->lock);
	return 0;

unwind:
	dev_dbg(dev, "VMM: mapping [0x%llx, +0x%llx) failed: %d\n", m->va, size, ret);
	vmm_unwind(vmm, &u, m);
	kfree(m);
out:
	mutex_unlock(&vmm->lock);
	return ret;
}

/**
 * novamm_vmm_map() - map physically contiguous ranges of VRAM
 * @vmm: the address space
 * @va: with %NOVAMM_VMM_MAP_FIXED, where to map; else set to where the
 *	mapping was put: the lowest free range aligned to the largest page
 *	to which the first range's address is aligned and which the whole
 *	mapping holds, outside what novamm_vmm_reserve_top() keeps
 * @ranges: the VRAM, in the order it is mapped
 * @nr: entries of @ranges
 * @flags: ``NOVAMM_VMM_MAP_*``: %NOVAMM_VMM_MAP_FIXED, and
 *	%NOVAMM_VMM_MAP_READ_ONLY for read-only pages
 *
 * The ranges are mapped in order at consecutive virtual addresses. Each
 * piece is mapped with the largest page of the chip's geometry that its
 * virtual and physical addresses and its length allow
 * (novamm_vmm_page_shift(): 256 GiB on Blackwell, 512 MiB from GA100,
 * then 2 MiB, 64 KiB and 4 KiB). All entries are written, then the TLB is
 * invalidated once.
 *
 * Context: process context; takes ``vmm->lock``, and under it the locks
 * that "Locking" lists.
 *
 * Return: 0; -EINVAL for misaligned or empty ranges or unknown flags;
 * -ERANGE outside the address space; -EEXIST over an existing mapping;
 * -ENOSPC when no VA or no VRAM for tables is left; -ENOMEM; -ETIMEDOUT
 * when the invalidate does not complete. On failure the address space is
 * as it was: entries cleared, tables freed, the VA released.
 */
int novamm_vmm_map(struct novamm_vmm *vmm, u64 *va,
		   const struct novamm_phys_range *ranges, unsigned int nr,
		   unsigned long flags)
{
	return vmm_map(vmm, va, ranges, nr, flags, NULL);
}
EXPORT_SYMBOL_GPL(novamm_vmm_map);

/**
 * novamm_vmm_map_vram() - map every block of a VRAM allocation
 * @vmm: the address space
 * @va: as for novamm_vmm_map()
 * @vram: the allocation; its blocks are mapped in the order they come
 * @flags: ``NOVAMM_VMM_MAP_*``
 * @owner: what the caller keeps for the mapping, or NULL: found again by
 *	novamm_vmm_owner() and novamm_vmm_next_owner() while the mapping
 *	lasts, so that the address space is the caller's registry too
 *
 * novamm_vmm_map() of the allocation's blocks, as physically contiguous
 * ranges at consecutive virtual addresses.
 *
 * Context: process context; the list of blocks is allocated before
 * ``vmm->lock`` is taken.
 *
 * Return: as novamm_vmm_map().
 */
int novamm_vmm_map_vram(struct novamm_vmm *vmm, u64 *va,
			const struct novamm_vram *vram, unsigned long flags,
			void *owner)
{
	struct novamm_vram_cursor cur = {};
	struct novamm_phys_range *r;
	unsigned int n = 0;
	int ret;

	while (novamm_vram_next_block(vram, &cur))
		n++;
	r = novamm_should_fail(vmm->mm->hw) ? NULL : kcalloc(n, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	n = 0;
	while (novamm_vram_next_block(vram, &cur))
		r[n++] = (struct novamm_phys_range){ cur.offset, cur.size };
	ret = vmm_map(vmm, va, r, n, flags, owner);
	kfree(r);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_vmm_map_vram);

/**
 * novamm_vmm_unmap() - remove a mapping
 * @vmm: the address space
 * @va: where the mapping starts
 * @size: its bytes, as mapped
 *
 * The mapping is removed exactly as it was mapped: @va and @size must be
 * those of one novamm_vmm_map() call. Entries are cleared and tables that
 * became empty unlinked (their own entries left as they are: one write
 * per table), then the TLB is invalidated once; only then is their VRAM
 * freed and the VA released.
 *
 * Context: process context; takes ``vmm->lock``.
 *
 * Return: 0; -ENOENT when no mapping is exactly [va, va + size);
 * -ETIMEDOUT when the invalidate does not complete, with the mapping
 * restored as it was (the caller may retry).
 */
int novamm_vmm_unmap(struct novamm_vmm *vmm, u64 va, u64 size)
{
	struct novamm_vmm_mapping *m;
	struct novamm_pt_update u;
	int ret;

	mutex_lock(&vmm->lock);
	m = mtree_load(&vmm->va, va);
	if (!m || m->va != va || m->size != size) {
		mutex_unlock(&vmm->lock);
		dev_dbg(vmm->mm->hw->dev, "VMM: no mapping [0x%llx, +0x%llx)\n", va, size);
		return -ENOENT;
	}
	novamm_pt_update_begin(&u, &vmm->pt);
	ret = novamm_pt_update_unmap(&u, va, size);
	ret = ret ?: novamm_pt_update_commit(&u);
	ret = ret ?: vmm_invalidate(vmm, NOVAMM_TLB_DOWNGRADE);
	if (ret) {
		/*
		 * No table was freed: link them back and rewrite the entries,
		 * and land the rewrite, for the clears may have landed and
		 * the GPU would walk those until some later flush. Every
		 * table is back, so the rewrite allocates nothing.
		 */
		novamm_pt_update_abort(&u);
		novamm_pt_update_release(&u, false);
		novamm_pt_update_begin(&u, &vmm->pt);
		if (!novamm_pt_update_map(&u, m->piece, m->nr, &m->attrs))
			novamm_pt_update_commit(&u);
		novamm_pt_update_release(&u, false);
		novamm_tlb_flush(&vmm->mm->tlb);
		mutex_unlock(&vmm->lock);
		dev_dbg(vmm->mm->hw->dev, "VMM: unmap of [0x%llx, +0x%llx) undone: %d\n",
			va, size, ret);
		return ret;
	}
	novamm_pt_update_release(&u, true);
	mtree_erase(&vmm->va, va);
	vmm->mapped -= size;
	mutex_unlock(&vmm->lock);
	kfree(m);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_vmm_unmap);

/**
 * novamm_vmm_owner() - the owner of the mapping that starts at an address
 * @vmm: the address space
 * @va: the address
 *
 * Context: takes ``vmm->lock``; the caller keeps the mapping from going
 * meanwhile (BAR1 holds its own lock around both).
 *
 * Return: the owner given to novamm_vmm_map_vram(), or NULL when no
 * mapping starts exactly at @va or it has none.
 */
void *novamm_vmm_owner(struct novamm_vmm *vmm, u64 va)
{
	struct novamm_vmm_mapping *m;
	void *owner = NULL;

	mutex_lock(&vmm->lock);
	m = mtree_load(&vmm->va, va);
	if (m && m->va == va)
		owner = m->owner;
	mutex_unlock(&vmm->lock);
	return owner;
}
EXPORT_SYMBOL_GPL(novamm_vmm_owner);

/**
 * novamm_vmm_next_owner() - walk the mappings that have an owner, by address
 * @vmm: the address space
 * @va: in, where to look from; out, where the mapping found starts
 *
 * Context: takes ``vmm->lock``; the caller keeps the mappings from going
 * while it walks them.
 *
 * Return: the owner of the first mapping with one that starts at or after
 * @va, or NULL when there is none.
 */
void *novamm_vmm_next_owner(struct novamm_vmm *vmm, u64 *va)
{
	struct novamm_vmm_mapping *m;
	unsigned long index = *va;
	void *owner = NULL;

	mutex_lock(&vmm->lock);
	mt_for_each(&vmm->va, m, index, ULONG_MAX) {
		if (m->owner && m->va >= *va) {
			*va = m->va;
			owner = m->owner;
			break;
		}
	}
	mutex_unlock(&vmm->lock);
	return owner;
}
EXPORT_SYMBOL_GPL(novamm_vmm_next_owner);

/**
 * novamm_vmm_has_owner() - whether some mapping has this owner
 * @vmm: the address space
 * @owner: the owner, compared by pointer and never dereferenced
 *
 * For callers handed an owner they must check before using it: one that
 * is not, or is no longer, in @vmm is found without being read.
 *
 * Context: takes ``vmm->lock``.
 *
 * Return: true when a mapping of @vmm has @owner.
 */
bool novamm_vmm_has_owner(struct novamm_vmm *vmm, const void *owner)
{
	struct novamm_vmm_mapping *m;
	unsigned long index = 0;
	bool found = false;

	if (!owner)
		return false;
	mutex_lock(&vmm->lock);
	mt_for_each(&vmm->va, m, index, ULONG_MAX) {
		if (m->owner == owner) {
			found = true;
			break;
		}
	}
	mutex_unlock(&vmm->lock);
	return found;
}
EXPORT_SYMBOL_GPL(novamm_vmm_has_owner);

/**
 * novamm_vmm_lookup() - what a virtual address maps to
 * @vmm: the address space
 * @va: the address
 * @map: the answer, from the page tables' shadow
 *
 * What the MMU would find, answered without reading VRAM
 * (novamm_pagetable_lookup()).
 *
 * Context: takes ``vmm->lock``.
 *
 * Return: 0, or -EINVAL beyond the format's VA.
 */
int novamm_vmm_lookup(struct novamm_vmm *vmm, u64 va, struct novamm_pt_mapping *map)
{
	int ret;

	mutex_lock(&vmm->lock);
	ret = novamm_pagetable_lookup(&vmm->pt, va, map);
	mutex_unlock(&vmm->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_vmm_lookup);

/**
 * novamm_vmm_clear() - unmap everything at once
 * @vmm: the address space
 *
 * For an address space whose root directory another owner keeps using
 * (novamm_vmm_adopt()): before it is destroyed, every table under the
 * root is unlinked, which for a range under one root entry is a single
 * write, then one invalidate; only after it completes are the tables
 * freed. Mapping records go too; the VRAM they mapped is the callers'.
 *
 * Context: process context; takes ``vmm->lock``.
 *
 * Return: 0; -ETIMEDOUT when the invalidate did not complete: the root no
 * longer points at the tables, but a TLB may, so they stay allocated
 * until a later unmap or clear whose invalidate completes, or until
 * novamm_vmm_destroy(); a PRAMIN error, with every table linked back.
 */
int novamm_vmm_clear(struct novamm_vmm *vmm)
{
	struct novamm_pt_update u;
	int ret;

	mutex_lock(&vmm->lock);
	novamm_pt_update_begin(&u, &vmm->pt);
	ret = novamm_pt_update_unmap(&u, vmm->va_start, vmm->va_end - vmm->va_start);
	ret = ret ?: novamm_pt_update_commit(&u);
	if (ret) {
		novamm_pt_update_abort(&u);
		novamm_pt_update_release(&u, false);
		goto out;
	}
	ret = vmm_invalidate(vmm, NOVAMM_TLB_DOWNGRADE);
	novamm_pt_update_release(&u, !ret);
	vmm_forget_mappings(vmm);
	mt_init_flags(&vmm->va, MT_FLAGS_ALLOC_RANGE);
out:
	mutex_unlock(&vmm->lock);
	if (ret)
		dev_err(vmm->mm->hw->dev, "VMM: clearing [0x%llx, 0x%llx): %d\n",
			vmm->va_start, vmm->va_end, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_vmm_clear);

static const char *vmm_page_name(unsigned int shift)
{
	switch (shift) {
	case 38:
		return "256G";
	case 29:
		return "512M";
	case 21:
		return "2M";
	case 16:
		return "64K";
	default:
		return "4K";
	}
}

/**
 * novamm_vmm_get_stats() - an address space's counters, read together
 * @vmm: the address space
 * @st: the counters
 *
 * For its users' debugfs files and log lines, which must not reach into
 * the address space's tree and pool.
 *
 * Context: takes ``vmm->lock``.
 */
void novamm_vmm_get_stats(struct novamm_vmm *vmm, struct novamm_vmm_stats *st)
{
	mutex_lock(&vmm->lock);
	st->mapped = vmm->mapped;
	st->invalidates = vmm->invalidates;
	st->tables = vmm->pt.num_tables;
	st->pool_chunks = vmm->pt.pool.num_chunks;
	st->retired = vmm->pt.num_retired;
	mutex_unlock(&vmm->lock);
}
EXPORT_SYMBOL_GPL(novamm_vmm_get_stats);

/**
 * novamm_vmm_show() - print the mappings for debugfs
 * @m: the file
 * @vmm: the address space
 *
 * One line per mapping (VA range, access), then one per run of pages of
 * one size (VA, VRAM address, page size, count).
 *
 * Context: takes ``vmm->lock``.
 */
void novamm_vmm_show(struct seq_file *m, struct novamm_vmm *vmm)
{
	struct novamm_vmm_mapping *map;
	unsigned long index = 0;
	unsigned int i;

	mutex_lock(&vmm->lock);
	seq_printf(m, "mapped: %llu\n", vmm->mapped);
	mt_for_each(&vmm->va, map, index, ULONG_MAX) {
		seq_printf(m, "0x%010llx-0x%010llx %s, %u runs\n", map->va,
			   map->va + map->size - 1,
			   map->attrs.read_only ? "ro" : "rw", map->nr);
		for (i = 0; i < map->nr; i++) {
			const struct novamm_pt_run *p = &map->piece[i];

			seq_printf(m, "  va 0x%010llx -> vram 0x%010llx, %llu x %s\n",
				   p->va, p->phys, p->count, vmm_page_name(p->shift));
		}
	}
	mutex_unlock(&vmm->lock);
}
EXPORT_SYMBOL_GPL(novamm_vmm_show);

/**
 * novamm_vmm_dump() - print the page tables under a VA range, for debugfs
 * @m: the file
 * @vmm: the address space
 * @va: start of the range
 * @size: its bytes; 0 for all of it
 *
 * The root directory's address, then novamm_pagetable_dump() of the range.
 *
 * Context: takes ``vmm->lock``.
 */
void novamm_vmm_dump(struct seq_file *m, struct novamm_vmm *vmm, u64 va, u64 size)
{
	mutex_lock(&vmm->lock);
	seq_printf(m, "pdb: 0x%llx\n", novamm_vmm_pdb(vmm));
	novamm_pagetable_dump(m, &vmm->pt, va, size);
	mutex_unlock(&vmm->lock);
}
EXPORT_SYMBOL_GPL(novamm_vmm_dump);
