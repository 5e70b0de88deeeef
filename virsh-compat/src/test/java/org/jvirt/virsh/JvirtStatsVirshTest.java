package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata, statistics and host commands on a jvirt URI (no VM needed): what they show
 * comes from the domain's files, the image files and the host's /proc, in virsh's formats.
 */
class JvirtStatsVirshTest {

    @TempDir
    Path cwd;

    private Path image;

    @BeforeEach
    void defineDomainWithSparseDisk() throws Exception {
        image = cwd.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(10L * 1024 * 1024);          // sparse: 10 MiB long
            f.write(new byte[8192]);                 // two pages really written
            f.getFD().sync();
        }
        Files.writeString(cwd.resolve("d.xml"), "<domain type='kvm'><name>d</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>/k</kernel></os><devices>"
                + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='" + image + "'/>"
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>\n");
        assertEquals("0", jvirsh("define", "d.xml")[0]);
    }

    private String[] jvirsh(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = "jvirt:///embed?root=" + cwd.resolve("root");
        System.arraycopy(args, 0, all, 2, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void metadataIsStoredInTheConfigAndReadByAnotherClient() throws Exception {
        String[] set = jvirsh("metadata", "d", "http://app.example/", "--key", "app", "--set", "<cfg><item k=\"v\"/></cfg>");
        assertEquals("Metadata modified\n\n", set[1], set[2]);
        // a new connection (as another client) finds it in the stored definition
        assertEquals("<cfg>\n  <item k=\"v\"/>\n</cfg>\n\n", jvirsh("metadata", "d", "http://app.example/")[1]);
        String config = Files.readString(cwd.resolve("root/config/d.xml"));
        assertTrue(config.contains("<app:cfg xmlns:app=\"http://app.example/\">"), config);
        assertEquals("Metadata removed\n\n", jvirsh("metadata", "d", "http://app.example/", "--remove")[1]);
        String[] gone = jvirsh("metadata", "d", "http://app.example/");
        assertEquals("1", gone[0]);
        assertEquals("error: metadata not found: Requested metadata element is not present\n", gone[2]);
        String[] live = jvirsh("metadata", "d", "http://app.example/", "--key", "a", "--set", "<x/>", "--live");
        assertEquals("error: Requested operation is not valid: domain is not running\n", live[2]);
    }

    /** The outputs of real virsh 9.0 for the same editors on test:///default (checked by hand; goldens cannot set EDITOR). */
    @Test
    void metadataEditRunsTheEditor() throws Exception {
        Path editor = cwd.resolve("ed.sh");
        Files.writeString(editor, "#!/bin/sh\nprintf '<e a=\"1\"/>\\n' > \"$1\"\n");
        editor.toFile().setExecutable(true);
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("EDITOR", editor.toString());
        env.remove("VISUAL");
        assertEquals("Metadata modified\n\n<e a=\"1\"/>\n\n",
                jvirshEnv(env, "metadata d urn:e --key e --edit; metadata d urn:e")[1]);
        env.put("EDITOR", "true");
        assertEquals("Metadata not changed\n", jvirshEnv(env, "metadata d urn:e --key e --edit")[1]);
        Files.writeString(editor, "#!/bin/sh\nprintf '<bad' > \"$1\"\n");
        env.put("EDITOR", editor.toString());
        String[] bad = jvirshEnv(env, "metadata d urn:e --key e --edit");
        assertEquals("0", bad[0]);
        assertEquals("Metadata modified\n\n", bad[1]);
        assertEquals("error: Failed.\n", bad[2]);
        assertEquals("<e a=\"1\"/>\n\n", jvirsh("metadata", "d", "urn:e")[1]);
    }

    private String[] jvirshEnv(java.util.Map<String, String> env, String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "jvirt:///embed?root=" + cwd.resolve("root"), line},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), cwd, env);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void descAndTitleArePersistent() throws Exception {
        assertEquals("0", jvirsh("desc", "d", "--title", "My", "title")[0]);
        assertEquals("0", jvirsh("desc", "d", "a description")[0]);
        assertEquals("My title\n", jvirsh("desc", "d", "--title")[1]);
        assertEquals("a description\n", jvirsh("desc", "d")[1]);
        assertTrue(Files.readString(cwd.resolve("root/config/d.xml")).contains("<title>My title</title>"));
    }

    @Test
    void domblkinfoReadsTheImageFile() throws Exception {
        long allocated = 512 * Long.parseLong(run("stat", "-c", "%b", image.toString()).trim());
        long size = 10L * 1024 * 1024;
        assertEquals(String.format("Capacity:       %d%nAllocation:     %d%nPhysical:       %d%n%n", size, allocated, size)
                .replace(System.lineSeparator(), "\n"), jvirsh("domblkinfo", "d", "vda")[1]);
        assertEquals(jvirsh("domblkinfo", "d", "vda")[1], jvirsh("domblkinfo", "d", image.toString())[1]);
        String human = jvirsh("domblkinfo", "d", "--all", "--human")[1];
        assertTrue(human.startsWith(" Target   Capacity     Allocation   Physical\n"), human);
        assertTrue(human.contains(" vda      10.000 MiB   "), human);
        String[] bad = jvirsh("domblkinfo", "d", "vdb");
        assertEquals("1", bad[0]);
        assertEquals("error: invalid argument: invalid path vdb not assigned to domain\n", bad[2]);
    }

    @Test
    void blockAndInterfaceCountersNeedARunningDomain() throws Exception {
        String[] blk = jvirsh("domblkstat", "d", "vda");
        assertEquals("1", blk[0]);
        assertEquals("error: Failed to get block stats d vda\n"
                + "error: Requested operation is not valid: domain is not running\n", blk[2]);
        String[] nic = jvirsh("domifstat", "d", "eth0");
        assertEquals("error: Failed to get interface stats d eth0\n"
                + "error: Requested operation is not valid: domain is not running\n", nic[2]);
        // qemuDomainGetJobStatsInternal's virDomainObjCheckActive (a running domain without a job: "Job type: None")
        assertEquals("error: Requested operation is not valid: domain is not running\n", jvirsh("domjobinfo", "d")[2]);
        String[] sched = jvirsh("schedinfo", "d");
        assertEquals("Scheduler      : Unknown\n\n", sched[1]);
        assertEquals("error: this function is not supported by the connection driver: virDomainGetSchedulerType\n", sched[2]);
    }

    @Test
    void domstatsOfAStoppedDomain() throws Exception {
        assertEquals("Domain: 'd'\n  state.state=5\n  state.reason=0\n  balloon.current=65536\n  balloon.maximum=65536\n"
                + "  vcpu.current=1\n  vcpu.maximum=1\n\n", jvirsh("domstats", "--state", "--balloon", "--vcpu", "d")[1]);
        assertEquals("Domain: 'd'\n\n", jvirsh("domstats", "--list-inactive", "--cpu-total")[1]);
        String[] enforce = jvirsh("domstats", "--enforce", "--block");
        assertEquals("error: argument unsupported: Stats types bits 0x20 are not supported by this daemon\n", enforce[2]);
    }

    @Test
    void nodememstatsIsProcMeminfo() throws Exception {
        String out = jvirsh("nodememstats")[1];
        Matcher m = Pattern.compile("total  : +(\\d+) KiB\nfree   : +\\d+ KiB\nbuffers: +\\d+ KiB\ncached : +\\d+ KiB\n\n").matcher(out);
        assertTrue(m.matches(), out);
        assertEquals(meminfo("MemTotal:"), Long.parseLong(m.group(1)));
        assertEquals(33, out.indexOf('\n'));  // "%-7s: %20llu KiB"
    }

    @Test
    void nodecpustatsIsProcStat() throws Exception {
        String out = jvirsh("nodecpustats")[1];
        Matcher m = Pattern.compile("user: +(\\d+)\nsystem: +(\\d+)\nidle: +(\\d+)\niowait: +(\\d+)\n\n").matcher(out);
        assertTrue(m.matches(), out);
        assertEquals(36, out.indexOf('\n'));  // "%-15s %20llu"
        long[] cpu = procStatCpu();
        long idleNow = Long.parseLong(m.group(3));
        assertTrue(idleNow <= cpu[3] * 10_000_000L && idleNow % 10_000_000L == 0, out);
        String[] bad = jvirsh("nodecpustats", "--cpu", "99999");
        assertEquals("1", bad[0]);
        assertEquals("error: Unable to get number of cpu stats\nerror: Invalid cpuNum in virHostCPUGetStatsLinux\n", bad[2]);
        String pct = jvirsh("nodecpustats", "--percent")[1];
        assertTrue(pct.matches("usage: +[0-9. ]+%\nuser: +[0-9. ]+%\nsystem: +[0-9. ]+%\nidle: +[0-9. ]+%\niowait: +[0-9. ]+%\n\n"), pct);
    }

    @Test
    void freecellAndDomcapabilities() throws Exception {
        String total = jvirsh("freecell")[1];
        assertTrue(total.matches("Total: \\d+ KiB\n\n"), total);
        String all = jvirsh("freecell", "--all")[1];
        assertTrue(all.matches("(?s)( +\\d+: +\\d+ KiB\n)+--------------------\nTotal: +\\d+ KiB\n\n"), all);
        // the default virt type is kvm where /dev/kvm works, else qemu (the emulator), as libvirt's
        boolean kvm = Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"));
        boolean emulator = org.jvirt.vmm.machine.MachineConfig.Accel.EMU.implemented();
        String[] dflt = jvirsh("domcapabilities");
        if (kvm || emulator) {
            String caps = dflt[1];
            assertTrue(caps.matches("(?s)<domainCapabilities>\n  <path>/\\S*jvirt-vmm</path>\n  <domain>" + (kvm ? "kvm" : "qemu")
                    + "</domain>\n.*"), caps);
            assertTrue(caps.contains("<vcpu max='255'/>"), caps);
        } else {
            assertEquals("1", dflt[0]);
            assertTrue(dflt[2].matches("error: failed to get emulator capabilities\n"
                    + "error: invalid argument: KVM is not supported by '/\\S*jvirt-vmm' on this host\n"), dflt[2]);
        }
        String[] qemu = jvirsh("domcapabilities", "--virttype", "qemu");
        if (emulator) {
            assertTrue(qemu[1].contains("  <domain>qemu</domain>\n"), qemu[1]);
        } else {
            assertEquals("1", qemu[0]);
            assertTrue(qemu[2].startsWith("error: failed to get emulator capabilities\nerror: unsupported configuration: "), qemu[2]);
        }
    }

    private static long meminfo(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith(key)) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError(key);
    }

    private static long[] procStatCpu() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long[] v = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) v[i - 1] = Long.parseLong(f[i]);
        // user+nice, system+irq+softirq, then idle read later than jvirsh did
        return new long[] {v[0] + v[1], v[2] + v[5] + v[6], 0, v[3]};
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
