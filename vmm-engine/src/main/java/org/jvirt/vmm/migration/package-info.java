/**
 * Pre-copy live migration between two VMMs over one TCP connection (the peer design is QEMU's
 * RAM migration and Firecracker's/Cloud Hypervisor's send/receive): the source sends every
 * non-zero RAM page while the guest runs, then, round after round, the pages the guest (its
 * dirty log) and the devices (DMA, seen through the guest memory's listener) wrote meanwhile,
 * until what is left fits the maximum downtime at the measured bandwidth; then it pauses the
 * machine, sends the last pages and the machine state without RAM (the machine-state format),
 * and the target loads it and runs. The source ends only once the target says it runs; any
 * failure before that resumes the source. Wire format: {@link org.jvirt.vmm.migration.MigrationStream}.
 */
package org.jvirt.vmm.migration;
