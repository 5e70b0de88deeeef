/** QEMU's USB HID devices (usb-tablet, usb-mouse, usb-kbd) on the {@link org.jvirt.vmm.devices.usb.UsbDevice} interface. */
package org.jvirt.vmm.devices.usb.hid;
