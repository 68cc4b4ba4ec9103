// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/novamm<N>: VRAM allocation and BAR1 mappings for userspace.
 */

/**
 * DOC: Locking
 *
 * One mutex per device, ``uapi->lock``, guards the handle table, every
 * handle and whether the device is still there. It is taken outside the
 * BAR1 and allocator locks (uapi -> bar1 -> vmm, uapi -> buddy) and
 * inside ``mmap_lock`` (mmap and the fault handler run under it), so no
 * user copy happens while it is held: ioctl arguments are copied in
 * before the call and out after it.
 */

/**
 * DOC: mmap
 *
 * ``mmap(NULL, len, prot, MAP_SHARED, fd, mmap_offset + off)`` maps
 * ``[off, off + len)`` of a mapped allocation. The mmap offset is today the
 * BAR1 offset, unique while mapped and small enough for a 32-bit
 * ``mmap2()``; clients use the field, not that fact. Private mappings
 * (they would copy on write, and vmf_insert_pfn() refuses them), ranges
 * that leave one of the file's mapped allocations, and (on kernels with
 * pages larger than 4 KiB) BAR1 mappings whose ends are not page aligned,
 * which would show their neighbours, are refused with ``-EINVAL``; a
 * writable mapping of a read-only one with ``-EPERM``.
 *
 * Pages are inserted at fault time, under the device's lock, so that a
 * fault is ordered against the zap in UNMAP and FREE. A fault inserts the
 * whole 2 MiB-aligned block of VA around the page it is for, within the
 * VMA and the allocation, so a first touch end to end takes one fault per
 * 2 MiB (``novamm-ctl touch`` counts them); mmap places a mapping where
 * its VA agrees with its offset modulo 2 MiB, so that it spans no more
 * blocks than it must. Where the kernel offers a VM_PFNMAP mapping 2 MiB
 * page-table entries (6.12 on, with transparent huge pages), a block
 * that lies whole inside the VMA and the allocation, and whose pages are
 * one contiguous, 2 MiB-aligned run, takes one entry instead of 512: on a
 * PCI GPU, where the block's BAR1 offset is 2 MiB aligned; on a simulated
 * GPU, where its VRAM is and the sim backs it in 2 MiB pieces
 * (``vram_huge``). Such an entry is zapped like a page. 1 GiB entries are
 * not taken: a sim could show one only from a gigabyte of contiguous host
 * memory, so they would go untested. The pages are, on a PCI GPU, BAR1's
 * physical pages, write-combined as gdrcopy maps them; on a simulated GPU
 * the host page that the sim's MMU translates the BAR1 offset to, through
 * its TLB, so userspace sees exactly what the page tables say (a
 * translation that faults is logged by the sim and is a ``SIGBUS``).
 * Only a real BAR1 is write-combined: the sim's pages are ordinary RAM
 * that the kernel maps cacheable, and an uncached alias of RAM is what
 * arm64 forbids (novamm_uapi_page_prot()). Remapping the whole range with
 * ``io_remap_pfn_range()`` at mmap time would fill page tables before the
 * VMA is linked into the file's address space, where an UNMAP racing with
 * the mmap could not zap them, and the BAR1 range could then be mapped to
 * another file's VRAM. A fault finds the allocation by the handle the VMA
 * keeps, in one lookup whatever the file holds, and re-checks that it is
 * still mapped, still the file's, still holds the offset, and is not
 * remapped read-only under a writable VMA. Either way the CPU mappings
 * are zapped before the BAR1 range is unmapped or handed to someone else.
 */

/**
 * DOC: What a file can learn of another's
 *
 * Nothing a file can name or read is another file's. Handles are checked
 * on every call (see "Ownership"). VRAM is shared: the allocator hands a
 * file what another file, a page-table chunk or a self-test left behind. A
 * file can read VRAM only through MAP and mmap, and MAP maps it through
 * novamm_bar1_map(), which zeroes every block the allocator does not know
 * to be zero before the offset is returned: through the new BAR1 mapping,
 * or, for a read-only MAP, through a mapping of its own or PRAMIN first
 * (:doc:`bar1`); until then the file has only a handle. So whatever
 * another file wrote and freed, or closed on, reads as zero, as does VRAM
 * nothing has written since power-on. What a file can learn is what
 * ``NOVAMM_IOCTL_INFO`` tells everyone: how much VRAM and BAR1 is free,
 * and so roughly how much the others hold, and that an allocation failed
 * for lack of room.
 *
 * An allocation never mapped writable goes back with its zero blocks known
 * zero, so the next ALLOC of them needs no clearing; one that was mapped
 * writable goes back dirty. The cost of clearing is paid at the first MAP;
 * a writable one clears through the mapping it makes anyway: BAR1 writes
 * of the dirty blocks' size, no extra page-table work. ``novamm-ctl scan``
 * checks it from userspace.
 */

/**
 * DOC: Ownership
 *
 * Handles are numbered per device, and every call checks that the handle
 * belongs to the calling file: another file's handle is ``-ENOENT`` for
 * FREE, MAP and UNMAP and ``-EINVAL`` for mmap, whether or not it exists,
 * so a file learns nothing of another's. A CPU mapping holds its file, so
 * the file is released only once it is unmapped; release then unmaps and
 * frees everything the file still has (an allocation whose unmap does not
 * complete is left to the device's removal). Removing the GPU while files are
 * open takes the lock, zaps their CPU mappings, frees their BAR1 mappings
 * and VRAM, and leaves them with ``-ENODEV`` (and ``SIGBUS`` on a touch
 * of a zapped mapping).
 */

/**
 * DOC: dma-buf export
 *
 * ``NOVAMM_IOCTL_EXPORT`` hands an allocation to other devices and drivers
 * as a dma-buf (novamm_bar1_export(), :doc:`dmabuf`). The allocation stays
 * its file's: the handle names it, the file's CPU mappings of it keep
 * working, and the dma-buf only shows it. What happens next depends on who
 * lets go first:
 *
 * - FREE revokes the dma-buf: importers are told, every mapping of it is
 *   refused from then on and its CPU mappings (the dma-buf's own mmap,
 *   the file's) are zapped. The handle goes at once; the VRAM and its
 *   BAR1 mapping stay until the dma-buf is released, because an importer
 *   that mapped it before may reach it until it unmaps.
 * - Closing the file revokes nothing: a dma-buf passed to another process
 *   or driver outlives the process that made it, and takes the VRAM with
 *   it when it goes. It no longer counts against the closed file's quota.
 * - Releasing the dma-buf (its last fd closed, its last importer
 *   detached) leaves the allocation as it was before EXPORT: a mapping
 *   EXPORT made for it is unmapped again.
 * - Removing the device revokes every dma-buf and frees the VRAM with the
 *   device; each dma-buf then waits, empty, for its release.
 *
 * While a dma-buf of it exists, an allocation cannot be unmapped
 * (``-EBUSY``) or exported again (``-EBUSY``).
 */

/**
 * DOC: Quotas
 *
 * The 65535 handles of a device (``NOVAMM_UAPI_MAX_HANDLE``) are shared by
 * all its files, and so is its VRAM. So that one file cannot leave the
 * others nothing, each file may hold at most ``file_max_handles``
 * allocations (default 4096, 1 to 65535: it takes sixteen files to
 * exhaust the handles) and ``file_max_vram_percent`` of the usable VRAM
 * (default 50, 1 to 100); ALLOC past either is ``-EDQUOT``, with a
 * ``dev_dbg`` line giving both counts. A request larger than all usable
 * VRAM is ``-ENOSPC`` as before: it could never fit. The parameters are
 * writable in ``/sys/module/novamm/parameters/`` and apply to later
 * ALLOCs; FREE and close give the quota back.
 */

/**
 * DOC: Results that cannot be delivered
 *
 * An ioctl's result is copied out after it ran. When that copy fails
 * (``-EFAULT``: the caller passed memory it cannot write), a successful
 * ALLOC is freed and a successful MAP unmapped before the error returns:
 * the caller never learnt the handle or the offset, so nothing it cannot
 * name outlives the call. A MAP whose undo cannot invalidate BAR1's TLB
 * stays mapped, as after a failed UNMAP, and goes when the file closes
 * (or, if it cannot go then either, at the device's removal).
 */
#include <linux/device.h>
#include <linux/dma-buf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <novamm/bar1.h>
#include <novamm/buddy.h>
#include <novamm/compat.h>
#include <novamm/chip.h>
#include <novamm/hw.h>
#include <novamm/uapi.h>

static DEFINE_IDA(novamm_uapi_ida);

static int uapi_set_handles(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, NOVAMM_UAPI_MAX_HANDLE);
}

static int uapi_set_percent(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 100);
}

static const struct kernel_param_ops uapi_handles_ops = {
	.set = uapi_set_handles,
	.get = param_get_uint,
};

static const struct kernel_param_ops uapi_percent_ops = {
	.set = uapi_set_percent,
	.get = param_get_uint,
};

/*
 * The NOVAMM_UAPI_MAX_HANDLE handles of a device are shared by its files:
 * at 4096 a file, it takes sixteen to exhaust them.
 */
static unsigned int file_max_handles = 4096;
module_param_cb(file_max_handles, &uapi_handles_ops, &file_max_handles, 0644);
MODULE_PARM_DESC(file_max_handles,
		 "Allocations one open /dev/novamm<N> may hold, 1 to 65535 (default: 4096)");

/* Half: one file cannot leave the others nothing. */
static unsigned int file_max_vram_percent = 50;
module_param_cb(file_max_vram_percent, &uapi_percent_ops, &file_max_vram_percent, 0644);
MODULE_PARM_DESC(file_max_vram_percent,
		 "Share of usable VRAM one open /dev/novamm<N> may hold, 1 to 100 (default: 50)");

/**
 * novamm_uapi_file_max_handles() - the per-file handle quota
 *
 * Return: file_max_handles, read once.
 */
unsigned int novamm_uapi_file_max_handles(void)
{
	return READ_ONCE(file_max_handles);
}
EXPORT_SYMBOL_GPL(novamm_uapi_file_max_handles);

/**
 * novamm_uapi_file_max_vram() - the per-file VRAM quota of a device
 * @u: the device's character device
 *
 * Return: bytes, file_max_vram_percent of its usable VRAM, to 4 KiB.
 */
u64 novamm_uapi_file_max_vram(struct novamm_uapi *u)
{
	/* No overflow: VRAM is far below 2^57 bytes. */
	return round_down(div_u64(u->gpu.buddy->usable * READ_ONCE(file_max_vram_percent),
				  100), SZ_4K);
}
EXPORT_SYMBOL_GPL(novamm_uapi_file_max_vram);

/**
 * struct novamm_uapi_buf - one allocation made through the device
 * @owner: the file that made it; NULL once that file is closed while the
 *	allocation could not be unmapped (left to the device's removal)
 * @vram: the VRAM
 * @map: its BAR1 mapping, or NULL
 * @handle: its number
 * @written: it was ever mapped writable: its VRAM goes back dirty
 * @u: the device, for the dma-buf's release
 * @dmabuf: its dma-buf while one exists (NOVAMM_IOCTL_EXPORT), or NULL
 * @export_mapped: EXPORT mapped it, and the dma-buf's release unmaps it
 * @orphan: on uapi->orphans once no handle names it while @dmabuf exists
 */
struct novamm_uapi_buf {
	struct novamm_uapi_file *owner;
	struct novamm_vram *vram;
	struct novamm_bar1_mapping *map;
	u32 handle;
	bool written;
	struct novamm_uapi *u;
	struct dma_buf *dmabuf;
	bool export_mapped;
	struct list_head orphan;
};

static struct device *uapi_dev(struct novamm_uapi *u)
{
	return u->gpu.hw->dev;
}

static void uapi_free_struct(struct kref *ref)
{
	struct novamm_uapi *u = container_of(ref, struct novamm_uapi, ref);

	ida_free(&novamm_uapi_ida, u->index);
	xa_destroy(&u->handles);
	mutex_destroy(&u->lock);
	kfree(u);
}

/* A buffer of @f's, or NULL: another file's is as good as none. */
static struct novamm_uapi_buf *uapi_buf(struct novamm_uapi_file *f, u32 handle)
{
	struct novamm_uapi_buf *buf = xa_load(&f->u->handles, handle);

	lockdep_assert_held(&f->u->lock);
	if (!buf || buf->owner != f) {
		dev_dbg(uapi_dev(f->u), "uapi: handle %u is not this file's\n", handle);
		return NULL;
	}
	return buf;
}

/* @buf is mapped and its BAR1 mapping holds [off, off + len). */
static bool uapi_buf_holds(const struct novamm_uapi_buf *buf, u64 off, u64 len)
{
	return buf->map && off >= buf->map->offset &&
	       off - buf->map->offset < buf->map->size &&
	       len <= buf->map->size - (off - buf->map->offset);
}

/*
 * The mapped buffer of @f that holds [off, off + len) of BAR1, or NULL.
 * An mmap offset is the BAR1 offset itself: unique while mapped, and
 * small enough for 32-bit mmap2().
 */
static struct novamm_uapi_buf *uapi_buf_at(struct novamm_uapi_file *f, u64 off, u64 len)
{
	struct novamm_uapi_buf *buf;
	unsigned long index;

	lockdep_assert_held(&f->u->lock);
	xa_for_each(&f->u->handles, index, buf) {
		if (buf->owner == f && uapi_buf_holds(buf, off, len))
			return buf;
	}
	return NULL;
}

/* Drop every CPU mapping its file has of @buf's BAR1 range. */
static void uapi_zap_buf(struct novamm_uapi_buf *buf)
{
	if (buf->owner && buf->owner->mapping)
		unmap_mapping_range(buf->owner->mapping, buf->map->offset, buf->map->size, 1);
}

/* Map @buf through BAR1, read-only if @ro. */
static int uapi_map_buf(struct novamm_uapi *u, struct novamm_uapi_buf *buf, bool ro)
{
	struct novamm_bar1_mapping *map;

	lockdep_assert_held(&u->lock);
	map = novamm_bar1_map(u->gpu.bar1, buf->vram, ro ? NOVAMM_BAR1_MAP_READ_ONLY : 0);
	if (IS_ERR(map))
		return PTR_ERR(map);
	buf->map = map;
	buf->written |= !ro;
	return 0;
}

/* Drop every CPU mapping of @buf's BAR1 range, then the BAR1 mapping. */
static int uapi_unmap_buf(struct novamm_uapi *u, struct novamm_uapi_buf *buf)
{
	int ret;

	lockdep_assert_held(&u->lock);
	uapi_zap_buf(buf);
	ret = novamm_bar1_unmap(u->gpu.bar1, buf->map);
	if (!ret)
		buf->map = NULL;
	return ret;
}

/* Unmap @buf and free its VRAM; on an unmap error both stay. */
static int uapi_put_vram(struct novamm_uapi *u, struct novamm_uapi_buf *buf)
{
	int ret;

	lockdep_assert_held(&u->lock);
	if (buf->map) {
		ret = uapi_unmap_buf(u, buf);
		if (ret)
			return ret;
	}
	if (buf->written)
		novamm_vram_free(buf->vram);
	else
		novamm_vram_free_unwritten(buf->vram);
	buf->vram = NULL;
	return 0;
}

/* No handle names @buf any more, and its file no longer pays for it. */
static void uapi_disown(struct novamm_uapi *u, struct novamm_uapi_buf *buf)
{
	if (buf->owner) {
		buf->owner->handles--;
		buf->owner->bytes -= buf->vram->size;
		buf->owner = NULL;
	}
	xa_erase(&u->handles, buf->handle);
}

/*
 * Unmap, free and forget @buf; on an unmap error it stays as it was. An
 * exported one loses its handle and its file's CPU mappings at once, and
 * (@revoke) its importers' access; the VRAM goes when the dma-buf does,
 * since an importer that mapped it may reach it until it unmaps.
 */
static int uapi_destroy_buf(struct novamm_uapi *u, struct novamm_uapi_buf *buf,
			    bool revoke)
{
	int ret;

	lockdep_assert_held(&u->lock);
	if (buf->dmabuf) {
		if (revoke)
			novamm_bar1_revoke(buf->dmabuf);
		uapi_zap_buf(buf);
		uapi_disown(u, buf);
		list_add(&buf->orphan, &u->orphans);
		return 0;
	}
	if (buf->map) {
		ret = uapi_unmap_buf(u, buf);
		if (ret)
			return ret;
	}
	uapi_disown(u, buf);
	uapi_put_vram(u, buf);
	kfree(buf);
	return 0;
}

/**
 * novamm_uapi_open() - a new file on the device
 * @u: the device's character device
 * @mapping: the file's address space, or NULL (KUnit)
 *
 * Context: takes uapi->lock; may sleep.
 *
 * Return: the file, or an error pointer: -ENODEV once the device is gone,
 * -EBUSY while a self-test runs, -ENOMEM.
 */
struct novamm_uapi_file *novamm_uapi_open(struct novamm_uapi *u,
					  struct address_space *mapping)
{
	struct novamm_uapi_file *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&u->lock);
	if (u->gone || u->exclusive) {
		ret = u->gone ? -ENODEV : -EBUSY;
		if (!u->gone)
			dev_dbg(uapi_dev(u), "uapi: open refused while a self-test runs\n");
		mutex_unlock(&u->lock);
		kfree(f);
		return ERR_PTR(ret);
	}
	kref_get(&u->ref);
	u->files++;
	mutex_unlock(&u->lock);
	f->u = u;
	f->mapping = mapping;
	return f;
}
EXPORT_SYMBOL_GPL(novamm_uapi_open);

/**
 * novamm_uapi_release() - the file is closed: free what it made
 * @f: the file; no CPU mapping of it is left (each holds the file)
 *
 * Context: takes uapi->lock, then BAR1's and the allocator's; may sleep.
 */
void novamm_uapi_release(struct novamm_uapi_file *f)
{
	struct novamm_uapi *u = f->u;
	struct novamm_uapi_buf *buf;
	unsigned long index;

	mutex_lock(&u->lock);
	xa_for_each(&u->handles, index, buf) {
		if (buf->owner != f)
			continue;
		/* A dma-buf passed on outlives its exporter's file. */
		if (uapi_destroy_buf(u, buf, false))
			/* Still mapped: the device's removal frees it. */
			buf->owner = NULL;
	}
	u->files--;
	mutex_unlock(&u->lock);
	kref_put(&u->ref, uapi_free_struct);
	kfree(f);
}
EXPORT_SYMBOL_GPL(novamm_uapi_release);

/**
 * novamm_uapi_info() - NOVAMM_IOCTL_INFO
 * @f: the file
 * @info: filled
 *
 * Context: takes uapi->lock, then the allocator's and the address space's;
 * may sleep.
 *
 * Return: 0, or -ENODEV once the device is gone.
 */
int novamm_uapi_info(struct novamm_uapi_file *f, struct novamm_info *info)
{
	struct novamm_uapi *u = f->u;
	const struct novamm_uapi_gpu *gpu = &u->gpu;
	struct novamm_vram_stats st;

	memset(info, 0, sizeof(*info));
	mutex_lock(&u->lock);
	if (u->gone) {
		mutex_unlock(&u->lock);
		return -ENODEV;
	}
	novamm_vram_stats(gpu->buddy, &st);
	info->version = NOVAMM_UAPI_VERSION;
	info->chip_id = gpu->chip->id;
	strscpy(info->chip, gpu->chip->name, sizeof(info->chip));
	info->mmu_version = novamm_chip_mmu_version(gpu->chip->arch);
	info->vram_size = gpu->vram_size;
	info->vram_free = st.free;
	info->bar1_size = gpu->bar1->size;
	info->bar1_free = novamm_bar1_room(gpu->bar1);
	mutex_unlock(&u->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_uapi_info);

/**
 * novamm_uapi_alloc() - NOVAMM_IOCTL_ALLOC
 * @f: the file
 * @args: size and flags in, handle out
 *
 * Context: takes uapi->lock, then the allocator's; may sleep.
 *
 * Return: 0; -EINVAL for a size that is 0 or not a multiple of 4 KiB, or
 * unknown flags; -ENOSPC when the VRAM is not there; -EDQUOT past the
 * file's quota of handles or of VRAM; -ENOMEM; -ENODEV.
 */
int novamm_uapi_alloc(struct novamm_uapi_file *f, struct novamm_alloc *args)
{
	struct novamm_uapi *u = f->u;
	struct novamm_uapi_buf *buf;
	unsigned long vflags = 0;
	u64 quota;
	int ret;

	if (args->flags & ~NOVAMM_ALLOC_CONTIGUOUS || !args->size ||
	    !IS_ALIGNED(args->size, SZ_4K))
		return -EINVAL;
	if (args->flags & NOVAMM_ALLOC_CONTIGUOUS)
		vflags |= NOVAMM_VRAM_CONTIGUOUS;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	mutex_lock(&u->lock);
	if (u->gone) {
		ret = -ENODEV;
		goto err;
	}
	/* More than there is fails as ever; only what could fit counts against the quota. */
	quota = novamm_uapi_file_max_vram(u);
	if (args->size <= u->gpu.buddy->usable &&
	    (f->handles >= novamm_uapi_file_max_handles() ||
	     args->size > quota || f->bytes > quota - args->size)) {
		dev_dbg(uapi_dev(u), "uapi: allocation of %llu bytes past the file's quota (%u of %u handles, %llu of %llu bytes)\n",
			args->size, f->handles, novamm_uapi_file_max_handles(), f->bytes,
			quota);
		ret = -EDQUOT;
		goto err;
	}
	/* buf's own point: its device is known only under the lock. */
	if (novamm_should_fail(u->gpu.hw)) {
		ret = -ENOMEM;
		goto err;
	}
	buf->owner = f;
	buf->u = u;
	INIT_LIST_HEAD(&buf->orphan);
	buf->vram = novamm_vram_alloc(u->gpu.buddy, args->size, vflags, NULL);
	if (IS_ERR(buf->vram)) {
		ret = PTR_ERR(buf->vram);
		goto err;
	}
	ret = novamm_should_fail(u->gpu.hw) ? -ENOMEM :
	      xa_alloc(&u->handles, &buf->handle, buf,
		       XA_LIMIT(1, NOVAMM_UAPI_MAX_HANDLE), GFP_KERNEL);
	if (ret) {
		novamm_vram_free(buf->vram);
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto err;
	}
	f->handles++;
	f->bytes += args->size;
	args->handle = buf->handle;
	mutex_unlock(&u->lock);
	return 0;

err:
	if (!u->gone)
		dev_dbg(uapi_dev(u), "uapi: allocation of %llu bytes: %d\n", args->size, ret);
	mutex_unlock(&u->lock);
	kfree(buf);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_uapi_alloc);

/* FREE and UNMAP: the same checks, then the allocation goes or its mapping. */
static int uapi_handle_call(struct novamm_uapi_file *f, const struct novamm_handle *args,
			    bool free)
{
	struct novamm_uapi *u = f->u;
	struct novamm_uapi_buf *buf;
	int ret;

	if (args->pad)
		return -EINVAL;
	mutex_lock(&u->lock);
	buf = u->gone ? NULL : uapi_buf(f, args->handle);
	if (u->gone)
		ret = -ENODEV;
	else if (!buf)
		ret = -ENOENT;
	else if (free)
		ret = uapi_destroy_buf(u, buf, true);
	else if (!buf->map)
		ret = -EINVAL;
	else if (buf->dmabuf)
		ret = -EBUSY;
	else
		ret = uapi_unmap_buf(u, buf);
	mutex_unlock(&u->lock);
	return ret;
}

/**
 * novamm_uapi_free() - NOVAMM_IOCTL_FREE
 * @f: the file
 * @args: the handle; the padding must be zero
 *
 * A mapped allocation is unmapped first, its CPU mappings zapped.
 *
 * Context: takes uapi->lock, then BAR1's and the allocator's; may sleep.
 *
 * Return: 0; -EINVAL for non-zero padding; -ENOENT for a handle that is
 * not this file's; -ETIMEDOUT when the unmap's invalidate did not
 * complete (nothing freed); -ENODEV. An exported allocation is revoked
 * and goes at once from the file; its VRAM when its dma-buf does.
 */
int novamm_uapi_free(struct novamm_uapi_file *f, const struct novamm_handle *args)
{
	return uapi_handle_call(f, args, true);
}
EXPORT_SYMBOL_GPL(novamm_uapi_free);

/**
 * novamm_uapi_map() - NOVAMM_IOCTL_MAP
 * @f: the file
 * @args: handle and flags in; BAR1 offset, size and mmap offset out
 *
 * Context: takes uapi->lock, then BAR1's; may sleep.
 *
 * Return: 0; -EINVAL for unknown flags; -ENOENT for a handle that is not
 * this file's; -EBUSY when it is mapped already; -ENOSPC when BAR1 is
 * full; -ENOMEM, -ETIMEDOUT, -ENODEV.
 */
int novamm_uapi_map(struct novamm_uapi_file *f, struct novamm_map *args)
{
	struct novamm_uapi *u = f->u;
	struct novamm_uapi_buf *buf;
	int ret = 0;

	if (args->flags & ~NOVAMM_MAP_READ_ONLY)
		return -EINVAL;
	mutex_lock(&u->lock);
	buf = u->gone ? NULL : uapi_buf(f, args->handle);
	if (u->gone) {
		ret = -ENODEV;
	} else if (!buf) {
		ret = -ENOENT;
	} else if (buf->map) {
		ret = -EBUSY;
	} else {
		ret = uapi_map_buf(u, buf, args->flags & NOVAMM_MAP_READ_ONLY);
		if (!ret) {
			args->bar1_offset = buf->map->offset;
			args->size = buf->map->size;
			args->mmap_offset = buf->map->offset;
		}
	}
	mutex_unlock(&u->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_uapi_map);

/**
 * novamm_uapi_unmap() - NOVAMM_IOCTL_UNMAP
 * @f: the file
 * @args: the handle; the padding must be zero
 *
 * CPU mappings of it are zapped first; touching them afterwards is a
 * SIGBUS.
 *
 * Context: takes uapi->lock, then BAR1's; may sleep.
 *
 * Return: 0; -EINVAL for non-zero padding or an allocation that is not
 * mapped; -ENOENT for a handle that is not this file's; -EBUSY while it
 * is exported; -ETIMEDOUT (still mapped); -ENODEV.
 */
int novamm_uapi_unmap(struct novamm_uapi_file *f, const struct novamm_handle *args)
{
	return uapi_handle_call(f, args, false);
}
EXPORT_SYMBOL_GPL(novamm_uapi_unmap);

/*
 * The dma-buf of @data is released: no importer can reach its mapping.
 * An orphan goes now; otherwise a mapping EXPORT made goes, and the
 * allocation is as it was before. An unmap that cannot complete leaves
 * it to the device's removal, or to its owner.
 */
static void uapi_export_release(void *data)
{
	struct novamm_uapi_buf *buf = data;
	struct novamm_uapi *u = buf->u;

	mutex_lock(&u->lock);
	buf->dmabuf = NULL;
	if (u->gone) {
		/* Removal freed the VRAM and left this to us. */
		list_del(&buf->orphan);
		kfree(buf);
	} else if (!list_empty(&buf->orphan)) {
		if (!uapi_put_vram(u, buf)) {
			list_del(&buf->orphan);
			kfree(buf);
		}
	} else if (buf->export_mapped && !uapi_unmap_buf(u, buf)) {
		buf->export_mapped = false;
	}
	mutex_unlock(&u->lock);
	kref_put(&u->ref, uapi_free_struct);
}

/**
 * novamm_uapi_export() - NOVAMM_IOCTL_EXPORT, up to the dma-buf
 * @f: the file
 * @args: handle and flags in; the fd is the caller's to make
 *
 * An allocation not mapped yet is mapped for the export, read-only for a
 * read-only one, and unmapped when the dma-buf is released.
 *
 * Context: takes uapi->lock, then BAR1's; may sleep.
 *
 * Return: the dma-buf, one reference the caller's, or an error pointer:
 * -EINVAL for unknown flags or non-zero padding; -ENOENT for a handle
 * that is not this file's; -EBUSY while a dma-buf of it exists; -EPERM
 * for a writable export of a read-only mapping; novamm_uapi_map()'s
 * errors; -ENOMEM, -ENODEV.
 */
struct dma_buf *novamm_uapi_export(struct novamm_uapi_file *f, const struct novamm_export *args)
{
	bool ro = args->flags & NOVAMM_EXPORT_READ_ONLY;
	struct novamm_uapi *u = f->u;
	struct novamm_uapi_buf *buf;
	struct dma_buf *dmabuf;
	int ret;

	/* Not dev_dbg(): the device may be gone, and uapi->lock is not held. */
	if (args->flags & ~(NOVAMM_EXPORT_CLOEXEC | NOVAMM_EXPORT_READ_ONLY) || args->pad) {
		pr_debug("novamm: uapi: export: unknown flags 0x%x or padding\n", args->flags);
		return ERR_PTR(-EINVAL);
	}
	mutex_lock(&u->lock);
	buf = u->gone ? NULL : uapi_buf(f, args->handle);
	if (u->gone) {
		dmabuf = ERR_PTR(-ENODEV);
		goto out;
	}
	if (!buf) {
		dmabuf = ERR_PTR(-ENOENT);
		goto out;
	}
	if (buf->dmabuf) {
		dev_dbg(uapi_dev(u), "uapi: handle %u is exported already\n", args->handle);
		dmabuf = ERR_PTR(-EBUSY);
		goto out;
	}
	if (!buf->map) {
		ret = uapi_map_buf(u, buf, ro);
		if (ret) {
			dmabuf = ERR_PTR(ret);
			goto out;
		}
		buf->export_mapped = true;
	}
	dmabuf = novamm_bar1_export(u->gpu.bar1, buf->map, ro ? NOVAMM_BAR1_EXPORT_READ_ONLY : 0,
				    uapi_export_release, buf);
	if (IS_ERR(dmabuf)) {
		dev_dbg(uapi_dev(u), "uapi: export of handle %u: %ld\n", args->handle,
			PTR_ERR(dmabuf));
		if (buf->export_mapped && !uapi_unmap_buf(u, buf))
			buf->export_mapped = false;
		goto out;
	}
	buf->dmabuf = dmabuf;
	kref_get(&u->ref);
out:
	mutex_unlock(&u->lock);
	return dmabuf;
}
EXPORT_SYMBOL_GPL(novamm_uapi_export);

/**
 * novamm_uapi_ioctl_kernel() - dispatch an ioctl whose argument is copied in
 * @f: the file
 * @cmd: NOVAMM_IOCTL_*
 * @args: its struct, in kernel memory
 *
 * Context: as the call; the caller holds no lock of the device's.
 *
 * Return: as the call, -ENOTTY for an unknown @cmd and for EXPORT, whose
 * result is a dma-buf (novamm_uapi_export()).
 */
long novamm_uapi_ioctl_kernel(struct novamm_uapi_file *f, unsigned int cmd, void *args)
{
	switch (cmd) {
	case NOVAMM_IOCTL_INFO:
		return novamm_uapi_info(f, args);
	case NOVAMM_IOCTL_ALLOC:
		return novamm_uapi_alloc(f, args);
	case NOVAMM_IOCTL_FREE:
		return novamm_uapi_free(f, args);
	case NOVAMM_IOCTL_MAP:
		return novamm_uapi_map(f, args);
	case NOVAMM_IOCTL_UNMAP:
		return novamm_uapi_unmap(f, args);
	default:
		return -ENOTTY;
	}
}
EXPORT_SYMBOL_GPL(novamm_uapi_ioctl_kernel);

/* What a successful @cmd made, undone: its result never reached the caller. */
static void uapi_undo(struct novamm_uapi_file *f, unsigned int cmd, void *args)
{
	struct novamm_handle h = {};
	int ret = 0;

	switch (cmd) {
	case NOVAMM_IOCTL_ALLOC:
		h.handle = ((struct novamm_alloc *)args)->handle;
		ret = novamm_uapi_free(f, &h);
		break;
	case NOVAMM_IOCTL_MAP:
		h.handle = ((struct novamm_map *)args)->handle;
		ret = novamm_uapi_unmap(f, &h);
		break;
	}
	/* -ETIMEDOUT: still mapped, as after a failed UNMAP; closing retries. */
	if (ret)
		pr_debug("novamm: uapi: ioctl 0x%x not undone: %d\n", cmd, ret);
}

/**
 * novamm_uapi_call() - an ioctl whose argument is copied in, and its result out
 * @f: the file
 * @cmd: NOVAMM_IOCTL_*
 * @args: its struct, in kernel memory
 * @copy_out: copies the result to @dst, for the commands that return one
 * @dst: where the caller wants it
 *
 * A command that succeeded but whose result @copy_out cannot deliver is
 * undone (ALLOC freed, MAP unmapped): the caller never learnt of it.
 *
 * Context: as the call; @copy_out runs after uapi->lock is dropped, so it
 * may fault and take mmap_lock.
 *
 * Return: as the call; -EFAULT when the copy-out failed; -ENOTTY.
 */
long novamm_uapi_call(struct novamm_uapi_file *f, unsigned int cmd, void *args,
		      novamm_uapi_copy_out_t copy_out, void __user *dst)
{
	long ret = novamm_uapi_ioctl_kernel(f, cmd, args);

	if (ret || !(_IOC_DIR(cmd) & _IOC_READ) || !copy_out(dst, args, _IOC_SIZE(cmd)))
		return ret;
	uapi_undo(f, cmd, args);
	return -EFAULT;
}
EXPORT_SYMBOL_GPL(novamm_uapi_call);

static int uapi_copy_to_user(void __user *dst, const void *args, size_t size)
{
	return copy_to_user(dst, args, size) ? -EFAULT : 0;
}

/*
 * EXPORT: the fd is reserved, reported, and installed only once the
 * caller has it, so that a failed copy leaves no fd behind (the dma-buf
 * then goes, and with it what EXPORT mapped).
 */
static long uapi_ioctl_export(struct novamm_uapi_file *f, struct novamm_export __user *uarg)
{
	struct novamm_export args;
	struct dma_buf *dmabuf;
	int fd;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	dmabuf = novamm_uapi_export(f, &args);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	fd = get_unused_fd_flags(args.flags & NOVAMM_EXPORT_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		dma_buf_put(dmabuf);
		return fd;
	}
	args.fd = fd;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		put_unused_fd(fd);
		dma_buf_put(dmabuf);
		return -EFAULT;
	}
	fd_install(fd, dmabuf->file);
	return 0;
}

static long novamm_uapi_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	union {
		struct novamm_info info;
		struct novamm_alloc alloc;
		struct novamm_handle handle;
		struct novamm_map map;
	} args;
	unsigned int size = _IOC_SIZE(cmd);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NOVAMM_IOCTL_INFO:
	case NOVAMM_IOCTL_ALLOC:
	case NOVAMM_IOCTL_FREE:
	case NOVAMM_IOCTL_MAP:
	case NOVAMM_IOCTL_UNMAP:
		break;
	case NOVAMM_IOCTL_EXPORT:
		return uapi_ioctl_export(file->private_data, uarg);
	default:
		return -ENOTTY;
	}
	/* Copies happen outside uapi->lock: a fault here may take mmap_lock. */
	memset(&args, 0, sizeof(args));
	if (_IOC_DIR(cmd) & _IOC_WRITE && copy_from_user(&args, uarg, size))
		return -EFAULT;
	return novamm_uapi_call(file->private_data, cmd, &args, uapi_copy_to_user, uarg);
}

static int novamm_uapi_fop_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice here. */
	struct novamm_uapi *u = container_of(file->private_data, struct novamm_uapi, misc);
	struct novamm_uapi_file *f;

	f = novamm_uapi_open(u, file->f_mapping);
	if (IS_ERR(f))
		return PTR_ERR(f);
	file->private_data = f;
	return 0;
}

static int novamm_uapi_fop_release(struct inode *inode, struct file *file)
{
	novamm_uapi_release(file->private_data);
	return 0;
}

/*
 * Pages of BAR1, inserted at fault time under uapi->lock, so that they
 * are ordered against the zap in UNMAP and FREE: one 2 MiB entry where
 * the kernel offers it (@order) and BAR1 allows it, else the faulting
 * page and the rest of its 2 MiB block inside the VMA and the allocation
 * (novamm_bar1_fault_block()).
 */
static vm_fault_t novamm_uapi_fault_order(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct novamm_uapi_file *f = vma->vm_file->private_data;
	struct novamm_uapi *u = f->u;
	u64 off = (u64)vmf->pgoff << PAGE_SHIFT, map_off;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct novamm_uapi_buf *buf;

	mutex_lock(&u->lock);
	if (u->gone)
		goto out;
	/*
	 * The VMA names its allocation by handle: one lookup, whatever the
	 * file holds. Freed, unmapped, or mapped again elsewhere or
	 * read-only under a writable VMA: no.
	 */
	buf = uapi_buf(f, (uintptr_t)vma->vm_private_data);
	if (!buf || !uapi_buf_holds(buf, off, PAGE_SIZE) ||
	    (buf->map->flags & NOVAMM_BAR1_MAP_READ_ONLY && vma->vm_flags & VM_MAYWRITE))
		goto out;
	map_off = off - buf->map->offset;
	ret = novamm_bar1_fault_block(u->gpu.hw, vmf, order, off, map_off,
				      buf->map->size - map_off);
out:
	mutex_unlock(&u->lock);
	return ret;
}

static vm_fault_t novamm_uapi_fault(struct vm_fault *vmf)
{
	return novamm_uapi_fault_order(vmf, 0);
}

static const struct vm_operations_struct novamm_uapi_vm_ops = {
	.fault = novamm_uapi_fault,
#ifdef NOVAMM_HAVE_HUGE_PFNMAP
	.huge_fault = novamm_uapi_fault_order,
#endif
};

static int novamm_uapi_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct novamm_uapi_file *f = file->private_data;
	struct novamm_uapi *u = f->u;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	struct novamm_uapi_buf *buf;
	int ret = 0;

	mutex_lock(&u->lock);
	if (u->gone) {
		ret = -ENODEV;
		goto out;
	}
	buf = uapi_buf_at(f, off, len);
	/*
	 * A private mapping would copy on write (and vmf_insert_pfn() refuses
	 * it); a mapping whose ends are not page aligned would show its
	 * neighbours on kernels with pages larger than 4 KiB.
	 */
	if (!buf || novamm_vma_is_cow(vma) ||
	    !PAGE_ALIGNED(buf->map->offset) || !PAGE_ALIGNED(buf->map->size)) {
		dev_dbg(uapi_dev(u), "uapi: mmap of BAR1 [0x%llx, +0x%llx): not a shared mapping inside a mapped allocation of this file\n",
			off, len);
		ret = -EINVAL;
		goto out;
	}
	if (buf->map->flags & NOVAMM_BAR1_MAP_READ_ONLY) {
		if (vma->vm_flags & VM_WRITE) {
			ret = -EPERM;
			goto out;
		}
		novamm_vm_flags_clear(vma, VM_MAYWRITE);
	}
	novamm_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	/* The file is vm_file's: the VMA keeps the handle, and copies keep it. */
	vma->vm_private_data = (void *)(uintptr_t)buf->handle;
	vma->vm_ops = &novamm_uapi_vm_ops;
	/*
	 * Pages are inserted at fault time rather than remapped here: the VMA
	 * is not linked into the file's address space until this returns, so
	 * a remap now could not be zapped by an UNMAP that ran in between.
	 */
	vma->vm_page_prot = novamm_bar1_page_prot(u->gpu.hw, vma->vm_page_prot);
out:
	mutex_unlock(&u->lock);
	return ret;
}

static const struct file_operations novamm_uapi_fops = {
	.owner = THIS_MODULE,
	.open = novamm_uapi_fop_open,
	.release = novamm_uapi_fop_release,
	.unlocked_ioctl = novamm_uapi_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = novamm_uapi_mmap,
	/*
	 * A mapping of 2 MiB or more starts where its VA and its offset agree
	 * modulo 2 MiB, so that its 2 MiB blocks are the allocation's: one
	 * fault each (NULL, the default, without THP).
	 */
	.get_unmapped_area = thp_get_unmapped_area,
	.llseek = noop_llseek,
};

/**
 * novamm_uapi_exclude() - keep files away while a self-test runs
 * @u: the device's character device, or NULL before it exists
 *
 * Context: takes uapi->lock.
 *
 * Return: 0, and opening a file is refused with -EBUSY until
 * novamm_uapi_include(); -EBUSY when a file is open, or a dma-buf of a
 * closed one still holds VRAM (or another caller excludes them already).
 */
int novamm_uapi_exclude(struct novamm_uapi *u)
{
	int ret = 0;

	if (!u)
		return 0;
	mutex_lock(&u->lock);
	if (u->files || !list_empty(&u->orphans) || u->exclusive)
		ret = -EBUSY;
	else
		u->exclusive = true;
	mutex_unlock(&u->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_uapi_exclude);

/**
 * novamm_uapi_include() - undo novamm_uapi_exclude()
 * @u: the device's character device, or NULL
 *
 * Context: takes uapi->lock.
 */
void novamm_uapi_include(struct novamm_uapi *u)
{
	if (!u)
		return;
	mutex_lock(&u->lock);
	u->exclusive = false;
	mutex_unlock(&u->lock);
}
EXPORT_SYMBOL_IF_KUNIT(novamm_uapi_include);

/**
 * novamm_uapi_init() - create /dev/novamm<N> for a device
 * @gpu: what it serves, all of it up; copied, and used until
 *	novamm_uapi_fini()
 *
 * Context: probe, last step; may sleep.
 *
 * Return: the character device, or an error pointer: -ENOMEM, -ENOSPC (no
 * index left) or misc_register()'s error, with nothing left behind.
 */
struct novamm_uapi *novamm_uapi_init(const struct novamm_uapi_gpu *gpu)
{
	struct novamm_uapi *u;
	int ret;

	u = novamm_should_fail(gpu->hw) ? NULL : kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return ERR_PTR(-ENOMEM);
	u->index = novamm_should_fail(gpu->hw) ? -ENOMEM :
		   ida_alloc(&novamm_uapi_ida, GFP_KERNEL);
	if (u->index < 0) {
		ret = u->index;
		kfree(u);
		return ERR_PTR(ret);
	}
	kref_init(&u->ref);
	mutex_init(&u->lock);
	xa_init_flags(&u->handles, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&u->orphans);
	u->gpu = *gpu;
	snprintf(u->name, sizeof(u->name), "novamm%d", u->index);
	u->misc.minor = MISC_DYNAMIC_MINOR;
	u->misc.name = u->name;
	u->misc.fops = &novamm_uapi_fops;
	u->misc.parent = gpu->hw->dev;
	u->misc.mode = 0600;
	ret = novamm_should_fail(gpu->hw) ? -ENOMEM : misc_register(&u->misc);
	if (ret) {
		dev_err(gpu->hw->dev, "cannot register /dev/%s: %d\n", u->name, ret);
		kref_put(&u->ref, uapi_free_struct);
		return ERR_PTR(ret);
	}
	return u;
}

/**
 * novamm_uapi_fini() - remove /dev/novamm<N>, revoke what files hold
 * @u: the device's character device, going away with the device
 *
 * Files still open keep their struct file but lose everything: CPU
 * mappings are zapped (SIGBUS on touch), BAR1 mappings and allocations
 * freed, and every later call returns -ENODEV.
 *
 * Context: remove, first step; takes uapi->lock, then BAR1's and the
 * allocator's; may sleep.
 */
void novamm_uapi_fini(struct novamm_uapi *u)
{
	struct novamm_uapi_buf *buf, *next;
	unsigned long index;

	misc_deregister(&u->misc);
	mutex_lock(&u->lock);
	xa_for_each(&u->handles, index, buf) {
		/*
		 * A mapping whose unmap failed stays in BAR1 until BAR1's removal
		 * releases it; its VRAM then waits for the allocator's teardown,
		 * which reclaims it, rather than be handed out while mapped.
		 * An exported one joins the orphans.
		 */
		if (uapi_destroy_buf(u, buf, true)) {
			xa_erase(&u->handles, index);
			kfree(buf);
		}
	}
	/*
	 * Importers lose access now; their dma-bufs stay until released, and
	 * free what is left of each then. The device takes the VRAM with it.
	 */
	list_for_each_entry_safe(buf, next, &u->orphans, orphan) {
		if (buf->dmabuf)
			novamm_bar1_revoke(buf->dmabuf);
		uapi_put_vram(u, buf);
		buf->vram = NULL;
		buf->map = NULL;
		if (!buf->dmabuf) {
			list_del(&buf->orphan);
			kfree(buf);
		}
	}
	u->gone = true;
	mutex_unlock(&u->lock);
	kref_put(&u->ref, uapi_free_struct);
}
