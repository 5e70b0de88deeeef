/**
 * PCI Express ports: {@link org.jvirt.vmm.devices.pcie.PcieRootPort}, QEMU's pcie-root-port
 * (1b36:000c), the bridge libvirt and virt-install put in front of every device of a q35 machine.
 */
package org.jvirt.vmm.devices.pcie;
