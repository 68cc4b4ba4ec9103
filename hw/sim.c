// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated-GPU backend: every access a call into novamm_sim.ko.
 */

/**
 * DOC: Simulated GPU backend
 *
 * A ``novamm-sim.<id>`` device's platform data carries a table of access
 * functions, and every hardware access becomes a call through it: the two
 * modules never link against each other and load in either order.
 * Platform data that lacks any of the functions, or describes less than
 * 16 MiB of BAR0 or no BAR1, is refused with ``-EINVAL``. The sim has no
 * bus of its own to say a device is gone, and BAR1 is host pages, not
 * physical memory: those ops are left out.
 */
#include <linux/device.h>
#include <linux/module.h>

#include <novamm/hw.h>
#include <novamm/regs.h>
#include <novamm/sim.h>

static const struct novamm_sim_pdata *sim_pdata(struct novamm_hw *hw)
{
	return hw->priv;
}

static u32 novamm_sim_hw_rd32(struct novamm_hw *hw, u32 reg)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	return pd->ops->bar0_rd32(pd->sim, reg);
}

static void novamm_sim_hw_wr32(struct novamm_hw *hw, u32 reg, u32 val)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	pd->ops->bar0_wr32(pd->sim, reg, val);
}

static void novamm_sim_hw_bar1_read(struct novamm_hw *hw, u64 offset,
				    void *buf, size_t len)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	pd->ops->bar1_read(pd->sim, offset, buf, len);
}

static void novamm_sim_hw_bar1_write(struct novamm_hw *hw, u64 offset,
				     const void *buf, size_t len)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	pd->ops->bar1_write(pd->sim, offset, buf, len);
}

static int novamm_sim_hw_gsp_rpc(struct novamm_hw *hw, const void *req,
				 size_t req_len, void *reply, size_t reply_size,
				 size_t *reply_len)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	return pd->ops->gsp_rpc(pd->sim, req, req_len, reply, reply_size,
				reply_len);
}

static u64 novamm_sim_hw_bar1_faults(struct novamm_hw *hw, u64 *last_va)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	return pd->ops->bar1_faults(pd->sim, last_va);
}

static struct page *novamm_sim_hw_bar1_page(struct novamm_hw *hw,
					    u64 offset, bool write)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	return pd->ops->bar1_page(pd->sim, offset, write);
}

static int novamm_sim_hw_claim(struct novamm_hw *hw)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	return pd->ops->claim(pd->sim);
}

static void novamm_sim_hw_release(struct novamm_hw *hw)
{
	const struct novamm_sim_pdata *pd = sim_pdata(hw);

	pd->ops->release(pd->sim);
}

static const struct novamm_hw_ops novamm_sim_hw_ops = {
	.name = "sim",
	.gsp_rpc = novamm_sim_hw_gsp_rpc,
	.rd32 = novamm_sim_hw_rd32,
	.wr32 = novamm_sim_hw_wr32,
	.bar1_read = novamm_sim_hw_bar1_read,
	.bar1_write = novamm_sim_hw_bar1_write,
	.bar1_faults = novamm_sim_hw_bar1_faults,
	.bar1_page = novamm_sim_hw_bar1_page,
	.claim = novamm_sim_hw_claim,
	.release = novamm_sim_hw_release,
};

/**
 * novamm_hw_sim_attach() - make a device reach a simulated GPU
 * @hw: the access to fill
 * @dev: the struct device it is bound to
 * @pdata: the sim's platform data; must outlive @hw
 *
 * Return: 0, or -EINVAL (logged) for platform data that is not a
 * complete novamm_sim description.
 */
int novamm_hw_sim_attach(struct novamm_hw *hw, struct device *dev,
			 const struct novamm_sim_pdata *pdata)
{
	const struct novamm_sim_ops *ops = pdata ? pdata->ops : NULL;

	if (!ops || !pdata->sim || !ops->bar0_rd32 || !ops->bar0_wr32 ||
	    !ops->bar1_read || !ops->bar1_write || !ops->gsp_rpc ||
	    !ops->bar1_faults || !ops->bar1_page || !ops->claim || !ops->release ||
	    pdata->bar0_size < NV_BAR0_SIZE || !pdata->bar1_size) {
		dev_err(dev, "incomplete simulated-GPU platform data\n");
		return -EINVAL;
	}
	hw->dev = dev;
	hw->ops = &novamm_sim_hw_ops;
	hw->priv = (void *)pdata;
	hw->bar0_size = NV_BAR0_SIZE;
	hw->bar1_size = pdata->bar1_size;
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_sim_attach);
