package org.jvirt.vmm.devices.fwcfg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.jvirt.vmm.acpi.AcpiTables;

/**
 * jvirt's ACPI tables for the firmware to install, as QEMU hands its own to SeaBIOS and OVMF:
 * the files "etc/acpi/tables" and "etc/acpi/rsdp" and the linker/loader script
 * "etc/table-loader" (QEMU's hw/acpi/bios-linker-loader.c; SeaBIOS's src/fw/romfile_loader.c):
 * 128-byte little-endian commands that allocate each file (the tables in high memory, the RSDP
 * in the F segment where the OS scans for it), add the tables' address to every pointer, and fix
 * the checksums (their bytes zero in the files, as QEMU's). Without this SeaBIOS builds ACPI tables only for a PIIX4 PM function jvirt does
 * not have, and the Linux guest would run without ACPI (no IOAPIC, no power-off).
 */
public final class AcpiTableLoader {
    private AcpiTableLoader() { }

    public static final String TABLES = "etc/acpi/tables", RSDP = "etc/acpi/rsdp", LOADER = "etc/table-loader";
    static final int ALLOCATE = 1, ADD_POINTER = 2, ADD_CHECKSUM = 3;
    static final int ZONE_HIGH = 1, ZONE_FSEG = 2;
    static final int COMMAND_SIZE = 128;

    /** Adds the three files to items. */
    public static FwCfgItems addTo(FwCfgItems items, AcpiTables.Relocatable acpi) {
        int commands = 2 + acpi.pointers().size() + acpi.checksums().size();
        ByteBuffer script = ByteBuffer.allocate(commands * COMMAND_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        allocate(script, TABLES, 64, ZONE_HIGH); // the FACS at its start must be 64-byte aligned
        allocate(script, RSDP, 16, ZONE_FSEG);
        for (AcpiTables.Relocatable.Pointer p : acpi.pointers()) {
            int at = start(script, ADD_POINTER);
            name(script, at + 4, p.inRsdp() ? RSDP : TABLES);
            name(script, at + 60, TABLES);
            script.putInt(at + 116, p.offset()).put(at + 120, (byte) p.size());
        }
        for (AcpiTables.Relocatable.Checksum c : acpi.checksums()) {
            int at = start(script, ADD_CHECKSUM);
            name(script, at + 4, c.inRsdp() ? RSDP : TABLES);
            script.putInt(at + 60, c.offset()).putInt(at + 64, c.start()).putInt(at + 68, c.length());
        }
        // Checksum bytes go out as zero, as QEMU's: OVMF's loader stores the range's checksum
        // (computed with the byte in it), SeaBIOS's subtracts the range's sum; both are right only then
        byte[] tables = acpi.tables().clone(), rsdp = acpi.rsdp().clone();
        for (AcpiTables.Relocatable.Checksum c : acpi.checksums()) (c.inRsdp() ? rsdp : tables)[c.offset()] = 0;
        return items.addFile(TABLES, tables).addFile(RSDP, rsdp).addFile(LOADER, script.array());
    }

    private static void allocate(ByteBuffer script, String file, int align, int zone) {
        int at = start(script, ALLOCATE);
        name(script, at + 4, file);
        script.putInt(at + 60, align).put(at + 64, (byte) zone);
    }

    /** Starts the next command (its other bytes stay zero) and returns its offset. */
    private static int start(ByteBuffer script, int command) {
        int at = script.position();
        script.putInt(at, command);
        script.position(at + COMMAND_SIZE);
        return at;
    }

    private static void name(ByteBuffer script, int at, String file) {
        byte[] ascii = file.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < ascii.length; i++) script.put(at + i, ascii[i]);
    }
}
