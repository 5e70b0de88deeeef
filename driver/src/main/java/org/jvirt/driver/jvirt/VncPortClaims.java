package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The VNC ports starts have chosen and their VMMs may not have bound yet, so that two starts at
 * once (two clients, or two threads of jvirtd) never pick the same autoport: libvirt's
 * virPortAllocator keeps them in the daemon's memory; jvirt's clients share only files, so each
 * start writes its choice to the run directory under the URI lock ({@link JvirtPaths#vncPortClaim}),
 * and the next start, under the same lock, skips the ports claimed within {@link #HOLD_MILLIS}.
 * Once the VMM runs, its live XML holds the port; a claim left by a start that failed or a client
 * that was killed expires and is removed by the next start that reads it.
 */
final class VncPortClaims {
    /** Longer than any start takes from choosing the port to the VMM's bind. */
    static final long HOLD_MILLIS = 120_000;
    private static final String SUFFIX = ".vncport";

    private VncPortClaims() { }

    /** The ports other domains' starts claimed within the hold time; older claims are deleted. Call under the URI lock. */
    static Set<Integer> held(JvirtPaths paths, String self, long nowMillis) {
        Set<Integer> ports = new HashSet<>();
        Path own = paths.vncPortClaim(self);
        if (!Files.isDirectory(paths.runDir())) return ports;
        try (DirectoryStream<Path> claims = Files.newDirectoryStream(paths.runDir(), "*" + SUFFIX)) {
            for (Path claim : claims) {
                if (claim.equals(own)) continue;
                try {
                    if (nowMillis - Files.getLastModifiedTime(claim).toMillis() > HOLD_MILLIS) {
                        Files.deleteIfExists(claim);
                        continue;
                    }
                    ports.add(Integer.parseInt(Files.readString(claim, StandardCharsets.US_ASCII).trim()));
                } catch (IOException | NumberFormatException e) {
                    // gone meanwhile or damaged: it holds nothing
                }
            }
        } catch (IOException e) {
            // an unreadable run directory holds no claims; the VMM's bind still refuses a taken port
        }
        return ports;
    }

    /** Records the port the domain's start chose. Call under the URI lock. */
    static void claim(JvirtPaths paths, String name, int port) throws IOException {
        AtomicFiles.write(paths.vncPortClaim(name), Integer.toString(port));
    }
}
