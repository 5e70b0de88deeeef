package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jvirt.virsh.commands.Commands;
import org.jvirt.virsh.shell.Catalogue;
import org.jvirt.virsh.shell.CmdDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A virsh command jvirsh cannot run: once virsh's option parsing accepts the line (the golden
 * transcripts options/ show the refusals), one libvirt-style error naming jvirsh and the
 * command, status 1, and the next command of the line still runs. The same for an option of
 * an implemented command that jvirsh does not implement.
 */
class UnsupportedCommandTest {

    @TempDir
    Path dir;

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, Map.of());
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aCommandJvirshLacksIsRefusedAfterParsing() {
        String[] r = run("-c", "test:///default", "blockcopy test vda --dest /tmp/copy --shallow");
        assertEquals("1", r[0]);
        assertEquals("\n", r[1]);
        assertEquals("error: this command is not supported by jvirsh: blockcopy\n", r[2]);
        // the rest of the line runs, and the status is the last command's, as virsh's
        r = run("-c", "test:///default", "domfsinfo test; uri");
        assertEquals("0", r[0]);
        assertEquals("\ntest:///default\n\n", r[1]);
        assertEquals("error: this command is not supported by jvirsh: domfsinfo\n", r[2]);
        // an alias runs the command it stands for (virsh's only one: nodedev-dettach)
        String[] alias = run("-c", "test:///default", "nodedev-dettach pci_0000_00_02_0");
        String[] command = run("-c", "test:///default", "nodedev-detach pci_0000_00_02_0");
        assertEquals(List.of(command), List.of(alias));
    }

    @Test
    void anOptionJvirshLacksIsRefusedNotIgnored() {
        String[] r = run("-c", "test:///default", "snapshot-dumpxml test s --xpath /x");
        assertEquals("1", r[0]);
        assertEquals("error: this option is not supported by jvirsh: snapshot-dumpxml --xpath\n", r[2]);
        // positionally too: virsh fills --pass-fds with a third word
        r = run("-c", "test:///default", "shutdown test acpi");
        assertFalse(r[2].contains("unexpected data"), r[2]);
    }

    @Test
    void catalogueCommandsTakeVirshsDefinition() {
        CmdDef def = Catalogue.command("domrename", (vsh, cmd) -> true);
        assertEquals("rename a domain", def.help());
        assertEquals(List.of("domain", "new-name"), def.opts().stream().map(o -> o.name()).toList());
        assertTrue(def.needsConnection());
    }

    /** item 9 of issue 7: `list` must not pay for the catalogue; an unknown command does. */
    @Test
    void listDoesNotReadTheCatalogue() throws Exception {
        assertFalse(loadsCatalogue("list", "--all"));
        assertTrue(loadsCatalogue("blockcopy", "test", "vda", "--dest", "/tmp/x"));
    }

    private static boolean loadsCatalogue(String... command) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xshare:off", "-Xlog:class+load=info",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "-c", "test:///default"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertTrue(log.contains(Commands.class.getName() + " "), "the child ran jvirsh");
        return log.contains(Catalogue.class.getName() + " ");
    }
}
