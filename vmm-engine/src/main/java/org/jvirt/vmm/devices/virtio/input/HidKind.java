package org.jvirt.vmm.devices.virtio.input;

/**
 * The three virtio-input devices QEMU 7.2 offers as PCI functions (hw/input/virtio-input-hid.c,
 * hw/virtio/virtio-input-pci.c): their names, PCI class and the product of their device ids.
 */
public enum HidKind {
    KEYBOARD("QEMU Virtio Keyboard", 0x090000, 1),
    /** With QEMU's default wheel-axis=on: REL_WHEEL, device id version 2. */
    MOUSE("QEMU Virtio Mouse", 0x090200, 2),
    /** With QEMU's default wheel-axis=on: REL_WHEEL besides ABS_X/ABS_Y, device id version 2. */
    TABLET("QEMU Virtio Tablet", 0x098000, 3);

    private final String idName;
    private final int pciClass;
    private final int product;

    HidKind(String idName, int pciClass, int product) {
        this.idName = idName;
        this.pciClass = pciClass;
        this.product = product;
    }

    /** VIRTIO_INPUT_CFG_ID_NAME's string (QEMU's VIRTIO_ID_NAME_*). */
    public String idName() { return idName; }

    /** PCI_CLASS_INPUT_KEYBOARD, _MOUSE, or _OTHER for the tablet (QEMU's virtio-input-hid-pci default). */
    public int pciClass() { return pciClass; }

    /** virtio_input_devids.product: 1 keyboard, 2 mouse, 3 tablet. */
    int product() { return product; }

    /** virtio_input_devids.version: 1 for the keyboard, 2 for the wheel-axis mouse and tablet. */
    int version() { return this == KEYBOARD ? 1 : 2; }
}
