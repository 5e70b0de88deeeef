package org.jvirt.vmm.block.qcow2;

import java.time.Instant;

/**
 * An internal snapshot as `qemu-img snapshot -l` lists it.
 *
 * @param vmClockNanos how long the guest had run when the snapshot was taken
 * @param vmStateSize  bytes of saved VM state (0: a disk-only snapshot)
 */
public record Qcow2Snapshot(String id, String name, Instant date, long vmClockNanos, long vmStateSize, long diskSize) { }
