package org.jvirt.driver.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DriverConnection;
import org.junit.jupiter.api.Test;

/** The client's own keepalive: a silent daemon is pinged, then dropped, and the waiting call fails. */
class KeepaliveTest {

    @Test
    void aDaemonThatAnswersNoPingIsDroppedAfterCountIntervals() throws Exception {
        try (FakeDaemon daemon = FakeDaemon.silent()) {
            String uri = daemon.uri();
            DriverConnection c = RemoteDriver.open(RemoteUri.parse(uri, URI.create(uri)), false, 1, 2);
            long start = System.nanoTime();
            LibvirtException e = assertThrows(LibvirtException.class, c::getHostName);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals("internal error: connection closed due to keepalive timeout", e.getMessage());
            assertEquals(2, daemon.pingsSeen.get(), "count PINGs went out before giving up");
            assertTrue(seconds >= 2 && seconds <= 5, "dropped after about (count + 1) intervals, took " + seconds + " s");
            LibvirtException after = assertThrows(LibvirtException.class, c::getType);
            assertEquals(e.getMessage(), after.getMessage(), "the connection stays closed");
        }
    }

    @Test
    void setKeepAliveChangesOrStopsThePinging() throws Exception {
        try (FakeDaemon daemon = FakeDaemon.silent()) {
            DriverConnection c = RemoteDriver.open(RemoteUri.parse(daemon.uri(), URI.create(daemon.uri())), false, 1, 10);
            Thread.sleep(2500);
            int before = daemon.pingsSeen.get();
            assertTrue(before >= 1, "pinged while idle: " + before);
            c.setKeepAlive(0, 0);
            Thread.sleep(2500);
            assertEquals(before, daemon.pingsSeen.get(), "interval 0 stops the PINGs");
        }
    }

    @Test
    void localDriversHaveNoKeepalive() throws Exception {
        org.jvirt.driver.api.Connect local = new org.jvirt.driver.api.Connect("test:///default");
        try {
            LibvirtException e = assertThrows(LibvirtException.class, () -> local.setKeepAlive(5, 6));
            assertEquals("this function is not supported by the connection driver: virConnectSetKeepAlive", e.getMessage());
        } finally {
            local.close();
        }
    }
}
