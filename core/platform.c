// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated GPUs: a platform driver for the devices novamm_sim.ko creates.
 */

/**
 * DOC: Simulated GPUs
 *
 * The platform driver binds the ``novamm-sim.<id>`` devices that
 * ``novamm_sim.ko`` creates. Their platform data carries a table of access
 * functions, and every hardware access becomes a call through it: the two
 * modules never link against each other and load in either order. Platform
 * data that lacks any of the functions, or describes less than 16 MiB of
 * BAR0 or no BAR1, is refused with ``-EINVAL``.
 *
 * Unlike PCI, the platform bus would let a second driver device reach the
 * same simulated GPU, so probe claims it through the sim first and fails
 * with ``-EBUSY`` while another holds it; remove releases it.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include <novamm/compat.h>
#include <novamm/regs.h>
#include <novamm/sim.h>

#include "internal.h"

static const struct novamm_sim_pdata *sim_pdata(struct novamm_device *ndev)
{
	return ndev->hw_priv;
}

static u32 novamm_sim_hw_rd32(struct novamm_device *ndev, u32 reg)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	return pd->ops->bar0_rd32(pd->sim, reg);
}

static void novamm_sim_hw_wr32(struct novamm_device *ndev, u32 reg, u32 val)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	pd->ops->bar0_wr32(pd->sim, reg, val);
}

static void novamm_sim_hw_bar1_read(struct novamm_device *ndev, u64 offset,
				    void *buf, size_t len)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	pd->ops->bar1_read(pd->sim, offset, buf, len);
}

static void novamm_sim_hw_bar1_write(struct novamm_device *ndev, u64 offset,
				     const void *buf, size_t len)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	pd->ops->bar1_write(pd->sim, offset, buf, len);
}

static int novamm_sim_hw_gsp_rpc(struct novamm_device *ndev, const void *req,
				 size_t req_len, void *reply, size_t reply_size,
				 size_t *reply_len)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	return pd->ops->gsp_rpc(pd->sim, req, req_len, reply, reply_size,
				reply_len);
}

static u64 novamm_sim_hw_bar1_faults(struct novamm_device *ndev, u64 *last_va)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	return pd->ops->bar1_faults(pd->sim, last_va);
}

static struct page *novamm_sim_hw_bar1_page(struct novamm_device *ndev,
					    u64 offset, bool write)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	return pd->ops->bar1_page(pd->sim, offset, write);
}

static int novamm_sim_hw_claim(struct novamm_device *ndev)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

	return pd->ops->claim(pd->sim);
}

static void novamm_sim_hw_release(struct novamm_device *ndev)
{
	const struct novamm_sim_pdata *pd = sim_pdata(ndev);

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
 * novamm_core_sim_attach() - make a device reach a simulated GPU
 * @ndev: the device to fill
 * @dev: the struct device it is bound to
 * @pdata: the sim's platform data; must outlive @ndev
 *
 * Return: 0, or -EINVAL (logged) for platform data that is not a
 * complete novamm_sim description.
 */
int novamm_core_sim_attach(struct novamm_device *ndev, struct device *dev,
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
	ndev->dev = dev;
	ndev->hw = &novamm_sim_hw_ops;
	ndev->hw_priv = (void *)pdata;
	ndev->bar0_size = NV_BAR0_SIZE;
	ndev->bar1_size = pdata->bar1_size;
	return 0;
}

static int novamm_platform_probe(struct platform_device *pdev)
{
	struct novamm_device *ndev;
	int ret;

	ndev = novamm_should_fail_probe() ? NULL :
	       devm_kzalloc(&pdev->dev, sizeof(*ndev), GFP_KERNEL);
	if (!ndev)
		return -ENOMEM;
	ret = novamm_core_sim_attach(ndev, &pdev->dev,
				     dev_get_platdata(&pdev->dev));
	if (ret)
		return ret;
	platform_set_drvdata(pdev, ndev);
	return novamm_core_probe(ndev);
}

static void novamm_platform_remove(struct platform_device *pdev)
{
	novamm_core_remove(platform_get_drvdata(pdev));
}

NOVAMM_PLATFORM_REMOVE_WRAPPER(novamm_platform_remove)

static struct platform_driver novamm_platform_driver = {
	.driver = {
		.name = NOVAMM_SIM_DRIVER_NAME,
	},
	.probe = novamm_platform_probe,
	NOVAMM_PLATFORM_REMOVE(novamm_platform_remove),
};

/**
 * novamm_core_platform_register() - register the simulated-GPU driver:
 *	the sim's devices that exist already are probed now, later ones as
 *	they appear
 *
 * Return: 0, or platform_driver_register()'s error.
 */
int novamm_core_platform_register(void)
{
	return platform_driver_register(&novamm_platform_driver);
}

/**
 * novamm_core_platform_unregister() - unregister the simulated-GPU driver
 *
 * Every simulated GPU it had bound is removed before it returns; the
 * devices themselves stay, novamm_sim.ko's.
 */
void novamm_core_platform_unregister(void)
{
	platform_driver_unregister(&novamm_platform_driver);
}

MODULE_ALIAS("platform:" NOVAMM_SIM_DRIVER_NAME);
