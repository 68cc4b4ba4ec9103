/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm bar1: VRAM for the CPU and for other devices, through the GPU's
 * BAR1 aperture, and the instance blocks that point the GPU's MMU at an
 * address space.
 *
 * BAR1 offset X is virtual address X of one address space over
 * [0, BAR1 size), translated by the GPU's MMU. novamm either binds an
 * instance block of its own to BAR1, or, when GSP-RM already did and
 * reported its page directory (bar1PdeBase), maps under that directory
 * and leaves the binding to GSP-RM.
 *
 * VRAM reaches a CPU through BAR1 only zeroed. Clearing is described in
 * bar1/map.c ("Clearing"), the locking contract (bar1->lock, taken
 * outside the address space's lock) in bar1/bar1.c ("Locking"); a BAR1
 * mapping as a dma-buf, and CPU mappings of BAR1, in bar1/export.c.
 */
#ifndef _NOVAMM_BAR1_H_
#define _NOVAMM_BAR1_H_

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct dentry;
struct dma_buf;
struct novamm_arch_info;
struct novamm_hw;
struct novamm_mm;
struct novamm_pramin;
struct novamm_vmm;
struct novamm_vram;
struct seq_file;
struct task_struct;
struct vm_fault;

/* Bytes of an instance block (NV_RAMIN_ALLOC_SIZE in dev_ram.h). */
#define NOVAMM_INST_SIZE	SZ_4K

/* novamm_bar1_map(): the CPU may only read. */
#define NOVAMM_BAR1_MAP_READ_ONLY	BIT(0)
#define NOVAMM_BAR1_MAP_FLAGS		NOVAMM_BAR1_MAP_READ_ONLY

/* novamm_bar1_export(): importers may only read. */
#define NOVAMM_BAR1_EXPORT_READ_ONLY	BIT(0)
#define NOVAMM_BAR1_EXPORT_FLAGS	NOVAMM_BAR1_EXPORT_READ_ONLY

/*
 * A fault on a CPU mapping of BAR1 fills this much around the faulting
 * page (novamm_bar1_fault_block()).
 */
#define NOVAMM_BAR1_FAULT_AROUND	SZ_2M

/*
 * The table window's slice at the top of BAR1 ("The table window's slice"
 * in bar1/bar1.c): this share of BAR1 in whole pool chunks, at most this
 * many of them.
 */
#define NOVAMM_BAR1_WINDOW_SHARE	32
#define NOVAMM_BAR1_WINDOW_SLOTS	16

/**
 * enum novamm_bar1_mode - who owns BAR1's instance block
 * @NOVAMM_BAR1_OWN: novamm wrote it and bound it
 * @NOVAMM_BAR1_GSP: GSP-RM did; novamm maps under its page directory
 */
enum novamm_bar1_mode {
	NOVAMM_BAR1_OWN,
	NOVAMM_BAR1_GSP,
};

/**
 * struct novamm_bar1_mapping - VRAM visible through BAR1
 * @offset: BAR1 offset of the first byte
 * @size: bytes
 * @flags: NOVAMM_BAR1_MAP_* it was made with
 * @vram: the allocation it maps
 * @owned_vram: @vram was allocated for the mapping and is freed with it
 * @node: on the list novamm_bar1_fini() releases once BAR1 can no longer
 *	reach the VRAM; live mappings are found through the address space
 *	(novamm_vmm_owner()), which is their only registry
 */
struct novamm_bar1_mapping {
	u64 offset;
	u64 size;
	unsigned long flags;
	struct novamm_vram *vram;
	bool owned_vram;
	struct list_head node;
};

/**
 * struct novamm_bar1 - BAR1 of one device
 * @hw: the device's access layer
 * @mm: the memory manager it borrows: allocator, PRAMIN, TLB, layout
 * @arch: the device's generation: bind style, instance-block words
 * @mode: whose instance block translates BAR1
 * @size: bytes of BAR1, and of its address space
 * @vmm: the address space
 * @inst: own mode: the instance block, 4 KiB of VRAM
 * @bind_pending: a bind or unbind timed out and may still be running:
 *	the next one waits for it before it is issued
 * @lock: guards what follows, and which mappings @vmm holds
 * @num_mappings: live mappings, each the owner of its range of @vmm (the
 *	bytes they map are the address space's: novamm_bar1_mapped())
 * @maps: successful novamm_bar1_map() calls
 * @unmaps: mappings removed by novamm_bar1_unmap() or
 *	novamm_bar1_unmap_owned()
 * @map_errors: failed novamm_bar1_map() calls
 * @full: of those, failed for lack of BAR1 space (-ENOSPC)
 * @exclusive: the task of a self-test that holds BAR1 alone: others'
 *	novamm_bar1_map() and novamm_bar1_clear() calls get -EBUSY; NULL
 *	when none
 * @ready: BAR1 translates through @vmm: clearing may go through it
 * @cleared_mapped: bytes of dirty VRAM zeroed through the mapping that
 *	novamm_bar1_map() made for them
 * @cleared_bar1: bytes zeroed by novamm_bar1_clear() through BAR1
 * @cleared_pramin: bytes zeroed by novamm_bar1_clear() through PRAMIN
 * @clear_pieces: mappings novamm_bar1_clear() made to zero through
 * @window_base: BAR1 offset of the slice kept for the table window; BAR1's
 *	size when there is none
 * @window_slots: chunks the slice holds, 0 to %NOVAMM_BAR1_WINDOW_SLOTS
 * @window_used: which of them hold a chunk of another address space's
 *	tables, mapped for the table window (pagetable/window.c) with no
 *	owner (novamm_bar1_window_chunks())
 */
struct novamm_bar1 {
	struct novamm_hw *hw;
	struct novamm_mm *mm;
	const struct novamm_arch_info *arch;
	enum novamm_bar1_mode mode;
	u64 size;
	struct novamm_vmm *vmm;
	struct novamm_vram *inst;
	bool bind_pending;
	struct mutex lock;	/* see above */
	unsigned int num_mappings;
	u64 maps;
	u64 unmaps;
	u64 map_errors;
	u64 full;
	struct task_struct *exclusive;
	bool ready;
	u64 cleared_mapped;
	u64 cleared_bar1;
	u64 cleared_pramin;
	u64 clear_pieces;
	u64 window_base;
	unsigned int window_slots;
	DECLARE_BITMAP(window_used, NOVAMM_BAR1_WINDOW_SLOTS);
};

void novamm_inst_fill(__le32 *blk, const struct novamm_arch_info *arch,
		      u64 pdb, u64 va_limit);
int novamm_inst_write(struct novamm_pramin *p, u64 inst, const __le32 *blk);

int novamm_bar1_init(struct novamm_bar1 *bar1, struct novamm_mm *mm,
		     const struct novamm_arch_info *arch);
void novamm_bar1_fini(struct novamm_bar1 *bar1);

struct novamm_bar1_mapping *novamm_bar1_map(struct novamm_bar1 *bar1,
					    struct novamm_vram *vram,
					    unsigned long flags);
struct novamm_bar1_mapping *novamm_bar1_map_new(struct novamm_bar1 *bar1,
						u64 size, unsigned long flags,
						u64 *offset);
int novamm_bar1_unmap(struct novamm_bar1 *bar1,
		      struct novamm_bar1_mapping *map);
int novamm_bar1_unmap_owned(struct novamm_bar1 *bar1, u64 offset);
int novamm_bar1_clear(struct novamm_bar1 *bar1, struct novamm_vram *vram);
u64 novamm_bar1_room(struct novamm_bar1 *bar1);

/**
 * novamm_bar1_window_chunks() - table chunks mapped in the window's slice
 * @bar1: BAR1 of the device
 *
 * Return: the slots that hold one.
 */
static inline unsigned int novamm_bar1_window_chunks(const struct novamm_bar1 *bar1)
{
	return bitmap_weight(bar1->window_used, NOVAMM_BAR1_WINDOW_SLOTS);
}

struct dma_buf *novamm_bar1_export(struct novamm_bar1 *bar1,
				   const struct novamm_bar1_mapping *map,
				   unsigned long flags, void (*release)(void *data),
				   void *data);
void novamm_bar1_revoke(struct dma_buf *dmabuf);
int novamm_bar1_pfn(struct novamm_hw *hw, u64 offset, bool write, unsigned long *pfn);
pgprot_t novamm_bar1_page_prot(struct novamm_hw *hw, pgprot_t prot);
vm_fault_t novamm_bar1_fault_block(struct novamm_hw *hw, struct vm_fault *vmf, unsigned int order,
				   u64 offset, u64 before, u64 after);

int novamm_bar1_read(struct novamm_bar1 *bar1,
		     const struct novamm_bar1_mapping *map, u64 offset,
		     void *buf, size_t len);
int novamm_bar1_write(struct novamm_bar1 *bar1,
		      const struct novamm_bar1_mapping *map, u64 offset,
		      const void *buf, size_t len);
int novamm_bar1_fill(struct novamm_bar1 *bar1, u64 offset, u32 word);
int novamm_bar1_copy(struct novamm_bar1 *bar1,
		     const struct novamm_bar1_mapping *dst, u64 dst_offset,
		     const struct novamm_bar1_mapping *src, u64 src_offset,
		     size_t len);

u64 novamm_bar1_mapped(struct novamm_bar1 *bar1);
const char *novamm_bar1_mode_name(enum novamm_bar1_mode mode);

int novamm_bar1_selftest(struct novamm_bar1 *bar1);
int novamm_bar1_exclude(struct novamm_bar1 *bar1);
void novamm_bar1_include(struct novamm_bar1 *bar1);

void novamm_bar1_debugfs_add(struct novamm_bar1 *bar1, struct dentry *dir);
void novamm_bar1_show_stats(struct seq_file *m, struct novamm_bar1 *bar1);

#endif /* _NOVAMM_BAR1_H_ */
