package org.jvirt.vmm.devices.pci;

import org.jvirt.vmm.bus.IoDevice;

/** One PCI function as the host bridge sees it: its configuration space and its BAR handlers. */
public interface PciDevice {

    PciConfigSpace config();

    /** The handler for accesses inside BAR index (offsets relative to the BAR's base), or null if none. */
    IoDevice bar(int index);

    /** The handler of the expansion ROM ({@link PciConfigSpace#defineRom}), or null if none. */
    default IoDevice rom() { return null; }

    /** Called after the guest wrote config space [offset, offset+size), for devices with live registers (MSI-X). */
    default void configWritten(int offset, int size) { }

    /**
     * Machine reset: device-internal state back to power-on. Config space is restored by the
     * host bridge (to the state it had right after {@link PciHostBridge#addDevice}, BARs preassigned).
     */
    default void reset() { }

    /**
     * Config space was replaced as a whole (restored to its power-on bytes on a reset, or loaded
     * from a state file): a function that derives something from its registers (a chipset
     * register that places a window or a port range) derives it again.
     */
    default void configReplaced() { }
}
