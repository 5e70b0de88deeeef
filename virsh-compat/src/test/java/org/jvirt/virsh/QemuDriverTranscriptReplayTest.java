package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the recorded runs of real virsh 9.0 against libvirt's QEMU driver (one libvirtd, in
 * file-number order) against jvirsh on one fresh jvirt:///embed root whose domains run in real
 * jvirt-vmm processes on KVM. The recorded domains boot a kernel under /var/lib/libvirt/images;
 * here the input XML is rewritten to boot the ticker test guest (type kvm: jvirt has no
 * emulator yet; a qcow2 disk of its own) and the substituted paths are mapped back in
 * jvirsh's output, with the same length so that column widths still agree.
 *
 * <p>Each transcript is either compared byte for byte (after {@link Volatile} and the masks
 * below), run with jvirt's own expected outcome asserted (where the difference is legitimate),
 * or excluded, each with its reason in {@link #PLAN}.
 */
class QemuDriverTranscriptReplayTest {

    private enum Mode { COMPARE, RUN, EXCLUDE }

    /** What jvirt should answer when it is RUN: its exit status and a fragment of stdout or stderr. */
    private record Plan(Mode mode, String reason, int rc, String expect) {
        static Plan compare() { return new Plan(Mode.COMPARE, "", 0, null); }
        static Plan run(String reason, int rc, String expect) { return new Plan(Mode.RUN, reason, rc, expect); }
        static Plan exclude(String reason) { return new Plan(Mode.EXCLUDE, reason, 0, null); }
    }

    /** libvirt's qemu driver needs a qcow2 disk for a running domain's memory (savevm); jvirt keeps it in a state file. */
    private static final String DISKLESS = "a running domain without disks snapshots on jvirt (its state goes to a file)";
    private static final String GAP_69 = "lvref-disk still has its snapshots here: the recording's step 69 that removed them is not kept";
    /** libvirt's VIR_ERR_NO_SUPPORT form, as libvirt reports a driver without the entry point. */
    private static final String NO_SUPPORT = "error: this function is not supported by the connection driver: ";

    /** Every transcript of the directory must be planned here (the test fails on a new one). */
    private static final Map<String, Plan> PLAN = new LinkedHashMap<>();
    static {
        Plan c = Plan.compare();
        PLAN.put("01-define.txt", c);
        PLAN.put("02-list-all.txt", c);
        PLAN.put("03-dumpxml-after-define.txt", Plan.run("dumpxml shows QEMU's machine, CPU model, emulator and USB controller", 0, "<name>lvref</name>"));
        PLAN.put("04-dominfo-shutoff.txt", c);
        PLAN.put("05-domstate-shutoff.txt", c);
        PLAN.put("06-start.txt", c);
        PLAN.put("07-list-all-running.txt", c);
        PLAN.put("08-dominfo-running.txt", c);
        PLAN.put("09-domstate-running.txt", c);
        PLAN.put("10-dumpxml-running.txt", Plan.run("live XML shows QEMU's devices, aliases and CPU features", 0, "<domain type='kvm' id='1'>"));
        PLAN.put("11-console.txt", Plan.exclude("needs a terminal (script + timeout 4); shows guest output and the host's polkit message"));
        PLAN.put("12-suspend.txt", c);
        PLAN.put("13-domstate-paused.txt", c);
        PLAN.put("14-list-paused.txt", c);
        PLAN.put("15-resume.txt", c);
        PLAN.put("16-domstate-resumed.txt", c);
        PLAN.put("17-snapshot-create-as-nodisk.txt", Plan.run(DISKLESS, 0, "Domain snapshot s1 created"));
        PLAN.put("18-snapshot-list-nodisk.txt", Plan.run(DISKLESS, 0, " s1     "));
        PLAN.put("19-save.txt", c);
        PLAN.put("20-list-after-save.txt", c);
        PLAN.put("21-domstate-saved.txt", c);
        PLAN.put("22-dominfo-saved.txt", c);
        PLAN.put("23-restore.txt", c);
        PLAN.put("24-domstate-restored.txt", c);
        PLAN.put("25-err-start-running.txt", c);
        PLAN.put("26-destroy.txt", c);
        PLAN.put("27-domstate-destroyed.txt", c);
        PLAN.put("29-undefine.txt", Plan.run(DISKLESS + ": lvref keeps it, and undefine refuses", 1,
                "error: Requested operation is not valid: cannot delete inactive domain with 1 snapshots"));
        PLAN.put("30-list-after-undefine.txt", Plan.run(DISKLESS + ": lvref is still defined", 0, " lvref   shut off"));
        PLAN.put("31-err-unknown-domain.txt", c);
        PLAN.put("32-err-define-malformed.txt", c);
        PLAN.put("33-err-define-noname.txt", c);
        PLAN.put("34-define-badkernel.txt", c);
        PLAN.put("35-err-start-badkernel.txt", c);
        PLAN.put("36-undefine-badkernel.txt", c);
        PLAN.put("37-err-define-test-type.txt", c);
        PLAN.put("40-define-disk.txt", c);
        PLAN.put("41-start-disk.txt", c);
        PLAN.put("42-snapshot-create-as.txt", c);
        PLAN.put("43-snapshot-create-as-2.txt", c);
        PLAN.put("44-snapshot-list.txt", c);
        PLAN.put("45-snapshot-list-tree.txt", c);
        PLAN.put("46-snapshot-info.txt", c);
        PLAN.put("47-snapshot-dumpxml.txt", Plan.run("the domain XML in it is jvirt's live XML, not QEMU's", 0, "<domainsnapshot>\n  <name>s1</name>"));
        PLAN.put("48-snapshot-current.txt", c);
        PLAN.put("49-snapshot-revert.txt", c);
        PLAN.put("50-domstate-after-revert.txt", c);
        PLAN.put("52-snapshot-delete.txt", c);
        PLAN.put("53-snapshot-list-after-delete.txt", c);
        PLAN.put("54-domblklist.txt", c);
        PLAN.put("55-domiflist.txt", c);
        PLAN.put("56-vcpuinfo.txt", c);
        PLAN.put("57-setmem.txt", Plan.run("QEMU domains get a memballoon by default; jvirt-vmm has no balloon device", 1,
                "error: Requested operation is not valid: Unable to change memory of active domain without the balloon device"));
        PLAN.put("59-setvcpus-err.txt", c);
        PLAN.put("60-desc.txt", c);
        PLAN.put("61-desc-get.txt", c);
        PLAN.put("62-destroy-disk.txt", c);
        PLAN.put("63-snapshot-create-offline.txt", c);
        PLAN.put("64-snapshot-list-offline.txt", c);
        PLAN.put("65-snapshot-revert-offline-to-running.txt", c);
        PLAN.put("67-destroy-disk-2.txt", c);
        PLAN.put("68-err-undefine-with-snapshots.txt", c);
        // the recording removed lvref-disk and its snapshots between 68 and 70 with a command it did not keep (no 69)
        PLAN.put("70-autostart.txt", Plan.run(GAP_69, 1, "error: operation failed: domain 'lvref-disk' already exists with uuid"));
        PLAN.put("71-autostart-on.txt", c);
        PLAN.put("73-undefine-disk.txt", Plan.run(GAP_69, 1,
                "error: Requested operation is not valid: cannot delete inactive domain with 2 snapshots"));
        PLAN.put("80-nodeinfo.txt", Plan.run("describes the recording host's CPU and memory", 0, "CPU model:           x86_64"));
        PLAN.put("81-version.txt", c); // the hypervisor's name and version are masked

        PLAN.put("82-uri.txt", Plan.run("the URI is jvirt's embed URI here", 0, "jvirt:///embed?root="));
        PLAN.put("83-hostname.txt", Plan.run("names the recording host", 0, "\n"));
        PLAN.put("84-capabilities.txt", Plan.run("describes the recording host and QEMU's machines", 0, "<capabilities>"));
        PLAN.put("85-domcapabilities.txt", Plan.run("describes jvirt-vmm's emulator (virttype qemu), not QEMU's binary", 0,
                "<domain>qemu</domain>"));
    }

    /** The kernel and disk of the recorded host, and jvirt's replacements (same length, see above). */
    private static final String REC_KERNEL = "/var/lib/libvirt/images/lvref/vmlinuz";
    private static final String REC_DISK = "/var/lib/libvirt/images/lvref/disk.qcow2";
    private static final String REC_SAVE = "/var/lib/libvirt/images/lvref/lvref.sav";
    private static final String REC_EMULATOR = "Emulator '/usr/bin/qemu-system-x86_64'";

    private static Path shared() {
        return Path.of(System.getProperty("jvirt.shared", "../shared"));
    }

    private static final Path TICKER = Path.of("..", "test-fixtures", "target", "guests", "ticker.elf").toAbsolutePath().normalize();

    private static Path work;
    private static Path cwd;
    private static String uri;
    private static Path root;
    private static String disk;
    /** Where the recorded save image path is saved to here (the output names the recorded one). */
    private static String saveImage;
    private static String previousVmm;
    private static final Map<String, String> OUTPUT_MAP = new LinkedHashMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        if (!Files.isReadable(Path.of("/dev/kvm")) || !Files.isWritable(Path.of("/dev/kvm"))) return;
        if (!Files.exists(TICKER)) return;
        if (!Files.isDirectory(shared().resolve("reference/virsh/qemu-driver/files"))) return;
        // a short directory name so that the disk's path can have the recorded path's length
        work = Files.createTempDirectory(Path.of("/tmp"), "jq");
        root = Files.createDirectories(work.resolve("root"));
        uri = "jvirt:///embed?root=" + root;
        String stem = work.resolve("d").toString();
        disk = stem + "x".repeat(Math.max(0, REC_DISK.length() - stem.length() - 4)) + ".img";
        org.jvirt.vmm.block.qcow2.Qcow2Create.create(Path.of(disk), 1 << 20, 3, 16, null, null);
        OUTPUT_MAP.put(disk, REC_DISK);
        saveImage = work.resolve("lvref.sav").toString();
        OUTPUT_MAP.put(saveImage, REC_SAVE);
        OUTPUT_MAP.put("Emulator 'jvirt-vmm'", REC_EMULATOR);
        Path vmm = work.resolve("jvirt-vmm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(vmm, "#!/bin/sh\nexec " + java + " -XX:TieredStopAtLevel=1 -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' org.jvirt.vmm.cli.JvirtVmmMain \"$@\"\n");
        Files.setPosixFilePermissions(vmm, PosixFilePermissions.fromString("rwxr-xr-x"));
        previousVmm = System.setProperty("jvirt.vmm", vmm.toString());
        // the transcripts' working directory: qemu-driver/ beside test-driver/, inputs rewritten
        Path ref = shared().resolve("reference/virsh");
        cwd = Files.createDirectories(work.resolve("qemu-driver/files"));
        try (Stream<Path> s = Files.list(ref.resolve("qemu-driver/files"))) {
            for (Path p : s.toList()) Files.writeString(cwd.resolve(p.getFileName()), forJvirt(Files.readString(p)));
        }
        Path td = Files.createDirectories(work.resolve("test-driver/files"));
        try (Stream<Path> s = Files.list(ref.resolve("test-driver/files"))) {
            for (Path p : s.toList()) Files.copy(p, td.resolve(p.getFileName()));
        }
        cwd = cwd.getParent();
    }

    /**
     * The recorded input XML made bootable by jvirt: KVM, the ticker guest, a qcow2 disk of its own, and no
     * serial <log> file (jvirt-vmm cannot copy a serial port's output to a log, so start refuses it).
     */
    static String forJvirt(String xml) {
        return xml.replace("<domain type='qemu'>", "<domain type='kvm'>")
                .replaceAll("\n *<log file='[^']*' append='off'/>", "")
                .replaceAll("<kernel>" + REC_KERNEL + "</kernel>\n *<initrd>[^<]*</initrd>", "<kernel>" + TICKER + "</kernel>")
                .replace("<source file='" + REC_DISK + "'/>", "<source file='" + disk + "'/>");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (work == null) return;
        try {
            for (String n : List.of("lvref", "lvref-disk", "lvref-badkernel")) {
                Main.run(new String[] {"-c", uri, "destroy", n}, new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(new ByteArrayOutputStream()), cwd);
            }
        } finally {
            if (previousVmm == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previousVmm);
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> replayQemuDriverTranscripts() throws IOException {
        Path dir = shared().resolve("reference/virsh/qemu-driver");
        assumeTrue(Files.isDirectory(dir), "no virsh transcripts at " + dir.toAbsolutePath() + "; skipping the replay");
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")),
                "/dev/kvm is missing or not accessible: the qemu-driver replay needs domains that run");
        assumeTrue(Files.exists(TICKER), "test guests not built (make -C test-fixtures/guests): qemu-driver replay skipped");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            Plan plan = PLAN.get(name);
            tests.add(DynamicTest.dynamicTest(name + (plan == null ? "" : " [" + plan.mode() + "]"), () -> replay(f, plan)));
        }
        return tests.stream();
    }

    private void replay(Path file, Plan plan) throws IOException {
        String name = file.getFileName().toString();
        assertTrue(plan != null, name + " has no entry in the replay plan");
        assumeTrue(plan.mode() != Mode.EXCLUDE, "excluded: " + plan.reason());
        Transcript t = Transcript.read(file);
        List<String> args = new ArrayList<>(t.args().subList(1, t.args().size()));
        assertEquals("-c", args.get(0), name);
        args.set(1, uri);
        args.replaceAll(a -> a.equals(REC_SAVE) ? saveImage : a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(args.toArray(new String[0]), o, e, cwd);
        }
        String gotOut = mapBack(out.toString(StandardCharsets.UTF_8));
        String gotErr = mapBack(err.toString(StandardCharsets.UTF_8));
        if (plan.mode() == Mode.RUN) {
            assertEquals(plan.rc(), rc, name + " (" + plan.reason() + "): exit status; stderr: " + gotErr);
            String where = rc == 0 ? gotOut : gotErr;
            assertTrue(where.contains(plan.expect()), name + " (" + plan.reason() + "): expected '" + plan.expect()
                    + "' in\n" + where);
            return;
        }
        assertEquals(mask(t.stdout()), mask(gotOut), name + ": stdout");
        assertEquals(mask(t.stderr()), mask(gotErr), name + ": stderr");
        assertEquals(t.exitCode(), rc, name + ": exit status");
        if (args.get(2).equals("start") && rc == 0) assertVmmRuns(args.get(3));
    }

    /** A started domain is a live jvirt-vmm process, not only a status file. */
    private static void assertVmmRuns(String domain) throws IOException {
        long pid = Long.parseLong(Files.readString(org.jvirt.driver.jvirt.JvirtPaths.embed(root).pidFile(domain)).trim());
        ProcessHandle p = ProcessHandle.of(pid).orElse(null);
        assertTrue(p != null && p.isAlive(), domain + ": jvirt-vmm pid " + pid + " is not running");
        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains("JvirtVmmMain"), domain + ": pid " + pid + " is not jvirt-vmm: " + cmdline);
    }

    private static String mapBack(String s) {
        for (Map.Entry<String, String> e : OUTPUT_MAP.entrySet()) s = s.replace(e.getKey(), e.getValue());
        return s;
    }

    /**
     * Volatile values, and what differs between hosts or hypervisors rather than between
     * implementations: the host CPU a vCPU last ran on and its affinity (vcpuinfo), libvirt's
     * taint message for a QEMU run as root (libvirt's QEMU driver only: jvirt-vmm has no
     * privilege to drop), and the hypervisor's name and version in `version` (QEMU 7.2 there).
     */
    static String mask(String s) {
        s = Volatile.mask(s);
        s = s.replaceAll("(?m)^(CPU: +)\\d+$", "$1<host-cpu>");
        s = s.replaceAll("(?m)^(CPU Affinity: +)[y-]+$", "$1<host-cpus>");
        s = s.replaceAll("(?m)^Messages: +tainted: running with undesirable elevated privileges\n", "");
        s = s.replaceAll("(?m)^(Using API: )\\S+ ", "$1<hypervisor> ");
        s = s.replaceAll("(?m)^(Running hypervisor: )\\S+ [0-9.]+$", "$1<hypervisor> <version>");
        return s;
    }
}
