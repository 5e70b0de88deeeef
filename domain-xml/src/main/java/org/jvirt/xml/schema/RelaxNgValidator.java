package org.jvirt.xml.schema;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates documents against libvirt's own RelaxNG schemas (Debian's libvirt0 installs them
 * in /usr/share/libvirt/schemas) with Jing. Load once per schema, then validate many.
 */
public final class RelaxNgValidator {

    /** Where libvirt installs its schemas; JVIRT_SCHEMA_DIR overrides it. */
    public static Path defaultSchemaDir() {
        String env = System.getenv("JVIRT_SCHEMA_DIR");
        return Path.of(env != null && !env.isEmpty() ? env : "/usr/share/libvirt/schemas");
    }

    private final ValidationDriver driver;
    private final List<String> errors = new ArrayList<>();

    private RelaxNgValidator(ValidationDriver driver) {
        this.driver = driver;
    }

    /** Loads schema (e.g. domain.rng); fails clearly when it is missing. */
    public static RelaxNgValidator load(Path schema) throws IOException {
        if (!Files.isReadable(schema))
            throw new IOException("schema " + schema + " not found (install the libvirt0 package for libvirt's schemas)");
        List<String> sink = new ArrayList<>();
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, collector(sink));
        ValidationDriver d = new ValidationDriver(props.toPropertyMap());
        try {
            if (!d.loadSchema(ValidationDriver.fileInputSource(schema.toFile())))
                throw new IOException("cannot load schema " + schema + ": " + String.join("; ", sink));
        } catch (SAXException e) {
            throw new IOException("cannot load schema " + schema + ": " + e.getMessage(), e);
        }
        RelaxNgValidator v = new RelaxNgValidator(d);
        v.errors.addAll(sink);
        sink.clear();
        v.sink = sink;
        return v;
    }

    private List<String> sink;

    /** The schema errors of xml ("line L, column C: message"); empty when it validates. */
    public synchronized List<String> validate(String xml) {
        sink.clear();
        try {
            driver.validate(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            sink.add(e.getMessage());
        }
        return List.copyOf(sink);
    }

    private static ErrorHandler collector(List<String> sink) {
        return new ErrorHandler() {
            private void add(SAXParseException e) {
                sink.add("line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage());
            }
            @Override public void warning(SAXParseException e) { }
            @Override public void error(SAXParseException e) { add(e); }
            @Override public void fatalError(SAXParseException e) { add(e); }
        };
    }
}
