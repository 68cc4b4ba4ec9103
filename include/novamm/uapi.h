/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm uapi: /dev/novamm<N>, VRAM allocation and BAR1 mappings for
 * userspace (include/uapi/novamm.h is the ABI).
 *
 * The calls below are what the ioctls do once their arguments are in
 * kernel memory; the KUnit suite drives them directly.
 *
 * Locking: uapi->lock, taken outside the BAR1 and allocator locks and
 * inside mmap_lock; see uapi/uapi.c ("Locking").
 */
#ifndef _NOVAMM_UAPI_H_
#define _NOVAMM_UAPI_H_

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <uapi/novamm.h>

struct address_space;
struct dma_buf;
struct novamm_bar1;
struct novamm_buddy;
struct novamm_chip;
struct novamm_hw;

/* Handles per device, shared by its files. */
#define NOVAMM_UAPI_MAX_HANDLE	U16_MAX

/**
 * struct novamm_uapi_gpu - what /dev/novamm<N> serves of a device
 * @hw: the access layer: the bound device, fault points, the BAR1 backend
 * @chip: the chip, for NOVAMM_IOCTL_INFO
 * @buddy: the VRAM allocator
 * @bar1: BAR1
 * @vram_size: bytes of VRAM
 */
struct novamm_uapi_gpu {
	struct novamm_hw *hw;
	const struct novamm_chip *chip;
	struct novamm_buddy *buddy;
	struct novamm_bar1 *bar1;
	u64 vram_size;
};

/**
 * struct novamm_uapi - the character device of one GPU
 * @ref: held by the device, by each open file and by each dma-buf of
 *	NOVAMM_IOCTL_EXPORT
 * @lock: guards @handles, @orphans, every allocation, @files, @exclusive
 *	and whether the device is still there (@gone); see uapi/uapi.c
 * @gpu: what it serves, valid until @gone
 * @gone: the device went (novamm_uapi_fini()): files left open get
 *	-ENODEV
 * @handles: allocations by handle, of every file (struct novamm_uapi_buf)
 * @orphans: allocations no handle names any more whose dma-buf is not
 *	released yet: freed by their owner, or their file closed
 * @files: files open
 * @exclusive: a self-test runs: opening a file is refused
 * @misc: /dev/novamm<N>
 * @index: N
 * @name: "novamm<N>"
 */
struct novamm_uapi {
	struct kref ref;
	struct mutex lock;	/* see above */
	struct novamm_uapi_gpu gpu;
	bool gone;
	struct xarray handles;
	struct list_head orphans;
	unsigned int files;
	bool exclusive;
	struct miscdevice misc;
	int index;
	char name[16];
};

/**
 * struct novamm_uapi_file - one open file
 * @u: the device's character device
 * @mapping: the file's address space, whose mappings are zapped when a
 *	BAR1 mapping goes; NULL for files the KUnit suite makes
 * @handles: allocations it holds, against the file_max_handles quota
 * @bytes: bytes of VRAM they hold, against the file_max_vram_percent quota
 */
struct novamm_uapi_file {
	struct novamm_uapi *u;
	struct address_space *mapping;
	unsigned int handles;
	u64 bytes;
};

/**
 * typedef novamm_uapi_copy_out_t - copy an ioctl's result to its caller
 * @dst: where the caller wants it
 * @args: the result
 * @size: its bytes
 *
 * Return: 0, or -EFAULT, after which the ioctl is undone.
 */
typedef int (*novamm_uapi_copy_out_t)(void __user *dst, const void *args, size_t size);

struct novamm_uapi *novamm_uapi_init(const struct novamm_uapi_gpu *gpu);
void novamm_uapi_fini(struct novamm_uapi *u);

struct novamm_uapi_file *novamm_uapi_open(struct novamm_uapi *u,
					  struct address_space *mapping);
void novamm_uapi_release(struct novamm_uapi_file *f);
int novamm_uapi_info(struct novamm_uapi_file *f, struct novamm_info *info);
int novamm_uapi_alloc(struct novamm_uapi_file *f, struct novamm_alloc *args);
int novamm_uapi_free(struct novamm_uapi_file *f, const struct novamm_handle *args);
int novamm_uapi_map(struct novamm_uapi_file *f, struct novamm_map *args);
int novamm_uapi_unmap(struct novamm_uapi_file *f, const struct novamm_handle *args);
struct dma_buf *novamm_uapi_export(struct novamm_uapi_file *f, const struct novamm_export *args);
long novamm_uapi_ioctl_kernel(struct novamm_uapi_file *f, unsigned int cmd, void *args);
long novamm_uapi_call(struct novamm_uapi_file *f, unsigned int cmd, void *args,
		      novamm_uapi_copy_out_t copy_out, void __user *dst);
int novamm_uapi_exclude(struct novamm_uapi *u);
void novamm_uapi_include(struct novamm_uapi *u);
u64 novamm_uapi_file_max_vram(struct novamm_uapi *u);
unsigned int novamm_uapi_file_max_handles(void);

#endif /* _NOVAMM_UAPI_H_ */
