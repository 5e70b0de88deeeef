package org.jvirt.driver.jvirt;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.Os;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * {@code <sysinfo type='smbios'>} and {@code <os><smbios mode='...'/>} as libvirt 9.0 gives them
 * to QEMU (qemuBuildSmbiosCommandLine): mode emulate, or no mode, passes nothing but the UUID
 * (-uuid, which VmmCommand always gives); mode sysinfo passes the domain's sysinfo, mode host
 * the host's (read from /sys/class/dmi/id as {@link Sysinfo} reads it; its UUID left out), as
 * -smbios type=0 (bios), 1 (system), 2 (baseBoard, at most one), 3 (chassis) and 11 (oemStrings)
 * options, each field in libvirt's order with commas doubled (types 2 and 3 always with a
 * manufacturer, empty when not given, so QEMU's "QEMU" default is not used). jvirt-vmm takes them as --smbios.
 * The define-time checks are libvirt's (virSysinfoParseXML): the BIOS date's form and the
 * system UUID's agreement with the domain's.
 */
final class SmbiosSettings {
    private SmbiosSettings() { }

    static final Path HOST_DMI = Path.of("/sys/class/dmi/id");
    private static final String[] BIOS = {"vendor", "version", "date", "release"};
    private static final String[] SYSTEM = {"manufacturer", "product", "version", "serial", "uuid", "sku", "family"};
    private static final String[] BASEBOARD = {"manufacturer", "product", "version", "serial", "asset", "location"};
    private static final String[] CHASSIS = {"manufacturer", "version", "serial", "asset", "sku"};

    /** The {@code <smbios mode>} of the domain's {@code <os>}, or null. */
    static String mode(Os os) {
        if (os == null) return null;
        for (Object child : os.children(Object.class)) {
            if (child instanceof Element e && "smbios".equals(e.getLocalName())) return e.getAttribute("mode");
        }
        return null;
    }

    /** The domain's {@code <sysinfo>} elements. */
    static List<Element> sysinfos(Domain d) {
        List<Element> out = new ArrayList<>();
        for (Object child : d.children(Object.class)) {
            if (child instanceof Element e && "sysinfo".equals(e.getLocalName())) out.add(e);
        }
        return out;
    }

    /** A domain without {@code <uuid>} takes its sysinfo system UUID, as libvirt's parser gives it (before a random one is made). */
    static void adoptUuid(Domain d) {
        if (d.getUuid() != null && !d.getUuid().isBlank()) return;
        for (Element s : sysinfos(d)) {
            String uuid = "smbios".equals(s.getAttribute("type")) ? entry(child(s, "system"), "uuid") : null;
            if (uuid == null) continue;
            try {
                d.setUuid(parseUuid(uuid).toString());
            } catch (IllegalArgumentException e) {
                return; // validate names it
            }
            return;
        }
    }

    /** libvirt's parse-time checks of {@code <sysinfo type='smbios'>}. */
    static void validate(Domain d, String domainUuid) throws LibvirtException {
        for (Element s : sysinfos(d)) {
            if (!"smbios".equals(s.getAttribute("type"))) continue;
            String date = entry(child(s, "bios"), "date");
            if (date != null && !validDate(date)) throw detail("Invalid BIOS 'date' format");
            String uuid = entry(child(s, "system"), "uuid");
            if (uuid != null) {
                java.util.UUID parsed;
                try {
                    parsed = parseUuid(uuid);
                } catch (IllegalArgumentException e) {
                    throw detail("malformed <sysinfo> uuid element");
                }
                if (domainUuid != null && !parsed.equals(parseUuid(domainUuid))) throw detail("UUID mismatch between <uuid> and <sysinfo>");
            }
        }
    }

    /** jvirt-vmm's --smbios values for the domain, as libvirt's -smbios values. */
    static List<String> options(Domain d, String name) throws LibvirtException {
        String mode = mode(d.getOs());
        Element source = null;
        boolean skipUuid = false;
        if ("host".equals(mode)) {
            source = hostSysinfo();
            skipUuid = true; // host and guest UUIDs must differ
        } else if ("sysinfo".equals(mode)) {
            for (Element s : sysinfos(d)) {
                if ("smbios".equals(s.getAttribute("type"))) {
                    source = s;
                    break;
                }
            }
            if (source == null) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_QEMU, "Domain '" + name + "' sysinfo are not available");
            }
        }
        List<String> out = new ArrayList<>();
        if (source == null) return out; // emulate, none
        Element bios = child(source, "bios");
        if (any(bios, BIOS)) out.add(fields("type=0", bios, BIOS, null, false));
        Element system = child(source, "system");
        if (any(system, SYSTEM) && !systemOmitted(system, skipUuid)) out.add(fields("type=1", system, SYSTEM, skipUuid ? "uuid" : null, false));
        List<Element> boards = children(source, "baseBoard");
        if (boards.size() > 1) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "qemu does not support more than one entry to Type 2 in SMBIOS table");
        }
        for (Element b : boards) if (any(b, BASEBOARD)) out.add(fields("type=2", b, BASEBOARD, null, true));
        Element chassis = child(source, "chassis");
        if (any(chassis, CHASSIS)) out.add(fields("type=3", chassis, CHASSIS, null, true));
        Element oem = child(source, "oemStrings");
        if (oem != null && !children(oem, "entry").isEmpty()) {
            StringBuilder b = new StringBuilder("type=11");
            for (Element e : children(oem, "entry")) b.append(",value=").append(escapeComma(e.getTextContent()));
            out.add(b.toString());
        }
        return out;
    }

    /**
     * qemuBuildSmbiosSystemStr leaves type 1 out when only an SKU is there (its test reads
     * "def->sku" where the others read "!def->..."); kept as libvirt 9.0 does it.
     */
    private static boolean systemOmitted(Element system, boolean skipUuid) {
        return entry(system, "manufacturer") == null && entry(system, "product") == null && entry(system, "version") == null
                && entry(system, "serial") == null && (entry(system, "uuid") == null || skipUuid)
                && entry(system, "sku") != null && entry(system, "family") == null;
    }

    /** withManufacturer: types 2 and 3 always have "manufacturer=", empty when not given (qemuBuildSmbiosBaseBoardStr, ChassisStr). */
    private static String fields(String type, Element section, String[] names, String skip, boolean withManufacturer) {
        StringBuilder b = new StringBuilder(type);
        for (String n : names) {
            String v = entry(section, n);
            if (v == null && withManufacturer && n.equals("manufacturer")) v = "";
            if (v != null && n.equals("uuid")) v = parseUuid(v).toString(); // libvirt keeps it as virUUIDFormat writes it
            if (v != null && !n.equals(skip)) b.append(',').append(n).append('=').append(escapeComma(v));
        }
        return b.toString();
    }

    /** virQEMUBuildBufferEscapeComma. */
    static String escapeComma(String s) { return s.replace(",", ",,"); }

    private static boolean any(Element section, String[] names) {
        if (section == null) return false;
        for (String n : names) if (entry(section, n) != null) return true;
        return false;
    }

    /** An entry's text, null when absent or empty (libvirt's XPath string reads). */
    private static String entry(Element section, String name) {
        if (section == null) return null;
        for (Element e : children(section, "entry")) {
            if (name.equals(e.getAttribute("name"))) {
                String v = e.getTextContent();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) return out;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getNodeName())) out.add(e);
        }
        return out;
    }

    /** mm/dd/yy or mm/dd/yyyy (a four-digit year from 1900), as virSysinfoBIOSParseXML checks it. */
    static boolean validDate(String date) {
        String[] p = date.split("/", -1);
        if (p.length != 3) return false;
        try {
            int month = Integer.parseInt(p[0]), day = Integer.parseInt(p[1]), year = Integer.parseInt(p[2]);
            return month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 0 && (year < 100 || year >= 1900);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static java.util.UUID parseUuid(String s) {
        String hex = s.trim().replace("-", "");
        if (!hex.matches("[0-9a-fA-F]{32}")) throw new IllegalArgumentException("not a UUID: " + s);
        return new java.util.UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** The host's sysinfo as virConnectGetSysinfo gives it, parsed; libvirt's error when there is none. */
    private static Element hostSysinfo() throws LibvirtException {
        String xml = Sysinfo.read(HOST_DMI);
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, "cannot read the host's SMBIOS data: " + e.getMessage());
        }
    }

    private static LibvirtException detail(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_DOMAIN, message);
    }
}
