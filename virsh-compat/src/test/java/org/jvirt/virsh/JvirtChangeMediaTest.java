package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * change-media on a jvirt URI, on a shut-off domain (its persistent definition): the outputs
 * are those the real virsh 9.0 gives against libvirtd's qemu driver for the same steps (seen
 * there: "Successfully inserted media." with only the newline virsh puts after every command,
 * domblklist's "-" for an empty drive). The live side is JvirtCdromMediaTest (driver).
 */
class JvirtChangeMediaTest {

    @TempDir
    Path dir;

    private String[] run(String commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "jvirt:///embed?root=" + dir.resolve("root"), commands},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), dir);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void mediaChangeInThePersistentDefinition() throws Exception {
        Path iso = Files.write(dir.resolve("boot.iso"), new byte[2048]);
        Files.writeString(dir.resolve("cd.xml"), "<domain type='qemu'>\n  <name>cd</name>\n  <memory unit='MiB'>128</memory>\n"
                + "  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='cdrom'/></os>\n  <devices>\n"
                + "    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>\n"
                + "  </devices>\n</domain>\n");
        String[] r = run("define cd.xml; change-media cd hdc " + iso + " --insert --config; domblklist cd; change-media cd hdc --eject;"
                + " domblklist cd; change-media cd hdc --eject");
        String rule = "-".repeat(iso.toString().length() + 12); // as wide as virsh's table: 34 for a 22-character path there
        assertEquals("Domain 'cd' defined from cd.xml\n\nSuccessfully inserted media.\n Target   Source\n" + rule + "\n"
                + " hdc      " + iso + "\n\nSuccessfully ejected media.\n Target   Source\n------------------\n hdc      -\n\n\n", r[1]);
        assertEquals("error: The disk device 'hdc' doesn't have media\n", r[2]);
        assertEquals("1", r[0]);
    }
}
