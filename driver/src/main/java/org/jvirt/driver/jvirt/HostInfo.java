package org.jvirt.driver.jvirt;

import org.jvirt.driver.jvirt.firmware.MachineTypes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.NodeInfo;

/** The host as the driver reports it: node info and capabilities, read from /proc. */
final class HostInfo {

    private HostInfo() { }

    static NodeInfo nodeInfo() {
        int cpus = Runtime.getRuntime().availableProcessors();
        int mhz = 0;
        long memKiB = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("cpu MHz")) {
                    mhz = (int) Double.parseDouble(l.substring(l.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) memKiB = Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // report what is known
        }
        return new NodeInfo(System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"),
                memKiB, cpus, mhz, 1, 1, cpus, 1);
    }

    /**
     * The host and its one guest architecture, x86_64, with the virt types this host runs as
     * libvirt lists them in one {@code <arch>}: qemu (the emulator) and kvm (when /dev/kvm opens).
     * A host with neither has no guest.
     */
    /** The machines jvirt-vmm builds, as libvirt lists QEMU 7.2's: the versioned name, then the alias naming it canonical. */
    static final String MACHINES = "      <machine maxCpus='" + DomainCapsXml.MAX_VCPUS + "'>" + MachineTypes.PC + "</machine>\n"
            + "      <machine canonical='" + MachineTypes.PC + "' maxCpus='" + DomainCapsXml.MAX_VCPUS + "'>pc</machine>\n"
            + "      <machine maxCpus='" + DomainCapsXml.MAX_VCPUS + "'>" + MachineTypes.Q35 + "</machine>\n"
            + "      <machine canonical='" + MachineTypes.Q35 + "' maxCpus='" + DomainCapsXml.MAX_VCPUS + "'>q35</machine>\n";

    static String capabilities(String hostname, VirtTypes.Host host) {
        NodeInfo n = nodeInfo();
        StringBuilder b = new StringBuilder("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>").append(n.model)
                .append("</arch>\n      <topology sockets='1' dies='1' cores='").append(n.cpus).append("' threads='1'/>\n")
                .append("    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n")
                .append(topology(n.cpus)).append("  </host>\n\n");
        List<String> types = host.types();
        if (!types.isEmpty()) {
            b.append("  <guest>\n    <os_type>hvm</os_type>\n    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n")
                    .append("      <emulator>jvirt-vmm</emulator>\n").append(MACHINES);
            for (String type : types) b.append("      <domain type='").append(type).append("'/>\n");
            b.append("    </arch>\n")
                    .append("    <features>\n      <acpi default='on' toggle='yes'/>\n      <apic default='on' toggle='no'/>\n")
                    .append("    </features>\n  </guest>\n\n");
        }
        return b.append("</capabilities>\n").toString();
    }

    /**
     * The NUMA cells as libvirt lists them (memory and CPUs of each), from
     * /sys/devices/system/node; one cell with the whole host when the kernel shows none.
     */
    static String topology(int hostCpus) {
        HostStats host = HostStats.system();
        List<Integer> cells = host.cells();
        StringBuilder b = new StringBuilder("    <topology>\n      <cells num='").append(cells.size()).append("'>\n");
        for (int id : cells) {
            long kib = 0;
            try {
                for (var s : host.memoryStats(id)) if (s.field().equals("total")) kib = s.value();
            } catch (org.jvirt.driver.api.LibvirtException e) {
                // a cell without memory information: shown with 0
            }
            List<Integer> cpus = cellCpus(id, hostCpus);
            b.append("        <cell id='").append(id).append("'>\n")
                    .append("          <memory unit='KiB'>").append(kib).append("</memory>\n")
                    .append("          <cpus num='").append(cpus.size()).append("'>\n");
            for (int c : cpus) b.append("            <cpu id='").append(c).append("'/>\n");
            b.append("          </cpus>\n        </cell>\n");
        }
        return b.append("      </cells>\n    </topology>\n").toString();
    }

    /** The CPUs of a cell from its cpulist ("0-3,8"), or all host CPUs without one. */
    private static List<Integer> cellCpus(int cell, int hostCpus) {
        List<Integer> out = new java.util.ArrayList<>();
        try {
            String list = Files.readString(Path.of("/sys/devices/system/node/node" + cell + "/cpulist")).trim();
            for (String part : list.split(",")) {
                if (part.isEmpty()) continue;
                String[] r = part.split("-");
                int lo = Integer.parseInt(r[0]);
                int hi = r.length > 1 ? Integer.parseInt(r[1]) : lo;
                for (int c = lo; c <= hi; c++) out.add(c);
            }
        } catch (IOException | RuntimeException e) {
            for (int c = 0; c < hostCpus; c++) out.add(c);
        }
        return out;
    }

    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** This boot's id: a change means the host rebooted since the value was stored. */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The real uid of this process (from /proc/self/status), -1 when unknown. */
    static long uid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return Long.parseLong(l.substring(4).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }
}
