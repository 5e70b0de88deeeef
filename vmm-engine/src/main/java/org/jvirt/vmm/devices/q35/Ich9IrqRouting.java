package org.jvirt.vmm.devices.q35;

/**
 * PCI INTx routing of QEMU's q35 (hw/isa/lpc_ich9.c): each bus-0 slot's pins reach one of the
 * ICH9's eight PIRQ lines, and PIRQ A-H are IOAPIC inputs 16-23 whatever the PIRQx_ROUT registers
 * say (those only route to the 8259s, for a guest without an IOAPIC). Slots 25-29 and 31 follow
 * their D25IR..D31IR chipset registers, at reset INTA-D to PIRQ A-D; slot 30 (QEMU's DMI-to-PCI
 * bridge) goes to PIRQ E-H; every other slot is rotated over PIRQ E-H: INTx of slot s to PIRQ
 * E + ((s + x) mod 4). SeaBIOS's mch_pci_slot_get_irq and QEMU's DSDT say the same.
 */
public final class Ich9IrqRouting {
    private Ich9IrqRouting() { }

    public static final int PIRQS = 8, FIRST_GSI = 16;

    /** The PIRQ (0 = A .. 7 = H) of slot (0-31) pin (0 = INTA .. 3 = INTD). */
    public static int pirq(int slot, int pin) {
        if (slot < 0 || slot > 31 || pin < 0 || pin > 3) throw new IllegalArgumentException("slot " + slot + " pin " + pin);
        if (slot == 30) return 4 + pin;
        if (slot >= 25) return pin; // DnnIR reset value 0x3210
        return 4 + (slot + pin) % 4;
    }

    /** The IOAPIC input of slot pin (APIC mode: PIRQ A-H are GSI 16-23). */
    public static int gsi(int slot, int pin) {
        return FIRST_GSI + pirq(slot, pin);
    }
}
