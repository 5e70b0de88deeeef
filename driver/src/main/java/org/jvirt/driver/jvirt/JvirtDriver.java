package org.jvirt.driver.jvirt;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.HypervisorDriver;

/**
 * jvirt:///session, jvirt:///system and jvirt:///embed?root=DIR (qemu:///session and
 * qemu:///system are aliases): domains run in jvirt-vmm processes, state lives in files.
 * The first open after a host boot starts the autostart domains.
 */
public final class JvirtDriver implements HypervisorDriver {

    @Override
    public String name() {
        return "jvirt";
    }

    @Override
    public boolean accepts(URI uri) {
        String scheme = uri.getScheme();
        if ("jvirt".equals(scheme)) return uri.getHost() == null;
        return "qemu".equals(scheme) && uri.getHost() == null
                && ("/session".equals(uri.getPath()) || "/system".equals(uri.getPath()));
    }

    @Override
    public DriverConnection open(URI uri, boolean readOnly) throws LibvirtException {
        Map<String, String> env = System.getenv();
        JvirtPaths paths = switch (uri.getPath() == null ? "" : uri.getPath()) {
            case "/session" -> JvirtPaths.session(env, System.getProperty("user.home"));
            case "/system" -> {
                if (HostInfo.uid() != 0) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_AUTH_FAILED, ErrorDomain.VIR_FROM_NONE,
                            "access to " + uri + " requires root (uid " + HostInfo.uid() + "); use jvirt:///session");
                }
                yield JvirtPaths.system();
            }
            case "/embed" -> JvirtPaths.embed(embedRoot(uri));
            default -> throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "unexpected jvirt URI path '" + uri.getPath() + "', try jvirt:///session, jvirt:///system or jvirt:///embed?root=DIR");
        };
        JvirtConnection c = new JvirtConnection(uri.toString(), paths, new VmmLauncher(VmmLauncher.locate(env)),
                Path.of("/dev/kvm"), UUID::randomUUID, MigrationListen.of(uri));
        if (!readOnly) {
            c.removeStaleTemps();
            if ("/system".equals(uri.getPath())) c.defineDefaultNetworkOnce();
            c.autostartIfBooted();
        }
        return c;
    }

    private static Path embedRoot(URI uri) throws LibvirtException {
        String q = uri.getQuery();
        if (q != null) {
            for (String part : q.split("&")) {
                if (part.startsWith("root=") && part.length() > 5) {
                    Path p = Path.of(part.substring(5));
                    if (p.isAbsolute()) return p;
                }
            }
        }
        throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                "embed URI " + uri + " needs an absolute root directory: jvirt:///embed?root=/some/dir");
    }
}
