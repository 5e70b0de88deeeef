package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client with umask 000 defines and starts a domain: directories 0700, log, status, control socket and pty 0600 (on KVM where /dev/kvm is usable, else on the emulator). */
class JvirtPrivacyKvmTest {

    @TempDir
    Path root;

    @Test
    void umask000LeavesNothingOpenToOtherUsers() throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        Path vmm = JvirtTestSupport.vmmScript(root);
        Path top = root.resolve("uri");
        String uri = "jvirt:///embed?root=" + top;
        Path xml = Files.writeString(root.resolve("tick.xml"), JvirtTestSupport.domainXml("tick", "ticker"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("sh", "-c", "umask 000; exec \"$@\"", "sh", java, "-Djvirt.vmm=" + vmm,
                "-cp", System.getProperty("java.class.path"), ChildClient.class.getName(), "start", uri, xml.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("started", new BufferedReader(new InputStreamReader(child.getInputStream())).readLine());
            JvirtPaths paths = JvirtPaths.embed(top);
            for (Path dir : List.of(top, paths.configDir(), paths.runDir(), paths.lockDir(), paths.logDir())) {
                assertEquals("rwx------", PrivateDirsTest.mode(dir), dir.toString());
            }
            for (Path f : List.of(paths.config("tick"), paths.status("tick"), paths.log("tick"), paths.monitor("tick"))) {
                assertEquals("rw-------", PrivateDirsTest.mode(f), f.toString());
            }
            String pty = DomainStatus.parse(Files.readString(paths.status("tick"))).consolePath();
            assertTrue(pty.startsWith("/dev/pts/"), pty);
            assertEquals("rw-------", PrivateDirsTest.mode(Path.of(pty)), pty);
        } finally {
            JvirtTestSupport.kill9(child);
            Connect c = new Connect(uri);
            for (Domain d : c.listAllDomains(Flags.ListAllDomains.ACTIVE)) d.destroy();
        }
    }
}
