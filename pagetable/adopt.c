// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tree made new, or adopted under a root directory someone else owns,
 * and taken down again.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <novamm/buddy.h>
#include <novamm/hw.h>
#include <novamm/pagetable.h>
#include <novamm/pramin.h>

#include "internal.h"

static void pt_init_empty(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			  struct novamm_pramin *pramin,
			  const struct novamm_pt_format *fmt,
			  struct novamm_pt_window *window)
{
	pt->pramin = pramin;
	pt->fmt = fmt;
	pt->root = NULL;
	pt->num_tables = 0;
	pt->num_fresh = 0;
	INIT_LIST_HEAD(&pt->unlinked);
	pt->num_unlinked = 0;
	INIT_LIST_HEAD(&pt->retired);
	pt->num_retired = 0;
	INIT_LIST_HEAD(&pt->spare);
	pt->num_spare = 0;
	pt->vram_unsure = false;
	pt->gen = 0;
	novamm_pt_pool_init(&pt->pool, buddy, window);
}

/**
 * novamm_pagetable_init() - an empty tree: a zeroed root directory
 * @pt: the tree to set up
 * @buddy: the VRAM allocator its tables come from (the table pool)
 * @pramin: the window its tables are written through
 * @fmt: its format
 * @window: where its table chunks are mapped write-combined, for writes
 *	that do not go through PRAMIN; NULL for none
 *
 * The root gets a whole 4 KiB page from the table pool, zeroed through
 * PRAMIN (the MMU may prefetch past the entries the VA uses); there is no
 * other table yet. @window maps the pool's chunks at the first update
 * (novamm_pt_window_map()). On failure nothing stays allocated.
 *
 * Context: takes the buddy lock (the pool's first chunk), then the PRAMIN
 * window's lock, one after the other. May sleep.
 *
 * Return: 0, -ENOSPC or -ENOMEM, or the error of the PRAMIN write.
 */
int novamm_pagetable_init(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			  struct novamm_pramin *pramin,
			  const struct novamm_pt_format *fmt,
			  struct novamm_pt_window *window)
{
	struct novamm_pt *root;
	int ret;

	pt_init_empty(pt, buddy, pramin, fmt, window);
	root = novamm_pt_new(pt, &fmt->dirs[0]);
	if (IS_ERR(root)) {
		novamm_pt_pool_fini(&pt->pool);
		return PTR_ERR(root);
	}
	/* The whole page: the MMU may prefetch past the root's entries. */
	ret = novamm_pramin_fill(pramin, root->addr, 0, pt_alloc_size(pt, root->level));
	if (ret) {
		novamm_pt_free(pt, root);
		novamm_pt_pool_fini(&pt->pool);
		return ret;
	}
	root->fresh = false;
	pt->num_fresh--;
	pt->root = root;
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_init);

/**
 * novamm_pagetable_adopt() - a tree under a root directory someone else owns
 * @pt: the tree to set up
 * @buddy: the VRAM allocator its tables come from (the table pool)
 * @pramin: the window its tables are written through
 * @fmt: its format
 * @root_addr: VRAM address of the root directory, 4 KiB aligned
 * @va: start of the VA range the tree will map
 * @size: its bytes
 *
 * For GSP-RM's BAR1 page directory: the root is read once through PRAMIN
 * and kept in the shadow as found; it is never freed and never written
 * whole, only its entries for [@va, @va + @size), which must all be
 * invalid. Entries outside that range stay as they are, untouched. Tables
 * below the root come from the pool as in any tree; once the caller has
 * unmapped everything, the root's entries are invalid again.
 *
 * Context: takes the PRAMIN window's lock for the read. May sleep.
 *
 * Return: 0; -EINVAL for a root outside VRAM or unaligned, or an empty
 * range or one beyond the VA; -EBUSY when an entry for the range is
 * already valid (logged); -ENOMEM, or the PRAMIN error.
 */
int novamm_pagetable_adopt(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			   struct novamm_pramin *pramin,
			   const struct novamm_pt_format *fmt, u64 root_addr,
			   u64 va, u64 size)
{
	const struct novamm_pt_level *l = &fmt->dirs[0];
	struct device *dev = pramin->hw->dev;
	unsigned int idx, first, end, w;
	struct novamm_pt *root;
	u64 last;
	int ret;

	/* A root is given a page (pt_alloc_size()), and so is GSP-RM's. */
	if (!IS_ALIGNED(root_addr, SZ_4K) || root_addr >= pramin->vram_size ||
	    pramin->vram_size - root_addr < SZ_4K) {
		dev_err(dev, "page directory at 0x%llx is unaligned or outside VRAM\n",
			root_addr);
		return -EINVAL;
	}
	pt_init_empty(pt, buddy, pramin, fmt, NULL);
	root = novamm_pt_shadow_new(pt, l);
	if (!root)
		return -ENOMEM;
	root->addr = root_addr;
	root->foreign = true;

	ret = novamm_pramin_read(pramin, root_addr, root->raw,
				 pt_entries(l) * l->entry_size);
	if (ret)
		goto err;

	if (!pt_clamp(pt, va, size, &last)) {
		ret = -EINVAL;
		goto err;
	}
	pt_range(root, 0, va, last, &first, &end);
	for (idx = 0; idx < pt_entries(l); idx++) {
		bool used = false;

		for (w = 0; w < pt_words(l); w++)
			used |= root->raw[idx * pt_words(l) + w] != 0;
		if (!used)
			continue;
		if (idx >= first && idx <= end) {
			dev_err(dev, "page directory at 0x%llx already maps entry %u of the range [0x%llx, 0x%llx]\n",
				root_addr, idx, va, last);
			ret = -EBUSY;
			goto err;
		}
		root->valid++;
	}
	pt->root = root;
	pt->num_tables = 1;
	return 0;

err:
	pt_shadow_free(root);
	novamm_pt_pool_fini(&pt->pool);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_pagetable_adopt);

/**
 * novamm_pagetable_fini() - free every table of a tree
 * @pt: the tree; nothing may use it any more, the GPU included (the VRAM
 *	is not cleared)
 *
 * Tables waiting on @pt->unlinked or @pt->retired go too. A tree whose
 * setup failed, or that was finished already, is left alone. After
 * novamm_pagetable_keep(), the VRAM of the tables stays allocated.
 */
void novamm_pagetable_fini(struct novamm_pagetable *pt)
{
	if (!pt->root)
		return;
	novamm_pagetable_release(pt);
	novamm_pt_spare_free(pt);
	novamm_pt_free_all(pt, pt->root);
	pt->root = NULL;
	pt->num_tables = 0;
	novamm_pt_pool_fini(&pt->pool);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_fini);

/**
 * novamm_pagetable_keep() - the GPU may walk these tables after they go
 * @pt: the tree; when it is freed, its tables' VRAM stays allocated
 *	(novamm_vram_keep()), so that nothing else is ever put there
 */
void novamm_pagetable_keep(struct novamm_pagetable *pt)
{
	novamm_pt_pool_keep(&pt->pool);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_keep);
