package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir Path tmp;

    @Test
    void virshListsTheTestDriverOverTcp() throws Exception {
        assumeTrue(Virsh.available(), "the real virsh (libvirt-clients) is not installed");
        try (TestDaemon d = new TestDaemon(tmp)) {
            String uri = "test+tcp://127.0.0.1:" + d.tcpPort() + "/default";
            Virsh.Result r = Virsh.run(uri, "list", "--all");
            System.out.println(r.all());
            Virsh.Result r2 = Virsh.run(uri, "dominfo", "test");
            System.out.println(r2.all());
            Virsh.Result r3 = Virsh.run("qemu+unix:///system?socket=" + d.rwSocket(), "list", "--all");
            System.out.println(r3.all());
            assertEquals(0, r.exit(), r.all());
        }
    }
}
