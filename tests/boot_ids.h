/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Expected boot-register values of every supported chip at silicon
 * revision A1 (the revision the simulated GPU reports), typed from the
 * field layouts of NV_PMC_BOOT_0 and NV_PMC_BOOT_42 in OGKM
 * src/common/inc/swref/published/nv_ref.h and the chip ids of
 * ctrl2080mc.h / nova-core gpu.rs:
 *
 *   BOOT_0:  28:24 ARCHITECTURE_0, 23:20 IMPLEMENTATION, 7:4 MAJOR, 3:0 MINOR
 *   BOOT_42: 29:20 CHIP_ID, 19:16 MAJOR_REVISION, 15:12 MINOR_REVISION
 *
 * Shared by the driver's suite (it must decode them) and the sim's suite
 * (it must produce them); neither computes them from the code under test.
 */
#ifndef _NOVAMM_TESTS_BOOT_IDS_H_
#define _NOVAMM_TESTS_BOOT_IDS_H_

struct novamm_test_boot_id {
	const char *chip;
	u32 boot0;
	u32 boot42;
	u8 arch;
	const char *arch_name;
	u8 mmu_version;
};

static const struct novamm_test_boot_id novamm_test_boot_ids[] = {
	{ "TU102", 0x162000a1, 0x162a1000, 0x16, "Turing", 2 },
	{ "TU104", 0x164000a1, 0x164a1000, 0x16, "Turing", 2 },
	{ "TU106", 0x166000a1, 0x166a1000, 0x16, "Turing", 2 },
	{ "TU116", 0x168000a1, 0x168a1000, 0x16, "Turing", 2 },
	{ "TU117", 0x167000a1, 0x167a1000, 0x16, "Turing", 2 },
	{ "GA100", 0x170000a1, 0x170a1000, 0x17, "Ampere", 2 },
	{ "GA102", 0x172000a1, 0x172a1000, 0x17, "Ampere", 2 },
	{ "GA103", 0x173000a1, 0x173a1000, 0x17, "Ampere", 2 },
	{ "GA104", 0x174000a1, 0x174a1000, 0x17, "Ampere", 2 },
	{ "GA106", 0x176000a1, 0x176a1000, 0x17, "Ampere", 2 },
	{ "GA107", 0x177000a1, 0x177a1000, 0x17, "Ampere", 2 },
	{ "AD102", 0x192000a1, 0x192a1000, 0x19, "Ada", 2 },
	{ "AD103", 0x193000a1, 0x193a1000, 0x19, "Ada", 2 },
	{ "AD104", 0x194000a1, 0x194a1000, 0x19, "Ada", 2 },
	{ "AD106", 0x196000a1, 0x196a1000, 0x19, "Ada", 2 },
	{ "AD107", 0x197000a1, 0x197a1000, 0x19, "Ada", 2 },
	{ "GH100", 0x180000a1, 0x180a1000, 0x18, "Hopper", 3 },
	{ "GB100", 0x1a0000a1, 0x1a0a1000, 0x1a, "Blackwell", 3 },
	{ "GB102", 0x1a2000a1, 0x1a2a1000, 0x1a, "Blackwell", 3 },
	{ "GB202", 0x1b2000a1, 0x1b2a1000, 0x1b, "Blackwell", 3 },
	{ "GB203", 0x1b3000a1, 0x1b3a1000, 0x1b, "Blackwell", 3 },
	{ "GB205", 0x1b5000a1, 0x1b5a1000, 0x1b, "Blackwell", 3 },
	{ "GB206", 0x1b6000a1, 0x1b6a1000, 0x1b, "Blackwell", 3 },
	{ "GB207", 0x1b7000a1, 0x1b7a1000, 0x1b, "Blackwell", 3 },
};

#endif /* _NOVAMM_TESTS_BOOT_IDS_H_ */
