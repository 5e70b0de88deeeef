package org.jvirt.xml.schema;

import com.thaiopensource.util.PropertyMap;
import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.Schema;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.Validator;
import com.thaiopensource.validate.rng.SAXSchemaReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * libvirt's domain schema (domain.rng of libvirt 9.0, bundled in this jar: no libvirt package
 * is needed at run time), as virDomainDefParse checks it for VIR_DOMAIN_DEFINE_VALIDATE.
 * Jing decides validity; the report is worded as libxml2's RelaxNG validator words the common
 * cases (an unknown attribute or element, a bad value), since virsh shows libxml2's lines.
 */
public final class LibvirtSchemas {

    private LibvirtSchemas() { }

    /** Where libvirt reads the schema; its error messages name this path. */
    public static final String DOMAIN_RNG = "/usr/share/libvirt/schemas/domain.rng";

    private static Schema domain;

    private static synchronized Schema domainSchema() throws IOException {
        if (domain == null) {
            // Jing cannot resolve includes against a jar: URL, so the schema gets a hierarchical
            // base URI and an entity resolver that reads each file from the jar
            PropertyMapBuilder props = new PropertyMapBuilder();
            props.put(ValidateProperty.ENTITY_RESOLVER, (EntityResolver) (publicId, systemId) -> open(systemId));
            try {
                domain = SAXSchemaReader.getInstance().createSchema(open(BASE + "domain.rng"), props.toPropertyMap());
            } catch (SAXException | com.thaiopensource.validate.IncorrectSchemaException e) {
                throw new IOException("cannot load libvirt's domain.rng: " + e.getMessage(), e);
            }
        }
        return domain;
    }

    private static final String BASE = "file:/jvirt-bundled-libvirt-schemas/";

    private static InputSource open(String systemId) throws IOException {
        if (systemId == null || !systemId.startsWith(BASE)) return null;
        String name = systemId.substring(BASE.length());
        URL url = name.matches("[a-z_]+\\.rng") ? LibvirtSchemas.class.getResource("libvirt/" + name) : null;
        if (url == null) throw new IOException("libvirt schema " + name + " is missing from the jar");
        InputSource in = new InputSource(url.openStream());
        in.setSystemId(systemId);
        return in;
    }

    /**
     * The libxml2-style lines explaining why xml is not a valid libvirt domain (each ending
     * with a newline), or null when it validates or is not well-formed (left to the parser).
     */
    public static String validateDomain(String xml) throws IOException {
        Tracker tracker = new Tracker();
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, tracker);
        PropertyMap map = props.toPropertyMap();
        Validator v = domainSchema().createValidator(map);
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            XMLReader reader = f.newSAXParser().getXMLReader();
            tracker.setContentHandler(v.getContentHandler());
            tracker.setParent(reader);
            tracker.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            // not well-formed: the caller's parser reports that in libxml2's words, as libvirt
            // parses before it validates
            return null;
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IOException(e.getMessage(), e);
        }
        return tracker.first;
    }

    private static final Pattern MISSING = Pattern.compile("missing required element \"([^\"]+)\"$");
    private static final Pattern EXPECTED = Pattern.compile("expected (the element end-tag or )?element \"([^\"]+)\"$");

    /** Follows the open elements, so that the first error can be told where it happened. */
    private static final class Tracker extends XMLFilterImpl implements ErrorHandler {
        private final List<String> open = new ArrayList<>();
        private String event = "";
        private String eventName = "";
        String first;

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) throws SAXException {
            open.add(local);
            event = "start";
            eventName = local;
            super.startElement(uri, local, qName, atts);
        }

        @Override
        public void endElement(String uri, String local, String qName) throws SAXException {
            event = "end";
            eventName = local;
            super.endElement(uri, local, qName);
            open.remove(open.size() - 1);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            event = "text";
            super.characters(ch, start, length);
        }

        @Override public void warning(SAXParseException e) { }

        @Override public void error(SAXParseException e) { record(e); }

        @Override public void fatalError(SAXParseException e) { record(e); }

        private void record(SAXParseException e) {
            if (first != null) return;
            String msg = String.valueOf(e.getMessage());
            String root = open.isEmpty() ? "domain" : open.get(0);
            String top = open.size() >= 2 ? open.get(1) : null;
            String failed = "Element " + root + " failed to validate content\n";
            String interleave = top == null ? "" : "Extra element " + top + " in interleave\n";
            Matcher missing = MISSING.matcher(msg);
            Matcher expected = EXPECTED.matcher(msg);
            if (missing.find() && open.size() <= 2) {
                // a required child never came: libxml2 says what it expected at the end
                first = "Expecting an element " + missing.group(1) + ", got nothing\n"
                        + (open.size() == 1 ? "Invalid sequence in interleave\nInvalid sequence in interleave\n" : interleave)
                        + failed;
            } else if (event.equals("start") && open.size() == 3 && expected.find()) {
                // one element allowed there: required ("got nothing") or optional ("got NAME")
                first = (expected.group(1) == null ? "Expecting an element " + expected.group(2) + ", got nothing\n"
                        : "Expecting element " + expected.group(2) + ", got " + eventName + "\n") + interleave + failed;
            } else if (event.equals("start") && msg.contains("attribute \"")) {
                String attr = quoted(msg, "attribute \"");
                first = open.size() == 1 ? "Invalid attribute " + attr + " for element " + root + "\n"
                        : "Invalid attribute " + attr + " for element " + eventName + "\n" + interleave
                        + "Invalid sequence in interleave\n" + failed;
            } else if (event.equals("start") && open.size() == 2) {
                first = "Element " + root + " has extra content: " + eventName + "\n";
            } else if (event.equals("start") && open.size() > 2) {
                first = interleave + failed;
            } else if (!event.equals("start") && open.size() == 2) {
                first = interleave + "Invalid sequence in interleave\n" + failed;
            } else {
                first = failed;
            }
        }

        private static String quoted(String msg, String after) {
            int i = msg.indexOf(after) + after.length();
            int j = msg.indexOf('"', i);
            return j > i ? msg.substring(i, j) : "";
        }

        @Override public ContentHandler getContentHandler() { return super.getContentHandler(); }
    }
}
