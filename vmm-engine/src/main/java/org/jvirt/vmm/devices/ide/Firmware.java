package org.jvirt.vmm.devices.ide;

/** What the IDE devices say about themselves in IDENTIFY and INQUIRY. */
final class Firmware {
    private Firmware() { }

    static final String REVISION = "1.0";
    static final String VENDOR = "JVIRT";
    static final String HARDDISK_MODEL = "JVIRT HARDDISK";
    static final String CDROM_MODEL = "JVIRT DVD-ROM";
}
