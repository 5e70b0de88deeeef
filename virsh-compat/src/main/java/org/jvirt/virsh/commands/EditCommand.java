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
                List.of(domain(), org.jvirt.virsh.shell.OptDef.bool("skip-validate", "skip validation of the XML against the schema")),
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

    /** The characters vshEditFile lets through without a shell (ACCEPTED_CHARS). */
    private static final String PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@/";

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) if (PLAIN.indexOf(s.charAt(i)) < 0) return false;
        return true;
    }

    /**
     * vshEditFile: a plain editor name runs directly on the file; anything else (arguments,
     * shell syntax) runs through "sh -c", as in virsh; a failure is worded as virCommandRun's.
     */
    static boolean runEditor(Vsh vsh, Path file) throws IOException {
        String editor = vsh.env().get("VISUAL");
        if (editor == null || editor.isEmpty()) editor = vsh.env().get("EDITOR");
        if (editor == null || editor.isEmpty()) editor = "vi";
        List<String> argv = plain(editor) ? List.of(editor, file.toString())
                : List.of("sh", "-c", editor + " " + file);
        vsh.flush();
        Process p;
        try {
            p = new ProcessBuilder(argv).inheritIO().start();
        } catch (IOException e) {
            vsh.error("internal error: Cannot find '" + editor + "' in path: No such file or directory");
            return false;
        }
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
            StringBuilder shown = new StringBuilder();
            for (String a : argv) {
                if (shown.length() > 0) shown.append(' ');
                // virCommandToString quotes an argument with anything but plain characters
                shown.append(plain(a) ? a : "'" + a.replace("'", "'\\''") + "'");
            }
            vsh.error("internal error: Child process (" + shown + ") unexpected exit status " + rc);
            return false;
        }
        return true;
    }

    /**
     * virsh's vshAskReedit: y edits again, n gives up, f and i define the same text again
     * (jvirt validates no schema, so both mean "try again"). Without a terminal: n.
     */
    static char askReedit(Vsh vsh) {
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
