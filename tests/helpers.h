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

struct novamm_test_dev *novamm_test_dev_attach(struct kunit *test,
					       const char *chip,
					       u64 vram_size);
void novamm_test_dev_probe(struct kunit *test, struct novamm_test_dev *td);
void novamm_test_dev_remove(struct novamm_test_dev *td);
struct novamm_test_dev *novamm_test_dev_new(struct kunit *test,
					    const char *chip, u64 vram_size);
void *novamm_test_vmalloc(struct kunit *test, size_t len);
struct novamm_pagetable *novamm_test_pagetable_new(struct kunit *test,
						   struct novamm_test_dev *td);
int novamm_test_pt_map(struct novamm_pagetable *pt, u64 va, u64 count,
		       unsigned int page_shift, u64 phys,
		       const struct novamm_pte_attrs *attrs);

#endif /* _NOVAMM_TESTS_HELPERS_H_ */
