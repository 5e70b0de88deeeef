package org.jvirt.driver.jvirt;

import java.nio.file.Path;

/** A separate process for the lock tests: {@code ROOT NAME} takes domain NAME's lock of jvirt:///embed?root=ROOT, prints "locked" and holds it until killed. */
public final class LockHolder {
    public static void main(String[] args) throws Exception {
        DomainLocks locks = new DomainLocks(JvirtPaths.embed(Path.of(args[0])));
        try (DomainLocks.Held h = locks.domain(args[1])) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
