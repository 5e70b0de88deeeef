package org.jvirt.vmm.devices.ide;

/** What the IDE devices say about themselves in IDENTIFY and INQUIRY. */
final class Firmware {
    private Firmware() { }

    /** QEMU's default drive version (qemu_hw_version() of its current machine types), which guests print. */
    static final String REVISION = "2.5+";
    static final String VENDOR = "JVIRT";
    static final String HARDDISK_MODEL = "JVIRT HARDDISK";
    static final String CDROM_MODEL = "JVIRT DVD-ROM";
}
