package org.jvirt.driver.test;

import static org.jvirt.driver.test.TestDomains.checkActive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.keycode.Keycodes;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.Screenshot;

/**
 * The test driver's display calls, as libvirt's: testDomainScreenshot streams the PNG libvirt
 * installs as PKGDATADIR/test-screenshot.png whatever the domain and screen (it needs the file:
 * without libvirt installed the open fails as virFDStreamOpenFile's does); testDomainSendKey
 * checks that the domain runs and that every keycode exists in its codeset, and sends nothing.
 */
final class TestDisplay {

    /** libvirt's PKGDATADIR on Debian. */
    static final Path SCREENSHOT = Path.of("/usr/share/libvirt/test-screenshot.png");

    private final TestDomains domains;

    TestDisplay(TestDomains domains) {
        this.domains = domains;
    }

    Screenshot screenshot(DomainRef d, int screen, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainScreenshot");
        try {
            return new Screenshot("image/png", Files.newInputStream(SCREENSHOT));
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STREAMS,
                    "Unable to open stream for '" + SCREENSHOT + "': " + why);
        }
    }

    void sendKey(DomainRef d, int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainSendKey");
        checkActive(domains.obj(d));
        for (int k : keycodes) {
            if (Keycodes.codesetName(codeset) == null || Keycodes.translate(codeset, codeset, Integer.toUnsignedLong(k)) < 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                        "invalid keycode " + Integer.toUnsignedString(k) + " of " + Keycodes.codesetName(codeset) + " codeset");
            }
        }
    }
}
