package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainBlockInfo;
import org.jvirt.driver.api.DomainBlockStats;
import org.jvirt.driver.api.DomainInterfaceStats;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.DomainStats;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** A domain's statistics: schedinfo, domjobinfo, domblkinfo, domblkstat, domifstat, domstats. */
final class StatsCommands {

    private StatsCommands() { }

    static List<CmdDef> all() {
        String dom = TuningCommands.GROUP;
        String mon = MonitorCommands.GROUP;
        List<OptDef> statsOpts = new ArrayList<>();
        for (String[] g : GROUPS) statsOpts.add(bool(g[0], g[1]));
        for (String[] l : LISTS) statsOpts.add(bool(l[0], l[1]));
        statsOpts.addAll(List.of(bool("raw", "do not pretty-print the fields"),
                bool("enforce", "enforce requested stats parameters"),
                bool("backing", "add backing chain information to block stats"),
                bool("nowait", "report only stats that are accessible instantly"),
                OptDef.argv("domain", "list of domains to get stats for")));
        return List.of(
                new CmdDef("schedinfo", dom, "show/set scheduler parameters", "Show/Set scheduler parameters.", List.of(domain(),
                        new OptDef("weight", OptType.INT, false, true, "weight for XEN_CREDIT"),
                        new OptDef("cap", OptType.INT, false, true, "cap for XEN_CREDIT"),
                        bool("current", "get/set current scheduler info"),
                        bool("config", "get/set value to be used on next boot"),
                        bool("live", "get/set value from running domain"),
                        OptDef.argv("set", "parameter=value")), StatsCommands::schedinfo),
                new CmdDef("domjobinfo", dom, "domain job information", "Returns information about jobs running on a domain.",
                        List.of(domain(), bool("completed", "return statistics of a recently completed job"),
                                bool("keep-completed", "don't destroy statistics of a recently completed job when reading"),
                                bool("anystats", "print statistics for any kind of job (even failed ones)"),
                                bool("rawstats", "print the raw data returned by libvirt")), StatsCommands::domjobinfo),
                new CmdDef("domblkinfo", mon, "domain block device size information", "Get block device size info for a domain.",
                        List.of(domain(), OptDef.string("device", "block device"), bool("human", "Human readable output"),
                                bool("all", "display all block devices info")), StatsCommands::domblkinfo),
                new CmdDef("domblkstat", mon, "get device block stats for a domain",
                        "Get device block stats for a running domain. See man page or use --human for explanation of fields",
                        List.of(domain(), OptDef.string("device", "block device"),
                                bool("human", "print a more human readable output")), StatsCommands::domblkstat),
                new CmdDef("domifstat", mon, "get network interface stats for a domain",
                        "Get network interface stats for a running domain.",
                        List.of(domain(), OptDef.data("interface", "interface device specified by name or MAC Address")),
                        StatsCommands::domifstat),
                new CmdDef("domstats", mon, "get statistics about one or multiple domains",
                        "Gets statistics about one or more (or all) domains", statsOpts, StatsCommands::domstats));
    }

    // ---------------------------------------------------------------- schedinfo

    private static boolean schedinfo(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "current", "live") || !Options.exclusive(vsh, cmd, "current", "config")) return false;
        boolean live = cmd.flag("live");
        boolean config = cmd.flag("config");
        boolean current = cmd.flag("current");
        int flags = (live ? Flags.Affect.LIVE : 0) | (config ? Flags.Affect.CONFIG : 0);
        boolean withFlags = flags != 0 || current;
        // both live and config cannot be read at once: read the current state then (as virsh)
        int queryFlags = live && config ? 0 : flags;
        Domain d = vsh.domain(cmd, "domain");
        String scheduler;
        try {
            scheduler = d.getSchedulerType();
        } catch (LibvirtException e) {
            vsh.print(String.format("%-15s: %s", "Scheduler", "Unknown") + "\n");
            throw e;
        }
        vsh.print(String.format("%-15s: %s", "Scheduler", scheduler) + "\n");
        TypedParameter[] params = withFlags ? d.getSchedulerParameters(queryFlags) : d.getSchedulerParameters();
        if (params.length == 0) return true;
        List<TypedParameter> updates = new ArrayList<>();
        for (String set : cmd.argv()) {
            int eq = set.indexOf('=');
            if (eq < 0) {
                vsh.error("Invalid syntax for --set, expecting name=value");
                return false;
            }
            if (!update(vsh, params, updates, set.substring(0, eq), set.substring(eq + 1))) return false;
        }
        for (String legacy : new String[] {"cap", "weight"}) {
            if (cmd.get(legacy) != null && !update(vsh, params, updates, legacy, cmd.get(legacy))) return false;
        }
        if (!updates.isEmpty()) {
            TypedParameter[] u = updates.toArray(new TypedParameter[0]);
            if (withFlags) d.setSchedulerParameters(u, flags);
            else d.setSchedulerParameters(u);
            params = withFlags ? d.getSchedulerParameters(queryFlags) : d.getSchedulerParameters();
        } else if (live && config) {
            vsh.error("cannot query both live and config at once");
            return false;
        }
        StringBuilder b = new StringBuilder();
        for (TypedParameter p : params) b.append(String.format("%-15s: %s", p.field(), p.valueText())).append('\n');
        vsh.print(b.toString());
        return true;
    }

    /** cmdSchedInfoUpdateOne: a value for a parameter the scheduler has, parsed as its type. */
    private static boolean update(Vsh vsh, TypedParameter[] params, List<TypedParameter> updates, String field, String value)
            throws LibvirtException {
        for (TypedParameter p : params) {
            if (!p.field().equals(field)) continue;
            updates.add(TypedParameters.fromString(field, p.type(), value));
            return true;
        }
        vsh.error("invalid scheduler option: " + field);
        return false;
    }

    // ---------------------------------------------------------------- domjobinfo

    private static final String[] JOB_TYPES = {"None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled"};

    private static boolean domjobinfo(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.requires(vsh, cmd, "keep-completed", "completed")) return false;
        Domain d = vsh.domain(cmd, "domain");
        int flags = (cmd.flag("completed") ? Flags.JobStats.COMPLETED : 0)
                | (cmd.flag("keep-completed") ? Flags.JobStats.KEEP_COMPLETED : 0);
        boolean raw = cmd.flag("rawstats");
        DomainJobInfo job;
        try {
            job = d.getJobStats(flags);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT) throw e;
            if (flags != 0 || raw) return vsh.fail("Optional flags or --rawstats are not supported by the daemon", e);
            job = d.getJobInfo();
        }
        if (raw) {
            StringBuilder b = new StringBuilder("Job type: " + job.type() + "\n\n");
            for (TypedParameter p : job.stats()) b.append(p.field()).append(": ").append(p.valueText()).append('\n');
            vsh.print(b.toString());
            return true;
        }
        vsh.print(jobText(job));
        return true;
    }

    /** virDomainJobOperation's names in virsh. */
    private static final String[] JOB_OPERATIONS = {"Unknown", "Start", "Save", "Restore", "Incoming migration",
        "Outgoing migration", "Snapshot", "Snapshot revert", "Dump", "Backup", "Snapshot delete"};

    /** cmdDomjobinfo's report of the statistics jvirt's drivers give (time, data, memory, file; error message). */
    static String jobText(DomainJobInfo job) {
        StringBuilder b = new StringBuilder(String.format("%-17s %-12s%n", "Job type:", JOB_TYPES[job.type()]));
        if (job.type() == DomainJobInfo.NONE) return b.toString().replace(System.lineSeparator(), "\n");
        int op = (int) job.number("operation");
        b.append(String.format("%-17s %-12s%n", "Operation:", op >= 0 && op < JOB_OPERATIONS.length ? JOB_OPERATIONS[op] : "Unknown"));
        b.append(String.format("%-17s %-12d ms%n", "Time elapsed:", job.getTimeElapsed()));
        if (job.type() == DomainJobInfo.BOUNDED) b.append(String.format("%-17s %-12d ms%n", "Time remaining:", job.getTimeRemaining()));
        amounts(b, "Data", job.getDataProcessed(), job.getDataRemaining(), job.getDataTotal());
        if (amounts(b, "Memory", job.getMemProcessed(), job.getMemRemaining(), job.getMemTotal())) {
            Long bps = job.has("memory_bps") ? job.number("memory_bps") : null;
            if (bps != null && bps != 0) b.append(String.format("%-17s %s/s%n", "Memory bandwidth:", pretty(bps)));
            counter(b, job, "memory_dirty_rate", "Dirty rate:", " pages/s");
            counter(b, job, "memory_page_size", "Page size:", " bytes");
            counter(b, job, "memory_iteration", "Iteration:", "");
            counter(b, job, "memory_postcopy_requests", "Postcopy requests:", "");
        }
        amounts(b, "File", job.getFileProcessed(), job.getFileRemaining(), job.getFileTotal());
        counter(b, job, "memory_constant", "Constant pages:", "");
        counter(b, job, "memory_normal", "Normal pages:", "");
        if (job.has("memory_normal_bytes")) b.append(String.format("%-17s %s%n", "Normal data:", pretty(job.number("memory_normal_bytes"))));
        counter(b, job, "downtime", job.type() == DomainJobInfo.COMPLETED ? "Total downtime:" : "Expected downtime:", " ms");
        counter(b, job, "downtime_net", "Downtime w/o network:", " ms");
        counter(b, job, "setup_time", "Setup time:", " ms");
        if (job.has("auto_converge_throttle")) b.append(String.format("%-17s %-13d%n", "Auto converge throttle:", job.number("auto_converge_throttle")));
        String error = job.string("errmsg");
        if (error != null) b.append(String.format("%-17s %s%n", "Error message:", error));
        return b.toString().replace(System.lineSeparator(), "\n");
    }

    /** "%-17s %-12llu" and a unit, when the statistic is there (cmdDomjobinfo's counters). */
    private static void counter(StringBuilder b, DomainJobInfo job, String field, String label, String unit) {
        if (job.has(field)) b.append(String.format("%-17s %-12d%s%n", label, job.number(field), unit));
    }

    /** "%-17s %-.3lf %s" of processed, remaining and total, when any of them is not 0 (false when none). */
    private static boolean amounts(StringBuilder b, String what, long processed, long remaining, long total) {
        if (processed == 0 && remaining == 0 && total == 0) return false;
        b.append(String.format("%-17s %s%n", what + " processed:", pretty(processed)));
        b.append(String.format("%-17s %s%n", what + " remaining:", pretty(remaining)));
        b.append(String.format("%-17s %s%n", what + " total:", pretty(total)));
        return true;
    }

    // ---------------------------------------------------------------- domblkinfo, domblkstat, domifstat

    private static boolean domblkinfo(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "all", "device")) return false;
        boolean human = cmd.flag("human");
        Domain d = vsh.domain(cmd, "domain");
        if (!cmd.flag("all")) {
            String device = cmd.get("device");
            if (device == null || device.isEmpty()) {
                vsh.error("command 'domblkinfo' requires <device> option");
                return false;
            }
            String[] v = sizes(d.blockInfo(device), human);
            vsh.print(String.format("%-15s %s%n%-15s %s%n%-15s %s%n", "Capacity:", v[0], "Allocation:", v[1],
                    "Physical:", v[2]).replace(System.lineSeparator(), "\n"));
            return true;
        }
        VshTable t = new VshTable("Target", "Capacity", "Allocation", "Physical");
        for (org.w3c.dom.Element disk : MonitorCommands.devices(MonitorCommands.parse(d.getXMLDesc(0)), "disk")) {
            String target = MonitorCommands.attr(MonitorCommands.child(disk, "target"), "dev");
            // a disk without a source has no sizes to ask for (virsh shows dashes)
            DomainBlockInfo info = MonitorCommands.child(disk, "source") != null ? d.blockInfo(target)
                    : new DomainBlockInfo(0, 0, 0);
            String[] v = sizes(info, human);
            t.add(target == null ? "" : target, v[0], v[1], v[2]);
        }
        vsh.printTable(t);
        return true;
    }

    /** cmdDomblkinfoGet: bytes, or scaled with three decimals; "-" for a disk with no sizes. */
    private static String[] sizes(DomainBlockInfo i, boolean human) {
        if (i.capacity == 0 && i.allocation == 0 && i.physical == 0) return new String[] {"-", "-", "-"};
        if (!human) {
            return new String[] {Long.toUnsignedString(i.capacity), Long.toUnsignedString(i.allocation),
                    Long.toUnsignedString(i.physical)};
        }
        return new String[] {pretty(i.capacity), pretty(i.allocation), pretty(i.physical)};
    }

    /** vshPrettyCapacity with "%.3lf %s". */
    static String pretty(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes < 0 ? bytes + 0x1p64 : bytes;
        int u = 0;
        while (u < units.length - 1 && v >= 1024) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.3f %s", v, units[u]);
    }

    private static final String[][] BLOCK_FIELDS = {
        {"rd_req", "number of read operations:"}, {"rd_bytes", "number of bytes read:"},
        {"wr_req", "number of write operations:"}, {"wr_bytes", "number of bytes written:"},
        {"errs", "error count:"}};

    private static boolean domblkstat(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        String device = cmd.get("device") == null ? "" : cmd.get("device");
        boolean human = cmd.flag("human");
        DomainBlockStats s;
        try {
            s = d.blockStats(device);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to get block stats " + d.getName() + " " + device, e);
        }
        long[] values = {s.rd_req, s.rd_bytes, s.wr_req, s.wr_bytes, s.errs};
        StringBuilder b = new StringBuilder();
        if (human) b.append("Device: ").append(device).append('\n');
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) continue;
            if (human) b.append(String.format(" %-31s %d", BLOCK_FIELDS[i][1], values[i])).append('\n');
            else b.append(device).append(' ').append(BLOCK_FIELDS[i][0]).append(' ').append(values[i]).append('\n');
        }
        vsh.print(b.toString());
        return true;
    }

    private static boolean domifstat(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        String device = cmd.get("interface");
        DomainInterfaceStats s;
        try {
            s = d.interfaceStats(device);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to get interface stats " + d.getName() + " " + device, e);
        }
        String[] names = {"rx_bytes", "rx_packets", "rx_errs", "rx_drop", "tx_bytes", "tx_packets", "tx_errs", "tx_drop"};
        long[] values = {s.rx_bytes, s.rx_packets, s.rx_errs, s.rx_drop, s.tx_bytes, s.tx_packets, s.tx_errs, s.tx_drop};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (values[i] >= 0) b.append(device).append(' ').append(names[i]).append(' ').append(values[i]).append('\n');
        }
        vsh.print(b.toString());
        return true;
    }

    // ---------------------------------------------------------------- domstats

    /** The group options in virsh's order; the bit of each is 1 << index (virDomainStatsTypes). */
    private static final String[][] GROUPS = {
        {"state", "report domain state"}, {"cpu-total", "report domain physical cpu usage"},
        {"balloon", "report domain balloon statistics"}, {"vcpu", "report domain virtual cpu information"},
        {"interface", "report domain network interface information"}, {"block", "report domain block device statistics"},
        {"perf", "report domain perf event statistics"}, {"iothread", "report domain IOThread information"},
        {"memory", "report domain memory usage"}, {"dirtyrate", "report domain dirty rate information"},
        {"vm", "report hypervisor-specific statistics"}};

    /** The list filters; the bit of each is 1 << index (virConnectGetAllDomainStatsFlags). */
    private static final String[][] LISTS = {
        {"list-active", "list only active domains"}, {"list-inactive", "list only inactive domains"},
        {"list-persistent", "list only persistent domains"}, {"list-transient", "list only transient domains"},
        {"list-running", "list only running domains"}, {"list-paused", "list only paused domains"},
        {"list-shutoff", "list only shutoff domains"}, {"list-other", "list only domains in other states"}};

    private static boolean domstats(Vsh vsh, Cmd cmd) throws LibvirtException {
        int stats = 0;
        for (int i = 0; i < GROUPS.length; i++) if (cmd.flag(GROUPS[i][0])) stats |= 1 << i;
        int flags = 0;
        for (int i = 0; i < LISTS.length; i++) if (cmd.flag(LISTS[i][0])) flags |= 1 << i;
        if (cmd.flag("enforce")) flags |= Flags.GetAllDomainStats.ENFORCE_STATS;
        if (cmd.flag("backing")) flags |= Flags.GetAllDomainStats.BACKING;
        if (cmd.flag("nowait")) flags |= Flags.GetAllDomainStats.NOWAIT;
        DomainStats[] records;
        if (!cmd.argv().isEmpty()) {
            List<Domain> doms = new ArrayList<>();
            for (String name : cmd.argv()) doms.add(vsh.domainNamed(name));
            records = vsh.conn().domainListGetStats(doms.toArray(new Domain[0]), stats, flags);
        } else {
            records = vsh.conn().getAllDomainStats(stats, flags);
        }
        // records are separated by an empty line (the command's own newline ends the last)
        StringBuilder b = new StringBuilder();
        for (DomainStats r : records) {
            if (b.length() > 0) b.append('\n');
            b.append("Domain: '").append(r.domain().getName()).append("'\n");
            for (TypedParameter p : r.params()) b.append("  ").append(p.field()).append('=').append(p.valueText()).append('\n');
        }
        vsh.print(b.toString());
        return true;
    }
}
