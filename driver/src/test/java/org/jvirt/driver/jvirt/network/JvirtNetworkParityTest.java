package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt's networks against libvirt's: the same net-* commands run with Debian's virsh on the
 * real libvirtd's network driver ({@link NetworkLibvirtd}, in a namespace of its own) and with
 * bin/jvirsh on {@code jvirt:///embed} in another namespace; the transcripts (exit status and
 * output of each command) must be equal once the uuids and MAC addresses that are random on
 * each side are numbered in order of appearance. At two points the hosts' state is compared
 * too: the interfaces and addresses ({@code ip -br link/addr}), the firewall
 * ({@code iptables-save}), each network's dnsmasq configuration and hosts file (paths
 * normalized) and that one dnsmasq runs per network with an address.
 */
class JvirtNetworkParityTest {

    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("n1.xml", "<network>\n  <name>n1</name>\n  <forward mode='nat'/>\n  <ip address='192.168.100.1' netmask='255.255.255.0'>\n"
                    + "    <dhcp>\n      <range start='192.168.100.2' end='192.168.100.254'/>\n"
                    + "      <host mac='52:54:00:11:22:33' name='vm1' ip='192.168.100.10'/>\n    </dhcp>\n  </ip>\n</network>\n"),
            Map.entry("iso.xml", "<network>\n  <name>iso</name>\n  <ip address='10.77.0.1' prefix='24'>\n    <dhcp>\n"
                    + "      <range start='10.77.0.100' end='10.77.0.199'/>\n    </dhcp>\n  </ip>\n</network>\n"),
            Map.entry("rt.xml", "<network>\n  <name>rt</name>\n  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n  <forward mode='route'/>\n"
                    + "  <bridge name='rtbr0'/>\n  <domain name='example.test'/>\n  <ip address='10.78.0.1' netmask='255.255.255.0'/>\n</network>\n"),
            Map.entry("br.xml", "<network>\n  <name>br</name>\n  <forward mode='bridge'/>\n  <bridge name='br-host'/>\n</network>\n"),
            Map.entry("tr.xml", "<network>\n  <name>tr</name>\n  <ip address='10.79.0.1' netmask='255.255.255.0'/>\n</network>\n"),
            Map.entry("dup.xml", "<network>\n  <name>iso</name>\n  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n</network>\n"),
            Map.entry("n1dup.xml", "<network>\n  <name>n1</name>\n  <uuid>22222222-2222-3333-4444-555555555555</uuid>\n</network>\n"),
            Map.entry("bad.xml", "<network>\n  <name>bad</name>\n  <forward mode='nat'/>\n</network>\n"),
            Map.entry("default.xml", JvirtNetworks.DEFAULT_XML),
            Map.entry("dn.xml", "<network>\n  <name>dn</name>\n  <forward mode='nat'/>\n  <dns>\n    <forwarder addr='192.0.2.53'/>\n"
                    + "    <forwarder domain='example.com' addr='192.0.2.54'/>\n    <host ip='10.80.0.5'>\n      <hostname>db</hostname>\n"
                    + "      <hostname>db.example.net</hostname>\n    </host>\n  </dns>\n  <ip address='10.80.0.1' prefix='24'/>\n</network>\n"),
            Map.entry("nd.xml", "<network>\n  <name>nd</name>\n  <dns enable='no'/>\n  <ip address='10.81.0.1' prefix='24'>\n    <dhcp>\n"
                    + "      <range start='10.81.0.10' end='10.81.0.20'/>\n    </dhcp>\n  </ip>\n</network>\n"));

    private static final String STATE = "!state";
    /** A DHCP client (busybox udhcpc, MAC 52:54:00:00:00:0a) in a namespace of its own behind a veth pair on iso's bridge. */
    private static final String DHCP = "!dhcp";
    /** The command runs with EDITOR set to a script that changes rt's domain name. */
    private static final String EDIT = "!edit";

    /** The commands, one argument vector each; STATE compares the hosts. */
    private static final List<List<String>> SEQUENCE = List.of(
            List.of("net-list", "--all"),
            List.of("net-define", "n1.xml"), List.of("net-define", "iso.xml"), List.of("net-define", "rt.xml"),
            List.of("net-define", "br.xml"), List.of("net-define", "dup.xml"), List.of("net-define", "n1dup.xml"),
            List.of("net-define", "bad.xml"),
            List.of("net-list", "--all"), List.of("net-list", "--inactive"), List.of("net-list", "--name", "--all"),
            List.of("net-dumpxml", "n1"), List.of("net-dumpxml", "iso"), List.of("net-dumpxml", "rt"), 
            List.of("net-info", "n1"), List.of("net-uuid", "rt"), List.of("net-name", "11111111-2222-3333-4444-555555555555"),
            List.of("net-info", "nosuch"),
            List.of("net-start", "n1"), List.of("net-start", "n1"), List.of("net-dumpxml", "n1"),
            List.of("net-dumpxml", "n1", "--inactive"),
            List.of("net-start", "iso"), List.of("net-start", "rt"), List.of("net-create", "dn.xml"), List.of("net-dumpxml", "dn"),
            List.of("net-create", "nd.xml"), List.of("net-start", "br"), List.of("net-info", "br"),
            List.of(EDIT, "net-edit", "rt"), List.of("net-dumpxml", "rt", "--inactive"), List.of("net-dumpxml", "rt"),
            List.of("net-autostart", "n1"), List.of("net-list", "--autostart"), List.of("net-list", "--all", "--no-autostart"),
            List.of("net-create", "tr.xml"), List.of("net-list", "--transient"),
            List.of("net-dumpxml", "tr"), List.of("net-autostart", "tr"), List.of("net-undefine", "tr"),
            List.of("net-update", "iso", "add", "ip-dhcp-host", "<host mac='52:54:00:00:00:01' name='a' ip='10.77.0.50'/>", "--live", "--config"),
            List.of("net-update", "iso", "add", "ip-dhcp-host", "<host mac='52:54:00:00:00:01' name='a' ip='10.77.0.50'/>", "--live", "--config"),
            List.of("net-update", "iso", "add-first", "ip-dhcp-host", "<host mac='52:54:00:00:00:02' name='b2' ip='10.77.0.52'/>"),
            List.of("net-update", "iso", "modify", "ip-dhcp-host", "<host mac='52:54:00:00:00:01' name='b' ip='10.77.0.51'/>", "--live"),
            List.of("net-update", "iso", "modify", "ip-dhcp-host", "<host mac='52:54:00:00:00:09' ip='10.77.0.9'/>", "--config"),
            List.of("net-update", "iso", "delete", "ip-dhcp-host", "<host mac='52:54:00:00:00:01'/>", "--config"),
            List.of("net-update", "iso", "delete", "ip-dhcp-host", "<host mac='52:54:00:00:00:09'/>", "--config"),
            List.of("net-update", "n1", "add", "ip-dhcp-host", "<host/>"),
            List.of("net-update", "tr", "add", "ip-dhcp-host", "<host name='x' ip='10.79.0.5'/>", "--config"),
            List.of("net-update", "iso", "add", "ip-dhcp-host", "<host name='x' ip='10.77.0.5'/>", "--current", "--live"),
            List.of("net-dumpxml", "iso"), List.of("net-dumpxml", "iso", "--inactive"), List.of("net-define", "default.xml"),
            List.of("net-dhcp-leases", "iso"), List.of(DHCP), List.of("net-dhcp-leases", "iso"),
            List.of("net-dhcp-leases", "iso", "--mac", "52:54:00:00:00:0A"), 
            List.of(STATE),
            List.of("net-undefine", "iso"), List.of("net-list", "--all"), List.of("net-destroy", "iso"), List.of("net-destroy", "iso"),
            List.of("net-destroy", "n1"), List.of("net-destroy", "n1"), List.of("net-destroy", "tr"), List.of("net-destroy", "rt"),
            List.of("net-destroy", "br"), List.of("net-destroy", "dn"), List.of("net-destroy", "nd"), List.of("net-undefine", "br"), List.of("net-undefine", "n1"), List.of("net-undefine", "rt"),
            List.of("net-list", "--all"),
            List.of("net-define", "default.xml"), List.of("net-dumpxml", "default"), List.of("net-undefine", "default"),
            List.of(STATE));

    private static final Set<String> FIXED_MACS = Set.of("52:54:00:11:22:33", "52:54:00:00:00:01", "52:54:00:00:00:02", "52:54:00:00:00:09", "52:54:00:00:00:0a");

    /** One side: how to run a command and how to read its host's state. */
    private interface Side {
        /** The command, its virsh run under prefix (an env setting EDITOR, or nothing). */
        NetNamespace.Result run(List<String> prefix, List<String> args) throws Exception;

        /** The dnsmasq directory's file NAME, or "" when missing. */
        String dnsmasqFile(String name) throws Exception;

        /** The paths this side's files name, to be replaced with neutral words. */
        Map<String, String> paths();

        NetNamespace ns();
    }

    @Test
    void virshOnLibvirtAndJvirshOnJvirtPrintTheSame(@TempDir Path dir) throws Exception {
        String missing = NetworkLibvirtd.missing();
        assumeTrue(missing == null, missing + ": skipped");
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        Path files = Files.createDirectories(dir.resolve("files"));
        for (var e : FILES.entrySet()) Files.writeString(files.resolve(e.getKey()), e.getValue());
        editor = Files.writeString(dir.resolve("edit.sh"), "#!/bin/sh\nsed -i 's/example.test/example.org/' \"$1\"\n");
        editor.toFile().setExecutable(true);
        Path root = dir.resolve("jvirt");
        try (NetNamespace libvirtNs = NetNamespace.open("lv"); NetNamespace jvirtNs = NetNamespace.open("jv");
             NetworkLibvirtd libvirtd = NetworkLibvirtd.start(Files.createDirectories(dir.resolve("libvirtd")), libvirtNs)) {
            Side libvirt = new Side() {
                @Override public NetNamespace.Result run(List<String> prefix, List<String> args) throws Exception { return libvirtd.virsh(files, prefix, args); }

                @Override public String dnsmasqFile(String name) throws Exception { return libvirtd.read("/var/lib/libvirt/dnsmasq/" + name); }


                @Override public Map<String, String> paths() { return Map.of("/var/lib/libvirt/dnsmasq/", "DNSMASQ/", "/run/libvirt/network/", "STATE/"); }

                @Override public NetNamespace ns() { return libvirtNs; }
            };
            String uri = "jvirt:///embed?root=" + root;
            Side jvirt = new Side() {
                @Override public NetNamespace.Result run(List<String> prefix, List<String> args) throws Exception { return jvirtNs.jvirsh(files, uri, prefix, args); }

                @Override
                public String dnsmasqFile(String name) throws Exception {
                    Path f = root.resolve("run/dnsmasq").resolve(name);
                    return Files.exists(f) ? Files.readString(f) : "";
                }

                @Override public Map<String, String> paths() { return Map.of(root + "/run/dnsmasq/", "DNSMASQ/", root + "/run/network/", "STATE/"); }

                @Override public NetNamespace ns() { return jvirtNs; }
            };
            String expected;
            String actual;
            try {
                expected = normalize(transcript(libvirt));
                actual = normalize(transcript(jvirt));
            } finally {
                for (NetNamespace g : GUESTS) g.close();
                GUESTS.clear();
            }
            assertTrue(expected.contains("Network n1 started") && expected.contains("dhcp-range=10.77.0.100")
                    && expected.contains("Network rt XML configuration edited.") && expected.contains("ipv4       10.77.0.")
                    && expected.contains("strict-order\nport=0\n") && expected.contains("server=/example.com/192.0.2.54\n") && expected.contains("<domain name='example.org'/>"), expected);
            assertEquals(expected, actual, () -> firstDifference(expected, actual));
        }
    }

    /**
     * Where the transcripts part, with a few lines before on both sides: first in the failure
     * message, since a CI log keeps only the start of the two whole transcripts after it.
     */
    static String firstDifference(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        int i = 0;
        while (i < e.size() && i < a.size() && e.get(i).equals(a.get(i))) i++;
        int from = Math.max(0, i - 6);
        StringBuilder b = new StringBuilder("transcripts differ at line " + (i + 1) + "\n--- libvirt\n");
        for (int k = from; k < Math.min(e.size(), i + 6); k++) b.append(k == i ? "> " : "  ").append(e.get(k)).append('\n');
        b.append("--- jvirt\n");
        for (int k = from; k < Math.min(a.size(), i + 6); k++) b.append(k == i ? "> " : "  ").append(a.get(k)).append('\n');
        return b.toString();
    }

    private static Path editor;

    private static List<String> editorPrefix() {
        return List.of("/usr/bin/env", "EDITOR=" + editor);
    }

    private static String transcript(Side side) throws Exception {
        StringBuilder b = new StringBuilder();
        for (List<String> args : SEQUENCE) {
            b.append("$ ").append(String.join(" ", args)).append('\n');
            if (args.get(0).equals(DHCP)) {
                b.append(dhcpClient(side));
                continue;
            }
            if (args.get(0).equals(STATE)) {
                b.append(state(side));
                continue;
            }
            NetNamespace.Result r = args.get(0).equals(EDIT) ? side.run(editorPrefix(), args.subList(1, args.size())) : side.run(List.of(), args);
            b.append(r.out()).append("[exit ").append(r.exit()).append("]\n");
        }
        return b.toString();
    }

    /** Gets a lease from iso (virbr1 on both sides): udhcpc's address line, or why it got none. */
    private static String dhcpClient(Side side) throws Exception {
        NetNamespace guest = NetNamespace.open("gu");
        GUESTS.add(guest);
        NetNamespace ns = side.ns();
        ns.sh("ip", "link", "add", "jvh1", "type", "veth", "peer", "name", "jvg1");
        ns.sh("ip", "link", "set", "jvg1", "netns", guest.name);
        ns.sh("ip", "link", "set", "jvh1", "master", "virbr1", "up");
        guest.sh("ip", "link", "set", "jvg1", "address", "52:54:00:00:00:0a", "up");
        // the bridge runs STP: its new port forwards after twice the kernel's least forward delay (2 s)
        for (int i = 0; i < 100 && !ns.sh("ip", "-d", "link", "show", "jvh1").contains("state forwarding"); i++) Thread.sleep(100);
        NetNamespace.Result r = guest.exec(null, "/usr/bin/busybox", "udhcpc", "-i", "jvg1", "-f", "-q", "-n", "-t", "10", "-T", "1", "-s", "/bin/true");
        Matcher m = Pattern.compile("lease of (\\S+) obtained").matcher(r.out());
        if (!m.find()) return "no lease: " + r.out();
        // dnsmasq records a lease after its answer (libvirt's through its lease helper, a process
        // of its own): on a busy host the next command can come first, so wait until it is listed
        for (int i = 0; i < 50 && !side.run(List.of(), List.of("net-dhcp-leases", "iso")).out().contains("52:54:00:00:00:0a"); i++) {
            Thread.sleep(200);
        }
        return "lease of " + m.group(1) + "\n";
    }

    private static final List<NetNamespace> GUESTS = new ArrayList<>();

    /** The host's side of the networks: links, addresses, firewall, dnsmasq files and processes. */
    private static String state(Side side) throws Exception {
        StringBuilder b = new StringBuilder();
        // the DHCP client's veth has a random MAC and link-local address on each side
        for (String cmd : List.of("link", "addr")) {
            side.ns().sh("ip", "-br", cmd).lines().filter(l -> !l.startsWith("jvh1")).forEach(l -> b.append(l).append('\n'));
        }
        b.append(firewall(side.ns().sh("iptables-save")));
        b.append(side.ns().sh("cat", "/proc/sys/net/ipv4/ip_forward"));
        List<String> dnsmasqs = side.ns().commandLines().stream().filter(c -> c.contains("dnsmasq")).toList();
        for (String net : List.of("n1", "iso", "rt", "tr", "dn", "nd")) {
            for (String suffix : List.of(".conf", ".hostsfile", ".addnhosts")) {
                b.append("--- ").append(net).append(suffix).append('\n').append(side.dnsmasqFile(net + suffix));
            }
            long running = dnsmasqs.stream().filter(c -> c.contains("/" + net + ".conf")).count();
            b.append("--- dnsmasq processes for ").append(net).append(": ").append(running > 0 ? "running" : "none").append('\n');
        }
        String text = b.toString();
        for (var e : side.paths().entrySet()) text = text.replace(e.getKey(), e.getValue());
        return text;
    }

    /**
     * iptables-save without comments and counters, each chain's rules grouped by the interface
     * they name (in their order within the group), groups sorted: the rules of one network and
     * their order must be libvirt's; the order between networks is not compared (libvirtd's
     * follows its hash table of networks when it reloads its rules).
     */
    static String firewall(String save) {
        StringBuilder b = new StringBuilder();
        java.util.TreeMap<String, List<String>> groups = new java.util.TreeMap<>();
        // a rule's network: the interface it names, else (nat) its source subnet
        Pattern iface = Pattern.compile(" -[ios] (\\S+)");
        for (String line : save.split("\n")) {
            if (line.startsWith("#")) continue;
            if (line.startsWith("*")) {
                for (List<String> g : groups.values()) for (String l : g) b.append(l).append('\n');
                groups.clear();
            }
            Matcher m = iface.matcher(line);
            if (line.startsWith("-A ") && m.find()) {
                groups.computeIfAbsent(line.split(" ")[1] + " " + m.group(1), k -> new ArrayList<>()).add(line);
            } else if (line.equals("COMMIT")) {
                for (List<String> g : groups.values()) for (String l : g) b.append(l).append('\n');
                groups.clear();
                b.append(line).append('\n');
            } else {
                b.append(line.replaceAll("\\[\\d+:\\d+\\]", "[0:0]")).append('\n');
            }
        }
        return b.toString();
    }

    /** Random uuids and MAC addresses numbered in order of appearance; the test's own kept. */
    static String normalize(String text) {
        text = number(text, Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID",
                Set.of("11111111-2222-3333-4444-555555555555", "22222222-2222-3333-4444-555555555555", "99999999-2222-3333-4444-555555555555"));
        text = text.replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "EXPIRY");
        return number(text, Pattern.compile("52:54:00(:[0-9a-f]{2}){3}"), "MAC", FIXED_MACS);
    }

    private static String number(String text, Pattern p, String word, Set<String> keep) {
        Map<String, String> seen = new LinkedHashMap<>();
        Matcher m = p.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = m.group();
            String r = keep.contains(v) ? v : seen.computeIfAbsent(v, k -> word + "-" + (seen.size() + 1));
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
    }
}
