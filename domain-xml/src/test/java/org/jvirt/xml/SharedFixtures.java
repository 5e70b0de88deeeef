package org.jvirt.xml;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The libvirt XML corpus in ../shared/fixtures/libvirt-xml; tests skip clearly without it. */
final class SharedFixtures {

    record Entry(Path file, String path, String kind, String schema, boolean validates) { }

    static Path corpus() {
        String shared = System.getProperty("jvirt.shared", "../shared");
        Path dir = Path.of(shared, "fixtures", "libvirt-xml");
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("MANIFEST.tsv")),
                "skipped: the shared libvirt XML corpus is not at " + dir.toAbsolutePath()
                        + " (clone the project beside ../shared to run these tests)");
        return dir;
    }

    static List<Entry> manifest() throws IOException {
        Path dir = corpus();
        List<Entry> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            out.add(new Entry(dir.resolve(f[0]), f[0], f[1], f[4], f[5].equals("yes")));
        }
        return out;
    }

    private SharedFixtures() { }
}
