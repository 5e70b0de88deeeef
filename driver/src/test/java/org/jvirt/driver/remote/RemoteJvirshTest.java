package org.jvirt.driver.remote;

import org.jvirt.rpc.testing.RealLibvirtd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.Connect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirsh over the remote driver prints what the real virsh prints for the same URI and
 * libvirtd; and the ssh transport, through a stand-in ssh (and nc) that runs the far side's
 * command on this machine.
 */
class RemoteJvirshTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JVIRSH = ROOT.resolve("bin/jvirsh");
    private static final Path VIRSH = Path.of("/usr/bin/virsh");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static RealLibvirtd daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        assumeTrue(RealLibvirtd.available(), RealLibvirtd.MISSING);
        daemon = RealLibvirtd.start();
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) daemon.close();
    }

    private static boolean jvirshBuilt() {
        try (var jars = Files.list(ROOT.resolve("virsh-compat/target"))) {
            return Files.isExecutable(JVIRSH) && jars.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }

    private record Run(int status, String output) { }

    private static Run run(Map<String, String> env, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    private static List<String> with(Path tool, String uri, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "-c", uri));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void jvirshPrintsWhatVirshPrints(@TempDir Path dir) throws Exception {
        assumeTrue(jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        assumeTrue(Files.isExecutable(VIRSH), "virsh is not installed: nothing to compare with");
        Path volume = Files.writeString(dir.resolve("vol.xml"), "<volume><name>v1.img</name><capacity unit='M'>10</capacity></volume>\n");
        String[][] commands = {
            {"list", "--all"}, {"list"}, {"nodeinfo"}, {"dumpxml", "test"}, {"domstate", "test", "--reason"},
            {"snapshot-list", "test"}, {"schedinfo", "test"}, {"vcpucount", "test"}, {"uri"}, {"hostname"},
            {"dominfo", "nosuch"}, {"domstats"}, {"domstats", "--enforce", "--perf"}, {"nodecpustats"}, {"nodememstats"},
            {"domblkinfo", "test", "vda"}, {"domifaddr", "test"}, {"domifaddr", "test", "--source", "arp", "--full"},
            {"domifaddr", "nosuch"}, {"domif-getlink", "test", "testnet0"}, {"domif-setlink", "test", "testnet0", "down"},
            {"domifstat", "test", "vnet9"}, {"capabilities"}, {"domcapabilities"}, {"sysinfo"}, {"freecell", "--all"},
            {"net-list", "--all"}, {"net-info", "default"}, {"net-dumpxml", "default"}, {"net-info", "nosuch"},
            {"net-dhcp-leases", "default"},
            {"pool-list", "--all"}, {"pool-info", "default-pool"}, {"pool-dumpxml", "default-pool"}, {"pool-capabilities"},
            {"iface-list", "--all"}, {"iface-dumpxml", "eth1"}, {"iface-name", "aa:bb:cc:dd:ee:ff"},
            {"iface-begin; iface-destroy eth1; iface-list --all; iface-rollback; iface-list --all"},
            {"nodedev-dumpxml", "scsi_host1"}, {"nodedev-list"},
            // one connection for the whole sequence: libvirtd forgets test:///default's changes when the last one closes
            {"vol-create default-pool " + volume + "; vol-list default-pool --details; vol-info v1.img --pool default-pool; "
                + "vol-dumpxml v1.img --pool default-pool; vol-path v1.img --pool default-pool; vol-key v1.img --pool default-pool; "
                + "vol-pool /default-pool/v1.img; vol-delete v1.img --pool default-pool; vol-list default-pool"},
        };
        for (String uri : List.of(daemon.tcpUri("test", "/default"), daemon.unixUri("test", "/default"))) {
            for (String[] args : commands) {
                Run real = run(Map.of(), with(VIRSH, uri, args));
                Run ours = run(Map.of(), with(JVIRSH, uri, args));
                assertEquals(real, ours, "jvirsh -c " + uri + " " + String.join(" ", args));
            }
        }
        List<String> unreachable = new ArrayList<>(List.of("test+tcp://127.0.0.1:1/default", "test+tcp://no-such-host.invalid/default",
                "test+unix:///default?socket=/nonexistent/s", "test+unix:///default?socket=/etc/passwd", "test+foo://h/default",
                "frob+tcp://127.0.0.1:" + daemon.tcpPort() + "/system"));
        if (!Files.exists(Path.of("/etc/pki/CA/cacert.pem"))) unreachable.add("qemu+tls://127.0.0.1:1/system");
        for (String uri : unreachable) {
            Run real = run(Map.of(), with(VIRSH, uri, "list"));
            assertEquals(1, real.status(), real.output());
            assertEquals(real, run(Map.of(), with(JVIRSH, uri, "list")), uri);
        }
    }

    /** An ssh that logs its arguments and runs the remote command here, as sshd would run it on the host. */
    private static Path fakeTools(Path dir) throws IOException {
        Path ssh = dir.resolve("ssh");
        Files.writeString(ssh, """
                #!/bin/sh
                printf '%s\\n' "$@" > "$(dirname "$0")/ssh-args"
                while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
                shift 2
                exec sh -c "$*"
                """);
        Path nc = dir.resolve("nc");
        Files.writeString(nc, "#!" + PYTHON + "\n" + """
                # nc -U PATH: stdin to the socket, the socket to stdout
                import os, socket, sys, threading
                path = sys.argv[sys.argv.index('-U') + 1]
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                def up():
                    while True:
                        b = os.read(0, 65536)
                        if not b:
                            s.shutdown(socket.SHUT_WR)
                            return
                        s.sendall(b)
                threading.Thread(target=up, daemon=True).start()
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    os.write(1, b)
                """);
        for (Path p : List.of(ssh, nc)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @Test
    void theSshTransportRunsSshWithNetcatOnTheFarSide(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "python3 is needed for the stand-in nc: skipped");
        Path tools = fakeTools(dir);
        String uri = "test+ssh://alice@farhost/default?socket=" + daemon.socket();
        // this JVM's PATH cannot change: name the stand-ins with libvirt's command= and netcat=
        String named = uri + "&command=" + tools.resolve("ssh") + "&netcat=" + tools.resolve("nc");
        Connect c = new Connect(named);
        try {
            assertEquals("test", c.domainLookupByName("test").getName());
            assertEquals(named, c.getURI());
        } finally {
            c.close();
        }
        List<String> args = Files.readAllLines(tools.resolve("ssh-args"));
        assertEquals(List.of("-l", "alice", "-T", "-e", "none", "--", "farhost"), args.subList(0, 7));
        if (jvirshBuilt() && Files.isExecutable(VIRSH)) {
            // the system ssh found on PATH, as libvirt finds it; virsh runs the same stand-ins
            Map<String, String> env = Map.of("PATH", tools + ":" + System.getenv("PATH"));
            Run real = run(env, with(VIRSH, uri, "list", "--all"));
            assertEquals(0, real.status(), real.output());
            assertEquals(real, run(env, with(JVIRSH, uri, "list", "--all")));
            // the far side's failures are compared with real OpenSSH in virsh-compat's SshTransportTest: this
            // stand-in ssh never reads its stdin, so libvirt sees a reset where real ssh gives it an end of file
        }
    }
}
