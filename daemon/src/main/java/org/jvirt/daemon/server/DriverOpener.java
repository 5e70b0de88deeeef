package org.jvirt.daemon.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.jvirt.daemon.dispatch.DaemonContext;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.DriverRegistry;

/**
 * Maps the names clients open to jvirt's drivers: qemu:///system and jvirt:///system to the
 * daemon's system driver (jvirt:///embed?root=DIR under --root), qemu:///session and
 * jvirt:///session to the session driver of the daemon's user, test:///default to one mock
 * driver shared by every client while any has it open (as libvirtd's test driver), anything
 * else to libvirt's "no connection driver available".
 */
public final class DriverOpener implements DaemonContext {
    static final String SYSTEM = "qemu:///system";

    private final String systemUri;
    private DriverConnection sharedTest;
    private int sharedTestUsers;

    public DriverOpener(Path root) {
        this(root, org.jvirt.driver.jvirt.MigrationListen.DEFAULT);
    }

    /** MIGRATION: jvirtd.conf's migration_address etc., passed to the system driver in its URI. */
    public DriverOpener(Path root, org.jvirt.driver.jvirt.MigrationListen migration) {
        this.systemUri = migration.appendTo(root == null ? "jvirt:///system" : "jvirt:///embed?root=" + root.toAbsolutePath());
    }

    @Override
    public String canonicalUri(String name) {
        return name == null || name.isEmpty() ? SYSTEM : name;
    }

    @Override
    public Connect open(String name, boolean readOnly) throws LibvirtException {
        String n = canonicalUri(name);
        switch (n) {
            case "qemu:///system", "jvirt:///system":
                return new Connect(systemUri, readOnly);
            case "qemu:///session", "jvirt:///session":
                return new Connect("jvirt:///session", readOnly);
            case "test:///default":
                return Connect.wrap(acquireTest(), readOnly);
            default:
                throw new LibvirtException(Error.ErrorNumber.VIR_ERR_NO_CONNECT, Error.ErrorDomain.VIR_FROM_NONE, n);
        }
    }

    @Override
    public void release(Connect conn) {
        if (conn == null) return;
        try {
            conn.close();
        } catch (LibvirtException e) {
            // a driver that failed to close has nothing more to give back
        }
    }

    /** The shared mock driver; its state lives while any client has it open. */
    private synchronized DriverConnection acquireTest() throws LibvirtException {
        if (sharedTest == null) sharedTest = DriverRegistry.open("test:///default", false);
        sharedTestUsers++;
        DriverConnection target = sharedTest;
        boolean[] released = {false};
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                synchronized (DriverOpener.this) {
                    if (!released[0]) {
                        released[0] = true;
                        if (--sharedTestUsers == 0) {
                            sharedTest = null;
                            target.close();
                        }
                    }
                }
                return null;
            }
            try {
                // the mock driver is not written for concurrent callers: one call at a time, as libvirt's lock does
                synchronized (target) {
                    return method.invoke(target, args);
                }
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DriverConnection) Proxy.newProxyInstance(DriverConnection.class.getClassLoader(), new Class<?>[] {DriverConnection.class}, h);
    }
}
