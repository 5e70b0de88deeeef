package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeStatistic;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.Catalogue;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Host queries: domcapabilities, sysinfo, freecell, nodememstats, nodecpustats. */
final class NodeCommands {

    private NodeCommands() { }

    static List<CmdDef> all() {
        String host = HostCommands.HOST;
        return List.of(
                Catalogue.command("domcapabilities", NodeCommands::domcapabilities),
                new CmdDef("sysinfo", host, "print the hypervisor sysinfo",
                        "output an XML string for the hypervisor sysinfo, if available", List.of(), NodeCommands::sysinfo),
                new CmdDef("freecell", host, "NUMA free memory", "display available free memory for the NUMA cell.",
                        List.of(new OptDef("cellno", OptType.INT, false, false, "NUMA cell number"),
                                bool("all", "show free memory for all NUMA cells")), NodeCommands::freecell),
                new CmdDef("nodememstats", host, "Prints memory stats of the node.",
                        "Returns memory stats of the node, in kilobytes.",
                        List.of(new OptDef("cell", OptType.INT, false, false, "prints specified cell statistics only.")),
                        NodeCommands::nodememstats),
                new CmdDef("nodecpustats", host, "Prints cpu stats of the node.",
                        "Returns cpu stats of the node, in nanoseconds.",
                        List.of(new OptDef("cpu", OptType.INT, false, false, "prints specified cpu statistics only."),
                                bool("percent", "prints by percentage during 1 second.")), NodeCommands::nodecpustats));
    }

    private static boolean domcapabilities(Vsh vsh, Cmd cmd) throws LibvirtException {
        String caps;
        try {
            caps = vsh.conn().getDomainCapabilities(cmd.get("emulatorbin"), cmd.get("arch"), cmd.get("machine"),
                    cmd.get("virttype"), 0);
        } catch (LibvirtException e) {
            return vsh.fail("failed to get emulator capabilities", e);
        }
        vsh.print(caps + "\n");
        return true;
    }

    private static boolean sysinfo(Vsh vsh, Cmd cmd) throws LibvirtException {
        String s;
        try {
            s = vsh.conn().getSysinfo();
        } catch (LibvirtException e) {
            return vsh.fail("failed to get sysinfo", e);
        }
        vsh.print(s);
        return true;
    }

    private static boolean freecell(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "all", "cellno")) return false;
        int cell;
        try {
            cell = Options.integer(vsh, cmd, "cellno", -1);
        } catch (Options.Invalid e) {
            return false;
        }
        Connect c = vsh.conn();
        if (cmd.flag("all")) {
            Element root = MonitorCommands.parse(c.getCapabilities());
            NodeList cells = root.getElementsByTagName("cell");
            StringBuilder b = new StringBuilder();
            long total = 0;
            for (int i = 0; i < cells.getLength(); i++) {
                Element e = (Element) cells.item(i);
                int id = Integer.parseInt(e.getAttribute("id"));
                long[] free = c.cellsFreeMemory(id, 1);
                if (free.length != 1) {
                    vsh.error("failed to get free memory for NUMA node number: " + id);
                    return false;
                }
                b.append(String.format("%5d: %10s KiB", id, Long.toUnsignedString(Long.divideUnsigned(free[0], 1024))))
                        .append('\n');
                total += free[0];
            }
            vsh.print(b.toString());
            vsh.printExtra("--------------------\n");
            vsh.printExtra(String.format("%5s: %10s KiB", "Total", Long.toUnsignedString(Long.divideUnsigned(total, 1024))) + "\n");
            return true;
        }
        if (!cmd.flag("cellno")) {
            long free = c.getFreeMemory();
            if (free == 0) return false;
            vsh.print("Total: " + Long.toUnsignedString(Long.divideUnsigned(free, 1024)) + " KiB\n");
            return true;
        }
        long[] free = c.cellsFreeMemory(cell, 1);
        if (free.length != 1) return false;
        vsh.print(cell + ": " + Long.toUnsignedString(Long.divideUnsigned(free[0], 1024)) + " KiB\n");
        return true;
    }

    private static boolean nodememstats(Vsh vsh, Cmd cmd) throws LibvirtException {
        int cell;
        try {
            cell = Options.integer(vsh, cmd, "cell", -1);
        } catch (Options.Invalid e) {
            return false;
        }
        NodeStatistic[] stats;
        try {
            stats = vsh.conn().getNodeMemoryStats(cell, 0);
        } catch (LibvirtException e) {
            return vsh.fail("Unable to get number of memory stats", e);
        }
        StringBuilder b = new StringBuilder();
        for (NodeStatistic s : stats) {
            b.append(String.format("%-7s: %20s KiB", s.field(), Long.toUnsignedString(s.value()))).append('\n');
        }
        vsh.print(b.toString());
        return true;
    }

    /** virsh's order and labels: user, system (the "kernel" field), idle, iowait. */
    private static final String[][] CPU_FIELDS = {{"user", "user:"}, {"kernel", "system:"}, {"idle", "idle:"},
        {"iowait", "iowait:"}};

    private static boolean nodecpustats(Vsh vsh, Cmd cmd) throws LibvirtException {
        int cpu;
        try {
            cpu = Options.integer(vsh, cmd, "cpu", -1);
        } catch (Options.Invalid e) {
            return false;
        }
        boolean percent = cmd.flag("percent");
        Connect c = vsh.conn();
        long[][] samples = new long[2][CPU_FIELDS.length];
        boolean[] present = new boolean[CPU_FIELDS.length];
        Double utilization = null;
        for (int round = 0; round < 2; round++) {
            NodeStatistic[] stats;
            try {
                stats = c.getNodeCpuStats(cpu, 0);
            } catch (LibvirtException e) {
                return vsh.fail(round == 0 ? "Unable to get number of cpu stats" : "Unable to get node cpu stats", e);
            }
            if (stats.length == 0) return true;
            for (NodeStatistic s : stats) {
                if (s.field().equals("utilization")) utilization = (double) s.value();
                for (int i = 0; i < CPU_FIELDS.length; i++) {
                    if (s.field().equals(CPU_FIELDS[i][0])) {
                        samples[round][i] = s.value();
                        present[i] = true;
                    }
                }
            }
            if (utilization != null || !percent) break;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        StringBuilder b = new StringBuilder();
        if (!percent) {
            for (int i = 0; i < CPU_FIELDS.length; i++) {
                if (present[i]) {
                    b.append(String.format("%-15s %20s", CPU_FIELDS[i][1], Long.toUnsignedString(samples[0][i]))).append('\n');
                }
            }
        } else if (utilization != null) {
            b.append(String.format("%-15s %s%%", "usage:", percentText(utilization))).append('\n');
        } else {
            double[] delta = new double[CPU_FIELDS.length];
            double total = 0;
            for (int i = 0; i < delta.length; i++) {
                delta[i] = samples[1][i] - samples[0][i];
                total += delta[i];
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"usage:", percentText((delta[0] + delta[1]) / total * 100)});
            for (int i = 0; i < delta.length; i++) rows.add(new String[] {CPU_FIELDS[i][1], percentText(delta[i] / total * 100)});
            for (String[] r : rows) b.append(String.format("%-15s %s%%", r[0], r[1])).append('\n');
        }
        vsh.print(b.toString());
        return true;
    }

    /** printf's "%5.1lf": glibc prints 0.0/0.0 (an unchanged counter) as "-nan". */
    private static String percentText(double v) {
        if (Double.isNaN(v)) return " -nan";
        return String.format(Locale.ROOT, "%5.1f", v);
    }
}
