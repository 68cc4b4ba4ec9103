/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm vmm: GPU virtual address spaces.
 *
 * An address space maps ranges of VRAM with the largest pages that fit
 * (2 MiB, 64 KiB, 4 KiB), writes each page-table entry once and
 * invalidates the TLB once per call; a call that fails leaves it as it
 * was.
 *
 * Locking: vmm->lock serialises every call on one address space. Under
 * it the calls take, one at a time and never nested, the buddy lock
 * (growing the table pool), the PRAMIN window's lock (writing tables) and
 * the TLB lock (the invalidate): order vmm -> allocator, vmm -> PRAMIN,
 * vmm -> TLB. They allocate only under vmm->lock, before writing.
 */
#ifndef _NOVAMM_VMM_H_
#define _NOVAMM_VMM_H_

#include <linux/bits.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <novamm/buddy.h>
#include <novamm/fb.h>
#include <novamm/pagetable.h>
#include <novamm/pramin.h>
#include <novamm/tlb.h>

struct novamm_hw;
struct novamm_vram;
struct seq_file;

/**
 * struct novamm_mm - the per-device memory manager
 * @hw: the GPU it manages
 * @pt_format: the page-table format its MMU walks (the chip's row)
 * @vram_size: bytes of VRAM: what the chip's size register reports, or
 *	the end of the framebuffer layout if that is higher; PRAMIN reaches
 *	no further
 * @fb: the framebuffer layout, fixed at probe
 * @buddy: the VRAM allocator (include/novamm/buddy.h)
 * @pramin: the BAR0 window onto VRAM, with its lock
 *	(include/novamm/pramin.h)
 * @tlb: TLB invalidation (include/novamm/tlb.h)
 * @ptw: the write-combined window onto table chunks that BAR1 offers
 *	once it is up (pagetable/window.c); zeroed, none
 *
 * One per device, like nova-core's GpuMm: it owns what every address space
 * of the device shares; address spaces borrow it. Lock order: a VMM's
 * lock, then buddy.lock, then pramin.lock; tlb.lock nests inside a VMM's
 * lock alone; the window's lock inside a VMM's, then BAR1's and BAR1's
 * own VMM's lock inside it.
 */
struct novamm_mm {
	struct novamm_hw *hw;
	const struct novamm_pt_format *pt_format;
	u64 vram_size;
	struct novamm_fb_layout fb;
	struct novamm_buddy buddy;
	struct novamm_pramin pramin;
	struct novamm_tlb tlb;
	struct novamm_pt_window ptw;
};

/*
 * novamm_vmm_create(): the address space is used by BAR1 or other hub
 * clients: its TLB invalidates are hub-only.
 */
#define NOVAMM_VMM_HUB		BIT(0)

/* novamm_vmm_map(): map at *va instead of choosing the address. */
#define NOVAMM_VMM_MAP_FIXED	BIT(0)
/* novamm_vmm_map(): read-only pages. */
#define NOVAMM_VMM_MAP_READ_ONLY BIT(1)
#define NOVAMM_VMM_MAP_FLAGS	(NOVAMM_VMM_MAP_FIXED | NOVAMM_VMM_MAP_READ_ONLY)

/**
 * struct novamm_phys_range - a physically contiguous piece of VRAM
 * @addr: first byte, 4 KiB aligned
 * @size: bytes, a multiple of 4 KiB
 */
struct novamm_phys_range {
	u64 addr;
	u64 size;
};

/**
 * struct novamm_vmm - one GPU virtual address space
 * @mm: the memory manager it borrows
 * @lock: serialises every call on it
 * @pt: its page tables
 * @va: the mappings, by virtual address (maple tree of struct
 *	novamm_vmm_mapping)
 * @va_start: first usable virtual address
 * @va_end: one past the last
 * @va_chosen_end: one past the last address novamm_vmm_map() chooses by
 *	itself; above it only %NOVAMM_VMM_MAP_FIXED maps
 *	(novamm_vmm_reserve_top())
 * @tlb_flags: NOVAMM_TLB_* for its invalidates
 * @mapped: bytes mapped
 * @invalidates: TLB invalidates it issued
 * @shifts: log2 of the page sizes its geometry maps, largest first
 *	(novamm_pt_page_shifts())
 * @num_shifts: entries of @shifts
 */
struct novamm_vmm {
	struct novamm_mm *mm;
	struct mutex lock;	/* see above */
	struct novamm_pagetable pt;
	struct maple_tree va;
	u64 va_start;
	u64 va_end;
	u64 va_chosen_end;
	unsigned int tlb_flags;
	u64 mapped;
	u64 invalidates;
	u8 shifts[NOVAMM_PT_PAGE_SIZES_MAX];
	unsigned int num_shifts;
};

/**
 * struct novamm_vmm_stats - what an address space holds and has done
 * @mapped: bytes mapped
 * @invalidates: TLB invalidates it issued
 * @tables: page tables in its tree
 * @pool_chunks: chunks of VRAM its table pool holds
 * @retired: tables taken out whose invalidate has not completed
 */
struct novamm_vmm_stats {
	u64 mapped;
	u64 invalidates;
	unsigned int tables;
	unsigned int pool_chunks;
	unsigned int retired;
};

/* novamm_vmm_adopt(): allocate a root directory instead. */
#define NOVAMM_VMM_NEW_PDB	U64_MAX

struct novamm_vmm *novamm_vmm_create(struct novamm_mm *mm, unsigned int mmu_version,
				     u64 va_start, u64 va_size, unsigned int flags);
struct novamm_vmm *novamm_vmm_adopt(struct novamm_mm *mm, unsigned int mmu_version,
				    u64 va_start, u64 va_size, unsigned int flags,
				    u64 pdb);
void novamm_vmm_destroy(struct novamm_vmm *vmm);
void novamm_vmm_keep_tables(struct novamm_vmm *vmm);
u64 novamm_vmm_pdb(const struct novamm_vmm *vmm);
int novamm_vmm_reserve_top(struct novamm_vmm *vmm, u64 size);
int novamm_vmm_map(struct novamm_vmm *vmm, u64 *va,
		   const struct novamm_phys_range *ranges, unsigned int nr,
		   unsigned long flags);
int novamm_vmm_map_vram(struct novamm_vmm *vmm, u64 *va,
			const struct novamm_vram *vram, unsigned long flags,
			void *owner);
int novamm_vmm_unmap(struct novamm_vmm *vmm, u64 va, u64 size);
void *novamm_vmm_owner(struct novamm_vmm *vmm, u64 va);
void *novamm_vmm_next_owner(struct novamm_vmm *vmm, u64 *va);
bool novamm_vmm_has_owner(struct novamm_vmm *vmm, const void *owner);
int novamm_vmm_clear(struct novamm_vmm *vmm);
int novamm_vmm_lookup(struct novamm_vmm *vmm, u64 va, struct novamm_pt_mapping *map);
unsigned int novamm_vmm_page_shift(const struct novamm_pt_format *fmt, u64 va,
				   u64 pa, u64 len);
void novamm_vmm_get_stats(struct novamm_vmm *vmm, struct novamm_vmm_stats *st);
void novamm_vmm_show(struct seq_file *m, struct novamm_vmm *vmm);
void novamm_vmm_dump(struct seq_file *m, struct novamm_vmm *vmm, u64 va, u64 size);

#endif /* _NOVAMM_VMM_H_ */
