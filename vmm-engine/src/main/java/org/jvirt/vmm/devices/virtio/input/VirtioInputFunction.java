package org.jvirt.vmm.devices.virtio.input;

import org.jvirt.vmm.devices.input.InputRouter;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * One of QEMU's virtio-keyboard-pci, virtio-mouse-pci, virtio-tablet-pci: the {@link VirtioInput}
 * device on the modern virtio PCI transport (1af4:1052 revision 1, the class of its kind, and, as
 * QEMU gives a modern-only virtio function, QEMU's default subsystem 1af4:1100), its handler
 * registered in the router behind the devices made before it (a keyboard handler, or a relative or
 * absolute pointer one), put in front when the driver sets DRIVER_OK.
 */
public final class VirtioInputFunction {
    /** QEMU's default PCI subsystem (PCI_SUBVENDOR_ID_REDHAT_QUMRANET, PCI_SUBDEVICE_ID_QEMU). */
    static final int SUBSYSTEM_VENDOR = 0x1af4, SUBSYSTEM = 0x1100;

    private final VirtioInput device;
    private final VirtioPciDevice pci;

    private VirtioInputFunction(VirtioInput device, VirtioPciDevice pci) {
        this.device = device;
        this.pci = pci;
    }

    public static VirtioInputFunction create(HidKind kind, GuestMemory memory, MsiSink msi, InputRouter router) {
        VirtioInput device = new VirtioInput(kind);
        VirtioPciDevice pci = new VirtioPciDevice(device, memory, msi);
        pci.config().setSubsystem(SUBSYSTEM_VENDOR, SUBSYSTEM);
        InputRouter.Kind routed = switch (kind) {
            case KEYBOARD -> InputRouter.Kind.KEYBOARD;
            case MOUSE -> InputRouter.Kind.RELATIVE_POINTER;
            case TABLET -> InputRouter.Kind.ABSOLUTE_POINTER;
        };
        device.connect(pci, router.register(routed, new HidEvents(device)));
        return new VirtioInputFunction(device, pci);
    }

    public VirtioInput device() { return device; }

    /** The PCI function to plug, and whose state (transport and device) a state file keeps. */
    public VirtioPciDevice pci() { return pci; }
}
