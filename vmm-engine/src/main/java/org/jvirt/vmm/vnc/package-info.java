/**
 * The VNC server (RFB 3.3/3.7/3.8) of jvirt-vmm's --vnc, after QEMU's ui/vnc.c: {@link
 * org.jvirt.vmm.vnc.VncServer} listens and accepts, one {@link org.jvirt.vmm.vnc.VncClient}
 * thread speaks RFB with each client; pictures come from the board's Display (std VGA, bochs-display or virtio-gpu), key and
 * pointer events go to the board's InputSink.
 */
package org.jvirt.vmm.vnc;
