package org.jvirt.vmm.control;

import org.jvirt.vmm.protocol.BlockStats;
import org.jvirt.vmm.protocol.Chardev;
import org.jvirt.vmm.protocol.RunState;

/**
 * What the control socket can ask of the VM it serves. The machine adapts itself to this;
 * the server knows nothing else of it. Every method may be called from a client thread.
 */
public interface ControlTarget {

    /** The QMP run state (query-status). */
    RunState status();

    void pause() throws Exception;

    void resume() throws Exception;

    /**
     * An ACPI power-button press: the guest decides whether to power off. Pressed once the
     * command is answered, as QEMU's main loop does, since a guest may power off at once.
     */
    void powerdown();

    void reset() throws Exception;

    /** The character devices (query-chardev), e.g. the pty COM1 is served on. */
    default java.util.List<Chardev> chardevs() {
        return java.util.List.of();
    }

    /** The running save or snapshot, else the last one's outcome (query-jvirt-job); must not wait for that job. */
    default org.jvirt.vmm.protocol.JobInfo job() {
        return org.jvirt.vmm.protocol.JobInfo.none();
    }

    /** The disks' I/O counters (query-blockstats), in the order of the disks. */
    default java.util.List<BlockStats> blockstats() {
        return java.util.List.of();
    }

    /**
     * Saves the machine's whole state to file (with the domain XML, may be null, beside it in
     * the file, and the run state to restore into: running null = the one it has now) and returns what ends the VM (as libvirt's save stops the domain), which the
     * server runs once its answer is sent. On failure the VM keeps its run state.
     */
    default Runnable saveAndStop(java.nio.file.Path file, String domainXml, Boolean running, boolean bypassCache) throws Exception {
        throw new UnsupportedOperationException("saving is not supported");
    }

    /**
     * A full-system snapshot that keeps the VM: pauses, gives every writable qcow2 disk an
     * internal snapshot called name, saves the machine's state to file (with domainXml, may be
     * null), and resumes a VM that was running. On failure the disks' new snapshots are removed
     * and the VM keeps its run state.
     */
    default void snapshot(java.nio.file.Path file, String domainXml, String name) throws Exception {
        throw new UnsupportedOperationException("snapshots are not supported");
    }

    /** A revert in place to a full-system snapshot (Command.JvirtLoadSnapshot). */
    default void loadSnapshot(java.nio.file.Path file, String name, boolean running) throws Exception {
        throw new UnsupportedOperationException("snapshots are not supported");
    }

    /** An external snapshot that keeps the VM (Command.JvirtSnapshotExternal). */
    default void snapshotExternal(java.util.List<org.jvirt.vmm.protocol.Command.DiskOverlay> disks, java.nio.file.Path memoryFile,
                                  String domainXml) throws Exception {
        throw new UnsupportedOperationException("snapshots are not supported");
    }

    /** Deletes the internal snapshot name from every writable qcow2 disk that has it (QEMU's delvm on the open images). */
    /**
     * Migrates the VM live to the VMM waiting at uri; returns once the guest runs there, the VM
     * here left paused (QEMU's postmigrate) until quit (exit reason "migrated") or cont (the
     * manager's Confirm with the migration cancelled). On failure the VM runs on here as before.
     */
    default org.jvirt.vmm.protocol.MigrationStats migrate(org.jvirt.vmm.protocol.Command.JvirtMigrate request) throws Exception {
        throw new UnsupportedOperationException("jvirt-migrate is not supported");
    }

    /** Cancels the running migration, if any. */
    default void cancelMigration() { }

    /** Takes the medium out of the CD-ROM device ("ide0-BUS-UNIT"). */
    default void eject(String device, boolean force) throws Exception {
        throw new UnsupportedOperationException("eject is not supported");
    }

    /** Puts file (format raw or qcow2) in the CD-ROM device, ejecting what it held. */
    default void changeMedium(String device, String file, String format, boolean force) throws Exception {
        throw new UnsupportedOperationException("blockdev-change-medium is not supported");
    }

    /** A NIC's link up or down (set_link; name: net0, net1, ...). */
    default void setLink(String name, boolean up) throws Exception {
        throw new UnsupportedOperationException("set_link is not supported");
    }

    /** Writes the display's picture to file as a binary PPM (screendump). */
    default void screendump(String file) throws Exception {
        throw new UnsupportedOperationException("screendump is not supported");
    }

    /** The VNC password (set_password; protocol "vnc"; connected: keep, disconnect or fail). */
    default void setPassword(String protocol, String password, String connected) throws Exception {
        throw new UnsupportedOperationException("set_password is not supported");
    }

    /** When the VNC password expires (expire_password: now, never, +SECONDS or SECONDS since the epoch). */
    default void expirePassword(String protocol, String time) throws Exception {
        throw new UnsupportedOperationException("expire_password is not supported");
    }

    /**
     * Presses the keys (QEMU key numbers) in order, then releases them in reverse order, each
     * event holdMs after the previous one (0: QEMU's default, 10 ms) (send-key); returns before the events are played.
     */
    default void sendKey(java.util.List<Integer> keys, int holdMs) throws Exception {
        throw new UnsupportedOperationException("send-key is not supported");
    }

    /** The VNC server's listener and clients (query-vnc); enabled=false when there is none. */
    default org.jvirt.vmm.protocol.VncInfo queryVnc() throws Exception {
        return new org.jvirt.vmm.protocol.VncInfo(false, null, null, null, null, null);
    }

    default void deleteSnapshot(String name) throws Exception {
        throw new UnsupportedOperationException("snapshots are not supported");
    }

    /** The memory balloon (balloon, query-balloon, qom-get/qom-set of its statistics), or null without one. */
    default BalloonControl balloon() {
        return null;
    }

    /** Ends the VM at once (destroy); called once the answer is sent, the process exits after it. */
    void quit();
}
