// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated GSP: GET_GSP_STATIC_INFO, and GSP-RM's boot state of BAR1.
 */

/**
 * DOC: Locking
 *
 * novamm_sim_gsp_config() and novamm_sim_set_gsp_config() take
 * ``sim->lock``; novamm_sim_gsp_rpc_locked() is called with it held
 * (lockdep-asserted), and novamm_sim_gsp_defaults() before the sim is
 * shared.
 */

/**
 * DOC: Simulated GSP
 *
 * One request/response call through the access layer (the ``gsp_rpc``
 * op; no message queues, no GSP boot): an RPC message with header version
 * 0x03000000, signature "VRPC" and a length that matches the request is
 * answered, ``GET_GSP_STATIC_INFO`` (65) with a ``GspStaticConfigInfo``
 * in the wire format of the firmware novamm pins, r570.144 (1656 bytes;
 * the region table at 344, ``bar1PdeBase`` at 1536, ``bar2PdeBase`` at
 * 1544), any other function with ``NV_ERR_NOT_SUPPORTED``. A request
 * that is not an RPC message gets no reply (-EPROTO), nor does one whose
 * reply would not fit (-ENOSPC). ``gsp_rpcs`` counts the requests
 * answered.
 *
 * The default region table has usable VRAM from 0, then an RM-reserved
 * and a protected region at the top, each 1/16 of VRAM clamped to 2 to
 * 256 MiB (256 MiB each on a 24 GiB GA102); ``bar1PdeBase`` is the start
 * of the reserved region and ``bar2PdeBase`` 64 KiB into it.
 * novamm_sim_set_gsp_config() replaces the table and the bases.
 *
 * As GSP-RM does at boot, the sim's GSP writes an empty root directory at
 * ``bar1PdeBase`` and an instance block of its own 128 KiB past it (the
 * format bits and magic word of the chip), and binds BAR1 to it in
 * virtual mode, so a driver that maps under that directory finds BAR1
 * translating through it (vm.c). This bind is not counted in ``binds``.
 * With ``gsp absent`` injected, the GSP answers nothing (-EOPNOTSUPP, as
 * a driver without a transport to it sees) and BAR1 is unbound; a GPU
 * that is gone answers -ENODEV.
 */

/**
 * DOC: Wire format
 *
 * The sim's own reading of the format, from nova-core's r570.144 bindings
 * (``drivers/gpu/nova-core/gsp/fw/r570_144/bindings.rs``) and NVIDIA's
 * ``ctrl2080fb.h`` (OGKM ``src/common/sdk/nvidia/inc/ctrl/ctrl2080/``);
 * status codes from OGKM ``src/common/sdk/nvidia/inc/nvstatuscodes.h``:
 *
 * ``rpc_message_header_v03_00``
 *   32 bytes of little-endian u32: version 0x03000000, signature "VRPC"
 *   (0x43505256), length (header + payload), function, rpc_result,
 *   rpc_result_private, sequence, spare.
 * ``GspStaticConfigInfo``
 *   1656 bytes: ``fbRegionInfoParams`` at 344 (``numFBRegions`` u32,
 *   4 bytes of padding, then 16 entries of 48 bytes: base u64, limit u64
 *   (inclusive), reserved u64, performance u32, supportCompressed u8,
 *   supportISO u8, bProtected u8, ``blackList[17]``), ``bar1PdeBase`` at
 *   1536, ``bar2PdeBase`` at 1544.
 */
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "internal.h"

#define SIM_RPC_HEADER_VERSION		0x03000000
#define SIM_RPC_SIGNATURE		0x43505256
#define SIM_RPC_HEADER_SIZE		32
#define SIM_RPC_GET_GSP_STATIC_INFO	65

#define SIM_NV_OK			0x00000000
#define SIM_NV_ERR_GENERIC		0x0000ffff
#define SIM_NV_ERR_NOT_SUPPORTED	0x00000056

#define SIM_STATIC_INFO_SIZE		1656
#define SIM_FB_REGION_INFO		344
#define SIM_FB_REGION_ENTRIES		(SIM_FB_REGION_INFO + 8)
#define SIM_FB_REGION_SIZE		48
#define SIM_BAR1_PDE_BASE		1536
#define SIM_BAR2_PDE_BASE		1544

/* Header words, as u32 indices. */
enum {
	RPC_VERSION, RPC_SIGNATURE, RPC_LENGTH, RPC_FUNCTION, RPC_RESULT,
	RPC_RESULT_PRIVATE, RPC_SEQUENCE, RPC_SPARE
};

static void put32(u8 *p, u32 v)
{
	__le32 le = cpu_to_le32(v);

	memcpy(p, &le, sizeof(le));
}

static void put64(u8 *p, u64 v)
{
	__le64 le = cpu_to_le64(v);

	memcpy(p, &le, sizeof(le));
}

static u32 get32(const u8 *p)
{
	__le32 le;

	memcpy(&le, p, sizeof(le));
	return le32_to_cpu(le);
}

/**
 * novamm_sim_gsp_defaults() - a realistic region table for the device
 * @sim: the simulated GPU, being created
 *
 * Usable VRAM from 0, then an RM-reserved region and a protected (WPR)
 * region at the top, each 1/16 of VRAM clamped to [2 MiB, 256 MiB]: on a
 * 24 GiB GA102, 256 MiB each. bar1PdeBase points at the start of the
 * reserved region and bar2PdeBase 64 KiB into it, where RM keeps its BAR
 * page directories; novamm_sim_gsp_bind_bar1_locked() builds the BAR1
 * one.
 *
 * Context: Process context, before the sim is shared.
 */
void novamm_sim_gsp_defaults(struct novamm_sim *sim)
{
	struct novamm_sim_gsp_config *g = &sim->gsp;
	u64 top = clamp_t(u64, sim->vram_size / 16, SZ_2M, SZ_256M);
	u64 usable_end = sim->vram_size - 2 * top;

	memset(g, 0, sizeof(*g));
	g->regions[0] = (struct novamm_sim_fb_region){
		.base = 0, .limit = usable_end - 1,
		.compressed = true, .iso = true,
	};
	g->regions[1] = (struct novamm_sim_fb_region){
		.base = usable_end, .limit = usable_end + top - 1,
		.reserved = 1, .compressed = true, .iso = true,
	};
	g->regions[2] = (struct novamm_sim_fb_region){
		.base = usable_end + top, .limit = sim->vram_size - 1,
		.protected = true,
	};
	g->num_regions = 3;
	g->bar1_pde_base = usable_end;
	g->bar2_pde_base = usable_end + SZ_64K;
}

static void sim_put_region(u8 *e, const struct novamm_sim_fb_region *r)
{
	put64(e + 0, r->base);
	put64(e + 8, r->limit);
	put64(e + 16, r->reserved);
	put32(e + 24, r->performance);
	e[28] = r->compressed;
	e[29] = r->iso;
	e[30] = r->protected;
}

static void sim_static_info(struct novamm_sim *sim, u8 *info)
{
	const struct novamm_sim_gsp_config *g = &sim->gsp;
	unsigned int i, n = g->num_regions;
	struct novamm_sim_fb_region r;

	memset(info, 0, SIM_STATIC_INFO_SIZE);
	for (i = 0; i < n; i++) {
		r = g->regions[i];
		if (i == 0 && sim->inject.gsp == NOVAMM_SIM_GSP_INVERTED_REGION)
			swap(r.base, r.limit);
		if (i == 1 && sim->inject.gsp == NOVAMM_SIM_GSP_OVERLAPPING_REGIONS)
			r.base = g->regions[0].limit - SZ_1M + 1;
		sim_put_region(info + SIM_FB_REGION_ENTRIES + i * SIM_FB_REGION_SIZE, &r);
	}
	if (sim->inject.gsp == NOVAMM_SIM_GSP_TOO_MANY_REGIONS)
		n = NOVAMM_SIM_MAX_FB_REGIONS + 1;
	put32(info + SIM_FB_REGION_INFO, n);
	put64(info + SIM_BAR1_PDE_BASE, g->bar1_pde_base);
	put64(info + SIM_BAR2_PDE_BASE, g->bar2_pde_base);
}

/**
 * novamm_sim_gsp_rpc_locked() - answer one RPC
 * @sim: the simulated GPU, lock held
 * @req: the request: RPC header and payload
 * @req_len: its bytes
 * @reply: room for the reply
 * @reply_size: bytes of room
 * @reply_len: bytes of reply delivered
 *
 * Context: sim->lock held.
 * Return: 0 with a reply (which may carry an error in rpc_result, or be
 * truncated, as injected), -EPROTO for a request that is not an RPC
 * message (no reply), -ENOSPC when the reply does not fit, -EOPNOTSUPP
 * when no GSP-RM runs, -ENODEV when the GPU is gone (both injected).
 */
int novamm_sim_gsp_rpc_locked(struct novamm_sim *sim, const void *req,
			      size_t req_len, void *reply, size_t reply_size,
			      size_t *reply_len)
{
	const u8 *q = req;
	u8 *r = reply;
	u32 function, result = SIM_NV_OK;
	size_t payload = 0;

	lockdep_assert_held(&sim->lock);
	*reply_len = 0;
	if (sim->inject.gsp == NOVAMM_SIM_GSP_ABSENT)
		return -EOPNOTSUPP;
	if (sim->inject.gone)
		return -ENODEV;
	if (req_len < SIM_RPC_HEADER_SIZE ||
	    get32(q + 4 * RPC_VERSION) != SIM_RPC_HEADER_VERSION ||
	    get32(q + 4 * RPC_SIGNATURE) != SIM_RPC_SIGNATURE ||
	    get32(q + 4 * RPC_LENGTH) != req_len)
		return -EPROTO;

	function = get32(q + 4 * RPC_FUNCTION);
	if (function != SIM_RPC_GET_GSP_STATIC_INFO)
		result = SIM_NV_ERR_NOT_SUPPORTED;
	else if (sim->inject.gsp == NOVAMM_SIM_GSP_ERROR)
		result = SIM_NV_ERR_GENERIC;
	else
		payload = SIM_STATIC_INFO_SIZE;
	if (reply_size < SIM_RPC_HEADER_SIZE + payload)
		return -ENOSPC;

	memcpy(r, q, SIM_RPC_HEADER_SIZE);
	put32(r + 4 * RPC_LENGTH, SIM_RPC_HEADER_SIZE + payload);
	put32(r + 4 * RPC_RESULT, result);
	put32(r + 4 * RPC_RESULT_PRIVATE, result);
	if (payload)
		sim_static_info(sim, r + SIM_RPC_HEADER_SIZE);
	*reply_len = SIM_RPC_HEADER_SIZE + payload;
	if (payload && sim->inject.gsp == NOVAMM_SIM_GSP_TRUNCATED)
		*reply_len = SIM_RPC_HEADER_SIZE + payload / 2;
	sim->cnt.gsp_rpcs++;
	return 0;
}

/**
 * novamm_sim_gsp_config() - what the GSP reports in its static info
 * @sim: the simulated GPU
 * @out: filled with the region table and page-directory bases as set,
 *	before any injected fault garbles the reply
 *
 * Context: Process context; takes sim->lock.
 */
void novamm_sim_gsp_config(struct novamm_sim *sim,
			   struct novamm_sim_gsp_config *out)
{
	mutex_lock(&sim->lock);
	*out = sim->gsp;
	mutex_unlock(&sim->lock);
}
EXPORT_SYMBOL_GPL(novamm_sim_gsp_config);

/**
 * novamm_sim_set_gsp_config() - change what the GSP reports
 * @sim: the simulated GPU
 * @cfg: the new table; it is reported as given, so a test can hand the
 *	driver a table that makes no sense
 *
 * A GSP that reports another BAR1 directory booted with it: BAR1's boot
 * state is rebuilt under the new bar1PdeBase
 * (novamm_sim_gsp_bind_bar1_locked()), and the protected-VRAM watch
 * follows the new table. Unlike switching GSP-RM on or off, it is not
 * refused while a driver holds the sim: tests call it before they probe
 * the driver.
 *
 * Context: Process context; takes sim->lock.
 * Return: 0, or -EINVAL for more regions than the wire format holds.
 */
int novamm_sim_set_gsp_config(struct novamm_sim *sim,
			      const struct novamm_sim_gsp_config *cfg)
{
	if (cfg->num_regions > NOVAMM_SIM_MAX_FB_REGIONS)
		return -EINVAL;
	mutex_lock(&sim->lock);
	sim->gsp = *cfg;
	/* A GSP that reports another BAR1 directory booted with it. */
	novamm_sim_gsp_bind_bar1_locked(sim);
	mutex_unlock(&sim->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_sim_set_gsp_config);
