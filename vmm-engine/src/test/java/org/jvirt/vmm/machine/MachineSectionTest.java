package org.jvirt.vmm.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.vmm.state.StateWriter;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The "machine" section: what a restore from the state file alone builds, and a file without it refused. */
class MachineSectionTest {

    @TempDir
    Path dir;

    @Test
    void theSavedMachineComesBackWithTheRestoringProcessesSerialAndBackend() throws Exception {
        MachineConfig saved = new MachineConfig(96L << 20, 2, dir.resolve("k.elf"), dir.resolve("i.img"), "console=ttyS0 quiet",
                List.of(new MachineConfig.Disk(dir.resolve("a.qcow2"), false, ImageFormat.QCOW2), new MachineConfig.Disk(dir.resolve("b.raw"), true)),
                new MachineConfig.Serial.ToFile(dir.resolve("old.log")), MachineConfig.Accel.KVM);
        Path file = dir.resolve("m.sav");
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.VERSION, out -> MachineSection.write(out, saved));
            w.commit();
        }
        MachineConfig.Serial serial = new MachineConfig.Serial.ToFile(dir.resolve("new.log"));
        MachineConfig back = MachineStateFile.savedMachine(file, serial, MachineConfig.Accel.EMU);
        assertEquals(saved.withSerial(serial).withAccel(MachineConfig.Accel.EMU), back);

        MachineConfig noInitrd = MachineConfig.of(Path.of("relative.elf")).withMemory(8L << 20);
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.VERSION, out -> MachineSection.write(out, noInitrd));
            w.commit();
        }
        MachineConfig again = MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM);
        assertNull(again.initrd());
        assertEquals(Path.of("relative.elf").toAbsolutePath(), again.kernel(), "paths are kept absolute: the restoring process may run elsewhere");
    }

    @Test
    void theBoardIsRecordedAndAVersion1SectionIsAPc() throws Exception {
        MachineConfig q35 = MachineConfig.of(dir.resolve("k.elf")).withChipset(MachineConfig.Chipset.Q35);
        Path file = dir.resolve("q35.sav");
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.VERSION, out -> MachineSection.write(out, q35));
            w.commit();
        }
        assertEquals(MachineConfig.Chipset.Q35, MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).chipset());
        // what jvirt wrote before the board was recorded: version 1, the same fields without the board byte
        MachineConfig pc = MachineConfig.of(dir.resolve("k.elf"));
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, 1, out -> out.u64(pc.memoryBytes()).u32(1).string(pc.kernel().toString()).string("").string("").u32(0));
            w.commit();
        }
        assertEquals(MachineConfig.Chipset.PC, MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).chipset());
    }

    @Test
    void theNicsAreRecordedAndAVersion2SectionHasNone() throws Exception {
        MachineConfig withNics = MachineConfig.of(dir.resolve("k.elf")).withNics(List.of(new MachineConfig.Nic("jt0", "br0", "52:54:00:12:34:56", true),
                new MachineConfig.Nic(null, null, "52:54:00:aa:bb:cc", false), MachineConfig.Nic.stream(dir.resolve("vm-net2.socket"), "52:54:00:aa:bb:cd", null)));
        Path file = dir.resolve("nics.sav");
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.VERSION, out -> MachineSection.write(out, withNics));
            w.commit();
        }
        assertEquals(withNics.nics(), MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).nics());
        MachineConfig pc = MachineConfig.of(dir.resolve("k.elf"));
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, 2, out -> out.u64(pc.memoryBytes()).u32(1).string(pc.kernel().toString()).string("").string("").u32(0).u8(0));
            w.commit();
        }
        assertEquals(List.of(), MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).nics());
    }

    @Test
    void aVersion3SectionsNicsAreTaps() throws Exception {
        MachineConfig pc = MachineConfig.of(dir.resolve("k.elf"));
        Path file = dir.resolve("v3.sav");
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, 3, out -> out.u64(pc.memoryBytes()).u32(1).string(pc.kernel().toString()).string("").string("").u32(0).u8(0)
                    .string("").u32(1).string("jt0").string("").string("52:54:00:12:34:56").bool(true));
            w.commit();
        }
        assertEquals(List.of(new MachineConfig.Nic("jt0", null, "52:54:00:12:34:56", true)),
                MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).nics());
    }

    @Test
    void theDisplayIsRecordedAnOlderSectionHasNoneAndAnUnknownOneIsRefused() throws Exception {
        Path file = dir.resolve("vga.sav");
        for (MachineConfig.Video video : List.of(MachineConfig.Video.VGA, MachineConfig.Video.BOCHS)) {
            MachineConfig withVideo = MachineConfig.of(dir.resolve("k.elf")).withVideo(video);
            try (StateWriter w = StateWriter.create(file)) {
                w.optionalSection(MachineSection.ID, MachineSection.VERSION, out -> MachineSection.write(out, withVideo));
                w.commit();
            }
            assertEquals(video, MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).video());
        }
        MachineConfig pc = MachineConfig.of(dir.resolve("k.elf"));
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.DISPLAY_SINCE - 1, out -> out.u64(pc.memoryBytes()).u32(1).string(pc.kernel().toString()).string("").string("").u32(0)
                    .u8(0).string("").u32(0));
            w.commit();
        }
        assertEquals(MachineConfig.Video.NONE, MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM).video());
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.DISPLAY_SINCE, out -> out.u64(pc.memoryBytes()).u32(1).string(pc.kernel().toString()).string("").string("").u32(0)
                    .u8(0).string("").u32(0).u8(9));
            w.commit();
        }
        Exception e = assertThrows(Exception.class, () -> MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM));
        assertTrue(e.getMessage().contains("unknown display adapter 9"), e.getMessage());
    }

    @Test
    void theUsbControllerAndInputDevicesAreRecordedAndAnOlderSectionHasNone() throws Exception {
        Path file = dir.resolve("inputs.sav");
        MachineConfig withInputs = MachineConfig.of(dir.resolve("k.elf")).withUsbController(new MachineConfig.UsbController(null, 7))
                .withInputs(List.of(new MachineConfig.InputDevice(MachineConfig.InputKind.TABLET, MachineConfig.InputBus.USB, null),
                        new MachineConfig.InputDevice(MachineConfig.InputKind.KEYBOARD, MachineConfig.InputBus.VIRTIO, null)));
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.VERSION, out -> MachineSection.write(out, withInputs));
            w.commit();
        }
        MachineConfig back = MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM);
        assertEquals(new MachineConfig.UsbController(null, 7), back.usbController());
        assertEquals(withInputs.inputs(), back.inputs());
        MachineConfig pc = MachineConfig.of(dir.resolve("k.elf"));
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.INPUTS_SINCE - 1, out -> out.u64(pc.memoryBytes()).u32(1).string(pc.kernel().toString()).string("").string("").u32(0)
                    .u8(0).string("").u32(0).u8(1));
            w.commit();
        }
        MachineConfig older = MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM);
        assertNull(older.usbController());
        assertEquals(List.of(), older.inputs());
        assertEquals(MachineConfig.Video.VGA, older.video());
        // a version 6 section has no port count: QEMU's default 4
        try (StateWriter w = StateWriter.create(file)) {
            w.optionalSection(MachineSection.ID, MachineSection.USB_PORTS_SINCE - 1, out -> out.u64(pc.memoryBytes()).u32(1).string(pc.kernel().toString()).string("").string("").u32(0)
                    .u8(0).string("").u32(0).u8(1).bool(true).u32(1).u8(2).u8(0));
            w.commit();
        }
        MachineConfig v6 = MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM);
        assertEquals(new MachineConfig.UsbController(null, 4), v6.usbController());
    }

    @Test
    void aFileWithoutTheSectionIsRefusedInOneLine() throws Exception {
        Path file = dir.resolve("old.sav");
        try (StateWriter w = StateWriter.create(file)) {
            w.section("platform", 1, out -> out.u32(0));
            w.commit();
        }
        StateFormatException e = assertThrows(StateFormatException.class,
                () -> MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.KVM));
        assertEquals("state file " + file + " does not describe its machine (section 'machine'); give the machine's options (--kernel, --bios or --pflash ...) to restore it",
                e.getMessage());
    }
}
