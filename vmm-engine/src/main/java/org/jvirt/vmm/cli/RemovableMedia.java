package org.jvirt.vmm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.devices.ide.AtapiCdrom;
import org.jvirt.vmm.machine.PcBoard;

/**
 * The control socket's eject and blockdev-change-medium on the board's ATAPI CD-ROMs, named as
 * libvirt names IDE drives ("ide0-BUS-UNIT") and SATA drives ("sata0-0-PORT", the AHCI port as
 * the unit of bus 0), refused in QEMU's words (a tray the guest locked:
 * QEMU's blockdev-remove-medium error, where libvirt's change fails).
 */
final class RemovableMedia {

    private RemovableMedia() { }

    static void eject(PcBoard board, String device, boolean force) throws IOException {
        if (drive(board, device).ejectMedium(force) == AtapiCdrom.EjectResult.LOCKED) throw locked(device);
    }

    static void change(PcBoard board, String device, Path file, String format, boolean force) throws IOException {
        AtapiCdrom cd = drive(board, device);
        ImageFormat f = switch (format == null ? "raw" : format.toLowerCase(Locale.ROOT)) {
            case "raw" -> ImageFormat.RAW;
            case "qcow2" -> ImageFormat.QCOW2;
            default -> throw new IllegalArgumentException("Unknown driver '" + format + "'");
        };
        if (!Files.exists(file)) throw new IOException("Could not open '" + file + "': No such file or directory");
        BlockBackend medium = DiskImages.open(file, f, true); // before the old medium goes: a bad file changes nothing
        try {
            if (cd.ejectMedium(force) == AtapiCdrom.EjectResult.LOCKED) throw locked(device);
            cd.insertMedium(medium);
        } catch (IOException | RuntimeException e) {
            medium.close();
            throw e;
        }
    }

    /** The drive at IDE position 0..3 as libvirt names it: ide0-BUS-UNIT. */
    static String name(int position) {
        return "ide0-" + position / 2 + "-" + position % 2;
    }

    /** The drive on AHCI port 0..5 as libvirt names it: sata0-0-PORT. */
    static String sataName(int port) {
        return "sata0-0-" + port;
    }

    private static AtapiCdrom drive(PcBoard board, String device) {
        AtapiCdrom cd = null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ide0-([01])-([01])").matcher(device == null ? "" : device);
        if (m.matches()) cd = board.cdrom(Integer.parseInt(m.group(1)) * 2 + Integer.parseInt(m.group(2)));
        java.util.regex.Matcher sata = java.util.regex.Pattern.compile("sata0-0-([0-5])").matcher(device == null ? "" : device);
        if (sata.matches()) cd = board.sataCdrom(Integer.parseInt(sata.group(1)));
        if (cd == null) throw new IllegalArgumentException("Device '" + device + "' not found");
        return cd;
    }

    private static IOException locked(String device) {
        // what libvirt's media change (open the tray, remove the medium) meets when the guest holds the tray shut
        return new IOException("Tray of device '" + device + "' is not open");
    }
}
