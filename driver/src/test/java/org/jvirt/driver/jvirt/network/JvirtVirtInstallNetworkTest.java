package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virt-install's import of a cloud image (../shared/fixtures/virt-install/import-cloud.defined.xml:
 * q35, a qcow2 virtio disk, its NIC on the default network behind root port 1, serial console,
 * rng, balloon, root ports) started on a jvirt URI with the default network, changed only where a
 * test must: the disk is the build's bootable image, the serial console a file, and the virt type
 * qemu (jvirt's emulator: this project's KVM cannot run firmware) with the CPU mode an emulator
 * has (maximum, as virt-install writes for qemu; host-passthrough is KVM's). SeaBIOS boots the disk, the
 * guest finds its NIC at 01:00.0 and takes a DHCP lease from the network's dnsmasq, which
 * net-dhcp-leases lists under the fixture's MAC. About 45 s of emulated firmware and Linux here.
 */
class JvirtVirtInstallNetworkTest {

    private static final Path FIXTURE = Path.of(System.getProperty("jvirt.shared", "../shared"), "fixtures", "virt-install",
            "import-cloud.defined.xml").toAbsolutePath().normalize();
    private static final Path DISK = Path.of("..", "test-fixtures", "target", "linux", "boot-disk.qcow2").toAbsolutePath().normalize();

    @Test
    void theImportedCloudGuestBootsAndGetsItsLease(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(FIXTURE), "no ../shared beside the clone: skipped");
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        assumeTrue(Files.exists(DISK), "the boot images are not built (test-fixtures/linux/images.sh): skipped");
        assumeTrue(Files.exists(Path.of("/usr/share/seabios/bios-256k.bin")), "SeaBIOS (Debian's seabios) is not installed: skipped");
        for (Path p : List.of(Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/sbin/iptables"))) {
            assumeTrue(Files.isExecutable(p), p + " is not installed: skipped");
        }
        Path disk = dir.resolve("cloud.qcow2");
        Files.copy(DISK, disk);
        Path serial = dir.resolve("cloud.log");
        String xml = Files.readString(FIXTURE)
                .replace("<domain type='kvm'>", "<domain type='qemu'>")
                .replace("<cpu mode='host-passthrough' check='none' migratable='on'/>", "<cpu mode='maximum' check='none' migratable='on'/>")
                .replace("/var/lib/libvirt/images/cloud.qcow2", disk.toString())
                .replace("<serial type='pty'>", "<serial type='file'>\n      <source path='" + serial + "'/>")
                .replace("<console type='pty'>", "<console type='file'>\n      <source path='" + serial + "'/>");
        Files.writeString(dir.resolve("cloud.xml"), xml);
        Files.writeString(dir.resolve("default.xml"), JvirtLinuxNetworkTest.DEFAULT_NETWORK);
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        try (NetNamespace host = NetNamespace.open("vi")) {
            ok(host.jvirsh(dir, uri, List.of("net-define", "default.xml")));
            ok(host.jvirsh(dir, uri, List.of("net-start", "default")));
            ok(host.jvirsh(dir, uri, List.of("define", "cloud.xml")));
            // SeaBIOS's debug port to a file: if the boot stalls before Linux's console, it says where
            // and each vCPU's registers every 5 s: where the guest spins
            Path firmwareLog = dir.resolve("firmware.log"), vcpuLog = dir.resolve("vcpu.log");
            ok(host.jvirsh(dir, uri, List.of("env", "JVIRT_VMM_JAVA_OPTS=-Djvirt.firmware.debuglog=" + firmwareLog
                    + " -Djvirt.emu.vcpulog=" + vcpuLog), List.of("start", "cloud1")));
            String live = ok(host.jvirsh(dir, uri, List.of("dumpxml", "cloud1")));
            assertTrue(live.contains("<source network='default' bridge='virbr0'/>\n      <target dev='vnet0'/>"), live);
            String log = Files.readString(dir.resolve("root").resolve("log").resolve("cloud1.log"));
            assertTrue(log.contains(" --nic tap,ifname=vnet0,bridge=virbr0,mac=52:54:00:da:67:df,addr=01:00.0"), "behind root port 1: " + log);

            String out;
            try {
                out = JvirtLinuxNetworkTest.await(serial, "JVIRT-GUEST-READY");
            } catch (AssertionError e) { // say what the VMM and the driver saw (CI under load once showed an empty console)
                String state = host.jvirsh(dir, uri, List.of("domstate", "cloud1", "--reason")).out();
                throw new AssertionError(e.getMessage() + "\ndomstate: " + state + "VMM log:\n"
                        + Files.readString(dir.resolve("root").resolve("log").resolve("cloud1.log"))
                        + "\nSeaBIOS's debug port, last lines:\n" + tail(firmwareLog, 40)
                        + "\nthe vCPUs' registers, last lines:\n" + tail(vcpuLog, 6)
                        + "\nthe VMM's vCPU threads:\n" + vcpuStacks(dir.resolve("root")), e);
            }
            Matcher lease = Pattern.compile("init: DHCP lease (192\\.168\\.122\\.\\d+)/24 on eth0").matcher(out);
            assertTrue(lease.find(), out);
            String leases = ok(host.jvirsh(dir, uri, List.of("net-dhcp-leases", "default")));
            assertTrue(leases.contains("52:54:00:da:67:df   ipv4       " + lease.group(1) + "/24"), leases);
        }
    }

    private static String ok(NetNamespace.Result r) {
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    /** jcmd's thread dump of the domain's VMM, its vCPU threads only (halted, waiting or running, and where). */
    private static String vcpuStacks(Path root) {
        try (java.util.stream.Stream<Path> pids = Files.list(root.resolve("run"))) {
            Path pidFile = pids.filter(p -> p.getFileName().toString().endsWith(".pid")).findFirst().orElse(null);
            if (pidFile == null) return "(no pid file)";
            String pid = Files.readString(pidFile).trim();
            NetNamespace.Result r = NetNamespace.run(List.of("jcmd", pid, "Thread.print"), null);
            StringBuilder out = new StringBuilder();
            boolean on = false;
            for (String l : r.out().split("\n")) {
                if (l.startsWith("\"")) on = l.toLowerCase(java.util.Locale.ROOT).contains("vcpu");
                if (on) out.append(l).append('\n');
            }
            return out.length() == 0 ? r.out() : out.toString();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }
}
