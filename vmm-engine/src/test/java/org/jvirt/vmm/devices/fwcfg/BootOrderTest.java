package org.jvirt.vmm.devices.fwcfg;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BootOrderTest {

    /** (CMOS 0x3D << 8) | 0x38 as QEMU's boot-order-test expects them for its pc cases (tests/qtest/boot-order-test.c). */
    @Test
    void cmosBytesAsQemusBootOrderTest() {
        assertEquals(0x1230, word(null));
        assertEquals(0x0200, word("c"));
        assertEquals(0x3410, word("nda"));
        assertEquals(0x2300, word("dc"));
    }

    private static int word(String order) {
        int[] b = BootOrder.cmos(order);
        return b[0] << 8 | b[1];
    }

    /** The form QEMU 8 passes SeaBIOS (its debug log's "boot order:" for ide-cd on ide.1 unit 0, virtio-blk-pci in slot 2). */
    @Test
    void fileIsThePathsByBootindexNulTerminated() {
        byte[] f = BootOrder.file(List.of(new BootOrder.Entry(BootOrder.virtioBlock(2), 7),
                new BootOrder.Entry(BootOrder.ideDrive(1, 1, 1, 0), 1), new BootOrder.Entry(BootOrder.ideDrive(0x1a, 0, 0, 1), 3)), false);
        assertEquals("/pci@i0cf8/ide@1,1/drive@1/disk@0\n/pci@i0cf8/ide@1a/drive@0/disk@1\n/pci@i0cf8/scsi@2/disk@0,0\0",
                new String(f, StandardCharsets.US_ASCII));
        assertEquals("/pci@i0cf8/scsi@2/disk@0,0\nHALT\0",
                new String(BootOrder.file(List.of(new BootOrder.Entry(BootOrder.virtioBlock(2), 0)), true), StandardCharsets.US_ASCII));
        assertNull(BootOrder.file(List.of(), false));
    }

    /**
     * QEMU 7.2's "boot order:" in SeaBIOS's debug log for {@code -device ahci} in slot 2 with an
     * ide-cd on ahci.2 (bootindex 1) and an ide-hd on ahci.0 (bootindex 2); on q35 (built-in at 00:1f.2) an
     * ide-cd on ide.5 is "/pci@i0cf8/pci8086,2922@1f,2/drive@5/disk@0".
     */
    @Test
    void ahciDrivesAreNamedByTheFunctionsIdsAndThePort() {
        byte[] f = BootOrder.file(List.of(new BootOrder.Entry(BootOrder.ahciDrive(2, 0, 0), 2),
                new BootOrder.Entry(BootOrder.ahciDrive(2, 0, 2), 1)), false);
        assertEquals("/pci@i0cf8/pci8086,2922@2/drive@2/disk@0\n/pci@i0cf8/pci8086,2922@2/drive@0/disk@0\0",
                new String(f, StandardCharsets.US_ASCII));
        assertEquals("/pci@i0cf8/pci8086,2922@1f,2/drive@5/disk@0", BootOrder.ahciDrive(0x1f, 2, 5));
    }
}
