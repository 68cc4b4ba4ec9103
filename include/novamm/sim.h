/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm_sim: a simulated NVIDIA GPU.
 */

/**
 * DOC: Interfaces
 *
 * The sim has two faces. The driver sees a platform device named
 * ``NOVAMM_SIM_DRIVER_NAME`` (``"novamm-sim"``) whose platform data
 * carries &struct novamm_sim_pdata: a table of access functions, so
 * novamm.ko and novamm_sim.ko never link against each other and either
 * can be loaded first.
 *
 * Tests see the C API declared below, exported by novamm_sim.ko
 * (EXPORT_SYMBOL_GPL). It lets KUnit suites build a simulated GPU without a
 * platform device (novamm_sim_create()), access its registers as the driver
 * does (novamm_sim_rd32(), novamm_sim_wr32()), reach VRAM directly without
 * touching a counter (novamm_sim_vram_read(), novamm_sim_vram_write()), read
 * and reset the counters, hand the driver its access functions
 * (novamm_sim_pdata()), translate an address in any address space through
 * the same walk and TLB as BAR1 (novamm_sim_translate(), so an address space
 * can be checked before BAR1 is bound to it) or through the GPC TLB an
 * engine would use (novamm_sim_engine_translate()), read and clear the fault
 * log, the invalidate log and the protected-write log, count reads of one
 * register (novamm_sim_reg_reads()), read the BAR1 binding, set fault
 * injection and the strict models, and read or replace the GSP's region
 * table.
 */
#ifndef _NOVAMM_SIM_H_
#define _NOVAMM_SIM_H_

#include <linux/bits.h>
#include <linux/types.h>

#define NOVAMM_SIM_DRIVER_NAME	"novamm-sim"

/*
 * What a read of a register the sim does not implement returns. Chosen to
 * stand out in a dump; it is not a value any implemented register holds.
 */
#define NOVAMM_SIM_POISON	0xbadf5e11

struct novamm_sim;
struct page;

/**
 * struct novamm_sim_ops - the hardware as the driver reaches it
 * @bar0_rd32: 32-bit read at a BAR0 offset, which the caller keeps aligned
 *	and inside BAR0
 * @bar0_wr32: 32-bit write at a BAR0 offset, likewise
 * @bar1_read: read @len bytes at a BAR1 offset inside BAR1
 * @bar1_write: write @len bytes at a BAR1 offset inside BAR1
 * @gsp_rpc: send one RPC message (header and payload) to the GSP and take
 *	its reply into @reply; returns 0 or a negative errno when no reply
 *	came, and sets @reply_len to the bytes of reply delivered
 * @bar1_faults: faults logged since the log was cleared, and in @last_va
 *	the address of the latest (0 when none): what a driver's self-test
 *	reads to see that an unmapped BAR1 page faults
 * @bar1_page: the host page behind a page-aligned BAR1 offset, translated
 *	as a BAR1 access (faults logged), for a CPU mapping of BAR1; an
 *	error pointer when it faults. The page lives as long as the sim.
 * @claim: a driver takes the GPU, at the start of its probe: -EBUSY when
 *	another driver device holds it already. While it is held, the fault
 *	injections that would change the GPU under it are refused
 * @release: the driver lets go, at the end of its remove
 *
 * Every function may sleep: the sim allocates VRAM pages on first touch.
 */
struct novamm_sim_ops {
	u32 (*bar0_rd32)(struct novamm_sim *sim, u32 offset);
	void (*bar0_wr32)(struct novamm_sim *sim, u32 offset, u32 val);
	void (*bar1_read)(struct novamm_sim *sim, u64 offset, void *buf,
			  size_t len);
	void (*bar1_write)(struct novamm_sim *sim, u64 offset, const void *buf,
			   size_t len);
	int (*gsp_rpc)(struct novamm_sim *sim, const void *req, size_t req_len,
		       void *reply, size_t reply_size, size_t *reply_len);
	u64 (*bar1_faults)(struct novamm_sim *sim, u64 *last_va);
	struct page *(*bar1_page)(struct novamm_sim *sim, u64 offset, bool write);
	int (*claim)(struct novamm_sim *sim);
	void (*release)(struct novamm_sim *sim);
};

/**
 * struct novamm_sim_pdata - platform data of a simulated GPU
 * @sim: the simulated GPU, passed back to every op
 * @ops: its access functions
 * @bar0_size: bytes of BAR0
 * @bar1_size: bytes of BAR1
 */
struct novamm_sim_pdata {
	struct novamm_sim *sim;
	const struct novamm_sim_ops *ops;
	u64 bar0_size;
	u64 bar1_size;
};

/**
 * struct novamm_sim_config - what a simulated GPU is made of
 * @chip: chip name, case-insensitive ("ga102", "GH100", ...)
 * @vram_size: bytes of VRAM, a multiple of 1 MiB from 16 MiB; 0 picks the
 *	chip's default
 * @bar1_size: bytes of BAR1, a power of two from 1 MiB to 1 TiB; 0 picks
 *	256 MiB
 * @vram_fill: the byte that VRAM never written reads as
 * @vram_huge: back each 2 MiB of VRAM with one naturally aligned, physically
 *	contiguous 2 MiB of host memory, so that a CPU mapping of BAR1 can
 *	take a 2 MiB page-table entry (see "Sparse VRAM" in sim/vram.c)
 * @no_gsp: the GPU runs no GSP-RM: created with NOVAMM_SIM_GSP_ABSENT
 *	injected, so BAR1 starts unbound and no VRAM is touched
 */
struct novamm_sim_config {
	const char *chip;
	u64 vram_size;
	u64 bar1_size;
	u8 vram_fill;
	bool vram_huge;
	bool no_gsp;
};

/**
 * struct novamm_sim_counters - what the sim counts, for tests and benchmarks
 * @mmio_reads: BAR0 32-bit reads, of any register or of PRAMIN alike
 * @mmio_writes: BAR0 32-bit writes, likewise
 * @window_writes: writes to the BAR0 window register
 * @window_moves: those writes that changed the window's base or target
 * @pramin_reads: BAR0 reads inside the PRAMIN aperture
 * @pramin_writes: BAR0 writes inside the PRAMIN aperture
 * @pramin_errors: PRAMIN accesses that reached no VRAM (window beyond the
 *	end of VRAM, or targeting system memory, which the sim has none of)
 * @unimplemented: accesses to registers the sim does not implement
 * @bar1_reads: BAR1 read calls
 * @bar1_writes: BAR1 write calls
 * @bus_writes: write transactions on the bus: one per BAR0 write, and
 *	what BAR1 writes make of their bytes through the CPU's
 *	write-combining buffers (sim/bar1.c, "Bus transactions")
 * @bar1_faults: pieces of BAR1 accesses, and pages asked for by a CPU
 *	mapping, that faulted (could not be translated, or reached past VRAM)
 * @bar1_mmap_faults: CPU page faults on a mapping of BAR1 the sim was
 *	asked to serve (the bar1_page op), served or not
 * @walks: page-table walks (TLB misses)
 * @tlb_hits: translations served from a TLB
 * @dir_hits: directory entries served from a TLB's directory cache
 * @posted_writes: writes through PRAMIN or BAR1 that were posted
 * @fb_flushes: FB flushes completed (through the flush registers), whether
 *	they landed anything or not
 * @read_flushes: PRAMIN or BAR1 reads that landed posted writes
 * @invalidates_unflushed: invalidates triggered while writes were posted
 *	(the invalidate log has the number for each)
 * @protected_writes: writes that landed in reserved or protected VRAM
 * @invalidates: TLB invalidates completed
 * @invalidates_ignored: invalidates triggered while one was pending,
 *	without ALL_VA (targeted invalidation is not modelled), or for a PDB
 *	in system memory without ALL_PDB: nothing dropped
 * @binds: BAR1 binds completed (not the GSP's own at boot)
 * @gsp_rpcs: GSP RPCs answered
 * @vram_pages: VRAM pages backed by host memory so far (a level, not a
 *	count of events: resetting the counters leaves it)
 */
struct novamm_sim_counters {
	u64 mmio_reads;
	u64 mmio_writes;
	u64 window_writes;
	u64 window_moves;
	u64 pramin_reads;
	u64 pramin_writes;
	u64 pramin_errors;
	u64 unimplemented;
	u64 bar1_reads;
	u64 bar1_writes;
	u64 bus_writes;
	u64 bar1_faults;
	u64 bar1_mmap_faults;
	u64 walks;
	u64 tlb_hits;
	u64 dir_hits;
	u64 posted_writes;
	u64 fb_flushes;
	u64 read_flushes;
	u64 invalidates_unflushed;
	u64 protected_writes;
	u64 invalidates;
	u64 invalidates_ignored;
	u64 binds;
	u64 gsp_rpcs;
	u64 vram_pages;
};

/* Access flags of novamm_sim_translate(). BAR1 accesses are unprivileged. */
#define NOVAMM_SIM_ACCESS_WRITE	BIT(0)
#define NOVAMM_SIM_ACCESS_PRIV	BIT(1)

/**
 * enum novamm_sim_fault_reason - why a translation failed
 * @NOVAMM_SIM_FAULT_NONE: it did not
 * @NOVAMM_SIM_FAULT_UNBOUND: BAR1 has no usable instance block bound
 * @NOVAMM_SIM_FAULT_OUTSIDE_BAR1: the offset is beyond BAR1
 * @NOVAMM_SIM_FAULT_VA_RANGE: the address is beyond the format's VA bits
 * @NOVAMM_SIM_FAULT_NO_PDE: a directory entry on the way is invalid
 * @NOVAMM_SIM_FAULT_NO_PTE: the page-table entry is invalid
 * @NOVAMM_SIM_FAULT_BAD_APERTURE: an entry targets memory other than
 *	local video memory (the sim has no system or peer memory)
 * @NOVAMM_SIM_FAULT_BAD_ADDRESS: a table or page lies beyond VRAM
 * @NOVAMM_SIM_FAULT_READ_ONLY: a write to a read-only page
 * @NOVAMM_SIM_FAULT_PRIVILEGE: an unprivileged access to a privileged page
 */
enum novamm_sim_fault_reason {
	NOVAMM_SIM_FAULT_NONE,
	NOVAMM_SIM_FAULT_UNBOUND,
	NOVAMM_SIM_FAULT_OUTSIDE_BAR1,
	NOVAMM_SIM_FAULT_VA_RANGE,
	NOVAMM_SIM_FAULT_NO_PDE,
	NOVAMM_SIM_FAULT_NO_PTE,
	NOVAMM_SIM_FAULT_BAD_APERTURE,
	NOVAMM_SIM_FAULT_BAD_ADDRESS,
	NOVAMM_SIM_FAULT_READ_ONLY,
	NOVAMM_SIM_FAULT_PRIVILEGE,
};

/**
 * struct novamm_sim_translation - what the simulated MMU made of an address
 * @fault: why it failed, or NOVAMM_SIM_FAULT_NONE
 * @sparse: the address is in a sparse mapping: reads return 0, writes are
 *	dropped, nothing faults
 * @pa: the VRAM address the virtual address maps to
 * @page_size: size of the page that maps it
 * @read_only: the page is read-only
 * @privileged: the page is privileged
 * @vol: v2 VOL, v3 PCF UNCACHED
 * @atomic_disable: v2 ATOMIC_DISABLE, v3 PCF NO_ATOMIC
 * @kind: the PTE's KIND
 * @from_tlb: served from the TLB, not walked
 */
struct novamm_sim_translation {
	enum novamm_sim_fault_reason fault;
	bool sparse;
	u64 pa;
	u64 page_size;
	bool read_only;
	bool privileged;
	bool vol;
	bool atomic_disable;
	u8 kind;
	bool from_tlb;
};

/**
 * struct novamm_sim_fault - one entry of the fault log
 * @va: the virtual address (a BAR1 offset for BAR1 accesses)
 * @access: NOVAMM_SIM_ACCESS_* flags of the access
 * @reason: why it faulted
 */
struct novamm_sim_fault {
	u64 va;
	unsigned int access;
	enum novamm_sim_fault_reason reason;
};

/**
 * struct novamm_sim_bar1_state - what BAR1 is bound to
 * @bound: a bind completed and its instance block was usable
 * @virtual_mode: MODE is VIRTUAL (else PHYSICAL: offset = VRAM address)
 * @instance: VRAM address of the bound instance block
 * @pdb: its page directory base
 * @ver2: its USE_VER2_PT_FORMAT bit
 * @big_64k: its BIG_PAGE_SIZE bit (64 KiB)
 * @magic: it holds NV_RAMIN_ENGINE_CTXSW_FW_MAGIC_VALUE at 0x20c
 */
struct novamm_sim_bar1_state {
	bool bound;
	bool virtual_mode;
	u64 instance;
	u64 pdb;
	bool ver2;
	bool big_64k;
	bool magic;
};

/**
 * enum novamm_sim_gsp_fault - how the GSP's static-info reply goes wrong
 * @NOVAMM_SIM_GSP_OK: it does not
 * @NOVAMM_SIM_GSP_ERROR: rpc_result reports NV_ERR_GENERIC
 * @NOVAMM_SIM_GSP_TRUNCATED: half the payload is delivered, though the
 *	header's length claims all of it
 * @NOVAMM_SIM_GSP_TOO_MANY_REGIONS: numFBRegions is one more than the
 *	format's maximum of 16
 * @NOVAMM_SIM_GSP_INVERTED_REGION: the first region's base is above its
 *	limit
 * @NOVAMM_SIM_GSP_OVERLAPPING_REGIONS: the second region starts inside
 *	the first
 * @NOVAMM_SIM_GSP_ABSENT: no GSP-RM runs: requests get no answer
 *	(-EOPNOTSUPP, as from a driver with no transport to it) and BAR1 is
 *	left unbound, as on a GPU whose firmware never started it
 */
enum novamm_sim_gsp_fault {
	NOVAMM_SIM_GSP_OK,
	NOVAMM_SIM_GSP_ERROR,
	NOVAMM_SIM_GSP_TRUNCATED,
	NOVAMM_SIM_GSP_TOO_MANY_REGIONS,
	NOVAMM_SIM_GSP_INVERTED_REGION,
	NOVAMM_SIM_GSP_OVERLAPPING_REGIONS,
	NOVAMM_SIM_GSP_ABSENT,
};

/**
 * struct novamm_sim_inject - fault injection
 * @invalidate_polls: reads of MMU_INVALIDATE that still show TRIGGER set
 *	before an invalidate completes; U32_MAX: it never completes
 * @bind_polls: reads of the bind status that still show PENDING and
 *	OUTSTANDING before a bind completes; U32_MAX: it never completes
 * @gsp: what is wrong with the GSP's static-info reply
 * @flush_polls: reads of the FB flush status that still show it busy
 *	before a flush completes; U32_MAX: it never completes
 * @gfw_boot_polls: Turing to Ada: reads of the GFW privilege mask before
 *	devinit reports done, counted from when it is set; 0: done before
 *	the driver looks; U32_MAX: never
 * @bad_vram_addr: start of a range of bad VRAM
 * @bad_vram_size: its bytes; 0 for none
 * @bad_vram_stuck: bits of every 32-bit word in the range that read as 1
 *	whatever was written (stuck at one), by every reader: the MMU,
 *	PRAMIN, BAR1, tests' direct reads
 * @gone: the GPU has fallen off the bus: every BAR0 and BAR1 read returns
 *	all ones and every write is dropped (both still counted), CPU pages
 *	of BAR1 fault, the GSP answers nothing
 */
struct novamm_sim_inject {
	u32 invalidate_polls;
	u32 bind_polls;
	enum novamm_sim_gsp_fault gsp;
	u32 flush_polls;
	u32 gfw_boot_polls;
	u64 bad_vram_addr;
	u64 bad_vram_size;
	u32 bad_vram_stuck;
	bool gone;
};

/**
 * struct novamm_sim_models - the sim's strict models, each on by default
 * @posted_writes: writes through PRAMIN and BAR1 are posted: the MMU
 *	does not see them until a flush, a read through PRAMIN or BAR1, or
 *	@posted_depth further accesses have landed them
 * @posted_depth: that bound, 1 to NOVAMM_SIM_POSTED_DEPTH_MAX; 64 by
 *	default
 * @dir_cache: the MMU caches directory entries as well as translations,
 *	until a completed invalidate covering them drops them
 * @gpc_tlb: engines translate through a GPC TLB that HUBTLB_ONLY leaves
 *	alone; off, HUBTLB_ONLY drops every TLB as a full invalidate does
 * @protected_watch: count and log every write that lands in VRAM the GPU
 *	reported reserved or protected (novamm_sim_protected_writes())
 *
 * Turning a model off makes the sim more forgiving than the hardware: for
 * showing what a model catches, never for making a test pass.
 */
struct novamm_sim_models {
	bool posted_writes;
	u32 posted_depth;
	bool dir_cache;
	bool gpc_tlb;
	bool protected_watch;
};

/**
 * struct novamm_sim_protected_write - one write into protected VRAM
 * @addr: its first byte
 * @len: its bytes
 * @cpu: through a CPU mapping of BAR1 (a writable page handed out)
 */
struct novamm_sim_protected_write {
	u64 addr;
	u32 len;
	bool cpu;
};

#define NOVAMM_SIM_POSTED_DEPTH_MAX	4096

/**
 * struct novamm_sim_invalidate - one entry of the invalidate log
 * @pdb: the page directory base the PDB registers named
 * @pdb_sysmem: their APERTURE said system memory
 * @value: NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE as written
 * @all_va: ALL_VA
 * @all_pdb: ALL_PDB
 * @hub_only: HUBTLB_ONLY
 * @sys_membar: SYS_MEMBAR
 * @ack: ACK (0 NONE_REQUIRED, 1 GLOBALLY, 2 INTRANODE)
 * @cache_level: CACHE_LEVEL (0 ALL, 1 PTE_ONLY, 2 + n UP_TO_PDEn)
 * @ignored: it dropped nothing: triggered while another was pending,
 *	without ALL_VA, or for a PDB in system memory without ALL_PDB
 * @posted: writes still posted when it was triggered, which its refill
 *	walks cannot see: a driver flushes first, so that this is 0
 */
struct novamm_sim_invalidate {
	u64 pdb;
	bool pdb_sysmem;
	u32 value;
	bool all_va;
	bool all_pdb;
	bool hub_only;
	bool sys_membar;
	u8 ack;
	u8 cache_level;
	bool ignored;
	u32 posted;
};

#define NOVAMM_SIM_MAX_FB_REGIONS	16

/**
 * struct novamm_sim_fb_region - one NV2080_CTRL_CMD_FB_GET_FB_REGION_INFO entry
 * @base: first byte
 * @limit: last byte (inclusive)
 * @reserved: reserved for RM
 * @performance: relative performance
 * @compressed: supportCompressed
 * @iso: supportISO
 * @protected: bProtected
 */
struct novamm_sim_fb_region {
	u64 base;
	u64 limit;
	u64 reserved;
	u32 performance;
	bool compressed;
	bool iso;
	bool protected;
};

/**
 * struct novamm_sim_gsp_config - what the GSP reports in its static info
 * @regions: the framebuffer region table
 * @num_regions: entries used, at most NOVAMM_SIM_MAX_FB_REGIONS
 * @bar1_pde_base: bar1PdeBase
 * @bar2_pde_base: bar2PdeBase
 */
struct novamm_sim_gsp_config {
	struct novamm_sim_fb_region regions[NOVAMM_SIM_MAX_FB_REGIONS];
	unsigned int num_regions;
	u64 bar1_pde_base;
	u64 bar2_pde_base;
};

int novamm_sim_create(const struct novamm_sim_config *cfg,
		      struct novamm_sim **simp);
void novamm_sim_destroy(struct novamm_sim *sim);

void novamm_sim_pdata(struct novamm_sim *sim, struct novamm_sim_pdata *pdata);

const char *novamm_sim_chip_name(const struct novamm_sim *sim);
u64 novamm_sim_vram_size(const struct novamm_sim *sim);

u32 novamm_sim_rd32(struct novamm_sim *sim, u32 offset);
void novamm_sim_wr32(struct novamm_sim *sim, u32 offset, u32 val);

/* Direct VRAM access for tests, past every counter and MMIO model. */
int novamm_sim_vram_read(struct novamm_sim *sim, u64 addr, void *buf,
			 size_t len);
int novamm_sim_vram_write(struct novamm_sim *sim, u64 addr, const void *buf,
			  size_t len);

void novamm_sim_counters(struct novamm_sim *sim,
			 struct novamm_sim_counters *out);
void novamm_sim_reset_counters(struct novamm_sim *sim);
unsigned int novamm_sim_posted(struct novamm_sim *sim);
u64 novamm_sim_reg_reads(struct novamm_sim *sim, u32 offset);

int novamm_sim_translate(struct novamm_sim *sim, u64 pdb, u64 va,
			 unsigned int access, struct novamm_sim_translation *t);
unsigned int novamm_sim_test_scaled(unsigned int n);
int novamm_sim_walk(struct novamm_sim *sim, u64 pdb, u64 va,
		    struct novamm_sim_translation *t);
int novamm_sim_engine_translate(struct novamm_sim *sim, u64 pdb, u64 va,
				unsigned int access,
				struct novamm_sim_translation *t);
unsigned int novamm_sim_invalidates(struct novamm_sim *sim,
				    struct novamm_sim_invalidate *out,
				    unsigned int max);
void novamm_sim_clear_invalidates(struct novamm_sim *sim);
unsigned int novamm_sim_protected_writes(struct novamm_sim *sim,
					 struct novamm_sim_protected_write *out,
					 unsigned int max);
void novamm_sim_clear_protected_writes(struct novamm_sim *sim);
void novamm_sim_models(struct novamm_sim *sim, struct novamm_sim_models *out);
int novamm_sim_set_models(struct novamm_sim *sim,
			  const struct novamm_sim_models *models);
unsigned int novamm_sim_faults(struct novamm_sim *sim,
			       struct novamm_sim_fault *out, unsigned int max);
void novamm_sim_clear_faults(struct novamm_sim *sim);
void novamm_sim_bar1_state(struct novamm_sim *sim,
			   struct novamm_sim_bar1_state *out);
int novamm_sim_set_inject(struct novamm_sim *sim,
			  const struct novamm_sim_inject *inject);
void novamm_sim_gsp_config(struct novamm_sim *sim,
			   struct novamm_sim_gsp_config *out);
int novamm_sim_set_gsp_config(struct novamm_sim *sim,
			      const struct novamm_sim_gsp_config *cfg);
const char *novamm_sim_fault_name(enum novamm_sim_fault_reason reason);

#endif /* _NOVAMM_SIM_H_ */
