package org.jvirt.vmm.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Finds the test-fixtures guests (test-fixtures/target/guests/NAME.elf, built by `make -C test-fixtures/guests`). */
public final class GuestImages {
    private GuestImages() { }

    public static Path dir() {
        String p = System.getProperty("jvirt.guests");
        if (p != null) return Path.of(p);
        return Path.of("..", "test-fixtures", "target", "guests").toAbsolutePath().normalize();
    }

    /** The image, or the test is skipped with the reason. */
    public static Path require(String name) {
        Path elf = dir().resolve(name + ".elf");
        assumeTrue(Files.isRegularFile(elf), "skipped: guest image " + elf + " is not built (build test-fixtures first)");
        return elf;
    }

    public static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
