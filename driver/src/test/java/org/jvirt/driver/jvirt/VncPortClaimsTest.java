package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims other starts made count for the hold time; one's own, damaged and expired ones do not (expired ones are removed). */
class VncPortClaimsTest {
    @TempDir Path dir;

    @Test
    void freshClaimsOfOtherDomainsAreHeldAndExpiredOnesRemoved() throws Exception {
        JvirtPaths paths = new JvirtPaths(dir.resolve("etc"), Files.createDirectories(dir.resolve("run")), dir.resolve("log"));
        long now = System.currentTimeMillis();
        VncPortClaims.claim(paths, "a", 5900);
        VncPortClaims.claim(paths, "b", 5901);
        VncPortClaims.claim(paths, "self", 5902);
        VncPortClaims.claim(paths, "old", 5903);
        Files.setLastModifiedTime(paths.vncPortClaim("old"), FileTime.fromMillis(now - VncPortClaims.HOLD_MILLIS - 1000));
        Files.writeString(paths.vncPortClaim("damaged"), "59o4");
        assertEquals(Set.of(5900, 5901), VncPortClaims.held(paths, "self", now));
        assertFalse(Files.exists(paths.vncPortClaim("old")), "an expired claim is removed");
    }
}
