import org.jvirt.xml.DomainXml;
import org.jvirt.xml.domain.Domain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parse + serialize throughput of jvirt's domain XML layer over a list of files (one path per
 * line in the list file). Warms up, then times ROUNDS passes; prints documents per second.
 */
public class XmlBench {
    public static void main(String[] args) throws Exception {
        List<String> docs = new ArrayList<>();
        for (String p : Files.readAllLines(Path.of(args[0]))) if (!p.isBlank()) docs.add(Files.readString(Path.of(p)));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long sink = 0;
        for (int w = 0; w < 10; w++) for (String d : docs) sink += DomainXml.format(DomainXml.parse(d)).length();
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) for (String d : docs) {
            Domain dom = DomainXml.parse(d);
            sink += DomainXml.format(dom).length();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("jvirt: %d documents x %d rounds in %.3f s = %.0f docs/s (checksum %d)%n",
                docs.size(), rounds, s, docs.size() * rounds / s, sink % 1000);
    }
}
