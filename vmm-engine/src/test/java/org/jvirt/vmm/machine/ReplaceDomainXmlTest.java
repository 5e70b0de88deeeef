package org.jvirt.vmm.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MachineStateFile.replaceDomainXml: a new file with the new XML, every other section as it was. */
class ReplaceDomainXmlTest {

    private static final int RAM = 64 << 10;

    @TempDir
    Path dir;

    private static byte[] ram() {
        byte[] b = new byte[RAM];
        for (int i = 0; i < 4096; i++) b[8192 + i] = (byte) (i * 7 + 1); // page 2 only; the rest zero
        b[RAM - 1] = 42;
        return b;
    }

    private Path image() throws Exception {
        Path p = dir.resolve("x.sav");
        try (StateWriter w = StateWriter.create(p)) {
            w.optionalSection(MachineStateFile.DOMAIN_XML, 1, out -> out.fixedBytes("<domain>old</domain>".getBytes(StandardCharsets.UTF_8)));
            w.optionalSection(MachineStateFile.RUN_STATE, 1, out -> out.u8(1));
            w.section("dev", 3, out -> out.u32(0xdeadbeef));
            w.rawSection(MachineStateFile.RAM, 1, RAM, sink -> sink.write(ByteBuffer.wrap(ram())));
            w.commit();
        }
        return p;
    }

    private static byte[] ramOf(Path p) throws Exception {
        try (StateReader r = StateReader.open(p)) {
            ByteBuffer b = ByteBuffer.allocate(RAM);
            r.readRaw(MachineStateFile.RAM, 0, b);
            return b.array();
        }
    }

    @Test
    void theXmlAndRunStateChangeTheRestIsCopiedAndTheOldFileIsLeftAlone() throws Exception {
        Path p = image();
        Path old = dir.resolve("old.sav");
        Files.createLink(old, p);
        byte[] before = Files.readAllBytes(old);

        MachineStateFile.replaceDomainXml(p, "<domain>new</domain>", false);

        assertEquals(new MachineStateFile.SavedDomain("<domain>new</domain>", false), MachineStateFile.savedDomain(p));
        assertArrayEquals(ram(), ramOf(p));
        try (StateReader r = StateReader.open(p)) {
            assertEquals(0xdeadbeefL, r.section("dev").requireVersion(3).u32() & 0xffffffffL);
            assertTrue(r.sections().stream().filter(s -> s.id().equals("dev")).findFirst().orElseThrow().required());
            assertFalse(r.sections().stream().filter(s -> s.id().equals(MachineStateFile.DOMAIN_XML)).findFirst().orElseThrow().required());
        }
        assertNotEquals(Files.getAttribute(old, "unix:ino"), Files.getAttribute(p, "unix:ino"), "a new file, renamed into place");
        assertArrayEquals(before, Files.readAllBytes(old), "the old file is never written");
        assertEquals(new MachineStateFile.SavedDomain("<domain>old</domain>", true), MachineStateFile.savedDomain(old));

        MachineStateFile.replaceDomainXml(p, "<domain>again</domain>");
        assertEquals(new MachineStateFile.SavedDomain("<domain>again</domain>", false), MachineStateFile.savedDomain(p),
                "without a run state the image's stays");
    }

    @Test
    void aCorruptedImageIsRefusedAndNotReplaced() throws Exception {
        Path p = image();
        byte[] b = Files.readAllBytes(p);
        b[40] ^= 1;
        Files.write(p, b);
        assertThrows(StateFormatException.class, () -> MachineStateFile.replaceDomainXml(p, "<domain>new</domain>"));
        assertArrayEquals(b, Files.readAllBytes(p));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
