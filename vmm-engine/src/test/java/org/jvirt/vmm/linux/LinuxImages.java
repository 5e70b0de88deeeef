package org.jvirt.vmm.linux;

import org.jvirt.vmm.testing.GuestImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Linux guest test-fixtures/linux/build.sh prepares next to the test guests
 * (test-fixtures/target/linux/{vmlinux,vmlinuz,initrd.img}). When the build could not fetch the
 * kernel (no apt, no network, a missing tool) it leaves UNAVAILABLE with the reason, and the
 * tests skip with it.
 */
final class LinuxImages {
    private LinuxImages() { }

    /** What the tests give the kernel: COM1 as console (earlyprintk too), a panic ends the VM at once. */
    static final String CMDLINE = "console=ttyS0 earlyprintk=serial,ttyS0 panic=-1 nokaslr";
    static final long MEMORY = 512L << 20;
    /** The marker the initrd's /init prints before it powers off (test-fixtures/linux/build.sh). */
    static final String READY = "JVIRT-GUEST-READY";
    /** The /init word that reports the hardware RNG, and the report of 64 bytes read from a virtio-rng. */
    static final String RNG_WORD = "jvirt.rng=1", RNG_REPORT = "init: hwrng: virtio_rng.0, read 64 bytes";

    static Path dir() {
        String p = System.getProperty("jvirt.linux.dir");
        return p != null ? Path.of(p) : GuestImages.dir().resolveSibling("linux");
    }

    /** A 1 MiB raw disk for the guest to find as /dev/vda. */
    static Path makeDisk(Path p) throws IOException {
        Files.write(p, new byte[1 << 20]);
        return p;
    }

    /**
     * The boot reached the initrd's /init: banner, init loaded the virtio modules and saw the
     * disk as vda, printed the marker, and the kernel did not panic on the way.
     */
    static void assertBootedToInit(String serial, String how) {
        String out = how + "; serial:\n" + serial.replace("\r\n", "\n");
        assertTrue(out.contains("Linux version "), "no banner: " + out);
        assertTrue(out.contains("\n" + READY + "\n"), "no " + READY + " marker: " + out);
        assertTrue(out.matches("(?s).*\ninit: block devices: [^\n]*\\bvda\\b.*"), "init did not see the virtio disk: " + out);
        assertFalse(out.contains("init: insmod "), "a module failed to load: " + out);
        assertFalse(out.contains("Kernel panic"), out);
    }

    /** The file (vmlinux, vmlinuz, initrd.img), or the test is skipped with the reason. */
    static Path require(String name) throws IOException {
        Path d = dir();
        Path why = d.resolve("UNAVAILABLE");
        if (Files.isRegularFile(why))
            assumeTrue(false, "skipped: the Linux guest could not be built: " + Files.readString(why).strip());
        Path f = d.resolve(name);
        assumeTrue(Files.isRegularFile(f) && Files.isRegularFile(d.resolve(".complete")),
                "skipped: " + f + " is not built (build test-fixtures without -Djvirt.linux=false, "
                        + "or run test-fixtures/linux/build.sh)");
        return f;
    }
}
