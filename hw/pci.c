// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI backend: MMIO through the GPU's BAR0 and BAR1 mappings.
 */

/**
 * DOC: PCI backend
 *
 * Registers are 32-bit uncached MMIO reads and writes of BAR0. BAR1 is
 * mapped write-combined: each copy or fill through it ends with wmb(), so
 * that its data has left the CPU's write-combining buffers before the
 * caller depends on it (reads BAR1 back, or has the GPU use it). There is
 * no GSP transport and no view of BAR1 faults, which go to the GPU's
 * fault buffer; whether the device is gone is the PCI core's
 * pci_dev_is_disconnected().
 */
#include <linux/device.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include <novamm/hw.h>

/**
 * struct novamm_pci - the MMIO mappings of a PCI GPU
 * @bar0: the first NV_BAR0_SIZE bytes of BAR0, uncached
 * @bar1: all of BAR1, write-combined
 * @bar1_phys: where BAR1 is in the CPU's physical address space
 */
struct novamm_pci {
	void __iomem *bar0;
	void __iomem *bar1;
	phys_addr_t bar1_phys;
};

static struct novamm_pci *to_novamm_pci(struct novamm_hw *hw)
{
	return hw->priv;
}

static u32 novamm_pci_rd32(struct novamm_hw *hw, u32 reg)
{
	return readl(to_novamm_pci(hw)->bar0 + reg);
}

static void novamm_pci_wr32(struct novamm_hw *hw, u32 reg, u32 val)
{
	writel(val, to_novamm_pci(hw)->bar0 + reg);
}

static void novamm_pci_bar1_read(struct novamm_hw *hw, u64 offset,
				 void *buf, size_t len)
{
	memcpy_fromio(buf, to_novamm_pci(hw)->bar1 + offset, len);
}

static void novamm_pci_bar1_write(struct novamm_hw *hw, u64 offset,
				  const void *buf, size_t len)
{
	memcpy_toio(to_novamm_pci(hw)->bar1 + offset, buf, len);
	/* Push write-combined data out before the caller depends on it. */
	wmb();
}

static void novamm_pci_bar1_zero(struct novamm_hw *hw, u64 offset, size_t len)
{
	memset_io(to_novamm_pci(hw)->bar1 + offset, 0, len);
	/* As after a copy: the zeros leave the write-combining buffers now. */
	wmb();
}

static phys_addr_t novamm_pci_bar1_phys(struct novamm_hw *hw)
{
	return to_novamm_pci(hw)->bar1_phys;
}

static bool novamm_pci_disconnected(struct novamm_hw *hw)
{
	return pci_dev_is_disconnected(to_pci_dev(hw->dev));
}

static const struct novamm_hw_ops novamm_pci_hw_ops = {
	.name = "pci",
	.rd32 = novamm_pci_rd32,
	.wr32 = novamm_pci_wr32,
	.bar1_read = novamm_pci_bar1_read,
	.bar1_write = novamm_pci_bar1_write,
	.bar1_zero = novamm_pci_bar1_zero,
	.bar1_phys = novamm_pci_bar1_phys,
	.disconnected = novamm_pci_disconnected,
};

/**
 * novamm_hw_pci_attach() - make a device reach a PCI GPU through its BARs
 * @hw: the access to fill
 * @pdev: the GPU, enabled
 * @bar0: the start of BAR0, mapped uncached
 * @bar0_size: bytes of it mapped
 * @bar1: all of BAR1, mapped write-combined
 * @bar1_phys: where BAR1 is in the CPU's physical address space
 * @bar1_size: its bytes
 *
 * The mappings are the caller's, device-managed; so is what this
 * allocates.
 *
 * Return: 0, or -ENOMEM.
 */
int novamm_hw_pci_attach(struct novamm_hw *hw, struct pci_dev *pdev,
			 void __iomem *bar0, u64 bar0_size, void __iomem *bar1,
			 phys_addr_t bar1_phys, u64 bar1_size)
{
	struct novamm_pci *npci;

	npci = devm_kzalloc(&pdev->dev, sizeof(*npci), GFP_KERNEL);
	if (!npci)
		return -ENOMEM;
	npci->bar0 = bar0;
	npci->bar1 = bar1;
	npci->bar1_phys = bar1_phys;
	hw->dev = &pdev->dev;
	hw->ops = &novamm_pci_hw_ops;
	hw->priv = npci;
	hw->bar0_size = bar0_size;
	hw->bar1_size = bar1_size;
	return 0;
}
EXPORT_SYMBOL_GPL(novamm_hw_pci_attach);
