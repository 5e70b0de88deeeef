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
}
