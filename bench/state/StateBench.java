import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineStateFile;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jvirt's side of the machine-state benchmarks on the `ticker` test guest (1 vCPU, KVM). Prints
 * "key=value" lines for bench/state-bench.py, which runs QEMU beside it and prints the tables.
 * <ul>
 * <li>{@code warm ELF DIR RUNS MiB...}: one VMM process (this JVM, warmed up on a 64 MiB guest):
 * per size, save (pause + MachineStateFile.save until the file is in place) and RUNS restores
 * into one paused machine, each timed from the load request (MachineStateFile.restore) until
 * Machine.resume has set the vCPUs running; paused again between runs, and ticking on at the end.</li>
 * <li>{@code save ELF FILE MiB}: a fresh VMM process boots the guest to "tick 3" and saves once (cold).</li>
 * <li>{@code restore ELF FILE MiB LAST}: a fresh VMM process sets up the paused machine as
 * jvirt-vmm --restore does (no boot image; the restore path primed on its own state), prints "ready" (the end of its process start, timed by the caller),
 * then restores once (cold: the first restore this JVM runs) and resumes; the guest must print
 * "tick LAST+1" and more.</li>
 * <li>{@code snapshot ROOT DOMAIN_XML SERIAL RUNS}: the driver API on jvirt:///embed?root=ROOT:
 * define and start the domain, then RUNS times a full-system internal snapshot (snapshotCreateXML:
 * the VMM pauses, takes the qcow2 disk's internal snapshot, writes its state file, resumes) and a
 * revert to it (revertToSnapshot: the driver stops the VMM, reverts the disk, starts a new VMM
 * from the state file), the ticks jumping back to the snapshot point and going on.</li>
 * </ul>
 */
public class StateBench {
    static final Pattern TICK = Pattern.compile("tick (\\d+)\n");

    public static void main(String[] args) throws Exception {
        long jvmToMain = ManagementFactory.getRuntimeMXBean().getUptime();
        switch (args[0]) {
            case "warm" -> warm(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Arrays.copyOfRange(args, 4, args.length));
            case "save" -> coldSave(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]));
            case "restore" -> coldRestore(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]), jvmToMain);
            case "snapshot" -> snapshots(Path.of(args[1]), Files.readString(Path.of(args[2])), Path.of(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0); // the driver's and machines' daemon threads need not be waited for
    }

    static void warm(Path elf, Path dir, int runs, String[] sizes) throws Exception {
        warmSize(elf, dir, runs, 64, false); // JIT and class loading, not printed
        for (String s : sizes) warmSize(elf, dir, runs, Long.parseLong(s), true);
    }

    static void warmSize(Path elf, Path dir, int runs, long mib, boolean print) throws Exception {
        Path file = dir.resolve("ticker-" + mib + ".state");
        InMemorySerialBackend a = new InMemorySerialBackend();
        long saveNs;
        try (Machine m = Machine.create(config(elf, mib, a))) {
            m.start();
            org.jvirt.vmm.machine.StateCodeWarmup.startInBackground(); // as jvirt-vmm does once its VM runs
            await(a, "tick 3\n");
            long t0 = System.nanoTime();
            m.pause();
            MachineStateFile.save(m, file);
            saveNs = System.nanoTime() - t0;
        }
        long[] restoreNs = new long[runs];
        InMemorySerialBackend b = new InMemorySerialBackend();
        try (Machine m = Machine.create(config(elf, mib, b))) {
            m.start(true);
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                MachineStateFile.restore(m, file);
                m.resume();
                restoreNs[r] = System.nanoTime() - t0;
                m.pause();
            }
            m.resume();
            await(b, "tick " + (lastTick(a.output()) + 2) + "\n");
        }
        Arrays.sort(restoreNs);
        long size = Files.size(file), alloc = allocated(file);
        Files.delete(file);
        if (print) System.out.printf("warm mib=%d file_mib=%d alloc_mib=%.1f save_ms=%.2f restore_ms=%.3f restore_min_ms=%.3f restore_max_ms=%.3f ticked=yes%n",
                mib, size >> 20, alloc / 1048576.0, saveNs / 1e6, restoreNs[runs / 2] / 1e6, restoreNs[0] / 1e6, restoreNs[runs - 1] / 1e6);
    }

    static void coldSave(Path elf, Path file, long mib) throws Exception {
        InMemorySerialBackend a = new InMemorySerialBackend();
        try (Machine m = Machine.create(config(elf, mib, a))) {
            m.start();
            org.jvirt.vmm.machine.StateCodeWarmup.startInBackground(); // as jvirt-vmm does once its VM runs
            await(a, "tick 3\n");
            long c0 = cpuNs(), t0 = System.nanoTime();
            m.pause();
            MachineStateFile.save(m, file);
            long ns = System.nanoTime() - t0, cpu = cpuNs() - c0;
            System.out.printf("save mib=%d save_ms=%.2f save_cpu_ms=%.1f last_tick=%d alloc_mib=%.1f%n", mib, ns / 1e6, cpu / 1e6,
                    lastTick(a.output()), allocated(file) / 1048576.0);
        }
    }

    static void coldRestore(Path elf, Path file, long mib, int last, long jvmToMain) throws Exception {
        InMemorySerialBackend b = new InMemorySerialBackend();
        long t0 = System.nanoTime();
        try (Machine m = Machine.createForRestore(config(elf, mib, b))) {
            m.startForRestore(); // as jvirt-vmm --restore: no boot image, then primed before its load request
            MachineStateFile.primeRestore(m); // as jvirt-vmm --restore does before its load request
            long setupNs = System.nanoTime() - t0;
            System.out.println("ready");
            System.out.flush();
            long c1 = cpuNs(), t1 = System.nanoTime();
            MachineStateFile.restore(m, file);
            m.resume();
            long ns = System.nanoTime() - t1, cpu = cpuNs() - c1;
            await(b, "tick " + (last + 2) + "\n");
            // the save may have cut "tick N+1" in the middle of the line: then the first whole line here is tick N+2
            int first = firstTick(b.output());
            if (first != last + 1 && first != last + 2) throw new IllegalStateException("resumed at tick " + first + ", saved after tick " + last);
            System.out.printf("restore mib=%d jvm_to_main_ms=%d setup_ms=%.1f restore_ms=%.3f restore_cpu_ms=%.1f first_tick=%d%n",
                    mib, jvmToMain, setupNs / 1e6, ns / 1e6, cpu / 1e6, first);
        }
    }

    static void snapshots(Path root, String xml, Path serial, int runs) throws Exception {
        Connect c = new Connect("jvirt:///embed?root=" + root);
        Domain d = c.domainDefineXML(xml);
        d.create();
        try {
            awaitFile(serial, 3, 0);
            for (int r = 0; r < runs; r++) {
                int before = lastTick(text(serial));
                long t0 = System.nanoTime();
                d.snapshotCreateXML("<domainsnapshot><name>s" + r + "</name></domainsnapshot>");
                long createNs = System.nanoTime() - t0;
                int after = lastTick(text(serial));
                awaitFile(serial, after + 3, 0);
                int mark = text(serial).length();
                t0 = System.nanoTime();
                d.revertToSnapshot(d.snapshotLookupByName("s" + r));
                long revertNs = System.nanoTime() - t0;
                // the old VMM may print a tick or two more before it is stopped; then the new one goes on from the snapshot point
                String since = awaitFile(serial, -1, mark);
                int resumed = firstAtMost(since, after + 1);
                if (resumed > after + 1 || resumed < before + 1) throw new IllegalStateException("revert resumed at tick " + resumed + ", snapshot between " + before + " and " + after);
                System.out.printf("snapshot run=%d create_ms=%.1f revert_ms=%.1f resumed_tick=%d snapshot_tick=%d%n", r, createNs / 1e6, revertNs / 1e6, resumed, after);
            }
        } finally {
            d.destroy();
            c.close();
        }
    }

    /** Waits until the serial file shows tick atLeast (-1: four ticks after position from); returns the text after from. */
    static String awaitFile(Path serial, int atLeast, int from) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String all = text(serial);
            String s = all.length() > from ? all.substring(from) : "";
            Matcher m = TICK.matcher(s);
            int n = 0, last = -1;
            while (m.find()) { n++; last = Integer.parseInt(m.group(1)); }
            if (atLeast < 0 ? n >= 4 : last >= atLeast) return s;
            Thread.sleep(20);
        }
        throw new IllegalStateException("no tick " + atLeast + " on " + serial);
    }

    static String text(Path serial) throws Exception {
        return Files.exists(serial) ? Files.readString(serial).replace("\r\n", "\n") : "";
    }

    static MachineConfig config(Path elf, long mib, InMemorySerialBackend serial) {
        return MachineConfig.of(elf).withMemory(mib << 20).withVcpus(1).withSerial(new MachineConfig.Serial.Custom(serial));
    }

    static void await(InMemorySerialBackend s, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!s.output().replace("\r\n", "\n").contains(text)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no '" + text.trim() + "': " + s.output());
            Thread.sleep(5);
        }
    }

    static int lastTick(String out) {
        Matcher m = TICK.matcher(out.replace("\r\n", "\n"));
        int last = 0;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    static int firstTick(String out) {
        Matcher m = TICK.matcher(out.replace("\r\n", "\n"));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static int firstAtMost(String out, int max) {
        Matcher m = TICK.matcher(out);
        while (m.find()) if (Integer.parseInt(m.group(1)) <= max) return Integer.parseInt(m.group(1));
        return -1;
    }

    /**
     * CPU time of this process's threads so far, in ns (the first field of each
     * /proc/self/task/T/schedstat): unlike wall time it does not count waiting for a busy CPU.
     * Includes the JIT compiler's and GC's threads, which a cold VMM needs.
     */
    static long cpuNs() throws Exception {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    sum += Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }

    static long allocated(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] f = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        p.waitFor();
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }
}
