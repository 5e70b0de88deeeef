package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.vmm.testing.GuestImages;

/**
 * The Debian generic kernel and display initrd test-fixtures/linux/build-generic.sh prepares
 * (test-fixtures/target/linux-generic/). When the build could not fetch the kernel it leaves
 * UNAVAILABLE with the reason (DISK-UNAVAILABLE when only the boot disk's tools are missing), and
 * the tests skip with it.
 */
final class GenericLinux {
    private GenericLinux() { }

    static Path dir() {
        String p = System.getProperty("jvirt.linux.generic.dir");
        return p != null ? Path.of(p) : GuestImages.dir().resolveSibling("linux-generic");
    }

    /** The file (vmlinuz, vmlinux, initrd-display.img, display-disk.raw), or the test is skipped with the reason. */
    static Path require(String name) throws IOException {
        Path d = dir();
        for (String why : new String[] {"UNAVAILABLE", name.equals("display-disk.raw") ? "DISK-UNAVAILABLE" : "UNAVAILABLE"}) {
            Path f = d.resolve(why);
            if (Files.isRegularFile(f)) assumeTrue(false, "skipped: the generic Linux guest could not be built: " + Files.readString(f).strip());
        }
        Path f = d.resolve(name);
        assumeTrue(Files.isRegularFile(f) && Files.isRegularFile(d.resolve(".complete")),
                "skipped: " + f + " is not built (build test-fixtures without -Djvirt.linux=false, "
                        + "or run test-fixtures/linux/build-generic.sh)");
        return f;
    }
}
