/**
 * QEMU's PS/2 devices (hw/input/ps2.c) behind the i8042: {@link org.jvirt.vmm.devices.ps2.Ps2Keyboard}
 * (scancode sets 1-3, the 8042's translation, the keyboard commands),
 * {@link org.jvirt.vmm.devices.ps2.Ps2Mouse} (the AUX commands and packets), their shared
 * {@link org.jvirt.vmm.devices.ps2.Ps2Queue}, and {@link org.jvirt.vmm.devices.ps2.PointerEvents},
 * which turns a VNC client's absolute pointer into the mouse's relative events as QEMU's VNC
 * server does. None is thread safe: the i8042 calls them under its lock.
 */
package org.jvirt.vmm.devices.ps2;
