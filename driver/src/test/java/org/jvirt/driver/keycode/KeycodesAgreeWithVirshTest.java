package org.jvirt.driver.keycode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated keycode table against libvirt 9.0's own: the real virsh's send-key on
 * test:///default (whose testDomainSendKey refuses a keycode its codeset's table lacks) is
 * asked every code from 0 to 0x2ff and the 0xe0xx codes in every codeset, and every key name
 * of linux, os_x and win32 (which virsh looks up itself); the codes and names it accepts must
 * be those the table holds. One virsh process, ~8000 commands, a few seconds.
 */
class KeycodesAgreeWithVirshTest {

    @TempDir
    Path tmp;

    private static final Pattern INVALID_CODE = Pattern.compile("invalid keycode (\\d+) of (\\w+) codeset");
    private static final Pattern INVALID_NAME = Pattern.compile("invalid keycode: '([^']*)'");

    @Test
    void virshAcceptsTheCodesAndNamesTheTableHas() throws Exception {
        assumeTrue(onPath("virsh"), "no virsh on PATH (libvirt-clients): the keycode table is not compared");
        List<String> cmds = new ArrayList<>();
        List<Integer> codes = new ArrayList<>();
        for (int v = 0; v < 0x300; v++) codes.add(v);
        for (int v = 0xe000; v < 0xe100; v++) codes.add(v);
        for (String set : Keycodes.CODESETS) for (int v : codes) cmds.add("send-key test --codeset " + set + " " + v);
        List<String> names = new ArrayList<>();
        for (int set : new int[] {Keycodes.LINUX, Keycodes.OS_X, Keycodes.WIN32}) {
            for (String n : Keycodes.names(set)) {
                names.add(Keycodes.CODESETS.get(set) + " " + n);
                cmds.add("send-key test --codeset " + Keycodes.CODESETS.get(set) + " " + n);
            }
        }
        cmds.add("send-key test --codeset linux KEY_NO_SUCH_NAME");
        String out = virsh(cmds);
        TreeSet<String> virshInvalid = new TreeSet<>();
        Matcher m = INVALID_CODE.matcher(out);
        while (m.find()) virshInvalid.add(m.group(2) + " " + m.group(1));
        TreeSet<String> ourInvalid = new TreeSet<>();
        for (int s = 0; s < Keycodes.CODESETS.size(); s++) {
            for (int v : codes) if (Keycodes.translate(s, s, v) < 0) ourInvalid.add(Keycodes.CODESETS.get(s) + " " + v);
        }
        assertEquals(virshInvalid, ourInvalid, "codes refused");
        TreeSet<String> badNames = new TreeSet<>();
        Matcher n = INVALID_NAME.matcher(out);
        while (n.find()) badNames.add(n.group(1));
        assertEquals(new TreeSet<>(List.of("KEY_NO_SUCH_NAME")), badNames, "names virsh does not know");
        assertEquals(cmds.size(), count(out, "virsh # send-key"), "every command ran");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    private String virsh(List<String> cmds) throws IOException, InterruptedException {
        Path in = tmp.resolve("in");
        Files.write(in, cmds, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("virsh", "-c", "test:///default").redirectErrorStream(true)
                .redirectInput(in.toFile()).redirectOutput(tmp.resolve("out").toFile());
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("XDG_CACHE_HOME", tmp.toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("virsh did not finish");
        }
        return Files.readString(tmp.resolve("out"));
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) return true;
        }
        return false;
    }
}
