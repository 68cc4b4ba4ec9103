// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated GPUs: a platform driver for the devices novamm_sim.ko creates.
 */

/**
 * DOC: Simulated GPUs
 *
 * The platform driver binds the ``novamm-sim.<id>`` devices that
 * ``novamm_sim.ko`` creates. Their platform data carries a table of access
 * functions (``hw/sim.c``), and every hardware access becomes a call
 * through it: the two modules never link against each other and load in
 * either order.
 *
 * Unlike PCI, the platform bus would let a second driver device reach the
 * same simulated GPU, so probe claims it through the sim first and fails
 * with ``-EBUSY`` while another holds it; remove releases it.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include <novamm/compat.h>
#include <novamm/sim.h>

#include "internal.h"

static int novamm_platform_probe(struct platform_device *pdev)
{
	struct novamm_device *ndev;
	int ret;

	ndev = novamm_should_fail_probe() ? NULL :
	       devm_kzalloc(&pdev->dev, sizeof(*ndev), GFP_KERNEL);
	if (!ndev)
		return -ENOMEM;
	ret = novamm_hw_sim_attach(&ndev->hw, &pdev->dev,
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
