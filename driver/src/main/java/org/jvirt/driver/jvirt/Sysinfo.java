package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * virConnectGetSysinfo: the host's SMBIOS data in libvirt's sysinfo format. libvirt runs
 * dmidecode; the kernel exports the same BIOS and system strings in /sys/class/dmi/id (the
 * serial and uuid are readable by root only, and omitted otherwise, as dmidecode cannot read them either).
 */
final class Sysinfo {

    private Sysinfo() { }

    private static final String[][] BIOS = {{"vendor", "bios_vendor"}, {"version", "bios_version"},
        {"date", "bios_date"}, {"release", "bios_release"}};
    private static final String[][] SYSTEM = {{"manufacturer", "sys_vendor"}, {"product", "product_name"},
        {"version", "product_version"}, {"serial", "product_serial"}, {"uuid", "product_uuid"},
        {"sku", "product_sku"}, {"family", "product_family"}};
    private static final String[][] BASEBOARD = {{"manufacturer", "board_vendor"}, {"product", "board_name"},
        {"version", "board_version"}, {"serial", "board_serial"}, {"asset", "board_asset_tag"}};
    private static final String[][] CHASSIS = {{"manufacturer", "chassis_vendor"}, {"version", "chassis_version"},
        {"serial", "chassis_serial"}, {"asset", "chassis_asset_tag"}};

    /** The sysinfo XML; without any SMBIOS string, qemu driver's "Host SMBIOS information is not available". */
    static String read(Path dmi) throws org.jvirt.driver.api.LibvirtException {
        StringBuilder b = new StringBuilder("<sysinfo type='smbios'>\n");
        int empty = b.length();
        section(b, "bios", BIOS, dmi, "  ");
        section(b, "system", SYSTEM, dmi, "  ");
        section(b, "baseBoard", BASEBOARD, dmi, "  ");
        section(b, "chassis", CHASSIS, dmi, "  ");
        if (b.length() == empty) {
            throw new org.jvirt.driver.api.LibvirtException(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
                    org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_QEMU, "Host SMBIOS information is not available");
        }
        return b.append("</sysinfo>\n").toString();
    }

    private static void section(StringBuilder b, String name, String[][] entries, Path dmi, String indent) {
        StringBuilder s = new StringBuilder();
        for (String[] e : entries) {
            String v = value(dmi.resolve(e[1]));
            if (v != null) {
                s.append(indent).append("  <entry name='").append(e[0]).append("'>").append(escape(v)).append("</entry>\n");
            }
        }
        if (s.length() > 0) b.append(indent).append('<').append(name).append(">\n").append(s).append(indent).append("</").append(name).append(">\n");
    }

    private static String value(Path f) {
        try {
            String v = Files.readString(f).trim();
            return v.isEmpty() ? null : v;
        } catch (IOException e) {
            return null;
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }
}
