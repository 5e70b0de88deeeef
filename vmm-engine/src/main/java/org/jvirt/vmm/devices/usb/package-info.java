/**
 * USB: the device interface host controllers drive ({@link org.jvirt.vmm.devices.usb.UsbDevice}),
 * the xHCI controller in {@code xhci}, QEMU's HID devices in {@code hid}.
 */
package org.jvirt.vmm.devices.usb;
