package org.jvirt.driver.def;

import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.BootMenu;
import org.jvirt.xml.domain.Os;
import org.jvirt.xml.model.XmlNode;
import org.w3c.dom.Element;

/**
 * libvirt's parse rules for the firmware's boot settings (virDomainDefParseBootOptions):
 * {@code <bootmenu timeout>} a number 0..65535, {@code <bios rebootTimeout>} -1..65535.
 */
public final class FirmwareBootSettings {

    private FirmwareBootSettings() { }

    static void check(Os os) throws LibvirtException {
        BootMenu menu = os.getBootMenu();
        if (menu != null && menu.getTimeout() != null) {
            long t = number(menu.getTimeout(), false, "timeout", "bootmenu");
            if (t < 0 || t > 65535) throw unsupported("invalid value for boot menu timeout, must be in range [0,65535]");
            menu.setTimeout(Long.toString(t)); // written back as a plain number
        }
        String reboot = rebootTimeout(os);
        if (reboot != null) {
            {
                long t = number(reboot, true, "rebootTimeout", "bios");
                if (t < -1 || t > 65535) throw unsupported("invalid value for rebootTimeout, must be in range [-1,65535]");
                setRebootTimeout(os, Long.toString(t));
            }
        }
    }

    /** {@code <bios rebootTimeout>}, or null. */
    public static String rebootTimeout(Os os) {
        for (Object child : os.children(Object.class)) {
            if (child instanceof XmlNode n && "bios".equals(n.elementName())) return n.attribute("rebootTimeout");
            if (child instanceof Element e && "bios".equals(e.getLocalName())) return e.hasAttribute("rebootTimeout") ? e.getAttribute("rebootTimeout") : null;
        }
        return null;
    }

    private static void setRebootTimeout(Os os, String value) {
        for (Object child : os.children(Object.class)) {
            if (child instanceof XmlNode n && "bios".equals(n.elementName())) n.setAttribute("rebootTimeout", value);
            if (child instanceof Element e && "bios".equals(e.getLocalName())) e.setAttribute("rebootTimeout", value);
        }
    }

    /** virXMLPropUInt / virXMLPropInt: strtol's leading blanks and sign, nothing after the digits, 32 bits. */
    static long number(String value, boolean signed, String attribute, String element) throws LibvirtException {
        String v = value.stripLeading();
        boolean negative = v.startsWith("-");
        if (v.startsWith("+") || negative) v = v.substring(1);
        if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(Character::isDigit) && (signed || !negative)) {
            long n = Long.parseLong(v) * (negative ? -1 : 1);
            if (signed ? n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE : n <= 0xffffffffL) return n;
        }
        throw new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                "Invalid value for attribute '" + attribute + "' in element '" + element + "': '" + value + "'. Expected "
                        + (signed ? "integer value" : "non-negative integer value"));
    }

    private static LibvirtException unsupported(String message) {
        return new LibvirtException(Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, Error.ErrorDomain.VIR_FROM_DOMAIN, message);
    }
}
