// SPDX-License-Identifier: GPL-2.0-only
/*
 * BAR1 of a simulated GPU.
 *
 * BAR1 reaches VRAM only through an instance block bound with the BAR1
 * block register and the page tables it points to. Until the sim models
 * that binding, no instance block is ever bound, so every access faults
 * the way the fault log will report faults: reads return all ones and
 * writes are dropped.
 *
 * Locking: called with sim->lock held (lockdep-asserted).
 */
#include <linux/lockdep.h>
#include <linux/string.h>

#include "internal.h"

void novamm_sim_bar1_read_locked(struct novamm_sim *sim, u64 offset,
				 void *buf, size_t len)
{
	lockdep_assert_held(&sim->lock);
	sim->cnt.bar1_reads++;
	sim->cnt.bar1_faults++;
	memset(buf, 0xff, len);
}

void novamm_sim_bar1_write_locked(struct novamm_sim *sim, u64 offset,
				  const void *buf, size_t len)
{
	lockdep_assert_held(&sim->lock);
	sim->cnt.bar1_writes++;
	sim->cnt.bar1_faults++;
}
