package org.jvirt.virsh.interactive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jvirt.virsh.commands.Commands;
import org.jvirt.virsh.shell.Vsh;
import org.junit.jupiter.api.Test;

/** The shell on a non-terminal stdin, compared with what virsh 9.0 prints for the same input. */
class InteractiveShellTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String uri, boolean readOnly, boolean quiet, String input) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        Vsh vsh = new Vsh(o, new PrintStream(err, true, StandardCharsets.UTF_8), Path.of("/"), uri, readOnly, quiet,
                Commands.all());
        try {
            return InteractiveShell.run(vsh, new PlainLines(new BufferedReader(new StringReader(input)), o), quiet);
        } finally {
            vsh.close();
        }
    }

    // printf 'uri\nfrob\nlist --all\n' | virsh -c test:///default
    @Test
    void greetsEchoesEachLineAndEndsWithANewlineAtEndOfInput() {
        assertEquals(0, run("test:///default", false, false, "uri\nfrob\nlist --all\n"));
        assertEquals("Welcome to jvirsh, the virtualization interactive terminal.\n\n"
                + "Type:  'help' for help with commands\n"
                + "       'quit' to quit\n\n"
                + "jvirsh # uri\ntest:///default\n\n"
                + "jvirsh # frob\n"
                + "jvirsh # list --all\n Id   Name   State\n----------------------\n 1    test   running\n\n"
                + "jvirsh # \n", out.toString(StandardCharsets.UTF_8));
        assertEquals("error: unknown command: 'frob'\n", err.toString(StandardCharsets.UTF_8));
    }

    // printf 'uri\nquit\nhostname\n' | virsh -r -q -c test:///default
    @Test
    void quietReadOnlyStopsAtQuit() {
        assertEquals(0, run("test:///default", true, true, "uri\nquit\nhostname\n"));
        assertEquals("jvirsh > uri\ntest:///default\njvirsh > quit\n\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedConnectionEndsTheShellWithStatusOne() {
        assertEquals(1, run("frob:///x", false, false, "uri\n"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void historyFileFollowsXdgStateHome() {
        assertEquals(Path.of("/s/jvirt/jvirsh_history"), EditorLines.historyFile(java.util.Map.of("XDG_STATE_HOME", "/s")));
        assertEquals(500, EditorLines.historySize(java.util.Map.of()));
        assertEquals(20, EditorLines.historySize(java.util.Map.of("JVIRSH_HISTSIZE", "20")));
    }

    // printf 'cd /nonexist\ncd /usr\npwd\nconnect frob:///x\nuri\nconnect test:///default --readonly\nuri\n' | virsh -q -c test:///default
    @Test
    void cdPwdAndConnectInTheShell() {
        assertEquals(0, run("test:///default", false, true,
                "cd /nonexist\ncd /usr\npwd\nconnect frob:///x\nuri\nconnect test:///default --readonly\nuri\n"));
        assertEquals("jvirsh # cd /nonexist\njvirsh # cd /usr\njvirsh # pwd\n/usr\n"
                + "jvirsh # connect frob:///x\njvirsh # uri\ntest:///default\n"
                + "jvirsh # connect test:///default --readonly\njvirsh > uri\ntest:///default\njvirsh > \n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals("error: cd: No such file or directory: /nonexist\n"
                + "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n",
                err.toString(StandardCharsets.UTF_8));
    }
}
