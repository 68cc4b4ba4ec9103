/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm gsp: GSP-RM's static information, decoded.
 *
 * The framebuffer region table and the BAR page-directory bases, in the
 * wire format of the one firmware release novamm pins, r570.144, asked
 * for over the access layer's GSP transport and turned into a struct
 * novamm_fb_layout (include/novamm/fb.h).
 */
#ifndef _NOVAMM_GSP_H_
#define _NOVAMM_GSP_H_

#include <linux/types.h>

#include <novamm/fb.h>

struct device;
struct novamm_hw;

size_t novamm_gsp_static_info_request(void *buf, size_t size);
int novamm_gsp_decode_static_info(struct device *dev, const void *reply,
				  size_t len, u64 addressable,
				  struct novamm_fb_layout *fb);
int novamm_gsp_fb_layout(struct novamm_hw *hw, u64 addressable,
			 struct novamm_fb_layout *fb);

#endif /* _NOVAMM_GSP_H_ */
