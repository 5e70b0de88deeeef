package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `jvirsh -c test:///default list --all` loads only what list needs (issue 7 item 9: start-up
 * within 3x virsh leaves no room for anything else). A child JVM runs Main with class-load
 * logging; the classes loaded after Main must include no XML binding (JAXB) or parser, no other
 * command group, no ServiceLoader scan of the class path, no JLine, and no lambda or
 * string-concatenation linkage (java.lang.invoke's bootstrap costs milliseconds at start-up).
 * Not timed: the timing is bench/jvirsh-bench.sh's.
 */
class ListStartupClassesTest {

    @TempDir
    Path dir;

    /** Prefixes of classes that must not load on list's path, with why. */
    private static final String[][] FORBIDDEN = {
        {"jakarta.xml.bind.", "JAXB"},
        {"org.glassfish.jaxb.", "JAXB runtime"},
        {"com.sun.xml.", "JAXB / XML internals"},
        {"javax.xml.", "an XML parser"},
        {"org.w3c.dom.", "DOM"},
        {"org.jline.", "JLine (interactive shell only)"},
        {"org.jvirt.virsh.commands.DomainCommands", "another command group"},
        {"org.jvirt.virsh.commands.HostCommands", "another command group"},
        {"org.jvirt.virsh.commands.SnapshotCommands", "another command group"},
        {"org.jvirt.virsh.commands.TuningCommands", "another command group"},
        {"org.jvirt.virsh.commands.EditCommand", "another command group"},
        {"org.jvirt.virsh.shell.Help", "help"},
        {"org.jvirt.driver.jvirt.", "the jvirt driver"},
        {"org.jvirt.vmm.", "the VMM"},
        {"java.util.ServiceLoader", "a class-path scan for drivers"},
        {"java.lang.invoke.LambdaMetafactory", "a lambda or method reference linked"},
        {"java.lang.invoke.StringConcatFactory", "indy string concatenation"},
        {"java.util.Formatter", "String.format"},
        {"java.util.regex.Pattern", "a regular expression"},
        {"java.time.zone.", "the time-zone database"},
    };

    @Test
    void listAllLoadsNothingItDoesNotNeed() throws Exception {
        Path log = dir.resolve("classes.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), "org.jvirt.virsh.Main",
                "-c", "test:///default", "list", "--all");
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(" Id   Name   State\n----------------------\n 1    test   running\n\n", out);
        assertEquals(0, p.exitValue());

        List<String> afterMain = new ArrayList<>();
        boolean seenMain = false;
        for (String line : Files.readAllLines(log)) {
            // [0.036s][info][class,load] org.jvirt.virsh.Main source: ...
            int at = line.indexOf("[class,load] ");
            if (at < 0) continue;
            String rest = line.substring(at + 13).trim();
            String name = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
            if (name.equals("org.jvirt.virsh.Main")) seenMain = true;
            if (seenMain) afterMain.add(name);
        }
        assertTrue(seenMain, "class-load log names Main");
        List<String> wrong = new ArrayList<>();
        for (String c : afterMain) {
            for (String[] f : FORBIDDEN) if (c.startsWith(f[0])) wrong.add(c + " (" + f[1] + ")");
        }
        assertEquals(List.of(), wrong, "classes list --all does not need");
    }
}
