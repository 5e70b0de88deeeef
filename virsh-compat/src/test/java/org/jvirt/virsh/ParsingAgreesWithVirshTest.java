package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jvirt.virsh.shell.Catalogue;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirsh parses every virsh 9.0 command line as virsh does, checked against the real virsh
 * where it is installed. Each probe ends with "; nosuchcommand", so neither program runs
 * anything: both parse the whole line first, and either refuse the probe itself (a missing
 * required option, data with no option left to take it, an unknown option, an option without
 * its value) or stop at the unknown command. Probes per command: no arguments; twelve words
 * (which options take positional words, and how many); its last option given without a value
 * (INT says <number>, others <string>). About 800 runs of virsh: ~20 s on an idle machine.
 */
class ParsingAgreesWithVirshTest {

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyCommandParsesAsInVirsh() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "virsh is not installed: nothing to compare with");
        List<DynamicTest> tests = new ArrayList<>();
        for (Catalogue.Group g : Catalogue.groups()) {
            for (String name : g.commands()) {
                tests.add(DynamicTest.dynamicTest(name, () -> probes(name)));
            }
        }
        tests.add(DynamicTest.dynamicTest("nodedev-dettach (alias)", () -> probes("nodedev-dettach")));
        return tests.stream();
    }

    private void probes(String name) throws Exception {
        CmdDef def = Catalogue.definition(Catalogue.aliasTarget(name) != null ? Catalogue.aliasTarget(name) : name);
        List<String> lines = new ArrayList<>(List.of(name, name + " p1 p2 p3 p4 p5 p6 p7 p8 p9 p10 p11 p12"));
        List<OptDef> valued = def.opts().stream().filter(o -> o.type() != OptType.BOOL && o.type() != OptType.ALIAS).toList();
        if (!valued.isEmpty()) lines.add(name + " --" + valued.get(valued.size() - 1).name());
        for (String line : lines) {
            String probe = line + "; nosuchcommand";
            assertEquals(virsh(probe), jvirsh(probe), probe);
        }
    }

    private String jvirsh(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "test:///default", line}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, Map.of());
        return rc + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private String virsh(String line) throws Exception {
        return org.jvirt.virsh.testing.RealVirsh.onTestDriver(dir, line);
    }
}
