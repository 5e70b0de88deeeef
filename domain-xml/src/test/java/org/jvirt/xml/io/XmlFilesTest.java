package org.jvirt.xml.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.xml.DomainXml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Files read as virsh reads them, and bytes that are not UTF-8 refused as libxml2 refuses them. */
class XmlFilesTest {

    private static XmlFileReadException failure(Path p) {
        return assertThrows(XmlFileReadException.class, () -> XmlFiles.read(p, XmlLimits.LIBVIRT));
    }

    @Test
    void missingFileFailsToOpen(@TempDir Path dir) {
        XmlFileReadException e = failure(dir.resolve("nope.xml"));
        assertTrue(e.opening());
        assertEquals("No such file or directory", e.reason());
    }

    @Test
    void aDirectoryFailsToRead(@TempDir Path dir) {
        XmlFileReadException e = failure(dir);
        assertFalse(e.opening());
        assertEquals("Is a directory", e.reason());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void devZeroStopsAtTheLimit() {
        XmlFileReadException e = failure(Path.of("/dev/zero"));
        assertFalse(e.opening());
        assertEquals("Value too large for defined data type", e.reason());
    }

    @Test
    void aFileOverTenMibIsRefusedAndOneAtTheLimitIsRead(@TempDir Path dir) throws Exception {
        Path big = Files.write(dir.resolve("big.xml"), new byte[10 * 1024 * 1024 + 1]);
        assertEquals("Value too large for defined data type", failure(big).reason());
        Path max = Files.write(dir.resolve("max.xml"), new byte[10 * 1024 * 1024]);
        assertEquals(10 * 1024 * 1024, XmlFiles.read(max, XmlLimits.LIBVIRT).length());
    }

    @Test
    void invalidUtf8IsReportedWithLineBytesAndCaret(@TempDir Path dir) throws Exception {
        byte[] latin1 = "<domain type=\"test\">\n  <name>caf\u00e9</name>\n  <memory>65536</memory>\n</domain>\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        String text = XmlFiles.read(Files.write(dir.resolve("latin1.xml"), latin1), XmlLimits.LIBVIRT);
        XmlParseException e = assertThrows(XmlParseException.class, () -> DomainXml.parse(text));
        // what virsh 9.0 (libxml2) printed for the same bytes: golden transcript validation/define-bad-utf8
        String expected = "(domain_definition):2: Input is not proper UTF-8, indicate encoding !\n"
                + "Bytes: 0xE9 0x3C 0x2F 0x6E\n  <name>caf\uDCE9</name>\n-----------^";
        assertEquals(expected, e.getMessage());
        assertEquals(2, e.line());
        assertEquals(12, e.column());
        // the raw byte comes back when the message is written out (all ASCII before it)
        assertEquals((byte) 0xE9, SurrogateEscape.encode(e.getMessage())[expected.indexOf('\uDCE9')]);
    }

    @Test
    void validUtf8AndABomAreRead(@TempDir Path dir) throws Exception {
        byte[] body = "<domain type='test'><name>caf\u00e9 \uD83D\uDE00</name></domain>".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        String text = XmlFiles.read(Files.write(dir.resolve("u.xml"), withBom), XmlLimits.LIBVIRT);
        assertEquals("caf\u00e9 \uD83D\uDE00", DomainXml.parse(text).getName());
        assertArrayEquals(body, SurrogateEscape.encode(text));
    }
}
