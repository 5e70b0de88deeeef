package org.jvirt.xml;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.jvirt.xml.schema.RelaxNgValidator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What jvirt writes validates against libvirt's own RelaxNG schemas wherever the input does;
 * and the validator really rejects the corpus files libvirt's schemas reject.
 */
class CorpusSchemaTest {

    @TestFactory
    Stream<DynamicTest> outputValidatesWhereInputDoes() throws Exception {
        List<SharedFixtures.Entry> entries = SharedFixtures.manifest();
        Path schemas = RelaxNgValidator.defaultSchemaDir();
        Assumptions.assumeTrue(Files.isRegularFile(schemas.resolve("domain.rng")),
                "skipped: libvirt's schemas are not in " + schemas + " (apt-get install libvirt0)");
        Map<String, RelaxNgValidator> validators = new HashMap<>();
        return entries.stream().map(e -> DynamicTest.dynamicTest(e.path(), () -> {
            RelaxNgValidator v = validators.get(e.schema());
            if (v == null) {
                v = RelaxNgValidator.load(schemas.resolve(e.schema()));
                validators.put(e.schema(), v);
            }
            String original = Files.readString(e.file());
            List<String> inputErrors = v.validate(original);
            assertEquals(e.validates(), inputErrors.isEmpty(),
                    "the validator disagrees with libvirt's verdict on the input: " + inputErrors);
            if (e.validates()) {
                List<String> outputErrors = v.validate(RoundTrip.of(e.kind(), original));
                assertEquals(List.of(), outputErrors, "output does not validate");
            }
        }));
    }
}
