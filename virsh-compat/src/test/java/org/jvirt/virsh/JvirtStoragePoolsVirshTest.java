package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.virsh.testing.StorageLibvirtd;
import org.junit.jupiter.api.Test;

/**
 * Storage pools of type dir and their volumes on a jvirt URI, against the real libvirt: the
 * same pool-* and vol-* commands run with Debian's virsh on a private libvirtd that has the
 * storage driver ({@link StorageLibvirtd}) and with jvirsh on {@code jvirt:///embed?root=...};
 * the transcripts (exit code, stdout, stderr of each command) must be the same once what has
 * to differ is normalized (see {@link #normalize}).
 */
class JvirtStoragePoolsVirshTest {

    /** '@' stands for the side's pools directory, '%' for its directory of input files. */
    private static final List<String> BEFORE_EXTERNAL_FILES = List.of(
            "pool-define %/p1.xml",
            "pool-list --all --details",
            "pool-info p1",
            "pool-dumpxml p1",
            "pool-start p1",
            "pool-build p1",
            "pool-start p1",
            "pool-start p1",
            "pool-build p1",
            "pool-define-as p2 dir --target @/p1",
            "pool-autostart p1",
            "pool-list --all",
            "pool-list --all --details",
            "pool-info p1",
            "pool-dumpxml p1",
            "vol-create-as p1 a.img 10M",
            "vol-create-as p1 a.img 1M",
            "vol-create-as p1 s.img 10M --allocation 0",
            "vol-create-as p1 b.qcow2 20M --format qcow2 --backing-vol a.img --backing-vol-format raw",
            "vol-create p1 %/v.xml",
            "vol-list p1",
            "vol-list p1 --details",
            "vol-info a.img --pool p1",
            "vol-info b.qcow2 --pool p1 --bytes",
            "vol-dumpxml a.img --pool p1",
            "vol-dumpxml v.img --pool p1",
            "vol-path a.img --pool p1",
            "vol-key a.img --pool p1",
            "vol-name @/p1/a.img",
            "vol-pool @/p1/a.img",
            "vol-path @/p1/nosuch.img",
            "vol-info nosuch.img --pool p1",
            "vol-clone a.img c.img --pool p1",
            "vol-resize c.img 20M --pool p1",
            "vol-info c.img --pool p1 --bytes",
            "vol-resize c.img 1M --pool p1",
            "vol-resize c.img 15M --pool p1",
            "vol-resize s.img 5M --pool p1 --shrink",
            "vol-info s.img --pool p1 --bytes",
            "vol-delete c.img --pool p1",
            "vol-delete c.img --pool p1",
            // vol-wipe: an allocated raw file, a sparse one, a qcow2 (zeroed to its allocation: it becomes raw), other algorithms
            "vol-create-as p1 w.img 1M",
            "vol-upload w.img %/data.bin --pool p1",
            "vol-wipe w.img --pool p1",
            "!cmp @/p1/w.img /dev/zero",
            "vol-info w.img --pool p1 --bytes",
            "vol-create-as p1 z.img 1M --allocation 0",
            "vol-upload z.img %/data.bin --pool p1",
            "vol-wipe z.img --pool p1",
            "!cmp @/p1/z.img /dev/zero",
            "vol-info z.img --pool p1 --bytes",
            "vol-create-as p1 q.qcow2 1M --format qcow2",
            "vol-wipe q.qcow2 --pool p1",
            "vol-info q.qcow2 --pool p1 --bytes",
            "vol-wipe w.img --pool p1 --algorithm trim",
            "vol-wipe w.img --pool p1 --algorithm nnsa",
            "vol-delete w.img --pool p1",
            "vol-delete z.img --pool p1",
            "vol-delete q.qcow2 --pool p1",
            // virt-install's new qcow2 volumes: qemu-img's preallocation=metadata
            "vol-create-as p1 m.qcow2 1M --format qcow2 --prealloc-metadata",
            "vol-info m.qcow2 --pool p1 --bytes",
            "vol-info m.qcow2 --pool p1 --bytes --physical",
            "vol-create-as p1 m.img 1M --prealloc-metadata",
            "vol-create-as p1 m2.qcow2 1M --format qcow2 --backing-vol m.qcow2 --backing-vol-format qcow2 --prealloc-metadata",
            "vol-info s.img --pool p1 --physical",
            "vol-delete m.qcow2 --pool p1",
            "vol-upload v.img %/data.bin --pool p1 --offset 65536",
            "vol-info v.img --pool p1 --bytes",
            "vol-download v.img %/out.bin --pool p1 --offset 69632 --length 8192",
            "vol-upload nosuch.img %/data.bin --pool p1",
            "vol-upload v.img %/missing.bin --pool p1",
            // the reference's qemu-img on the images each side made
            "!qemu-img info @/p1/b.qcow2",
            "!qemu-img check @/p1/b.qcow2",
            "!qemu-img info @/p1/a.img");

    /** After files appear in the pool's directory behind the driver's back: only a refresh finds them. */
    private static final List<String> AFTER_EXTERNAL_FILES = List.of(
            "vol-list p1",
            "vol-info ext.raw --pool p1",
            "pool-refresh p1",
            "vol-list p1 --details",
            "vol-dumpxml b.qcow2 --pool p1",
            "vol-dumpxml ext.qcow2 --pool p1",
            "vol-info ext.raw --pool p1 --bytes",
            // a file gone behind the driver's back: the pool still lists its volume, deleting it is no failure
            "!rm @/p1/s.img",
            "vol-list p1",
            "vol-info s.img --pool p1",
            "vol-delete s.img --pool p1",
            "vol-list p1",
            "pool-destroy p1",
            "vol-list p1",
            "pool-list --all --details",
            "pool-dumpxml p1",
            "pool-destroy p1",
            "pool-undefine p1",
            "pool-list --all",
            "pool-undefine p1",
            "pool-create-as p3 dir --target @/nodir",
            "pool-create-as p3 dir --target @/p1",
            "pool-list --all --details",
            "pool-autostart p3",
            "vol-list p3",
            "pool-destroy p3",
            "pool-list --all",
            "pool-create-as p6 dir --target @/p6 --build",
            "pool-info p6",
            "pool-destroy p6",
            "pool-define-as p4 dir --target @/p4",
            "pool-start p4 --build",
            "pool-delete p4",
            "pool-destroy p4",
            "pool-delete p4",
            "pool-start p4",
            "pool-define-as p5 dir --target @/p1",
            "pool-delete p5",
            "pool-undefine p4",
            "pool-undefine p5",
            "pool-list --all");

    /** jvirsh (in this JVM) on uri, its files under base, which is also its working directory. */
    private static Side jvirsh(Path base, String uri) {
        return new Side() {
            @Override public Path base() { return base; }

            @Override
            public String[] run(List<String> argv) {
                List<String> args = new ArrayList<>(List.of("-c", uri));
                args.addAll(argv);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int rc = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8), base);
                return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
            }
        };
    }

    /** A jvirtd in this JVM, its system driver under base/root, listening on a free TCP port of loopback. */
    private static org.jvirt.daemon.server.DaemonServer jvirtd(Path base) throws Exception {
        org.jvirt.daemon.server.DaemonServer d = new org.jvirt.daemon.server.DaemonServer(
                new org.jvirt.daemon.server.ServerSettings(Files.createDirectories(base.resolve("root")),
                Files.createDirectories(base.resolve("run")), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"), null, "127.0.0.1", 0, -1, null, null,
                5000, 20, 5, 5));
        d.start();
        return d;
    }

    /** The real virsh on uri, its files under base. */
    private static Side virsh(Path base, String uri) {
        return new Side() {
            @Override public Path base() { return base; }

            @Override
            public String[] run(List<String> argv) throws Exception {
                List<String> cmd = new ArrayList<>(List.of("/usr/bin/virsh", "-c", uri));
                cmd.addAll(argv);
                ProcessBuilder pb = new ProcessBuilder(cmd);
                pb.environment().put("LC_ALL", "C");
                Process p = pb.start();
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                return new String[] {Integer.toString(p.waitFor()), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8)};
            }
        };
    }

    /** What goes over libvirt's RPC: the pool and volume calls and the volume streams (vol-upload, vol-download). */
    private static final List<String> OVER_THE_WIRE = List.of(
            "pool-define %/p1.xml",
            "pool-build p1",
            "pool-start p1",
            "pool-autostart p1",
            "pool-list --all --details",
            "pool-info p1",
            "pool-dumpxml p1",
            "vol-create-as p1 a.img 10M",
            "vol-create-as p1 a.img 1M",
            "vol-create-as p1 b.qcow2 20M --format qcow2 --backing-vol a.img --backing-vol-format raw",
            "vol-create p1 %/v.xml",
            "vol-list p1 --details",
            "vol-info b.qcow2 --pool p1 --bytes",
            "vol-dumpxml a.img --pool p1",
            "vol-key a.img --pool p1",
            "vol-pool @/p1/a.img",
            "vol-clone a.img c.img --pool p1",
            "vol-resize c.img 20M --pool p1",
            "vol-resize c.img 1M --pool p1",
            "vol-delete c.img --pool p1",
            "vol-upload v.img %/data.bin --pool p1 --offset 65536",
            "vol-info v.img --pool p1 --bytes",
            "vol-download v.img %/out.bin --pool p1 --offset 69632 --length 8192",
            "!cmp -n 8192 %/out.bin %/data.bin 0 4096",
            "vol-download a.img %/whole.bin --pool p1",
            "!cmp %/whole.bin @/p1/a.img",
            "!truncate -s 3M @/p1/ext.raw",
            "vol-info ext.raw --pool p1",
            "pool-refresh p1",
            "vol-list p1 --details",
            "pool-destroy p1",
            "vol-list p1",
            "pool-undefine p1",
            "pool-list --all");

    @Test
    void theRealVirshOverJvirtdMatchesLibvirt() throws Exception {
        String why = StorageLibvirtd.missing();
        assumeTrue(why == null, () -> why + ": the storage parity test is skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "virsh is not installed");
        try (StorageLibvirtd daemon = StorageLibvirtd.start()) {
            Path virshBase = daemon.sibling("wired");
            Path jvirshBase = daemon.sibling("jvrsh");
            org.jvirt.daemon.server.DaemonServer forVirsh = jvirtd(virshBase);
            org.jvirt.daemon.server.DaemonServer forJvirsh = jvirtd(jvirshBase);
            try {
                Side libvirt = virsh(daemon.pools(), daemon.uri());
                Side virshOverJvirtd = virsh(virshBase, "qemu+tcp://127.0.0.1:" + forVirsh.tcpPort() + "/system");
                // jvirt's own remote driver: the same calls and streams from the client side
                Side jvirshOverJvirtd = jvirsh(jvirshBase, "qemu+tcp://127.0.0.1:" + forJvirsh.tcpPort() + "/system");
                Files.createDirectories(Path.of("target"));
                List<String> names = List.of("libvirt", "jvirtd", "jvirsh-jvirtd");
                List<String> transcripts = new ArrayList<>();
                for (Side s : List.of(libvirt, virshOverJvirtd, jvirshOverJvirtd)) {
                    StringBuilder t = new StringBuilder();
                    writeInputs(s.base());
                    transcript(s, OVER_THE_WIRE, t);
                    Files.writeString(Path.of("target/storage-parity-wire-" + names.get(transcripts.size()) + ".txt"), t);
                    transcripts.add(t.toString());
                }
                assertEquals(transcripts.get(0), transcripts.get(1), "the real virsh over jvirtd");
                assertEquals(transcripts.get(0), transcripts.get(2), "jvirsh over jvirtd");
            } finally {
                forVirsh.close();
                forJvirsh.close();
            }
        }
    }

    /** One side: where its files go and how it runs a command line. */
    private interface Side {
        Path base();

        String[] run(List<String> argv) throws Exception;
    }

    @Test
    void poolAndVolumeCommandsMatchLibvirt() throws Exception {
        String why = StorageLibvirtd.missing();
        assumeTrue(why == null, () -> why + ": the storage parity test is skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "virsh is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img (the test's maker of a foreign qcow2) is not installed");
        try (StorageLibvirtd daemon = StorageLibvirtd.start()) {
            Path refBase = daemon.pools();
            // as long a path as the reference's: virsh's tables size their columns to the paths
            Path jvirtBase = daemon.sibling();
            Side libvirt = virsh(refBase, daemon.uri());
            Side jvirt = jvirsh(jvirtBase, "jvirt:///embed?root=" + jvirtBase.resolve("root"));
            Files.createDirectories(jvirt.base());
            StringBuilder expected = new StringBuilder();
            StringBuilder actual = new StringBuilder();
            List<long[]> sizes = new ArrayList<>();
            for (Side s : List.of(libvirt, jvirt)) {
                StringBuilder t = s == libvirt ? expected : actual;
                writeInputs(s.base());
                transcript(s, BEFORE_EXTERNAL_FILES, t);
                byte[] data = Files.readAllBytes(s.base().resolve("files/data.bin"));
                assertArrayEquals(Arrays.copyOfRange(data, 4096, 4096 + 8192), Files.readAllBytes(s.base().resolve("files/out.bin")),
                        "what vol-download gave back of what vol-upload wrote");
                addExternalFiles(s.base().resolve("p1"));
                transcript(s, AFTER_EXTERNAL_FILES.subList(0, 7), t);
                // the pool's statvfs figures, taken while it runs
                sizes.add(poolSizes(s.run(List.of("pool-dumpxml", "p1"))[1]));
                transcript(s, AFTER_EXTERNAL_FILES.subList(7, AFTER_EXTERNAL_FILES.size()), t);
            }
            // both transcripts kept for a diff when they differ
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/storage-parity-libvirt.txt"), expected);
            Files.writeString(Path.of("target/storage-parity-jvirt.txt"), actual);
            assertEquals(expected.toString(), actual.toString());
            // the figures normalized away: the same file system, so the same capacity, and free space within what
            // other writers on this machine may have changed between the two runs (f_bavail would be ~3x off here)
            assertEquals(sizes.get(0)[0], sizes.get(1)[0], "capacity");
            long gib = 1L << 30;
            assertTrue(Math.abs(sizes.get(0)[2] - sizes.get(1)[2]) < 2 * gib,
                    "available: libvirt " + sizes.get(0)[2] + ", jvirt " + sizes.get(1)[2]);
            assertEquals(sizes.get(1)[0], sizes.get(1)[1] + sizes.get(1)[2], "allocation is capacity - available, as libvirt has it");
        }
    }

    private static void writeInputs(Path base) throws IOException {
        Path files = Files.createDirectories(base.resolve("files"));
        Files.writeString(files.resolve("p1.xml"), "<pool type='dir'>\n  <name>p1</name>\n"
                + "  <uuid>8a1c51a4-5b5e-4c3e-9d43-0c6f6b2f1a11</uuid>\n"
                + "  <target>\n    <path>" + base.resolve("p1") + "</path>\n  </target>\n</pool>\n");
        Files.writeString(files.resolve("v.xml"), "<volume>\n  <name>v.img</name>\n  <capacity unit='M'>4</capacity>\n"
                + "  <allocation>0</allocation>\n  <target>\n    <format type='raw'/>\n"
                + "    <permissions>\n      <mode>0640</mode>\n    </permissions>\n  </target>\n</volume>\n");
        byte[] data = new byte[64 << 10];
        new java.util.Random(12).nextBytes(data);
        Files.write(files.resolve("data.bin"), data);
    }

    /** A qcow2 image made by qemu-img (the reference maker) and a sparse raw file, as a user would drop them in. */
    private static void addExternalFiles(Path pool) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/qemu-img", "create", "-q", "-f", "qcow2", pool.resolve("ext.qcow2").toString(), "5M")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        try (var f = new java.io.RandomAccessFile(pool.resolve("ext.raw").toFile(), "rw")) {
            f.setLength(3 << 20);
        }
    }

    private static void transcript(Side s, List<String> lines, StringBuilder t) throws Exception {
        for (String line : lines) {
            String concrete = line.replace("@", s.base().toString()).replace("%", s.base().resolve("files").toString());
            String[] r = concrete.startsWith("!") ? tool(concrete.substring(1).split(" ")) : s.run(Arrays.asList(concrete.split(" ")));
            t.append("### ").append(line).append("\nrc=").append(r[0]).append('\n')
                    .append(normalize(line, r[1], s.base())).append("--- stderr\n").append(normalize(line, r[2], s.base()));
        }
    }

    /** A reference tool (qemu-img) on a side's files. */
    private static String[] tool(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new String[] {Integer.toString(p.waitFor()), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)};
    }

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String FIXED_UUID = "8a1c51a4-5b5e-4c3e-9d43-0c6f6b2f1a11";

    /**
     * What must differ between the two runs, and only that:
     * the two sides' directories (BASE); the uuid libvirt and jvirt pick for pool-define-as (random; p1's is fixed
     * and kept); owners and groups (the reference daemon runs as nobody, jvirsh's tests as root); file times (the
     * files are made at different moments); a running pool's allocation and available space (statvfs of a file
     * system other processes write to: compared apart, within a bound). Volume sizes are not normalized.
     */
    static String normalize(String command, String text, Path base) {
        String s = text.replace(base.toString(), "BASE");
        Matcher m = UUID.matcher(s);
        s = m.replaceAll(r -> r.group().equals(FIXED_UUID) ? r.group() : "UUID");
        s = s.replaceAll("<(owner|group)>\\d+</", "<$1>N</");
        s = s.replaceAll("<([amc]time)>[0-9.]+</", "<$1>T</");
        if (command.startsWith("pool-")) {
            s = s.replaceAll("<(allocation|available) unit='bytes'>\\d+</", "<$1 unit='bytes'>S</");
            s = s.replaceAll("(?m)^(Allocation|Available):( +)\\S+ \\S+$", "$1:$2S");
            s = s.replaceAll("(\\d+\\.\\d\\d \\S+)(\\s+)\\d+\\.\\d\\d \\S+(\\s+)\\d+\\.\\d\\d \\S+", "$1$2ALLOC$3AVAIL");
        }
        return s;
    }

    private static long[] poolSizes(String xml) {
        long[] out = new long[3];
        String[] tags = {"capacity", "allocation", "available"};
        for (int i = 0; i < 3; i++) {
            Matcher m = Pattern.compile("<" + tags[i] + " unit='bytes'>(\\d+)<").matcher(xml);
            assertTrue(m.find(), xml);
            out[i] = Long.parseLong(m.group(1));
        }
        return out;
    }
}
