package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeStatistic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host files as libvirt's Linux code reads them, on fixed copies (two NUMA cells, DMI strings). */
class HostStatsTest {

    @TempDir
    Path dir;

    private HostStats fixture() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  100 5 40 1000 7 1 2 0 0 0\ncpu0 60 5 20 500 3 1 1 0 0 0\n"
                + "cpu1 40 0 20 500 4 0 1 0 0 0\nintr 1 2 3\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       16000000 kB\nMemFree:         9000000 kB\n"
                + "MemAvailable:   12000000 kB\nBuffers:          100000 kB\nCached:          2000000 kB\nSwapCached: 0 kB\n");
        Path nodes = dir.resolve("node");
        for (int n = 0; n < 2; n++) {
            Path node = Files.createDirectories(nodes.resolve("node" + n));
            Files.writeString(node.resolve("meminfo"), "Node " + n + " MemTotal:        8000000 kB\n"
                    + "Node " + n + " MemFree:         " + (4000000 + n) + " kB\nNode " + n + " MemUsed: 1 kB\n");
        }
        return new HostStats(proc, nodes);
    }

    @Test
    void cpuStatsAreProcStatInNanoseconds() throws Exception {
        HostStats h = fixture();
        // kernel = system + irq + softirq, user = user + nice, USER_HZ ticks of 10 ms
        assertEquals(List.of(new NodeStatistic("kernel", 430_000_000L), new NodeStatistic("user", 1_050_000_000L),
                new NodeStatistic("idle", 10_000_000_000L), new NodeStatistic("iowait", 70_000_000L)), h.cpuStats(-1));
        assertEquals(new NodeStatistic("user", 400_000_000L), h.cpuStats(1).get(1));
        LibvirtException e = assertThrows(LibvirtException.class, () -> h.cpuStats(2));
        assertEquals("Invalid cpuNum in virHostCPUGetStatsLinux", e.getMessage());
    }

    @Test
    void memoryStatsOfTheHostAndOfACell() throws Exception {
        HostStats h = fixture();
        assertEquals(List.of(new NodeStatistic("total", 16000000), new NodeStatistic("free", 9000000),
                new NodeStatistic("buffers", 100000), new NodeStatistic("cached", 2000000)), h.memoryStats(-1));
        assertEquals(List.of(new NodeStatistic("total", 8000000), new NodeStatistic("free", 4000001)), h.memoryStats(1));
        LibvirtException e = assertThrows(LibvirtException.class, () -> h.memoryStats(2));
        assertEquals("cellNum in virHostMemGetStats must be less than or equal to 1", e.getMessage());
    }

    @Test
    void freeMemoryPerCellInBytes() throws Exception {
        HostStats h = fixture();
        assertEquals(List.of(0, 1), h.cells());
        assertArrayEquals(new long[] {4000000L * 1024, 4000001L * 1024}, h.cellsFreeMemory(0, 8));
        assertArrayEquals(new long[] {4000001L * 1024}, h.cellsFreeMemory(1, 1));
        assertEquals(9000000L * 1024, h.freeMemory());
        LibvirtException e = assertThrows(LibvirtException.class, () -> h.cellsFreeMemory(2, 1));
        assertEquals("internal error: start cell 2 out of range (0-1)", e.getMessage());
    }

    @Test
    void withoutNumaTheHostIsCellZero() throws Exception {
        HostStats h = fixture();
        HostStats flat = new HostStats(dir.resolve("proc"), dir.resolve("no-such-node-dir"));
        assertEquals(List.of(0), flat.cells());
        assertEquals(h.memoryStats(-1), flat.memoryStats(0));
        assertArrayEquals(new long[] {9000000L * 1024}, flat.cellsFreeMemory(0, 1));
    }

    @Test
    void sysinfoFromDmiStrings() throws Exception {
        Path dmi = Files.createDirectories(dir.resolve("dmi"));
        Files.writeString(dmi.resolve("bios_vendor"), "SeaBIOS\n");
        Files.writeString(dmi.resolve("bios_version"), "1.16.2-debian-1.16.2-1\n");
        Files.writeString(dmi.resolve("bios_date"), "04/01/2014\n");
        Files.writeString(dmi.resolve("sys_vendor"), "QEMU & co\n");
        Files.writeString(dmi.resolve("product_name"), "Standard PC (i440FX + PIIX, 1996)\n");
        assertEquals("<sysinfo type='smbios'>\n  <bios>\n    <entry name='vendor'>SeaBIOS</entry>\n"
                + "    <entry name='version'>1.16.2-debian-1.16.2-1</entry>\n    <entry name='date'>04/01/2014</entry>\n"
                + "  </bios>\n  <system>\n    <entry name='manufacturer'>QEMU &amp; co</entry>\n"
                + "    <entry name='product'>Standard PC (i440FX + PIIX, 1996)</entry>\n  </system>\n</sysinfo>\n",
                Sysinfo.read(dmi));
        LibvirtException e = assertThrows(LibvirtException.class, () -> Sysinfo.read(dir.resolve("none")));
        assertEquals("unsupported configuration: Host SMBIOS information is not available", e.getMessage());
    }
}
