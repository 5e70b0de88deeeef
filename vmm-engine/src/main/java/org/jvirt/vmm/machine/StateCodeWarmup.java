package org.jvirt.vmm.machine;

import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.RamRange;
import org.jvirt.vmm.state.SectionInput;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the state file code (writer, RAM section with its page map, reader and validation, the
 * copy-on-write mapping) once on a small throw-away memory, on a background thread of low
 * priority right after a VMM starts, so that the first save or snapshot of the VM does not
 * pay a fresh JVM's class loading and interpretation of that code (a save at 1 GiB measured
 * roughly 2x faster after it). Nothing of the VM is touched; a failure only costs the warm-up.
 */
public final class StateCodeWarmup {
    private StateCodeWarmup() { }

    private static final long SIZE = 2L << 20;

    /** Where the warm-ups write their throw-away state files: memory-backed /dev/shm where there is one. */
    public static Path scratchDir() {
        return Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Starts the warm-up thread (a daemon: it never holds the VMM up). */
    public static void startInBackground() {
        startInBackground(null);
    }

    /**
     * The same, then the save and restore code without RAM (vCPUs, platform, devices: what a
     * live migration's downtime runs) on a throw-away machine like the running one (same
     * accelerator and vCPU count, 2 MiB, no disks, never run), so that a first migration's
     * stop-and-copy does not pay for a cold JVM (measured at 1 GiB: the source's state ~15-30 ms
     * cold against a few ms warm).
     */
    public static void startInBackground(MachineConfig like) {
        Thread t = new Thread(() -> {
            runQuietly();
            if (like != null) warmMachineQuietly(like);
        }, "jvirt-state-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void runQuietly() {
        try {
            run();
        } catch (Exception | LinkageError e) {
            // only the warm-up is lost: the first save runs cold
        }
    }

    private static void warmMachineQuietly(MachineConfig like) {
        try {
            warmMachine(like);
        } catch (Exception | LinkageError e) {
            // only the warm-up is lost
        }
    }

    /** A machine config like the given one (accelerator, vCPUs), 2 MiB, no disks, no NICs (no second tap), its serial kept in memory. */
    static MachineConfig throwAwayLike(MachineConfig like) {
        return like.withMemory(SIZE).withDisks(List.of()).withNics(List.of())
                .withSerial(new MachineConfig.Serial.Custom(new org.jvirt.vmm.devices.serial.InMemorySerialBackend()));
    }

    static void warmMachine(MachineConfig like) throws Exception {
        try (Machine m = Machine.createForRestore(throwAwayLike(like))) {
            m.startForRestore();
            MachineStateFile.primeIncoming(m);
        }
    }

    static void run() throws Exception {
        Path file = Files.createTempFile(scratchDir(), "jvirt-warmup-", ".state");
        List<RamRange> ranges = List.of(new RamRange(0, SIZE));
        try (MmapGuestMemory mem = MmapGuestMemory.anonymous(ranges); MmapGuestMemory back = MmapGuestMemory.anonymous(ranges)) {
            for (long a = 0; a < SIZE; a += 8192) mem.writeByte(a, (byte) 1);
            try (StateWriter w = StateWriter.create(file)) {
                w.optionalSection(MachineStateFile.DOMAIN_XML, 1, out -> out.fixedBytes(new byte[] {'<', '/', '>'}));
                w.section("warmup", 1, out -> out.u8(1).u16(2).u32(3).u64(4).string("warm"));
                w.rawSection(MachineStateFile.RAM, MachineStateFile.RAM_VERSION, mem.size(), sink -> RamSection.write(mem, sink, new SaveProgress(mem.size())));
                w.commit();
            }
            try (StateReader r = StateReader.open(file, id -> true)) {
                SectionInput in = r.section("warmup");
                in.u8();
                in.u16();
                in.u32();
                in.u64();
                in.string(16);
                RamSection.map(back, file, r.raw(MachineStateFile.RAM).payloadOffset());
            }
            back.readByte(0);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
