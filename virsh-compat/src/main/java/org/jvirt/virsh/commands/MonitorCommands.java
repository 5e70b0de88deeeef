package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.MemoryStatistic;
import org.jvirt.driver.api.SecurityLabel;
import org.jvirt.driver.api.SecurityModel;
import org.jvirt.driver.api.VcpuInfo;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Domain monitoring commands: list, dominfo, domstate, domid, domname, domuuid, dumpxml, domblklist, domiflist, vcpuinfo, vcpucount, dommemstat. */
final class MonitorCommands {

    private MonitorCommands() { }

    static final String GROUP = "Domain Monitoring (help keyword 'monitor')";

    /** The group without list, which {@link Commands} keeps apart ({@link #listDef}). */
    static List<CmdDef> all() {
        return List.of(
                new CmdDef("dominfo", GROUP, "domain information", "Returns basic information about the domain.",
                        List.of(domain()), MonitorCommands::dominfo),
                new CmdDef("domstate", GROUP, "domain state", "Returns state about a domain.",
                        List.of(domain(), bool("reason", "also print reason for the state")), MonitorCommands::domstate),
                new CmdDef("domid", "Domain Management (help keyword 'domain')", "convert a domain name or UUID to domain id",
                        "", List.of(OptDef.data("domain", "domain name or uuid")), MonitorCommands::domid),
                new CmdDef("domname", "Domain Management (help keyword 'domain')", "convert a domain id or UUID to domain name",
                        "", List.of(OptDef.data("domain", "domain id or uuid")), MonitorCommands::domname),
                new CmdDef("domuuid", "Domain Management (help keyword 'domain')", "convert a domain name or id to domain UUID",
                        "", List.of(OptDef.data("domain", "domain id or name")), MonitorCommands::domuuid),
                new CmdDef("dumpxml", "Domain Management (help keyword 'domain')", "domain information in XML",
                        "Output the domain information as an XML dump to stdout.", List.of(domain(),
                        bool("inactive", "show inactive defined XML"),
                        bool("security-info", "include security sensitive information in XML dump"),
                        bool("update-cpu", "update guest CPU according to host CPU"),
                        bool("migratable", "provide XML suitable for migrations"),
                        OptDef.namedString("xpath", "xpath expression to filter the XML document"),
                        bool("wrap", "wrap xpath results in an common root element")), MonitorCommands::dumpxml),
                new CmdDef("domblklist", GROUP, "list all domain blocks", "Get the summary of block devices for a domain.",
                        List.of(domain(), bool("inactive", "get inactive rather than running configuration"),
                                bool("details", "additionally display the type and device value")), MonitorCommands::domblklist),
                new CmdDef("domiflist", GROUP, "list all domain virtual interfaces",
                        "Get the summary of virtual interfaces for a domain.",
                        List.of(domain(), bool("inactive", "get inactive rather than running configuration")),
                        MonitorCommands::domiflist),
                new CmdDef("vcpuinfo", "Domain Management (help keyword 'domain')", "detailed domain vcpu information",
                        "Returns basic information about the domain virtual CPUs.",
                        List.of(domain(), bool("pretty", "return human readable output")), MonitorCommands::vcpuinfo),
                new CmdDef("vcpucount", "Domain Management (help keyword 'domain')", "domain vcpu counts",
                        "Returns the number of virtual CPUs used by the domain.", List.of(domain(),
                        bool("maximum", "get maximum count of vcpus"), bool("active", "get number of currently active vcpus"),
                        bool("live", "get value from running domain"), bool("config", "get value to be used on next boot"),
                        bool("current", "get value according to current domain state"),
                        bool("guest", "retrieve vcpu count from the guest instead of the hypervisor")), MonitorCommands::vcpucount),
                new CmdDef("dommemstat", GROUP, "get memory statistics for a domain",
                        "Get memory statistics for a running domain.", List.of(domain(),
                        new OptDef("period", OptType.INT, false, true, "period in seconds to set collection"),
                        bool("config", "affect next boot"), bool("live", "affect running domain"),
                        bool("current", "affect current domain")), MonitorCommands::dommemstat));
    }

    /**
     * list on its own, with a handler class rather than a method reference: the command that
     * scripts run most builds and links nothing else (a jvirsh start-up budget, see
     * docs/benchmarks.md).
     */
    static CmdDef listDef() {
        return new CmdDef("list", GROUP, "list domains", "Returns list of domains.", List.of(
                        bool("inactive", "list inactive domains"), bool("all", "list inactive & active domains"),
                        bool("transient", "list transient domains"), bool("persistent", "list persistent domains"),
                        bool("with-snapshot", "list domains with existing snapshot"),
                        bool("without-snapshot", "list domains without a snapshot"),
                        bool("with-checkpoint", "list domains with existing checkpoint"),
                        bool("without-checkpoint", "list domains without a checkpoint"),
                        bool("state-running", "list domains in running state"),
                        bool("state-paused", "list domains in paused state"),
                        bool("state-shutoff", "list domains in shutoff state"),
                        bool("state-other", "list domains in other states"),
                        bool("autostart", "list domains with autostart enabled"),
                        bool("no-autostart", "list domains with autostart disabled"),
                        bool("with-managed-save", "list domains with managed save state"),
                        bool("without-managed-save", "list domains without managed save"),
                        bool("uuid", "list uuid's only"), bool("name", "list domain names only"),
                        bool("id", "list domain IDs only"), bool("table", "list table (default)"),
                        bool("managed-save", "mark inactive domains with managed save state"),
                        bool("title", "show domain title")), new CmdDef.Handler() {
                            @Override
                            public boolean run(Vsh vsh, Cmd cmd) throws LibvirtException {
                                return list(vsh, cmd);
                            }
                        });
    }

    // ---------------------------------------------------------------- list

    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        int flags = 0;
        if (cmd.flag("all")) flags |= Flags.ListAllDomains.ACTIVE | Flags.ListAllDomains.INACTIVE;
        else if (cmd.flag("inactive")) flags |= Flags.ListAllDomains.INACTIVE;
        else flags |= Flags.ListAllDomains.ACTIVE;
        if (cmd.flag("persistent")) flags |= Flags.ListAllDomains.PERSISTENT;
        if (cmd.flag("transient")) flags |= Flags.ListAllDomains.TRANSIENT;
        if (cmd.flag("with-managed-save")) flags |= Flags.ListAllDomains.MANAGEDSAVE;
        if (cmd.flag("without-managed-save")) flags |= Flags.ListAllDomains.NO_MANAGEDSAVE;
        if (cmd.flag("autostart")) flags |= Flags.ListAllDomains.AUTOSTART;
        if (cmd.flag("no-autostart")) flags |= Flags.ListAllDomains.NO_AUTOSTART;
        if (cmd.flag("with-snapshot")) flags |= Flags.ListAllDomains.HAS_SNAPSHOT;
        if (cmd.flag("without-snapshot")) flags |= Flags.ListAllDomains.NO_SNAPSHOT;
        if (cmd.flag("with-checkpoint")) flags |= Flags.ListAllDomains.HAS_CHECKPOINT;
        if (cmd.flag("without-checkpoint")) flags |= Flags.ListAllDomains.NO_CHECKPOINT;
        if (cmd.flag("state-running")) flags |= Flags.ListAllDomains.RUNNING;
        if (cmd.flag("state-paused")) flags |= Flags.ListAllDomains.PAUSED;
        if (cmd.flag("state-shutoff")) flags |= Flags.ListAllDomains.SHUTOFF;
        if (cmd.flag("state-other")) flags |= Flags.ListAllDomains.OTHER;
        boolean stateFilter = (flags & (Flags.ListAllDomains.RUNNING | Flags.ListAllDomains.PAUSED
                | Flags.ListAllDomains.SHUTOFF | Flags.ListAllDomains.OTHER)) != 0;
        if (stateFilter || cmd.flag("autostart") || cmd.flag("no-autostart")) {
            flags |= Flags.ListAllDomains.ACTIVE | Flags.ListAllDomains.INACTIVE;
            if (!cmd.flag("all") && !cmd.flag("inactive") && !stateFilter) {
                flags &= ~Flags.ListAllDomains.INACTIVE;
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Domain d : vsh.conn().listAllDomains(flags)) entries.add(new Entry(d, d.getID()));
        entries.sort(new ListOrder());
        boolean name = cmd.flag("name");
        boolean uuid = cmd.flag("uuid");
        boolean id = cmd.flag("id");
        if (name || uuid || id) {
            StringBuilder b = new StringBuilder();
            for (Entry e : entries) {
                if (id && e.id == -1) continue;
                List<String> parts = new ArrayList<>();
                if (id) parts.add(Integer.toString(e.id));
                if (uuid) parts.add(e.dom.getUUIDString());
                if (name) parts.add(e.dom.getName());
                b.append(String.join(" ", parts)).append('\n');
            }
            vsh.print(b.toString());
            return true;
        }
        boolean title = cmd.flag("title");
        VshTable t = title ? new VshTable("Id", "Name", "State", "Title") : new VshTable("Id", "Name", "State");
        for (Entry e : entries) {
            String state = States.state(e.dom.getInfo().state);
            if (cmd.flag("managed-save") && e.dom.hasManagedSaveImage(0) == 1) state = "saved";
            String idText = e.id == -1 ? "-" : Integer.toString(e.id);
            if (title) {
                String tt;
                try {
                    tt = e.dom.getMetadata(Flags.Metadata.TITLE, null, 0);
                } catch (LibvirtException ex) {
                    if (ex.code() != ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) throw ex;
                    tt = "";
                }
                t.add(idText, e.dom.getName(), state, tt);
            } else {
                t.add(idText, e.dom.getName(), state);
            }
        }
        vsh.printTable(t);
        return true;
    }

    private record Entry(Domain dom, int id) { }

    /** virsh's order: active domains by id, then inactive ones by name (a class: no lambda on list's path). */
    private static final class ListOrder implements Comparator<Entry> {
        @Override
        public int compare(Entry a, Entry b) {
            if ((a.id == -1) != (b.id == -1)) return a.id == -1 ? 1 : -1;
            if (a.id != b.id) return Integer.compare(a.id, b.id);
            return a.dom.getName().toLowerCase(Locale.ROOT).compareTo(b.dom.getName().toLowerCase(Locale.ROOT));
        }
    }

    // ---------------------------------------------------------------- info

    private static String field(String label, String value) {
        return String.format("%-15s %s%n", label, value);
    }

    private static boolean dominfo(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        StringBuilder b = new StringBuilder();
        int id = d.getID();
        b.append(field("Id:", id == -1 ? "-" : Integer.toString(id)));
        b.append(field("Name:", d.getName()));
        b.append(field("UUID:", d.getUUIDString()));
        b.append(field("OS Type:", d.getOSType()));
        DomainInfo info = d.getInfo();
        b.append(field("State:", States.state(info.state)));
        b.append(field("CPU(s):", Integer.toString(info.nrVirtCpu)));
        if (info.cpuTime != 0) {
            b.append(field("CPU time:", String.format(Locale.ROOT, "%.1fs", info.cpuTime / 1e9)));
        }
        b.append(field("Max memory:", info.maxMem == 0xffffffffL ? "no limit" : info.maxMem + " KiB"));
        b.append(field("Used memory:", info.memory + " KiB"));
        b.append(field("Persistent:", d.isPersistent() == 1 ? "yes" : "no"));
        b.append(field("Autostart:", d.getAutostart() ? "enable" : "disable"));
        b.append(field("Managed save:", d.hasManagedSaveImage(0) == 1 ? "yes" : "no"));
        SecurityModel model = vsh.conn().getSecurityModel();
        if (model.model() != null && !model.model().isEmpty()) {
            b.append(field("Security model:", model.model()));
            b.append(field("Security DOI:", model.doi()));
            SecurityLabel label = d.getSecurityLabel();
            if (label.label() != null && !label.label().isEmpty()) {
                b.append(field("Security label:", label.label() + " (" + (label.enforcing() ? "enforcing" : "permissive") + ")"));
            }
        }
        vsh.print(b.toString().replace(System.lineSeparator(), "\n"));
        return true;
    }

    private static boolean domstate(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        DomainStateReason s = d.getState();
        if (cmd.flag("reason")) {
            vsh.print(States.state(s.state()) + " (" + States.reason(s.state(), s.reason()) + ")\n");
        } else {
            vsh.print(States.state(s.state()) + "\n");
        }
        return true;
    }

    private static boolean domid(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domainByNameOrUuid(cmd, "domain");
        int id = d.getID();
        vsh.print((id == -1 ? "-" : Integer.toString(id)) + "\n");
        return true;
    }

    private static boolean domname(Vsh vsh, Cmd cmd) throws LibvirtException {
        vsh.print(vsh.domain(cmd, "domain").getName() + "\n");
        return true;
    }

    private static boolean domuuid(Vsh vsh, Cmd cmd) throws LibvirtException {
        vsh.print(vsh.domain(cmd, "domain").getUUIDString() + "\n");
        return true;
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        int flags = 0;
        if (cmd.flag("inactive")) flags |= Flags.DomainXml.INACTIVE;
        if (cmd.flag("security-info")) flags |= Flags.DomainXml.SECURE;
        if (cmd.flag("update-cpu")) flags |= Flags.DomainXml.UPDATE_CPU;
        if (cmd.flag("migratable")) flags |= Flags.DomainXml.MIGRATABLE;
        String xml = d.getXMLDesc(flags);
        return DumpXml.print(vsh, xml, cmd.get("xpath"), cmd.flag("wrap"));
    }

    // ---------------------------------------------------------------- devices

    static Element parse(String xml) throws LibvirtException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            return doc.getDocumentElement();
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_XML,
                    e.getMessage());
        }
    }

    static List<Element> devices(Element domain, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList devs = domain.getElementsByTagName("devices");
        if (devs.getLength() == 0) return out;
        for (Node n = devs.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) out.add(e);
        }
        return out;
    }

    static Element child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) return c;
        }
        return null;
    }

    static String attr(Element e, String... names) {
        if (e == null) return null;
        for (String n : names) if (e.hasAttribute(n)) return e.getAttribute(n);
        return null;
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static boolean domblklist(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        Element root = parse(d.getXMLDesc(cmd.flag("inactive") ? Flags.DomainXml.INACTIVE : 0));
        boolean details = cmd.flag("details");
        VshTable t = details ? new VshTable("Type", "Device", "Target", "Source") : new VshTable("Target", "Source");
        for (Element disk : devices(root, "disk")) {
            String target = attr(child(disk, "target"), "dev");
            String source = attr(child(disk, "source"), "file", "dev", "dir", "name", "volume");
            if (details) t.add(disk.getAttribute("type"), disk.getAttribute("device"), target, orDash(source));
            else t.add(target, orDash(source));
        }
        vsh.printTable(t);
        return true;
    }

    private static boolean domiflist(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        Element root = parse(d.getXMLDesc(cmd.flag("inactive") ? Flags.DomainXml.INACTIVE : 0));
        VshTable t = new VshTable("Interface", "Type", "Source", "Model", "MAC");
        for (Element nic : devices(root, "interface")) {
            t.add(orDash(attr(child(nic, "target"), "dev")), nic.getAttribute("type"),
                    orDash(attr(child(nic, "source"), "bridge", "dev", "network", "name")),
                    orDash(attr(child(nic, "model"), "type")), orDash(attr(child(nic, "mac"), "address")));
        }
        vsh.printTable(t);
        return true;
    }

    // ---------------------------------------------------------------- vcpus, memory

    /** virsh's affinity map: one 'y' or '-' per host CPU. */
    private static String yesNoMap(boolean[] affinity, int maxcpu) {
        StringBuilder map = new StringBuilder();
        for (int c = 0; c < maxcpu; c++) map.append(c < affinity.length && affinity[c] ? 'y' : '-');
        return map.toString();
    }

    /** virBitmapFormat: the set CPUs as ranges ("0-3,6"). */
    private static String ranges(boolean[] affinity, int maxcpu) {
        StringBuilder out = new StringBuilder();
        int c = 0;
        while (c < maxcpu) {
            if (c >= affinity.length || !affinity[c]) { c++; continue; }
            int start = c;
            while (c + 1 < maxcpu && c + 1 < affinity.length && affinity[c + 1]) c++;
            if (out.length() > 0) out.append(',');
            out.append(start);
            if (c > start) out.append('-').append(c);
            c++;
        }
        return out.toString();
    }

    private static boolean vcpuinfo(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        int maxcpu = vsh.conn().getCPUMap().length;
        VcpuInfo[] vcpus = d.getVcpusInfo();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < vcpus.length; i++) {
            VcpuInfo v = vcpus[i];
            if (i > 0) b.append('\n');
            b.append(field("VCPU:", Integer.toString(v.number)));
            b.append(field("CPU:", Integer.toString(v.cpu)));
            b.append(field("State:", v.state == VcpuInfo.VcpuState.VIR_VCPU_RUNNING ? "running"
                    : v.state == VcpuInfo.VcpuState.VIR_VCPU_BLOCKED ? "blocked" : "offline"));
            b.append(field("CPU time:", String.format(Locale.ROOT, "%.1fs", v.cpuTime / 1e9)));
            b.append(field("CPU Affinity:", cmd.flag("pretty") ? ranges(v.affinity, maxcpu) + " (out of " + maxcpu + ")"
                    : yesNoMap(v.affinity, maxcpu)));
        }
        vsh.print(b.toString().replace(System.lineSeparator(), "\n"));
        return true;
    }

    private static boolean vcpucount(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        boolean all = !cmd.flag("maximum") && !cmd.flag("active") && !cmd.flag("live") && !cmd.flag("config")
                && !cmd.flag("current");
        if (!all) {
            int flags = (cmd.flag("live") ? Flags.Affect.LIVE : 0) | (cmd.flag("config") ? Flags.Affect.CONFIG : 0)
                    | (cmd.flag("maximum") ? Flags.Affect.MAXIMUM : 0);
            vsh.print(d.getVcpusFlags(flags) + "\n");
            return true;
        }
        boolean active = d.isActive() == 1;
        StringBuilder b = new StringBuilder();
        String[][] rows = {{"maximum", "config"}, {"maximum", "live"}, {"current", "config"}, {"current", "live"}};
        for (String[] r : rows) {
            boolean live = r[1].equals("live");
            if (live && !active) continue;
            int flags = (live ? Flags.Affect.LIVE : Flags.Affect.CONFIG) | (r[0].equals("maximum") ? Flags.Affect.MAXIMUM : 0);
            b.append(String.format("%-12s %-12s %3d%n", r[0], r[1], d.getVcpusFlags(flags)));
        }
        vsh.print(b.toString().replace(System.lineSeparator(), "\n"));
        return true;
    }

    /** virsh 9.0's cmdDomMemStat: --period sets the collection period (and prints nothing), else the statistics. */
    private static boolean dommemstat(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        String period = cmd.get("period");
        if (period != null) {
            int flags = (cmd.flag("live") ? org.jvirt.driver.api.Flags.Affect.LIVE : 0) | (cmd.flag("config") ? org.jvirt.driver.api.Flags.Affect.CONFIG : 0);
            if (flags == 0 && !cmd.flag("current") && d.isActive() == 1) flags = org.jvirt.driver.api.Flags.Affect.LIVE;
            int p;
            try {
                p = Integer.parseInt(period.trim());
            } catch (NumberFormatException e) {
                vsh.error("Numeric value '" + period + "' for <period> option is malformed or out of range");
                return false;
            }
            if (p < 0) {
                vsh.error("Invalid collection period value '" + p + "'");
                return false;
            }
            try {
                d.setMemoryStatsPeriod(p, flags);
            } catch (LibvirtException e) {
                return vsh.fail("Unable to change balloon collection period.", e);
            }
            return true;
        }
        StringBuilder b = new StringBuilder();
        MemoryStatistic[] stats;
        try {
            stats = d.memoryStats(13);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to get memory statistics for domain " + d.getName(), e);
        }
        for (MemoryStatistic s : stats) {
            String label = s.tag() == MemoryStatistic.Tag.ACTUAL_BALLOON ? "actual" : s.tag().name().toLowerCase(Locale.ROOT);
            b.append(label).append(' ').append(s.value()).append('\n');
        }
        vsh.print(b.toString());
        return true;
    }

    static List<String> names(List<CmdDef> defs) {
        return Arrays.asList(defs.stream().map(CmdDef::name).toArray(String[]::new));
    }
}
