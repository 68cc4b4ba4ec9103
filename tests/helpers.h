/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KUnit helpers shared by the driver's suites: a driver device on top of a
 * simulated GPU, and a page-table tree on it, torn down with the test.
 */
#ifndef _NOVAMM_TESTS_HELPERS_H_
#define _NOVAMM_TESTS_HELPERS_H_

#include <kunit/test.h>

#include <novamm/core.h>
#include <novamm/pagetable.h>
#include <novamm/sim.h>

/**
 * struct novamm_test_dev - a driver device bound to a simulated GPU
 * @dev: a root device standing in for the platform device
 * @sim: the simulated GPU
 * @pdata: its access functions, as its platform device would carry them
 * @ndev: the driver's device
 * @probed: novamm_core_probe() succeeded; cleanup removes it
 * @test: the test it belongs to, which cleanup fails if the device wrote
 *	into VRAM the sim reported reserved or protected
 */
struct novamm_test_dev {
	struct kunit *test;
	struct device *dev;
	struct novamm_sim *sim;
	struct novamm_sim_pdata pdata;
	struct novamm_device ndev;
	bool probed;
};

struct device *novamm_test_root_device(const char *name);
struct novamm_test_dev *novamm_test_dev_attach(struct kunit *test,
					       const char *chip,
					       u64 vram_size);
struct novamm_test_dev *novamm_test_dev_attach_cfg(struct kunit *test,
						   const struct novamm_sim_config *cfg);
void novamm_test_dev_probe(struct kunit *test, struct novamm_test_dev *td);
void novamm_test_dev_remove(struct novamm_test_dev *td);
struct novamm_test_dev *novamm_test_dev_new(struct kunit *test,
					    const char *chip, u64 vram_size);
void *novamm_test_vmalloc(struct kunit *test, size_t len);
struct novamm_pagetable *novamm_test_pagetable_new(struct kunit *test,
						   struct novamm_test_dev *td);
/**
 * struct novamm_test_view - what the tables in VRAM translate, past the TLBs
 * @n: translations taken
 * @va: the addresses
 * @t: novamm_sim_walk() of each
 */
struct novamm_test_view {
	unsigned int n;
	u64 *va;
	struct novamm_sim_translation *t;
};

/**
 * struct novamm_test_span - addresses to walk: @start, @start + @step, ...
 *	below @start + @size
 * @start: first address
 * @size: bytes covered
 * @step: distance between addresses
 */
struct novamm_test_span {
	u64 start, size, step;
};

void novamm_test_view_take(struct kunit *test, struct novamm_test_dev *td, u64 pdb,
			   const struct novamm_test_span *spans, unsigned int nr,
			   struct novamm_test_view *view);
void novamm_test_view_expect(struct kunit *test, struct novamm_test_dev *td, u64 pdb,
			     const struct novamm_test_view *before, unsigned int point);
u32 novamm_test_vram_crc(struct kunit *test, struct novamm_test_dev *td);
void *novamm_test_vmalloc_fill(struct kunit *test, size_t len, int c);
void novamm_test_fault_quiet(struct kunit *test, struct novamm_mm *mm);
unsigned int novamm_test_fault_walk(struct kunit *test, int (*op)(void *ctx),
				    void (*check)(struct kunit *test, void *ctx,
						  unsigned int point, int ret),
				    void *ctx);

int novamm_test_pt_map(struct novamm_pagetable *pt, u64 va, u64 count,
		       unsigned int page_shift, u64 phys,
		       const struct novamm_pte_attrs *attrs);
void novamm_test_full_size(struct kunit *test);

#endif /* _NOVAMM_TESTS_HELPERS_H_ */
