package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirt.virsh.testing.EmbeddedJvirsh;

/**
 * jvirsh save --verbose and domjobinfo while the save runs, on a jvirt URI with the ticker
 * keeping 384 MiB of its 512 MiB dirty (on KVM, or on the emulator without /dev/kvm): virsh's
 * progress lines "\rSave: [ NN %]" every 500 ms and the last one "[100 %]" on stderr, and
 * domjobinfo from another jvirsh run in virsh's layout (Job type Unbounded, Operation Save,
 * time, data and memory processed / remaining / total).
 */
class JvirtSaveProgressVirshTest {

    private static final Path GUESTS = Path.of("..", "test-fixtures", "target", "guests").toAbsolutePath().normalize();
    private EmbeddedJvirsh jvirsh;
    private Path work;

    private String[] run(String line) {
        return jvirsh.run(line);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (jvirsh != null) jvirsh.close();
    }

    @Test
    void saveVerboseShowsProgressAndDomjobinfoTheRunningJob() throws Exception {
        assumeTrue(Files.exists(GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        jvirsh = new EmbeddedJvirsh("js", "tick");
        work = jvirsh.work();
        String type = org.jvirt.vmm.kvm.Kvm.isPresent() && !Boolean.getBoolean("jvirt.test.emu") ? "kvm" : "qemu";
        Path serial = work.resolve("serial.log");
        Files.writeString(work.resolve("tick.xml"), "<domain type='" + type + "'>\n  <name>tick</name>\n  <memory unit='MiB'>512</memory>\n"
                + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + GUESTS.resolve("ticker.elf")
                + "</kernel>\n    <cmdline>dirty=384</cmdline>\n  </os>\n  <devices>\n    <serial type='file'>\n      <source path='" + serial
                + "'/>\n      <target port='0'/>\n    </serial>\n  </devices>\n</domain>\n");
        assertEquals("0", run("define tick.xml")[0]);
        assertEquals("0", run("start tick")[0]);
        long end = System.nanoTime() + 120_000_000_000L;
        while (!(Files.exists(serial) && Files.readString(serial).contains("ticker: 384 MiB dirty"))) {
            assertTrue(System.nanoTime() < end, "the ticker never dirtied its RAM");
            Thread.sleep(50);
        }
        assertEquals("Job type:         None        \n\n", run("domjobinfo tick")[1], "no job yet");

        long t0 = System.nanoTime();
        CompletableFuture<String[]> save = CompletableFuture.supplyAsync(() -> run("save tick tick.sav --verbose"));
        String during = null;
        while (!save.isDone() && during == null) {
            String[] info = run("domjobinfo tick");
            if (info[1].startsWith("Job type:         Unbounded")) during = info[1];
            Thread.sleep(20);
        }
        String[] saved = save.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("0", saved[0], saved[2]);
        assertEquals("\nDomain 'tick' saved to tick.sav\n\n", saved[1]);
        assertTrue(during != null, "domjobinfo never saw the save (" + ms + " ms)");
        Matcher m = Pattern.compile("Job type:         Unbounded   \nOperation:        Save        \nTime elapsed:     \\d+ {0,12} ms\n"
                + "Data processed:   [0-9.]+ [KMG]?i?B\nData remaining:   [0-9.]+ [KMG]?i?B\nData total:       512\\.000 MiB\n"
                + "Memory processed: [0-9.]+ [KMG]?i?B\nMemory remaining: [0-9.]+ [KMG]?i?B\nMemory total:     512\\.000 MiB\n\n").matcher(during);
        assertTrue(m.matches(), during);
        // progress lines: whole percents, 99 at most, growing, then [100 %]; at least one before it when the save outlasted a poll
        Matcher p = Pattern.compile("\rSave: \\[([ 0-9]{3}) %\\]").matcher(saved[2]);
        int last = -1, lines = 0;
        while (p.find()) {
            int v = Integer.parseInt(p.group(1).trim());
            assertTrue(v >= last, saved[2]);
            last = v;
            lines++;
        }
        assertTrue(saved[2].endsWith("\rSave: [100 %]") && last == 100, saved[2]);
        assertEquals("", saved[2].replaceAll("\rSave: \\[[ 0-9]{3} %\\]", ""), "nothing else on stderr");
        if (ms > 1200) assertTrue(lines >= 2, "a " + ms + " ms save polled at 500 ms shows progress: " + saved[2].replace("\r", "\\r"));
        assertTrue(run("domjobinfo tick")[2].contains("domain is not running"));
    }
}
