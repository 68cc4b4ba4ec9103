/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm_sim: a simulated NVIDIA GPU.
 *
 * Two faces. The driver sees a platform device named NOVAMM_SIM_DRIVER_NAME
 * whose platform data carries struct novamm_sim_pdata: a table of access
 * functions, so novamm.ko and novamm_sim.ko never link against each other
 * and either can be loaded first. Tests see the C API below, which builds a
 * simulated GPU without a platform device and inspects it from outside.
 */
#ifndef _NOVAMM_SIM_H_
#define _NOVAMM_SIM_H_

#include <linux/types.h>

#define NOVAMM_SIM_DRIVER_NAME	"novamm-sim"

/*
 * What a read of a register the sim does not implement returns. Chosen to
 * stand out in a dump; it is not a value any implemented register holds.
 */
#define NOVAMM_SIM_POISON	0xbadf5e11

struct novamm_sim;

/**
 * struct novamm_sim_ops - the hardware as the driver reaches it
 * @bar0_rd32: 32-bit read at a BAR0 offset, which the caller keeps aligned
 *	and inside BAR0
 * @bar0_wr32: 32-bit write at a BAR0 offset, likewise
 * @bar1_read: read @len bytes at a BAR1 offset inside BAR1
 * @bar1_write: write @len bytes at a BAR1 offset inside BAR1
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
 * @vram_size: bytes of VRAM; 0 picks the chip's default
 * @bar1_size: bytes of BAR1, a power of two; 0 picks 256 MiB
 * @vram_fill: the byte that VRAM never written reads as
 */
struct novamm_sim_config {
	const char *chip;
	u64 vram_size;
	u64 bar1_size;
	u8 vram_fill;
};

/**
 * struct novamm_sim_counters - what the sim counts, for tests and benchmarks
 * @mmio_reads: BAR0 32-bit reads, of any register or of PRAMIN
 * @mmio_writes: BAR0 32-bit writes
 * @window_writes: writes to the BAR0 window register
 * @window_moves: those writes that changed the window's base or target
 * @pramin_reads: BAR0 reads inside the PRAMIN aperture
 * @pramin_writes: BAR0 writes inside the PRAMIN aperture
 * @pramin_errors: PRAMIN accesses that reached no VRAM (window beyond the
 *	end of VRAM, or targeting system memory, which the sim has none of)
 * @unimplemented: accesses to registers the sim does not implement
 * @bar1_reads: BAR1 read calls
 * @bar1_writes: BAR1 write calls
 * @bar1_faults: BAR1 accesses that could not be translated
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
	u64 bar1_faults;
	u64 vram_pages;
};

int novamm_sim_create(const struct novamm_sim_config *cfg,
		      struct novamm_sim **simp);
void novamm_sim_destroy(struct novamm_sim *sim);

void novamm_sim_pdata(struct novamm_sim *sim, struct novamm_sim_pdata *pdata);

const char *novamm_sim_chip_name(const struct novamm_sim *sim);
u64 novamm_sim_vram_size(const struct novamm_sim *sim);

u32 novamm_sim_rd32(struct novamm_sim *sim, u32 offset);
void novamm_sim_wr32(struct novamm_sim *sim, u32 offset, u32 val);

/* Direct VRAM access for tests: no counter moves, no MMIO is modelled. */
int novamm_sim_vram_read(struct novamm_sim *sim, u64 addr, void *buf,
			 size_t len);
int novamm_sim_vram_write(struct novamm_sim *sim, u64 addr, const void *buf,
			  size_t len);

void novamm_sim_counters(struct novamm_sim *sim,
			 struct novamm_sim_counters *out);
void novamm_sim_reset_counters(struct novamm_sim *sim);

#endif /* _NOVAMM_SIM_H_ */
