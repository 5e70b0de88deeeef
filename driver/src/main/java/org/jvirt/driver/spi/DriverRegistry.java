package org.jvirt.driver.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.ServiceLoader;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;

/** Maps a URI to the driver that serves it, and picks the default URI as jvirt documents it. */
public final class DriverRegistry {

    /** The URI used when none is given and the environment names none. */
    public static final String BUILTIN_DEFAULT_URI = "jvirt:///session";

    private DriverRegistry() { }

    /**
     * The default URI: JVIRT_DEFAULT_URI, then LIBVIRT_DEFAULT_URI when it names a URI a jvirt
     * driver serves, then jvirt:///session.
     */
    public static String defaultUri(Map<String, String> env) {
        String jv = env.get("JVIRT_DEFAULT_URI");
        if (jv != null && !jv.isEmpty()) return jv;
        String lv = env.get("LIBVIRT_DEFAULT_URI");
        if (lv != null && !lv.isEmpty() && find(lv) != null) return lv;
        return BUILTIN_DEFAULT_URI;
    }

    /** Opens a connection to the URI through the driver that accepts it. */
    public static DriverConnection open(String uri, boolean readOnly) throws LibvirtException {
        URI parsed = parse(uri);
        HypervisorDriver driver = find(uri);
        if (driver == null) {
            // libvirt hands a URI no local driver takes (no "+transport") to its remote driver on
            // the daemon's local socket; jvirt does not, so say what libvirt says where there is no daemon
            if (noDaemonSocket()) {
                throw new LibvirtException(Error.ErrorNumber.VIR_ERR_SYSTEM_ERROR, Error.ErrorDomain.VIR_FROM_REMOTE,
                        "Failed to connect socket to '" + DAEMON_SOCKET + "': No such file or directory");
            }
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_NO_CONNECT, Error.ErrorDomain.VIR_FROM_NONE, uri);
        }
        return driver.open(parsed, readOnly);
    }

    /** libvirt's system daemon socket, where its remote driver connects as root. */
    private static final String DAEMON_SOCKET = "/var/run/libvirt/libvirt-sock";

    private static boolean noDaemonSocket() {
        return "root".equals(System.getProperty("user.name")) && !java.nio.file.Files.exists(java.nio.file.Path.of(DAEMON_SOCKET));
    }

    private static HypervisorDriver find(String uri) {
        URI parsed;
        try {
            parsed = parse(uri);
        } catch (LibvirtException e) {
            return null;
        }
        HypervisorDriver own = builtin(parsed.getScheme());
        if (own != null && own.accepts(parsed)) return own;
        for (HypervisorDriver d : ServiceLoader.load(HypervisorDriver.class, DriverRegistry.class.getClassLoader())) {
            if (d.accepts(parsed)) return d;
        }
        return null;
    }

    /**
     * jvirt's own driver for a scheme, without the class-path scan: ServiceLoader opens every
     * jar on the class path, which was a tenth of a jvirsh start-up. Other drivers (and URIs
     * these decline) still come from ServiceLoader.
     */
    private static HypervisorDriver builtin(String scheme) {
        if (scheme == null) return null;
        switch (scheme) {
            case "test":
                return new org.jvirt.driver.test.TestDriver();
            case "jvirt":
            case "qemu":
                return new org.jvirt.driver.jvirt.JvirtDriver();
            default:
                return org.jvirt.driver.remote.RemoteUri.isRemoteScheme(scheme) ? new org.jvirt.driver.remote.RemoteDriver() : null;
        }
    }

    /** Whether the URI is "scheme://" alone ([A-Za-z][A-Za-z0-9+.-]*://, without a regex on the start-up path). */
    static boolean isSchemeOnly(String uri) {
        int n = uri.length() - 3;
        if (n < 1 || !uri.endsWith("://")) return false;
        for (int i = 0; i < n; i++) {
            char c = uri.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-'))) return false;
        }
        return true;
    }

    private static URI parse(String uri) throws LibvirtException {
        try {
            // libvirt (libxml2's parser) reads "test://" as an empty authority and no path;
            // java.net.URI refuses it, so read it as "test:" + "///" with the path "/", which every
            // driver treats as no path
            if (isSchemeOnly(uri)) return new URI(uri + "/");
            return new URI(uri);
        } catch (URISyntaxException e) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_INTERNAL_ERROR, Error.ErrorDomain.VIR_FROM_URI,
                    "Unable to parse URI " + uri);
        }
    }
}
