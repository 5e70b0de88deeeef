package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.Vsh;

/**
 * virsh's edit: the inactive XML goes to a temporary file, the user's editor ($VISUAL, then
 * $EDITOR, then vi) edits it, and a changed file is defined again. When the definition fails
 * on a terminal, the user may edit again, as in virsh; elsewhere the command fails.
 */
final class EditCommand {

    private EditCommand() { }

    static CmdDef def() {
        return new CmdDef("edit", DomainCommands.GROUP, "edit XML configuration for a domain",
                "Edit the XML configuration for a domain.",
                List.of(domain(), org.jvirt.virsh.shell.OptDef.bool("skip-validate", "skip validation of the XML document against the schema")),
                EditCommand::edit);
    }

    private static boolean edit(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain dom = vsh.domain(cmd, "domain");
        String original = dom.getXMLDesc(Flags.DomainXml.INACTIVE | Flags.DomainXml.SECURE);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(Path.of(vsh.env().getOrDefault("TMPDIR", "/tmp")), "jvirsh", ".xml");
            Files.writeString(tmp, original, StandardCharsets.UTF_8);
            while (true) {
                if (!runEditor(vsh, tmp)) return false;
                String edited = Files.readString(tmp, StandardCharsets.UTF_8);
                if (edited.equals(original)) {
                    vsh.printExtra("Domain '" + dom.getName() + "' XML configuration not changed.\n");
                    return true;
                }
                char answer = 'f';
                while (answer == 'f' || answer == 'i') {
                    try {
                        Domain defined = vsh.conn().domainDefineXML(edited);
                        vsh.printExtra("Domain '" + defined.getName() + "' XML configuration edited.\n");
                        return true;
                    } catch (LibvirtException e) {
                        vsh.error(e.getMessage());
                    }
                    answer = askReedit(vsh);
                }
                if (answer != 'y') return false;
            }
        } catch (IOException e) {
            vsh.error("unable to edit the domain XML: " + e.getMessage());
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

    /** virsh runs the editor through the shell, so EDITOR may carry arguments. */
    static boolean runEditor(Vsh vsh, Path file) throws IOException {
        String editor = vsh.env().get("VISUAL");
        if (editor == null || editor.isEmpty()) editor = vsh.env().get("EDITOR");
        if (editor == null || editor.isEmpty()) editor = "vi";
        String command = editor + " '" + file.toString().replace("'", "'\\''") + "'";
        vsh.flush();
        Process p = new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start();
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            vsh.error("editor interrupted");
            return false;
        }
        if (rc != 0) {
            vsh.error("Child process (/bin/sh -c " + command + ") unexpected exit status " + rc);
            return false;
        }
        return true;
    }

    /**
     * virsh's vshAskReedit: y edits again, n gives up, f and i define the same text again
     * (jvirt validates no schema, so both mean "try again"). Without a terminal: n.
     */
    private static char askReedit(Vsh vsh) {
        java.io.Console console = System.console();
        if (console == null) return 'n';
        while (true) {
            vsh.print("Failed. Try again? [y,n,i,f,?]: ");
            vsh.flush();
            String line = console.readLine();
            if (line == null) return 'n';
            char c = line.isEmpty() ? '?' : Character.toLowerCase(line.charAt(0));
            if (c == 'y' || c == 'n' || c == 'i' || c == 'f') return c;
            vsh.print("y - yes, start editor again\n"
                    + "n - no, throw away my changes\n"
                    + "i - turn off validation and try to redefine again\n"
                    + "f - force, try to redefine again\n"
                    + "? - print this help\n");
        }
    }
}
