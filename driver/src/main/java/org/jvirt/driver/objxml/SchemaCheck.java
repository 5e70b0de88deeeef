package org.jvirt.driver.objxml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.schema.RelaxNgValidator;

/**
 * The VALIDATE flag of the define and create calls (virXMLValidateAgainstSchema): the document
 * is checked against libvirt's own RelaxNG schema. The first line of a refusal is libvirt's;
 * the details under it are Jing's wording, not libxml2's.
 */
public final class SchemaCheck {

    private SchemaCheck() { }

    private static final Map<String, RelaxNgValidator> LOADED = new ConcurrentHashMap<>();

    /** Validates xml against schema (e.g. "network.rng" in libvirt's schema directory). */
    public static void validate(String xml, String schema) throws LibvirtException {
        Path file = RelaxNgValidator.defaultSchemaDir().resolve(schema);
        RelaxNgValidator v;
        try {
            v = LOADED.computeIfAbsent(schema, s -> {
                try {
                    return RelaxNgValidator.load(file);
                } catch (IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        } catch (IllegalStateException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
        List<String> errors = v.validate(xml);
        if (errors.isEmpty()) return;
        StringBuilder b = new StringBuilder("Unable to validate doc against ").append(file).append('\n');
        for (String e : errors) b.append(e).append('\n');
        throw new LibvirtException(ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA, ErrorDomain.VIR_FROM_XML, b.toString());
    }
}
