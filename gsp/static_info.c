// SPDX-License-Identifier: GPL-2.0-only
/*
 * GET_GSP_STATIC_INFO: the request novamm sends and the decoding of
 * GSP-RM's reply into a framebuffer layout.
 *
 * No locking: these functions work on the caller's buffers only.
 */
#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <novamm/gsp.h>
#include <novamm/hw.h>

#define NV_VGPU_MSG_HEADER_VERSION_MAJOR_TOT	0x03000000
#define NV_VGPU_MSG_SIGNATURE_VALID		0x43505256
#define NV_VGPU_MSG_FUNCTION_GET_GSP_STATIC_INFO 65
#define NV_VGPU_MSG_RESULT_UNSET		0xffffffff
#define NV_OK					0x00000000

/**
 * DOC: Wire format
 *
 * novamm sends ``GET_GSP_STATIC_INFO`` (RPC function 65) with a zeroed
 * ``GspStaticConfigInfo_t`` payload, as nova-core does, and decodes the
 * reply in the wire format of firmware **r570.144**, the release
 * nova-core pins. The structure differs in every RM release (r535's is
 * laid out differently) and no field names the release, so the payload
 * size (1656 bytes) is the only check that the firmware is the expected
 * one; a reply of any other size is refused. Only the fields novamm reads
 * are declared, with padding for everything between them, and their
 * offsets are pinned with ``static_assert``.
 *
 * Sources, and the names the structures carry there:
 *
 * - ``rpc_message_header_v03_00`` and ``GspStaticConfigInfo_t``:
 *   nova-core ``drivers/gpu/nova-core/gsp/fw/r570_144/bindings.rs``;
 * - ``NV2080_CTRL_CMD_FB_GET_FB_REGION_INFO_PARAMS`` and its
 *   ``_FB_REGION_INFO`` entries: OGKM
 *   ``src/common/sdk/nvidia/inc/ctrl/ctrl2080/ctrl2080fb.h``;
 * - ``NV_OK``: OGKM ``src/common/sdk/nvidia/inc/nvstatuscodes.h``.
 */

/* rpc_message_header_v03_00: every field a little-endian u32. */
struct nv_rpc_message_header {
	__le32 header_version;
	__le32 signature;
	__le32 length;		/* header and payload */
	__le32 function;
	__le32 rpc_result;
	__le32 rpc_result_private;
	__le32 sequence;
	__le32 spare;		/* u.spare / u.cpuRmGfid */
} __packed;

/* NV2080_CTRL_CMD_FB_GET_FB_REGION_FB_REGION_INFO */
struct nv2080_fb_region_info {
	__le64 base;
	__le64 limit;			/* inclusive */
	__le64 reserved;
	__le32 performance;
	u8 support_compressed;		/* supportCompressed */
	u8 support_iso;			/* supportISO */
	u8 protected;			/* bProtected */
	u8 black_list[17];		/* blackList[MEM_TYPES] */
} __packed;

/* NV2080_CTRL_CMD_FB_GET_FB_REGION_INFO_PARAMS */
struct nv2080_fb_region_info_params {
	__le32 num_fb_regions;		/* numFBRegions */
	u8 pad0[4];			/* fbRegion is 8-byte aligned */
	struct nv2080_fb_region_info fb_region[NOVAMM_FB_MAX_REGIONS];
} __packed;

/*
 * GspStaticConfigInfo_t of r570.144, only the fields novamm reads; the
 * padding arrays stand for everything between them.
 */
struct nv_gsp_static_config_info {
	u8 pad0[344];			/* grCapsBits .. SKUInfo */
	struct nv2080_fb_region_info_params fb_region_info_params;
	u8 pad1[416];			/* sriovCaps .. RTD3GC6PerstDelay */
	__le64 bar1_pde_base;		/* bar1PdeBase */
	__le64 bar2_pde_base;		/* bar2PdeBase */
	u8 pad2[104];			/* bVbiosValid .. fwWprLayoutOffset */
} __packed;

static_assert(sizeof(struct nv_rpc_message_header) == 32);
static_assert(sizeof(struct nv2080_fb_region_info) == 48);
static_assert(offsetof(struct nv2080_fb_region_info, support_compressed) == 28);
static_assert(offsetof(struct nv2080_fb_region_info, protected) == 30);
static_assert(sizeof(struct nv2080_fb_region_info_params) == 776);
static_assert(offsetof(struct nv2080_fb_region_info_params, fb_region) == 8);
static_assert(offsetof(struct nv_gsp_static_config_info, fb_region_info_params) == 344);
static_assert(offsetof(struct nv_gsp_static_config_info, bar1_pde_base) == 1536);
static_assert(offsetof(struct nv_gsp_static_config_info, bar2_pde_base) == 1544);
static_assert(sizeof(struct nv_gsp_static_config_info) == 1656);

#define NOVAMM_GSP_STATIC_INFO_MSG_SIZE \
	(sizeof(struct nv_rpc_message_header) + \
	 sizeof(struct nv_gsp_static_config_info))

/**
 * novamm_gsp_static_info_request() - build a GET_GSP_STATIC_INFO request
 * @buf: where to build it
 * @size: bytes at @buf
 *
 * The payload is a zeroed GspStaticConfigInfo_t, as nova-core sends it:
 * GSP-RM fills in a copy of it for the reply.
 *
 * Return: the request's length, also the room its reply needs. Nothing
 * is written when that is more than @size.
 */
size_t novamm_gsp_static_info_request(void *buf, size_t size)
{
	struct nv_rpc_message_header *h = buf;

	if (size < NOVAMM_GSP_STATIC_INFO_MSG_SIZE)
		return NOVAMM_GSP_STATIC_INFO_MSG_SIZE;
	memset(buf, 0, NOVAMM_GSP_STATIC_INFO_MSG_SIZE);
	h->header_version = cpu_to_le32(NV_VGPU_MSG_HEADER_VERSION_MAJOR_TOT);
	h->signature = cpu_to_le32(NV_VGPU_MSG_SIGNATURE_VALID);
	h->length = cpu_to_le32(NOVAMM_GSP_STATIC_INFO_MSG_SIZE);
	h->function = cpu_to_le32(NV_VGPU_MSG_FUNCTION_GET_GSP_STATIC_INFO);
	h->rpc_result = cpu_to_le32(NV_VGPU_MSG_RESULT_UNSET);
	h->rpc_result_private = cpu_to_le32(NV_VGPU_MSG_RESULT_UNSET);
	return NOVAMM_GSP_STATIC_INFO_MSG_SIZE;
}
EXPORT_SYMBOL_GPL(novamm_gsp_static_info_request);

/**
 * DOC: Validation
 *
 * Nothing in the reply is trusted: every length is checked against the
 * bytes received before anything behind it is read, and a region table
 * that does not describe a framebuffer is refused whole. Each of the
 * following is refused with ``-EPROTO`` and a ``dev_err`` naming the field
 * and its value, and leaves the caller's layout untouched:
 *
 * - a reply shorter than the RPC header, a header version other than
 *   0x03000000, a signature other than ``VRPC``, a ``length`` that differs
 *   from the bytes received, another function, a non-zero ``rpc_result``;
 * - a payload that is not 1656 bytes;
 * - ``numFBRegions`` of 0 or above 16;
 * - a region whose base is above its limit, whose limit is at or beyond
 *   what the chip can address (the PRAMIN window's reach: 1 TiB up to
 *   Ada, 256 GiB on Hopper, 512 GiB on Blackwell), or that overlaps
 *   another;
 * - a table with no usable region left;
 * - a ``bar1PdeBase`` or ``bar2PdeBase`` that is not a 4 KiB page below
 *   the end of VRAM, or that lies in usable VRAM (the allocator would hand
 *   out RM's page directory).
 */
static int novamm_gsp_check_header(struct device *dev, const void *reply,
				   size_t len)
{
	const struct nv_rpc_message_header *h = reply;
	u32 length;

	if (len < sizeof(*h)) {
		dev_err(dev, "GSP static info: reply of %zu bytes is shorter than the %zu-byte RPC header\n",
			len, sizeof(*h));
		return -EPROTO;
	}
	if (le32_to_cpu(h->header_version) != NV_VGPU_MSG_HEADER_VERSION_MAJOR_TOT) {
		dev_err(dev, "GSP static info: header_version 0x%08x, expected 0x%08x\n",
			le32_to_cpu(h->header_version),
			NV_VGPU_MSG_HEADER_VERSION_MAJOR_TOT);
		return -EPROTO;
	}
	if (le32_to_cpu(h->signature) != NV_VGPU_MSG_SIGNATURE_VALID) {
		dev_err(dev, "GSP static info: signature 0x%08x, expected 0x%08x\n",
			le32_to_cpu(h->signature), NV_VGPU_MSG_SIGNATURE_VALID);
		return -EPROTO;
	}
	length = le32_to_cpu(h->length);
	if (length != len) {
		dev_err(dev, "GSP static info: length %u, but %zu bytes were received\n",
			length, len);
		return -EPROTO;
	}
	if (le32_to_cpu(h->function) != NV_VGPU_MSG_FUNCTION_GET_GSP_STATIC_INFO) {
		dev_err(dev, "GSP static info: function %u, expected %u\n",
			le32_to_cpu(h->function),
			NV_VGPU_MSG_FUNCTION_GET_GSP_STATIC_INFO);
		return -EPROTO;
	}
	if (le32_to_cpu(h->rpc_result) != NV_OK) {
		dev_err(dev, "GSP static info: rpc_result 0x%08x (NV status)\n",
			le32_to_cpu(h->rpc_result));
		return -EPROTO;
	}
	if (length - sizeof(*h) != sizeof(struct nv_gsp_static_config_info)) {
		dev_err(dev, "GSP static info: payload of %zu bytes, r570.144's is %zu\n",
			length - sizeof(*h),
			sizeof(struct nv_gsp_static_config_info));
		return -EPROTO;
	}
	return 0;
}

static int novamm_gsp_cmp_base(const void *a, const void *b)
{
	const struct novamm_fb_region *ra = a, *rb = b;

	if (ra->base != rb->base)
		return ra->base < rb->base ? -1 : 1;
	return 0;
}

/**
 * DOC: Usable and reserved
 *
 * A region is usable when it is not reserved (``reserved == 0``), not
 * protected, and supports both compressed kinds and ISO traffic: the
 * filter GSP-RM's own clients apply. The layout keeps:
 *
 * ``vram_end``
 *     one past the highest limit of any region, reserved ones included, so
 *     that PRAMIN reaches RM's structures at the top. When it is above the
 *     size register's value, probe raises PRAMIN's bound to it.
 * ``usable``
 *     the usable regions, sorted, shrunk inward to 4 KiB pages (a partial
 *     page of a neighbour is never handed out) and merged where they
 *     touch.
 * ``reserved``
 *     the rest of ``[0, vram_end)``, coalesced; gaps between regions count
 *     as reserved.
 */
static bool novamm_fb_region_usable(const struct novamm_fb_region *r)
{
	/* The filter GSP-RM's own clients apply (gsp-reference.md 1.5). */
	return !r->reserved && !r->protected && r->compressed && r->iso;
}

/*
 * Usable ranges from regions sorted by base and known not to overlap;
 * shrunk to 4 KiB pages so that no partial page of a neighbour is handed
 * out, touching ones merged. Then the reserved ranges: the rest of
 * [0, vram_end).
 */
static void novamm_fb_derive(struct novamm_fb_layout *fb,
			     const struct novamm_fb_region *sorted,
			     unsigned int n)
{
	struct novamm_fb_range *u;
	unsigned int i;
	u64 start, end, pos = 0;

	fb->num_usable = 0;
	for (i = 0; i < n; i++) {
		if (!novamm_fb_region_usable(&sorted[i]))
			continue;
		start = round_up(sorted[i].base, SZ_4K);
		end = round_down(sorted[i].limit + 1, SZ_4K);
		if (start >= end)
			continue;
		u = fb->num_usable ? &fb->usable[fb->num_usable - 1] : NULL;
		if (u && u->end == start)
			u->end = end;
		else
			fb->usable[fb->num_usable++] =
				(struct novamm_fb_range){ start, end };
	}

	fb->num_reserved = 0;
	for (i = 0; i < fb->num_usable; i++) {
		if (fb->usable[i].start > pos)
			fb->reserved[fb->num_reserved++] =
				(struct novamm_fb_range){ pos, fb->usable[i].start };
		pos = fb->usable[i].end;
	}
	if (pos < fb->vram_end)
		fb->reserved[fb->num_reserved++] =
			(struct novamm_fb_range){ pos, fb->vram_end };
}

static int novamm_gsp_check_pde_base(struct device *dev, const char *name,
				     u64 addr, const struct novamm_fb_layout *fb)
{
	unsigned int i;

	if (!IS_ALIGNED(addr, SZ_4K) || addr >= fb->vram_end) {
		dev_err(dev, "GSP static info: %s 0x%llx is not a 4 KiB page below VRAM end 0x%llx\n",
			name, addr, fb->vram_end);
		return -EPROTO;
	}
	for (i = 0; i < fb->num_usable; i++) {
		if (addr >= fb->usable[i].start && addr < fb->usable[i].end) {
			dev_err(dev, "GSP static info: %s 0x%llx lies in usable VRAM [0x%llx, 0x%llx)\n",
				name, addr, fb->usable[i].start,
				fb->usable[i].end);
			return -EPROTO;
		}
	}
	return 0;
}

static int novamm_gsp_decode_regions(struct device *dev,
				     const struct nv2080_fb_region_info_params *p,
				     u64 addressable,
				     struct novamm_fb_layout *fb)
{
	struct novamm_fb_region sorted[NOVAMM_FB_MAX_REGIONS];
	const struct nv2080_fb_region_info *w;
	struct novamm_fb_region *r;
	unsigned int i, n;

	n = le32_to_cpu(p->num_fb_regions);
	if (!n || n > NOVAMM_FB_MAX_REGIONS) {
		dev_err(dev, "GSP static info: numFBRegions %u, expected 1 to %u\n",
			n, NOVAMM_FB_MAX_REGIONS);
		return -EPROTO;
	}

	fb->vram_end = 0;
	for (i = 0; i < n; i++) {
		w = &p->fb_region[i];
		r = &fb->regions[i];
		r->base = le64_to_cpu(w->base);
		r->limit = le64_to_cpu(w->limit);
		r->reserved = le64_to_cpu(w->reserved);
		r->performance = le32_to_cpu(w->performance);
		r->compressed = w->support_compressed;
		r->iso = w->support_iso;
		r->protected = w->protected;
		if (r->base > r->limit) {
			dev_err(dev, "GSP static info: fbRegion[%u] base 0x%llx above its limit 0x%llx\n",
				i, r->base, r->limit);
			return -EPROTO;
		}
		if (r->limit >= addressable) {
			dev_err(dev, "GSP static info: fbRegion[%u] limit 0x%llx beyond the 0x%llx bytes the chip can address\n",
				i, r->limit, addressable);
			return -EPROTO;
		}
		fb->vram_end = max(fb->vram_end, r->limit + 1);
	}
	fb->num_regions = n;

	memcpy(sorted, fb->regions, n * sizeof(sorted[0]));
	sort(sorted, n, sizeof(sorted[0]), novamm_gsp_cmp_base, NULL);
	for (i = 1; i < n; i++) {
		if (sorted[i].base <= sorted[i - 1].limit) {
			dev_err(dev, "GSP static info: fbRegion [0x%llx, 0x%llx] overlaps [0x%llx, 0x%llx]\n",
				sorted[i].base, sorted[i].limit,
				sorted[i - 1].base, sorted[i - 1].limit);
			return -EPROTO;
		}
	}

	novamm_fb_derive(fb, sorted, n);
	if (!fb->num_usable) {
		dev_err(dev, "GSP static info: none of the %u fbRegions is usable\n",
			n);
		return -EPROTO;
	}
	return 0;
}

/**
 * novamm_gsp_decode_static_info() - framebuffer layout from a GSP reply
 * @dev: for messages
 * @reply: the reply, RPC header included
 * @len: bytes received
 * @addressable: bytes of VRAM the chip can address; every region must lie
 *	below
 * @fb: the layout, written only on success
 *
 * Decodes into a buffer of its own and copies it to @fb only once every
 * check has passed, so that a refused reply leaves @fb as it was.
 *
 * Context: may sleep (allocates).
 * Return: 0; -EPROTO with a dev_err naming the offending field when the
 * reply is not a successful r570.144 static-info reply or its region table
 * or page-directory bases make no sense; -ENOMEM.
 */
int novamm_gsp_decode_static_info(struct device *dev, const void *reply,
				  size_t len, u64 addressable,
				  struct novamm_fb_layout *fb)
{
	const struct nv_gsp_static_config_info *info;
	struct novamm_fb_layout *out;
	int ret;

	ret = novamm_gsp_check_header(dev, reply, len);
	if (ret)
		return ret;
	info = reply + sizeof(struct nv_rpc_message_header);

	/* Decoded aside, so that a refused reply leaves @fb as it was. */
	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	out->source = NOVAMM_FB_SOURCE_GSP;
	ret = novamm_gsp_decode_regions(dev, &info->fb_region_info_params,
					addressable, out);
	if (ret)
		goto out;

	out->bar1_pde_base = le64_to_cpu(info->bar1_pde_base);
	out->bar2_pde_base = le64_to_cpu(info->bar2_pde_base);
	out->has_bar_pde_base = true;
	ret = novamm_gsp_check_pde_base(dev, "bar1PdeBase",
					out->bar1_pde_base, out);
	if (!ret)
		ret = novamm_gsp_check_pde_base(dev, "bar2PdeBase",
						out->bar2_pde_base, out);
	if (!ret)
		*fb = *out;
out:
	kfree(out);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_gsp_decode_static_info);

/**
 * novamm_gsp_fb_layout() - the framebuffer layout GSP-RM reports
 * @hw: the GPU
 * @addressable: bytes of VRAM novamm can reach; regions beyond are refused
 * @fb: the layout
 *
 * Sends GET_GSP_STATIC_INFO over the access layer's GSP transport and
 * decodes the reply (novamm_gsp_decode_static_info()).
 *
 * Context: probe; may sleep.
 * Return: 0; -EOPNOTSUPP, silently, where there is no transport to the
 * GSP (the caller then has the register fallback); -EPROTO for a reply
 * that cannot be trusted; the transport's error (logged); -ENOMEM.
 */
int novamm_gsp_fb_layout(struct novamm_hw *hw, u64 addressable,
			 struct novamm_fb_layout *fb)
{
	size_t size, reply_len;
	void *req, *reply;
	int ret;

	size = novamm_gsp_static_info_request(NULL, 0);
	req = novamm_should_fail(hw) ? NULL : kmalloc(2 * size, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	reply = req + size;
	novamm_gsp_static_info_request(req, size);

	ret = novamm_hw_gsp_rpc(hw, req, size, reply, size, &reply_len);
	if (!ret)
		ret = novamm_gsp_decode_static_info(hw->dev, reply, reply_len,
						    addressable, fb);
	else if (ret != -EOPNOTSUPP)
		dev_err(hw->dev, "GSP static info request failed: %d\n", ret);
	kfree(req);
	return ret;
}
EXPORT_SYMBOL_GPL(novamm_gsp_fb_layout);
