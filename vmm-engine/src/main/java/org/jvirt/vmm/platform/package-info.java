/**
 * The PC platform around the vCPUs: the 8259 PIC pair, the IOAPIC, the 8254 PIT and the guest
 * clock, behind {@link org.jvirt.vmm.platform.Platform} (KVM's in-kernel models today, Java
 * ones for an emulator later), with their state as plain values ({@link org.jvirt.vmm.platform.PlatformState})
 * and its versioned state-file section.
 */
package org.jvirt.vmm.platform;
