package org.jvirt.vmm.devices.fwcfg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The boot order QEMU gives the firmware (softmmu/bootdevice.c get_boot_devices_list, pc's
 * set_boot_dev): the fw_cfg file "bootorder", the Open Firmware paths of the devices that have
 * a bootindex, lowest first, one a line, with "HALT" last when the boot is strict (then only
 * these devices boot), NUL-terminated; and the legacy order in CMOS 0x3D/0x38 that SeaBIOS
 * falls back to (nibbles a=1 floppy, c=2 hard disk, d=3 CD-ROM, n=4 network).
 */
public final class BootOrder {

    /** A device the firmware may boot: its path as SeaBIOS builds it, and its bootindex. */
    public record Entry(String path, int bootIndex) { }

    /** QEMU's default -boot order for a pc. */
    public static final String DEFAULT_ORDER = "cad";
    public static final int CMOS_BOOT_DEVICES = 0x3D, CMOS_BOOT_THIRD_AND_FLOPPY_CHECK = 0x38;

    private BootOrder() { }

    /** The "bootorder" file's bytes, or null when no device has a bootindex (QEMU then adds no file). */
    public static byte[] file(List<Entry> entries, boolean strict) {
        if (entries.isEmpty()) return null;
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(Entry::bootIndex));
        StringBuilder b = new StringBuilder();
        for (Entry e : sorted) {
            if (b.length() > 0) b.append('\n');
            b.append(e.path());
        }
        if (strict) b.append("\nHALT");
        b.append('\0');
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** SeaBIOS's path of a PCI device's function on the pc's host bridge: "/pci@i0cf8/NAME@SLOT[,FN]". */
    public static String pciPath(String name, int slot, int function) {
        return "/pci@i0cf8/" + name + "@" + Integer.toHexString(slot) + (function == 0 ? "" : "," + Integer.toHexString(function));
    }

    /** A virtio-blk disk (QEMU names the function after its class, SCSI storage). */
    public static String virtioBlock(int slot) {
        return pciPath("scsi", slot, 0) + "/disk@0,0";
    }

    /** A drive of a PCI IDE function: channel 0/1, unit 0 (master) or 1 (slave). */
    public static String ideDrive(int slot, int function, int channel, int unit) {
        return pciPath("ide", slot, function) + "/drive@" + channel + "/disk@" + unit;
    }

    /**
     * A drive on an AHCI port: QEMU names the function by its ids (pci8086,2922) and gives each
     * port its own IDE bus ("drive@PORT") with the drive as unit 0, as SeaBIOS's debug log of a
     * QEMU pc with -device ahci and a bootindex shows.
     */
    public static String ahciDrive(int slot, int function, int port) {
        return pciPath("pci8086,2922", slot, function) + "/drive@" + Integer.toHexString(port) + "/disk@0";
    }

    /** CMOS bytes {0x3D, 0x38} for an order such as "dc" (floppy signature check on, as QEMU's default). */
    public static int[] cmos(String order) {
        String o = order == null ? DEFAULT_ORDER : order;
        int[] nibbles = new int[3];
        for (int i = 0; i < o.length() && i < 3; i++) {
            nibbles[i] = switch (o.charAt(i)) {
                case 'a' -> 1;
                case 'c' -> 2;
                case 'd' -> 3;
                case 'n' -> 4;
                default -> throw new IllegalArgumentException("boot device '" + o.charAt(i) + "' (a, c, d or n)");
            };
        }
        return new int[] {(nibbles[1] << 4) | nibbles[0], nibbles[2] << 4};
    }
}
