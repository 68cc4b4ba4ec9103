// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite novamm_gsp: decoding GSP-RM's static-info reply into a
 * framebuffer layout, the register fallback, and probe on simulated GPUs.
 *
 * Replies are assembled here byte by byte at the r570.144 offsets
 * (rpc_message_header_v03_00 of 32 bytes; in GspStaticConfigInfo_t,
 * fbRegionInfoParams at 344 with the region array at +8 and 48-byte
 * entries, bar1PdeBase at 1536, bar2PdeBase at 1544, 1656 bytes in all),
 * not with the driver's structures, so a wrong offset there shows here.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <novamm/compat.h>
#include <novamm/core.h>
#include <novamm/gsp.h>
#include <novamm/sim.h>

#include "../core/internal.h"
#include "helpers.h"

#define HDR		32
#define INFO		1656
#define REPLY_LEN	(HDR + INFO)
#define REGIONS		(HDR + 344)
#define REGION(i)	(REGIONS + 8 + (i) * 48)
#define BAR1		(HDR + 1536)
#define BAR2		(HDR + 1544)

#define REACH_V2	BIT_ULL(40)	/* NV_PBUS_BAR0_WINDOW_BASE 23:0 */
#define REACH_GH100	BIT_ULL(38)	/* NV_XAL_EP_BAR0_WINDOW_BASE 21:0 */

struct region_spec {
	u64 base, limit, reserved;
	bool compressed, iso, protected;
};

#define USABLE(b, l)	{ (b), (l), 0, true, true, false }
#define RSVD(b, l)	{ (b), (l), SZ_1M, true, true, false }
#define NONISO(b, l)	{ (b), (l), 0, true, false, false }
#define PROT(b, l)	{ (b), (l), 0, false, false, true }

struct reply_spec {
	unsigned int n;
	struct region_spec r[NOVAMM_FB_MAX_REGIONS];
	u64 bar1, bar2;
};

static void build_reply(u8 *buf, const struct reply_spec *s)
{
	unsigned int i;
	u8 *e;

	memset(buf, 0, REPLY_LEN);
	put_unaligned_le32(0x03000000, buf + 0);
	put_unaligned_le32(0x43505256, buf + 4);
	put_unaligned_le32(REPLY_LEN, buf + 8);
	put_unaligned_le32(65, buf + 12);
	put_unaligned_le32(0, buf + 16);
	put_unaligned_le32(0, buf + 20);
	put_unaligned_le32(s->n, buf + REGIONS);
	for (i = 0; i < s->n; i++) {
		e = buf + REGION(i);
		put_unaligned_le64(s->r[i].base, e);
		put_unaligned_le64(s->r[i].limit, e + 8);
		put_unaligned_le64(s->r[i].reserved, e + 16);
		e[28] = s->r[i].compressed;
		e[29] = s->r[i].iso;
		e[30] = s->r[i].protected;
	}
	put_unaligned_le64(s->bar1, buf + BAR1);
	put_unaligned_le64(s->bar2, buf + BAR2);
}

struct gsp_ctx {
	struct device *dev;
	u8 *buf;
};

static int gsp_test_init(struct kunit *test)
{
	struct gsp_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	/* Room past the reply for the over-long cases. */
	ctx->buf = kunit_kzalloc(test, REPLY_LEN + 64, GFP_KERNEL);
	if (!ctx->buf)
		return -ENOMEM;
	ctx->dev = novamm_test_root_device("novamm-kunit-gsp");
	if (IS_ERR(ctx->dev))
		return PTR_ERR(ctx->dev);
	test->priv = ctx;
	return 0;
}

static void gsp_test_exit(struct kunit *test)
{
	struct gsp_ctx *ctx = test->priv;

	/* Also called when init failed, before test->priv was set. */
	if (ctx)
		root_device_unregister(ctx->dev);
}

/* Realistic layouts, and what they must decode to. */
struct layout_case {
	const char *name;
	u64 reach;
	struct reply_spec reply;
	u64 vram_end;
	unsigned int num_usable, num_reserved;
	struct novamm_fb_range usable[3], reserved[3];
};

static const struct layout_case layout_cases[] = {
	{
		/* 11 GiB; RM heap and WPR2 at the top. */
		.name = "TU102", .reach = REACH_V2,
		.reply = { .n = 3, .r = {
			USABLE(0, 0x2afffffffULL),
			RSVD(0x2b0000000ULL, 0x2bbffffffULL),
			PROT(0x2bc000000ULL, 0x2bfffffffULL),
		}, .bar1 = 0x2b0200000ULL, .bar2 = 0x2b0210000ULL },
		.vram_end = 0x2c0000000ULL,
		.num_usable = 1, .usable = { { 0, 0x2b0000000ULL } },
		.num_reserved = 1,
		.reserved = { { 0x2b0000000ULL, 0x2c0000000ULL } },
	},
	{
		/*
		 * 24 GiB, listed out of order: a reserved first MiB, a
		 * region without ISO support, WPR2 at the top.
		 */
		.name = "GA102", .reach = REACH_V2,
		.reply = { .n = 4, .r = {
			PROT(0x5f0000000ULL, 0x5ffffffffULL),
			USABLE(0x100000, 0x5dfffffffULL),
			RSVD(0, 0xfffff),
			NONISO(0x5e0000000ULL, 0x5efffffffULL),
		}, .bar1 = 0x5e0000000ULL, .bar2 = 0x5e0010000ULL },
		.vram_end = 0x600000000ULL,
		.num_usable = 1, .usable = { { 0x100000, 0x5e0000000ULL } },
		.num_reserved = 2,
		.reserved = { { 0, 0x100000 },
			      { 0x5e0000000ULL, 0x600000000ULL } },
	},
	{
		/* 80 GiB with a reserved hole: two usable ranges. */
		.name = "GH100", .reach = REACH_GH100,
		.reply = { .n = 4, .r = {
			USABLE(0, 0x9ffffffffULL),
			RSVD(0xa00000000ULL, 0xa001fffffULL),
			USABLE(0xa00200000ULL, 0x13dfffffffULL),
			PROT(0x13e0000000ULL, 0x13ffffffffULL),
		}, .bar1 = 0xa00000000ULL, .bar2 = 0xa00100000ULL },
		.vram_end = 0x1400000000ULL,
		.num_usable = 2,
		.usable = { { 0, 0xa00000000ULL },
			    { 0xa00200000ULL, 0x13e0000000ULL } },
		.num_reserved = 2,
		.reserved = { { 0xa00000000ULL, 0xa00200000ULL },
			      { 0x13e0000000ULL, 0x1400000000ULL } },
	},
	{
		/* The last byte the chip can address is accepted. */
		.name = "edge-of-reach", .reach = REACH_GH100,
		.reply = { .n = 2, .r = {
			USABLE(0, REACH_GH100 - SZ_1M - 1),
			RSVD(REACH_GH100 - SZ_1M, REACH_GH100 - 1),
		}, .bar1 = REACH_GH100 - SZ_1M, .bar2 = REACH_GH100 - SZ_4K },
		.vram_end = REACH_GH100,
		.num_usable = 1, .usable = { { 0, REACH_GH100 - SZ_1M } },
		.num_reserved = 1,
		.reserved = { { REACH_GH100 - SZ_1M, REACH_GH100 } },
	},
	{
		/* Touching usable regions merge; unaligned edges shrink. */
		.name = "merge-and-shrink", .reach = REACH_V2,
		.reply = { .n = 3, .r = {
			USABLE(0x800, 0xfffff),
			USABLE(0x100000, 0x1ff7ff),
			RSVD(0x1ff800, 0x3fffff),
		}, .bar1 = 0x200000, .bar2 = 0x201000 },
		.vram_end = 0x400000,
		.num_usable = 1, .usable = { { 0x1000, 0x1ff000 } },
		.num_reserved = 2,
		.reserved = { { 0, 0x1000 }, { 0x1ff000, 0x400000 } },
	},
};

static void layout_desc(const struct layout_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(layout, layout_cases, layout_desc);

static void gsp_decode_layout(struct kunit *test)
{
	const struct layout_case *c = test->param_value;
	struct gsp_ctx *ctx = test->priv;
	struct novamm_fb_layout *fb;
	unsigned int i;

	fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	build_reply(ctx->buf, &c->reply);
	KUNIT_ASSERT_EQ(test, novamm_gsp_decode_static_info(ctx->dev, ctx->buf,
							    REPLY_LEN, c->reach,
							    fb), 0);

	KUNIT_EXPECT_EQ(test, fb->source, NOVAMM_FB_SOURCE_GSP);
	KUNIT_EXPECT_EQ(test, fb->vram_end, c->vram_end);
	KUNIT_EXPECT_TRUE(test, fb->has_bar_pde_base);
	KUNIT_EXPECT_EQ(test, fb->bar1_pde_base, c->reply.bar1);
	KUNIT_EXPECT_EQ(test, fb->bar2_pde_base, c->reply.bar2);
	KUNIT_ASSERT_EQ(test, fb->num_regions, c->reply.n);
	for (i = 0; i < c->reply.n; i++) {
		KUNIT_EXPECT_EQ(test, fb->regions[i].base, c->reply.r[i].base);
		KUNIT_EXPECT_EQ(test, fb->regions[i].limit, c->reply.r[i].limit);
		KUNIT_EXPECT_EQ(test, fb->regions[i].reserved,
				c->reply.r[i].reserved);
		KUNIT_EXPECT_EQ(test, fb->regions[i].protected,
				c->reply.r[i].protected);
	}
	KUNIT_ASSERT_EQ(test, fb->num_usable, c->num_usable);
	for (i = 0; i < c->num_usable; i++) {
		KUNIT_EXPECT_EQ(test, fb->usable[i].start, c->usable[i].start);
		KUNIT_EXPECT_EQ(test, fb->usable[i].end, c->usable[i].end);
	}
	KUNIT_ASSERT_EQ(test, fb->num_reserved, c->num_reserved);
	for (i = 0; i < c->num_reserved; i++) {
		KUNIT_EXPECT_EQ(test, fb->reserved[i].start, c->reserved[i].start);
		KUNIT_EXPECT_EQ(test, fb->reserved[i].end, c->reserved[i].end);
	}
}

/*
 * Malformed replies: each a change to the GA102 reply above, each refused
 * with -EPROTO and @fb untouched.
 */
enum bad_kind { SET32, SET64, SET8, LEN, ADD_REGION, REGIONS_SET };

struct bad_case {
	const char *name;
	enum bad_kind kind;
	unsigned int off;	/* byte offset in the reply */
	u64 val;		/* the new value, or the length */
	unsigned int length;	/* LEN: the header's length field, 0 keeps it */
	struct region_spec region;	/* ADD_REGION */
	struct reply_spec reply;	/* REGIONS_SET */
};

static const struct bad_case bad_cases[] = {
	{ "empty", LEN, 0, 0 },
	{ "shorter than the header", LEN, 0, HDR - 1 },
	{ "header only", LEN, 0, HDR, HDR },
	{ "header_version 2.0", SET32, 0, 0x02000000 },
	{ "signature zero", SET32, 4, 0 },
	{ "signature byte-swapped", SET32, 4, 0x56525043 },
	{ "length claims more than received", SET32, 8, REPLY_LEN + 8 },
	{ "length claims less than received", SET32, 8, REPLY_LEN - 8 },
	{ "truncated in the regions", LEN, 0, HDR + 828, REPLY_LEN },
	{ "short payload, consistent length", LEN, 0, HDR + 828, HDR + 828 },
	{ "long payload (another firmware)", LEN, 0, REPLY_LEN + 8, REPLY_LEN + 8 },
	{ "function 66", SET32, 12, 66 },
	{ "rpc_result NV_ERR_GENERIC", SET32, 16, 0xffff },
	{ "rpc_result NV_ERR_NOT_SUPPORTED", SET32, 16, 0x56 },
	{ "rpc_result left unset", SET32, 16, 0xffffffff },
	{ "numFBRegions 0", SET32, REGIONS, 0 },
	{ "numFBRegions 17", SET32, REGIONS, 17 },
	{ "numFBRegions 0xffffffff", SET32, REGIONS, 0xffffffff },
	{ "region 0 base above limit", SET64, REGION(0), 0x5e0000000ULL },
	{ "region 2 base above limit", SET64, REGION(2) + 8, 0x5efffffffULL },
	{ "limit U64_MAX", SET64, REGION(2) + 8, U64_MAX },
	{ "limit at the reach", SET64, REGION(2) + 8, REACH_V2 },
	{ "regions overlap by a byte", SET64, REGION(1), 0x5dfffffffULL },
	{ "region inside another", ADD_REGION, .region = RSVD(0x100000, 0x1fffff) },
	{ "region listed twice", ADD_REGION,
	  .region = PROT(0x5f0000000ULL, 0x5ffffffffULL) },
	{ "a count covering a zeroed entry, which overlaps region 0", SET32, REGIONS, 4 },
	{ "nothing usable: all reserved", SET64, REGION(0) + 16, 0x1000 },
	{ "nothing usable: not compressible", SET8, REGION(0) + 28, 0 },
	{ "nothing usable: protected", SET8, REGION(0) + 30, 1 },
	{ "nothing usable: under a page", REGIONS_SET, .reply = { .n = 2, .r = {
		USABLE(0x1800, 0x27ff), RSVD(0x2800, 0xfffff) },
		.bar1 = 0x10000, .bar2 = 0x11000 } },
	{ "bar1PdeBase unaligned", SET64, BAR1, 0x5e0000800ULL },
	{ "bar1PdeBase in usable VRAM", SET64, BAR1, 0x100000 },
	{ "bar1PdeBase past VRAM", SET64, BAR1, 0x600000000ULL },
	{ "bar2PdeBase in usable VRAM", SET64, BAR2, 0 },
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_desc);

static const struct reply_spec ga102_ok = {
	.n = 3, .r = {
		USABLE(0, 0x5dfffffffULL),
		RSVD(0x5e0000000ULL, 0x5efffffffULL),
		PROT(0x5f0000000ULL, 0x5ffffffffULL),
	},
	.bar1 = 0x5e0000000ULL, .bar2 = 0x5e0010000ULL,
};

static void gsp_decode_refused(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct gsp_ctx *ctx = test->priv;
	struct novamm_fb_layout *fb, *orig;
	struct reply_spec more = ga102_ok;
	size_t len = REPLY_LEN;

	fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);
	orig = kunit_kzalloc(test, sizeof(*orig), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	KUNIT_ASSERT_NOT_NULL(test, orig);

	/* The unchanged reply decodes: each case breaks exactly one thing. */
	build_reply(ctx->buf, &ga102_ok);
	KUNIT_ASSERT_EQ(test, novamm_gsp_decode_static_info(ctx->dev, ctx->buf,
							    len, REACH_V2, fb), 0);

	switch (c->kind) {
	case SET32:
		put_unaligned_le32(c->val, ctx->buf + c->off);
		break;
	case SET64:
		put_unaligned_le64(c->val, ctx->buf + c->off);
		break;
	case SET8:
		ctx->buf[c->off] = c->val;
		break;
	case LEN:
		len = c->val;
		if (c->length)
			put_unaligned_le32(c->length, ctx->buf + 8);
		break;
	case ADD_REGION:
		more.r[more.n++] = c->region;
		build_reply(ctx->buf, &more);
		break;
	case REGIONS_SET:
		build_reply(ctx->buf, &c->reply);
		break;
	}

	memset(fb, 0xa5, sizeof(*fb));
	memcpy(orig, fb, sizeof(*fb));
	KUNIT_EXPECT_EQ(test, novamm_gsp_decode_static_info(ctx->dev, ctx->buf,
							    len, REACH_V2, fb),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, memcmp(fb, orig, sizeof(*fb)), 0);
}

static void gsp_request(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, REPLY_LEN, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, novamm_gsp_static_info_request(NULL, 0),
			(size_t)REPLY_LEN);
	memset(buf, 0x5a, REPLY_LEN);
	KUNIT_EXPECT_EQ(test, novamm_gsp_static_info_request(buf, REPLY_LEN - 1),
			(size_t)REPLY_LEN);
	KUNIT_EXPECT_EQ(test, buf[0], 0x5a);
	KUNIT_ASSERT_EQ(test, novamm_gsp_static_info_request(buf, REPLY_LEN),
			(size_t)REPLY_LEN);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 0), 0x03000000U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 4), 0x43505256U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 8), (u32)REPLY_LEN);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 12), 65U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 16), 0xffffffffU);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 20), 0xffffffffU);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 24), 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(buf + 28), 0U);
	for (i = HDR; i < REPLY_LEN; i++)
		if (buf[i])
			break;
	KUNIT_EXPECT_EQ(test, i, (unsigned int)REPLY_LEN);
}

static void gsp_fallback_layout(struct kunit *test)
{
	struct gsp_ctx *ctx = test->priv;
	struct novamm_fb_layout *fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fb);

	KUNIT_ASSERT_EQ(test, novamm_fb_from_vram_size(ctx->dev, 24ULL << 30, fb), 0);
	KUNIT_EXPECT_EQ(test, fb->source, NOVAMM_FB_SOURCE_REGISTERS);
	KUNIT_EXPECT_EQ(test, fb->vram_end, 24ULL << 30);
	KUNIT_EXPECT_FALSE(test, fb->has_bar_pde_base);
	KUNIT_EXPECT_EQ(test, fb->num_regions, 0U);
	/* The VGA memory (256 KiB, nouveau's rsvd_head) and the top 512 MiB. */
	KUNIT_ASSERT_EQ(test, fb->num_usable, 1U);
	KUNIT_EXPECT_EQ(test, fb->usable[0].start, 0x40000ULL);
	KUNIT_EXPECT_EQ(test, fb->usable[0].end, (24ULL << 30) - SZ_512M);
	KUNIT_ASSERT_EQ(test, fb->num_reserved, 2U);
	KUNIT_EXPECT_EQ(test, fb->reserved[0].start, 0ULL);
	KUNIT_EXPECT_EQ(test, fb->reserved[0].end, 0x40000ULL);
	KUNIT_EXPECT_EQ(test, fb->reserved[1].start, (24ULL << 30) - SZ_512M);
	KUNIT_EXPECT_EQ(test, fb->reserved[1].end, 24ULL << 30);

	/* Under 1 GiB, the top half. */
	KUNIT_ASSERT_EQ(test, novamm_fb_from_vram_size(ctx->dev, SZ_16M, fb), 0);
	KUNIT_EXPECT_EQ(test, fb->usable[0].start, 0x40000ULL);
	KUNIT_EXPECT_EQ(test, fb->usable[0].end, (u64)SZ_8M);
	KUNIT_EXPECT_EQ(test, fb->reserved[1].start, (u64)SZ_8M);
	/* 512 KiB: half of it, then nothing between the two reserves. */
	KUNIT_EXPECT_EQ(test, novamm_fb_from_vram_size(ctx->dev, SZ_512K, fb),
			-EINVAL);

	KUNIT_EXPECT_EQ(test, novamm_fb_from_vram_size(ctx->dev, SZ_4K, fb),
			-EINVAL);
}

/* The layout a probed sim device ends up with. */
static void gsp_probe_sim_default(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_new(test, "GA102", SZ_256M);
	const struct novamm_fb_layout *fb = &td->ndev.mm.fb;
	struct novamm_sim_gsp_config *cfg;
	unsigned int i, j;
	u64 lo, hi;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	novamm_sim_gsp_config(td->sim, cfg);

	/* 256 MiB: 16 MiB of RM reservation, then 16 MiB protected. */
	KUNIT_EXPECT_EQ(test, fb->source, NOVAMM_FB_SOURCE_GSP);
	KUNIT_EXPECT_EQ(test, fb->vram_end, (u64)SZ_256M);
	KUNIT_ASSERT_EQ(test, fb->num_usable, 1U);
	KUNIT_EXPECT_EQ(test, fb->usable[0].start, 0ULL);
	KUNIT_EXPECT_EQ(test, fb->usable[0].end, (u64)SZ_256M - SZ_32M);
	KUNIT_ASSERT_EQ(test, fb->num_reserved, 1U);
	KUNIT_EXPECT_EQ(test, fb->reserved[0].start, (u64)SZ_256M - SZ_32M);
	KUNIT_EXPECT_EQ(test, fb->reserved[0].end, (u64)SZ_256M);
	KUNIT_EXPECT_EQ(test, fb->bar1_pde_base, (u64)SZ_256M - SZ_32M);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.buddy.usable, (u64)SZ_256M - SZ_32M);

	/* No usable byte lies in a region the sim reports reserved or protected. */
	KUNIT_ASSERT_EQ(test, cfg->num_regions, 3U);
	for (i = 0; i < cfg->num_regions; i++) {
		if (!cfg->regions[i].reserved && !cfg->regions[i].protected)
			continue;
		for (j = 0; j < fb->num_usable; j++) {
			lo = max(cfg->regions[i].base, fb->usable[j].start);
			hi = min(cfg->regions[i].limit + 1, fb->usable[j].end);
			KUNIT_EXPECT_GE(test, lo, hi);
		}
	}
}

/* A custom table in the sim reaches the allocator through probe. */
static void gsp_probe_sim_table(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_attach(test, "GH100", SZ_64M);
	struct novamm_sim_gsp_config cfg = {
		.num_regions = 3,
		.regions = {
			{ .base = 0, .limit = SZ_16M - 1, .compressed = true, .iso = true },
			{ .base = SZ_16M, .limit = SZ_32M - 1, .reserved = 1,
			  .compressed = true, .iso = true },
			{ .base = SZ_32M, .limit = SZ_64M - 1, .compressed = true, .iso = true },
		},
		.bar1_pde_base = SZ_16M, .bar2_pde_base = SZ_16M + SZ_64K,
	};
	const struct novamm_fb_layout *fb = &td->ndev.mm.fb;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_gsp_config(td->sim, &cfg), 0);
	novamm_test_dev_probe(test, td);
	KUNIT_ASSERT_EQ(test, fb->num_usable, 2U);
	KUNIT_EXPECT_EQ(test, fb->usable[0].end, (u64)SZ_16M);
	KUNIT_EXPECT_EQ(test, fb->usable[1].start, (u64)SZ_32M);
	KUNIT_EXPECT_EQ(test, fb->usable[1].end, (u64)SZ_64M);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.buddy.usable, (u64)SZ_32M + SZ_16M);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.buddy.kbuddy.avail, (u64)SZ_32M + SZ_16M);
}

/* A reply the driver cannot trust fails probe, with nothing left behind. */
struct probe_fault {
	const char *name;
	enum novamm_sim_gsp_fault gsp;
};

static const struct probe_fault probe_faults[] = {
	{ "error", NOVAMM_SIM_GSP_ERROR },
	{ "truncated", NOVAMM_SIM_GSP_TRUNCATED },
	{ "too many regions", NOVAMM_SIM_GSP_TOO_MANY_REGIONS },
	{ "inverted region", NOVAMM_SIM_GSP_INVERTED_REGION },
	{ "overlapping regions", NOVAMM_SIM_GSP_OVERLAPPING_REGIONS },
};

static void fault_desc(const struct probe_fault *f, char *desc)
{
	strscpy(desc, f->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fault, probe_faults, fault_desc);

static void gsp_probe_refused(struct kunit *test)
{
	const struct probe_fault *f = test->param_value;
	struct novamm_test_dev *td = novamm_test_dev_attach(test, "GA102", SZ_64M);
	struct novamm_sim_inject inj = {
		.invalidate_polls = 1, .bind_polls = 1, .gsp = f->gsp,
	};
	struct novamm_sim_counters cnt;

	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_sim_reset_counters(td->sim);
	KUNIT_EXPECT_EQ(test, novamm_core_probe(&td->ndev), -EPROTO);
	KUNIT_EXPECT_FALSE(test, td->ndev.mm.buddy.ready);
	KUNIT_EXPECT_NULL(test, td->ndev.debugfs);

	/* The GSP was asked once; nothing was written to the GPU. */
	novamm_sim_counters(td->sim, &cnt);
	KUNIT_EXPECT_EQ(test, cnt.gsp_rpcs, 1ULL);
	KUNIT_EXPECT_EQ(test, cnt.mmio_writes, 0ULL);

	/* With the fault gone, the same device probes. */
	inj.gsp = NOVAMM_SIM_GSP_OK;
	KUNIT_ASSERT_EQ(test, novamm_sim_set_inject(td->sim, &inj), 0);
	novamm_test_dev_probe(test, td);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.fb.source, NOVAMM_FB_SOURCE_GSP);
}

/* Without a GSP transport, the layout comes from the size register. */
static void gsp_probe_no_transport(struct kunit *test)
{
	struct novamm_test_dev *td = novamm_test_dev_attach(test, "TU102", SZ_64M);
	struct novamm_vram_place place;
	struct novamm_hw_ops *no_gsp;
	struct novamm_vram *vram;

	no_gsp = kunit_kzalloc(test, sizeof(*no_gsp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, no_gsp);
	*no_gsp = *td->ndev.hw.ops;
	no_gsp->gsp_rpc = NULL;
	td->ndev.hw.ops = no_gsp;

	novamm_test_dev_probe(test, td);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.fb.source, NOVAMM_FB_SOURCE_REGISTERS);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.fb.vram_end, (u64)SZ_64M);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.fb.usable[0].start, (u64)SZ_256K);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.fb.usable[0].end, (u64)SZ_32M);
	/*
	 * Usable: all but the VGA memory and the top half; less what BAR1
	 * took: its own instance block and the table pool's chunk.
	 */
	KUNIT_EXPECT_EQ(test, td->ndev.bar1.mode, NOVAMM_BAR1_OWN);
	KUNIT_EXPECT_EQ(test, td->ndev.mm.buddy.kbuddy.avail,
			(u64)SZ_32M - SZ_256K - SZ_2M - SZ_4K);
	/*
	 * Nothing of the firmware's is handed out: not the VGA memory at the
	 * bottom (nouveau's 256 KiB rsvd_head), not the VGA workspace and
	 * FRTS in the top 2 MiB (nova-core fb.rs).
	 */
	place = (struct novamm_vram_place){ .start = 0, .end = SZ_256K };
	vram = novamm_vram_alloc(&td->ndev.mm.buddy, SZ_4K, NOVAMM_VRAM_RANGE, &place);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(vram), -ENOSPC);
	if (!IS_ERR(vram))
		novamm_vram_free(vram);
	place = (struct novamm_vram_place){ .start = SZ_64M - SZ_2M, .end = SZ_64M };
	vram = novamm_vram_alloc(&td->ndev.mm.buddy, SZ_4K, NOVAMM_VRAM_RANGE, &place);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(vram), -ENOSPC);
	if (!IS_ERR(vram))
		novamm_vram_free(vram);
	/* Remove unbinds BAR1 through @no_gsp, which the test frees first. */
	novamm_test_dev_remove(td);
}

static struct kunit_case novamm_gsp_cases[] = {
	KUNIT_CASE(gsp_request),
	KUNIT_CASE_PARAM(gsp_decode_layout, layout_gen_params),
	KUNIT_CASE_PARAM(gsp_decode_refused, bad_gen_params),
	KUNIT_CASE(gsp_fallback_layout),
	KUNIT_CASE(gsp_probe_sim_default),
	KUNIT_CASE(gsp_probe_sim_table),
	KUNIT_CASE_PARAM(gsp_probe_refused, fault_gen_params),
	KUNIT_CASE(gsp_probe_no_transport),
	{}
};

static struct kunit_suite novamm_gsp_suite = {
	.name = "novamm_gsp",
	.init = gsp_test_init,
	.exit = gsp_test_exit,
	.test_cases = novamm_gsp_cases,
};

kunit_test_suite(novamm_gsp_suite);
