/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm bar1 internals: what the files of bar1/ share and nothing else
 * sees.
 */
#ifndef _NOVAMM_BAR1_INTERNAL_H_
#define _NOVAMM_BAR1_INTERNAL_H_

#include <linux/types.h>

struct novamm_bar1;
struct novamm_bar1_mapping;
struct novamm_pt_window_ops;

int novamm_bar1_bind_inst(struct novamm_bar1 *bar1, u64 inst, u32 mode);
struct novamm_bar1_mapping *novamm_bar1_at(struct novamm_bar1 *bar1, u64 offset);
void novamm_bar1_release(struct novamm_bar1_mapping *map);

extern const struct novamm_pt_window_ops novamm_bar1_window_ops;

#endif /* _NOVAMM_BAR1_INTERNAL_H_ */
