package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirt.daemon.server.DaemonServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real virt-install (Debian's virtinst 4.1) against jvirtd, as a user installs from an ISO:
 * a new qcow2 volume in a dir pool and the build's boot.iso as the cdrom. With a generic OS
 * virt-install takes libvirt's default machine, the pc (pc-i440fx-7.2), and puts both on IDE; with
 * --machine q35 both go on SATA (the ICH9's AHCI) beside 14 pcie-root-ports, which jvirt-vmm
 * provides (QEMU's pcie-root-port, placed from 00:01.0 as libvirt places them). The domain boots SeaBIOS, which boots the CD (ISOLINUX, the Linux
 * guest) to its marker, and the guest powers off. The emulator runs it (firmware boots need it on
 * this project's KVM).
 */
class VirtInstallTest {
    static final Path VIRT_INSTALL = Path.of("/usr/bin/virt-install");
    static final Path ISO = Path.of("..", "test-fixtures", "target", "linux", "boot.iso").toAbsolutePath().normalize();
    static final Path SEABIOS = Path.of(VmmCommand.DEFAULT_BIOS);

    @TempDir Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"default machine, '', hda, hdb, ide, pc-i440fx-7.2", "--machine q35, q35, sda, sdb, sata, pc-q35-7.2"})
    void virtInstallCreatesTheVolumeAndDomainAndTheCdBoots(String what, String machine, String diskDev, String cdDev, String bus,
                                                         String machineXml) throws Exception {
        assumeTrue(!machine.isEmpty() || Boolean.getBoolean("jvirt.boot.matrix"),
                "the pc/IDE case runs with -Djvirt.boot.matrix=true (the default run installs on q35/SATA, virt-install's choice for new guests)");
        assumeTrue(Files.isExecutable(VIRT_INSTALL), "skipped: virt-install (Debian's virtinst) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "skipped: the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.isRegularFile(ISO), "skipped: " + ISO + " is not built (test-fixtures)");
        assumeTrue(Files.isRegularFile(SEABIOS), "skipped: SeaBIOS (Debian's seabios) is not installed");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path pool = Files.createDirectories(tmp.resolve("pool"));
        Path serial = tmp.resolve("inst.serial");
        try (TickerEmbed t = TickerEmbed.open(root, "virt-install against jvirtd"); DaemonServer d = LoopbackDaemons.start(root, tmp.resolve("run"))) {
            String uri = LoopbackDaemons.uri(d);
            assertEquals(0, LoopbackDaemons.run(uri, "pool-define-as inst dir --target " + pool).status());
            assertEquals(0, LoopbackDaemons.run(uri, "pool-start inst").status());
            List<String> cmd = new java.util.ArrayList<>(List.of(VIRT_INSTALL.toString(), "--connect", uri, "--name", "inst", "--memory", "512",
                    "--vcpus", "1", "--osinfo", "detect=on,require=off", "--disk", "size=1,pool=inst,format=qcow2", "--cdrom", ISO.toString(),
                    "--network", "none", "--graphics", "none", "--noautoconsole", "--serial", "file,path=" + serial));
            if (!machine.isEmpty()) cmd.addAll(List.of("--machine", machine));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("LC_ALL", "C");
            pb.environment().put("HOME", tmp.toString()); // virt-install keeps a cache and log under ~
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("Allocating 'inst.qcow2'") && out.contains("Creating domain..."), out);

            String marker = awaitFile(serial, "JVIRT-GUEST-READY", 90 * JvirtTestSupport.waitScale());
            assertTrue(marker.contains("ISOLINUX"), "booted the CD through ISOLINUX: " + marker);
            awaitState(uri, "inst", "shut off", 60);

            String vols = LoopbackDaemons.virsh(uri, "vol-list inst");
            assertTrue(vols.contains("inst.qcow2") && vols.contains(pool.resolve("inst.qcow2").toString()), vols);
            String info = qemuImgInfo(pool.resolve("inst.qcow2"));
            assertTrue(info.contains("file format: qcow2") && info.contains("virtual size: 1 GiB"), info);
            // what virt-install defined for after the install: the disk on IDE, the cdrom emptied, booting from the disk
            String xml = LoopbackDaemons.virsh(uri, "dumpxml inst --inactive");
            assertTrue(xml.contains("<source file='" + pool.resolve("inst.qcow2") + "'/>"), xml);
            assertTrue(xml.contains("<target dev='" + diskDev + "' bus='" + bus + "'/>") && xml.contains("<target dev='" + cdDev + "' bus='" + bus + "'/>"), xml);
            assertTrue(xml.contains("machine='" + machineXml + "'"), xml);
            assertTrue(xml.contains("<boot dev='hd'/>") && !xml.contains(ISO.toString()), xml);
            String log = Files.readString(root.resolve("log").resolve("inst.log"));
            assertTrue(log.contains("not provided, safe to omit: disk '" + diskDev + "' driver discard='unmap'"), log);
            assertFalse(log.contains("safe to omit: controller type='pci' model='pcie-root-port'"), log); // provided now
            // the 14 ports as libvirt places them (00:01.0-00:02.5, port = slot << 3 | function); the VMM's command line is in the log
            assertEquals(machine.equals("q35"), log.contains(" --controller pcie-root-port,index=1,addr=01.0,chassis=1,port=0x8 ")
                    && log.contains(" --controller pcie-root-port,index=14,addr=02.5,chassis=14,port=0x15 "), log);
            LoopbackDaemons.virsh(uri, "undefine inst");
        }
    }

    private static String awaitFile(Path file, String text, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String s = "";
        while (System.nanoTime() < end) {
            s = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            if (s.contains(text)) return s;
            Thread.sleep(200);
        }
        throw new AssertionError(file + " never showed " + text + ": " + s);
    }

    private static void awaitState(String uri, String name, String state, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String s = "";
        while (System.nanoTime() < end) {
            s = LoopbackDaemons.virsh(uri, "domstate " + name);
            if (s.trim().equals(state)) return;
            Thread.sleep(500);
        }
        fail(name + " never reached '" + state + "': " + s);
    }

    private static String qemuImgInfo(Path image) throws Exception {
        Process p = new ProcessBuilder(List.of("qemu-img", "info", "-U", image.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }
}
