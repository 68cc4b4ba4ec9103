/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm pagetable internals: the table pool, which only the walker uses.
 */
#ifndef _NOVAMM_PAGETABLE_INTERNAL_H_
#define _NOVAMM_PAGETABLE_INTERNAL_H_

#include <linux/bitops.h>

#include <novamm/pagetable.h>

/*
 * FIELD_PREP() and FIELD_GET() for masks that are only known at run time:
 * the formats describe the halves of a dual PDE with one table of masks.
 */
static inline u64 novamm_pt_field_prep(u64 mask, u64 val)
{
	return (val << __ffs64(mask)) & mask;
}

static inline u64 novamm_pt_field_get(u64 mask, u64 raw)
{
	return (raw & mask) >> __ffs64(mask);
}

void novamm_pt_pool_init(struct novamm_pt_pool *pool, struct novamm_buddy *buddy);
int novamm_pt_pool_get(struct novamm_pt_pool *pool, u32 size, u64 *addr);
void novamm_pt_pool_put(struct novamm_pt_pool *pool, u64 addr, u32 size);
void novamm_pt_pool_fini(struct novamm_pt_pool *pool);
void novamm_pt_pool_keep(struct novamm_pt_pool *pool);

#endif /* _NOVAMM_PAGETABLE_INTERNAL_H_ */
