// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR1 for other devices and for userspace: a BAR1 mapping as a dma-buf,
 * and the CPU mappings of BAR1 that it and /dev/novamm<N> hand out.
 */

/**
 * DOC: Exporting a BAR1 mapping
 *
 * novamm_bar1_export() makes a dma-buf of a BAR1 mapping. The dma-buf
 * shows the VRAM the mapping translates to; it does not own it. Its owner
 * keeps the mapping and the VRAM until the dma-buf's release callback
 * says that no importer can reach them any more, and may revoke the
 * dma-buf before that (novamm_bar1_revoke()): importers are told
 * (dma_buf_move_notify(), dma_buf_invalidate_mappings() in 7.3), new
 * attachments, device mappings, kernel mappings and CPU access fail with
 * ``-ENODEV``, and CPU mappings are zapped (a touch is ``SIGBUS``). An
 * importer that mapped before the revocation keeps addresses that still
 * point at the same, still allocated, VRAM until it unmaps; that is why
 * the owner frees nothing before the release.
 *
 * The exporter is dynamic (it has pin and unpin): importers that can move
 * are told, the others are pinned while they map.
 *
 * What an importer's device gets depends on what BAR1 is:
 *
 * - On a PCI GPU, BAR1 is I/O memory without struct pages, so only an
 *   importer that accepts peer-to-peer memory may attach, and the kernel's
 *   P2P code picks its addresses (dma_buf_phys_vec_to_sgt(), 7.x): bus
 *   addresses where the two devices share a switch, an address mapped for
 *   the importer (through its IOMMU) where the path crosses the host
 *   bridge, and a refused attachment where the platform does not route
 *   peer-to-peer. A kernel without that code, or built without
 *   ``CONFIG_PCI_P2PDMA`` (Debian's 6.1 and 6.12), cannot tell which
 *   address is right, so attachments are refused with ``-EOPNOTSUPP``
 *   rather than given a physical address that an IOMMU would misroute.
 * - On a simulated GPU, BAR1 offsets translate, through the sim's MMU and
 *   the page tables novamm wrote, to host pages that are the simulated
 *   VRAM. The importer gets those pages, mapped for its device as system
 *   memory, so any importer may attach; what it writes is what the GPU
 *   and ``vram_raw`` read, and a translation the page tables refuse is a
 *   refused mapping. Each page is held while a mapping shows it, so an
 *   importer never touches a freed page even if the sim goes first.
 *
 * A read-only export refuses device mappings that would write
 * (``DMA_FROM_DEVICE``, ``DMA_BIDIRECTIONAL``), writable CPU mappings,
 * and on a simulated GPU maps kernel mappings read-only. The direction is
 * known only when an importer maps: attaching is never refused for it.
 * So vgem's import of a read-only export fails with ``-EPERM`` where the
 * shmem helpers map at import (6.1, 6.12) and succeeds where they import
 * without mapping (``drm_gem_shmem_prime_import_no_map()``, 7.3); there
 * its handle, exported back, is the same read-only dma-buf.
 *
 * After a revocation a new kernel mapping (``dma_buf_vmap()``) is not
 * refused, because the dma-buf core warns on a failed vmap and importers
 * ask for one on paths userspace reaches: it shows a page of zeros,
 * repeated, and never the VRAM. One made before stays valid until its
 * vunmap; it shows VRAM that is still allocated, or on a simulated GPU
 * pages it holds.
 */

/**
 * DOC: Locking
 *
 * ``exp->lock`` guards whether an export is revoked and its kernel
 * mapping. The dma-buf core calls map, unmap, pin and unpin (and from
 * 6.2 mmap, vmap and vunmap) with the buffer's reservation lock held, so
 * ``exp->lock`` nests inside it; novamm_bar1_revoke() takes them in that
 * order. A fault on a CPU mapping takes ``exp->lock`` under
 * ``mmap_lock``. No BAR1, address-space or allocator lock is taken: the
 * export reads translations through the access layer only.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/huge_mm.h>
#include <linux/io.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#ifdef NOVAMM_HAVE_DMA_BUF_PHYS_VEC
#include <linux/dma-buf-mapping.h>
#include <linux/pci-p2pdma.h>
#endif

#include <novamm/bar1.h>
#include <novamm/compat.h>
#include <novamm/hw.h>

NOVAMM_IMPORT_DMA_BUF_NS();

/**
 * struct novamm_bar1_exporter - a BAR1 mapping shown as a dma-buf
 * @dmabuf: the dma-buf
 * @hw: the GPU, used until revoked
 * @phys: where BAR1 is in the CPU's physical address space, on a PCI GPU
 * @is_phys: BAR1 is physical memory (a PCI GPU), not the host pages of a
 *	simulated one; known after @hw is gone
 * @offset: BAR1 offset of the mapping
 * @size: bytes
 * @flags: NOVAMM_BAR1_EXPORT_*
 * @release: called once the dma-buf is released
 * @data: for @release
 * @lock: guards what follows
 * @revoked: no new access of any kind
 * @vaddr: the kernel mapping importers share (the dma-buf core counts
 *	them) of a simulated GPU's pages, or of zeros after a revocation;
 *	NULL when there is none
 * @vmap_pages: the pages @vaddr maps, each held
 * @io: the kernel mapping importers share of a PCI GPU's BAR1, or NULL
 * @provider: on a PCI GPU with the kernel's P2P mapping code, BAR1's
 *	provider; NULL where device mappings are refused
 */
struct novamm_bar1_exporter {
	struct dma_buf *dmabuf;
	struct novamm_hw *hw;
	phys_addr_t phys;
	bool is_phys;
	u64 offset;
	u64 size;
	unsigned long flags;
	void (*release)(void *data);
	void *data;
	struct mutex lock;	/* see above */
	bool revoked;
	void *vaddr;
	struct page **vmap_pages;
	void __iomem *io;
#ifdef NOVAMM_HAVE_DMA_BUF_PHYS_VEC
	struct p2pdma_provider *provider;
#endif
};

/*
 * Released pages of @pages (the first @n), each held by the caller: what
 * a simulated GPU's BAR1 showed.
 */
static void export_put_pages(struct page **pages, unsigned long n)
{
	while (n--)
		put_page(pages[n]);
}

/*
 * The host pages a simulated GPU's BAR1 shows for the export, each held,
 * in an array the caller frees with kvfree() after export_put_pages().
 */
static struct page **export_get_pages(struct novamm_bar1_exporter *exp, bool write)
{
	unsigned long i, n = exp->size >> PAGE_SHIFT;
	struct page **pages, *page;

	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++) {
		page = novamm_hw_bar1_page(exp->hw, exp->offset + ((u64)i << PAGE_SHIFT), write);
		if (IS_ERR(page)) {
			dev_dbg(exp->hw->dev, "bar1: export of 0x%llx: page %lu: %ld\n",
				exp->offset, i, PTR_ERR(page));
			export_put_pages(pages, i);
			kvfree(pages);
			return ERR_CAST(page);
		}
		get_page(page);
		pages[i] = page;
	}
	return pages;
}

static int export_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct novamm_bar1_exporter *exp = dmabuf->priv;
	int ret = 0;

	mutex_lock(&exp->lock);
	if (exp->revoked) {
		ret = -ENODEV;
		goto out;
	}
	if (!exp->is_phys)
		goto out;
	/* BAR1 has no struct pages: only P2P-aware importers can use it. */
	if (!attach->peer2peer) {
		dev_dbg(exp->hw->dev, "bar1: export of 0x%llx: %s does not accept peer-to-peer memory\n",
			exp->offset, dev_name(attach->dev));
		ret = -EOPNOTSUPP;
		goto out;
	}
#ifdef NOVAMM_HAVE_DMA_BUF_PHYS_VEC
	if (exp->provider &&
	    pci_p2pdma_map_type(exp->provider, attach->dev) != PCI_P2PDMA_MAP_NOT_SUPPORTED)
		goto out;
#endif
	dev_dbg(exp->hw->dev, "bar1: export of 0x%llx: no peer-to-peer path to %s that this kernel can map\n",
		exp->offset, dev_name(attach->dev));
	ret = -EOPNOTSUPP;
out:
	mutex_unlock(&exp->lock);
	return ret;
}

static int export_pin(struct dma_buf_attachment *attach)
{
	struct novamm_bar1_exporter *exp = attach->dmabuf->priv;
	int ret;

	mutex_lock(&exp->lock);
	ret = exp->revoked ? -ENODEV : 0;
	mutex_unlock(&exp->lock);
	return ret;
}

/* BAR1 does not move: pinning only refuses a revoked export. */
static void export_unpin(struct dma_buf_attachment *attach)
{
}

static struct sg_table *export_map_pages(struct novamm_bar1_exporter *exp,
					 struct device *dev, enum dma_data_direction dir)
{
	unsigned long n = exp->size >> PAGE_SHIFT;
	struct sg_table *sgt;
	struct page **pages;
	int ret;

	pages = export_get_pages(exp, dir != DMA_TO_DEVICE);
	if (IS_ERR(pages))
		return ERR_CAST(pages);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt) {
		ret = -ENOMEM;
		goto err_pages;
	}
	ret = sg_alloc_table_from_pages(sgt, pages, n, 0, exp->size, GFP_KERNEL);
	if (ret)
		goto err_sgt;
	ret = dma_map_sgtable(dev, sgt, dir, 0);
	if (ret)
		goto err_table;
	/* The table holds the pages now; unmap puts them. */
	kvfree(pages);
	return sgt;

err_table:
	sg_free_table(sgt);
err_sgt:
	kfree(sgt);
err_pages:
	export_put_pages(pages, n);
	kvfree(pages);
	return ERR_PTR(ret);
}

static struct sg_table *export_map(struct dma_buf_attachment *attach,
				   enum dma_data_direction dir)
{
	struct novamm_bar1_exporter *exp = attach->dmabuf->priv;
	struct sg_table *sgt;

	mutex_lock(&exp->lock);
	if (exp->revoked) {
		sgt = ERR_PTR(-ENODEV);
	} else if (exp->flags & NOVAMM_BAR1_EXPORT_READ_ONLY && dir != DMA_TO_DEVICE) {
		dev_dbg(exp->hw->dev, "bar1: export of 0x%llx is read-only: %s may not write it\n",
			exp->offset, dev_name(attach->dev));
		sgt = ERR_PTR(-EPERM);
	} else if (!exp->is_phys) {
		sgt = export_map_pages(exp, attach->dev, dir);
	} else {
#ifdef NOVAMM_HAVE_DMA_BUF_PHYS_VEC
		struct phys_vec vec = { .paddr = exp->phys + exp->offset, .len = exp->size };

		/* Attach refused every importer this could not serve. */
		sgt = dma_buf_phys_vec_to_sgt(attach, exp->provider, &vec, 1, exp->size, dir);
#else
		sgt = ERR_PTR(-EOPNOTSUPP);
#endif
	}
	mutex_unlock(&exp->lock);
	return sgt;
}

static void export_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt,
			 enum dma_data_direction dir)
{
	struct novamm_bar1_exporter *exp = attach->dmabuf->priv;
	struct sg_page_iter iter;

	/* Importers unmap after a revocation too: nothing of the GPU's here. */
	if (exp->is_phys) {
#ifdef NOVAMM_HAVE_DMA_BUF_PHYS_VEC
		dma_buf_free_sgt(attach, sgt, dir);
#endif
		return;
	}
	dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	for_each_sgtable_page(sgt, &iter, 0)
		put_page(sg_page_iter_page(&iter));
	sg_free_table(sgt);
	kfree(sgt);
}

static void export_vunmap_locked(struct novamm_bar1_exporter *exp)
{
	if (exp->vaddr) {
		vunmap(exp->vaddr);
		export_put_pages(exp->vmap_pages, exp->size >> PAGE_SHIFT);
		kvfree(exp->vmap_pages);
	}
	if (exp->io)
		iounmap(exp->io);
	exp->vaddr = NULL;
	exp->vmap_pages = NULL;
	exp->io = NULL;
}

static void export_release(struct dma_buf *dmabuf)
{
	struct novamm_bar1_exporter *exp = dmabuf->priv;

	/* The core vunmaps nothing for an importer that forgot to. */
	export_vunmap_locked(exp);
	exp->release(exp->data);
	mutex_destroy(&exp->lock);
	kfree(exp);
}

/**
 * novamm_bar1_pfn() - the page frame a CPU mapping of BAR1 shows
 * @hw: the GPU
 * @offset: BAR1 offset, page aligned
 * @write: the mapping may write
 * @pfn: set
 *
 * Context: process context; may sleep.
 *
 * Return: 0; or, on a simulated GPU, novamm_hw_bar1_page()'s error.
 */
int novamm_bar1_pfn(struct novamm_hw *hw, u64 offset, bool write, unsigned long *pfn)
{
	struct page *page;
	phys_addr_t phys;

	if (!novamm_hw_bar1_phys(hw, &phys)) {
		*pfn = (phys + offset) >> PAGE_SHIFT;
		return 0;
	}
	page = novamm_hw_bar1_page(hw, offset, write);
	if (IS_ERR(page))
		return PTR_ERR(page);
	*pfn = page_to_pfn(page);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_bar1_pfn);

/**
 * novamm_bar1_page_prot() - the protection a CPU mapping of BAR1 gets
 * @hw: the GPU
 * @prot: the VMA's
 *
 * A real BAR1 is write-combined, as gdrcopy maps it. A simulated GPU's
 * BAR1 pages are ordinary RAM, which the kernel maps cacheable: a
 * write-combined alias of them would be a second, uncached mapping of
 * the same memory, which arm64 forbids.
 *
 * Return: the protection.
 */
pgprot_t novamm_bar1_page_prot(struct novamm_hw *hw, pgprot_t prot)
{
	phys_addr_t phys;

	return novamm_hw_bar1_phys(hw, &phys) ? prot : pgprot_writecombine(prot);
}
EXPORT_SYMBOL_GPL(novamm_bar1_page_prot);

/* novamm_bar1_fault_block() in pages. */
static vm_fault_t bar1_fault_pages(struct novamm_hw *hw, struct vm_fault *vmf, u64 offset,
				   u64 before, u64 after)
{
	struct vm_area_struct *vma = vmf->vma;
	bool write = vma->vm_flags & VM_WRITE;
	unsigned long addr, block, start, end, pfn;
	vm_fault_t ret;
	int err;

	err = novamm_bar1_pfn(hw, offset, write || vmf->flags & FAULT_FLAG_WRITE, &pfn);
	if (err) {
		dev_dbg(hw->dev, "bar1: CPU access to 0x%llx faults: %d\n", offset, err);
		return VM_FAULT_SIGBUS;
	}
	ret = vmf_insert_pfn(vma, vmf->address, pfn);
	if (ret != VM_FAULT_NOPAGE)
		return ret;

	before = min_t(u64, before, vmf->address - vma->vm_start);
	after = min_t(u64, after, vma->vm_end - vmf->address);
	block = ALIGN_DOWN(vmf->address, NOVAMM_BAR1_FAULT_AROUND);
	start = max(block, vmf->address - before);
	end = min(block + NOVAMM_BAR1_FAULT_AROUND, vmf->address + after);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (addr == vmf->address)
			continue;
		if (novamm_bar1_pfn(hw, offset + addr - vmf->address, write, &pfn) ||
		    vmf_insert_pfn(vma, addr, pfn) != VM_FAULT_NOPAGE)
			break;
	}
	return VM_FAULT_NOPAGE;
}

/* novamm_bar1_fault_block() in one entry of @order, or VM_FAULT_FALLBACK. */
static vm_fault_t bar1_fault_huge(struct novamm_hw *hw, struct vm_fault *vmf, unsigned int order,
				  u64 offset, u64 before, u64 after)
{
#ifdef NOVAMM_HAVE_HUGE_PFNMAP
	struct vm_area_struct *vma = vmf->vma;
	bool write = vma->vm_flags & VM_WRITE;
	unsigned long addr = ALIGN_DOWN(vmf->address, PMD_SIZE), first, pfn, i;
	u64 below = vmf->address - addr;
	pmd_t pmd = pmdp_get_lockless(vmf->pmd);

	if (order != PMD_ORDER || addr < vma->vm_start || addr + PMD_SIZE > vma->vm_end ||
	    below > before || PMD_SIZE - below > after || (!pmd_none(pmd) && !pmd_leaf(pmd)))
		return VM_FAULT_FALLBACK;
	offset -= below;
	if (novamm_bar1_pfn(hw, offset, write, &first) || !IS_ALIGNED(first, PTRS_PER_PMD))
		return VM_FAULT_FALLBACK;
	for (i = 1; i < PTRS_PER_PMD; i++)
		if (novamm_bar1_pfn(hw, offset + (i << PAGE_SHIFT), write, &pfn) ||
		    pfn != first + i)
			return VM_FAULT_FALLBACK;
	return novamm_vmf_insert_pfn_pmd(vmf, first, write);
#else
	return VM_FAULT_FALLBACK;
#endif
}

/**
 * novamm_bar1_fault_block() - fill a CPU mapping of BAR1 around a fault
 * @hw: the GPU
 * @vmf: the fault, in a VMA of VM_PFNMAP
 * @order: 0 from ->fault(); from ->huge_fault(), the order of the entry
 *	the kernel offers
 * @offset: the BAR1 offset the faulting page shows
 * @before: bytes of the same mapping that may be filled below the page
 * @after: bytes that may be filled from the page on
 *
 * With @order 0, inserts the faulting page, whose failure is the fault's,
 * then the rest of the 2 MiB-aligned block of VA that holds it, within
 * @before and @after, as TTM prefaults (TTM_BO_VM_NUM_PREFAULT): a mapping
 * touched end to end costs one fault per 2 MiB, and the caller's lock is
 * held for a bounded time. The rest stops quietly at the first page that
 * cannot be had (a later touch faults on it alone); pages already present
 * are left as they are.
 *
 * With a 2 MiB @order, inserts one entry for that block where it lies
 * inside the VMA and the mapping and the pages it shows are physically
 * contiguous from a 2 MiB-aligned frame. On a PCI GPU BAR1 is contiguous,
 * and the BAR1 offset, which mmap placed in step with the VA, decides; on
 * a simulated GPU the sim's translation of each page does ("Sparse VRAM"
 * in sim/vram.c). Anything else, other orders, and a block already filled
 * with pages (a table sits where the entry would go) return
 * VM_FAULT_FALLBACK, and the kernel faults again for pages. A fault on an
 * entry inserted here, to write it, finds the same frames: the caller
 * zaps the mapping before BAR1's translation of it changes.
 *
 * Translations are asked for as the VMA may use them, and entries are
 * writable where it is.
 *
 * Context: the caller holds what orders the fault against its zaps.
 *
 * Return: VM_FAULT_NOPAGE; VM_FAULT_FALLBACK for an @order it cannot
 * give; or the fault's error.
 */
vm_fault_t novamm_bar1_fault_block(struct novamm_hw *hw, struct vm_fault *vmf, unsigned int order,
				   u64 offset, u64 before, u64 after)
{
	if (order)
		return bar1_fault_huge(hw, vmf, order, offset, before, after);
	return bar1_fault_pages(hw, vmf, offset, before, after);
}
EXPORT_SYMBOL_GPL(novamm_bar1_fault_block);

static vm_fault_t export_fault_order(struct vm_fault *vmf, unsigned int order)
{
	struct novamm_bar1_exporter *exp = vmf->vma->vm_private_data;
	u64 off = (u64)vmf->pgoff << PAGE_SHIFT;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	mutex_lock(&exp->lock);
	if (!exp->revoked && off < exp->size)
		ret = novamm_bar1_fault_block(exp->hw, vmf, order, exp->offset + off, off,
					      exp->size - off);
	mutex_unlock(&exp->lock);
	return ret;
}

static vm_fault_t export_fault(struct vm_fault *vmf)
{
	return export_fault_order(vmf, 0);
}

static const struct vm_operations_struct export_vm_ops = {
	.fault = export_fault,
#ifdef NOVAMM_HAVE_HUGE_PFNMAP
	.huge_fault = export_fault_order,
#endif
};

/*
 * Pages come in at fault time, as for /dev/novamm<N> (see uapi.c, "mmap"):
 * a revocation zaps the dma-buf file's mappings, and a page inserted
 * before the VMA is linked could not be zapped.
 */
static int export_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct novamm_bar1_exporter *exp = dmabuf->priv;
	int ret = 0;

	if (novamm_vma_is_cow(vma))
		return -EINVAL;
	mutex_lock(&exp->lock);
	if (exp->revoked) {
		ret = -ENODEV;
	} else if (exp->flags & NOVAMM_BAR1_EXPORT_READ_ONLY) {
		if (vma->vm_flags & VM_WRITE)
			ret = -EPERM;
		else
			novamm_vm_flags_clear(vma, VM_MAYWRITE);
	}
	if (!ret) {
		novamm_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_private_data = exp;
		vma->vm_ops = &export_vm_ops;
		vma->vm_page_prot = novamm_bar1_page_prot(exp->hw, vma->vm_page_prot);
	}
	mutex_unlock(&exp->lock);
	return ret;
}

/*
 * A kernel mapping asked for after a revocation shows one zeroed page
 * over and over, never the VRAM. It cannot be refused: the dma-buf core
 * warns when vmap fails, and importers ask for one on paths that
 * userspace reaches.
 */
static int export_vmap_scratch(struct novamm_bar1_exporter *exp, struct iosys_map *map)
{
	unsigned long i, n = exp->size >> PAGE_SHIFT;
	struct page **pages, *page;

	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pages || !page)
		goto err;
	/* One reference per use, as export_put_pages() drops them. */
	for (i = 0; i < n; i++) {
		get_page(page);
		pages[i] = page;
	}
	exp->vaddr = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	if (!exp->vaddr) {
		export_put_pages(pages, n);
		goto err;
	}
	put_page(page);
	exp->vmap_pages = pages;
	iosys_map_set_vaddr(map, exp->vaddr);
	return 0;

err:
	if (page)
		put_page(page);
	kvfree(pages);
	return -ENOMEM;
}

static int export_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct novamm_bar1_exporter *exp = dmabuf->priv;
	bool ro = exp->flags & NOVAMM_BAR1_EXPORT_READ_ONLY;
	struct page **pages;
	int ret = 0;

	mutex_lock(&exp->lock);
	if (exp->revoked) {
		ret = export_vmap_scratch(exp, map);
		goto out;
	}
	if (exp->is_phys) {
		exp->io = ioremap_wc(exp->phys + exp->offset, exp->size);
		if (!exp->io) {
			ret = -ENOMEM;
			goto out;
		}
		iosys_map_set_vaddr_iomem(map, exp->io);
		goto out;
	}
	pages = export_get_pages(exp, !ro);
	if (IS_ERR(pages)) {
		ret = PTR_ERR(pages);
		goto out;
	}
	exp->vaddr = vmap(pages, exp->size >> PAGE_SHIFT, VM_MAP,
			  ro ? PAGE_KERNEL_RO : PAGE_KERNEL);
	if (!exp->vaddr) {
		export_put_pages(pages, exp->size >> PAGE_SHIFT);
		kvfree(pages);
		ret = -ENOMEM;
		goto out;
	}
	exp->vmap_pages = pages;
	iosys_map_set_vaddr(map, exp->vaddr);
out:
	mutex_unlock(&exp->lock);
	return ret;
}

/*
 * A kernel mapping stays valid after a revocation: it shows VRAM that is
 * still allocated (or, on a simulated GPU, pages it holds) until here.
 */
static void export_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct novamm_bar1_exporter *exp = dmabuf->priv;

	mutex_lock(&exp->lock);
	export_vunmap_locked(exp);
	mutex_unlock(&exp->lock);
}

/* Refused after a revocation; the core passes the error on, quietly. */
static int export_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	struct novamm_bar1_exporter *exp = dmabuf->priv;
	int ret;

	mutex_lock(&exp->lock);
	ret = exp->revoked ? -ENODEV : 0;
	mutex_unlock(&exp->lock);
	return ret;
}

/*
 * A real BAR1 is mapped write-combined: stores may sit in the CPU's
 * write-combining buffers until a fence. A simulated GPU's pages are
 * coherent RAM; the fence costs nothing there.
 */
static int export_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	/* Drains the write-combining buffers before a device reads. */
	wmb();
	return 0;
}

static const struct dma_buf_ops novamm_bar1_export_ops = {
	.attach = export_attach,
	.pin = export_pin,
	.unpin = export_unpin,
	.map_dma_buf = export_map,
	.unmap_dma_buf = export_unmap,
	.release = export_release,
	.mmap = export_mmap,
	.vmap = export_vmap,
	.vunmap = export_vunmap,
	.begin_cpu_access = export_begin_cpu_access,
	.end_cpu_access = export_end_cpu_access,
};

/* BAR1's provider for the kernel's P2P mapping code, or NULL. */
static int export_p2p_provider(struct novamm_bar1_exporter *exp)
{
#ifdef NOVAMM_HAVE_DMA_BUF_PHYS_VEC
	struct pci_dev *pdev;
	int bar, ret;

	if (!IS_ENABLED(CONFIG_PCI_P2PDMA) || !dev_is_pci(exp->hw->dev))
		return 0;
	pdev = to_pci_dev(exp->hw->dev);
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (pci_resource_len(pdev, bar) && pci_resource_start(pdev, bar) == exp->phys)
			break;
	if (bar == PCI_STD_NUM_BARS)
		return 0;
	ret = pcim_p2pdma_init(pdev);
	if (ret == -EOPNOTSUPP)
		return 0;
	if (ret)
		return ret;
	exp->provider = pcim_p2pdma_provider(pdev, bar);
#endif
	return 0;
}

/**
 * novamm_bar1_export() - a dma-buf of a BAR1 mapping
 * @bar1: the BAR1 that holds it
 * @map: the mapping, page aligned; it and its VRAM must outlive the
 *	dma-buf, until @release
 * @flags: NOVAMM_BAR1_EXPORT_*; a read-only mapping exports only
 *	read-only
 * @release: called, in process context without novamm's locks, when the
 *	dma-buf is released: no importer can reach the mapping any more
 * @data: for @release
 *
 * See "Exporting a BAR1 mapping".
 *
 * Context: process context; may sleep.
 *
 * Return: the dma-buf, its file opened read-write (read-only for a
 * read-only export), or an error pointer:
 * -EINVAL for unknown flags or a mapping that is not page aligned, -EPERM
 * for a writable export of a read-only mapping, -ENOMEM, or
 * dma_buf_export()'s error.
 */
struct dma_buf *novamm_bar1_export(struct novamm_bar1 *bar1,
				   const struct novamm_bar1_mapping *map,
				   unsigned long flags, void (*release)(void *data),
				   void *data)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct novamm_bar1_exporter *exp;
	struct dma_buf *dmabuf;
	int ret;

	if (flags & ~NOVAMM_BAR1_EXPORT_FLAGS || !PAGE_ALIGNED(map->offset) ||
	    !PAGE_ALIGNED(map->size))
		return ERR_PTR(-EINVAL);
	if (map->flags & NOVAMM_BAR1_MAP_READ_ONLY && !(flags & NOVAMM_BAR1_EXPORT_READ_ONLY))
		return ERR_PTR(-EPERM);
	exp = kzalloc(sizeof(*exp), GFP_KERNEL);
	if (!exp)
		return ERR_PTR(-ENOMEM);
	exp->hw = bar1->hw;
	exp->offset = map->offset;
	exp->size = map->size;
	exp->flags = flags;
	exp->release = release;
	exp->data = data;
	mutex_init(&exp->lock);
	exp->is_phys = !novamm_hw_bar1_phys(exp->hw, &exp->phys);
	if (exp->is_phys) {
		ret = export_p2p_provider(exp);
		if (ret)
			goto err;
	}

	info.ops = &novamm_bar1_export_ops;
	info.size = map->size;
	/* A read-only one's file refuses writable mmaps before its mmap does. */
	info.flags = flags & NOVAMM_BAR1_EXPORT_READ_ONLY ? O_RDONLY : O_RDWR;
	info.priv = exp;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		goto err;
	}
	exp->dmabuf = dmabuf;
	return dmabuf;

err:
	dev_dbg(bar1->hw->dev, "bar1: export of 0x%llx: %d\n", map->offset, ret);
	mutex_destroy(&exp->lock);
	kfree(exp);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(novamm_bar1_export);

/**
 * novamm_bar1_revoke() - cut a dma-buf of novamm_bar1_export() off
 * @dmabuf: the dma-buf
 *
 * Importers are told that their mappings are gone; every later attach,
 * device mapping, pin, kernel mapping, CPU access and mmap fails with
 * -ENODEV; CPU mappings are zapped. The mapping and its VRAM must still
 * stay until the release callback. Revoking twice does nothing more.
 *
 * Context: process context, holding no reservation lock; may sleep.
 */
void novamm_bar1_revoke(struct dma_buf *dmabuf)
{
	struct novamm_bar1_exporter *exp = dmabuf->priv;
	bool was;

	dma_resv_lock(dmabuf->resv, NULL);
	mutex_lock(&exp->lock);
	was = exp->revoked;
	exp->revoked = true;
	mutex_unlock(&exp->lock);
	if (!was)
		novamm_dma_buf_invalidate(dmabuf);
	dma_resv_unlock(dmabuf->resv);
	/* A fault after the flag inserts nothing: this catches all before. */
	unmap_mapping_range(dmabuf->file->f_mapping, 0, 0, 1);
}
EXPORT_SYMBOL_GPL(novamm_bar1_revoke);
