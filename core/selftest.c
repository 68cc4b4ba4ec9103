// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-tests on the device itself, at probe or on demand through debugfs.
 */

/**
 * DOC: Locking
 *
 * ``novamm_selftest_lock`` runs the self-tests one at a time, across
 * devices, and is taken outside every lock the tests take (uapi, bar1,
 * buddy, the PRAMIN window's lock). The results it guards are read unlocked by
 * debugfs, which at worst shows a stale result.
 */

/**
 * DOC: Self-tests
 *
 * Three self-tests check one layer each against the hardware (or the
 * sim); the row of that layer in the probe table names its self-test
 * (&struct novamm_core_layer). They run in this order, and leave the
 * allocator as they found it (the BAR1 test but for the first chunk of
 * BAR1's table pool, which an address space keeps once grown):
 *
 * ``pramin``
 *     novamm_pramin_selftest() over 2 MiB of scratch VRAM, more than a
 *     window, so that the window has to move.
 * ``vram``
 *     novamm_vram_selftest(): the allocator, then every word of a fresh
 *     256 KiB allocation through PRAMIN, with a pattern and with its
 *     complement, so that a bit stuck at either value shows.
 * ``bar1``
 *     novamm_bar1_selftest(): written through BAR1, read back through
 *     PRAMIN (:doc:`bar1`).
 *
 * They run at probe with ``novamm.selftest=1``, before ``/dev/novamm<N>``
 * and debugfs appear, or when written to debugfs ``selftest``. Each
 * result is logged and kept for that file.
 *
 * They must not run beside clients: the VRAM test takes most of VRAM for
 * a moment, and the BAR1 test reads an offset it has just unmapped, which
 * a client's mapping could otherwise take; no self-test prints what it
 * reads at an offset it no longer owns. So a self-test is refused with
 * ``-EBUSY``, and records no result, while a file of ``/dev/novamm<N>`` is
 * open or BAR1 maps anything; while it runs, opening the device and
 * mapping BAR1 from elsewhere are refused in turn.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <novamm/compat.h>
#include <novamm/uapi.h>

#include "internal.h"

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run the PRAMIN, VRAM and BAR1 self-tests at probe (default: off)");

static DEFINE_MUTEX(novamm_selftest_lock);

/*
 * PRAMIN checks the first and last words of the scratch range and one
 * window past the first, so the range spans more than a window.
 */
#define NOVAMM_PRAMIN_SELFTEST_SIZE	(2 * SZ_1M)

static int novamm_selftest_pramin(struct novamm_device *ndev)
{
	struct novamm_mm *mm = &ndev->mm;
	struct novamm_vram *scratch;
	int ret;

	scratch = novamm_vram_alloc(&mm->buddy, NOVAMM_PRAMIN_SELFTEST_SIZE,
				    NOVAMM_VRAM_CONTIGUOUS, NULL);
	if (IS_ERR(scratch))
		return PTR_ERR(scratch);
	ret = novamm_pramin_selftest(&mm->pramin, novamm_vram_start(scratch),
				     NOVAMM_PRAMIN_SELFTEST_SIZE);
	novamm_vram_free(scratch);
	return ret;
}

static int novamm_selftest_vram(struct novamm_device *ndev)
{
	return novamm_vram_selftest(&ndev->mm.buddy, &ndev->mm.pramin);
}

static int novamm_selftest_bar1(struct novamm_device *ndev)
{
	return novamm_bar1_selftest(&ndev->bar1);
}

/* Each the self-test of the layer its row names (novamm_core_layers[]). */
const struct novamm_core_test novamm_core_pramin_selftest = {
	NOVAMM_SELFTEST_PRAMIN, "pramin", novamm_selftest_pramin,
};

const struct novamm_core_test novamm_core_vram_selftest = {
	NOVAMM_SELFTEST_VRAM, "vram", novamm_selftest_vram,
};

const struct novamm_core_test novamm_core_bar1_selftest = {
	NOVAMM_SELFTEST_BAR1, "bar1", novamm_selftest_bar1,
};

/* The self-test whose result goes in slot @id, from the row that has it. */
static const struct novamm_core_test *novamm_selftest_find(unsigned int id)
{
	unsigned int i;

	for (i = 0; i < novamm_core_num_layers; i++)
		if (novamm_core_layers[i].selftest &&
		    novamm_core_layers[i].selftest->id == id)
			return novamm_core_layers[i].selftest;
	return NULL;
}

/**
 * novamm_core_selftest() - run self-tests on a device
 * @ndev: the device, fully probed
 * @name: "pramin", "vram", "bar1", or NULL for all of them in that order
 *
 * Each result is logged and kept for debugfs.
 *
 * Context: takes novamm_selftest_lock, outside the uapi and BAR1 locks
 * and those the tests take; may sleep.
 *
 * Return: 0 when every test run passed, -EINVAL for an unknown name,
 * -EBUSY while a file of the device is open or BAR1 maps anything (no
 * test run), else the first failure's error.
 */
int novamm_core_selftest(struct novamm_device *ndev, const char *name)
{
	const struct novamm_core_test *t;
	unsigned int i;
	bool found = false;
	int ret, first = 0;

	for (i = 0; name && i < NOVAMM_SELFTEST_COUNT; i++) {
		t = novamm_selftest_find(i);
		found |= t && !strcmp(name, t->name);
	}
	if (name && !found) {
		dev_dbg(ndev->hw.dev, "self-test: unknown test '%s'\n", name);
		return -EINVAL;
	}

	mutex_lock(&novamm_selftest_lock);
	ret = novamm_uapi_exclude(ndev->uapi);
	if (ret) {
		mutex_unlock(&novamm_selftest_lock);
		dev_dbg(ndev->hw.dev, "self-test: refused while /dev/novamm is open\n");
		return ret;
	}
	ret = novamm_bar1_exclude(&ndev->bar1);
	if (ret) {
		novamm_uapi_include(ndev->uapi);
		mutex_unlock(&novamm_selftest_lock);
		dev_dbg(ndev->hw.dev, "self-test: refused while BAR1 maps anything\n");
		return ret;
	}
	for (i = 0; i < NOVAMM_SELFTEST_COUNT; i++) {
		t = novamm_selftest_find(i);
		if (!t || (name && strcmp(name, t->name)))
			continue;
		ret = t->run(ndev);
		WRITE_ONCE(ndev->selftest[i], ret ? ret : 1);
		if (ret)
			dev_err(ndev->hw.dev, "self-test %s: FAILED (%d)\n", t->name, ret);
		else
			dev_info(ndev->hw.dev, "self-test %s: passed\n", t->name);
		first = first ?: ret;
	}
	novamm_bar1_include(&ndev->bar1);
	novamm_uapi_include(ndev->uapi);
	mutex_unlock(&novamm_selftest_lock);
	return first;
}
EXPORT_SYMBOL_IF_KUNIT(novamm_core_selftest);

/**
 * novamm_core_selftest_probe() - run every self-test at probe, if asked
 * @ndev: the device, up to BAR1, before debugfs and /dev/novamm<N> exist
 *
 * Only with the ``selftest`` module parameter set. Results go to dmesg and
 * debugfs; a failure does not fail the probe, so that the device stays
 * bound for inspection.
 */
void novamm_core_selftest_probe(struct novamm_device *ndev)
{
	if (selftest)
		novamm_core_selftest(ndev, NULL);
}

/**
 * novamm_core_selftest_show() - the last result of each self-test
 * @m: the file
 * @ndev: the device
 */
void novamm_core_selftest_show(struct seq_file *m, struct novamm_device *ndev)
{
	const struct novamm_core_test *t;
	unsigned int i;
	int r;

	for (i = 0; i < NOVAMM_SELFTEST_COUNT; i++) {
		t = novamm_selftest_find(i);
		if (!t)
			continue;
		r = READ_ONCE(ndev->selftest[i]);
		if (!r)
			seq_printf(m, "%s: not run\n", t->name);
		else if (r > 0)
			seq_printf(m, "%s: passed\n", t->name);
		else
			seq_printf(m, "%s: failed %d\n", t->name, r);
	}
}
