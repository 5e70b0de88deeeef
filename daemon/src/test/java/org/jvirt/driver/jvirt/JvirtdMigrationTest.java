package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.jvirt.driver.jvirt.LoopbackDaemons.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jvirt.daemon.server.DaemonServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real virsh migrates a running jvirt guest live between two jvirtd "hosts" (two state
 * roots, so two host UUIDs, on this machine): `virsh migrate --live tick qemu+tcp://B/system`
 * against A. The guest runs on B (running, migrated) and ticks on from where it was; on A it is
 * shut off (migrated); then it goes back the same way. Where KVM is usable the first hop goes to
 * the emulator (--xml with type='qemu') and the way back to KVM: one guest, two CPU backends.
 */
class JvirtdMigrationTest {
    @TempDir Path tmp;

    @Test
    void realVirshMigratesAGuestBetweenTwoDaemonsAndBack() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed");
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        try (TickerEmbed ta = TickerEmbed.open(rootA, "migration between two jvirtd");
             TickerEmbed tb = TickerEmbed.open(rootB, "migration between two jvirtd");
             DaemonServer a = start(rootA, tmp.resolve("a-run")); DaemonServer b = start(rootB, tmp.resolve("b-run"))) {
            String uriA = uri(a);
            String uriB = uri(b);
            Path xml = tmp.resolve("tick.xml");
            Files.writeString(xml, JvirtTestSupport.domainXml("tick", "ticker"));
            assertEquals("Domain 'tick' defined from " + xml + "\n\n", virsh(uriA, "define " + xml));
            assertEquals("Domain 'tick' started\n\n", virsh(uriA, "start tick"));
            assertEquals("300\n\n", virsh(uriA, "migrate-getmaxdowntime tick"));
            assertEquals("\n", virsh(uriA, "migrate-setmaxdowntime tick 250"));
            assertEquals("250\n\n", virsh(uriA, "migrate-getmaxdowntime tick"));
            assertEquals("8796093022207\n\n", virsh(uriA, "migrate-getspeed tick"));
            int before = lastTick(uriA, "tick");
            assertTrue(before > 0, "the guest ticks on A");
            // across backends where KVM runs here: to the emulator on B (the XML says type='qemu'), back to KVM
            boolean kvm = "kvm".equals(JvirtTestSupport.guestVirtType());
            Path toEmu = tmp.resolve("tick-qemu.xml");
            String uuid = virsh(uriA, "domuuid tick").trim();
            Files.writeString(toEmu, withUuid(JvirtTestSupport.domainXml("tick", "ticker", "qemu"), uuid));
            String out = virsh(uriA, "migrate --live tick " + uriB + (kvm ? " --xml " + toEmu : ""));
            assertEquals("\n", out, "virsh migrate prints nothing on success: " + out);
            assertEquals("running (migrated)\n\n", virsh(uriB, "domstate tick --reason"));
            assertEquals("shut off (migrated)\n\n", virsh(uriA, "domstate tick --reason"));
            String job = virsh(uriA, "domjobinfo tick --completed");
            assertTrue(job.contains("Job type:         Completed") && job.contains("Operation:        Outgoing migration")
                    && job.contains("Total downtime:"), job);
            int after = lastTick(uriB, "tick");
            if (kvm) assertTrue(virsh(uriB, "dumpxml tick").startsWith("<domain type='qemu'"), "on the emulator on B");
            assertTrue(after > before, "the guest ticks on on B from where it was: " + before + " then " + after);
            // and back: B holds it transient, A has the config
            Path toKvm = tmp.resolve("tick-kvm.xml");
            Files.writeString(toKvm, withUuid(JvirtTestSupport.domainXml("tick", "ticker", "kvm"), uuid));
            out = virsh(uriB, "migrate --live tick " + uriA + (kvm ? " --xml " + toKvm : ""));
            assertEquals("\n", out, out);
            assertEquals("running (migrated)\n\n", virsh(uriA, "domstate tick --reason"));
            assertTrue(virsh(uriB, "list --all").contains("--------------------\n\n"), "B has no domain left: " + virsh(uriB, "list --all"));
            assertTrue(lastTick(uriA, "tick") > after);
            assertEquals("Domain 'tick' destroyed\n\n", virsh(uriA, "destroy tick"));
        }
    }

    /** The disk-ticker's domain with its disk at disk (cmdline rewrite=1: the disk is busy between ticks). */
    private static String diskTickerXml(String type, String uuid, Path disk) {
        String xml = JvirtTestSupport.domainXml("dt", "disk-ticker", type)
                .replace("</kernel>", "</kernel>\n    <cmdline>rewrite=1</cmdline>")
                .replace("  <devices>\n", "  <devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw'/>\n"
                        + "      <source file='" + disk + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n");
        return uuid == null ? xml : withUuid(xml, uuid);
    }

    /**
     * The real virsh with the engine's options: --compressed --auto-converge --copy-storage-all
     * moves the disk-ticker (which checks each sector it overwrites against what it wrote 64
     * ticks before) and its raw disk to B's own image; it ticks on there without a failed check.
     */
    @Test
    void compressedAutoConvergeAndStorageCopy() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "the real virsh (libvirt-clients) is not installed");
        Path rootA = Files.createDirectories(tmp.resolve("a"));
        Path rootB = Files.createDirectories(tmp.resolve("b"));
        // both roots' embeds destroy what still runs when the test ends, passed or not (a guest outlives its jvirtd)
        try (TickerEmbed ta = TickerEmbed.open(rootA, "storage migration between two jvirtd");
             TickerEmbed tb = TickerEmbed.open(rootB, "storage migration between two jvirtd");
             DaemonServer a = start(rootA, tmp.resolve("a-run")); DaemonServer b = start(rootB, tmp.resolve("b-run"))) {
            String uriA = uri(a);
            String uriB = uri(b);
            Path diskA = tmp.resolve("a.raw"), diskB = tmp.resolve("b.raw");
            for (Path d : new Path[] {diskA, diskB}) {
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(d.toFile(), "rw")) {
                    f.setLength(16L << 20);
                }
            }
            String type = JvirtTestSupport.guestVirtType();
            Path xml = tmp.resolve("dt.xml");
            Files.writeString(xml, diskTickerXml(type, null, diskA));
            assertEquals("Domain 'dt' created from " + xml + "\n\n", virsh(uriA, "create " + xml));
            Path dest = tmp.resolve("dt-b.xml");
            Files.writeString(dest, diskTickerXml(type, virsh(uriA, "domuuid dt").trim(), diskB));
            Thread.sleep(1500 * JvirtTestSupport.waitScale()); // some disk-ticks on A
            String out = virsh(uriA, "migrate --live --compressed --auto-converge --copy-storage-all --xml " + dest + " dt " + uriB);
            assertEquals("\n", out, out);
            assertEquals("running (migrated)\n\n", virsh(uriB, "domstate dt --reason"));
            assertEquals("", virsh(uriA, "list --all --name").trim(), "the transient domain is gone from A");
            assertTrue(virsh(uriB, "domblklist dt").contains(diskB.toString()), virsh(uriB, "domblklist dt"));
            ProcessBuilder pb = new ProcessBuilder("timeout", String.valueOf(4 * JvirtTestSupport.waitScale()), "script", "-qfec",
                    "/usr/bin/virsh -c '" + uriB + "' console dt", "/dev/null").redirectErrorStream(true);
            Process p = pb.start();
            String console = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            assertTrue(console.contains("disk-tick "), "the disk-ticker ticks on B: " + console);
            assertFalse(console.contains("not ok"), console);
            assertTrue(Files.size(diskB) == 16L << 20);
            assertEquals("Domain 'dt' destroyed\n\n", virsh(uriB, "destroy dt"));
        }
    }
}
