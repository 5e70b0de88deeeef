package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU time and placement of a VMM process and its vCPU threads, from /proc (as libvirt's qemu driver reads them). */
final class ProcStat {

    /** USER_HZ: the unit of utime/stime in /proc/PID/stat on Linux (always 100 for user space). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcStat() { }

    /** {cpu time in ns, processor last run on}; null when the process or thread is gone. */
    static long[] of(Path statFile) {
        try {
            String s = Files.readString(statFile);
            // fields after the command name (which may contain spaces) start after the last ')'
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime (14), stime (15)
            int cpu = Integer.parseInt(f[36]); // processor (39)
            return new long[] {ticks * NANOS_PER_TICK, cpu};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An exited process nobody has waited for yet (Java counts it alive): true for state Z. */
    static boolean zombie(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.charAt(s.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The process's resident set in KiB (rss, field 24, in pages, as libvirt's qemuGetProcessInfo reads it); -1 when it is gone. */
    static long rssKiB(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[21]) * 4; // 4 KiB pages on x86-64
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long processCpuNanos(long pid) {
        long[] v = of(Path.of("/proc", Long.toString(pid), "stat"));
        return v == null ? 0 : v[0];
    }

    /** The vCPU threads (named jvirt-vcpu-N by the VMM) as {index, cpu time ns, cpu}. */
    static List<long[]> vcpuThreads(long pid) {
        List<long[]> out = new ArrayList<>();
        Path task = Path.of("/proc", Long.toString(pid), "task");
        try (var dirs = Files.list(task)) {
            for (Path t : (Iterable<Path>) dirs::iterator) {
                String comm;
                try {
                    comm = Files.readString(t.resolve("comm")).trim();
                } catch (IOException e) {
                    continue;
                }
                if (!comm.startsWith("jvirt-vcpu-")) continue;
                long[] v = of(t.resolve("stat"));
                if (v != null) out.add(new long[] {Long.parseLong(comm.substring(11)), v[0], v[1]});
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        out.sort((a, b) -> Long.compare(a[0], b[0]));
        return out;
    }
}
