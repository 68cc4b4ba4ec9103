/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm_sim internals: the simulated GPU's state, shared by the files of
 * sim/ and by nothing else.
 */
#ifndef _NOVAMM_SIM_INTERNAL_H_
#define _NOVAMM_SIM_INTERNAL_H_

#include <linux/gfp.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include <novamm/sim.h>

struct dentry;
struct platform_device;

/**
 * enum sim_flush - how a chip flushes posted writes to VRAM (regs.h)
 * @SIM_FLUSH_UFLUSH: NV_UFLUSH_FB_FLUSH, Turing to Ada
 * @SIM_FLUSH_XAL: NV_XAL_EP_ZB_UFLUSH_FB_FLUSH and _COMPLETED, GH100, GB20x
 * @SIM_FLUSH_NONE: no flush register (GB10x); only a read, or the posted
 *	depth, lands posted writes
 */
enum sim_flush {
	SIM_FLUSH_UFLUSH,
	SIM_FLUSH_XAL,
	SIM_FLUSH_NONE,
};

/* A directory level above PD0: the VA bit its index starts at, and its bits. */
struct sim_pd_level {
	u8 shift;
	u8 bits;
};

/* Where a directory entry points, as both formats' APERTURE fields say. */
enum sim_aperture {
	SIM_AP_INVALID,
	SIM_AP_VIDEO,
	SIM_AP_OTHER,
};

/**
 * struct sim_pde - a directory entry, or one half of PD0's, decoded
 * @ap: where it points
 * @addr: the table's address
 * @sparse: with @ap %SIM_AP_INVALID, the range reads as zero without a fault
 */
struct sim_pde {
	enum sim_aperture ap;
	u64 addr;
	bool sparse;
};

struct novamm_sim_translation;

/**
 * struct sim_mmu - a page-table format as the simulated MMU walks it, one
 *	row per MMU version (sim/mmu.c), from the sim's own field definitions
 * @version: 2 or 3
 * @va_bits: width of a virtual address
 * @pds: the directory levels above PD0, root first
 * @nr_pds: entries of @pds
 * @is_pte: the bit of a PDE, and of PD0's low qword, that makes it a PTE
 * @valid: a PTE's VALID bit
 * @vram_reach: bytes of VRAM a PTE's address field reaches
 * @ramin_ver2: an instance block must set USE_VER2_PT_FORMAT
 * @pte: a valid PTE's address and attributes into @addr and the
 *	translation; false when it does not target video memory
 * @pte_sparse: a PTE with VALID clear reads as zero rather than faulting
 * @lpte_unmapped: a big-page PTE with VALID clear sends the walk on to the
 *	small-page table
 * @pde: decode a PDE of PD1 and above
 * @dual: decode PD0's two halves, big and small
 */
struct sim_mmu {
	u8 version;
	u8 va_bits;
	const struct sim_pd_level *pds;
	unsigned int nr_pds;
	u64 is_pte;
	u64 valid;
	u64 vram_reach;
	bool ramin_ver2;
	bool (*pte)(u64 pte, u64 *addr, struct novamm_sim_translation *t);
	bool (*pte_sparse)(u64 pte);
	bool (*lpte_unmapped)(u64 lpte);
	void (*pde)(u64 pde, struct sim_pde *d);
	void (*dual)(const u64 raw[2], struct sim_pde *big, struct sim_pde *small);
};

extern const struct sim_mmu sim_mmu_v2;
extern const struct sim_mmu sim_mmu_v3;

/**
 * struct sim_chip - the sim's own description of a chip
 * @name: chip name, upper case
 * @chip_id: NV_PMC_BOOT_42 CHIP_ID
 * @window: BAR0 offset of the window register
 * @window_base: mask of its BASE field
 * @window_target: the register has a TARGET field
 * @local_memory_range: the VRAM size is published in
 *	NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE rather than NV_USABLE_FB_SIZE_IN_MB
 * @mmu: the page-table format its MMU walks
 * @pd1_pages: a PD1 entry may be a 512 MiB PTE
 * @pd2_pages: a PD2 entry may be a 256 GiB PTE
 * @bar1_block_low_high: BAR1 is bound through NV_VIRTUAL_FUNCTION_PRIV_FUNC_BAR1_BLOCK_LOW_ADDR
 *	and _HIGH_ADDR (Hopper on), not NV_VIRTUAL_FUNCTION_PRIV_BAR1_BLOCK
 * @ramin_magic: RM writes NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE in every
 *	instance block of this chip
 * @gfw_boot: the GFW_BOOT registers report devinit (Turing to Ada); on
 *	other chips they read as a PRI error
 * @flush: enum sim_flush
 * @vram_default: VRAM size of a typical board, used when none is asked for
 *
 * Written from the hardware reference independently of the driver's chip
 * table, so that the driver's identification is checked against a second
 * reading of the same sources.
 */
struct sim_chip {
	const char *name;
	u16 chip_id;
	u32 window;
	u32 window_base;
	bool window_target;
	bool local_memory_range;
	const struct sim_mmu *mmu;
	bool pd1_pages;
	bool pd2_pages;
	bool bar1_block_low_high;
	bool ramin_magic;
	bool gfw_boot;
	u8 flush;
	u64 vram_default;
};

/*
 * Allocations in the MMIO paths, under sim->lock. Hardware needs no
 * memory to take a register or VRAM write, so these must not tie the
 * driver's locks held around MMIO (the TLB lock, which lockdep is told may
 * be taken in reclaim) to reclaim in lockdep's eyes: they are the sim's
 * stand-in for silicon, not the driver's allocations.
 */
#define SIM_GFP_MMIO		(GFP_KERNEL | __GFP_NOLOCKDEP)

/* How many faults the log keeps; older ones are counted, not kept. */
#define SIM_FAULT_LOG_SIZE	64
#define SIM_INV_LOG_SIZE	64
#define SIM_PROTECTED_LOG_SIZE	16
/* Size classes of spare posted-write entries: a word, a BAR1 piece. */
#define SIM_POSTED_CLASSES	2
/* Ranges the protected-VRAM watch covers: every GSP region, or the firmware's two. */
#define SIM_WATCH_MAX		NOVAMM_SIM_MAX_FB_REGIONS

/**
 * struct sim_range - [start, end) of VRAM
 * @start: first byte
 * @end: one past the last
 */
struct sim_range {
	u64 start;
	u64 end;
};

/**
 * struct sim_watch - the protected-VRAM watch (vram.c)
 * @range: VRAM the GPU reported reserved or protected
 * @num: entries of @range
 * @hole: the part of them a driver may write: the root entries of the
 *	BAR1 directory GSP-RM hands over; empty when there is none
 * @log: the last SIM_PROTECTED_LOG_SIZE writes that landed there
 * @count: writes that landed there since the log was cleared
 */
struct sim_watch {
	struct sim_range range[SIM_WATCH_MAX];
	unsigned int num;
	struct sim_range hole;
	struct novamm_sim_protected_write log[SIM_PROTECTED_LOG_SIZE];
	u64 count;
};

/* TLB capacity; when full it is emptied, which keeps runs reproducible. */
#define SIM_TLB_MAX		65536

/* Directory-entry keys of struct sim_tlb_entry start here, past any page shift. */
#define SIM_TLB_DIR		64

/**
 * struct sim_tlb_entry - one cached translation or directory entry
 * @node: hash list linkage
 * @pdb: the address space's page directory base
 * @key: a translation's log2 page size, or SIM_TLB_DIR plus the depth of
 *	a directory level (0 for the root)
 * @vpn: virtual address >> the page shift, or >> the VA bit the
 *	directory level's index starts at
 * @t: the translation as the walk found it
 * @pde: the directory entry as the walk read it (PD0: both qwords)
 */
struct sim_tlb_entry {
	struct hlist_node node;
	u64 pdb;
	unsigned int key;
	u64 vpn;
	union {
		struct novamm_sim_translation t;
		u64 pde[2];
	};
};

/**
 * enum sim_tlb_id - the TLBs
 * @SIM_TLB_HUB: the hub's, which translates BAR1 (and
 *	novamm_sim_translate())
 * @SIM_TLB_GPC: a GPC's, which translates for the engines
 *	(novamm_sim_engine_translate())
 * @SIM_TLB_COUNT: how many
 */
enum sim_tlb_id {
	SIM_TLB_HUB,
	SIM_TLB_GPC,
	SIM_TLB_COUNT,
};

/**
 * struct sim_tlb - one TLB with its directory cache
 * @hash: entries, by (pdb, key, vpn)
 * @entries: how many
 */
struct sim_tlb {
	DECLARE_HASHTABLE(hash, 10);
	unsigned int entries;
};

/**
 * struct sim_inv_log - the invalidate log
 * @e: the last SIM_INV_LOG_SIZE invalidates triggered
 * @count: invalidates triggered since the log was cleared
 */
struct sim_inv_log {
	struct novamm_sim_invalidate e[SIM_INV_LOG_SIZE];
	u64 count;
};

/**
 * struct sim_pending - a bind or an invalidate the hardware is working on
 * @active: one is pending
 * @polls: status reads left before it completes; U32_MAX never completes
 * @value: what completes: the invalidate flags, or the bind register
 * @addr: the PDB to invalidate, or the instance block to bind
 */
struct sim_pending {
	bool active;
	u32 polls;
	u32 value;
	u64 addr;
};

/**
 * struct novamm_sim - one simulated GPU
 * @chip: what it simulates
 * @serial: a number unique among live sims, for log lines
 * @vram_size: bytes of VRAM
 * @bar1_size: bytes of BAR1
 * @vram_fill: what VRAM never written reads as
 * @vram_huge: VRAM's host memory comes in 2 MiB blocks (sim/vram.c)
 * @lock: serialises every access; taken by each entry point of sim/ and
 *	never held across a call out of sim/
 * @claimed: a driver holds the sim, from the start of its probe to the end
 *	of its remove (the claim and release ops)
 * @bar0_window: the window register as last written
 * @vram: VRAM pages by page frame, allocated on first write
 * @logged: BAR0 dwords already reported as unimplemented
 * @reg_reads: reads per register dword outside PRAMIN, since the counters
 *	were last reset
 * @cnt: counters
 * @bar1: what BAR1 is bound to
 * @bar1_block: BAR1 block register(s) as last written (LOW and HIGH on
 *	Hopper and later)
 * @bind: a BAR1 bind in progress
 * @inv_pdb: the invalidate PDB registers as last written
 * @inv: an invalidate in progress
 * @inject: fault injection settings
 * @models: which of the strict models are on
 * @tlb: the hub's and a GPC's TLB
 * @inv_log: every invalidate triggered
 * @watch: the protected-VRAM watch
 * @faults: the fault log, a ring of the last SIM_FAULT_LOG_SIZE faults
 * @accesses: BAR0 accesses and BAR1 pieces so far, the posted writes' clock
 * @posted: writes through PRAMIN or BAR1 not yet in VRAM, oldest first
 *	(flush.c)
 * @num_posted: entries in @posted
 * @posted_spare: landed entries kept for later writes, a list per size
 *	class (flush.c)
 * @num_spare: entries on each of @posted_spare
 * @flush: an FB flush in progress; @flush.addr is the access count it
 *	lands writes up to
 * @flush_token: XAL: the token of the latest flush started
 * @flush_completed: XAL: the token of the latest flush completed
 * @fault_count: faults since the log was last cleared
 * @gsp: the framebuffer regions and page-directory bases the GSP reports
 * @id: its id on the sim bus and platform device id, or -1 for a sim made
 *	through the C API only
 * @bus_dev: its device on the novamm_sim bus, parent of @pdev, owned by
 *	sim/main.c
 * @pdev: its platform device, owned by sim/main.c
 * @debugfs: its debugfs directory, owned by sim/main.c
 * @node: entry in sim/main.c's device list
 */
struct novamm_sim {
	const struct sim_chip *chip;
	unsigned int serial;
	u64 vram_size;
	u64 bar1_size;
	u8 vram_fill;
	bool vram_huge;

	struct mutex lock;	/* see above: guards everything below */
	bool claimed;
	u32 bar0_window;
	struct xarray vram;
	struct xarray logged;
	struct xarray reg_reads;
	struct novamm_sim_counters cnt;

	struct novamm_sim_bar1_state bar1;
	u32 bar1_block[2];
	struct sim_pending bind;
	u32 inv_pdb[2];
	struct sim_pending inv;
	struct novamm_sim_inject inject;
	struct novamm_sim_models models;
	struct sim_tlb tlb[SIM_TLB_COUNT];
	struct sim_inv_log inv_log;
	struct sim_watch watch;
	struct novamm_sim_fault faults[SIM_FAULT_LOG_SIZE];
	u64 fault_count;
	u64 accesses;
	struct list_head posted;
	unsigned int num_posted;
	struct list_head posted_spare[SIM_POSTED_CLASSES];
	unsigned int num_spare[SIM_POSTED_CLASSES];
	struct sim_pending flush;
	u32 flush_token;
	u32 flush_completed;
	struct novamm_sim_gsp_config gsp;

	int id;
	struct device *bus_dev;
	struct platform_device *pdev;
	struct dentry *debugfs;
	struct list_head node;
};

const struct sim_chip *novamm_sim_chip_find(const char *name);

int novamm_sim_vram_access(struct novamm_sim *sim, u64 addr, void *buf,
			   size_t len, bool write);
int novamm_sim_vram_land(struct novamm_sim *sim, u64 addr, const void *buf,
			 size_t len);

void novamm_sim_access(struct novamm_sim *sim);
int novamm_sim_post_write(struct novamm_sim *sim, u64 addr, const void *buf,
			  size_t len);
void novamm_sim_posted_drain(struct novamm_sim *sim, bool by_read);
void novamm_sim_posted_overlay(struct novamm_sim *sim, u64 addr, void *buf,
			       size_t len);
void novamm_sim_posted_patch(struct novamm_sim *sim, u64 addr, const void *buf,
			     size_t len);
void novamm_sim_posted_free(struct novamm_sim *sim);
u32 novamm_sim_flush_rd32(struct novamm_sim *sim, u32 offset, bool *hit);
bool novamm_sim_flush_wr32(struct novamm_sim *sim, u32 offset, u32 val);
struct page *novamm_sim_vram_page(struct novamm_sim *sim, u64 addr);
void novamm_sim_vram_free(struct novamm_sim *sim);
void novamm_sim_watch_set(struct novamm_sim *sim);
void novamm_sim_watch_cpu_page(struct novamm_sim *sim, u64 addr);
unsigned int novamm_sim_root_shift(const struct novamm_sim *sim);

int novamm_sim_translate_locked(struct novamm_sim *sim, enum sim_tlb_id tlb,
				u64 pdb, u64 va, unsigned int access,
				struct novamm_sim_translation *t);
void novamm_sim_tlb_init(struct novamm_sim *sim);
void novamm_sim_tlb_flush(struct novamm_sim *sim, u32 invalidate, u64 pdb);
void novamm_sim_tlb_flush_all(struct novamm_sim *sim);
void novamm_sim_fault_log(struct novamm_sim *sim, u64 va, unsigned int access,
			  enum novamm_sim_fault_reason reason);

u32 novamm_sim_vm_rd32(struct novamm_sim *sim, u32 offset, bool *hit);
bool novamm_sim_vm_wr32(struct novamm_sim *sim, u32 offset, u32 val);
void novamm_sim_gsp_bind_bar1_locked(struct novamm_sim *sim);
/**
 * enum sim_poll_result - what one status read of a request found
 * @SIM_IDLE: none is pending
 * @SIM_BUSY: it is still being worked on
 * @SIM_DONE: this read completed it
 *
 * See novamm_sim_poll() and &struct sim_pending.
 */
enum sim_poll_result { SIM_IDLE, SIM_BUSY, SIM_DONE };

enum sim_poll_result novamm_sim_poll(struct sim_pending *p);
unsigned int novamm_sim_ring_copy(void *out, const void *ring, size_t esize,
				  unsigned int size, u64 count, unsigned int max);
bool novamm_sim_inject_ok(const struct novamm_sim *sim,
			  const struct novamm_sim_inject *inject);
int novamm_sim_apply_inject_locked(struct novamm_sim *sim,
				   const struct novamm_sim_inject *inject);
int novamm_sim_apply_models_locked(struct novamm_sim *sim,
				   const struct novamm_sim_models *models);

void novamm_sim_gsp_defaults(struct novamm_sim *sim);
int novamm_sim_gsp_rpc_locked(struct novamm_sim *sim, const void *req,
			      size_t req_len, void *reply, size_t reply_size,
			      size_t *reply_len);

void novamm_sim_bar1_read_locked(struct novamm_sim *sim, u64 offset,
				 void *buf, size_t len);
void novamm_sim_bar1_write_locked(struct novamm_sim *sim, u64 offset,
				  const void *buf, size_t len);
struct page *novamm_sim_bar1_page_locked(struct novamm_sim *sim, u64 offset,
					 bool write);

extern const struct novamm_sim_ops novamm_sim_ops;

#endif /* _NOVAMM_SIM_INTERNAL_H_ */
