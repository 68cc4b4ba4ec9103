// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU access to VRAM through a BAR1 mapping.
 */

/**
 * DOC: Copies through a mapping
 *
 * novamm_bar1_read(), novamm_bar1_write() and novamm_bar1_copy() are
 * bounded by the mapping (``-ERANGE``), and writes to a read-only mapping
 * are refused (``-EPERM``); novamm_bar1_fill() and
 * novamm_bar1_unmap_owned() are the same by BAR1 offset, for debugfs. On a
 * PCI GPU BAR1 is mapped write-combined at probe and written with
 * memcpy_toio() followed by a write barrier; on a simulated GPU the
 * accesses go through the sim's MMU and TLB and are logged when they
 * fault.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/bar1.h>
#include <novamm/hw.h>

#include "internal.h"

/* Copies through a bounce buffer of at most this. */
#define NOVAMM_BAR1_COPY_CHUNK		SZ_64K

static int bar1_range(struct novamm_bar1 *bar1,
		      const struct novamm_bar1_mapping *map, u64 offset, size_t len)
{
	if (IS_ERR_OR_NULL(map) || offset > map->size || len > map->size - offset) {
		dev_dbg(bar1->hw->dev, "BAR1 access [0x%llx, +0x%zx) outside the mapping\n",
			offset, len);
		return -ERANGE;
	}
	return 0;
}

/**
 * novamm_bar1_read() - copy from VRAM through a mapping
 * @bar1: BAR1 of the device
 * @map: the mapping, held by the caller until this returns
 * @offset: byte offset in the mapping
 * @buf: destination
 * @len: bytes
 *
 * Context: takes no lock of BAR1's (see "Locking" above); may sleep.
 *
 * Return: 0, or -ERANGE for a range outside the mapping or BAR1 (nothing
 * read).
 */
int novamm_bar1_read(struct novamm_bar1 *bar1,
		     const struct novamm_bar1_mapping *map, u64 offset,
		     void *buf, size_t len)
{
	int ret = bar1_range(bar1, map, offset, len);

	return ret ? ret : novamm_hw_bar1_read(bar1->hw, map->offset + offset, buf, len);
}
EXPORT_SYMBOL_GPL(novamm_bar1_read);

/**
 * novamm_bar1_write() - copy to VRAM through a mapping
 * @bar1: BAR1 of the device
 * @map: the mapping, held by the caller until this returns
 * @offset: byte offset in the mapping
 * @buf: source
 * @len: bytes
 *
 * Context: takes no lock of BAR1's (see "Locking" above); may sleep.
 *
 * Return: 0; -ERANGE for a range outside the mapping or BAR1, -EPERM for
 * a read-only mapping (nothing written).
 */
int novamm_bar1_write(struct novamm_bar1 *bar1,
		      const struct novamm_bar1_mapping *map, u64 offset,
		      const void *buf, size_t len)
{
	int ret = bar1_range(bar1, map, offset, len);

	if (ret)
		return ret;
	if (map->flags & NOVAMM_BAR1_MAP_READ_ONLY) {
		dev_dbg(bar1->hw->dev, "BAR1 write to read-only mapping 0x%llx\n",
			map->offset);
		return -EPERM;
	}
	return novamm_hw_bar1_write(bar1->hw, map->offset + offset, buf, len);
}
EXPORT_SYMBOL_GPL(novamm_bar1_write);

/**
 * novamm_bar1_copy() - copy between two mappings (or within one)
 * @bar1: BAR1 of the device
 * @dst: destination mapping
 * @dst_offset: byte offset in it
 * @src: source mapping
 * @src_offset: byte offset in it
 * @len: bytes; overlapping ranges copy as memmove() would
 *
 * Context: takes no lock of BAR1's (see "Locking" above); may sleep.
 *
 * Return: as novamm_bar1_read() and novamm_bar1_write(), checked before
 * anything is copied; -ENOMEM.
 */
int novamm_bar1_copy(struct novamm_bar1 *bar1,
		     const struct novamm_bar1_mapping *dst, u64 dst_offset,
		     const struct novamm_bar1_mapping *src, u64 src_offset,
		     size_t len)
{
	size_t chunk = min_t(size_t, len, NOVAMM_BAR1_COPY_CHUNK);
	bool backwards;
	size_t done, n;
	u64 s, d;
	void *buf;
	int ret;

	ret = bar1_range(bar1, src, src_offset, len) ?:
	      bar1_range(bar1, dst, dst_offset, len);
	if (ret)
		return ret;
	if (dst->flags & NOVAMM_BAR1_MAP_READ_ONLY)
		return -EPERM;
	if (!len)
		return 0;
	buf = kmalloc(chunk, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	s = src->offset + src_offset;
	d = dst->offset + dst_offset;
	/* Chunks from the end when the destination overlaps the source's tail. */
	backwards = d > s && d < s + len;
	for (done = 0; done < len && !ret; done += n) {
		u64 at;

		n = min_t(size_t, chunk, len - done);
		at = backwards ? len - done - n : done;
		ret = novamm_hw_bar1_read(bar1->hw, s + at, buf, n) ?:
		      novamm_hw_bar1_write(bar1->hw, d + at, buf, n);
	}
	kfree(buf);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_copy);

/**
 * novamm_bar1_fill() - fill a mapping with a 32-bit word, through BAR1
 * @bar1: BAR1 of the device
 * @offset: BAR1 offset where the mapping starts
 * @word: the value, written little-endian to every aligned word
 *
 * For callers that name mappings by offset (debugfs). bar1->lock is held
 * across the writes so the mapping cannot go meanwhile; other mappings
 * wait, which a debugging aid may do.
 *
 * Context: takes bar1->lock; may sleep.
 *
 * Return: 0; -ENOENT when no mapping starts at @offset; -EPERM for a
 * read-only one; -ENOMEM; -ERANGE as novamm_bar1_write().
 */
int novamm_bar1_fill(struct novamm_bar1 *bar1, u64 offset, u32 word)
{
	struct novamm_bar1_mapping *map;
	size_t i, n, chunk = NOVAMM_BAR1_COPY_CHUNK;
	__le32 *buf;
	u64 done;
	int ret;

	buf = kmalloc(chunk, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < chunk / 4; i++)
		buf[i] = cpu_to_le32(word);

	mutex_lock(&bar1->lock);
	map = novamm_bar1_at(bar1, offset);
	ret = map ? 0 : -ENOENT;
	for (done = 0; !ret && done < map->size; done += n) {
		n = min_t(u64, chunk, map->size - done);
		ret = novamm_bar1_write(bar1, map, done, buf, n);
	}
	mutex_unlock(&bar1->lock);
	kfree(buf);
	if (ret == -ENOENT)
		dev_dbg(bar1->hw->dev, "BAR1: no mapping at 0x%llx\n", offset);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_bar1_fill);
