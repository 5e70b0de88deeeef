package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jvirt.driver.api.Connect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jvirt URI's directories are 0700 and its logs 0600 (with umask 000 too: JvirtPrivacyKvmTest). */
class PrivateDirsTest {

    @TempDir
    Path root;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void defineMakesOwnerOnlyConfigAndRunDirectories() throws Exception {
        Path top = root.resolve("new/uri");
        Connect c = new Connect("jvirt:///embed?root=" + top);
        c.domainDefineXML("<domain type='kvm'><name>d</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>").setAutostart(true);
        for (String dir : new String[] {"new", "new/uri", "new/uri/config", "new/uri/config/autostart", "new/uri/run", "new/uri/run/locks"}) {
            assertEquals("rwx------", mode(root.resolve(dir)), dir);
        }
        try (var locks = Files.list(top.resolve("run/locks"))) {
            for (Path p : locks.toList()) assertEquals("rw-------", mode(p), p.toString());
        }
    }

    @Test
    void anExistingWiderLogAndDirectoryAreNarrowed() throws Exception {
        Path dir = Files.createDirectories(root.resolve("log"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path log = Files.writeString(dir.resolve("d.log"), "old\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        PrivateDirs.ensureLog(log);
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(log));
        assertEquals("old\n", Files.readString(log), "the log is kept");
    }
}
