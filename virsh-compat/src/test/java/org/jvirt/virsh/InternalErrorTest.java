package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.virsh.commands.Commands;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.CommandLineParser;
import org.jvirt.virsh.shell.Vsh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unexpected exception reaches the user as one line; its stack trace goes to jvirsh.log. */
class InternalErrorTest {

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("HOME", dir.toString());
        return env;
    }

    private Path log() {
        return dir.resolve("cache/jvirt/log/jvirsh.log");
    }

    private void assertOneLineNoTrace(String err, String expected) throws Exception {
        assertEquals("error: internal error: " + expected + "; details in " + log() + "\n", err);
        assertFalse(err.contains("\tat "), err);
        String trace = Files.readString(log());
        assertTrue(trace.contains("\tat org.jvirt."), trace);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log())));
    }

    @Test
    void aCommandThatThrowsFailsAloneWithOneLine() throws Exception {
        Map<String, CmdDef> commands = new LinkedHashMap<>(Commands.all());
        commands.put("boom", new CmdDef("boom", "Virsh itself", "fails", "fails", List.of(), (vsh, cmd) -> {
            throw new IllegalStateException("bug in boom");
        }, false));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Vsh vsh = new Vsh(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                dir, "test:///default", false, false, commands, env());
        int rc = vsh.run(CommandLineParser.split("boom"));
        assertEquals(1, rc);
        assertOneLineNoTrace(err.toString(StandardCharsets.UTF_8), "IllegalStateException: bug in boom");
        // as virsh: the next command still runs, and the status is the last command's
        out.reset();
        err.reset();
        rc = vsh.run(CommandLineParser.split("boom; echo still here"));
        vsh.close();
        assertEquals(0, rc);
        assertEquals("\nstill here\n", out.toString(StandardCharsets.UTF_8));
        assertOneLineNoTrace(err.toString(StandardCharsets.UTF_8), "IllegalStateException: bug in boom");
    }

    @Test
    void anythingUnexpectedAtTopLevelIsOneLineAndStatusOne() throws Exception {
        // an environment that fails when jvirsh looks up its default URI
        Map<String, String> env = new HashMap<>(env()) {
            @Override
            public String get(Object key) {
                if ("JVIRT_DEFAULT_URI".equals(key)) throw new UnsupportedOperationException("no environment");
                return super.get(key);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"list"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, env);
        assertEquals(1, rc);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertOneLineNoTrace(err.toString(StandardCharsets.UTF_8), "UnsupportedOperationException: no environment");
        // appended, timestamped
        Main.run(new String[] {"list"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, env);
        String text = Files.readString(log());
        assertEquals(2, text.split("jvirsh \\(pid ", -1).length - 1, text);
        assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\dT.*"), text);
    }
}
