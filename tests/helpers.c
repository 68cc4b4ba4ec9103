// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit helpers: a driver device bound to a simulated GPU. Cleanup is a
 * KUnit resource, so it runs however the test ends.
 */
#include <kunit/resource.h>
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <novamm/pagetable.h>
#include <novamm/tlb.h>

#include "../core/internal.h"
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

static void novamm_test_dev_res_free(struct kunit_resource *res)
{
	struct novamm_test_dev *td = res->data;

	if (td->probed)
		novamm_core_remove(&td->ndev);
	novamm_test_dev_check_protected(td);
	novamm_sim_destroy(td->sim);
	if (!IS_ERR_OR_NULL(td->dev))
		root_device_unregister(td->dev);
	kfree(td);
}

/**
 * novamm_test_dev_attach() - a simulated GPU with a driver device on it
 * @test: the test; failures abort it
 * @chip: chip name
 * @vram_size: bytes of VRAM, 0 for the chip's default
 *
 * The device is attached to the sim but not probed, so a test can set the
 * sim up first.
 */
struct novamm_test_dev *novamm_test_dev_attach(struct kunit *test,
					       const char *chip, u64 vram_size)
{
	static atomic_t serial = ATOMIC_INIT(0);
	struct novamm_sim_config cfg = { .chip = chip, .vram_size = vram_size };
	struct novamm_test_dev *td;
	char name[32];

	td = kzalloc(sizeof(*td), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, td);
	td->test = test;
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, novamm_test_dev_res_init,
							 novamm_test_dev_res_free,
							 GFP_KERNEL, td));

	snprintf(name, sizeof(name), "novamm-kunit.%d", atomic_inc_return(&serial));
	td->dev = root_device_register(name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(td->dev));
	KUNIT_ASSERT_EQ(test, novamm_sim_create(&cfg, &td->sim), 0);
	novamm_sim_pdata(td->sim, &td->pdata);
	KUNIT_ASSERT_EQ(test, novamm_core_sim_attach(&td->ndev, td->dev, &td->pdata), 0);
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
 */
void *novamm_test_vmalloc(struct kunit *test, size_t len)
{
	void *p = kunit_alloc_resource(test, novamm_test_vmalloc_init,
				       novamm_test_vmalloc_free, GFP_KERNEL, &len);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
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
	KUNIT_ASSERT_EQ(test, novamm_pagetable_init(pt, &td->ndev.mm,
						    novamm_pagetable_format(td->ndev.chip)), 0);
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
	return ret ?: novamm_tlb_flush(pt->mm);
}
