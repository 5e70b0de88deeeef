package org.jvirt.vmm.access;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A listening unix socket whose file is mode 0600 whatever the process umask.
 *
 * <p>bind(2) creates the socket file with {@code 0777 & ~umask} and Java binds and listens in one
 * call, so the mode cannot be set on the final path before clients can connect. Instead the
 * socket is bound inside a fresh directory next to the target, created 0700 (mkdir's mode is
 * only ever narrowed by the umask), chmod'ed to 0600 there, and renamed into place. Race-free:
 * until the rename no other uid can search the private directory, so nobody can connect while
 * the mode is still wide; rename(2) is atomic, so the final name appears already 0600 (and it
 * replaces a symlink or stale socket there without following it).
 */
public final class PrivateSocket {

    private static final Set<PosixFilePermission> DIR_0700 = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_0600 = PosixFilePermissions.fromString("rw-------");

    private PrivateSocket() { }

    /** Binds and listens on path (replacing what is there), mode 0600. */
    public static ServerSocketChannel bind(Path path, int backlog) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = privateDirBeside(target);
        Path inside = dir.resolve("s"); // short: the private path must fit sun_path (108 bytes) as the target does
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(inside), backlog);
            Files.setPosixFilePermissions(inside, FILE_0600);
            Files.move(inside, target, StandardCopyOption.ATOMIC_MOVE);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(inside);
            throw e;
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    private static Path privateDirBeside(Path target) throws IOException {
        Path parent = target.getParent();
        while (true) {
            Path dir = parent.resolve("." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_0700));
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Files.setPosixFilePermissions(dir, DIR_0700); // a umask such as 0777 took our own bits too
            return dir;
        }
    }
}
