/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm: the one place where kernel-version differences are bridged.
 */

/**
 * DOC: Kernel versions
 *
 * novamm builds against Debian's 6.1 kernel and keeps compiling on newer
 * ones: ``make check`` builds it against 6.12 from bookworm-backports and
 * the newest 7.x of unstable or trixie-backports. Every difference is
 * bridged in ``<novamm/compat.h>`` and nowhere else. A difference is
 * detected from the headers the build sees where a header test works
 * (Kbuild sets ``NOVAMM_HAVE_*``), so that a distribution kernel with
 * backports gets what it has; the version each came in is given as checked
 * in the sources. Only ``platform_driver::remove`` (void from 6.11) and
 * ``vm_area_struct::vm_flags`` (read-only from 6.3) are told apart by
 * ``LINUX_VERSION_CODE``.
 */
#ifndef _NOVAMM_COMPAT_H_
#define _NOVAMM_COMPAT_H_

/*
 * GPU virtual addresses and VRAM offsets are u64, and an address space's
 * maple tree indexes them as unsigned long: on a 32-bit kernel every VA
 * past 4 GiB would alias one below. Kconfig says "depends on 64BIT"; an
 * out-of-tree build does not read Kconfig, so the check is here too,
 * ahead of any include.
 */
#ifndef CONFIG_64BIT
#error "novamm needs a 64-bit kernel: GPU addresses index its maple trees as unsigned long"
#endif

#include <linux/list.h>
#include <linux/types.h>
#include <linux/version.h>

/*
 * Calls that only the KUnit suites use outside their directory are
 * exported to them alone, in the EXPORTED_FOR_KUNIT_TESTING namespace and
 * only when KUnit is built: <kunit/visibility.h>, from 6.2 and in
 * Debian's 6.1 (stable backport), whose header Kbuild looks for. Kernels
 * without it get its 6.2 definitions, with the namespace as a bare token
 * as EXPORT_SYMBOL_NS() then took it.
 */
#ifdef NOVAMM_HAVE_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol)	EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#else
#define VISIBLE_IF_KUNIT		static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif

/*
 * The suites' module imports that namespace: by name as a string from
 * 6.13 (MODULE_IMPORT_NS() no longer stringifies; Kbuild greps
 * module.h), as a bare token before.
 */
#ifdef NOVAMM_HAVE_IMPORT_NS_STRING
#define NOVAMM_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#define NOVAMM_IMPORT_DMA_BUF_NS()	MODULE_IMPORT_NS("DMA_BUF")
#else
#define NOVAMM_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#define NOVAMM_IMPORT_DMA_BUF_NS()	MODULE_IMPORT_NS(DMA_BUF)
#endif

/*
 * Telling a dma-buf's importers that their mappings are gone: it was
 * dma_buf_move_notify() up to 6.x, and is dma_buf_invalidate_mappings()
 * in 7.3, which adds dma_buf_attach_revocable() beside it; Kbuild greps
 * linux/dma-buf.h for the new name. Either is called with the buffer's
 * reservation lock held. The importer's callback was renamed with it.
 */
/*
 * An importer's kernel mapping without the reservation lock held is
 * dma_buf_vmap() up to 6.1, which took no reservation lock, and
 * dma_buf_vmap_unlocked() from 6.2, when dma_buf_vmap() started to want
 * it held; Kbuild greps linux/dma-buf.h. Only the KUnit importer uses it.
 */
#ifdef NOVAMM_HAVE_DMA_BUF_VMAP_UNLOCKED
#define novamm_dma_buf_vmap(dmabuf, map)	dma_buf_vmap_unlocked(dmabuf, map)
#define novamm_dma_buf_vunmap(dmabuf, map)	dma_buf_vunmap_unlocked(dmabuf, map)
#else
#define novamm_dma_buf_vmap(dmabuf, map)	dma_buf_vmap(dmabuf, map)
#define novamm_dma_buf_vunmap(dmabuf, map)	dma_buf_vunmap(dmabuf, map)
#endif

#ifdef NOVAMM_HAVE_DMA_BUF_INVALIDATE
#define novamm_dma_buf_invalidate(dmabuf)	dma_buf_invalidate_mappings(dmabuf)
#define NOVAMM_DMA_BUF_IMPORTER_NOTIFY		invalidate_mappings
#else
#define novamm_dma_buf_invalidate(dmabuf)	dma_buf_move_notify(dmabuf)
#define NOVAMM_DMA_BUF_IMPORTER_NOTIFY		move_notify
#endif

/*
 * The firmware framebuffer the boot loader reported, for the console
 * check of core/claim.c: in the exported screen_info on x86 up to 6.x
 * (Debian's 6.1), inside the exported sysfb_primary_display in 7.3, whose
 * header Kbuild greps. Other architectures export neither the same way;
 * there only the VGA-device check applies.
 */
#ifdef CONFIG_X86
#ifdef NOVAMM_HAVE_SYSFB_PRIMARY_DISPLAY
#include <linux/sysfb.h>
#define NOVAMM_SCREEN_INFO	(&sysfb_primary_display.screen)
#else
#include <linux/screen_info.h>
#define NOVAMM_SCREEN_INFO	(&screen_info)
#endif
#endif

/**
 * novamm_firmware_fb_base() - where the firmware framebuffer starts
 * @base: its physical address
 *
 * Return: true when the boot loader reported a linear framebuffer (EFI
 * GOP or VESA), with @base set.
 */
static inline bool novamm_firmware_fb_base(u64 *base)
{
#ifdef CONFIG_X86
	const struct screen_info *si = NOVAMM_SCREEN_INFO;

	if (si->orig_video_isVGA != VIDEO_TYPE_EFI &&
	    si->orig_video_isVGA != VIDEO_TYPE_VLFB)
		return false;
	*base = si->lfb_base;
	if (si->capabilities & VIDEO_CAPABILITY_64BIT_BASE)
		*base |= (u64)si->ext_lfb_base << 32;
	return *base;
#else
	return false;
#endif
}

/*
 * The unaligned-access helpers (get_unaligned_le32() and the rest) moved
 * from asm/unaligned.h to linux/unaligned.h in 6.12: Debian's 6.1 headers
 * have only the first, its 6.12 headers and 7.3 source only the second.
 * Kbuild looks for the new one.
 */
#ifdef NOVAMM_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * platform_driver::remove returns int before 6.11 and void from 6.11 on.
 * Drivers here write a void remove function, expand
 * NOVAMM_PLATFORM_REMOVE_WRAPPER() after it and fill the driver with
 * NOVAMM_PLATFORM_REMOVE().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define NOVAMM_PLATFORM_REMOVE_WRAPPER(fn)
#define NOVAMM_PLATFORM_REMOVE(fn)	.remove = fn
#else
#define NOVAMM_PLATFORM_REMOVE_WRAPPER(fn)				\
static int fn##_int(struct platform_device *pdev)			\
{									\
	fn(pdev);							\
	return 0;							\
}

#define NOVAMM_PLATFORM_REMOVE(fn)	.remove = fn##_int
#endif

/*
 * vm_area_struct::vm_flags became read-only in 6.3: flags are set with
 * vm_flags_set(), which takes the VMA write lock.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define novamm_vm_flags_set(vma, flags)	vm_flags_set(vma, flags)
#define novamm_vm_flags_clear(vma, flags)	vm_flags_clear(vma, flags)
#else
#define novamm_vm_flags_set(vma, flags)	((vma)->vm_flags |= (flags))
#define novamm_vm_flags_clear(vma, flags)	((vma)->vm_flags &= ~(flags))
#endif

/*
 * A bus attribute's show and store take a const struct bus_type since
 * 6.4 ("driver core: bus: mark the struct bus_type for sysfs callbacks as
 * constant"); Kbuild looks for it in the header. The simulated GPUs' bus
 * declares its callbacks with NOVAMM_BUS_ATTR_CONST.
 */
#ifdef NOVAMM_HAVE_CONST_BUS_ATTR
#define NOVAMM_BUS_ATTR_CONST	const
#else
#define NOVAMM_BUS_ATTR_CONST
#endif

/*
 * is_cow_mapping(vm_flags) is gone in 7.3, where VMA flags are becoming a
 * bitmap: vma_is_cow_mapping(vma) asks the same of a VMA. Debian's 7.2.13
 * source has only the first, its 7.3.4 source only the second; Kbuild
 * looks for the new one in linux/mm.h.
 */
#ifdef NOVAMM_HAVE_VMA_IS_COW_MAPPING
#define novamm_vma_is_cow(vma)	vma_is_cow_mapping(vma)
#else
#define novamm_vma_is_cow(vma)	is_cow_mapping((vma)->vm_flags)
#endif

/*
 * Huge PFN mappings: from 6.12 ("mm: Support huge pfnmaps", checked in
 * Debian's 6.12.95 source), a VM_PFNMAP VMA whose ->huge_fault() is set
 * is offered a 2 MiB entry on a fault, where the architecture supports
 * it (ARCH_SUPPORTS_PMD_PFNMAP: x86_64 with transparent huge pages in
 * 6.12.95; arm64, riscv and powerpc's Book3S too in 7.3.4). Before,
 * ->huge_fault() is called only for DAX, and novamm leaves it unset.
 * vmf_insert_pfn_pmd() takes a pfn_t while linux/pfn_t.h exists (6.12.95)
 * and a bare pfn once it is gone (7.3.4); Kbuild looks for the header.
 * PFN_DEV is what vmf_insert_pfn() itself tags a VM_PFNMAP frame with
 * there.
 */
#if defined(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
#define NOVAMM_HAVE_HUGE_PFNMAP
#ifdef NOVAMM_HAVE_PFN_T
#include <linux/pfn_t.h>
#define novamm_vmf_insert_pfn_pmd(vmf, pfn, write)			\
	vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write)
#else
#define novamm_vmf_insert_pfn_pmd(vmf, pfn, write)			\
	vmf_insert_pfn_pmd(vmf, pfn, write)
#endif
#endif

/*
 * The kernel's buddy allocator. It is drm_buddy up to 6.19 and gpu_buddy,
 * moved to drivers/gpu/ and renamed throughout, from 7.0 on ("gpu: Move
 * DRM buddy allocator one level up", parts one and two, merged for 7.0;
 * drivers/gpu/buddy.c in Debian's 7.2 and 7.3 sources); in between,
 * 6.7 added contiguous allocation and 6.10 a flags argument to the list
 * free (with the clear-page tracking whose DRM_BUDDY_CLEARED flag came in
 * the same change). Each difference is detected from the headers the
 * build sees, not from the version number, so that a distribution kernel
 * with backports gets what it has: Kbuild looks for linux/gpu_buddy.h,
 * and the rest are macros of the allocator's own header.
 *
 * buddy/ uses only what is below: struct novamm_kbuddy and
 * struct novamm_kbuddy_block, NOVAMM_KBUDDY_* flags and novamm_kbuddy_*()
 * calls. NOVAMM_KBUDDY_CONTIGUOUS is defined only where the allocator
 * has contiguous allocation; buddy/ supplies it otherwise.
 * NOVAMM_KBUDDY_CLEAR (prefer cleared blocks), novamm_kbuddy_free_cleared()
 * and novamm_kbuddy_block_is_clear() exist only where it tracks cleared
 * blocks (6.10 on); buddy/ tracks them itself otherwise.
 */
#ifdef NOVAMM_HAVE_GPU_BUDDY	/* set by Kbuild when the header exists */
#include <linux/gpu_buddy.h>

#define novamm_kbuddy			gpu_buddy
#define novamm_kbuddy_block		gpu_buddy_block
#define NOVAMM_KBUDDY_RANGE		GPU_BUDDY_RANGE_ALLOCATION
#define NOVAMM_KBUDDY_TOPDOWN		GPU_BUDDY_TOPDOWN_ALLOCATION
#define NOVAMM_KBUDDY_CONTIGUOUS	GPU_BUDDY_CONTIGUOUS_ALLOCATION
#define NOVAMM_KBUDDY_CLEAR		GPU_BUDDY_CLEAR_ALLOCATION
#define NOVAMM_KBUDDY_NAME		"gpu_buddy"

static inline int novamm_kbuddy_init(struct gpu_buddy *mm, u64 size,
				     u64 chunk_size)
{
	return gpu_buddy_init(mm, size, chunk_size);
}

static inline void novamm_kbuddy_fini(struct gpu_buddy *mm)
{
	gpu_buddy_fini(mm);
}

static inline int novamm_kbuddy_alloc_blocks(struct gpu_buddy *mm, u64 start,
					     u64 end, u64 size, u64 min_block,
					     struct list_head *blocks,
					     unsigned long flags)
{
	return gpu_buddy_alloc_blocks(mm, start, end, size, min_block, blocks,
				      flags);
}

static inline void novamm_kbuddy_free_list(struct gpu_buddy *mm,
					   struct list_head *blocks)
{
	gpu_buddy_free_list(mm, blocks, 0);
}

static inline void novamm_kbuddy_free_cleared(struct gpu_buddy *mm,
					      struct list_head *blocks)
{
	gpu_buddy_free_list(mm, blocks, GPU_BUDDY_CLEARED);
}

static inline bool novamm_kbuddy_block_is_clear(struct gpu_buddy_block *b)
{
	return gpu_buddy_block_is_clear(b);
}

static inline u64 novamm_kbuddy_block_offset(struct gpu_buddy_block *b)
{
	return gpu_buddy_block_offset(b);
}

static inline u64 novamm_kbuddy_block_size(struct gpu_buddy *mm,
					   struct gpu_buddy_block *b)
{
	return gpu_buddy_block_size(mm, b);
}

#else /* drm_buddy */
#include <drm/drm_buddy.h>

#define novamm_kbuddy			drm_buddy
#define novamm_kbuddy_block		drm_buddy_block
#define NOVAMM_KBUDDY_RANGE		DRM_BUDDY_RANGE_ALLOCATION
#define NOVAMM_KBUDDY_TOPDOWN		DRM_BUDDY_TOPDOWN_ALLOCATION
#ifdef DRM_BUDDY_CONTIGUOUS_ALLOCATION
#define NOVAMM_KBUDDY_CONTIGUOUS	DRM_BUDDY_CONTIGUOUS_ALLOCATION
#endif
#ifdef DRM_BUDDY_CLEARED
#define NOVAMM_KBUDDY_CLEAR		DRM_BUDDY_CLEAR_ALLOCATION
#endif
#define NOVAMM_KBUDDY_NAME		"drm_buddy"

static inline int novamm_kbuddy_init(struct drm_buddy *mm, u64 size,
				     u64 chunk_size)
{
	return drm_buddy_init(mm, size, chunk_size);
}

static inline void novamm_kbuddy_fini(struct drm_buddy *mm)
{
	drm_buddy_fini(mm);
}

static inline int novamm_kbuddy_alloc_blocks(struct drm_buddy *mm, u64 start,
					     u64 end, u64 size, u64 min_block,
					     struct list_head *blocks,
					     unsigned long flags)
{
	return drm_buddy_alloc_blocks(mm, start, end, size, min_block, blocks,
				      flags);
}

static inline void novamm_kbuddy_free_list(struct drm_buddy *mm,
					   struct list_head *blocks)
{
#ifdef DRM_BUDDY_CLEARED
	drm_buddy_free_list(mm, blocks, 0);
#else
	drm_buddy_free_list(mm, blocks);
#endif
}

#ifdef DRM_BUDDY_CLEARED
static inline void novamm_kbuddy_free_cleared(struct drm_buddy *mm,
					      struct list_head *blocks)
{
	drm_buddy_free_list(mm, blocks, DRM_BUDDY_CLEARED);
}

static inline bool novamm_kbuddy_block_is_clear(struct drm_buddy_block *b)
{
	return drm_buddy_block_is_clear(b);
}
#endif

static inline u64 novamm_kbuddy_block_offset(struct drm_buddy_block *b)
{
	return drm_buddy_block_offset(b);
}

static inline u64 novamm_kbuddy_block_size(struct drm_buddy *mm,
					   struct drm_buddy_block *b)
{
	return drm_buddy_block_size(mm, b);
}

#ifndef NOVAMM_KBUDDY_CONTIGUOUS
/*
 * Before 6.7 buddy/ builds contiguous allocations itself, from a trim,
 * which took no start address yet.
 */
static inline int novamm_kbuddy_block_trim(struct drm_buddy *mm, u64 new_size,
					   struct list_head *blocks)
{
	return drm_buddy_block_trim(mm, new_size, blocks);
}
#endif

#endif /* gpu_buddy or drm_buddy */

#endif /* _NOVAMM_COMPAT_H_ */
