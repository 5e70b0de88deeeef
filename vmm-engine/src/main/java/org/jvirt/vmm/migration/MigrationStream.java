package org.jvirt.vmm.migration;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The migration stream, big-endian: the magic "JVMIGR02", the RAM size (u64, the target checks
 * it against its own), then records, each a type byte:
 * <ul>
 * <li>PAGES: u64 first page frame, u32 n, n x 4096 bytes</li>
 * <li>ZEROS: u64 first page frame, u32 n (pages that became zero since they were sent)</li>
 * <li>DELTA: u64 page frame, u16 length, a {@link PageDelta} over the target's copy of that page (--compressed)</li>
 * <li>DISKS: u32 n, n x (u32 disk index, u64 capacity): the disks whose blocks follow (storage migration)</li>
 * <li>DISK: u32 disk index, u64 offset, u32 length (at most 1 MiB), the bytes</li>
 * <li>DISK_ZEROES: u32 disk index, u64 offset, u32 length (at most 1 MiB): zeros there</li>
 * <li>STATE: u32 length, a machine-state file without RAM</li>
 * <li>END: the source is done; the target answers RUNNING + u64 microseconds since the epoch on its clock
 * when the guest ran there (or was taken over, held paused), or FAILED + u16 length + UTF-8 reason</li>
 * </ul>
 * Every count and length is checked against the RAM and the limits before anything is read or written.
 */
public final class MigrationStream {
    private MigrationStream() { }

    /**
     * JVIRT_MIGRATION_TRACE=1: the downtime's parts on stderr (the domain log), to see where it
     * goes. Here, in a class both sides load before the downtime: a destination that loaded
     * MigrationSource to read it spent ~1 ms of the downtime loading and verifying that class.
     */
    static final boolean TRACE = "1".equals(System.getenv("JVIRT_MIGRATION_TRACE"));
    static final byte[] MAGIC = "JVMIGR02".getBytes(StandardCharsets.US_ASCII);
    /** The magic without its two version digits. */
    private static final int MAGIC_NAME = 6;
    static final int PAGE = 4096;
    static final byte PAGES = 1, ZEROS = 2, STATE = 3, END = 4, DELTA = 5, DISKS = 6, DISK = 7, DISK_ZEROES = 8;
    static final byte RUNNING = 'R', FAILED = 'F';
    /** Pages per PAGES record (bounds the target's buffer). */
    static final int MAX_RUN = 256;
    /** The machine state without RAM is small (devices, vCPUs); a bigger one is a broken stream. */
    static final int MAX_STATE = 64 << 20;
    /**
     * How long either side waits for the other to take or send data before it gives the
     * migration up (a cut link, a peer that hangs): TCP alone would retry for many minutes.
     * The source then runs on and the target's VMM ends.
     */
    public static final int STALL_TIMEOUT_MS = 10_000;

    static void writeHeader(DataOutputStream out, long ramBytes) throws IOException {
        out.write(MAGIC);
        out.writeLong(ramBytes);
    }

    /** Reads and checks the header; returns the source's RAM size. */
    static long readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            if (java.util.Arrays.equals(magic, 0, MAGIC_NAME, MAGIC, 0, MAGIC_NAME)) {
                throw new MigrationException("the source sends migration stream version " + new String(magic, MAGIC_NAME, 2, StandardCharsets.US_ASCII)
                        + ", this jvirt reads version " + new String(MAGIC, MAGIC_NAME, 2, StandardCharsets.US_ASCII));
            }
            throw new MigrationException("not a jvirt migration stream (bad magic)");
        }
        return in.readLong();
    }

    /** The target's answer once the guest is its own: RUNNING and when, on its clock. */
    static void writeTakenOver(DataOutputStream out, long epochMicros) throws IOException {
        out.writeByte(RUNNING);
        out.writeLong(epochMicros);
        out.flush();
    }

    /** Now, in microseconds since the epoch (the wall clock: the two hosts' clocks are compared, as libvirt's downtime does). */
    static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    static void writeFailure(DataOutputStream out, String reason) throws IOException {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, 4000);
        out.writeByte(FAILED);
        out.writeShort(n);
        out.write(b, 0, n);
        out.flush();
    }
}
