package org.jvirt.vmm.state;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State written in memory is byte for byte the state file's format, read back with the same checks. */
class MemoryChannelTest {
    @TempDir Path tmp;

    private static void write(StateWriter w) throws Exception {
        w.section("uart0", 2, out -> out.u8(0x83).u16(0xbeef).u32(-2));
        w.section("big", 1, out -> out.fixedBytes(new byte[200_000])); // past the first growth
        w.commit();
    }

    @Test
    void inMemoryStateEqualsTheFileAndReadsBack() throws Exception {
        MemoryChannel ch = new MemoryChannel();
        try (StateWriter w = StateWriter.inMemory(ch)) {
            write(w);
        }
        Path file = tmp.resolve("s.state");
        try (StateWriter w = StateWriter.create(file)) {
            write(w);
        }
        byte[] bytes = ch.toByteArray();
        assertArrayEquals(Files.readAllBytes(file), bytes);
        try (StateReader r = StateReader.inMemory(bytes, "migration state", id -> true)) {
            SectionInput in = r.section("uart0");
            assertEquals(0x83, in.u8());
            assertEquals(0xbeef, in.u16());
            assertEquals(-2, in.u32());
            assertEquals(200_000, r.section("big").remaining());
        }
    }

    @Test
    void corruptedInMemoryStateIsRefusedByName() throws Exception {
        MemoryChannel ch = new MemoryChannel();
        try (StateWriter w = StateWriter.inMemory(ch)) {
            write(w);
        }
        byte[] bytes = ch.toByteArray();
        bytes[bytes.length / 2] ^= 1;
        StateFormatException e = assertThrows(StateFormatException.class, () -> StateReader.inMemory(bytes, "migration state", id -> true));
        assertTrue(e.getMessage().contains("migration state"), e.getMessage());
    }
}
