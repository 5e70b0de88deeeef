package org.jvirt.virsh.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Vsh;

/**
 * virsh-edit.c for networks and pools (net-edit, pool-edit): the XML goes to a temporary file,
 * the editor runs (as for the domain's edit), and a changed file is defined again.
 */
final class ObjectEdit {

    private ObjectEdit() { }

    /** Defines edited XML and gives the name of what it defined. */
    interface Definer {
        String define(String xml) throws LibvirtException;
    }

    /** kind is virsh's word in the messages ("Network", "Pool"). */
    static boolean edit(Vsh vsh, String kind, String name, String original, Definer definer) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(Path.of(vsh.env().getOrDefault("TMPDIR", "/tmp")), "jvirsh", ".xml");
            Files.writeString(tmp, original, StandardCharsets.UTF_8);
            while (true) {
                if (!EditCommand.runEditor(vsh, tmp)) return false;
                String edited = Files.readString(tmp, StandardCharsets.UTF_8);
                if (edited.equals(original)) {
                    vsh.printExtra(kind + " " + name + " XML configuration not changed.\n");
                    return true;
                }
                char answer = 'f';
                while (answer == 'f' || answer == 'i') {
                    try {
                        vsh.printExtra(kind + " " + definer.define(edited) + " XML configuration edited.\n");
                        return true;
                    } catch (LibvirtException e) {
                        vsh.error(e.getMessage());
                    }
                    answer = EditCommand.askReedit(vsh);
                }
                if (answer != 'y') return false;
            }
        } catch (IOException e) {
            vsh.error("unable to edit the " + kind.toLowerCase(java.util.Locale.ROOT) + " XML: " + e.getMessage());
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a temporary file left in TMPDIR is harmless
                }
            }
        }
    }
}
