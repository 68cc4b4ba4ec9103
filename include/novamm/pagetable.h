/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm pagetable: GPU page tables for MMU v2 (Turing to Ada) and v3
 * (Hopper, Blackwell).
 *
 * A format is data (struct novamm_pt_format): its levels and the encode
 * and decode of its entries. One generic walker builds, fills and empties
 * a tree of tables in VRAM (struct novamm_pagetable) and keeps a CPU-side
 * shadow of every table, so that it never reads VRAM back: it only writes,
 * in runs of consecutive entries, and a table it creates is written once,
 * whole, after its entries are known. A change is an update
 * (struct novamm_pt_update): begin, map and unmap, commit, then release
 * after the TLB invalidate, or abort.
 *
 * Locking: a struct novamm_pagetable has no lock of its own; its owner (an
 * address space) serialises every call on it. The calls take the buddy
 * lock to grow the table pool and the PRAMIN window's lock to write
 * tables, one after the other, never nested.
 */
#ifndef _NOVAMM_PAGETABLE_H_
#define _NOVAMM_PAGETABLE_H_

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct novamm_buddy;
struct novamm_pramin;
struct novamm_vram;
struct seq_file;

/**
 * enum novamm_pt_aperture - where the page of a PTE is
 * @NOVAMM_PT_APERTURE_VIDEO: the GPU's own VRAM
 * @NOVAMM_PT_APERTURE_PEER: another GPU's VRAM
 * @NOVAMM_PT_APERTURE_SYS_COHERENT: system memory, coherent with the
 *	CPU's caches
 * @NOVAMM_PT_APERTURE_SYS_NONCOHERENT: system memory, not coherent with
 *	them
 *
 * The values are those of ``NV_MMU_VER2_PTE_APERTURE_*`` and
 * ``NV_MMU_VER3_PTE_APERTURE_*``.
 */
enum novamm_pt_aperture {
	NOVAMM_PT_APERTURE_VIDEO = 0,
	NOVAMM_PT_APERTURE_PEER = 1,
	NOVAMM_PT_APERTURE_SYS_COHERENT = 2,
	NOVAMM_PT_APERTURE_SYS_NONCOHERENT = 3,
};

/**
 * enum novamm_pt_state - what an entry is
 * @NOVAMM_PT_UNMAPPED: all zero; for a big-page entry, the MMU goes on to
 *	the small-page table
 * @NOVAMM_PT_INVALID: not valid and not sparse (for a big-page entry:
 *	do not look at the small-page table either)
 * @NOVAMM_PT_SPARSE: sparse: reads return zero, writes are dropped
 * @NOVAMM_PT_VALID: a PTE that maps a page
 * @NOVAMM_PT_TABLE: a PDE that points to a table
 */
enum novamm_pt_state {
	NOVAMM_PT_UNMAPPED,
	NOVAMM_PT_INVALID,
	NOVAMM_PT_SPARSE,
	NOVAMM_PT_VALID,
	NOVAMM_PT_TABLE,
};

/**
 * struct novamm_pte_attrs - how a page is mapped
 * @aperture: enum novamm_pt_aperture
 * @kind: memory kind (8 bits on v2, 4 on v3)
 * @read_only: writes fault
 * @privileged: only privileged accesses
 * @uncached: v2 VOL, v3 PCF UNCACHED
 * @atomic_disable: v2 ATOMIC_DISABLE, v3 PCF NO_ATOMIC
 * @encrypted: v2 ENCRYPTED (v3 has none)
 * @no_access_counting: v3 PCF ACD (v2 has none)
 */
struct novamm_pte_attrs {
	u8 aperture;
	u8 kind;
	bool read_only;
	bool privileged;
	bool uncached;
	bool atomic_disable;
	bool encrypted;
	bool no_access_counting;
};

/**
 * struct novamm_pte - a page-table entry, decoded
 * @state: NOVAMM_PT_UNMAPPED, _INVALID, _SPARSE or _VALID
 * @addr: page address, for a valid entry
 * @attrs: mapping attributes, for a valid entry
 */
struct novamm_pte {
	enum novamm_pt_state state;
	u64 addr;
	struct novamm_pte_attrs attrs;
};

/**
 * enum novamm_pde_aperture - where the table of a PDE is
 * @NOVAMM_PDE_APERTURE_INVALID: nowhere: the entry points to no table
 * @NOVAMM_PDE_APERTURE_VIDEO: the GPU's own VRAM
 * @NOVAMM_PDE_APERTURE_SYS_COHERENT: system memory, coherent with the
 *	CPU's caches
 * @NOVAMM_PDE_APERTURE_SYS_NONCOHERENT: system memory, not coherent with
 *	them
 *
 * The values are those of ``NV_MMU_VER2_PDE_APERTURE_*`` and
 * ``NV_MMU_VER3_PDE_APERTURE_*``.
 */
enum novamm_pde_aperture {
	NOVAMM_PDE_APERTURE_INVALID = 0,
	NOVAMM_PDE_APERTURE_VIDEO = 1,
	NOVAMM_PDE_APERTURE_SYS_COHERENT = 2,
	NOVAMM_PDE_APERTURE_SYS_NONCOHERENT = 3,
};

/**
 * struct novamm_pde - a page-directory entry (or one half of a dual one)
 * @state: NOVAMM_PT_UNMAPPED, _INVALID, _SPARSE or _TABLE
 * @aperture: enum novamm_pde_aperture of the table, for _TABLE
 * @addr: address of the table, for _TABLE
 */
struct novamm_pde {
	enum novamm_pt_state state;
	u8 aperture;
	u64 addr;
};

/**
 * struct novamm_pt_level - one level of a format
 * @name: as RM names it ("PD3", "PT_SMALL")
 * @va_shift: lowest VA bit the level decodes; an entry covers
 *	1 << @va_shift bytes
 * @va_bits: VA bits it decodes; the table has 1 << @va_bits entries
 * @entry_size: bytes per entry, 8 or 16
 * @dual: 16-byte entries pointing to a big-page and a small-page table
 * @pte: an entry may be a PTE mapping 1 << @va_shift bytes (every entry
 *	of a leaf level; a large page elsewhere)
 * @leaf: entries are only PTEs
 */
struct novamm_pt_level {
	const char *name;
	u8 va_shift;
	u8 va_bits;
	u8 entry_size;
	bool dual;
	bool pte;
	bool leaf;
};

/**
 * struct novamm_pt_codec - the entry encodings of one MMU version
 * @version: MMU version, 2 or 3
 * @addr_bits: width of a VRAM address an entry can hold
 * @pte_encode: entry for @pte; -ERANGE for what the format cannot hold
 * @pte_decode: the reverse
 * @pde_encode: 8-byte directory entry for @pde
 * @pde_decode: the reverse
 * @dual_encode: 16-byte PD0 entry from its big and small halves
 * @dual_decode: the reverse
 * @is_pte: the entry (or the low qword of a dual one) is a PTE
 *
 * One per MMU version, shared by every geometry of that version: a new
 * generation with the same entry layout reuses it.
 */
struct novamm_pt_codec {
	u8 version;
	u8 addr_bits;
	int (*pte_encode)(const struct novamm_pte *pte, u64 *raw);
	void (*pte_decode)(u64 raw, struct novamm_pte *pte);
	int (*pde_encode)(const struct novamm_pde *pde, u64 *raw);
	void (*pde_decode)(u64 raw, struct novamm_pde *pde);
	int (*dual_encode)(const struct novamm_pde *big,
			   const struct novamm_pde *small, u64 raw[2]);
	void (*dual_decode)(const u64 raw[2], struct novamm_pde *big,
			    struct novamm_pde *small);
	bool (*is_pte)(u64 raw);
};

extern const struct novamm_pt_codec novamm_pt_codec_v2;
extern const struct novamm_pt_codec novamm_pt_codec_v3;

/**
 * struct novamm_pt_format - a page-table geometry and the codec of its
 *	entries
 * @name: the MMU version and the chip families that walk this geometry
 * @codec: the entry encodings
 * @va_bits: width of a virtual address
 * @num_dirs: entries of @dirs
 * @dirs: directory levels, root first; the last is the dual PD0. The
 *	levels whose entries may be PTEs (&novamm_pt_level.pte) give the
 *	page sizes the geometry holds.
 * @pt_big: the 64 KiB-page table under PD0
 * @pt_small: the 4 KiB-page table under PD0
 *
 * Each generation's row (&novamm_arch_info.pt_format) names one.
 */
struct novamm_pt_format {
	const char *name;
	const struct novamm_pt_codec *codec;
	u8 va_bits;
	unsigned int num_dirs;
	const struct novamm_pt_level *dirs;
	const struct novamm_pt_level *pt_big;
	const struct novamm_pt_level *pt_small;
};

/* Page sizes a geometry can map: up to five directory levels and two tables. */
#define NOVAMM_PT_PAGE_SIZES_MAX	7

extern const struct novamm_pt_format novamm_pt_v2_tu102;
extern const struct novamm_pt_format novamm_pt_v2_ga100;
extern const struct novamm_pt_format novamm_pt_v3_gh100;
extern const struct novamm_pt_format novamm_pt_v3_gb100;

/**
 * struct novamm_pt - the shadow of one table in VRAM
 * @level: its level
 * @addr: its VRAM address
 * @valid: entries that are not all zero
 * @parent: the table whose entry points here; NULL for the root
 * @parent_index: that entry's index
 * @raw: the entries as VRAM holds them, or will once
 *	novamm_pagetable_commit() has run (little-endian), 1 or 2 qwords each
 * @child: directories only: the table each entry points to, two per
 *	entry for a dual level (big, then small)
 * @gen: the novamm_pagetable_prepare() call that created it, so that a
 *	failed call, or an aborted update, frees only its own tables
 * @fresh: created by novamm_pagetable_prepare() and not yet written to
 *	VRAM: its entries live in the shadow only, and no entry in VRAM
 *	points to it
 * @foreign: its VRAM belongs to someone else (an adopted root): never
 *	returned to the pool
 * @node: on &novamm_pagetable.unlinked or .retired once out of the tree,
 *	on .spare once released
 * @dirty_first: fresh tables only: the first entry whose VRAM may not be
 *	zero (0 for a table new from the pool, whose VRAM is anything)
 * @dirty_end: and the entry after the last one
 */
struct novamm_pt {
	const struct novamm_pt_level *level;
	u64 addr;
	unsigned int valid;
	u64 gen;
	bool fresh;
	bool foreign;
	struct list_head node;
	struct novamm_pt *parent;
	unsigned int parent_index;
	__le64 *raw;
	struct novamm_pt **child;
	unsigned int dirty_first;
	unsigned int dirty_end;
};

/*
 * The VRAM a table pool takes at a time: 2 MiB, contiguous and aligned, so
 * that the table window maps each chunk with one 2 MiB page.
 */
#define NOVAMM_PT_POOL_CHUNK	SZ_2M

/**
 * struct novamm_pt_window_ops - how a device's BAR1 shows table chunks
 * @map: map the chunk at VRAM @addr, @size bytes, somewhere in BAR1 and
 *	say where in @offset; an error leaves the chunk to PRAMIN, for good
 *	with -ENOSPC (no room) or -EBUSY (BAR1 held)
 * @unmap: take that mapping away again; an error means BAR1 may still
 *	reach the chunk, which nothing writes through any more
 *
 * Both may sleep, and are called with the window's lock held.
 */
struct novamm_pt_window_ops {
	int (*map)(void *priv, u64 addr, u64 size, u64 *offset);
	int (*unmap)(void *priv, u64 offset, u64 size);
};

/**
 * struct novamm_pt_window - table chunks written through write-combined BAR1
 * @hw: the device whose BAR1 the writes go through
 * @ops: provided by BAR1 while it is up (novamm_pt_window_enable()); NULL
 *	otherwise, when every table is written through PRAMIN
 * @priv: for @ops
 * @lock: guards @ops, @chunks and each chunk's place in BAR1, and is held
 *	across every write through the window, so that a chunk cannot be
 *	unmapped under a write
 * @chunks: the pool chunks mapped now
 * @ready: novamm_pt_window_init() ran; a window never set up (zeroed) is
 *	none
 */
struct novamm_pt_window {
	struct novamm_hw *hw;
	const struct novamm_pt_window_ops *ops;
	void *priv;
	struct mutex lock;	/* see above */
	struct list_head chunks;
	bool ready;
};

/**
 * struct novamm_pt_pool - VRAM for page tables
 * @buddy: the VRAM allocator it takes its chunks from
 * @window: where its chunks are mapped write-combined, or NULL to write
 *	every table through PRAMIN
 * @chunks: 2 MiB contiguous allocations, with their use
 * @num_chunks: entries of @chunks
 * @keep: the GPU may still walk its tables: none goes back to the pool,
 *	and no chunk to the allocator (novamm_pagetable_keep())
 * @window_pending: a chunk taken since the last novamm_pt_window_map()
 *	that went through them all may still be for @window to map
 */
struct novamm_pt_pool {
	struct novamm_buddy *buddy;
	struct novamm_pt_window *window;
	struct list_head chunks;
	unsigned int num_chunks;
	bool keep;
	bool window_pending;
};

/**
 * struct novamm_pagetable - one address space's tree of tables
 * @pramin: the window its tables are written and read through
 * @fmt: its format
 * @root: the root directory
 * @pool: where its tables live
 * @num_tables: tables in the tree, root included
 * @num_fresh: tables in the tree not yet written to VRAM
 * @unlinked: subtrees the current operation took out of the tree, newest
 *	first: novamm_pagetable_relink() puts them back
 * @num_unlinked: tables in @unlinked
 * @retired: subtrees out of the tree from operations whose TLB
 *	invalidate did not complete
 * @num_retired: tables in @retired
 * @spare: released tables kept for reuse, with their VRAM and shadow,
 *	at most NOVAMM_PT_SPARE_MAX
 * @num_spare: tables in @spare
 * @vram_unsure: a write of a table failed, so VRAM may differ
 *	from the shadow: no table is kept spare from then on
 * @gen: counts novamm_pagetable_prepare() calls (never wraps)
 *
 * VRAM of tables in @unlinked and @retired goes back to the pool, or to
 * @spare, in novamm_pagetable_release(), after an invalidate has completed.
 */
struct novamm_pagetable {
	struct novamm_pramin *pramin;
	const struct novamm_pt_format *fmt;
	struct novamm_pt *root;
	struct novamm_pt_pool pool;
	unsigned int num_tables;
	unsigned int num_fresh;
	struct list_head unlinked;
	unsigned int num_unlinked;
	struct list_head retired;
	unsigned int num_retired;
	struct list_head spare;
	unsigned int num_spare;
	bool vram_unsure;
	u64 gen;
};

/*
 * Released tables a tree keeps for its next maps: enough for the chain of
 * tables under the root that one page needs on every generation (five at
 * most, with PT_BIG beside PT_SMALL) a few times over. Each costs at most
 * 4 KiB of VRAM and 8 KiB of shadow.
 */
#define NOVAMM_PT_SPARE_MAX	16

/**
 * struct novamm_pt_run - pages of one size, consecutive in VA and in
 *	physical address
 * @va: first virtual address, aligned to the page size
 * @phys: address of the first page, aligned to the page size
 * @count: pages
 * @shift: log2 of the page size
 */
struct novamm_pt_run {
	u64 va;
	u64 phys;
	u64 count;
	unsigned int shift;
};

/* Map and unmap calls one update holds. */
#define NOVAMM_PT_UPDATE_OPS	4

/**
 * struct novamm_pt_update_op - one map or unmap call of an update
 * @runs: the runs to map, the caller's until the update is released;
 *	NULL for an unmap
 * @nr: entries of @runs
 * @attrs: how they are mapped, the caller's likewise
 * @va: first VA the call covers
 * @last: last VA it covers
 */
struct novamm_pt_update_op {
	const struct novamm_pt_run *runs;
	unsigned int nr;
	const struct novamm_pte_attrs *attrs;
	u64 va;
	u64 last;
};

/**
 * struct novamm_pt_update - one change of a tree, which the GPU sees whole
 *	after one TLB invalidate
 * @pt: the tree
 * @op: the map and unmap calls, in the order given, which is that of VA
 * @nr: entries of @op
 * @since: novamm_pagetable.gen of the first table it made
 * @seen: its commit has begun: the GPU may have seen part of it
 *
 * On the caller's stack, from novamm_pt_update_begin() to
 * novamm_pt_update_release(); one at a time per tree.
 */
struct novamm_pt_update {
	struct novamm_pagetable *pt;
	struct novamm_pt_update_op op[NOVAMM_PT_UPDATE_OPS];
	unsigned int nr;
	u64 since;
	bool seen;
};

/**
 * struct novamm_pt_mapping - what a virtual address maps to
 * @state: NOVAMM_PT_VALID, _SPARSE, or _UNMAPPED/_INVALID when nothing
 * @phys: the physical address (page address plus the offset in the page)
 * @page_size: bytes of the page
 * @attrs: how it is mapped
 */
struct novamm_pt_mapping {
	enum novamm_pt_state state;
	u64 phys;
	u64 page_size;
	struct novamm_pte_attrs attrs;
};

int novamm_pagetable_init(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			  struct novamm_pramin *pramin,
			  const struct novamm_pt_format *fmt,
			  struct novamm_pt_window *window);
int novamm_pagetable_adopt(struct novamm_pagetable *pt, struct novamm_buddy *buddy,
			   struct novamm_pramin *pramin,
			   const struct novamm_pt_format *fmt, u64 root_addr,
			   u64 va, u64 size);
void novamm_pagetable_fini(struct novamm_pagetable *pt);

int novamm_pagetable_window_map(struct novamm_pagetable *pt);
void novamm_pt_window_init(struct novamm_pt_window *w, struct novamm_hw *hw);
void novamm_pt_window_enable(struct novamm_pt_window *w,
			     const struct novamm_pt_window_ops *ops, void *priv);
void novamm_pt_window_disable(struct novamm_pt_window *w);
unsigned int novamm_pt_window_chunks(struct novamm_pt_window *w);
void novamm_pagetable_keep(struct novamm_pagetable *pt);
unsigned int novamm_pt_page_shifts(const struct novamm_pt_format *fmt,
				   u8 shifts[NOVAMM_PT_PAGE_SIZES_MAX]);
bool novamm_pagetable_page_size_ok(const struct novamm_pagetable *pt,
				   unsigned int page_shift);
void novamm_pt_update_begin(struct novamm_pt_update *u, struct novamm_pagetable *pt);
int novamm_pt_update_map(struct novamm_pt_update *u, const struct novamm_pt_run *runs,
			 unsigned int nr, const struct novamm_pte_attrs *attrs);
int novamm_pt_update_unmap(struct novamm_pt_update *u, u64 va, u64 size);
int novamm_pt_update_commit(struct novamm_pt_update *u);
bool novamm_pt_update_abort(struct novamm_pt_update *u);
unsigned int novamm_pt_update_release(struct novamm_pt_update *u, bool invalidated);
int novamm_pagetable_lookup(const struct novamm_pagetable *pt, u64 va,
			    struct novamm_pt_mapping *map);
void novamm_pagetable_dump(struct seq_file *m, struct novamm_pagetable *pt,
			   u64 va, u64 size);

#endif /* _NOVAMM_PAGETABLE_H_ */
