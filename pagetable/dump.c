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

static void pt_dump(struct seq_file *m, const struct novamm_pagetable *pt,
		    const struct novamm_pt *t, u64 base, unsigned int depth,
		    u64 first, u64 last)
{
	const struct novamm_pt_level *l = t->level;
	unsigned int idx, which, n = pt_halves(l);
	struct novamm_pte pte;
	struct novamm_pt *c;
	u64 va, hi;

	seq_printf(m, "%*s%s at 0x%llx: %u of %u entries used\n", 2 * depth, "",
		   l->name, t->addr, t->valid, pt_entries(l));
	for (idx = 0; idx < pt_entries(l); idx++) {
		pt_entry_span(t, base, idx, &va, &hi);
		if (pt_entry_zero(t, idx) || va > last || hi < first)
			continue;
		if (l->leaf || pt_dir_entry_is_page(pt, t, idx)) {
			pt->fmt->codec->pte_decode(pt_raw(t, idx, 0), &pte);
			seq_printf(m, "%*s[%u] va 0x%llx: %s", 2 * depth + 2, "",
				   idx, va, pt_state_names[pte.state]);
			if (pte.state == NOVAMM_PT_VALID)
				seq_printf(m, " 0x%llx aperture %u kind 0x%x%s%s%s%s",
					   pte.addr, pte.attrs.aperture, pte.attrs.kind,
					   pte.attrs.read_only ? " ro" : "",
					   pte.attrs.privileged ? " priv" : "",
					   pte.attrs.uncached ? " uncached" : "",
					   pte.attrs.atomic_disable ? " no-atomic" : "");
			seq_printf(m, " (%s 0x%016llx)\n", l->name, pt_raw(t, idx, 0));
			continue;
		}
		for (which = 0; which < n; which++) {
			c = t->child[pt_slot(l, idx, which)];
			if (c)
				pt_dump(m, pt, c, va, depth + 1, first, last);
		}
	}
}

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
void novamm_pagetable_dump(struct seq_file *m, const struct novamm_pagetable *pt,
			   u64 va, u64 size)
{
	u64 last = size ? va + size - 1 : U64_MAX;

	seq_printf(m, "format: %s, %u tables, %u pool chunks\n", pt->fmt->name,
		   pt->num_tables, pt->pool.num_chunks);
	pt_dump(m, pt, pt->root, 0, 0, size ? va : 0, last < va ? U64_MAX : last);
}
EXPORT_SYMBOL_GPL(novamm_pagetable_dump);
