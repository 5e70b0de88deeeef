package org.jvirt.vmm.platform;

/** The platform's state: both 8259s, the IOAPIC, the PIT, and the guest clock (kvmclock) in ns. */
public record PlatformState(PicState master, PicState slave, IoApicState ioapic, PitState pit, long clockNanos) { }
