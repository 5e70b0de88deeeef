package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeStatistic;

/**
 * The host's CPU times, memory and NUMA cells as libvirt's Linux code reads them
 * (virHostCPUGetStatsLinux, virHostMemGetStats, virHostMemGetCellsFree): /proc/stat,
 * /proc/meminfo and /sys/devices/system/node. The roots are parameters so tests can use fixtures.
 */
final class HostStats {

    /** USER_HZ: /proc/stat counts in 1/100 s. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Path proc;
    private final Path nodes;

    HostStats(Path proc, Path sysNodes) {
        this.proc = proc;
        this.nodes = sysNodes;
    }

    static HostStats system() {
        return new HostStats(Path.of("/proc"), Path.of("/sys/devices/system/node"));
    }

    /** virHostCPUGetStatsLinux: kernel (system+irq+softirq), user (user+nice), idle, iowait in ns. */
    List<NodeStatistic> cpuStats(int cpuNum) throws LibvirtException {
        String header = cpuNum == -1 ? "cpu " : "cpu" + cpuNum + " ";
        for (String line : lines(proc.resolve("stat"))) {
            if (!line.startsWith(header)) continue;
            String[] f = line.trim().split("\\s+");
            long[] v = new long[7];
            for (int i = 0; i < 7 && i + 1 < f.length; i++) v[i] = Long.parseUnsignedLong(f[i + 1]);
            return List.of(new NodeStatistic("kernel", (v[2] + v[5] + v[6]) * NANOS_PER_TICK),
                    new NodeStatistic("user", (v[0] + v[1]) * NANOS_PER_TICK),
                    new NodeStatistic("idle", v[3] * NANOS_PER_TICK),
                    new NodeStatistic("iowait", v[4] * NANOS_PER_TICK));
        }
        throw org.jvirt.driver.api.LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE,
                "Invalid cpuNum in virHostCPUGetStatsLinux");
    }

    /** virHostMemGetStats: total, free, buffers, cached (KiB) of the host, or total and free of one cell. */
    List<NodeStatistic> memoryStats(int cellNum) throws LibvirtException {
        int maxNode = maxNode();
        if (maxNode < 0 && cellNum == 0) cellNum = -1;  // no NUMA: cell 0 is the whole host
        Path file;
        int wanted;
        if (cellNum == -1) {
            file = proc.resolve("meminfo");
            wanted = 4;
        } else {
            if (cellNum > maxNode) {
                throw LibvirtException.unprefixed(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE,
                        "cellNum in virHostMemGetStats must be less than or equal to " + Math.max(maxNode, 0));
            }
            file = nodes.resolve("node" + cellNum).resolve("meminfo");
            wanted = 2;
        }
        String[][] fields = {{"MemTotal:", "total"}, {"MemFree:", "free"}, {"Buffers:", "buffers"}, {"Cached:", "cached"}};
        List<NodeStatistic> out = new ArrayList<>();
        for (String line : lines(file)) {
            String l = line.startsWith("Node ") ? line.substring(line.indexOf(' ', 5) + 1) : line;
            String[] f = l.trim().split("\\s+");
            if (f.length < 2) continue;
            for (int j = 0; j < wanted; j++) {
                if (f[0].equals(fields[j][0])) out.add(new NodeStatistic(fields[j][1], Long.parseLong(f[1])));
            }
            if (out.size() >= wanted) break;
        }
        if (out.isEmpty()) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE, "no available memory line found");
        }
        return out;
    }

    /** The NUMA cells' ids; one cell 0 (the whole host) when the kernel shows none. */
    List<Integer> cells() {
        List<Integer> ids = new ArrayList<>();
        try (var dirs = Files.list(nodes)) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                String n = p.getFileName().toString();
                if (n.matches("node\\d+")) ids.add(Integer.parseInt(n.substring(4)));
            }
        } catch (IOException e) {
            // no NUMA information
        }
        if (ids.isEmpty()) ids.add(0);
        ids.sort(null);
        return ids;
    }

    /** Free bytes of the cells from startCell on (virNodeGetCellsFreeMemory). */
    long[] cellsFreeMemory(int startCell, int maxCells) throws LibvirtException {
        List<Integer> cells = cells();
        int last = cells.get(cells.size() - 1);
        if (startCell > last) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE,
                    "start cell " + startCell + " out of range (0-" + last + ")");
        }
        int n = Math.max(0, Math.min(maxCells, last - startCell + 1));
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = cellFree(startCell + i);
        return out;
    }

    private long cellFree(int cell) throws LibvirtException {
        Path file = nodes.resolve("node" + cell).resolve("meminfo");
        if (!Files.exists(file)) return freeMemory();
        for (NodeStatistic s : memoryStats(cell)) if (s.field().equals("free")) return s.value() * 1024;
        return 0;
    }

    /** Free bytes of the host (virNodeGetFreeMemory). */
    long freeMemory() throws LibvirtException {
        for (NodeStatistic s : memoryStats(-1)) if (s.field().equals("free")) return s.value() * 1024;
        return 0;
    }

    /** The highest NUMA node id, -1 when the kernel shows no NUMA nodes. */
    private int maxNode() {
        List<Integer> ids = new ArrayList<>();
        try (var dirs = Files.list(nodes)) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                String n = p.getFileName().toString();
                if (n.matches("node\\d+")) ids.add(Integer.parseInt(n.substring(4)));
            }
        } catch (IOException e) {
            return -1;
        }
        return ids.stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    private static List<String> lines(Path file) throws LibvirtException {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE,
                    "cannot open " + file + ": " + e.getMessage());
        }
    }
}
