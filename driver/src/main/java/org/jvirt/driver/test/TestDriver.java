package org.jvirt.driver.test;

import java.net.URI;
import java.time.Clock;
import java.util.UUID;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.HypervisorDriver;

/**
 * test:///default: libvirt's mock hypervisor, with the same initial objects and behaviour
 * (src/test/test_driver.c). Each open starts from the default state; unlike libvirt, two
 * connections opened in one process do not share it.
 */
public final class TestDriver implements HypervisorDriver {

    @Override
    public String name() {
        return "test";
    }

    @Override
    public boolean accepts(URI uri) {
        return "test".equals(uri.getScheme());
    }

    @Override
    public DriverConnection open(URI uri, boolean readOnly) throws LibvirtException {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_INVALID_ARG, Error.ErrorDomain.VIR_FROM_TEST,
                    "testOpen: supply a path or use test:///default");
        }
        if (!path.equals("/default") && !java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
            // libvirt's test driver parses the file: libxml2 warns, then the parse fails
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_TEST,
                    "failed to parse xml document '" + path + "'")
                    .withParserOutput("I/O warning : failed to load external entity \"" + path + "\"\n");
        }
        if (!path.equals("/default")) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, Error.ErrorDomain.VIR_FROM_TEST,
                    "jvirt's test driver serves only test:///default, not " + uri);
        }
        // UTC: the driver reads only instants, and the default zone costs a time-zone database
        // read at every start; a class, not UUID::randomUUID: no lambda linkage at start-up
        return new TestConnection(Clock.systemUTC(), new RandomUuids(), readOnly);
    }

    /** UUIDs for new domains. */
    private static final class RandomUuids implements java.util.function.Supplier<UUID> {
        @Override
        public UUID get() {
            return UUID.randomUUID();
        }
    }
}
