package org.jvirt.driver.test;

import static org.jvirt.driver.test.TestDomains.checkActive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;

/**
 * Managed save (a flag on the domain, as the test driver keeps no image for it), and save and
 * restore in the test driver's image format: a magic, the XML length in native byte
 * order, and the live XML (testDomainSaveImageWrite / testDomainSaveImageOpen). Callers serialize calls.
 */
final class TestSaveImages {

    private static final byte[] SAVE_MAGIC = "TestGuestMagic\0".getBytes(StandardCharsets.US_ASCII);

    private final TestDomains domains;

    TestSaveImages(TestDomains domains) {
        this.domains = domains;
    }

    void save(DomainRef d, String path) throws LibvirtException {
        TestDomainObj o = domains.obj(d);
        checkActive(o);
        write(path, o.def.format(o.id), d.name());
        domains.emit(o, 5, 4);
        domains.shutdownState(o, ShutoffReason.SAVED);
    }

    /** testDomainSaveImageWrite: magic, XML length, XML. */
    private static void write(String path, String domainXml, String name) throws LibvirtException {
        byte[] xml = domainXml.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SAVE_MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(xml.length).array());
        out.writeBytes(xml);
        try {
            Files.write(Path.of(path), out.toByteArray());
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "saving domain '" + name + "' to '" + path + "': open failed: " + e.getMessage());
        }
    }

    /** testDomainManagedSave: stops the domain (shut off, saved) and marks it; the next start boots it. */
    void managedSave(DomainRef d, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.Save.BYPASS_CACHE | Flags.Save.RUNNING | Flags.Save.PAUSED, "testDomainManagedSave");
        TestDomainObj o = domains.obj(d);
        checkActive(o);
        if (!o.persistent) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_TEST,
                    "cannot do managed save for transient domain");
        }
        domains.emit(o, 5, 4);
        domains.shutdownState(o, ShutoffReason.SAVED);
        o.hasManagedSave = true;
    }

    void managedSaveRemove(DomainRef d, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainManagedSaveRemove");
        domains.obj(d).hasManagedSave = false;
    }

    DomainRef restore(String path) throws LibvirtException {
        DomainDefinition def = domains.parseDefinition(open(path));
        TestDomainObj o = domains.addOrReplace(def, true, true);
        domains.startState(o, RunningReason.RESTORED);
        domains.emit(o, 2, 2);
        return o.ref();
    }

    /** testDomainRestoreFlags: no flags; a replacement XML is refused before the image is read. */
    DomainRef restore(String path, String dxml, int flags) throws LibvirtException {
        TestFlags.check(flags, 0, "testDomainRestoreFlags");
        if (dxml != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_TEST, "xml modification unsupported");
        }
        return restore(path);
    }

    /** testDomainSaveImageGetXMLDesc: the image's XML as an inactive definition (no id). */
    String imageXml(String path, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.DomainXml.SECURE, "testDomainSaveImageGetXMLDesc");
        return domains.parseDefinition(open(path)).format(-1);
    }

    /**
     * testDomainSaveImageDefineXML: the image is opened and checked, then written again with
     * the new definition (the test driver makes no compatibility check; RUNNING and PAUSED
     * change nothing in its image).
     */
    void defineImageXml(String path, String dxml, int flags) throws LibvirtException {
        TestFlags.check(flags, Flags.Save.RUNNING | Flags.Save.PAUSED, "testDomainSaveImageDefineXML");
        open(path);
        write(path, domains.parseDefinition(dxml).format(-1), null);
    }

    /** testDomainSaveImageOpen: the image's XML, after its header checks. */
    private static String open(String path) throws LibvirtException {
        byte[] image;
        try {
            image = Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "cannot read domain image '" + path + "': No such file or directory");
        }
        if (image.length < SAVE_MAGIC.length + 4) {
            // virReportSystemError after a short read that left errno 0
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "incomplete save header in '" + path + "': Success");
        }
        if (!Arrays.equals(Arrays.copyOf(image, SAVE_MAGIC.length), SAVE_MAGIC)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST, "mismatched header magic");
        }
        int len = ByteBuffer.wrap(image, SAVE_MAGIC.length, 4).order(ByteOrder.nativeOrder()).getInt();
        if (len < 1 || len > 8192 || SAVE_MAGIC.length + 4 + len > image.length) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_TEST,
                    "length of metadata out of range");
        }
        return new String(image, SAVE_MAGIC.length + 4, len, StandardCharsets.UTF_8);
    }
}
