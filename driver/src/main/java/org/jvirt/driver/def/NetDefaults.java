package org.jvirt.driver.def;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.domain.devices.Mac;

/**
 * libvirt's parse-time handling of an interface's MAC address (virDomainNetDefParseXML), as
 * every driver shows it: a given address is parsed as virMacAddrParse does (six fields of one or
 * two hex digits separated by colons) and written back in lower case with two digits each; a
 * multicast address is refused; an interface without one gets a random 52:54:00:xx:xx:xx, the
 * prefix libvirt gives QEMU's guests.
 */
public final class NetDefaults {

    private NetDefaults() { }

    static void apply(Devices devices) throws LibvirtException {
        for (Interface i : devices.getInterfaces()) {
            Mac mac = i.getMac();
            if (mac == null || mac.getAddress() == null) {
                if (mac == null) {
                    mac = new Mac();
                    i.setMac(mac);
                }
                mac.setAddress(generate());
                continue;
            }
            byte[] b = parse(mac.getAddress());
            if (b == null) throw xml("unable to parse mac address '" + mac.getAddress() + "'");
            String canonical = format(b);
            if ((b[0] & 1) != 0) throw xml("expected unicast mac address, found multicast '" + canonical + "'");
            mac.setAddress(canonical);
        }
    }

    /** A new libvirt-style address for a QEMU guest: 52:54:00 and three random bytes. */
    public static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return format(new byte[] {0x52, 0x54, 0x00, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) r.nextInt(256)});
    }

    /** virMacAddrParse: the six bytes, or null when s is not an address. */
    public static byte[] parse(String s) {
        byte[] out = new byte[6];
        int at = 0;
        for (int i = 0; i < 6; i++) {
            int start = at;
            while (at < s.length() && at - start < 3 && Character.digit(s.charAt(at), 16) >= 0) at++;
            int digits = at - start;
            if (digits < 1 || digits > 2) return null;
            out[i] = (byte) Integer.parseInt(s.substring(start, at), 16);
            if (i == 5) return at == s.length() || s.charAt(at) <= ' ' ? out : null;
            if (at >= s.length() || s.charAt(at) != ':') return null;
            at++;
        }
        return null;
    }

    /** The address as libvirt writes it: lower case, two digits per byte. */
    public static String format(byte[] b) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) sb.append(':');
            sb.append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    private static LibvirtException xml(String message) {
        return new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN, message);
    }
}
