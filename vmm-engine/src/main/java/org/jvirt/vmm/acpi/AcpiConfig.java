package org.jvirt.vmm.acpi;

import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.devices.pci.IntxRouting;
import org.jvirt.vmm.devices.pci.PciIrqRouting;

/**
 * What the ACPI tables describe.
 *
 * @param vcpuCount      vCPUs, with APIC ids 0..vcpuCount-1
 * @param pmBase         I/O port of the AcpiPm block (PM1a_EVT at +0, PM1a_CNT at +4, PM_TMR at +8)
 * @param sciIrq         ISA IRQ (= GSI) of the SCI, level-triggered active-high
 * @param pciMmio32Base  start of the 32-bit PCI MMIO window (BARs below 4 GiB)
 * @param pciMmio32Size  its size in bytes
 * @param pciMmio64Base  start of the 64-bit PCI MMIO window, or 0 for none
 * @param pciMmio64Size  its size in bytes, or 0 for none
 * @param pciRoot        the PCI root bridge: conventional (pc) or PCI Express with an ECAM window (q35)
 */
public record AcpiConfig(int vcpuCount, int pmBase, int sciIrq,
                         long pciMmio32Base, long pciMmio32Size,
                         long pciMmio64Base, long pciMmio64Size, PciRoot pciRoot) {

    /**
     * The root bridge: its INTx routing (the _PRT), and for PCI Express (ecamSize > 0) the ECAM
     * window an MCFG table announces for buses 0..ecamSize/1MiB-1, with _HID PNP0A08.
     */
    public record PciRoot(IntxRouting routing, long ecamBase, long ecamSize) {
        /** The pc's: conventional PCI, config mechanism #1 only, {@link PciIrqRouting}. */
        public static final PciRoot CONVENTIONAL = new PciRoot(PciIrqRouting::gsi, 0, 0);

        public PciRoot {
            java.util.Objects.requireNonNull(routing, "routing");
            if (ecamSize != 0 && (ecamSize < 1L << 20 || ecamSize > 256L << 20 || Long.bitCount(ecamSize) != 1 || ecamBase % ecamSize != 0))
                throw new IllegalArgumentException("ECAM window must be 1-256 MiB, a power of two, aligned");
        }

        public static PciRoot express(IntxRouting routing, long ecamBase, long ecamSize) {
            return new PciRoot(routing, ecamBase, ecamSize);
        }

        public boolean isExpress() { return ecamSize > 0; }

        /** The last bus number the ECAM window covers. */
        public int lastBus() { return (int) (ecamSize >>> 20) - 1; }
    }

    /** A conventional PCI root (the pc). */
    public AcpiConfig(int vcpuCount, int pmBase, int sciIrq, long pciMmio32Base, long pciMmio32Size,
                      long pciMmio64Base, long pciMmio64Size) {
        this(vcpuCount, pmBase, sciIrq, pciMmio32Base, pciMmio32Size, pciMmio64Base, pciMmio64Size, PciRoot.CONVENTIONAL);
    }

    public AcpiConfig withPciRoot(PciRoot root) {
        return new AcpiConfig(vcpuCount, pmBase, sciIrq, pciMmio32Base, pciMmio32Size, pciMmio64Base, pciMmio64Size, root);
    }

    public static final long IOAPIC_ADDRESS = 0xFEC0_0000L;
    public static final long LAPIC_ADDRESS = 0xFEE0_0000L;
    public static final long DEFAULT_MMIO32_BASE = 0xE000_0000L;
    public static final long DEFAULT_MMIO32_SIZE = 0xFEC0_0000L - DEFAULT_MMIO32_BASE;

    public AcpiConfig {
        if (vcpuCount < 1) throw new IllegalArgumentException("vcpuCount " + vcpuCount);
        if (pciMmio32Size <= 0 || pciMmio32Base + pciMmio32Size > 1L << 32)
            throw new IllegalArgumentException("32-bit PCI window must lie below 4 GiB");
        if (pciMmio64Size < 0 || (pciMmio64Size > 0 && pciMmio64Base < 1L << 32))
            throw new IllegalArgumentException("64-bit PCI window must lie above 4 GiB");
        if (pciRoot == null) pciRoot = PciRoot.CONVENTIONAL;
    }

    /** The standard layout: PM at 0x600, SCI on IRQ 9, PCI MMIO 0xE0000000-0xFEBFFFFF, no 64-bit window. */
    public static AcpiConfig defaults(int vcpuCount) {
        return new AcpiConfig(vcpuCount, AcpiPm.DEFAULT_BASE, 9, DEFAULT_MMIO32_BASE, DEFAULT_MMIO32_SIZE, 0, 0);
    }
}
