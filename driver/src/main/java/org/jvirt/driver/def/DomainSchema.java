package org.jvirt.driver.def;

import java.io.IOException;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.schema.LibvirtSchemas;

/**
 * VIR_DOMAIN_DEFINE_VALIDATE / VIR_DOMAIN_START_VALIDATE: the document checked against
 * libvirt's domain.rng (bundled with jvirt), failing with libvirt's words.
 */
public final class DomainSchema {

    private DomainSchema() { }

    /** Checks a document before any other check but the syntax one (a malformed one passes here). */
    public static void check(String xml) throws LibvirtException {
        String problems;
        try {
            problems = LibvirtSchemas.validateDomain(xml);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_XML,
                    "cannot validate against the domain schema: " + e.getMessage());
        }
        if (problems != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA, ErrorDomain.VIR_FROM_XML,
                    "Unable to validate doc against " + LibvirtSchemas.DOMAIN_RNG + "\n" + problems);
        }
    }
}
