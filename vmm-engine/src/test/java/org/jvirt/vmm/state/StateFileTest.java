package org.jvirt.vmm.state;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The state file format: round trip, the refusals (each with its message), and the writer's atomic commit. */
class StateFileTest {
    static final int RAM_SIZE = 3 * 4096 + 100;

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void setUp() { file = dir.resolve("m.state"); }

    /** A file with a device section, an optional one, and a sparse RAM section: [page 0 data][hole][page 2 data][tail]. */
    static byte[] ram() {
        byte[] b = new byte[RAM_SIZE];
        for (int i = 0; i < 4096; i++) b[i] = (byte) (i * 7 + 1);
        for (int i = 2 * 4096; i < RAM_SIZE; i++) b[i] = (byte) (i ^ 0x5a);
        return b;
    }

    static void writeSample(Path file) throws IOException {
        byte[] ram = ram();
        try (StateWriter w = StateWriter.create(file)) {
            w.section("uart0", 2, out -> out.u8(0x83).u16(0xbeef).u32(-2).u64(0x1122334455667788L).bool(true)
                    .string("héllo").bytes(new byte[]{1, 2, 3}));
            w.optionalSection("stats.x", 1, out -> out.u32(42));
            w.rawSection("ram", 1, ram.length, sink -> {
                sink.write(ByteBuffer.wrap(ram, 0, 4096));
                sink.skipZeros(4096);
                sink.write(ByteBuffer.wrap(ram, 8192, ram.length - 8192));
            });
            w.section("vcpu0", 1, out -> out.u64(7));
            w.commit();
        }
    }

    @Test
    void roundTripsTypedFieldsAndARawPageAlignedSection() throws IOException {
        writeSample(file);
        try (StateReader r = StateReader.open(file)) {
            assertEquals(List.of("uart0", "stats.x", "ram", "vcpu0"),
                    r.sections().stream().map(StateReader.SectionInfo::id).collect(Collectors.toList()));
            SectionInput in = r.section("uart0");
            assertEquals(2, in.version());
            assertEquals(0x83, in.u8());
            assertEquals(0xbeef, in.u16());
            assertEquals(-2, in.u32());
            assertEquals(0x1122334455667788L, in.u64());
            assertTrue(in.bool());
            assertEquals("héllo", in.string(100));
            assertArrayEquals(new byte[]{1, 2, 3}, in.bytes(3));
            in.expectEnd();
            assertEquals(42, r.section("stats.x").u32());

            StateReader.SectionInfo ram = r.raw("ram");
            assertEquals(0, ram.payloadOffset() % 4096, "RAM payload is page aligned so it can be mapped");
            assertTrue(ram.unchecked() && ram.required());
            ByteBuffer back = ByteBuffer.allocate(RAM_SIZE);
            r.readRaw("ram", 0, back);
            assertArrayEquals(ram(), back.array());
            assertEquals(7, r.section("vcpu0").u64());
        }
        assertEquals(List.of(file), listDir(), "no temporary file is left");
    }

    @Test
    void sectionInputRefusesReadsPastTheEndLeftoversAndNewerVersions() throws IOException {
        writeSample(file);
        try (StateReader r = StateReader.open(file)) {
            SectionInput in = r.section("vcpu0");
            in.u32();
            StateFormatException e = assertThrows(StateFormatException.class, in::u64);
            assertEquals("section 'vcpu0' (version 1): u64 needs 8 bytes at payload offset 4, but the payload has 8 bytes", e.getMessage());
            SectionInput again = r.section("vcpu0");
            again.u32();
            e = assertThrows(StateFormatException.class, again::expectEnd);
            assertEquals("section 'vcpu0' (version 1), payload offset 4: 4 unread bytes after the last field", e.getMessage());
            e = assertThrows(StateFormatException.class, () -> r.section("uart0").requireVersion(1));
            assertEquals("section 'uart0' has version 2, newer than this jvirt reads (up to 1)", e.getMessage());
            e = assertThrows(StateFormatException.class, () -> r.section("pit"));
            assertTrue(e.getMessage().endsWith("has no section 'pit'"), e.getMessage());
        }
    }

    private List<Path> listDir() throws IOException {
        try (var s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }

    private String refusal(byte[] bytes) throws IOException {
        return refusal(bytes, id -> true);
    }

    private String refusal(byte[] bytes, java.util.function.Predicate<String> understood) throws IOException {
        Path p = dir.resolve("bad.state");
        Files.write(p, bytes);
        StateFormatException e = assertThrows(StateFormatException.class, () -> StateReader.open(p, understood).close());
        String prefix = "state file " + p + ", offset ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    private byte[] sample() throws IOException {
        writeSample(file);
        return Files.readAllBytes(file);
    }

    private StateReader.SectionInfo info(String id) throws IOException {
        try (StateReader r = StateReader.open(file)) {
            return r.sections().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        }
    }

    private static ByteBuffer le(byte[] b) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN); }

    /** Recomputes a section header's CRC after a test changed a field (so only the intended check can fire). */
    private static void fixHeaderCrc(byte[] b, long headerOffset) {
        int at = (int) headerOffset;
        int size = 4 + 1 + (b[at + 4] & 0xff) + 4 + 4 + 8 + 8 + 4;
        le(b).putInt(at + size - 4, StateFormat.crc32c(b, at, size - 4));
    }

    @Test
    void refusesBadMagic() throws IOException {
        byte[] b = sample();
        b[3] = 'X';
        assertEquals("3: not a jvirt state file (bad magic)", refusal(b));
        assertEquals("0: not a jvirt state file (bad magic)", refusal("hello world, a text file\n".getBytes()));
    }

    @Test
    void refusesOtherFormatVersionsAndSaysWhenNewer() throws IOException {
        byte[] b = sample();
        le(b).putInt(8, 2);
        assertEquals("8: written by a newer jvirt: state format version 2, this jvirt reads version 1", refusal(b));
        le(b).putInt(8, 0);
        assertEquals("8: unsupported state format version 0 (this jvirt reads version 1)", refusal(b));
    }

    @Test
    void refusesACorruptedFileHeader() throws IOException {
        byte[] b = sample();
        b[13] ^= 1; // flags
        assertEquals("20: file header checksum mismatch (corrupted)", refusal(b));
    }

    @Test
    void refusesTruncatedFilesAtEveryKindOfPoint() throws IOException {
        byte[] b = sample();
        StateReader.SectionInfo uart = info("uart0"), ram = info("ram"), vcpu = info("vcpu0");
        assertEquals("0: truncated: the file header needs 24 bytes, the file has 10 left (file size 10)", refusal(Arrays.copyOf(b, 10)));
        assertEquals("24: truncated: a section or the end marker needs 4 bytes, the file has 0 left (file size 24)",
                refusal(Arrays.copyOf(b, 24)));
        assertEquals("24: truncated: a section header needs 38 bytes, the file has 6 left (file size 30)", refusal(Arrays.copyOf(b, 30)));
        assertEquals(62, uart.payloadOffset(), "the header of a section with a 5-letter id is 38 bytes");
        assertEquals("24: section 'uart0': payload of " + uart.length() + " bytes at offset 62 ends past the end of the file (72 bytes): truncated",
                refusal(Arrays.copyOf(b, (int) uart.payloadOffset() + 10)));
        int inRam = (int) (ram.payloadOffset() + ram.length() / 2);
        assertEquals(ram.headerOffset() + ": section 'ram': payload of 12388 bytes at offset 4096 ends past the end of the file ("
                + inRam + " bytes): truncated", refusal(Arrays.copyOf(b, inRam)));
        assertTrue(refusal(Arrays.copyOf(b, b.length - 1)).endsWith("truncated: the end marker needs 20 bytes, the file has 19 left (file size "
                + (b.length - 1) + ")"));
        // cut exactly between two sections: the missing end marker gives it away
        int afterVcpu = (int) (vcpu.payloadOffset() + vcpu.length() + 4);
        assertEquals(afterVcpu + ": truncated: a section or the end marker needs 4 bytes, the file has 0 left (file size " + afterVcpu + ")",
                refusal(Arrays.copyOf(b, afterVcpu)));
    }

    @Test
    void refusesBadChecksumsInSectionHeadersAndPayloads() throws IOException {
        byte[] b = sample();
        StateReader.SectionInfo uart = info("uart0"), vcpu = info("vcpu0");
        byte[] c = b.clone();
        c[(int) uart.payloadOffset() + 3] ^= 0x10;
        assertTrue(refusal(c).matches("62: section 'uart0': payload checksum mismatch \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\): corrupted"),
                refusal(c));
        c = b.clone();
        c[(int) vcpu.headerOffset() + 12] ^= 1; // the version field
        assertEquals(vcpu.headerOffset() + ": section header checksum mismatch (corrupted)", refusal(c));
        c = b.clone();
        c[c.length - 10] ^= 1; // the recorded file length
        assertEquals((c.length - 20) + ": end marker checksum mismatch (corrupted)", refusal(c));
    }

    @Test
    void refusesASectionLengthPastTheEnd() throws IOException {
        byte[] b = sample();
        StateReader.SectionInfo vcpu = info("vcpu0");
        int lengthField = (int) vcpu.headerOffset() + 4 + 1 + 5 + 4 + 4 + 8;
        le(b).putLong(lengthField, 1L << 40);
        fixHeaderCrc(b, vcpu.headerOffset());
        assertEquals(vcpu.headerOffset() + ": section 'vcpu0': payload of 1099511627776 bytes at offset " + vcpu.payloadOffset()
                + " ends past the end of the file (" + b.length + " bytes): truncated", refusal(b));
    }

    @Test
    void refusesUnknownRequiredSectionsAndSkipsUnknownOptionalOnes() throws IOException {
        byte[] b = sample();
        Set<String> known = Set.of("uart0", "ram", "vcpu0");
        Path p = dir.resolve("ok.state");
        Files.write(p, b);
        try (StateReader r = StateReader.open(p, known::contains)) {
            assertEquals(42, r.section("stats.x").u32(), "an optional section is kept, just not required");
        }
        assertEquals(info("vcpu0").headerOffset() + ": section 'vcpu0' is required, but this jvirt does not know it (written by a newer jvirt?)",
                refusal(b, id -> !id.equals("vcpu0")));
    }

    @Test
    void refusesADuplicateSection() throws IOException {
        try (StateWriter w = StateWriter.create(file)) {
            w.section("uart0", 1, out -> out.u32(1));
            w.commit();
        }
        byte[] one = Files.readAllBytes(file);
        int sectionEnd = one.length - StateFormat.END_SIZE;
        byte[] section = Arrays.copyOfRange(one, StateFormat.HEADER_SIZE, sectionEnd);
        ByteBuffer two = ByteBuffer.allocate(one.length + section.length).order(ByteOrder.LITTLE_ENDIAN);
        two.put(one, 0, sectionEnd).put(section);
        int end = two.position();
        two.putInt(StateFormat.END_MARKER).putInt(2).putLong(two.capacity());
        two.putInt(StateFormat.crc32c(two.array(), end, 16));
        assertEquals(sectionEnd + ": section 'uart0' appears twice (first at offset 24)", refusal(two.array()));
    }

    @Test
    void refusesGarbageAfterTheEndAndAWrongSectionCount() throws IOException {
        byte[] b = sample();
        byte[] longer = Arrays.copyOf(b, b.length + 3);
        assertEquals(b.length + ": 3 bytes after the end marker (file length recorded " + b.length + ", actual " + (b.length + 3) + ")",
                refusal(longer));
        int end = b.length - 20;
        le(b).putInt(end + 4, 3);
        le(b).putInt(end + 16, StateFormat.crc32c(b, end, 16));
        assertEquals(end + ": end marker counts 3 sections, the file has 4", refusal(b));
    }

    @Test
    void refusesNonZeroPaddingAndUnknownFlags() throws IOException {
        byte[] b = sample();
        StateReader.SectionInfo ram = info("ram");
        byte[] c = b.clone();
        c[(int) ram.payloadOffset() - 1] = 9;
        assertEquals((ram.payloadOffset() - 1) + ": section 'ram': non-zero byte in the alignment padding", refusal(c));
        StateReader.SectionInfo uart = info("uart0");
        int flags = (int) uart.headerOffset() + 4 + 1 + 5 + 4;
        le(b).putInt(flags, StateFormat.FLAG_REQUIRED | 0x100);
        fixHeaderCrc(b, uart.headerOffset());
        assertEquals("24: section 'uart0' has unknown flags 0x100 (written by a newer jvirt?)", refusal(b));
    }

    @Test
    void anUncommittedWriterLeavesTheOldFileAndNoTemporary() throws IOException {
        writeSample(file);
        byte[] before = Files.readAllBytes(file);
        try (StateWriter w = StateWriter.create(file)) {
            w.section("uart0", 1, out -> out.u32(5));
            assertEquals(2, listDir().size(), "the new state goes to a temporary file");
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void writerRefusesDuplicateAndInvalidIdsAndShortRawBodies() throws IOException {
        try (StateWriter w = StateWriter.create(file)) {
            w.section("a", 1, out -> { });
            assertThrows(IllegalArgumentException.class, () -> w.section("a", 1, out -> { }));
            assertThrows(IllegalArgumentException.class, () -> w.section("Upper", 1, out -> { }));
            assertThrows(IllegalArgumentException.class, () -> w.section("", 1, out -> { }));
            assertThrows(IllegalStateException.class, () -> w.rawSection("ram", 1, 10, sink -> sink.write(ByteBuffer.allocate(4))));
        }
    }
}
