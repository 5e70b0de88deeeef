package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The URI's directories and logs are its owner's alone, whatever the umask: directories 0700,
 * log files 0600. mkdir(2) and open(2) only ever narrow the mode they are given, so creating
 * with these modes never leaves a wider window; an existing directory or log of a wider mode
 * (an older jvirt, a hand-made one) is narrowed.
 */
final class PrivateDirs {

    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> DIR_ATTR = PosixFilePermissions.asFileAttribute(DIR);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = PosixFilePermissions.asFileAttribute(FILE);

    private PrivateDirs() { }

    /** dir (and any missing parent) as a 0700 directory. */
    static Path ensure(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) Files.createDirectories(dir, DIR_ATTR);
        if (!Files.getPosixFilePermissions(dir).equals(DIR)) Files.setPosixFilePermissions(dir, DIR);
        return dir;
    }

    /** file as a 0600 file in a 0700 directory, created empty if missing (a log the VMM's stdio is appended to). */
    static Path ensureLog(Path file) throws IOException {
        ensure(file.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), FILE_ATTR)) {
            // created 0600 (or it was there)
        }
        if (!Files.getPosixFilePermissions(file).equals(FILE)) Files.setPosixFilePermissions(file, FILE);
        return file;
    }
}
