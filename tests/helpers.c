// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit helpers: a driver device bound to a simulated GPU. Cleanup is a
 * KUnit resource, so it runs however the test ends.
 *
 * The suites are a module of their own, novamm_kunit.ko, apart from the
 * driver and the sim: what they call that no other module may is
 * exported to KUnit only (EXPORT_SYMBOL_IF_KUNIT()).
 */
#include <kunit/resource.h>
#include <linux/atomic.h>
#include <linux/crc32.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <novamm/compat.h>
#include <novamm/pagetable.h>
#include <novamm/tlb.h>
#include <novamm/uapi.h>

#include "../core/internal.h"
#include "../pagetable/internal.h"
#include "helpers.h"

static int novamm_test_dev_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

/*
 * No device of any suite may write where its GPU keeps firmware or
 * GSP-RM's data, from probe to remove: the sim's protected-VRAM watch
 * must be empty when the test ends. A test that writes there on purpose
 * clears the log itself.
 */
static void novamm_test_dev_check_protected(struct novamm_test_dev *td)
{
	struct novamm_sim_protected_write w = {};
	unsigned int n;

	if (!td->sim)
		return;
	n = novamm_sim_protected_writes(td->sim, &w, 1);
	KUNIT_EXPECT_EQ_MSG(td->test, n, 0U,
			    "%u writes into reserved or protected VRAM, the first of %u bytes at 0x%llx",
			    n, w.len, w.addr);
}

/*
 * Every file a test opens, it closes before its device goes: a file left
 * open keeps the character device and itself allocated after remove,
 * which kmemleak sees on the x86_64 run and nothing sees on UML.
 */
static void novamm_test_dev_check_files(struct novamm_test_dev *td)
{
	struct novamm_uapi *u = td->ndev.uapi;
	unsigned int files;

	if (!td->probed || !u)
		return;
	mutex_lock(&u->lock);
	files = u->files;
	mutex_unlock(&u->lock);
	KUNIT_EXPECT_EQ_MSG(td->test, files, 0U, "%u files of /dev/%s left open at cleanup",
			    files, u->name);
}

static void novamm_test_dev_res_free(struct kunit_resource *res)
{
	struct novamm_test_dev *td = res->data;

	novamm_test_dev_check_files(td);
	if (td->probed)
		novamm_core_remove(&td->ndev);
	novamm_test_dev_check_protected(td);
	novamm_sim_destroy(td->sim);
	if (!IS_ERR_OR_NULL(td->dev))
		root_device_unregister(td->dev);
	kfree(td);
}

/**
 * novamm_test_root_device() - a root device standing in for a bus device
 * @name: its name
 *
 * Without a link to the owning module: suites built into a module run
 * while it loads, before its sysfs directory exists (load_module() tells
 * KUnit of a coming module ahead of mod_sysfs_setup()), and the link
 * root_device_register() makes would fail.
 *
 * Return: the device, or an error pointer.
 */
struct device *novamm_test_root_device(const char *name)
{
	return __root_device_register(name, NULL);
}

/**
 * novamm_test_dev_attach() - a simulated GPU with a driver device on it
 * @test: the test; failures abort it
 * @chip: chip name
 * @vram_size: bytes of VRAM, 0 for the chip's default
 *
 * The device is attached to the sim but not probed, so a test can set the
 * sim up first.
 *
 * Return: the device, torn down with the test; never NULL (a failure
 * aborts the test).
 */
struct novamm_test_dev *novamm_test_dev_attach(struct kunit *test,
					       const char *chip, u64 vram_size)
{
	struct novamm_sim_config cfg = { .chip = chip, .vram_size = vram_size };

	return novamm_test_dev_attach_cfg(test, &cfg);
}

/**
 * novamm_test_dev_attach_cfg() - novamm_test_dev_attach() with a whole
 *	sim configuration
 * @test: the test; failures abort it
 * @cfg: the sim's configuration
 *
 * Return: as novamm_test_dev_attach().
 */
struct novamm_test_dev *novamm_test_dev_attach_cfg(struct kunit *test,
						   const struct novamm_sim_config *cfg)
{
	static atomic_t serial = ATOMIC_INIT(0);
	struct novamm_test_dev *td;
	char name[32];

	td = kzalloc(sizeof(*td), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, td);
	td->test = test;
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, novamm_test_dev_res_init,
							 novamm_test_dev_res_free,
							 GFP_KERNEL, td));

	snprintf(name, sizeof(name), "novamm-kunit.%d", atomic_inc_return(&serial));
	td->dev = novamm_test_root_device(name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(td->dev));
	KUNIT_ASSERT_EQ(test, novamm_sim_create(cfg, &td->sim), 0);
	novamm_sim_pdata(td->sim, &td->pdata);
	KUNIT_ASSERT_EQ(test, novamm_hw_sim_attach(&td->ndev.hw, td->dev, &td->pdata), 0);
	return td;
}

/**
 * novamm_test_dev_probe() - bring the driver device up
 * @test: the test; a failed probe aborts it
 * @td: from novamm_test_dev_attach()
 */
void novamm_test_dev_probe(struct kunit *test, struct novamm_test_dev *td)
{
	KUNIT_ASSERT_EQ(test, novamm_core_probe(&td->ndev), 0);
	td->probed = true;
}

/**
 * novamm_test_dev_remove() - take the driver device down before cleanup
 * @td: a probed device
 */
void novamm_test_dev_remove(struct novamm_test_dev *td)
{
	novamm_core_remove(&td->ndev);
	td->probed = false;
}

/**
 * novamm_test_dev_new() - attach and probe in one step
 * @test: the test
 * @chip: chip name
 * @vram_size: bytes of VRAM, 0 for the chip's default
 *
 * Return: the probed device, removed and torn down with the test; never
 * NULL (a failure aborts the test).
 */
struct novamm_test_dev *novamm_test_dev_new(struct kunit *test,
					    const char *chip, u64 vram_size)
{
	struct novamm_test_dev *td = novamm_test_dev_attach(test, chip, vram_size);

	novamm_test_dev_probe(test, td);
	return td;
}

static int novamm_test_vmalloc_init(struct kunit_resource *res, void *context)
{
	res->data = vmalloc(*(size_t *)context);
	return res->data ? 0 : -ENOMEM;
}

static void novamm_test_vmalloc_free(struct kunit_resource *res)
{
	vfree(res->data);
}

/**
 * novamm_test_vmalloc() - a large buffer freed with the test
 * @test: the test; a failed allocation aborts it
 * @len: bytes
 *
 * Return: the buffer, vfree()d with the test.
 */
void *novamm_test_vmalloc(struct kunit *test, size_t len)
{
	void *p = kunit_alloc_resource(test, novamm_test_vmalloc_init,
				       novamm_test_vmalloc_free, GFP_KERNEL, &len);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/**
 * novamm_test_vmalloc_fill() - novamm_test_vmalloc(), every byte set to @c
 * @test: the test; a failed allocation aborts it
 * @len: bytes
 * @c: the byte
 *
 * Return: the buffer, vfree()d with the test.
 */
void *novamm_test_vmalloc_fill(struct kunit *test, size_t len, int c)
{
	void *p = novamm_test_vmalloc(test, len);

	memset(p, c, len);
	return p;
}

/**
 * novamm_test_fault_quiet() - ready a device's fault points for a walk
 * @test: the test, skipped here in a kernel without fault injection
 * @mm: the device
 *
 * The device's points then fail without a stack dump each: a walk fails
 * dozens of them.
 */
void novamm_test_fault_quiet(struct kunit *test, struct novamm_mm *mm)
{
#ifdef CONFIG_FAULT_INJECTION
	mm->hw->fault_ops.verbose = 0;
#else
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
#endif
}

static int novamm_test_pt_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void novamm_test_pt_res_free(struct kunit_resource *res)
{
	novamm_pagetable_fini(res->data);
}

/**
 * novamm_test_pagetable_new() - an empty page-table tree on a probed device
 * @test: the test; a failure aborts it
 * @td: the device; the tree is freed with the test, before the device
 *
 * Return: the tree, in the format of the device's chip.
 */
struct novamm_pagetable *novamm_test_pagetable_new(struct kunit *test,
						   struct novamm_test_dev *td)
{
	/* Freed by KUnit after the tree: resources go in reverse order. */
	struct novamm_pagetable *pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pt);
	/* Through PRAMIN: the suites count its words. */
	KUNIT_ASSERT_EQ(test, novamm_pagetable_init(pt, &td->ndev.mm.buddy,
						    &td->ndev.mm.pramin,
						    td->ndev.chip->arch->pt_format, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, novamm_test_pt_res_init,
							 novamm_test_pt_res_free,
							 GFP_KERNEL, pt));
	return pt;
}

/**
 * novamm_test_pt_map() - map a run and write its new tables at once
 * @pt: the tree, prepared for the range
 * @va: first virtual address
 * @count: pages
 * @page_shift: log2 of the page size
 * @phys: first page
 * @attrs: how the pages are mapped
 *
 * novamm_pagetable_map() then, when it succeeds, novamm_pagetable_commit()
 * of the run and the FB flush a driver does before the GPU walks, so that
 * the GPU (the sim's MMU) sees it.
 *
 * Return: the first error, or 0.
 */
int novamm_test_pt_map(struct novamm_pagetable *pt, u64 va, u64 count,
		       unsigned int page_shift, u64 phys,
		       const struct novamm_pte_attrs *attrs)
{
	int ret = novamm_pagetable_map(pt, va, count, page_shift, phys, attrs);

	ret = ret ?: novamm_pagetable_commit(pt, va, count << page_shift);
	return ret ?: novamm_tlb_flush(&container_of(pt->pramin, struct novamm_mm, pramin)->tlb);
}

/**
 * novamm_test_view_take() - walk the tables at a set of addresses
 * @test: the test; the arrays are freed with it
 * @td: the device
 * @pdb: the address space's root directory
 * @spans: where to walk
 * @nr: entries of @spans
 * @view: filled
 */
void novamm_test_view_take(struct kunit *test, struct novamm_test_dev *td, u64 pdb,
			   const struct novamm_test_span *spans, unsigned int nr,
			   struct novamm_test_view *view)
{
	unsigned int i, n = 0;
	u64 off;

	for (i = 0; i < nr; i++)
		n += DIV_ROUND_UP(spans[i].size, spans[i].step);
	view->va = kunit_kcalloc(test, n, sizeof(*view->va), GFP_KERNEL);
	view->t = kunit_kcalloc(test, n, sizeof(*view->t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, view->va);
	KUNIT_ASSERT_NOT_NULL(test, view->t);
	view->n = 0;
	for (i = 0; i < nr; i++) {
		for (off = 0; off < spans[i].size; off += spans[i].step) {
			view->va[view->n] = spans[i].start + off;
			novamm_sim_walk(td->sim, pdb, view->va[view->n], &view->t[view->n]);
			view->n++;
		}
	}
}

/**
 * novamm_test_view_expect() - the tables translate as they did
 * @test: the test
 * @td: the device
 * @pdb: as for novamm_test_view_take()
 * @before: the view to compare with
 * @point: the fault point that failed, for the messages
 *
 * Fault reasons are compared too: a directory left linked turns a
 * missing PDE into a missing PTE.
 */
void novamm_test_view_expect(struct kunit *test, struct novamm_test_dev *td, u64 pdb,
			     const struct novamm_test_view *before, unsigned int point)
{
	struct novamm_sim_translation t;
	unsigned int i, bad = 0;

	for (i = 0; i < before->n; i++) {
		novamm_sim_walk(td->sim, pdb, before->va[i], &t);
		if (t.fault == before->t[i].fault && t.pa == before->t[i].pa &&
		    t.page_size == before->t[i].page_size &&
		    t.read_only == before->t[i].read_only)
			continue;
		if (!bad++)
			KUNIT_FAIL(test,
				   "point %u: va 0x%llx walks to %s pa 0x%llx (%llu), was %s pa 0x%llx (%llu)",
				   point, before->va[i], novamm_sim_fault_name(t.fault),
				   t.pa, t.page_size, novamm_sim_fault_name(before->t[i].fault),
				   before->t[i].pa, before->t[i].page_size);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "point %u: addresses that walk otherwise", point);
}

/**
 * novamm_test_vram_crc() - a checksum of all of the device's VRAM
 * @test: the test
 * @td: the device
 *
 * Read as the GPU would read it, posted writes included.
 *
 * Return: crc32 of every byte.
 */
u32 novamm_test_vram_crc(struct kunit *test, struct novamm_test_dev *td)
{
	u64 size = novamm_sim_vram_size(td->sim), addr;
	void *buf = kunit_kmalloc(test, SZ_64K, GFP_KERNEL);
	u32 crc = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (addr = 0; addr < size; addr += SZ_64K) {
		KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, addr, buf, SZ_64K), 0);
		crc = crc32_le(crc, buf, SZ_64K);
	}
	kunit_kfree(test, buf);
	return crc;
}

/* Far more than any operation has: a walk that gets here is looping. */
#define NOVAMM_TEST_FAULT_MAX	1000

/**
 * novamm_test_fault_walk() - fail an operation at each of its fault points
 * @test: the test
 * @op: runs the operation once, from the state @check compares with;
 *	returns 0 or a negative errno
 * @check: after @op failed at @point with @ret, expects that state
 * @ctx: for both
 *
 * Sets the task's fail-nth, the kernel's fault-injection framework's own
 * counter, to 1, 2, 3 ... so that the first, second, third ... fault
 * point that @op reaches fails, until @op finishes without reaching the
 * point. Nothing here knows how many points there are. A point whose
 * failure @op does not report fails the test.
 *
 * Return: the number of fault points @op went through; its last run
 * succeeded and is not undone.
 */
unsigned int novamm_test_fault_walk(struct kunit *test, int (*op)(void *ctx),
				    void (*check)(struct kunit *test, void *ctx,
						  unsigned int point, int ret),
				    void *ctx)
{
#ifdef CONFIG_FAULT_INJECTION
	unsigned int n, left;
	int ret;

	for (n = 1; n <= NOVAMM_TEST_FAULT_MAX; n++) {
		current->fail_nth = n;
		ret = op(ctx);
		left = current->fail_nth;
		current->fail_nth = 0;
		if (left) {
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "with none of its %u points failed",
					    n - 1);
			return n - 1;
		}
		KUNIT_ASSERT_NE_MSG(test, ret, 0, "point %u failed, yet the operation succeeded",
				    n);
		check(test, ctx, n, ret);
	}
	KUNIT_FAIL(test, "more than %u fault points", NOVAMM_TEST_FAULT_MAX);
	return n;
#else
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
	return 0;
#endif
}

/**
 * novamm_test_full_size() - skip a case that only means anything whole
 * @test: the case
 *
 * A case whose work is its point (megabytes through PRAMIN word by word,
 * thousands of random operations each checked against the sim) is
 * skipped when the loops are scaled down (novamm_sim_test_scaled()): UML
 * runs it whole.
 */
void novamm_test_full_size(struct kunit *test)
{
	if (novamm_sim_test_scaled(100) < 100)
		kunit_skip(test, "run whole where kunit_scale is 100 (UML)");
}

MODULE_DESCRIPTION("novamm: KUnit suites of the driver and the simulated GPU");
MODULE_LICENSE("GPL");
NOVAMM_IMPORT_KUNIT_NS();
