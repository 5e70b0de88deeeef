package org.jvirt.vmm.block;

import java.util.Locale;

/** Disk image formats jvirt-vmm opens (the names libvirt's &lt;driver type='...'/&gt; and qemu-img use). */
public enum ImageFormat {
    RAW, QCOW2;

    /** "raw" or "qcow2" (any case); anything else is an IllegalArgumentException naming it. */
    public static ImageFormat parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "raw" -> RAW;
            case "qcow2" -> QCOW2;
            default -> throw new IllegalArgumentException("unsupported disk format '" + name + "' (raw or qcow2)");
        };
    }
}
