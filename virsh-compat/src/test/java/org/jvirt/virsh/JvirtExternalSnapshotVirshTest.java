package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirsh's external snapshot commands on a shut-off jvirt domain with a raw disk: --diskspec and
 * --disk-only make the overlay, snapshot-list/-info see an external snapshot, --memspec is refused
 * in libvirt's words, undefine refuses, snapshot-delete merges the overlay back.
 */
class JvirtExternalSnapshotVirshTest {

    @TempDir
    Path cwd;

    private String[] run(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = org.jvirt.virsh.Main.run(new String[] {"-c", "jvirt:///embed?root=" + cwd.resolve("root"), line},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), cwd);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void diskOnlySnapshotListInfoMergeAndRefusals() throws Exception {
        Path disk = cwd.resolve("web.img");
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        Files.write(disk, data);
        Files.writeString(cwd.resolve("d.xml"), "<domain type='kvm'><name>web</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><disk type='file' device='disk'>"
                + "<driver name='qemu' type='raw'/><source file='" + disk + "'/><target dev='vda' bus='virtio'/></disk>"
                + "</devices></domain>\n");
        assertEquals("0", run("define d.xml")[0]);

        String[] r = run("snapshot-create-as web m --memspec " + cwd.resolve("mem"));
        assertEquals("error: XML error: memory state cannot be saved with offline or disk-only snapshot\n", r[2]);
        r = run("snapshot-create-as web s1 --diskspec vda,snapshot=external");
        assertEquals("error: unsupported configuration: disk 'vda' must use snapshot mode 'internal'\n", r[2]);

        Path overlay = cwd.resolve("o.qcow2");
        r = run("snapshot-create-as web s1 --disk-only --atomic --diskspec vda,snapshot=external,file=" + overlay + ",driver=qcow2");
        assertEquals("Domain snapshot s1 created\n", r[1], r[2]);
        assertTrue(Files.exists(overlay));
        assertTrue(run("domblklist web")[1].contains(overlay.toString()), run("domblklist web")[1]);
        assertEquals("s1\n\n", run("snapshot-list web --external --name")[1]);
        assertEquals("\n", run("snapshot-list web --internal --name")[1]);
        String info = run("snapshot-info web s1")[1];
        assertTrue(info.contains("State:          shutoff\nLocation:       external\n"), info);
        r = run("snapshot-create-as web s2 --disk-only --diskspec vda,file=" + overlay);
        assertEquals("error: unsupported configuration: external snapshot file for disk vda already exists and is not a block device: "
                + overlay + "\n", r[2]);
        r = run("undefine web");
        assertEquals("error: Failed to undefine domain 'web'\n"
                + "error: Requested operation is not valid: cannot delete inactive domain with 1 snapshots\n", r[2]);

        r = run("snapshot-delete web s1");
        assertEquals("Domain snapshot s1 deleted\n\n", r[1], r[2]);
        assertFalse(Files.exists(overlay));
        assertTrue(run("domblklist web")[1].contains(disk.toString()));
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(disk)), "nothing written: the base is as it was");
    }
}
