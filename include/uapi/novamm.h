/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * novamm userspace interface: /dev/novamm<N>, one per GPU.
 */

/**
 * DOC: ABI
 *
 * A file allocates VRAM (ALLOC -> handle), maps an allocation through
 * BAR1 (MAP -> BAR1 offset and an mmap offset), mmaps it (``MAP_SHARED``)
 * for CPU access, and undoes each step (UNMAP, FREE). Handles and mappings
 * belong to the file that made them; closing it undoes everything.
 *
 * Every argument is a fixed-size struct with only fixed-size fields,
 * padded to 8 bytes; fields marked "in" are read, "out" written. Reserved
 * and padding fields must be zero (``-EINVAL`` otherwise), so that a later
 * version can give them a meaning. ``NOVAMM_UAPI_VERSION`` (now 1) changes
 * only when an ioctl changes meaning; new ioctls and flags do not change
 * it. An unknown ioctl is ``-ENOTTY``.
 */

/**
 * DOC: ioctls
 *
 * ``NOVAMM_IOCTL_INFO``
 *     Chip id and name, MMU version, VRAM size and free bytes, BAR1 size
 *     and unmapped bytes.
 * ``NOVAMM_IOCTL_ALLOC`` (size, flags -> handle)
 *     VRAM from the allocator, never reserved or protected ranges. The
 *     size is a non-zero multiple of 4 KiB (``-EINVAL``);
 *     ``NOVAMM_ALLOC_CONTIGUOUS`` asks for one physical range. ``-ENOSPC``
 *     when the VRAM is not there, ``-EDQUOT`` past the file's quota.
 * ``NOVAMM_IOCTL_MAP`` (handle, flags -> BAR1 offset, size, mmap offset)
 *     Maps the allocation through BAR1 with the largest GPU pages it
 *     allows; ``NOVAMM_MAP_READ_ONLY`` makes it read-only in the GPU's MMU
 *     and refuses writable mmaps. ``-EBUSY`` if already mapped, ``-ENOSPC``
 *     when BAR1 is full.
 * ``NOVAMM_IOCTL_UNMAP`` (handle)
 *     Zaps every CPU mapping of it (a later touch is ``SIGBUS``), then
 *     unmaps it from BAR1 with one TLB invalidate.
 * ``NOVAMM_IOCTL_FREE`` (handle)
 *     Unmaps if needed, then frees the VRAM. An exported allocation is
 *     revoked: its importers are told, and its VRAM stays allocated until
 *     the dma-buf is released.
 * ``NOVAMM_IOCTL_EXPORT`` (handle, flags -> fd)
 *     A dma-buf of the allocation, for other devices and drivers
 *     (Documentation/dmabuf.rst); an allocation not yet mapped is mapped
 *     for it, and unmapped again when the dma-buf is released.
 *     ``NOVAMM_EXPORT_READ_ONLY`` lets importers only read;
 *     ``NOVAMM_EXPORT_CLOEXEC`` opens the fd close-on-exec. ``-EBUSY``
 *     while a dma-buf of it exists, ``-EPERM`` for a writable export of
 *     a read-only mapping. UNMAP of an exported allocation is ``-EBUSY``.
 *
 * Their arguments are &struct novamm_info, &struct novamm_alloc,
 * &struct novamm_map, &struct novamm_handle (FREE and UNMAP) and
 * &struct novamm_export. Another file's handle is ``-ENOENT`` for FREE,
 * MAP, UNMAP and EXPORT, whether or not it exists; every call on a file
 * whose GPU has been removed is ``-ENODEV``.
 */
#ifndef _UAPI_NOVAMM_H_
#define _UAPI_NOVAMM_H_

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped when an ioctl changes meaning; new ioctls and flags do not. */
#define NOVAMM_UAPI_VERSION	1

/**
 * struct novamm_info - NOVAMM_IOCTL_INFO
 * @version: out, NOVAMM_UAPI_VERSION
 * @chip_id: out, NV_PMC_BOOT_42 CHIP_ID, e.g. 0x172 for GA102
 * @chip: out, chip name, NUL-terminated
 * @mmu_version: out, 2 (Turing to Ada) or 3 (Hopper, Blackwell)
 * @pad: zero
 * @vram_size: out, bytes of VRAM
 * @vram_free: out, bytes novamm can still allocate
 * @bar1_size: out, bytes of BAR1
 * @bar1_free: out, bytes of BAR1 that mappings may still take (all but
 *	the table window's slice, less what is mapped)
 */
struct novamm_info {
	__u32 version;
	__u32 chip_id;
	char chip[16];
	__u32 mmu_version;
	__u32 pad;
	__u64 vram_size;
	__u64 vram_free;
	__u64 bar1_size;
	__u64 bar1_free;
};

/* novamm_alloc.flags: one physically contiguous range. */
#define NOVAMM_ALLOC_CONTIGUOUS		_BITUL(0)

/**
 * struct novamm_alloc - NOVAMM_IOCTL_ALLOC
 * @size: in, bytes, a multiple of 4096
 * @flags: in, NOVAMM_ALLOC_*
 * @handle: out, names the allocation in this file
 */
struct novamm_alloc {
	__u64 size;
	__u32 flags;
	__u32 handle;
};

/**
 * struct novamm_handle - NOVAMM_IOCTL_FREE and NOVAMM_IOCTL_UNMAP
 * @handle: in
 * @pad: zero
 *
 * FREE of a mapped allocation unmaps it first.
 */
struct novamm_handle {
	__u32 handle;
	__u32 pad;
};

/* novamm_map.flags: the CPU may only read (and mmap without PROT_WRITE). */
#define NOVAMM_MAP_READ_ONLY		_BITUL(0)

/**
 * struct novamm_map - NOVAMM_IOCTL_MAP
 * @handle: in, an allocation of this file, not mapped yet
 * @flags: in, NOVAMM_MAP_*
 * @bar1_offset: out, where the allocation starts in BAR1
 * @size: out, bytes mapped (the allocation's size)
 * @mmap_offset: out, the offset to pass to mmap() for it (today the BAR1
 *	offset; use this field, not that)
 */
struct novamm_map {
	__u32 handle;
	__u32 flags;
	__u64 bar1_offset;
	__u64 size;
	__u64 mmap_offset;
};

/* novamm_export.flags: the fd is close-on-exec. */
#define NOVAMM_EXPORT_CLOEXEC		_BITUL(0)
/* novamm_export.flags: importers may only read. */
#define NOVAMM_EXPORT_READ_ONLY		_BITUL(1)

/**
 * struct novamm_export - NOVAMM_IOCTL_EXPORT
 * @handle: in, an allocation of this file
 * @flags: in, NOVAMM_EXPORT_*
 * @fd: out, the dma-buf
 * @pad: zero
 */
struct novamm_export {
	__u32 handle;
	__u32 flags;
	__s32 fd;
	__u32 pad;
};

#define NOVAMM_IOCTL_MAGIC	0xe4

#define NOVAMM_IOCTL_INFO	_IOR(NOVAMM_IOCTL_MAGIC, 0x00, struct novamm_info)
#define NOVAMM_IOCTL_ALLOC	_IOWR(NOVAMM_IOCTL_MAGIC, 0x01, struct novamm_alloc)
#define NOVAMM_IOCTL_FREE	_IOW(NOVAMM_IOCTL_MAGIC, 0x02, struct novamm_handle)
#define NOVAMM_IOCTL_MAP	_IOWR(NOVAMM_IOCTL_MAGIC, 0x03, struct novamm_map)
#define NOVAMM_IOCTL_UNMAP	_IOW(NOVAMM_IOCTL_MAGIC, 0x04, struct novamm_handle)
#define NOVAMM_IOCTL_EXPORT	_IOWR(NOVAMM_IOCTL_MAGIC, 0x05, struct novamm_export)

#endif /* _UAPI_NOVAMM_H_ */
