package org.jvirt.vmm.protocol;

/** query-balloon's answer, as QMP's BalloonInfo: the guest's memory in bytes as the balloon leaves it. */
public record BalloonInfo(long actual) {
}
