package org.jvirt.driver.libvirtjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;
import org.jvirt.rpc.testing.RealLibvirtd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libvirt-java 0.5.3 (the native libvirt client library underneath) connects to jvirtd over
 * TCP and runs the driver's reference scenario; it must see what it sees through the real
 * libvirtd serving the same mock driver.
 */
class LibvirtJavaOverJvirtdTest {
    @TempDir Path tmp;

    @Test
    void libvirtJavaSeesTheSameThroughJvirtdAsThroughLibvirtd() throws Exception {
        String why = LibvirtJavaReferenceTest.libvirtUnavailable();
        assumeTrue(why == null, why);
        assumeTrue(RealLibvirtd.available(), "the real libvirtd (libvirt-daemon) is not installed");
        ServerSettings s = new ServerSettings(tmp.resolve("root"), null, null, null, null, "127.0.0.1", 0, -1, null, List.of(),
                5000, 20, 5, 5);
        List<String> ours;
        try (DaemonServer d = new DaemonServer(s)) {
            d.start();
            try (ReferenceApi api = new LibvirtJavaApi("test+tcp://127.0.0.1:" + d.tcpPort() + "/default")) {
                ours = Scenario.run(api);
            }
        }
        List<String> reference;
        try (RealLibvirtd l = RealLibvirtd.start();
             ReferenceApi api = new LibvirtJavaApi("test+tcp://127.0.0.1:" + l.tcpPort() + "/default")) {
            reference = Scenario.run(api);
        }
        String all = String.join("\n", reference);
        assertTrue(all.contains("state=VIR_DOMAIN_PAUSED"), all);
        assertTrue(all.contains("error VIR_ERR_NO_DOMAIN (42)"), all);
        assertEquals(all, String.join("\n", ours));
    }
}
