package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a client in the middle of a save or a snapshot of the running ticker (128 MiB of
 * its RAM kept dirty, so the VMM is busy for a while), right away or at a few delays after the
 * VMM reported the job running (virDomainGetJobStats from this client): the VMM
 * finishes what it was asked, and the next client sees a state it can use. A save leaves the
 * domain shut off (saved) with an image that restores and ticks on, or, killed before the
 * request reached the VMM, running; a snapshot leaves the domain running, and the snapshot either
 * listed and revertible or not there, in which case taking it again under the same name works
 * (the qcow2 snapshot the killed client left is replaced, as QEMU's savevm does).
 * On KVM, or on the emulator without /dev/kvm.
 */
class KilledClientSaveKvmTest {

    /**
     * Kill points: -1 right after the client said it starts; else this many ms after the VMM
     * reported the job running. CI kills at once and at the job's start; -Djvirt.killed.long=true
     * adds 150 ms into the job (CI's time).
     */
    private static final int[] DELAYS_MS = Boolean.getBoolean("jvirt.killed.long") ? new int[] {-1, 0, 150} : new int[] {-1, 0};

    @TempDir
    Path root;
    private TickerEmbed ticker;

    @BeforeEach
    void setUp() throws Exception {
        ticker = TickerEmbed.open(root, "killed clients during save and snapshot");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ticker != null) ticker.close();
    }

    private Domain startDirty(Connect c, String devices) throws Exception {
        Domain d = c.domainDefineXML(ticker.xml(devices, 256, "dirty=128"));
        d.create();
        ticker.awaitSerial("ticker: 128 MiB dirty\n");
        return d;
    }

    /** kill -9 of child: at once (delay -1), or delay ms after d's VMM reports its job running (at once if it ended first). */
    private static void killAfter(Process child, Domain d, int delay) throws Exception {
        if (delay >= 0) {
            long end = System.nanoTime() + 30_000_000_000L;
            while (child.isAlive() && System.nanoTime() < end) {
                try {
                    if (d.getJobStats(0).type() != 0) break;
                } catch (org.jvirt.driver.api.LibvirtException e) {
                    break; // shut off: the save is over
                }
                Thread.sleep(5);
            }
            Thread.sleep(delay);
        }
        JvirtTestSupport.kill9(child);
        // a request the client had written before it died is still read and carried out by the
        // VMM (as QEMU does with QMP): give it the time to show up as a job before judging
        Thread.sleep(1000);
    }

    /** Waits until the domain has no VMM busy with a save: shut off, or running with no job. */
    private static DomainStateReason settled(Domain d) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            DomainStateReason s = d.getState();
            if (s.state() == DomainState.VIR_DOMAIN_SHUTOFF) return s;
            if (s.state() == DomainState.VIR_DOMAIN_RUNNING && d.getJobStats(0).type() == 0) {
                // a VMM whose save completed is on its way out: wait for it to be reaped as saved
                org.jvirt.driver.api.DomainJobInfo last = d.getJobStats(org.jvirt.driver.api.Flags.JobStats.COMPLETED);
                if (!(last.type() == org.jvirt.driver.api.DomainJobInfo.COMPLETED && last.number("operation") == DomainJobs.OPERATION_SAVE)) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the domain never settled: " + d.getState());
    }

    @Test
    void aClientKilledDuringASaveLeavesTheDomainSavedOrRunning() throws Exception {
        Connect c = new Connect(ticker.uri());
        Domain d = startDirty(c, "");
        int saved = 0;
        for (int delay : DELAYS_MS) {
            Path image = root.resolve("kill-" + delay + ".sav");
            Process child = JvirtTestSupport.child(ticker.vmm, "save", ticker.uri(), "tick", image.toString());
            killAfter(child, d, delay);
            Domain seen = new Connect(ticker.uri()).domainLookupByName("tick");
            DomainStateReason s = settled(seen);
            if (s.state() == DomainState.VIR_DOMAIN_RUNNING) {
                assertTrue(!Files.exists(image), "killed before the VMM had the request: no image (" + delay + " ms)");
                continue;
            }
            saved++;
            assertEquals(DomainStateReason.shutoff(ShutoffReason.SAVED), s, "after " + delay + " ms");
            int at = TickerEmbed.lastTick(ticker.serialText());
            c.restore(image.toString());
            ticker.awaitSerial("tick " + (at + 2) + "\n");
        }
        assertTrue(saved >= DELAYS_MS.length - 1, "each kill after the VMM had the request leaves a saved domain: " + saved);
    }

    @Test
    void aClientKilledDuringASnapshotLeavesItListedOrTakeableAgain() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img missing: not run");
        Path disk = root.resolve("disk.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "16M").inheritIO().start();
        assertEquals(0, p.waitFor());
        Connect c = new Connect(ticker.uri());
        Domain d = startDirty(c, "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                + "      <source file='" + disk + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n");
        int listed = 0, orphaned = 0;
        for (int delay : DELAYS_MS) {
            String name = "k" + delay;
            Process child = JvirtTestSupport.child(ticker.vmm, "snapshot", ticker.uri(), "tick", name);
            killAfter(child, d, delay);
            Domain seen = new Connect(ticker.uri()).domainLookupByName("tick");
            assertEquals(DomainState.VIR_DOMAIN_RUNNING, settled(seen).state(), "a snapshot keeps the domain running (" + delay + " ms)");
            List<String> names = List.of(seen.snapshotListNames());
            if (names.contains(name)) {
                listed++;
            } else {
                if (qcow2Snapshots(disk).contains(name)) orphaned++;
                seen.snapshotCreateXML("<domainsnapshot><name>" + name + "</name></domainsnapshot>");
            }
            int before = TickerEmbed.lastTick(ticker.serialText());
            ticker.awaitSerial("tick " + (before + 2) + "\n");
            DomainSnapshot s = seen.snapshotLookupByName(name);
            seen.revertToSnapshot(s);
            assertEquals(DomainState.VIR_DOMAIN_RUNNING, seen.getInfo().state);
        }
        System.out.println("[killed snapshot clients] listed " + listed + ", orphaned in qcow2 and taken again " + orphaned
                + " of " + DELAYS_MS.length);
        assertTrue(listed + orphaned >= DELAYS_MS.length - 1, "the kills after the VMM had the request left a snapshot");
        d.destroy();
        Process check = new ProcessBuilder("qemu-img", "check", "-q", disk.toString()).inheritIO().start();
        assertEquals(0, check.waitFor(), "qemu-img check of the disk");
    }

    private static String qcow2Snapshots(Path disk) throws Exception {
        Process p = new ProcessBuilder("qemu-img", "snapshot", "-U", "-l", disk.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
