/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm uapi: /dev/novamm<N>, VRAM allocation and BAR1 mappings for
 * userspace (include/uapi/novamm.h is the ABI).
 *
 * The calls below are what the ioctls do once their arguments are in
 * kernel memory; the KUnit suite drives them directly.
 *
 * Locking: uapi->lock guards the handle table, every handle and whether
 * the device is still there; it is taken outside the BAR1 and allocator
 * locks (uapi -> bar1 -> vmm, uapi -> buddy) and inside mmap_lock (the
 * fault handler and mmap run under it), so nothing copies to or from
 * userspace while holding it.
 */
#ifndef _NOVAMM_UAPI_H_
#define _NOVAMM_UAPI_H_

#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <uapi/novamm.h>

struct address_space;
struct novamm_device;

/* Handles per device. */
#define NOVAMM_UAPI_MAX_HANDLE	U16_MAX

/**
 * struct novamm_uapi - the character device of one GPU
 * @ref: held by the device and by each open file
 * @lock: see above
 * @ndev: the device; NULL once it is gone (files left open get -ENODEV)
 * @handles: allocations by handle, of every file (struct novamm_uapi_buf)
 * @misc: /dev/novamm<N>
 * @index: N
 * @name: "novamm<N>"
 */
struct novamm_uapi {
	struct kref ref;
	struct mutex lock;	/* see above */
	struct novamm_device *ndev;
	struct xarray handles;
	struct miscdevice misc;
	int index;
	char name[16];
};

/**
 * struct novamm_uapi_file - one open file
 * @u: the device's character device
 * @mapping: the file's address space, whose mappings are zapped when a
 *	BAR1 mapping goes; NULL for files the KUnit suite makes
 */
struct novamm_uapi_file {
	struct novamm_uapi *u;
	struct address_space *mapping;
};

int novamm_uapi_init(struct novamm_device *ndev);
void novamm_uapi_fini(struct novamm_device *ndev);

struct novamm_uapi_file *novamm_uapi_open(struct novamm_uapi *u,
					  struct address_space *mapping);
void novamm_uapi_release(struct novamm_uapi_file *f);
int novamm_uapi_info(struct novamm_uapi_file *f, struct novamm_info *info);
int novamm_uapi_alloc(struct novamm_uapi_file *f, struct novamm_alloc *args);
int novamm_uapi_free(struct novamm_uapi_file *f, const struct novamm_handle *args);
int novamm_uapi_map(struct novamm_uapi_file *f, struct novamm_map *args);
int novamm_uapi_unmap(struct novamm_uapi_file *f, const struct novamm_handle *args);
long novamm_uapi_ioctl_kernel(struct novamm_uapi_file *f, unsigned int cmd, void *args);

#endif /* _NOVAMM_UAPI_H_ */
