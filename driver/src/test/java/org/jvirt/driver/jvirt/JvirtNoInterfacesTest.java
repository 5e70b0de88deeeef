package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jvirt driver has no host interface or node device tables yet: every such call fails as
 * libvirt's do for a missing driver entry, naming the public API (storage it has: JvirtStorageTest;
 * virtual networks: the tests of org.jvirt.driver.jvirt.network).
 */
class JvirtNoInterfacesTest {

    @TempDir
    Path root;

    private static void assertUnsupported(String api, org.junit.jupiter.api.function.Executable call) {
        LibvirtException e = assertThrows(LibvirtException.class, call);
        assertEquals(ErrorNumber.VIR_ERR_NO_SUPPORT, e.code());
        assertEquals("this function is not supported by the connection driver: " + api, e.getMessage());
    }

    @Test
    void interfaceAndDeviceCallsAreUnsupported() throws LibvirtException {
        Connect c = new Connect("jvirt:///embed?root=" + root);
        assertUnsupported("virConnectNumOfInterfaces", c::listInterfaces);
        assertUnsupported("virNodeNumOfDevices", () -> c.listDevices(null));
        assertUnsupported("virNodeDeviceLookupByName", () -> c.deviceLookupByName("computer"));
        c.close();
    }
}
