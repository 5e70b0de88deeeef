/** virtio-balloon: the host asks the guest to give back memory, and reads the guest's memory statistics (QEMU's virtio-balloon-pci). */
package org.jvirt.vmm.devices.balloon;
