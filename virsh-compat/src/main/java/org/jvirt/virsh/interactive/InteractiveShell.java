package org.jvirt.virsh.interactive;

import java.io.IOException;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.CommandLineParser;
import org.jvirt.virsh.shell.ParseException;
import org.jvirt.virsh.shell.Vsh;

/**
 * virsh's interactive mode: connect first, greet (unless -q), then read and run command lines
 * until quit, exit or the end of input. The exit status is 0 whatever the commands did, as
 * virsh's; only a failed connection ends it with 1.
 */
public final class InteractiveShell {

    /** Where command lines come from: a line editor on a terminal, or plain stdin. */
    public interface LineSource extends AutoCloseable {
        /** The next line, or null at the end of input. */
        String readLine(String prompt) throws IOException;

        @Override
        default void close() { }
    }

    private InteractiveShell() { }

    /** virsh's prompts: "virsh # ", "virsh > " when read-only; ours carry the program's name. */
    public static String prompt(boolean readOnly) {
        return readOnly ? "jvirsh > " : "jvirsh # ";
    }

    public static int run(Vsh vsh, LineSource in, boolean quiet) {
        try {
            vsh.conn();
        } catch (LibvirtException e) {
            vsh.connectFailed(e);
            return 1;
        }
        if (!quiet) {
            vsh.print("Welcome to jvirsh, the virtualization interactive terminal.\n\n"
                    + "Type:  'help' for help with commands\n"
                    + "       'quit' to quit\n\n");
        }
        vsh.setInteractive(true);
        try {
            while (true) {
                vsh.flush();
                String line = in.readLine(prompt(vsh.isReadOnly()));
                if (line == null) break;
                List<List<String>> cmds;
                try {
                    cmds = CommandLineParser.split(line);
                } catch (ParseException e) {
                    vsh.error(e.getMessage());
                    continue;
                }
                if (cmds.isEmpty()) continue;
                vsh.run(cmds);
                if (cmds.stream().anyMatch(c -> c.get(0).equals("quit") || c.get(0).equals("exit"))) break;
            }
        } catch (IOException e) {
            vsh.error(e.getMessage());
        }
        vsh.print("\n");
        vsh.flush();
        return 0;
    }
}
