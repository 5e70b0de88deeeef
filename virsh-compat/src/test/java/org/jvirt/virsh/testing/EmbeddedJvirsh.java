package org.jvirt.virsh.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.jvirt.virsh.Main;

/**
 * jvirsh runs against a jvirt:///embed root of their own, in a short temporary directory (the
 * VMM's control socket lives under it: sun_path is 108 bytes), with jvirt.vmm set to the
 * launcher script; close destroys the named domains, deletes the directory and restores
 * jvirt.vmm.
 */
public final class EmbeddedJvirsh implements AutoCloseable {
    private final Path work;
    private final String previousVmm;
    private final List<String> domains;

    /** prefix: the temporary directory's; domains: the ones close destroys. */
    public EmbeddedJvirsh(String prefix, String... domains) throws IOException {
        this.work = Files.createTempDirectory(Path.of("/tmp"), prefix);
        this.previousVmm = System.setProperty("jvirt.vmm", VmmLauncher.script(work).toString());
        this.domains = List.of(domains);
    }

    /** The working directory: relative paths of the commands resolve here, the root is its "root". */
    public Path work() { return work; }

    /** One jvirsh command line: {exit status, stdout, stderr}. */
    public String[] run(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "jvirt:///embed?root=" + work.resolve("root"), line},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), work);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Override
    public void close() throws IOException {
        try {
            for (String d : domains) run("destroy " + d);
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        } finally {
            if (previousVmm == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previousVmm);
        }
    }
}
