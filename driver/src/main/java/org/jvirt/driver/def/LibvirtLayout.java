package org.jvirt.driver.def;

/** Small layout details where libvirt's formatter differs from a generic XML writer. */
final class LibvirtLayout {

    private LibvirtLayout() { }

    /** libvirt always writes {@code <devices>} with a closing tag, even when it has no device. */
    static String fixEmptyDevices(String xml) {
        return xml.replace("\n  <devices/>\n", "\n  <devices>\n  </devices>\n");
    }
}
