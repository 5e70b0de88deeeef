package org.jvirt.virsh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A jvirt-vmm script that runs the VMM from the test JVM's class path (set as -Djvirt.vmm before a connection opens). */
public final class VmmLauncher {
    private VmmLauncher() { }

    public static Path script(Path dir) throws IOException {
        Path script = dir.resolve("jvirt-vmm");
        Files.writeString(script, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java") + " -cp '"
                + System.getProperty("java.class.path") + "' org.jvirt.vmm.cli.JvirtVmmMain \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
