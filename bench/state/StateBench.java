import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineStateFile;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Save and restore wall time of the ticker guest at several RAM sizes, inside one VMM process:
 * save = MachineStateFile.save of the paused machine (until the file is renamed into place);
 * restore = MachineStateFile.restore into a paused machine of the same shape, from the call
 * (the load request) until it returns with RAM mapped and platform, device and vCPU state
 * imported (the vCPUs ready to run). Each restore is repeated into the same paused machine;
 * afterwards the machine is resumed and must tick on, so the timed restores were real ones.
 * Usage: java -cp CLASSES:LIB/* RestoreBench.java TICKER_ELF WORKDIR RUNS MiB...
 */
public class RestoreBench {
    public static void main(String[] args) throws Exception {
        long jvmToMain = ManagementFactory.getRuntimeMXBean().getUptime();
        Path elf = Path.of(args[0]), dir = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        System.out.printf("JVM start to main: %d ms (with the source launcher compiling this file; not part of the figures below)%n", jvmToMain);
        // warm-up (JIT, class loading): a small guest through the same steps, not printed
        run(elf, dir, runs, 64);
        System.out.println("| guest RAM | file size / allocated | save | restore median (min-max of " + runs + ") |");
        System.out.println("|---|---|---|---|");
        for (int i = 3; i < args.length; i++) System.out.println(run(elf, dir, runs, Long.parseLong(args[i])));
    }

    /** One size: returns its table row. */
    static String run(Path elf, Path dir, int runs, long mib) throws Exception {
        Path file = dir.resolve("ticker-" + mib + ".state");
        InMemorySerialBackend a = new InMemorySerialBackend();
        long saveNs;
        try (Machine m = Machine.create(config(elf, mib, a))) {
            m.start();
            await(a, "tick 3\n");
            m.pause();
            long t0 = System.nanoTime();
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
                restoreNs[r] = System.nanoTime() - t0;
            }
            m.resume();
            int at = lastTick(a.output());
            await(b, "tick " + (at + 2) + "\n");
        }
        Arrays.sort(restoreNs);
        long size = Files.size(file), alloc = allocated(file);
        Files.delete(file);
        return String.format("| %s | %d MiB / %.1f MiB | %.0f ms | %.2f ms (%.2f-%.2f) |",
                mib >= 1024 ? (mib / 1024) + " GiB" : mib + " MiB", size >> 20, alloc / 1048576.0,
                saveNs / 1e6, restoreNs[runs / 2] / 1e6, restoreNs[0] / 1e6, restoreNs[runs - 1] / 1e6);
    }

    static MachineConfig config(Path elf, long mib, InMemorySerialBackend serial) {
        return MachineConfig.of(elf).withMemory(mib << 20).withVcpus(1).withSerial(new MachineConfig.Serial.Custom(serial));
    }

    static void await(InMemorySerialBackend s, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!s.output().replace("\r\n", "\n").contains(text)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no '" + text.trim() + "': " + s.output());
            Thread.sleep(10);
        }
    }

    static int lastTick(String out) {
        var m = java.util.regex.Pattern.compile("tick (\\d+)").matcher(out);
        int last = 0;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    static long allocated(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] f = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        p.waitFor();
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }
}
