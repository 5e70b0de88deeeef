package org.jvirt.vmm.devices.display;

/**
 * A display adapter as the host sees it: the picture it shows now (screendump, VNC). The std
 * VGA and the bochs-display are the two; the board has at most one.
 */
public interface Display {

    /** The picture the adapter shows now, as QEMU's display update would leave its surface. */
    Frame render();
}
