// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_uapi: the /dev/novamm<N> calls with their arguments
 * in kernel memory: what each refuses, and that a file reaches only what
 * it made; and EXPORT's dma-bufs as an importer in the kernel sees them.
 * The character device and mmap itself are exercised by the QEMU smoke
 * run with tools/novamm-ctl.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <novamm/bar1.h>
#include <novamm/buddy.h>
#include <novamm/compat.h>
#include <novamm/core.h>
#include <novamm/sim.h>
#include <novamm/uapi.h>
#include <novamm/vmm.h>

#include "../core/internal.h"
#include "helpers.h"

NOVAMM_IMPORT_DMA_BUF_NS();

static struct novamm_uapi_file *uapi_file(struct kunit *test, struct novamm_test_dev *td)
{
	struct novamm_uapi_file *f = novamm_uapi_open(td->ndev.uapi, NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	return f;
}

static u64 vram_free(struct novamm_test_dev *td)
{
	struct novamm_vram_stats st;

	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	return st.free;
}

static void uapi_info(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_info info;

	KUNIT_ASSERT_EQ(test, novamm_uapi_info(f, &info), 0);
	KUNIT_EXPECT_EQ(test, info.version, NOVAMM_UAPI_VERSION);
	KUNIT_EXPECT_EQ(test, info.chip_id, 0x172);
	KUNIT_EXPECT_STREQ(test, info.chip, "GA102");
	KUNIT_EXPECT_EQ(test, info.mmu_version, 2);
	KUNIT_EXPECT_EQ(test, info.vram_size, SZ_1G);
	KUNIT_EXPECT_EQ(test, info.vram_free, vram_free(td));
	KUNIT_EXPECT_EQ(test, info.bar1_size, SZ_256M);
	/* All but the table window's slice, a 32nd of BAR1. */
	KUNIT_EXPECT_EQ(test, info.bar1_free, SZ_256M - SZ_8M);
	KUNIT_EXPECT_EQ(test, info.pad, 0);
	novamm_uapi_release(f);
}

/* Each argument check, with nothing allocated or mapped by a refusal. */
static void uapi_arguments(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GH100", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_alloc a = { .size = SZ_64K };
	struct novamm_handle h = {};
	struct novamm_map m = {};
	u64 free0 = vram_free(td);

	a.size = 0;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(f, &a), -EINVAL);
	a.size = SZ_4K + 1;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(f, &a), -EINVAL);
	a.size = SZ_64K;
	a.flags = BIT(1);
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(f, &a), -EINVAL);
	a.flags = 0;
	a.size = U64_MAX & ~(u64)(SZ_4K - 1);
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(f, &a), -ENOSPC);
	a.size = SZ_2G;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(f, &a), -ENOSPC);
	/* Less than the 896 MiB usable, more than the file's half of it. */
	a.size = SZ_512M;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(f, &a), -EDQUOT);
	KUNIT_EXPECT_EQ(test, vram_free(td), free0);

	a.size = SZ_64K;
	a.flags = NOVAMM_ALLOC_CONTIGUOUS;
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &a), 0);
	KUNIT_EXPECT_EQ(test, a.handle, 1);
	KUNIT_EXPECT_EQ(test, vram_free(td), free0 - SZ_64K);

	m.handle = a.handle;
	m.flags = BIT(3);
	KUNIT_EXPECT_EQ(test, novamm_uapi_map(f, &m), -EINVAL);
	m.flags = 0;
	m.handle = 99;
	KUNIT_EXPECT_EQ(test, novamm_uapi_map(f, &m), -ENOENT);
	m.handle = a.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	KUNIT_EXPECT_EQ(test, m.size, SZ_64K);
	KUNIT_EXPECT_EQ(test, m.bar1_offset, 0);
	KUNIT_EXPECT_EQ(test, m.mmap_offset, m.bar1_offset);
	KUNIT_EXPECT_EQ(test, novamm_uapi_map(f, &m), -EBUSY);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), SZ_64K);

	h.handle = a.handle;
	h.pad = 1;
	KUNIT_EXPECT_EQ(test, novamm_uapi_unmap(f, &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_uapi_free(f, &h), -EINVAL);
	h.pad = 0;
	KUNIT_ASSERT_EQ(test, novamm_uapi_unmap(f, &h), 0);
	KUNIT_EXPECT_EQ(test, novamm_uapi_unmap(f, &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), 0);
	KUNIT_ASSERT_EQ(test, novamm_uapi_free(f, &h), 0);
	KUNIT_EXPECT_EQ(test, novamm_uapi_free(f, &h), -ENOENT);
	/* All back, but for the first 2 MiB chunk of BAR1's table pool. */
	KUNIT_EXPECT_EQ(test, vram_free(td), free0 - SZ_2M);

	KUNIT_EXPECT_EQ(test, novamm_uapi_ioctl_kernel(f, _IO(NOVAMM_IOCTL_MAGIC, 0x20), &h),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, novamm_uapi_ioctl_kernel(f, NOVAMM_IOCTL_FREE + 1, &h), -ENOTTY);
	novamm_uapi_release(f);
}

/* A file reaches only its own handles; closing frees them, mapped or not. */
static void uapi_ownership(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_uapi_file *a = uapi_file(test, td), *b = uapi_file(test, td);
	struct novamm_alloc al = { .size = SZ_2M };
	struct novamm_handle h = {};
	struct novamm_map m = {};
	u64 free0 = vram_free(td);
	u32 mapped, kept;

	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(a, &al), 0);
	mapped = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(a, &al), 0);
	kept = al.handle;
	m.handle = mapped;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(a, &m), 0);

	/* Handles are numbered per device: b's first is not 1. */
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(b, &al), 0);
	KUNIT_EXPECT_EQ(test, al.handle, 3);

	h.handle = mapped;
	KUNIT_EXPECT_EQ(test, novamm_uapi_free(b, &h), -ENOENT);
	KUNIT_EXPECT_EQ(test, novamm_uapi_unmap(b, &h), -ENOENT);
	m.handle = kept;
	KUNIT_EXPECT_EQ(test, novamm_uapi_map(b, &m), -ENOENT);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.num_mappings, 1);
	/* Three allocations, and BAR1's table pool grew its first chunk. */
	KUNIT_EXPECT_EQ(test, vram_free(td), free0 - 4 * SZ_2M);

	novamm_uapi_release(a);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.num_mappings, 0);
	KUNIT_EXPECT_EQ(test, vram_free(td), free0 - 2 * SZ_2M);
	/* b still has its own. */
	h.handle = al.handle;
	KUNIT_EXPECT_EQ(test, novamm_uapi_free(b, &h), 0);
	KUNIT_EXPECT_EQ(test, vram_free(td), free0 - SZ_2M);
	novamm_uapi_release(b);
}

/* The device goes while a file is open: it is emptied and told -ENODEV. */
static void uapi_device_gone(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GH100", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_uapi *u = td->ndev.uapi;
	struct novamm_alloc al = { .size = SZ_64K };
	struct novamm_handle h = {};
	struct novamm_map m = {};
	struct novamm_info info;

	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	m.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	novamm_test_dev_remove(td);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0);
	KUNIT_EXPECT_NULL(test, td->ndev.uapi);
	KUNIT_EXPECT_EQ(test, novamm_uapi_info(f, &info), -ENODEV);
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(f, &al), -ENODEV);
	h.handle = al.handle;
	KUNIT_EXPECT_EQ(test, novamm_uapi_free(f, &h), -ENODEV);
	KUNIT_EXPECT_EQ(test, novamm_uapi_map(f, &m), -ENODEV);
	KUNIT_EXPECT_TRUE(test, IS_ERR(novamm_uapi_open(u, NULL)));
	/* The last reference goes with the file. */
	novamm_uapi_release(f);
}

struct uapi_fault_ctx {
	struct novamm_test_dev *td;
	struct novamm_uapi_file *f;
	struct novamm_alloc al;
	struct novamm_map m;
	bool map;
	u64 free;
	unsigned int allocations;
	struct novamm_test_view view;
};

static int uapi_fault_op(void *ctx)
{
	struct uapi_fault_ctx *c = ctx;

	if (c->map)
		return novamm_uapi_map(c->f, &c->m);
	c->al = (struct novamm_alloc){ .size = SZ_2M };
	return novamm_uapi_alloc(c->f, &c->al);
}

static void uapi_fault_check(struct kunit *test, void *ctx, unsigned int n, int ret)
{
	struct uapi_fault_ctx *c = ctx;
	struct novamm_vram_stats st;

	KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || ret == -ETIMEDOUT, "point %u: %d", n, ret);
	novamm_vram_stats(&c->td->ndev.mm.buddy, &st);
	KUNIT_EXPECT_EQ_MSG(test, st.free, c->free, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, st.allocations, c->allocations, "point %u", n);
	KUNIT_EXPECT_EQ_MSG(test, c->td->ndev.bar1.num_mappings, 1U, "point %u", n);
	novamm_test_view_expect(test, c->td, novamm_vmm_pdb(c->td->ndev.bar1.vmm), &c->view, n);
}

/*
 * ALLOC, then MAP, failed at each of their points: the allocator, BAR1
 * and the handle numbers as they were; the next handle is still 2. A
 * buffer is mapped first, so that BAR1's table pool has its chunk (see
 * bar1_map_faults).
 */
static void uapi_faults(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_test_span span = { 0, SZ_8M, SZ_4K };
	struct uapi_fault_ctx c = { .td = td, .f = uapi_file(test, td) };
	struct novamm_vram_stats st;
	unsigned int points;

	c.al = (struct novamm_alloc){ .size = SZ_64K };
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(c.f, &c.al), 0);
	c.m = (struct novamm_map){ .handle = c.al.handle };
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(c.f, &c.m), 0);
	novamm_test_fault_quiet(test, &td->ndev.mm);
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	c.free = st.free;
	c.allocations = st.allocations;
	novamm_test_view_take(test, td, novamm_vmm_pdb(td->ndev.bar1.vmm), &span, 1, &c.view);
	points = novamm_test_fault_walk(test, uapi_fault_op, uapi_fault_check, &c);
	kunit_info(test, "ALLOC: %u fault points\n", points);
	/* The record, the VRAM (record and blocks), the handle. */
	KUNIT_EXPECT_GE(test, points, 4U);
	KUNIT_EXPECT_EQ(test, c.al.handle, 2U);

	c.map = true;
	c.m = (struct novamm_map){ .handle = c.al.handle };
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	c.free = st.free;
	c.allocations = st.allocations;
	points = novamm_test_fault_walk(test, uapi_fault_op, uapi_fault_check, &c);
	kunit_info(test, "MAP: %u fault points\n", points);
	KUNIT_EXPECT_GE(test, points, 4U);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.num_mappings, 2U);
	novamm_uapi_release(c.f);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.num_mappings, 0U);
}

/*
 * Each file holds at most half of the usable VRAM (file_max_vram_percent
 * 50) and 4096 allocations (file_max_handles): past either, -EDQUOT, and
 * another file is not held back by the first one's use.
 */
static void uapi_quotas(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_uapi_file *a = uapi_file(test, td), *b = uapi_file(test, td);
	struct novamm_alloc al = {};
	struct novamm_handle h = {};
	struct novamm_vram_stats st;
	unsigned int i, allocations;
	u64 half;
	u32 first;

	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	allocations = st.allocations;
	half = round_down(st.usable / 2, SZ_4K);
	KUNIT_EXPECT_EQ(test, novamm_uapi_file_max_vram(td->ndev.uapi), half);
	KUNIT_EXPECT_EQ(test, novamm_uapi_file_max_handles(), 4096U);

	al.size = half - SZ_64K;
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(a, &al), 0);
	first = al.handle;
	al.size = SZ_128K;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(a, &al), -EDQUOT);
	al.size = SZ_64K;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(a, &al), 0);
	al.size = SZ_4K;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(a, &al), -EDQUOT);
	/* b has a quota of its own. */
	al.size = SZ_64M;
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(b, &al), 0);
	/* Freeing gives the quota back. */
	h.handle = first;
	KUNIT_ASSERT_EQ(test, novamm_uapi_free(a, &h), 0);
	KUNIT_EXPECT_EQ(test, a->bytes, (u64)SZ_64K);
	KUNIT_EXPECT_EQ(test, a->handles, 1U);
	novamm_uapi_release(a);

	/* 4096 allocations, then -EDQUOT for the file, not for the device. */
	a = uapi_file(test, td);
	al.size = SZ_4K;
	for (i = 0; i < 4096; i++)
		KUNIT_ASSERT_EQ_MSG(test, novamm_uapi_alloc(a, &al), 0, "allocation %u", i);
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(a, &al), -EDQUOT);
	KUNIT_EXPECT_EQ(test, novamm_uapi_alloc(b, &al), 0);
	KUNIT_EXPECT_EQ(test, a->handles, 4096U);
	novamm_uapi_release(a);
	novamm_uapi_release(b);
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	KUNIT_EXPECT_EQ(test, st.allocations, allocations);
}

static int uapi_copy_out_fails(void __user *dst, const void *args, size_t size)
{
	return -EFAULT;
}

static int uapi_copy_out_ok(void __user *dst, const void *args, size_t size)
{
	return 0;
}

/*
 * ALLOC and MAP whose result cannot be copied out are undone: the
 * allocator, the handles, BAR1 and its translations as before, so the
 * caller that never learnt of them loses nothing and leaks nothing.
 */
static void uapi_copy_out_undo(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_test_span span = { 0, SZ_8M, SZ_4K };
	struct novamm_alloc al = { .size = SZ_2M };
	struct novamm_test_view view;
	struct novamm_vram_stats st0, st;
	struct novamm_info info;
	struct novamm_map m = {};

	/* A first mapping, so that BAR1's table pool has its chunk. */
	KUNIT_ASSERT_EQ(test, novamm_uapi_call(f, NOVAMM_IOCTL_ALLOC, &al, uapi_copy_out_ok,
					       NULL), 0);
	KUNIT_EXPECT_EQ(test, al.handle, 1U);
	m.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_call(f, NOVAMM_IOCTL_MAP, &m, uapi_copy_out_ok,
					       NULL), 0);
	novamm_vram_stats(&td->ndev.mm.buddy, &st0);
	novamm_test_view_take(test, td, novamm_vmm_pdb(td->ndev.bar1.vmm), &span, 1, &view);

	al = (struct novamm_alloc){ .size = SZ_2M };
	KUNIT_EXPECT_EQ(test, novamm_uapi_call(f, NOVAMM_IOCTL_ALLOC, &al, uapi_copy_out_fails,
					       NULL), -EFAULT);
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	KUNIT_EXPECT_EQ(test, st.free, st0.free);
	KUNIT_EXPECT_EQ(test, st.allocations, st0.allocations);
	KUNIT_EXPECT_EQ(test, f->handles, 1U);
	KUNIT_EXPECT_EQ(test, f->bytes, (u64)SZ_2M);

	/* The handle it took is free again: the next ALLOC gets it. */
	al = (struct novamm_alloc){ .size = SZ_2M };
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	KUNIT_EXPECT_EQ(test, al.handle, 2U);
	novamm_vram_stats(&td->ndev.mm.buddy, &st0);

	m = (struct novamm_map){ .handle = al.handle };
	KUNIT_EXPECT_EQ(test, novamm_uapi_call(f, NOVAMM_IOCTL_MAP, &m, uapi_copy_out_fails,
					       NULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.num_mappings, 1U);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), (u64)SZ_2M);
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	KUNIT_EXPECT_EQ(test, st.free, st0.free);
	KUNIT_EXPECT_EQ(test, st.allocations, st0.allocations);
	novamm_test_view_expect(test, td, novamm_vmm_pdb(td->ndev.bar1.vmm), &view, 0);
	/* Still this file's, and mappable. */
	m = (struct novamm_map){ .handle = al.handle };
	KUNIT_EXPECT_EQ(test, novamm_uapi_map(f, &m), 0);

	/* INFO made nothing: only the error. */
	KUNIT_EXPECT_EQ(test, novamm_uapi_call(f, NOVAMM_IOCTL_INFO, &info, uapi_copy_out_fails,
					       NULL), -EFAULT);
	/* FREE returns nothing: no copy-out to fail. */
	KUNIT_EXPECT_EQ(test, novamm_uapi_call(f, NOVAMM_IOCTL_FREE,
					       &(struct novamm_handle){ .handle = 1 },
					       uapi_copy_out_fails, NULL), 0);
	novamm_uapi_release(f);
}

/*
 * Runtime self-tests leave clients alone: refused while a file is open or
 * BAR1 maps anything, with no result recorded; while one runs, opening a
 * file is refused. They pass again once the device is idle.
 */
static void uapi_selftest_busy(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_device *ndev = &td->ndev;
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_bar1_mapping *map;

	KUNIT_EXPECT_EQ(test, novamm_core_selftest(ndev, "bar1"), -EBUSY);
	KUNIT_EXPECT_EQ(test, novamm_core_selftest(ndev, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, ndev->selftest[NOVAMM_SELFTEST_BAR1], 0);
	KUNIT_EXPECT_EQ(test, ndev->selftest[NOVAMM_SELFTEST_VRAM], 0);
	novamm_uapi_release(f);

	map = novamm_bar1_map_new(&ndev->bar1, SZ_64K, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_EXPECT_EQ(test, novamm_core_selftest(ndev, "pramin"), -EBUSY);
	KUNIT_EXPECT_EQ(test, ndev->selftest[NOVAMM_SELFTEST_PRAMIN], 0);
	KUNIT_ASSERT_EQ(test, novamm_bar1_unmap(&ndev->bar1, map), 0);
	/* An unknown name is still -EINVAL, busy or not. */
	KUNIT_EXPECT_EQ(test, novamm_core_selftest(ndev, "nope"), -EINVAL);

	/* What a running self-test holds off. */
	KUNIT_ASSERT_EQ(test, novamm_uapi_exclude(ndev->uapi), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_open(ndev->uapi, NULL)), -EBUSY);
	KUNIT_EXPECT_EQ(test, novamm_uapi_exclude(ndev->uapi), -EBUSY);
	novamm_uapi_include(ndev->uapi);
	f = uapi_file(test, td);
	novamm_uapi_release(f);

	novamm_test_full_size(test);
	KUNIT_EXPECT_EQ(test, novamm_core_selftest(ndev, "bar1"), 0);
	KUNIT_EXPECT_EQ(test, ndev->selftest[NOVAMM_SELFTEST_BAR1], 1);
}

/* A simulated BAR1 is RAM: never a write-combined alias of it. */
static void uapi_page_prot(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);

	KUNIT_EXPECT_EQ(test, pgprot_val(novamm_bar1_page_prot(&td->ndev.hw, PAGE_SHARED)),
			pgprot_val(PAGE_SHARED));
}

/* 2 MiB + 64 KiB + 4 KiB: three blocks, each page size BAR1 maps. */
#define UAPI_CLEAR_SIZE		(SZ_2M + SZ_64K + SZ_4K)
#define UAPI_CLEAR_PAGES	(UAPI_CLEAR_SIZE / SZ_4K)
/* What VRAM holds at power-on, in the sim: not zero. */
#define UAPI_VRAM_GARBAGE	0xa5

static struct novamm_test_dev *uapi_dev_garbage(struct kunit *test)
{
	struct novamm_sim_config cfg = { .chip = "GA102", .vram_size = SZ_1G,
					 .vram_fill = UAPI_VRAM_GARBAGE };
	struct novamm_test_dev *td = novamm_test_dev_attach_cfg(test, &cfg);

	novamm_test_dev_probe(test, td);
	/*
	 * BAR1's table pool takes its first chunk from the top now, not in
	 * the middle of a test, whose blocks would then come from what that
	 * split left instead of from what the test freed.
	 */
	KUNIT_ASSERT_FALSE(test, IS_ERR(novamm_bar1_map_new(&td->ndev.bar1, SZ_4K, 0, NULL)));
	return td;
}

/* The VRAM address of every 4 KiB page of a mapping, by the sim's MMU. */
static void uapi_vram_of(struct kunit *test, struct novamm_test_dev *td,
			 const struct novamm_map *m, u64 *pa)
{
	struct novamm_sim_translation t;
	u64 pdb = novamm_vmm_pdb(td->ndev.bar1.vmm);
	unsigned int i;

	for (i = 0; i < m->size / SZ_4K; i++) {
		KUNIT_ASSERT_EQ(test, novamm_sim_translate(td->sim, pdb, m->bar1_offset +
							   (u64)i * SZ_4K, 0, &t), 0);
		pa[i] = t.pa;
	}
}

/* Every byte of the mapping reads zero through BAR1, and so does its VRAM. */
static void uapi_expect_zero(struct kunit *test, struct novamm_test_dev *td,
			     const struct novamm_map *m, const u64 *pa)
{
	u8 *buf = novamm_test_vmalloc_fill(test, m->size, 0x5c);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, novamm_hw_bar1_read(&td->ndev.hw, m->bar1_offset, buf, m->size), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, m->size));
	memset(buf, 0x5c, m->size);
	for (i = 0; i < m->size / SZ_4K; i++)
		KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, pa[i], buf + i * SZ_4K,
							   SZ_4K), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, m->size));
}

/*
 * File A writes a pattern through its mapping, frees and closes; file B gets
 * the same VRAM (the allocator hands the blocks A freed out again, which
 * the test checks page by page) and reads nothing but zeros, through BAR1
 * and in the sim's VRAM. VRAM never written reads as garbage in this sim,
 * as at power-on, and is zero once mapped too.
 */
static void uapi_vram_cleared(struct kunit *test)
{
	struct novamm_test_dev *td = uapi_dev_garbage(test);
	struct novamm_uapi_file *a = uapi_file(test, td), *b;
	struct novamm_alloc al = { .size = UAPI_CLEAR_SIZE };
	u64 *pa_a = kunit_kcalloc(test, UAPI_CLEAR_PAGES, sizeof(u64), GFP_KERNEL);
	u64 *pa_b = kunit_kcalloc(test, UAPI_CLEAR_PAGES, sizeof(u64), GFP_KERNEL);
	u8 *buf = novamm_test_vmalloc_fill(test, UAPI_CLEAR_SIZE, 0xc3);
	struct novamm_map m = {};
	struct novamm_handle h = {};
	u8 word[4];

	KUNIT_ASSERT_NOT_NULL(test, pa_a);
	KUNIT_ASSERT_NOT_NULL(test, pa_b);
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(a, &al), 0);
	m.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(a, &m), 0);
	KUNIT_ASSERT_EQ(test, m.size, (u64)UAPI_CLEAR_SIZE);
	uapi_vram_of(test, td, &m, pa_a);
	/* Before anything was written: garbage in VRAM, zeros through the mapping. */
	uapi_expect_zero(test, td, &m, pa_a);
	KUNIT_ASSERT_EQ(test, novamm_hw_bar1_write(&td->ndev.hw, m.bar1_offset, buf,
						   UAPI_CLEAR_SIZE), 0);
	KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, pa_a[UAPI_CLEAR_PAGES - 1], word,
						   sizeof(word)), 0);
	KUNIT_EXPECT_EQ(test, word[0], 0xc3);
	h.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_free(a, &h), 0);
	novamm_uapi_release(a);

	b = uapi_file(test, td);
	al = (struct novamm_alloc){ .size = UAPI_CLEAR_SIZE };
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(b, &al), 0);
	m = (struct novamm_map){ .handle = al.handle };
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(b, &m), 0);
	uapi_vram_of(test, td, &m, pa_b);
	KUNIT_EXPECT_EQ(test, memcmp(pa_a, pa_b, UAPI_CLEAR_PAGES * sizeof(u64)), 0);
	uapi_expect_zero(test, td, &m, pa_b);
	/* Closing with the pattern still there: the next file sees zeros too. */
	KUNIT_ASSERT_EQ(test, novamm_hw_bar1_write(&td->ndev.hw, m.bar1_offset, buf,
						   UAPI_CLEAR_SIZE), 0);
	novamm_uapi_release(b);
	a = uapi_file(test, td);
	al = (struct novamm_alloc){ .size = UAPI_CLEAR_SIZE };
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(a, &al), 0);
	m = (struct novamm_map){ .handle = al.handle, .flags = NOVAMM_MAP_READ_ONLY };
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(a, &m), 0);
	uapi_vram_of(test, td, &m, pa_b);
	KUNIT_EXPECT_EQ(test, memcmp(pa_a, pa_b, UAPI_CLEAR_PAGES * sizeof(u64)), 0);
	uapi_expect_zero(test, td, &m, pa_b);
	novamm_uapi_release(a);
}

/*
 * VRAM that went back unwritten (mapped read-only, or never mapped) is
 * handed out again known zero: mapping it writes nothing through BAR1.
 * The allocator's count of allocations that needed no clearing says so,
 * whether the kernel tracks cleared blocks (6.10 on) or novamm does.
 */
static void uapi_clean_shortcut(struct kunit *test)
{
	struct novamm_test_dev *td = uapi_dev_garbage(test);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_alloc al = { .size = UAPI_CLEAR_SIZE };
	struct novamm_sim_counters c0, c1;
	struct novamm_vram_stats st0, st;
	struct novamm_map m = {};
	struct novamm_handle h = {};
	u64 *pa = kunit_kcalloc(test, UAPI_CLEAR_PAGES, sizeof(u64), GFP_KERNEL);
	u64 mapped0 = td->ndev.bar1.cleared_mapped;

	KUNIT_ASSERT_NOT_NULL(test, pa);
	/* Read-only: cleared through a mapping of the clearer's own, then shown. */
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	m.handle = al.handle;
	m.flags = NOVAMM_MAP_READ_ONLY;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.cleared_bar1, (u64)UAPI_CLEAR_SIZE);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.clear_pieces, 3ULL);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.cleared_mapped, mapped0);
	uapi_vram_of(test, td, &m, pa);
	uapi_expect_zero(test, td, &m, pa);
	novamm_vram_stats(&td->ndev.mm.buddy, &st0);
	h.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_free(f, &h), 0);
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	KUNIT_EXPECT_EQ(test, st.clean, st0.clean + UAPI_CLEAR_SIZE);

	novamm_sim_counters(td->sim, &c0);
	al = (struct novamm_alloc){ .size = UAPI_CLEAR_SIZE };
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	KUNIT_EXPECT_EQ(test, st.clean_allocs, st0.clean_allocs + 1);
	KUNIT_EXPECT_EQ(test, st.clean_bytes, st0.clean_bytes + UAPI_CLEAR_SIZE);
	KUNIT_EXPECT_EQ(test, st.clean, st0.clean);
	m = (struct novamm_map){ .handle = al.handle };
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	novamm_sim_counters(td->sim, &c1);
	KUNIT_EXPECT_EQ(test, c1.bar1_writes, c0.bar1_writes);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.cleared_mapped, mapped0);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.cleared_bar1, (u64)UAPI_CLEAR_SIZE);
	uapi_expect_zero(test, td, &m, pa);
#ifdef NOVAMM_KBUDDY_CLEAR
	kunit_info(test, "cleared blocks tracked by %s\n", NOVAMM_KBUDDY_NAME);
#else
	kunit_info(test, "cleared blocks tracked by novamm's bitmap\n");
#endif

	/* Mapped writable, it goes back dirty: the next one is cleared again. */
	h.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_free(f, &h), 0);
	novamm_vram_stats(&td->ndev.mm.buddy, &st);
	KUNIT_EXPECT_EQ(test, st.clean, st0.clean);
	al = (struct novamm_alloc){ .size = UAPI_CLEAR_SIZE };
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	m = (struct novamm_map){ .handle = al.handle };
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.cleared_mapped - mapped0, (u64)UAPI_CLEAR_SIZE);
	novamm_uapi_release(f);
}

/*
 * An importer as a driver would be: a device of its own, attached
 * dynamically, counting the notices that its mappings are gone.
 */
struct uapi_importer {
	struct device *dev;
	struct dma_buf_attachment *attach;
	unsigned int notified;
};

static void uapi_importer_notify(struct dma_buf_attachment *attach)
{
	struct uapi_importer *imp = attach->importer_priv;

	imp->notified++;
}

static const struct dma_buf_attach_ops uapi_importer_ops = {
	.allow_peer2peer = true,
	.NOVAMM_DMA_BUF_IMPORTER_NOTIFY = uapi_importer_notify,
};

static void uapi_importer_attach(struct kunit *test, struct uapi_importer *imp,
				 struct dma_buf *dmabuf, const char *name)
{
	imp->dev = novamm_test_root_device(name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(imp->dev));
	KUNIT_ASSERT_EQ(test, dma_coerce_mask_and_coherent(imp->dev, DMA_BIT_MASK(64)), 0);
	imp->attach = dma_buf_dynamic_attach(dmabuf, imp->dev, &uapi_importer_ops, imp);
	KUNIT_ASSERT_FALSE(test, IS_ERR(imp->attach));
}

static void uapi_importer_detach(struct uapi_importer *imp, struct sg_table *sgt,
				 enum dma_data_direction dir)
{
	struct dma_buf *dmabuf = imp->attach->dmabuf;

	if (sgt)
		dma_buf_unmap_attachment_unlocked(imp->attach, sgt, dir);
	dma_buf_detach(dmabuf, imp->attach);
	root_device_unregister(imp->dev);
}

/* The dma-buf's last reference goes, and with it (now) its release. */
static void uapi_dmabuf_put(struct dma_buf *dmabuf)
{
	dma_buf_put(dmabuf);
	flush_delayed_fput();
}

/* Page @i of the importer's table; the test fails without one. */
static struct page *uapi_sg_page(struct kunit *test, struct sg_table *sgt, unsigned int i)
{
	struct sg_page_iter iter;

	for_each_sgtable_page(sgt, &iter, i)
		return sg_page_iter_page(&iter);
	KUNIT_ASSERT_TRUE_MSG(test, false, "page %u not in the table", i);
	return NULL;
}

/* Page @i of the importer's table holds @byte throughout. */
static void uapi_expect_page(struct kunit *test, struct sg_table *sgt, unsigned int i, u8 byte)
{
	void *va = kmap_local_page(uapi_sg_page(test, sgt, i));

	KUNIT_EXPECT_NULL(test, memchr_inv(va, byte, PAGE_SIZE));
	kunmap_local(va);
}

static void uapi_fill_page(struct kunit *test, struct sg_table *sgt, unsigned int i, u8 byte)
{
	void *va = kmap_local_page(uapi_sg_page(test, sgt, i));

	memset(va, byte, PAGE_SIZE);
	kunmap_local(va);
}

#define UAPI_EXPORT_PAGES	16

/*
 * An importer sees through its device mapping what BAR1 shows, and what it
 * writes lands in the VRAM the sim's MMU translates the allocation to.
 * FREE tells it once and refuses it from then on, but the VRAM stays
 * allocated until the dma-buf goes.
 */
static void uapi_export_import(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_alloc al = { .size = UAPI_EXPORT_PAGES * SZ_4K };
	u8 *buf = novamm_test_vmalloc(test, SZ_4K);
	u64 pa[UAPI_EXPORT_PAGES], held;
	struct uapi_importer imp = {};
	struct novamm_export ex = {};
	struct novamm_handle h = {};
	struct novamm_map m = {};
	struct iosys_map vmap;
	struct dma_buf *dmabuf;
	struct sg_table *sgt;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	m.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	uapi_vram_of(test, td, &m, pa);
	for (i = 0; i < UAPI_EXPORT_PAGES; i++) {
		memset(buf, 0xa0 + i, SZ_4K);
		KUNIT_ASSERT_EQ(test, novamm_hw_bar1_write(&td->ndev.hw, m.bar1_offset + i * SZ_4K,
							   buf, SZ_4K), 0);
	}

	ex.handle = al.handle;
	dmabuf = novamm_uapi_export(f, &ex);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	KUNIT_EXPECT_EQ(test, dmabuf->size, UAPI_EXPORT_PAGES * SZ_4K);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(f, &ex)), -EBUSY);
	h.handle = al.handle;
	KUNIT_EXPECT_EQ(test, novamm_uapi_unmap(f, &h), -EBUSY);

	uapi_importer_attach(test, &imp, dmabuf, "novamm-importer-0");
	sgt = dma_buf_map_attachment_unlocked(imp.attach, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sgt));
	for (i = 0; i < UAPI_EXPORT_PAGES; i++) {
		uapi_expect_page(test, sgt, i, 0xa0 + i);
		uapi_fill_page(test, sgt, i, 0xb0 + i);
	}
	for (i = 0; i < UAPI_EXPORT_PAGES; i++) {
		KUNIT_ASSERT_EQ(test, novamm_sim_vram_read(td->sim, pa[i], buf, SZ_4K), 0);
		KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0xb0 + i, SZ_4K));
	}
	/* A kernel mapping shows the same pages. */
	KUNIT_ASSERT_EQ(test, novamm_dma_buf_vmap(dmabuf, &vmap), 0);
	KUNIT_EXPECT_FALSE(test, vmap.is_iomem);
	for (i = 0; i < UAPI_EXPORT_PAGES; i++)
		KUNIT_EXPECT_NULL(test, memchr_inv((u8 *)vmap.vaddr + i * SZ_4K, 0xb0 + i, SZ_4K));
	novamm_dma_buf_vunmap(dmabuf, &vmap);

	held = vram_free(td);
	KUNIT_ASSERT_EQ(test, novamm_uapi_free(f, &h), 0);
	KUNIT_EXPECT_EQ(test, imp.notified, 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_map_attachment_unlocked(imp.attach,
								      DMA_BIDIRECTIONAL)), -ENODEV);
	KUNIT_EXPECT_EQ(test, novamm_uapi_free(f, &h), -ENOENT);
	/* A kernel mapping now shows zeros, not what the importer wrote. */
	KUNIT_ASSERT_EQ(test, novamm_dma_buf_vmap(dmabuf, &vmap), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(vmap.vaddr, 0, UAPI_EXPORT_PAGES * SZ_4K));
	novamm_dma_buf_vunmap(dmabuf, &vmap);
	/* Still allocated and mapped while the importer may reach it. */
	KUNIT_EXPECT_EQ(test, vram_free(td), held);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), UAPI_EXPORT_PAGES * SZ_4K);
	uapi_importer_detach(&imp, sgt, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, vram_free(td), held);
	uapi_dmabuf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, vram_free(td), held + UAPI_EXPORT_PAGES * SZ_4K);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), 0);
	novamm_uapi_release(f);
}

/* Each refusal of EXPORT, and of a read-only export's writers. */
static void uapi_export_refused(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GH100", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td), *other = uapi_file(test, td);
	struct novamm_alloc al = { .size = SZ_64K };
	struct uapi_importer imp = {};
	struct novamm_export ex = {};
	struct novamm_handle h = {};
	struct novamm_map m = {};
	struct dma_buf *dmabuf;
	struct sg_table *sgt;

	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	ex.handle = al.handle;
	ex.flags = BIT(2);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(f, &ex)), -EINVAL);
	ex.flags = 0;
	ex.pad = 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(f, &ex)), -EINVAL);
	ex.pad = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(other, &ex)), -ENOENT);
	ex.handle = 99;
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(f, &ex)), -ENOENT);
	ex.handle = al.handle;
	/* Nothing was mapped by a refusal. */
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), 0);

	m.handle = al.handle;
	m.flags = NOVAMM_MAP_READ_ONLY;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(f, &ex)), -EPERM);
	ex.flags = NOVAMM_EXPORT_READ_ONLY;
	dmabuf = novamm_uapi_export(f, &ex);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	uapi_importer_attach(test, &imp, dmabuf, "novamm-importer-1");
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_map_attachment_unlocked(imp.attach,
								      DMA_BIDIRECTIONAL)), -EPERM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_map_attachment_unlocked(imp.attach,
								      DMA_FROM_DEVICE)), -EPERM);
	sgt = dma_buf_map_attachment_unlocked(imp.attach, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sgt));
	uapi_expect_page(test, sgt, 15, 0);
	uapi_importer_detach(&imp, sgt, DMA_TO_DEVICE);
	uapi_dmabuf_put(dmabuf);
	/* The mapping was MAP's, not EXPORT's: it stays. */
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), SZ_64K);

	h.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_free(f, &h), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(f, &ex)), -ENOENT);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), 0);
	novamm_uapi_release(other);
	novamm_uapi_release(f);
}

/*
 * A dma-buf passed on outlives the file that exported it: closing the file
 * revokes nothing, and the VRAM goes with the dma-buf. A mapping EXPORT
 * made goes when its dma-buf does, and the allocation can be mapped again.
 */
static void uapi_export_outlives(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_alloc al = { .size = SZ_64K };
	struct uapi_importer imp = {};
	struct novamm_export ex = {};
	struct novamm_map m = {};
	struct dma_buf *dmabuf;
	struct sg_table *sgt;
	u64 free0;

	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	ex.handle = al.handle;
	dmabuf = novamm_uapi_export(f, &ex);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), SZ_64K);
	uapi_dmabuf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), 0);
	m.handle = al.handle;
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	KUNIT_EXPECT_EQ(test, m.size, SZ_64K);

	dmabuf = novamm_uapi_export(f, &ex);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	free0 = vram_free(td);
	novamm_uapi_release(f);
	KUNIT_EXPECT_EQ(test, vram_free(td), free0);
	uapi_importer_attach(test, &imp, dmabuf, "novamm-importer-2");
	sgt = dma_buf_map_attachment_unlocked(imp.attach, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sgt));
	KUNIT_EXPECT_EQ(test, imp.notified, 0);
	uapi_expect_page(test, sgt, 0, 0);
	uapi_importer_detach(&imp, sgt, DMA_BIDIRECTIONAL);
	uapi_dmabuf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, vram_free(td), free0 + SZ_64K);
	KUNIT_EXPECT_EQ(test, novamm_bar1_mapped(&td->ndev.bar1), 0);
}

/*
 * The device goes under a mapped importer: it is told, refused from then
 * on, and its pages stay readable until it unmaps them; the device
 * leaves no VRAM behind, and the dma-buf's release afterwards is safe.
 */
static void uapi_export_device_gone(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GH100", SZ_1G);
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_alloc al = { .size = SZ_64K };
	struct uapi_importer imp = {};
	struct novamm_export ex = {};
	struct dma_buf *dmabuf;
	struct sg_table *sgt;

	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	ex.handle = al.handle;
	dmabuf = novamm_uapi_export(f, &ex);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	uapi_importer_attach(test, &imp, dmabuf, "novamm-importer-3");
	sgt = dma_buf_map_attachment_unlocked(imp.attach, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sgt));
	uapi_fill_page(test, sgt, 3, 0x3c);

	novamm_test_dev_remove(td);
	KUNIT_EXPECT_EQ(test, td->ndev.vram_leaks, 0);
	KUNIT_EXPECT_EQ(test, imp.notified, 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_map_attachment_unlocked(imp.attach,
								      DMA_BIDIRECTIONAL)), -ENODEV);
	uapi_expect_page(test, sgt, 3, 0x3c);
	KUNIT_EXPECT_EQ(test, PTR_ERR(novamm_uapi_export(f, &ex)), -ENODEV);
	uapi_importer_detach(&imp, sgt, DMA_BIDIRECTIONAL);
	uapi_dmabuf_put(dmabuf);
	novamm_uapi_release(f);
}

/* Where a PCI GPU's BAR1 would be, for a sim that plays one. */
#define UAPI_FAKE_BAR1_PHYS	0xe0000000ULL

static phys_addr_t uapi_fake_bar1_phys(struct novamm_hw *hw)
{
	return UAPI_FAKE_BAR1_PHYS;
}

struct uapi_attach_case {
	bool physical;		/* BAR1 is I/O memory, as on a PCI GPU */
	bool p2p;		/* the importer takes peer-to-peer memory */
	int ret;
};

/*
 * Who may attach, by what BAR1 is and what the importer accepts. Host
 * pages (the sim) go to anyone. I/O memory goes only to an importer that
 * takes peer-to-peer memory, and only where the kernel's P2P code finds a
 * path: a device that is not on PCI, as here, has none, as on a kernel
 * without CONFIG_PCI_P2PDMA. The paths through a switch or the host
 * bridge need real PCI devices; the kernel's code chooses between them.
 */
static const struct uapi_attach_case uapi_attach_cases[] = {
	{ .physical = false, .p2p = false, .ret = 0 },
	{ .physical = false, .p2p = true, .ret = 0 },
	{ .physical = true, .p2p = false, .ret = -EOPNOTSUPP },
	{ .physical = true, .p2p = true, .ret = -EOPNOTSUPP },
};

static void uapi_export_attach(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_1G);
	const struct novamm_hw_ops *sim_ops = td->ndev.hw.ops;
	struct novamm_uapi_file *f = uapi_file(test, td);
	struct novamm_alloc al = { .size = SZ_64K };
	struct dma_buf_attachment *attach;
	struct novamm_export ex = {};
	struct uapi_importer imp = {};
	struct novamm_hw_ops *pci;
	struct dma_buf *dmabuf;
	unsigned long pfn;
	unsigned int i;

	pci = kunit_kzalloc(test, sizeof(*pci), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pci);
	*pci = *sim_ops;
	pci->bar1_phys = uapi_fake_bar1_phys;
	pci->bar1_page = NULL;
	imp.dev = novamm_test_root_device("novamm-importer-4");
	KUNIT_ASSERT_FALSE(test, IS_ERR(imp.dev));
	KUNIT_ASSERT_EQ(test, dma_coerce_mask_and_coherent(imp.dev, DMA_BIT_MASK(64)), 0);

	for (i = 0; i < ARRAY_SIZE(uapi_attach_cases); i++) {
		const struct uapi_attach_case *c = &uapi_attach_cases[i];

		td->ndev.hw.ops = c->physical ? pci : sim_ops;
		KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
		ex.handle = al.handle;
		dmabuf = novamm_uapi_export(f, &ex);
		td->ndev.hw.ops = sim_ops;
		KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
		if (c->p2p)
			attach = dma_buf_dynamic_attach(dmabuf, imp.dev, &uapi_importer_ops, &imp);
		else
			attach = dma_buf_attach(dmabuf, imp.dev);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(attach), c->ret, "case %u", i);
		if (!IS_ERR(attach))
			dma_buf_detach(dmabuf, attach);
		uapi_dmabuf_put(dmabuf);
	}
	root_device_unregister(imp.dev);

	/* A CPU mapping of I/O memory is its page frame, write-combined. */
	td->ndev.hw.ops = pci;
	KUNIT_EXPECT_EQ(test, novamm_bar1_pfn(&td->ndev.hw, SZ_64K, true, &pfn), 0);
	KUNIT_EXPECT_EQ(test, pfn, (unsigned long)((UAPI_FAKE_BAR1_PHYS + SZ_64K) >> PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, pgprot_val(novamm_bar1_page_prot(&td->ndev.hw, PAGE_SHARED)),
			pgprot_val(pgprot_writecombine(PAGE_SHARED)));
	td->ndev.hw.ops = sim_ops;
	novamm_uapi_release(f);
}

/*
 * A sim with vram_huge backs each 2 MiB of VRAM with one aligned,
 * contiguous 2 MiB of host memory. A 4 MiB allocation, mapped as two
 * 2 MiB BAR1 pages over 2 MiB-aligned VRAM, is then handed to a CPU
 * mapping as two runs of 512 frames, each from a 512-aligned frame: the
 * shape novamm_bar1_fault_block() maps with one entry per run. Host memory
 * comes in whole blocks, 512 pages at a time.
 */
static void uapi_pfn_huge(struct kunit *test)
{
	struct novamm_sim_config cfg = { .chip = "GA102", .vram_size = SZ_1G,
					 .vram_huge = true };
	struct novamm_test_dev *td = novamm_test_dev_attach_cfg(test, &cfg);
	struct novamm_alloc al = { .size = SZ_4M };
	unsigned long pfn, first = 0, wrong = 0;
	struct novamm_sim_counters cnt;
	struct novamm_uapi_file *f;
	struct novamm_map m;
	unsigned int i;
	u64 *pa;

	novamm_test_dev_probe(test, td);
	f = uapi_file(test, td);
	pa = kunit_kcalloc(test, SZ_4M / SZ_4K, sizeof(*pa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pa);
	KUNIT_ASSERT_EQ(test, novamm_uapi_alloc(f, &al), 0);
	m = (struct novamm_map){ .handle = al.handle };
	KUNIT_ASSERT_EQ(test, novamm_uapi_map(f, &m), 0);
	uapi_vram_of(test, td, &m, pa);
	KUNIT_ASSERT_EQ(test, pa[0] & (SZ_2M - 1), 0ULL);
	KUNIT_ASSERT_EQ(test, pa[512], pa[0] + SZ_2M);
	KUNIT_ASSERT_EQ(test, m.bar1_offset & (SZ_2M - 1), 0ULL);
	for (i = 0; i < SZ_4M / SZ_4K; i++) {
		KUNIT_ASSERT_EQ(test, novamm_bar1_pfn(&td->ndev.hw, m.bar1_offset + (u64)i * SZ_4K,
						      true, &pfn), 0);
		if (i % 512 == 0) {
			first = pfn;
			wrong += pfn % 512 != 0;
		} else {
			wrong += pfn != first + i % 512;
		}
	}
	KUNIT_EXPECT_EQ(test, wrong, 0UL);
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.vram_pages % 512, 0ULL);
	KUNIT_EXPECT_GE(test, cnt.vram_pages, 1024ULL);
	novamm_uapi_release(f);
}

static struct kunit_case novamm_uapi_cases[] = {
	KUNIT_CASE(uapi_info),
	KUNIT_CASE(uapi_arguments),
	KUNIT_CASE(uapi_ownership),
	KUNIT_CASE(uapi_device_gone),
	KUNIT_CASE(uapi_faults),
	KUNIT_CASE(uapi_quotas),
	KUNIT_CASE(uapi_copy_out_undo),
	KUNIT_CASE(uapi_selftest_busy),
	KUNIT_CASE(uapi_page_prot),
	KUNIT_CASE(uapi_vram_cleared),
	KUNIT_CASE(uapi_clean_shortcut),
	KUNIT_CASE(uapi_export_import),
	KUNIT_CASE(uapi_export_refused),
	KUNIT_CASE(uapi_export_outlives),
	KUNIT_CASE(uapi_export_device_gone),
	KUNIT_CASE(uapi_export_attach),
	KUNIT_CASE(uapi_pfn_huge),
	{}
};

static struct kunit_suite novamm_uapi_suite = {
	.name = "novamm_uapi",
	.test_cases = novamm_uapi_cases,
};

kunit_test_suite(novamm_uapi_suite);
