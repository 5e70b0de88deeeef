package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.Flags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full-system snapshot of the running ticker (on KVM or the emulator; skipped without qemu-img): the VMM
 * takes the qcow2 disk's internal snapshot and the state file and runs on; reverting starts a
 * new VMM from that state, so the ticks jump back to the snapshot point and continue.
 */
class JvirtSnapshotRunningKvmTest {

    private static final Pattern TICK = TickerEmbed.TICK;

    @TempDir Path root;
    private TickerEmbed ticker;
    private Path serial;

    @BeforeEach
    void setUp() throws Exception {
        ticker = TickerEmbed.open(root, "snapshot");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")) && Files.isExecutable(Path.of("/usr/bin/qemu-io")),
                "qemu-img/qemu-io missing: not run");
        serial = ticker.serial;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ticker != null) ticker.close();
    }

    private String uri() {
        return ticker.uri();
    }

    private String xml(Path disk) {
        return ticker.xml("    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                + "      <source file='" + disk + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n");
    }

    private String serialText() throws Exception {
        return ticker.serialText();
    }

    /** Waits until the serial output after position from shows a tick; returns the text from there. */
    private String awaitTicks(int from, int atLeast) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        String s = "";
        while (System.nanoTime() < end) {
            String all = serialText();
            s = all.length() > from ? all.substring(from) : "";
            if (count(s) >= atLeast) return s;
            Thread.sleep(50);
        }
        throw new AssertionError("serial never showed " + atLeast + " more ticks: " + s);
    }

    private static int count(String s) {
        Matcher m = TICK.matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private static int firstAtMost(String s, int max) {
        Matcher m = TICK.matcher(s);
        while (m.find()) {
            int v = Integer.parseInt(m.group(1));
            if (v <= max) return v;
        }
        return -1;
    }

    private static int firstIn(String s, int lo, int hi) {
        Matcher m = TICK.matcher(s);
        while (m.find()) {
            int v = Integer.parseInt(m.group(1));
            if (v >= lo && v <= hi) return v;
        }
        return -1;
    }

    private static int last(String s) {
        Matcher m = TICK.matcher(s);
        int v = -1;
        while (m.find()) v = Integer.parseInt(m.group(1));
        return v;
    }

    private long vmmPid() throws Exception {
        return Long.parseLong(Files.readString(JvirtPaths.embed(root).pidFile("tick")).trim());
    }

    @Test
    void theTickerSurvivesSnapshotContinueRevertWithTicksJumpingBack() throws Exception {
        Path disk = root.resolve("disk.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "4M").start();
        assertEquals(0, p.waitFor());
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml(disk));
        d.create();
        awaitTicks(0, 3);
        int before = last(serialText());
        d.snapshotCreateXML("<domainsnapshot><name>live</name></domainsnapshot>");
        int after = last(serialText());
        long firstPid = vmmPid();
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state, "the snapshot keeps the VM running");

        // it continues past the snapshot point
        String more = awaitTicks(serialText().length(), 3);
        int continued = last(more);
        assertTrue(continued > after + 1, more);

        String xml = d.snapshotLookupByName("live").getXMLDesc();
        assertTrue(xml.contains("  <state>running</state>\n") && xml.contains("  <memory snapshot='internal'/>\n")
                && xml.contains("<disk name='vda' snapshot='internal'/>"), xml);
        assertTrue(Files.exists(root.resolve("config/snapshot/tick/live.save")), "the state file is in the snapshot directory");
        Process l = new ProcessBuilder("qemu-img", "snapshot", "-U", "-l", disk.toString()).redirectErrorStream(true).start();
        String list = new String(l.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, l.waitFor(), list);
        assertTrue(list.contains(" live "), "the VMM took the disk's internal snapshot: " + list);

        int mark = serialText().length();
        int lastBeforeRevert = last(serialText());
        d.revertToSnapshot(d.snapshotLookupByName("live"));
        assertEquals(DomainStateReason.running(RunningReason.FROM_SNAPSHOT), d.getState(), "running as it was snapshotted");
        assertEquals(firstPid, vmmPid(), "the running VMM loads the snapshot in place (QEMU's loadvm)");
        String reverted = awaitTicks(mark, 4);
        // the old VMM may still print a tick or two before it is stopped; then the new one goes on from the snapshot point
        int resumedAt = firstAtMost(reverted, after + 1);
        assertTrue(resumedAt >= before + 1 && resumedAt <= after + 1, "resumed at tick " + resumedAt + ", snapshot between "
                + before + " and " + after + ": " + reverted);
        assertTrue(resumedAt < lastBeforeRevert, "the ticks jumped back from " + lastBeforeRevert + " to " + resumedAt);
        assertTrue(last(reverted) > resumedAt, "and continue: " + reverted);
        assertEquals("live", d.snapshotCurrent().getName());

        // from shut off, the same revert starts the domain from the snapshot, its disk back as it was
        d.destroy();
        Path copy = root.resolve("at-live.qcow2");
        Files.copy(disk, copy); // the ticker does not write: the disk is as at the snapshot
        Process w = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", "write -P 85 0 64k", disk.toString()).start();
        assertEquals(0, w.waitFor());
        int mark2 = serialText().length();
        d.revertToSnapshot(d.snapshotLookupByName("live"));
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
        int again = firstAtMost(awaitTicks(mark2, 2), after + 1);
        assertTrue(again >= before + 1, "resumed at the snapshot point again: " + again);

        // --paused: back in the snapshot's state but paused
        d.revertToSnapshot(d.snapshotLookupByName("live"), 2);
        assertEquals(DomainStateReason.paused(PausedReason.FROM_SNAPSHOT), d.getState());

        // --halt: the paused domain's snapshot, then it is shut off (from snapshot)
        d.snapshotCreateXML("<domainsnapshot><name>halted</name></domainsnapshot>", Flags.SnapshotCreate.HALT);
        assertEquals(DomainStateReason.shutoff(DomainStateReason.ShutoffReason.FROM_SNAPSHOT), d.getState());
        Process cmp = new ProcessBuilder("qemu-img", "compare", disk.toString(), copy.toString()).redirectErrorStream(true).start();
        String cmpOut = new String(cmp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cmp.waitFor(), "the revert brought the disk back: " + cmpOut);
        assertTrue(d.snapshotLookupByName("halted").getXMLDesc().contains("  <state>paused</state>\n"));
        d.snapshotLookupByName("halted").delete(0);

        // deleting it (shut off) removes the disk's internal snapshot and the state file
        d.snapshotLookupByName("live").delete(0);
        assertTrue(Files.notExists(root.resolve("config/snapshot/tick/live.save")));
        Process l2 = new ProcessBuilder("qemu-img", "snapshot", "-l", disk.toString()).redirectErrorStream(true).start();
        String list2 = new String(l2.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, l2.waitFor(), list2);
        assertEquals("", list2.trim());
        c.close();
    }

    @Test
    void aChainOfThreeSnapshotsWithRevertsBetweenThem() throws Exception {
        Path disk = root.resolve("disk.qcow2");
        assertEquals(0, new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "4M").start().waitFor());
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml(disk));
        d.create();
        String[] names = {"a", "b", "c"};
        int[][] at = new int[3][];
        for (int i = 0; i < 3; i++) {
            awaitTicks(serialText().length(), 2);
            int lo = last(serialText());
            d.snapshotCreateXML("<domainsnapshot><name>" + names[i] + "</name></domainsnapshot>");
            at[i] = new int[] {lo, last(serialText())};
        }
        assertEquals("a", d.snapshotLookupByName("b").getParentName());
        assertEquals("b", d.snapshotLookupByName("c").getParentName());
        for (int i : new int[] {1, 0, 2}) {
            awaitTicks(serialText().length(), 1);
            int mark = serialText().length();
            d.revertToSnapshot(d.snapshotLookupByName(names[i]));
            // the old VMM may print a tick before it stops; the new one's first tick follows the snapshot point
            String after = awaitTicks(mark, 3);
            assertTrue(firstIn(after, at[i][0] + 1, at[i][1] + 1) >= 0, "revert to " + names[i] + ", taken between ticks "
                    + at[i][0] + " and " + at[i][1] + ": " + after);
            assertEquals(names[i], d.snapshotCurrent().getName());
        }
        // a snapshot after reverting to c is c's child
        d.snapshotCreateXML("<domainsnapshot><name>d</name></domainsnapshot>");
        assertEquals("c", d.snapshotLookupByName("d").getParentName());

        // deleting while it runs: the VMM removes the disk's internal snapshot; the domain runs on
        d.snapshotLookupByName("a").delete(0);
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
        assertEquals(null, d.snapshotLookupByName("b").getParentName());
        assertTrue(Files.notExists(root.resolve("config/snapshot/tick/a.save")));
        Process l = new ProcessBuilder("qemu-img", "snapshot", "-U", "-l", disk.toString()).redirectErrorStream(true).start();
        String list = new String(l.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, l.waitFor(), list);
        assertTrue(!list.contains(" a ") && list.contains(" b ") && list.contains(" d "), list);
        int mark = serialText().length();
        awaitTicks(mark, 2);
        c.close();
    }
}
