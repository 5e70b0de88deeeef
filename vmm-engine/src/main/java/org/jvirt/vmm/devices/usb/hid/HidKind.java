package org.jvirt.vmm.devices.usb.hid;

/** QEMU's three USB HID devices; state files name them by ordinal (append only). */
public enum HidKind { KEYBOARD, MOUSE, TABLET }
