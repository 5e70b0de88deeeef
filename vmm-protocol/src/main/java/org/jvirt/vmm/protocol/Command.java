package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.List;

/**
 * A command the VMM serves, with its arguments as record components (what goes into QMP's
 * "arguments") and the type of its "return" value. The wire name is {@link #execute()}.
 *
 * @param <R> what the command returns
 */
public sealed interface Command<R> {

    /** The QMP command name ("execute"): the record's {@link JsonTypeName}, the one place it is spelled. */
    @JsonIgnore
    default String execute() {
        return Wire.nameOf(getClass());
    }

    /** The class the "return" value decodes to. */
    @JsonIgnore
    Class<R> replyType();

    /** Every command, by wire name: what the server decodes requests with. */
    List<Class<? extends Command<?>>> ALL = List.of(QmpCapabilities.class, QueryStatus.class, QueryChardev.class,
            QueryBlockstats.class, Stop.class, Cont.class, SystemPowerdown.class, SystemReset.class, Quit.class,
            JvirtSave.class, JvirtSnapshot.class, JvirtSnapshotDelete.class, QueryJvirtJob.class, JvirtSnapshotExternal.class,
            JvirtLoadSnapshot.class, JvirtMigrate.class, JvirtMigrateCancel.class, Eject.class, BlockdevChangeMedium.class,
            SetLink.class, Screendump.class, SetPassword.class, ExpirePassword.class, SendKey.class, QueryVnc.class,
            Balloon.class, QueryBalloon.class, QomGet.class, QomSet.class);

    /** Leaves capabilities negotiation; nothing else is served before it. */
    @JsonTypeName("qmp_capabilities")
    record QmpCapabilities() implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * Opens a CD-ROM's tray and takes its medium out (QMP's eject). device is the drive's id as
     * libvirt names IDE drives, "ide0-BUS-UNIT"; a tray the guest locked opens only with force
     * (else the guest is asked to eject, and the command fails as QEMU's blockdev-remove-medium
     * does when the tray did not open).
     */
    @JsonTypeName("eject")
    record Eject(String device, boolean force) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** Puts a new medium (an image file; format raw or qcow2) in a CD-ROM, ejecting the old one (QMP's blockdev-change-medium). */
    @JsonTypeName("blockdev-change-medium")
    record BlockdevChangeMedium(String device, String filename, String format, boolean force) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * Sets a NIC's link up or down (QMP's set_link; libvirt's domif-setlink): name is the NIC's id
     * (net0, net1, ... in --nic order). The guest sees the status change; while down, frames are dropped.
     */
    @JsonTypeName("set_link")
    record SetLink(String name, boolean up) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * Writes the display's current image to filename (QMP's screendump, libvirt's virsh
     * screenshot) as a binary PPM (P6, maxval 255), as QEMU writes it. Fails when the VM has no display.
     */
    @JsonTypeName("screendump")
    record Screendump(String filename) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * Sets the VNC password (QMP's set_password; protocol "vnc"): clients of a --vnc ...,password=on
     * server authenticate with its first 8 characters (VNC authentication); libvirt's passwd.
     * connected: "keep" (what libvirt asks; clients already in stay), "disconnect" or "fail".
     */
    @JsonTypeName("set_password")
    record SetPassword(String protocol, String password, String connected) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * When the VNC password stops being accepted (QMP's expire_password; libvirt's passwdValidTo):
     * "now", "never", "+SECONDS" from now, or SECONDS since the epoch.
     */
    @JsonTypeName("expire_password")
    record ExpirePassword(String protocol, String time) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * Presses the keys in order and releases them in reverse order, hold-time ms after each event
     * (default 10, QEMU 7.2's kbd_default_delay_ms), answering at once (QMP's send-key; virsh send-key). Each key is {"type":"number","data":N}
     * with N a QEMU key number (XT scancode set 1; 0x80 | code for the 0xE0-prefixed keys).
     */
    @JsonTypeName("send-key")
    record SendKey(List<KeyValue> keys, @JsonProperty("hold-time") Integer holdTime) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }

        /** QMP's KeyValue, the "number" form. */
        public record KeyValue(String type, int data) {
            public static KeyValue number(int qnum) { return new KeyValue("number", qnum); }
        }
    }

    /**
     * Asks the guest's balloon driver to bring the guest down (or up) to value bytes (QMP's
     * balloon; libvirt's setmem on a running domain); capped at the VM's RAM. Fails with
     * DeviceNotActive when the VM has no balloon, as QEMU.
     */
    @JsonTypeName("balloon")
    record Balloon(Long value) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** The guest's memory as the balloon leaves it (QMP's query-balloon: RAM less the pages the guest gave). */
    @JsonTypeName("query-balloon")
    record QueryBalloon() implements Command<BalloonInfo> {
        public Class<BalloonInfo> replyType() { return BalloonInfo.class; }
    }

    /**
     * Reads a property of a device object (QMP's qom-get). Served: the balloon's (path
     * "/machine/peripheral/balloon0", libvirt's alias) "guest-stats" ({"stats": {...},
     * "last-update": N}, QEMU's names and its 2^64-1 for a statistic the guest did not send) and
     * "guest-stats-polling-interval" (seconds).
     */
    @JsonTypeName("qom-get")
    record QomGet(String path, String property) implements Command<com.fasterxml.jackson.databind.JsonNode> {
        public Class<com.fasterxml.jackson.databind.JsonNode> replyType() { return com.fasterxml.jackson.databind.JsonNode.class; }
    }

    /** Sets a property of a device object (QMP's qom-set): the balloon's "guest-stats-polling-interval". */
    @JsonTypeName("qom-set")
    record QomSet(String path, String property, com.fasterxml.jackson.databind.JsonNode value) implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** The VNC server's listener and clients (QMP's query-vnc). */
    @JsonTypeName("query-vnc")
    record QueryVnc() implements Command<VncInfo> {
        public Class<VncInfo> replyType() { return VncInfo.class; }
    }

    @JsonTypeName("query-status")
    record QueryStatus() implements Command<StatusInfo> {
        public Class<StatusInfo> replyType() { return StatusInfo.class; }
    }

    @JsonTypeName("query-chardev")
    record QueryChardev() implements Command<Chardevs> {
        public Class<Chardevs> replyType() { return Chardevs.class; }
    }

    @JsonTypeName("query-blockstats")
    record QueryBlockstats() implements Command<BlockStatsList> {
        public Class<BlockStatsList> replyType() { return BlockStatsList.class; }
    }

    /**
     * The running save or snapshot's progress, or the last one's outcome; answered at once even
     * while another connection waits for that save (what virsh's domjobinfo and save --verbose poll).
     */
    @JsonTypeName("query-jvirt-job")
    record QueryJvirtJob() implements Command<JobInfo> {
        public Class<JobInfo> replyType() { return JobInfo.class; }
    }

    /** Pauses the vCPUs (event STOP). */
    @JsonTypeName("stop")
    record Stop() implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** Resumes the vCPUs (event RESUME). */
    @JsonTypeName("cont")
    record Cont() implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** The ACPI power button (event POWERDOWN); the guest decides. */
    @JsonTypeName("system_powerdown")
    record SystemPowerdown() implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    @JsonTypeName("system_reset")
    record SystemReset() implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** Ends the VM at once (destroy); the process exits after answering. */
    @JsonTypeName("quit")
    record Quit() implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * Saves the whole machine state to file (absolute), with the domain XML beside it, and ends
     * the VM once answered. running: the run state to restore into (null: the current one);
     * bypassCache (null: false): leave none of the file in the host's page cache (libvirt's
     * VIR_DOMAIN_SAVE_BYPASS_CACHE).
     */
    @JsonTypeName("jvirt-save")
    record JvirtSave(String file, @JsonProperty("domain-xml") String domainXml, Boolean running,
                     @JsonProperty("bypass-cache") Boolean bypassCache) implements Command<Ack> {
        public JvirtSave {
            if (file == null || !file.startsWith("/")) throw new IllegalArgumentException("jvirt-save needs an absolute 'file'");
        }

        public JvirtSave(String file, String domainXml, Boolean running) {
            this(file, domainXml, running, null);
        }

        public Class<Ack> replyType() { return Ack.class; }
    }

    /** A full-system snapshot called name: qcow2 internal snapshots plus the state in file (absolute). */
    @JsonTypeName("jvirt-snapshot")
    record JvirtSnapshot(String file, @JsonProperty("domain-xml") String domainXml, String name) implements Command<Ack> {
        public JvirtSnapshot {
            if (file == null || !file.startsWith("/")) throw new IllegalArgumentException("jvirt-snapshot needs an absolute 'file'");
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("jvirt-snapshot needs a 'name'");
        }
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * An external snapshot that keeps the VM: paused, the machine's state written to memoryFile
     * (absolute; null for a disk-only snapshot) with the domain XML, then each listed disk moved
     * onto its overlay (an image whose backing file is the disk's current one, made by the caller),
     * and the VM resumed if it was running. All or nothing: on a failure the disks moved so far
     * go back and the memory file is removed.
     */
    @JsonTypeName("jvirt-snapshot-external")
    record JvirtSnapshotExternal(List<DiskOverlay> disks, @JsonProperty("memory-file") String memoryFile,
                                 @JsonProperty("domain-xml") String domainXml) implements Command<Ack> {
        public JvirtSnapshotExternal {
            disks = disks == null ? List.of() : List.copyOf(disks);
            if (memoryFile != null && !memoryFile.startsWith("/")) throw new IllegalArgumentException("jvirt-snapshot-external needs an absolute 'memory-file'");
        }
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** Disk INDEX (in the VMM's --disk order) moves onto FILE (absolute) of FORMAT ("qcow2" or "raw"). */
    record DiskOverlay(int index, String file, String format) {
        public DiskOverlay {
            if (file == null || !file.startsWith("/")) throw new IllegalArgumentException("a disk overlay needs an absolute 'file'");
        }
    }

    /**
     * A revert in place (QEMU's loadvm): the file (absolute) is validated, the VM paused, every
     * writable qcow2 disk goes back to its internal snapshot name, the machine takes the file's
     * state, and runs on if running (else stays paused). The file must describe this machine.
     */
    @JsonTypeName("jvirt-load-snapshot")
    record JvirtLoadSnapshot(String file, String name, boolean running) implements Command<Ack> {
        public JvirtLoadSnapshot {
            if (file == null || !file.startsWith("/")) throw new IllegalArgumentException("jvirt-load-snapshot needs an absolute 'file'");
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("jvirt-load-snapshot needs a 'name'");
        }
        public Class<Ack> replyType() { return Ack.class; }
    }

    /**
     * Live migration to a VMM waiting with --incoming at uri ("tcp:HOST:PORT"): answers once the
     * guest runs there (the VM here then ends, exit reason "migrated"), or fails with the VM
     * here running on as before. maxDowntimeMs (null: 300) bounds the last pause; bandwidth
     * (bytes/s, null or 0: unlimited) the link; autoConverge (null: off) throttles the vCPUs of a
     * guest that dirties memory faster than the link carries it, from autoConvergeInitial percent
     * (null: 20) up by autoConvergeIncrement (null: 10), as libvirt's auto_converge.* parameters;
     * compress (null: off) sends resent pages as deltas against their last sent copy, cached in
     * compressCacheBytes (null: 64 MiB; libvirt's --compressed with xbzrle, compression.xbzrle.cache);
     * copyStorage "all" or "inc" (null: shared storage) sends the writable disks' contents along
     * (--copy-storage-all, --copy-storage-inc) into the destination's images of the same size.
     */
    @JsonTypeName("jvirt-migrate")
    record JvirtMigrate(String uri, @JsonProperty("max-downtime-ms") Long maxDowntimeMs, Long bandwidth,
                        @JsonProperty("auto-converge") Boolean autoConverge,
                        @JsonProperty("auto-converge-initial") Integer autoConvergeInitial,
                        @JsonProperty("auto-converge-increment") Integer autoConvergeIncrement,
                        Boolean compress, @JsonProperty("compress-cache") Long compressCacheBytes,
                        @JsonProperty("copy-storage") String copyStorage) implements Command<MigrationStats> {
        public JvirtMigrate(String uri, Long maxDowntimeMs, Long bandwidth) {
            this(uri, maxDowntimeMs, bandwidth, null, null, null, null, null, null);
        }
        public JvirtMigrate {
            if (uri == null || !uri.startsWith("tcp:")) throw new IllegalArgumentException("jvirt-migrate needs a 'uri' tcp:HOST:PORT");
            if (maxDowntimeMs != null && maxDowntimeMs < 0) throw new IllegalArgumentException("jvirt-migrate: negative 'max-downtime-ms'");
            if (bandwidth != null && bandwidth < 0) throw new IllegalArgumentException("jvirt-migrate: negative 'bandwidth'");
            if (autoConvergeInitial != null && (autoConvergeInitial < 1 || autoConvergeInitial > 99)) {
                throw new IllegalArgumentException("jvirt-migrate: 'auto-converge-initial' must be 1-99");
            }
            if (autoConvergeIncrement != null && (autoConvergeIncrement < 1 || autoConvergeIncrement > 99)) {
                throw new IllegalArgumentException("jvirt-migrate: 'auto-converge-increment' must be 1-99");
            }
            if (compressCacheBytes != null && compressCacheBytes < 4096) {
                throw new IllegalArgumentException("jvirt-migrate: 'compress-cache' must be at least one page (4096)");
            }
            if (copyStorage != null && !copyStorage.equals("all") && !copyStorage.equals("inc")) {
                throw new IllegalArgumentException("jvirt-migrate: 'copy-storage' must be 'all' or 'inc'");
            }
        }
        public Class<MigrationStats> replyType() { return MigrationStats.class; }
    }

    /** Cancels the running jvirt-migrate (domjobabort): the VM here runs on. */
    @JsonTypeName("jvirt-migrate-cancel")
    record JvirtMigrateCancel() implements Command<Ack> {
        public Class<Ack> replyType() { return Ack.class; }
    }

    /** Deletes the internal snapshot name from every writable qcow2 disk that has it. */
    @JsonTypeName("jvirt-snapshot-delete")
    record JvirtSnapshotDelete(String name) implements Command<Ack> {
        public JvirtSnapshotDelete {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("jvirt-snapshot-delete needs a 'name'");
        }
        public Class<Ack> replyType() { return Ack.class; }
    }
}
