// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BAR1 self-test: written through BAR1, read back through PRAMIN.
 */

/**
 * DOC: Self-test
 *
 * The BAR1 self-test allocates 2 MiB + 64 KiB + 4 KiB (one page of each
 * size), maps it, writes a pattern through BAR1, reads every word back
 * through PRAMIN at its VRAM address, unmaps, and where faults can be seen
 * (a simulated GPU) checks that a read at the old offset faults exactly
 * once, at that offset. A word that does not read back fails it with
 * ``-EIO`` and a message naming the VRAM address and the BAR1 offset; the
 * simulated GPU's bad-VRAM injection shows each self-test failing so
 * (:doc:`sim`). What the read at the old offset returned is not printed:
 * the offset is no longer the test's. The allocator ends as it began, but
 * for the table pool's first chunk, which an address space keeps once
 * grown.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <novamm/bar1.h>
#include <novamm/compat.h>
#include <novamm/hw.h>
#include <novamm/vmm.h>

/* The self-test's allocation: one 2 MiB, one 64 KiB and one 4 KiB page. */
#define NOVAMM_BAR1_SELFTEST_SIZE	(SZ_2M + SZ_64K + SZ_4K)

static u32 bar1_pattern(u64 offset)
{
	/* Differs in every word and in every byte of a word. */
	return lower_32_bits(offset) * 0x9e3779b1u ^ 0xa5c3f00du;
}

/*
 * Read every block of @vram through PRAMIN into @buf, in mapping order,
 * and compare with the pattern.
 */
static int bar1_selftest_check(struct novamm_bar1 *bar1, struct novamm_vram *vram,
			       u32 *buf)
{
	struct novamm_vram_cursor cur = {};
	u64 at = 0, i;
	int ret = 0;

	while (!ret && novamm_vram_next_block(vram, &cur)) {
		/* What a short read leaves must not pass for the pattern. */
		memset(buf + at / 4, 0, cur.size);
		ret = novamm_pramin_read(&bar1->mm->pramin, cur.offset, buf + at / 4, cur.size);
		for (i = at / 4; !ret && i < (at + cur.size) / 4; i++) {
			if (buf[i] == bar1_pattern(i * 4))
				continue;
			dev_err(bar1->hw->dev, "BAR1 self-test: VRAM 0x%llx (BAR1 +0x%llx) holds 0x%08x, wrote 0x%08x\n",
				cur.offset + i * 4 - at, i * 4, buf[i], bar1_pattern(i * 4));
			ret = -EIO;
		}
		at += cur.size;
	}
	return ret;
}

/*
 * After the unmap, a read at the old offset must fault: where faults can
 * be seen (a simulated GPU), exactly one more, at that offset.
 */
static int bar1_selftest_fault(struct novamm_bar1 *bar1, u64 offset)
{
	u64 before, after, last;
	u32 val;
	int ret;

	ret = novamm_hw_bar1_faults(bar1->hw, &before, &last);
	if (ret == -EOPNOTSUPP)
		return 0;
	ret = novamm_hw_bar1_read(bar1->hw, offset, &val, sizeof(val));
	if (ret)
		return ret;
	novamm_hw_bar1_faults(bar1->hw, &after, &last);
	/* What the read returned is not printed: the offset is no longer ours. */
	if (after != before + 1 || last != offset) {
		dev_err(bar1->hw->dev, "BAR1 self-test: read at unmapped 0x%llx gave %llu faults (last at 0x%llx), expected one there\n",
			offset, after - before, last);
		return -EIO;
	}
	return 0;
}

/**
 * novamm_bar1_selftest() - write through BAR1, read back through PRAMIN
 * @bar1: BAR1 of the device, with no mapping in BAR1 (novamm_bar1_exclude())
 *
 * See "Self-test" above. The test's VRAM needs no clearing: every byte is
 * written through the mapping before anything reads it, and nothing else
 * can map BAR1 meanwhile.
 *
 * Context: takes bar1->lock, the address space's and the PRAMIN lock in turn;
 * may sleep.
 *
 * Return: 0, -EIO on a mismatch (logged), or the error of the step that
 * failed; -ETIMEDOUT when the unmap did not complete, the mapping then
 * left to removal with its VRAM.
 */
int novamm_bar1_selftest(struct novamm_bar1 *bar1)
{
	struct novamm_bar1_mapping *map;
	struct novamm_vram *vram;
	u64 offset, i;
	u32 *buf;
	int ret;

	buf = vmalloc(NOVAMM_BAR1_SELFTEST_SIZE);
	if (!buf)
		return -ENOMEM;
	vram = novamm_vram_alloc(&bar1->mm->buddy, NOVAMM_BAR1_SELFTEST_SIZE, 0, NULL);
	if (IS_ERR(vram)) {
		ret = PTR_ERR(vram);
		goto out_buf;
	}
	/*
	 * Every byte is written through the mapping before anything reads it,
	 * and nothing else can map BAR1 meanwhile: nothing to clear first.
	 */
	novamm_vram_set_written(vram);
	map = novamm_bar1_map(bar1, vram, 0);
	if (IS_ERR(map)) {
		ret = PTR_ERR(map);
		goto out_vram;
	}
	for (i = 0; i < NOVAMM_BAR1_SELFTEST_SIZE / 4; i++)
		buf[i] = bar1_pattern(i * 4);
	ret = novamm_bar1_write(bar1, map, 0, buf, NOVAMM_BAR1_SELFTEST_SIZE);
	if (!ret)
		ret = bar1_selftest_check(bar1, vram, buf);
	offset = map->offset;
	if (!ret)
		dev_info(bar1->hw->dev, "BAR1 self-test: %u bytes written through BAR1 0x%llx-0x%llx read back through PRAMIN from VRAM 0x%llx (first word 0x%08x, last 0x%08x)\n",
			 NOVAMM_BAR1_SELFTEST_SIZE, offset,
			 offset + NOVAMM_BAR1_SELFTEST_SIZE - 1, novamm_vram_start(vram),
			 buf[0], buf[NOVAMM_BAR1_SELFTEST_SIZE / 4 - 1]);
	if (novamm_bar1_unmap(bar1, map)) {
		/* Still mapped: removal releases it, the VRAM goes with it. */
		mutex_lock(&bar1->lock);
		map->owned_vram = true;
		mutex_unlock(&bar1->lock);
		ret = ret ?: -ETIMEDOUT;
		goto out_buf;
	}
	if (!ret)
		ret = bar1_selftest_fault(bar1, offset);
out_vram:
	novamm_vram_free(vram);
out_buf:
	vfree(buf);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_bar1_selftest);
