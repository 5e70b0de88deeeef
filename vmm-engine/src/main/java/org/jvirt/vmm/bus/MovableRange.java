package org.jvirt.vmm.bus;

/**
 * A device whose range on a bus the guest places through a chipset register rather than a PCI
 * BAR: the ACPI PM block behind the PIIX4's PMBA or the ICH9 LPC's PMBASE, the ECAM window
 * behind the Q35's PCIEXBAR. {@link #moveTo} unmaps it from where it was and maps it at the new
 * base, or leaves it unmapped (disabled, or placed over another range, as an address conflict
 * would leave it on real hardware).
 */
public final class MovableRange {

    private final IoBus bus;
    private final long length;
    private final IoDevice device;
    private long base = -1;

    public MovableRange(IoBus bus, long length, IoDevice device) {
        if (length <= 0) throw new IllegalArgumentException("empty range");
        this.bus = bus;
        this.length = length;
        this.device = device;
    }

    /** Maps the device at newBase, or nowhere when newBase is negative; true when it is mapped there. */
    public synchronized boolean moveTo(long newBase) {
        if (newBase == base) return base >= 0;
        if (base >= 0) bus.unregister(base);
        base = -1;
        if (newBase < 0) return false;
        try {
            bus.register(newBase, length, device);
            base = newBase;
            return true;
        } catch (IllegalArgumentException overlap) {
            return false;
        }
    }

    /** Where the device is mapped, or -1. */
    public synchronized long base() {
        return base;
    }

    public long length() {
        return length;
    }
}
