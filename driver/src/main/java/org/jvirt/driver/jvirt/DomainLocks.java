package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.JvirtErrors.io;

import java.io.IOException;
import java.util.Locale;
import org.jvirt.driver.api.LibvirtException;

/**
 * The locks of one URI, one per domain instead of one for everything, so that operations on
 * different domains never wait for each other (a destroy holds its domain's lock while the VMM
 * exits; nobody else waits for it). Each is a {@link FileMutex} in {@code RUN/locks/}: threads and
 * processes alike are serialized per domain.
 *
 * <ul>
 * <li>{@link #domain}: every operation on a domain, keyed by its name (so also a define or
 *     create of a name not yet taken against another one of the same name).</li>
 * <li>{@link #uuid}: taken after the name lock by whatever adds a domain (define, create), so two
 *     new names cannot both take one uuid.</li>
 * <li>{@link #uri}: short URI-wide work (the next domain id, the boot-id check); a leaf: nothing
 *     else is locked while it is held.</li>
 * </ul>
 * Order: name, then uuid, then uri; a thread holds at most one of each, so no cycle is possible.
 * A name lock is only ever taken out of order with {@link #tryDomain}, which never waits.
 * Lock files are never deleted (deleting a lock file lets two holders lock two different files);
 * they are empty files, one per name ever used (the system run directory, /run, is cleared at boot).
 */
final class DomainLocks {

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final JvirtPaths paths;

    DomainLocks(JvirtPaths paths) {
        this.paths = paths;
    }

    Held domain(String name) throws LibvirtException {
        return acquire(JvirtPaths.runKey(name) + ".lock");
    }

    /** The domain's lock if nobody else holds it now, else null (for clean-ups that may be left to the holder). */
    Held tryDomain(String name) throws LibvirtException {
        try {
            FileMutex m = FileMutex.of(file(JvirtPaths.runKey(name) + ".lock"));
            return m.tryAcquire() ? m::release : null;
        } catch (IOException e) {
            throw io(e);
        }
    }

    Held uuid(String uuid) throws LibvirtException {
        return acquire("uuid-" + uuid.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-f-]", "_") + ".lock");
    }

    Held uri() throws LibvirtException {
        return acquire("uri.lock");
    }

    private Held acquire(String fileName) throws LibvirtException {
        try {
            FileMutex m = FileMutex.of(file(fileName));
            m.acquire();
            return m::release;
        } catch (IOException e) {
            throw io(e);
        }
    }

    private java.nio.file.Path file(String fileName) throws IOException {
        PrivateDirs.ensure(paths.runDir());
        return PrivateDirs.ensure(paths.lockDir()).resolve(fileName);
    }
}
