package org.jvirt.vmm.devices.pci;

/**
 * The platform's PCI INTx routing, shared by the machine (which connects each function's INTx
 * to an IOAPIC input) and the DSDT's _PRT (which tells the guest). Bus 0 only, no interrupt
 * link devices: slot N pin P (0 = INTA .. 3 = INTD) goes to GSI 16 + ((N + P) mod 8), the
 * eight IOAPIC inputs above the ISA range, swizzled so neighbouring slots do not all share one
 * line. Requires a 24-input IOAPIC (KVM's has 24). PCI INTx is level-triggered: the device
 * drives {@code setLevel(true)} while asserted (the active-low polarity is the wire's business).
 */
public final class PciIrqRouting {
    private PciIrqRouting() { }

    public static final int FIRST_GSI = 16;
    public static final int GSI_COUNT = 8;

    /** GSI for slot (0-31) and pin (0 = INTA .. 3 = INTD). */
    public static int gsi(int slot, int pin) {
        if (slot < 0 || slot > 31 || pin < 0 || pin > 3) throw new IllegalArgumentException("slot " + slot + " pin " + pin);
        return FIRST_GSI + (slot + pin) % GSI_COUNT;
    }
}
