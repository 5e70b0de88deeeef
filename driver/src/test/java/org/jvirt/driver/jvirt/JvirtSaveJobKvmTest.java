package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virDomainGetJobStats while a save runs, from a second connection (as virsh domjobinfo in
 * another shell): the ticker keeps 256 MiB of its RAM dirty, so the save takes long enough to
 * be seen; and virDomainSaveFlags (the XML kept in the image, the state it restores into).
 * On KVM, or on the emulator without /dev/kvm.
 */
class JvirtSaveJobKvmTest {

    @TempDir
    Path root;
    private TickerEmbed ticker;

    @BeforeEach
    void setUp() throws Exception {
        ticker = TickerEmbed.open(root, "save jobs");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ticker != null) ticker.close();
    }

    private Domain startDirty(Connect c) throws Exception {
        Domain d = c.domainDefineXML(ticker.xml("", 512, "dirty=256"));
        d.create();
        ticker.awaitSerial("ticker: 256 MiB dirty\n");
        return d;
    }

    @Test
    void aSaveInProgressIsSeenByAnotherClientWithItsProgress() throws Exception {
        Connect c = new Connect(ticker.uri());
        Domain d = startDirty(c);
        Domain other = new Connect(ticker.uri()).domainLookupByName("tick");
        assertEquals(DomainJobInfo.NONE, other.getJobStats(0).type(), "no job before the save");
        Path image = root.resolve("tick.sav");
        CompletableFuture<Integer> save = CompletableFuture.supplyAsync(() -> {
            try {
                return d.save(image.toString());
            } catch (LibvirtException e) {
                throw new IllegalStateException(e);
            }
        });
        List<DomainJobInfo> seen = new ArrayList<>();
        while (!save.isDone()) {
            try {
                DomainJobInfo job = other.getJobStats(0);
                if (job.type() != DomainJobInfo.NONE) seen.add(job);
            } catch (LibvirtException e) {
                // the save ended between isDone and the call: the domain is shut off
                assertEquals("Requested operation is not valid: domain is not running", e.getMessage());
            }
            Thread.sleep(20);
        }
        assertEquals(0, save.get());
        assertFalse(seen.isEmpty(), "the save was never seen running");
        long total = 512L << 20, last = -1;
        for (DomainJobInfo job : seen) {
            assertEquals(DomainJobInfo.UNBOUNDED, job.type());
            assertEquals(2, job.number("operation"), "VIR_DOMAIN_JOB_OPERATION_SAVE");
            assertEquals(total, job.getDataTotal());
            assertEquals(total, job.getMemTotal());
            assertEquals(total, job.getDataProcessed() + job.getDataRemaining());
            assertTrue(job.getDataProcessed() >= last, "progress only grows: " + seen);
            last = job.getDataProcessed();
        }
        assertTrue(seen.stream().anyMatch(j -> j.getDataProcessed() > 0 && j.getDataRemaining() > 0),
                "a save seen half way: " + seen.stream().map(j -> j.getDataProcessed() + "/" + j.getDataTotal()).toList());
        LibvirtException e = assertThrows(LibvirtException.class, () -> other.getJobStats(0));
        assertEquals("Requested operation is not valid: domain is not running", e.getMessage());
        assertEquals(DomainJobInfo.NONE, other.getJobStats(Flags.JobStats.COMPLETED).type());
    }

    @Test
    void aSnapshotIsAJobTooAndItsCompletedStatisticsStay() throws Exception {
        Connect c = new Connect(ticker.uri());
        Domain d = startDirty(c);
        d.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>");
        assertEquals(DomainJobInfo.NONE, d.getJobStats(0).type(), "no job runs after it");
        DomainJobInfo done = d.getJobStats(Flags.JobStats.COMPLETED);
        assertEquals(DomainJobInfo.COMPLETED, done.type());
        assertEquals(6, done.number("operation"), "VIR_DOMAIN_JOB_OPERATION_SNAPSHOT");
        assertEquals(512L << 20, done.getDataProcessed());
        assertEquals(0, done.getDataRemaining());
        d.destroy();
    }

    @Test
    void saveFlagsKeepTheGivenXmlAndTheStateToRestoreInto() throws Exception {
        Connect c = new Connect(ticker.uri());
        Domain d = c.domainDefineXML(ticker.xml(""));
        d.create();
        ticker.awaitSerial("tick 2\n");
        Path image = root.resolve("tick.sav");
        String xml = d.getXMLDesc(Flags.DomainXml.INACTIVE).replace("<name>tick</name>", "<name>tick</name>\n  <title>saved with --xml</title>");
        LibvirtException e = assertThrows(LibvirtException.class, () -> d.save(image.toString(), xml.replace("<name>tick</name>", "<name>other</name>"), 0));
        assertEquals("unsupported configuration: Target domain name 'other' does not match source 'tick'", e.getMessage());
        assertEquals(1, d.isActive(), "a refused save changes nothing");
        e = assertThrows(LibvirtException.class, () -> d.save(image.toString(), null, 8));
        assertEquals("unsupported flags (0x8) in function qemuDomainSaveFlags", e.getMessage());

        assertEquals(0, d.save(image.toString(), xml, Flags.Save.PAUSED | Flags.Save.BYPASS_CACHE));
        assertTrue(c.saveImageGetXMLDesc(image.toString(), 0).contains("<title>saved with --xml</title>"));
        c.restore(image.toString());
        assertEquals(DomainStateReason.paused(PausedReason.USER), d.getState(), "saved with PAUSED: restored paused");
        assertTrue(d.getXMLDesc(0).contains("<title>saved with --xml</title>"), d.getXMLDesc(0));
        d.destroy();
        assertTrue(Files.size(image) > 0);
    }
}
