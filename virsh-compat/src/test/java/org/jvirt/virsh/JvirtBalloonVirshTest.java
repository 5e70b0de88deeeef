package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.virsh.testing.EmbeddedJvirsh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * dommemstat, dommemstat --period, domstats --balloon, dominfo and setmem on a jvirt URI with the
 * virtio-balloon test guest (test-fixtures/guests/virtio-balloon.c) behind
 * {@code <memballoon model='virtio-non-transitional'>} (on KVM, or on the emulator without
 * /dev/kvm), against what the real virsh 9.0 printed for the same domain and guest on
 * qemu:///session (QEMU 7.2 TCG, recorded by hand on 2026-12-06): the same lines and values (the
 * guest's statistics are fixed numbers; last_update and rss are times and sizes of the run),
 * the same refusals, and for a domain without a balloon the same errors and rss alone.
 */
class JvirtBalloonVirshTest {

    private static final Path GUESTS = Path.of("..", "test-fixtures", "target", "guests").toAbsolutePath().normalize();
    private EmbeddedJvirsh jvirsh;
    private Path work;

    private String[] run(String line) {
        return jvirsh.run(line);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (jvirsh != null) jvirsh.close();
    }

    private String domain(String name, String guest, String memory, String devices) {
        String type = org.jvirt.vmm.kvm.Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu") ? "kvm" : "qemu";
        return "<domain type='" + type + "'>\n  <name>" + name + "</name>\n  <memory unit='KiB'>262144</memory>\n" + memory
                + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + GUESTS.resolve(guest + ".elf")
                + "</kernel>\n  </os>\n  <devices>\n" + devices + "  </devices>\n</domain>\n";
    }

    private void awaitSerial(Path serial, String text) throws Exception {
        long end = System.nanoTime() + 120_000_000_000L;
        while (!(Files.exists(serial) && Files.readString(serial).contains(text))) {
            assertTrue(System.nanoTime() < end, "the guest never printed " + text);
            Thread.sleep(50);
        }
    }

    @Test
    void balloonCommandsPrintWhatVirshPrinted() throws Exception {
        assumeTrue(Files.exists(GUESTS.resolve("virtio-balloon.elf")), "test guests not built (make -C test-fixtures/guests)");
        jvirsh = new EmbeddedJvirsh("jb", "bg", "nb");
        work = jvirsh.work();
        Path serial = work.resolve("serial.log");
        Files.writeString(work.resolve("bg.xml"), domain("bg", "virtio-balloon", "  <currentMemory unit='KiB'>253952</currentMemory>\n",
                "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                        + "    <memballoon model='virtio-non-transitional'>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
                        + "    </memballoon>\n"));
        assertEquals("0", run("define bg.xml")[0]);
        assertEquals("0", run("start bg")[0]);
        awaitSerial(serial, "num_pages 2048: inflated 2048 deflated 0, actual 2048");

        String[] stat = run("dommemstat bg");
        assertTrue(stat[1].matches("actual 253952\nswap_in 4195328\nswap_out 4196352\nmajor_fault 4298113315\nminor_fault 4299161891\n"
                + "unused 4199424\navailable 4200448\nusable 4201472\nlast_update \\d{10}\ndisk_caches 4202496\nhugetlb_pgalloc 4304404771\n"
                + "hugetlb_pgfail 4305453347\nrss \\d+\n\n"), stat[1] + stat[2]);
        String[] bad = run("dommemstat bg --period -1");
        assertEquals("1", bad[0]);
        assertEquals("error: Invalid collection period value '-1'\n", bad[2]);
        assertEquals("error: Numeric value 'x' for <period> option is malformed or out of range\n", run("dommemstat bg --period x")[2]);
        String[] period = run("dommemstat bg --period 1");
        assertEquals("0", period[0], period[2]);
        assertEquals("\n", period[1]);
        awaitSerial(serial, "stats round 2 posted");
        String[] stats = run("domstats bg --balloon");
        assertTrue(stats[1].matches("Domain: 'bg'\n  balloon.current=253952\n  balloon.maximum=262144\n  balloon.swap_in=8389632\n"
                + "  balloon.swap_out=8390656\n  balloon.major_fault=8593080611\n  balloon.minor_fault=8594129187\n  balloon.unused=8393728\n"
                + "  balloon.available=8394752\n  balloon.usable=8395776\n  balloon.last-update=\\d{10}\n  balloon.disk_caches=8396800\n"
                + "  balloon.hugetlb_pgalloc=8599372067\n  balloon.hugetlb_pgfail=8600420643\n  balloon.rss=\\d+\n\n"), stats[1] + stats[2]);
        assertTrue(run("dominfo bg")[1].contains("Max memory:     262144 KiB\nUsed memory:    253952 KiB\n"));
        String xml = run("dumpxml bg")[1];
        assertTrue(xml.contains("<currentMemory unit='KiB'>253952</currentMemory>") && xml.contains("<stats period='1'/>"), xml);
        assertEquals("error: invalid argument: cannot set memory higher than max memory\n", run("setmem bg 300000 --live")[2]);

        Files.writeString(work.resolve("nb.xml"), domain("nb", "ticker", "", "    <memballoon model='none'/>\n"));
        assertEquals("0", run("define nb.xml")[0]);
        assertEquals("0", run("start nb")[0]);
        assertEquals("error: Requested operation is not valid: Unable to change memory of active domain without the balloon device and guest OS balloon driver\n",
                run("setmem nb 180000 --live")[2]);
        assertTrue(run("dommemstat nb")[1].matches("rss \\d+\n\n"));
        String none = "error: Unable to change balloon collection period.\nerror: internal error: No memory balloon device configured, can not set the collection period\n";
        assertEquals(none, run("dommemstat nb --period 2")[2]);
        assertEquals(none, run("dommemstat nb --period 2 --config")[2]);
        assertTrue(run("domstats nb --balloon")[1].matches("Domain: 'nb'\n  balloon.current=262144\n  balloon.maximum=262144\n  balloon.rss=\\d+\n\n"));
        run("destroy nb");
        assertEquals("error: Failed to get memory statistics for domain nb\nerror: Requested operation is not valid: domain is not running\n",
                run("dommemstat nb")[2]);
    }
}
