package org.jvirt.xml.cli;

import org.jvirt.xml.DomainXml;
import org.jvirt.xml.canon.CanonicalXml;
import org.jvirt.xml.io.XmlFiles;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;
import org.jvirt.xml.model.XmlValueException;
import org.jvirt.xml.schema.RelaxNgValidator;
import org.jvirt.xml.validate.DomainValidator;
import org.jvirt.xml.validate.InvalidDomainException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jvirt-xml}: checks libvirt XML files with jvirt's XML layer.
 * <ul>
 * <li>{@code roundtrip FILE...}: parse then serialize each file; print a unified diff of the
 * canonical forms for each file that changes; end with "N passed, M failed".</li>
 * <li>{@code validate FILE...}: validate against the installed libvirt RelaxNG schemas.</li>
 * <li>{@code canon FILE}: print the canonical form.</li>
 * </ul>
 * Exit status 0 when everything passed, 1 when anything failed, 2 on a usage error.
 */
public final class JvirtXmlMain {

    private final PrintStream out;
    private final PrintStream err;
    private final Path logDir;

    JvirtXmlMain(PrintStream out, PrintStream err) {
        this(out, err, InternalErrorLog.defaultDir(System.getenv()));
    }

    /** {@code logDir}: where an unexpected exception's stack trace goes (jvirt-xml.log). */
    JvirtXmlMain(PrintStream out, PrintStream err, Path logDir) {
        this.out = out;
        this.err = err;
        this.logDir = logDir;
    }

    public static void main(String[] args) {
        System.exit(new JvirtXmlMain(System.out, System.err).run(args));
    }

    int run(String[] args) {
        try {
            return dispatch(args);
        } catch (RuntimeException | Error e) {
            // a bug, not a bad file: one line, the stack trace to the log
            out.flush();
            err.println("error: " + InternalErrorLog.report(logDir, "jvirt-xml", e));
            return 1;
        }
    }

    private int dispatch(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        List<String> files = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "roundtrip" -> files.isEmpty() ? missingFiles("roundtrip") : roundtrip(files);
            case "validate" -> files.isEmpty() ? missingFiles("validate") : validate(files);
            case "canon" -> files.size() != 1 ? missingFiles("canon") : canon(files.get(0));
            default -> {
                err.println("error: unknown command: '" + args[0] + "'");
                usage(err);
                yield 2;
            }
        };
    }

    private int missingFiles(String cmd) {
        err.println("error: command '" + cmd + "' requires " + (cmd.equals("canon") ? "exactly one FILE" : "at least one FILE"));
        return 2;
    }

    private int roundtrip(List<String> files) {
        int passed = 0, failed = 0;
        for (String f : files) {
            try {
                String original = read(f);
                String formatted = DocumentKind.of(original).roundTrip(original);
                String before = CanonicalXml.of(original), after = CanonicalXml.of(formatted);
                if (before.equals(after)) {
                    passed++;
                } else {
                    failed++;
                    out.print(UnifiedDiff.of(f + " (input, canonical)", before.lines().toList(),
                            f + " (after round trip, canonical)", after.lines().toList()));
                }
            } catch (XmlParseException | XmlValueException | IOException e) {
                failed++;
                err.println("error: " + f + ": " + message(e));
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    private int validate(List<String> files) {
        Path dir = RelaxNgValidator.defaultSchemaDir();
        Map<DocumentKind, RelaxNgValidator> validators = new EnumMap<>(DocumentKind.class);
        int passed = 0, failed = 0;
        for (String f : files) {
            try {
                String xml = read(f);
                DocumentKind kind = DocumentKind.of(xml);
                RelaxNgValidator v = validators.get(kind);
                if (v == null) {
                    v = RelaxNgValidator.load(dir.resolve(kind.schema));
                    validators.put(kind, v);
                }
                List<String> errors = v.validate(xml);
                // the schema passes what libvirt's parser still refuses (bad numbers, units, uuid)
                if (errors.isEmpty() && kind == DocumentKind.DOMAIN) DomainValidator.check(DomainXml.parse(xml));
                if (errors.isEmpty()) {
                    passed++;
                    out.println(f + " validates");
                } else {
                    failed++;
                    out.println(f + " fails to validate against " + kind.schema + ":");
                    for (String e : errors) out.println("  " + e);
                }
            } catch (XmlParseException | InvalidDomainException | IOException e) {
                failed++;
                err.println("error: " + f + ": " + message(e));
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    private int canon(String f) {
        try {
            out.print(CanonicalXml.of(read(f)));
            return 0;
        } catch (XmlParseException | IOException e) {
            err.println("error: " + f + ": " + message(e));
            return 1;
        }
    }

    private static String read(String f) throws IOException {
        return XmlFiles.read(Path.of(f), XmlLimits.LIBVIRT);
    }

    private static String message(Exception e) {
        if (e instanceof XmlParseException x) return x.getMessage();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void usage(PrintStream s) {
        s.println("usage: jvirt-xml roundtrip FILE...   parse and re-serialize; diff of canonical forms for changed files");
        s.println("       jvirt-xml validate FILE...    validate against libvirt's RelaxNG schemas ("
                + RelaxNgValidator.defaultSchemaDir() + ")");
        s.println("       jvirt-xml canon FILE          print the canonical form");
    }
}
