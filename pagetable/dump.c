// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tree printed for debugfs, from the shadow.
 */
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include <novamm/pagetable.h>

#include "internal.h"

static const char * const pt_state_names[] = {
	[NOVAMM_PT_UNMAPPED] = "unmapped",
	[NOVAMM_PT_INVALID] = "invalid",
	[NOVAMM_PT_SPARSE] = "sparse",
	[NOVAMM_PT_VALID] = "valid",
	[NOVAMM_PT_TABLE] = "table",
};

struct pt_dump_walk {
	struct novamm_pt_walk w;
	struct seq_file *m;
};

static int pt_dump_table(struct novamm_pt_walk *w, struct novamm_pt *t, u64 base,
			 unsigned int depth)
{
	struct seq_file *m = container_of(w, struct pt_dump_walk, w)->m;

	seq_printf(m, "%*s%s at 0x%llx: %u of %u entries used\n", 2 * depth, "",
		   t->level->name, t->addr, t->valid, pt_entries(t->level));
	return NOVAMM_PT_WALK_DOWN;
}

static int pt_dump_entry(struct novamm_pt_walk *w, struct novamm_pt_at *at)
{
	struct seq_file *m = container_of(w, struct pt_dump_walk, w)->m;
	const struct novamm_pt_level *l = at->t->level;
	struct novamm_pte pte;
	u64 raw;

	if (pt_entry_zero(at->t, at->idx))
		return NOVAMM_PT_WALK_NEXT;
	if (!l->leaf && !pt_dir_entry_is_page(w->pt, at->t, at->idx))
		return NOVAMM_PT_WALK_DOWN;
	raw = pt_raw(at->t, at->idx, 0);
	w->pt->fmt->codec->pte_decode(raw, &pte);
	seq_printf(m, "%*s[%u] va 0x%llx: %s", 2 * at->depth + 2, "",
		   at->idx, at->lo, pt_state_names[pte.state]);
	if (pte.state == NOVAMM_PT_VALID)
		seq_printf(m, " 0x%llx aperture %u kind 0x%x%s%s%s%s",
			   pte.addr, pte.attrs.aperture, pte.attrs.kind,
			   pte.attrs.read_only ? " ro" : "",
			   pte.attrs.privileged ? " priv" : "",
			   pte.attrs.uncached ? " uncached" : "",
			   pte.attrs.atomic_disable ? " no-atomic" : "");
	seq_printf(m, " (%s 0x%016llx)\n", l->name, raw);
	return NOVAMM_PT_WALK_NEXT;
}

static const struct novamm_pt_walk_ops pt_dump_ops = {
	.table = pt_dump_table,
	.entry = pt_dump_entry,
};

/**
 * novamm_pagetable_dump() - print a subtree for debugfs, from its shadow
 * @m: the file
 * @pt: the tree
 * @va: start of the VA range whose tables and entries are printed
 * @size: its bytes; 0 for the whole VA
 *
 * One line per table (level, VRAM address, entries in use) and one per
 * page entry (state, address, attributes, raw value), indented by depth.
 */
void novamm_pagetable_dump(struct seq_file *m, struct novamm_pagetable *pt,
			   u64 va, u64 size)
{
	u64 last = size ? va + size - 1 : U64_MAX;
	struct pt_dump_walk d = {
		{ &pt_dump_ops, pt, size ? va : 0, last < va ? U64_MAX : last }, m
	};

	seq_printf(m, "format: %s, %u tables, %u pool chunks\n", pt->fmt->name,
		   pt->num_tables, pt->pool.num_chunks);
	novamm_pt_walk_range(&d.w, pt->root, 0);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_dump);
