package org.jvirt.vmm.devices.pci;

/**
 * Where a bus-0 function's INTx pin reaches the IOAPIC: the chipset's routing, which the DSDT's
 * _PRT must repeat. {@link PciIrqRouting#gsi} is the pc's, the ICH9's is in devices.q35.
 */
@FunctionalInterface
public interface IntxRouting {
    /** The GSI of slot (0-31) pin (0 = INTA .. 3 = INTD). */
    int gsi(int slot, int pin);
}
