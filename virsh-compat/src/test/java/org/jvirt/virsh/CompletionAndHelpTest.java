package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jvirt.virsh.commands.Commands;
import org.jvirt.virsh.shell.Completion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidden `complete` command, `help` and `help GROUP`, and `edit` with a scripted editor. */
class CompletionAndHelpTest {

    @TempDir
    Path dir;

    private String[] run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, env);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private String[] run(String... args) {
        return run(Map.of(), args);
    }

    // the expected outputs are virsh 9.0's for the same words, restricted to jvirsh's commands
    @Test
    void completeCommandsOptionsAndDomains() {
        assertEquals("list\n\n", run("-c", "test:///default", "complete", "--", "li")[1]);
        assertEquals("--all\n--autostart\n\n", run("-c", "test:///default", "complete", "--", "list", "--a")[1]);
        assertEquals("test\n\n", run("-c", "test:///default", "complete", "--", "dominfo", "t")[1]);
        assertEquals("test\n\n", run("-c", "test:///default", "complete", "--", "dominfo", "--domain", "")[1]);
        assertEquals("\n", run("-c", "test:///default", "complete", "--", "dominfo", "test", "")[1]);
        assertEquals("--inactive\n--security-info\n--update-cpu\n--migratable\n--xpath\n--wrap\n\n",
                run("-c", "test:///default", "complete", "--", "dumpxml", "test", "--")[1]);
    }

    @Test
    void completionFromATypedLine() {
        Completion c = new Completion(Commands.all(), () -> List.of("test", "other"));
        assertEquals(List.of("test"), c.complete(Completion.wordsBeforeCursor("uri; dominfo t")));
        assertEquals(List.of("--state-running", "--state-paused", "--state-shutoff", "--state-other"),
                c.complete(Completion.wordsBeforeCursor("list --all --state-")));
        assertEquals(List.of(), c.complete(Completion.wordsBeforeCursor("frob ")));
        assertEquals(List.of("snapshot-list"), c.complete(Completion.wordsBeforeCursor("snapshot-l")));
        assertEquals(List.of("a b", ""), Completion.wordsBeforeCursor("'a b' "));
    }

    @Test
    void completeIsHiddenFromHelp() {
        String help = run("help")[1];
        assertEquals(false, help.contains("complete"));
        assertEquals("1", run("help", "frob")[0]);
        assertEquals("error: command or command group 'frob' doesn't exist\n", run("help", "frob")[2]);
    }

    @Test
    void helpGroupByKeywordOrName() {
        String[] r = run("help", "host");
        assertEquals("0", r[0]);
        assertEquals(" Host and Hypervisor (help keyword 'host'):\n"
                + "    capabilities                   capabilities\n"
                + "    domcapabilities                domain capabilities\n"
                + "    freecell                       NUMA free memory\n"
                + "    hostname                       print the hypervisor hostname\n"
                + "    nodecpustats                   Prints cpu stats of the node.\n"
                + "    nodeinfo                       node information\n"
                + "    nodememstats                   Prints memory stats of the node.\n"
                + "    sysinfo                        print the hypervisor sysinfo\n"
                + "    uri                            print the hypervisor canonical URI\n"
                + "    version                        show version\n\n", r[1]);
        assertEquals(r[1], run("help", "Host and Hypervisor")[1]);
    }

    /** Real virsh's `help`, less the commands and groups jvirsh lacks, is jvirsh's `help`. */
    @Test
    void groupedHelpIsVirshsRestrictedToOurCommands() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "virsh is not installed: nothing to compare with");
        Process p = new ProcessBuilder("/usr/bin/virsh", "help").redirectErrorStream(false).start();
        String virsh = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        String ours = run("help")[1];
        Set<String> names = new HashSet<>();
        for (String line : ours.split("\n")) if (line.startsWith("    ")) names.add(line.trim().split(" ")[0]);
        StringBuilder expected = new StringBuilder();
        String header = null;
        StringBuilder group = new StringBuilder();
        for (String line : virsh.split("\n", -1)) {
            if (line.startsWith("    ")) {
                if (names.contains(line.trim().split(" ")[0])) group.append(line).append('\n');
            } else if (line.startsWith(" ")) {
                header = line;
            } else if (line.isEmpty() && header != null) {
                if (group.length() > 0) expected.append(header).append('\n').append(group).append('\n');
                header = null;
                group.setLength(0);
            } else if (header == null && !line.isEmpty()) {
                expected.append(line).append('\n');
            } else if (line.isEmpty() && expected.length() > 0 && expected.toString().endsWith(":\n")) {
                expected.append('\n');
            }
        }
        assertEquals(expected + "\n", ours);
    }

    @Test
    void editRedefinesAChangedCopyOfTheInactiveXml() throws IOException {
        Path editor = script("sed -i 's|<memory unit=.KiB.>8388608</memory>|<memory unit=\"KiB\">4194304</memory>|' \"$1\"");
        String[] r = run(Map.of("EDITOR", editor.toString(), "TMPDIR", dir.toString()),
                "-c", "test:///default", "edit test; dumpxml --inactive test");
        assertEquals("0", r[0], r[2]);
        assertEquals(true, r[1].startsWith("Domain 'test' XML configuration edited.\n\n"), r[1]);
        assertEquals(true, r[1].contains("<memory unit='KiB'>4194304</memory>"), r[1]);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("jvirsh")).count(), "temp copy removed");
        }
    }

    @Test
    void editUnchangedAndVisualFirst() throws IOException {
        Path same = script("true");
        Path breaks = script("echo '<domain' > \"$1\"");
        String[] r = run(Map.of("VISUAL", same.toString(), "EDITOR", breaks.toString()), "-c", "test:///default", "edit", "test");
        assertEquals("0", r[0]);
        assertEquals("Domain 'test' XML configuration not changed.\n\n", r[1]);
    }

    @Test
    void editWithXmlThatDoesNotParseFailsWithoutATerminal() throws IOException {
        Path breaks = script("printf '<domain>\\n  <name>x</name>\\n</dom>\\n' > \"$1\"");
        String[] r = run(Map.of("EDITOR", breaks.toString()), "-c", "test:///default", "edit", "test");
        assertEquals("1", r[0]);
        assertEquals(true, r[2].startsWith("error: (domain_definition):3: "), r[2]);
    }

    private Path script(String body) throws IOException {
        Path p = Files.createTempFile(dir, "editor", ".sh");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        p.toFile().setExecutable(true);
        return p;
    }
}
