// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVIDIA GPUs on PCI: the driver and its probe checks (the MMIO backend is
 * hw/pci.c).
 */

/**
 * DOC: Binding
 *
 * The PCI driver has no id table. A GPU reaches it only through
 * ``driver_override`` or ``new_id`` (see README.md), so loading the module
 * never takes a GPU from nouveau, nvidia or a firmware framebuffer. Because
 * ``driver_override`` binds any device, probe first checks that the device
 * is an NVIDIA (vendor 0x10de) VGA or 3D controller, the two classes modern
 * NVIDIA GPUs report (nova-core's driver.rs; nvidia.ko's nv-pci-table.c
 * matches the same two), and refuses anything else with ``-ENODEV``. It
 * then checks that the GPU is not showing the firmware console (see
 * core/claim.c).
 *
 * Kernels built with nova-core (``CONFIG_NOVA_CORE``, in the 7.x sources;
 * Debian's 7.3 configuration leaves it off) have a second driver for the
 * same GPUs, and that one does bind by itself: its PCI table matches those
 * two classes for vendor 0x10de, so ``nova_core`` takes every NVIDIA GPU
 * when it loads. Before a GPU is handed to novamm it must be unbound from
 * ``nova_core`` (through the device's ``driver/unbind``), or ``nova_core``
 * kept from loading (``blacklist nova_core`` in ``/etc/modprobe.d/``);
 * README.md gives the commands. novamm does not change for it: it still
 * never binds by itself, and a device another driver holds never reaches
 * its probe. A ``driver_override`` of ``novamm`` keeps ``nova_core`` and
 * nouveau from binding that device on a later probe.
 */

/**
 * DOC: BARs
 *
 * BAR0 is mapped uncached for its first 16 MiB (``NV_BAR0_SIZE``, as
 * nova-core maps it), which hold every register novamm uses and the PRAMIN
 * aperture. BAR1 is mapped write-combined in full. A 64-bit BAR0 takes two
 * BAR slots (Blackwell, some GA100 and Hopper boards), so BAR1 is resource
 * 2 when resource 0 is 64-bit and resource 1 otherwise. Each BAR is refused
 * with ``-ENODEV`` and a message naming it when it is not memory, is too
 * small, or was given no address (novamm_core_check_bar()), and with
 * ``-EBUSY`` when another driver holds its region.
 */
#include <linux/aperture.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/vgaarb.h>

#include <novamm/compat.h>

#include <novamm/regs.h>

#include "internal.h"

static bool novamm_pci_is_nvidia_gpu(struct pci_dev *pdev)
{
	/*
	 * Modern NVIDIA GPUs are VGA or 3D controllers (nova-core driver.rs;
	 * nvidia.ko's nv-pci-table.c matches the same two classes).
	 */
	return pdev->vendor == PCI_VENDOR_ID_NVIDIA &&
	       (pdev->class >> 8 == PCI_CLASS_DISPLAY_VGA ||
		pdev->class >> 8 == PCI_CLASS_DISPLAY_3D);
}

/*
 * BAR1's Linux resource index: a 64-bit BAR0 takes two BAR slots
 * (Blackwell, some GA100 and Hopper boards), pushing BAR1 to index 2
 * (nova-core driver.rs in its memory-management series).
 */
static int novamm_pci_bar1_index(struct pci_dev *pdev)
{
	return pci_resource_flags(pdev, 0) & IORESOURCE_MEM_64 ? 2 : 1;
}

static void __iomem *novamm_pci_map(struct pci_dev *pdev, int bar,
				    resource_size_t len, bool wc)
{
	struct device *dev = &pdev->dev;
	resource_size_t start = pci_resource_start(pdev, bar);

	int ret = novamm_core_check_bar(dev, bar, &pdev->resource[bar], len);

	if (ret)
		return IOMEM_ERR_PTR(ret);
	if (!devm_request_mem_region(dev, start, len, "novamm")) {
		dev_err(dev, "BAR%d is in use by another driver\n", bar);
		return IOMEM_ERR_PTR(-EBUSY);
	}
	return wc ? devm_ioremap_wc(dev, start, len) :
		    devm_ioremap(dev, start, len);
}

/*
 * Before the device is enabled: what decides is whether the firmware left
 * memory decoding on.
 */
static int novamm_pci_console(struct pci_dev *pdev)
{
	struct novamm_console_info con = {
		.bars = pdev->resource,
		.num_bars = PCI_STD_NUM_BARS,
	};
	u16 cmd = 0;
	int ret;

	con.fb_present = novamm_firmware_fb_base(&con.fb_base);
	con.default_vga = vga_default_device() == pdev;
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	con.mem_decode = cmd & PCI_COMMAND_MEMORY;
	switch (novamm_core_console(&pdev->dev, &con)) {
	case NOVAMM_CONSOLE_NONE:
		return 0;
	case NOVAMM_CONSOLE_REFUSE:
		return -EBUSY;
	default:
		ret = aperture_remove_conflicting_pci_devices(pdev, "novamm");
		if (ret)
			dev_err(&pdev->dev, "cannot remove the firmware framebuffer: %d\n", ret);
		else
			dev_info(&pdev->dev, "firmware framebuffer removed: the console is gone from this GPU\n");
		return ret;
	}
}

static int novamm_pci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct novamm_device *ndev;
	void __iomem *bar0, *bar1;
	int bar1_idx = novamm_pci_bar1_index(pdev);
	int ret;

	if (!novamm_pci_is_nvidia_gpu(pdev)) {
		dev_err(dev, "not an NVIDIA GPU (vendor 0x%04x, class 0x%06x)\n",
			pdev->vendor, pdev->class);
		return -ENODEV;
	}

	ret = novamm_pci_console(pdev);
	if (ret)
		return ret;

	if (novamm_should_fail_probe())
		return -ENOMEM;
	ndev = devm_kzalloc(dev, sizeof(*ndev), GFP_KERNEL);
	if (!ndev)
		return -ENOMEM;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	bar0 = novamm_pci_map(pdev, 0, NV_BAR0_SIZE, false);
	if (IS_ERR(bar0))
		return PTR_ERR(bar0);
	bar1 = novamm_pci_map(pdev, bar1_idx, pci_resource_len(pdev, bar1_idx),
			      true);
	if (IS_ERR(bar1))
		return PTR_ERR(bar1);
	if (!bar0 || !bar1)
		return -ENOMEM;

	ret = novamm_hw_pci_attach(&ndev->hw, pdev, bar0, NV_BAR0_SIZE, bar1,
				   pci_resource_start(pdev, bar1_idx),
				   pci_resource_len(pdev, bar1_idx));
	if (ret)
		return ret;
	pci_set_drvdata(pdev, ndev);
	return novamm_core_probe(ndev);
}

static void novamm_pci_remove(struct pci_dev *pdev)
{
	novamm_core_remove(pci_get_drvdata(pdev));
}

static struct pci_driver novamm_pci_driver = {
	.name = "novamm",
	.id_table = NULL,
	.probe = novamm_pci_probe,
	.remove = novamm_pci_remove,
};

/**
 * novamm_core_pci_register() - register the PCI driver, which binds only
 *	the GPUs it is handed (see "Binding" above)
 *
 * Return: 0, or pci_register_driver()'s error.
 */
int novamm_core_pci_register(void)
{
	return pci_register_driver(&novamm_pci_driver);
}

/**
 * novamm_core_pci_unregister() - unregister the PCI driver
 *
 * The PCI core removes every GPU the driver had bound before it returns.
 */
void novamm_core_pci_unregister(void)
{
	pci_unregister_driver(&novamm_pci_driver);
}
