package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.jvirt.vmm.protocol.MigrationStats;

/**
 * A domain's migration settings (libvirt keeps them in the qemu driver's private data; here
 * they are a small file beside the domain's status, so every client and the daemon see them)
 * and its last outgoing migration's figures (what domjobinfo --completed shows after it).
 */
final class MigrationSettings {
    /** QEMU's and libvirt's default maximum downtime, ms. */
    static final long DEFAULT_DOWNTIME_MS = 300;
    /** libvirt's QEMU_DOMAIN_MIG_BANDWIDTH_MAX (INT64_MAX / 1 MiB): "unlimited", in MiB/s. */
    static final long UNLIMITED_MIB = Long.MAX_VALUE / (1024 * 1024);

    private final Path file;
    private final Properties p = new Properties();

    private MigrationSettings(Path file) {
        this.file = file;
    }

    static MigrationSettings of(JvirtPaths paths, String name) throws IOException {
        MigrationSettings s = new MigrationSettings(paths.migrationFile(name));
        String text = AtomicFiles.readOrNull(s.file);
        if (text != null) s.p.load(new StringReader(text));
        return s;
    }

    long downtimeMs() {
        return number("downtime", DEFAULT_DOWNTIME_MS);
    }

    long speedMib() {
        return number("speed", UNLIMITED_MIB);
    }

    private long number(String key, long dflt) {
        try {
            String v = p.getProperty(key);
            return v == null ? dflt : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return dflt; // a damaged file: the defaults, as a fresh domain
        }
    }

    MigrationSettings downtime(long ms) {
        p.setProperty("downtime", Long.toString(ms));
        return this;
    }

    MigrationSettings speed(long mib) {
        p.setProperty("speed", Long.toString(mib));
        return this;
    }

    MigrationSettings lastMigration(MigrationStats s, long memoryBytes) {
        p.setProperty("last.downtime", Long.toString(s.downtimeMs()));
        p.setProperty("last.time", Long.toString(s.totalMs()));
        p.setProperty("last.transferred", Long.toString(s.transferred()));
        p.setProperty("last.memory", Long.toString(memoryBytes));
        p.setProperty("last.paused-at", Long.toString(s.pausedAtMs()));
        return this;
    }

    /**
     * The destination ran the guest at resumedAtMs (epoch ms, its clock): the whole downtime,
     * from the source's pause, replaces the source VMM's own figure (which ended at the
     * destination's answer, before a held guest was continued). Clocks out of step (a negative
     * or shorter span) leave the VMM's figure.
     */
    MigrationSettings destinationResumed(long resumedAtMs) {
        long pausedAt = number("last.paused-at", 0);
        long span = resumedAtMs - pausedAt;
        if (pausedAt > 0 && span > number("last.downtime", 0)) p.setProperty("last.downtime", Long.toString(span));
        return this;
    }

    /** The last outgoing migration's figures, or null. */
    MigrationStats lastMigration() {
        if (p.getProperty("last.time") == null) return null;
        return new MigrationStats(number("last.downtime", 0), number("last.time", 0), number("last.transferred", 0), 0, 0,
                number("last.paused-at", 0));
    }

    long lastMemory() {
        return number("last.memory", 0);
    }

    void save() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String k : new java.util.TreeSet<>(p.stringPropertyNames())) sb.append(k).append('=').append(p.getProperty(k)).append('\n');
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, sb.toString());
    }
}
