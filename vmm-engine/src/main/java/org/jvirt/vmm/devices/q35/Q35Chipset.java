package org.jvirt.vmm.devices.q35;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.pci.IntxRouting;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.pci.PciHostBridge;

/**
 * The q35 functions on bus 0, where QEMU 7.2 puts them: the MCH at 00:00.0 (the host bridge's
 * own function: pass {@link #hostBridge()} and {@link #routing()} when building the {@link
 * PciHostBridge}), the LPC bridge at 00:1f.0 and the SMBus at 00:1f.3. 00:1f.2 is the ICH9 SATA
 * (AHCI) controller's place ({@link #SATA_FUNCTION}), added by whoever builds it.
 *
 * <p>With firmware the guest programs the chipset (SeaBIOS: PCIEXBAR 0xB0000000 enabled, PMBASE
 * 0x600, ACPI_EN, PIRQ routes, RCBA 0xFED1C000). For a kernel boot {@link #programAsFirmware} sets
 * the same values but the PIRQ routes (only the 8259s use them) as the power-on state, so the
 * ACPI tables jvirt writes hold from the first instruction and after every reset.
 */
public final class Q35Chipset {
    public static final int LPC_SLOT = 31, LPC_FUNCTION = 0, SATA_FUNCTION = 2, SMBUS_FUNCTION = 3;
    /** Where SeaBIOS puts the ECAM window (Q35_HOST_BRIDGE_PCIEXBAR_ADDR), 256 buses. */
    public static final long ECAM_BASE = Q35Host.PCIEXBAR_DEFAULT, ECAM_SIZE = 256L << 20;
    /** SeaBIOS's RCBA; it reserves 16 KiB there in the E820 map. */
    public static final long RCBA_BASE = 0xFED1_C000L;

    private final Q35Host mch;
    private final Ich9Lpc lpc;
    private final Ich9Smbus smbus = new Ich9Smbus();
    private final Ich9SmiRegisters smi = new Ich9SmiRegisters();

    /**
     * @param acpiPm the ACPI PM registers' range (unmapped: the LPC's PMBASE and ACPI_CNTL place it)
     */
    public Q35Chipset(IoBus mmio, IoBus pio, MovableRange acpiPm) {
        mch = new Q35Host(mmio);
        lpc = new Ich9Lpc(acpiPm, new MovableRange(pio, Ich9SmiRegisters.LENGTH, smi));
    }

    public PciDevice hostBridge() { return mch; }

    public IntxRouting routing() { return Ich9IrqRouting::gsi; }

    /** Plugs the LPC and SMBus functions into slot 31 and connects the ECAM window to pci. */
    public void attach(PciHostBridge pci) {
        mch.connect(pci);
        pci.addFunction(LPC_SLOT, LPC_FUNCTION, lpc);
        pci.addFunction(LPC_SLOT, SMBUS_FUNCTION, smbus);
    }

    /**
     * What SeaBIOS programs (pciinit.c: mch_mmconfig_setup, mch_isa_lpc_setup), written through
     * the config path and kept as the power-on state: the ECAM window at {@link #ECAM_BASE}, the
     * PM block at pmBase decoded, RCBA.
     */
    public void programAsFirmware(PciHostBridge pci, int pmBase) {
        pci.configWrite(0, 0, 0, Q35Host.PCIEXBAR + 4, 4, ECAM_BASE >>> 32);
        pci.configWrite(0, 0, 0, Q35Host.PCIEXBAR, 4, ECAM_BASE & 0xFFFF_FFFFL | Q35Host.PCIEXBAR_ENABLE);
        pci.configWrite(0, LPC_SLOT, LPC_FUNCTION, Ich9Lpc.PMBASE, 4, pmBase | Ich9Lpc.PMBASE_RTE);
        pci.configWrite(0, LPC_SLOT, LPC_FUNCTION, Ich9Lpc.ACPI_CNTL, 1, Ich9Lpc.ACPI_EN);
        pci.configWrite(0, LPC_SLOT, LPC_FUNCTION, Ich9Lpc.RCBA, 4, RCBA_BASE | 1);
        mch.config().capturePowerOnState();
        lpc.config().capturePowerOnState();
    }

    public Q35Host mch() { return mch; }
    public Ich9Lpc lpc() { return lpc; }
    public Ich9Smbus smbus() { return smbus; }
    public Ich9SmiRegisters smiRegisters() { return smi; }
}
