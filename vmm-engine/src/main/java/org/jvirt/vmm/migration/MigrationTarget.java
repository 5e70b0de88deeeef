package org.jvirt.vmm.migration;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.memory.MmapGuestMemory;

/**
 * The receiving side: a machine built for a restore ({@link Machine#createForRestore}, started
 * paused) takes the pages into its RAM, then the state, then runs (or stays paused as the source
 * was) and says so. Every record is checked against this machine's RAM before anything is
 * written; a bad stream fails the migration (the source then resumes) and this machine must be
 * discarded.
 */
public final class MigrationTarget {
    private MigrationTarget() { }

    /**
     * Returns once the guest runs here (true), or stays paused as it was on the source or held (false);
     * throws (after telling the source, where it can) when it cannot.
     */
    public static boolean receive(Machine m, Socket socket, MigrationProgress progress) throws IOException, InterruptedException {
        return receive(m, socket, progress, Arrival.runOn(m));
    }

    /** As {@link #receive(Machine, Socket, MigrationProgress)}, with arrival deciding whether the guest runs here now. */
    public static boolean receive(Machine m, Socket socket, MigrationProgress progress, Arrival arrival) throws IOException, InterruptedException {
        StallGuard guard = new StallGuard(socket, MigrationStream.STALL_TIMEOUT_MS);
        RecordInput records = new RecordInput(socket.getInputStream(), socket.getChannel(), guard);
        DataInputStream in = new DataInputStream(records);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        MmapGuestMemory mem = m.memory();
        progress.ramTotal.set(mem.size());
        socket.setSoTimeout(MigrationStream.STALL_TIMEOUT_MS);
        try {
            long ram = MigrationStream.readHeader(in);
            if (ram != mem.size()) {
                throw new MigrationException("the source's RAM (" + ram + " bytes) differs from this machine's (" + mem.size() + " bytes)");
            }
            byte[] buf = new byte[MigrationStream.MAX_RUN * MigrationStream.PAGE];
            byte[] delta = new byte[PageDelta.LIMIT];
            DiskReceiver disks = new DiskReceiver(m);
            while (true) {
                int type = in.read();
                switch (type) {
                    case MigrationStream.PAGES -> {
                        long pfn = in.readLong();
                        int n = in.readInt();
                        long gpa = checkedRange(mem, pfn, n);
                        java.nio.ByteBuffer view = records.direct() ? mem.view(gpa, n * MigrationStream.PAGE) : null;
                        if (view != null) {
                            records.readFully(view); // from the socket straight into RAM
                            mem.wroteThroughView(gpa, (long) n * MigrationStream.PAGE);
                        } else {
                            in.readFully(buf, 0, n * MigrationStream.PAGE);
                            mem.write(gpa, buf, 0, n * MigrationStream.PAGE);
                        }
                        progress.pagesSent.addAndGet(n);
                        progress.ramTransferred.addAndGet((long) n * MigrationStream.PAGE);
                    }
                    case MigrationStream.DISKS -> disks.readLayout(in);
                    case MigrationStream.DISK -> disks.readBlocks(in);
                    case MigrationStream.DISK_ZEROES -> disks.readZeroes(in);
                    case MigrationStream.DELTA -> {
                        long gpa = checkedRange(mem, in.readLong(), 1);
                        int len = in.readUnsignedShort();
                        if (len >= PageDelta.LIMIT) throw new MigrationException("bad page delta of " + len + " bytes");
                        in.readFully(delta, 0, len);
                        mem.read(gpa, buf, 0, MigrationStream.PAGE);
                        PageDelta.apply(delta, len, buf, 0);
                        mem.write(gpa, buf, 0, MigrationStream.PAGE);
                        progress.deltaPages.incrementAndGet();
                    }
                    case MigrationStream.ZEROS -> {
                        long pfn = in.readLong();
                        int n = in.readInt();
                        if (n < 0 || n > (1 << 24)) throw new MigrationException("bad zero-page run of " + n + " pages");
                        zero(mem, pfn, n);
                    }
                    case MigrationStream.STATE -> {
                        int len = in.readInt();
                        if (len < 0 || len > MigrationStream.MAX_STATE) throw new MigrationException("bad machine state length " + len);
                        byte[] state = new byte[len];
                        in.readFully(state);
                        long t0 = System.nanoTime();
                        MachineStateFile.restoreWithoutRam(m, state); // in memory: no file calls in the downtime
                        if (MigrationStream.TRACE) System.err.printf("jvirt-vmm: migration state (%d bytes) loaded in %.1f ms%n", len, (System.nanoTime() - t0) / 1e6);
                    }
                    case MigrationStream.END -> {
                        boolean running = in.readBoolean();
                        disks.flush();
                        long t0 = System.nanoTime();
                        boolean runs = arrival.arrived(running);
                        long takenOver = MigrationStream.epochMicros(); // the downtime's end: the guest runs here (or is held)
                        MigrationStream.writeTakenOver(out, takenOver);
                        if (MigrationStream.TRACE) System.err.printf("jvirt-vmm: resumed in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
                        return runs;
                    }
                    case -1 -> throw new EOFException("the source closed the connection before the end of the migration");
                    default -> throw new MigrationException("unknown migration record type " + type);
                }
            }
        } catch (IOException | RuntimeException caught) {
            Exception e = caught instanceof java.net.SocketTimeoutException || guard.stalled() ? new MigrationException("the source sent nothing for "
                    + MigrationStream.STALL_TIMEOUT_MS / 1000 + " s (the network or the source is gone)", caught) : caught;
            try {
                MigrationStream.writeFailure(out, e.getMessage() == null ? e.toString() : e.getMessage());
            } catch (IOException ignored) {
                // the source is gone: it resumes on its own
            }
            if (e instanceof IOException io) throw io;
            throw new MigrationException("incoming migration failed: " + e.getMessage(), e);
        } finally {
            guard.close();
        }
    }

    /** The guest address of a PAGES run, after checking it lies in RAM. */
    private static long checkedRange(MmapGuestMemory mem, long pfn, int n) throws MigrationException {
        if (n <= 0 || n > MigrationStream.MAX_RUN) throw new MigrationException("bad page run of " + n + " pages");
        if (pfn < 0 || pfn > Long.MAX_VALUE / MigrationStream.PAGE) throw new MigrationException("bad page frame " + pfn);
        long gpa = pfn * MigrationStream.PAGE;
        if (!mem.isValidRange(gpa, (long) n * MigrationStream.PAGE)) {
            throw new MigrationException(String.format("pages 0x%x+%d lie outside this machine's RAM", gpa, n));
        }
        return gpa;
    }

    private static void zero(MmapGuestMemory mem, long pfn, int n) throws MigrationException {
        byte[] zeros = new byte[MigrationStream.PAGE];
        for (int i = 0; i < n; i++) {
            long gpa = checkedRange(mem, pfn + i, 1);
            mem.write(gpa, zeros, 0, zeros.length);
        }
    }
}
