/**
 * virtio-input as QEMU 7.2's virtio-keyboard-pci, virtio-mouse-pci and virtio-tablet-pci:
 * {@link org.jvirt.vmm.devices.virtio.input.VirtioInput} (config space, event and status queues),
 * {@link org.jvirt.vmm.devices.virtio.input.HidEvents} (host events made into evdev events),
 * {@link org.jvirt.vmm.devices.virtio.input.VirtioInputFunction} (the PCI function and its place in
 * the input router).
 */
package org.jvirt.vmm.devices.virtio.input;
