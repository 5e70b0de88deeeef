package org.jvirt.xml;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.jvirt.xml.canon.CanonicalXml;

import java.nio.file.Files;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every file of the shared corpus: parse, serialize, parse again, serialize again; the first
 * output must be canonically equal to the input, and the second to the first.
 */
class CorpusRoundTripTest {

    @TestFactory
    Stream<DynamicTest> everyCorpusFileSurvivesARoundTrip() throws Exception {
        return SharedFixtures.manifest().stream().map(e -> DynamicTest.dynamicTest(e.path(), () -> {
            String original = Files.readString(e.file());
            String first = RoundTrip.of(e.kind(), original);
            assertEquals(CanonicalXml.of(original), CanonicalXml.of(first), "first round trip changed " + e.path());
            String second = RoundTrip.of(e.kind(), first);
            assertEquals(first, second, "second round trip changed " + e.path());
        }));
    }
}
