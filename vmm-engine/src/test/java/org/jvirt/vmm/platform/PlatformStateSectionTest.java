package org.jvirt.vmm.platform;

import org.jvirt.vmm.state.SectionInput;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** PlatformState through its "platform" section, without KVM. */
class PlatformStateSectionTest {

    static PlatformState randomState(long seed) {
        Random r = new Random(seed);
        int[] m = new int[16], s = new int[16];
        for (int i = 0; i < 16; i++) { m[i] = r.nextInt(256); s[i] = r.nextInt(256); }
        long[] red = new long[24];
        for (int i = 0; i < red.length; i++) red[i] = r.nextLong();
        List<PitChannel> ch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ch.add(new PitChannel(r.nextInt(0x10001), r.nextInt(0x10000), r.nextInt(2), r.nextInt(2), r.nextInt(256), r.nextInt(4),
                    r.nextInt(4), r.nextInt(256), r.nextInt(4), r.nextInt(6), r.nextInt(2), r.nextInt(2), r.nextLong() >>> 1));
        }
        return new PlatformState(PicState.of(m), PicState.of(s), new IoApicState(0xfec00000L, r.nextInt(), r.nextInt(), r.nextInt(), red),
                new PitState(ch, r.nextBoolean(), r.nextBoolean()), r.nextLong());
    }

    @Test
    void everyFieldSurvivesAStateFileAndNonsenseIsRefusedCleanly(@TempDir Path dir) throws IOException {
        PlatformState a = randomState(1);
        assertNotEquals(a, randomState(2));
        Path f = dir.resolve("p.state");
        try (StateWriter w = StateWriter.create(f)) {
            w.section(PlatformStateSection.ID, PlatformStateSection.VERSION, out -> PlatformStateSection.write(out, a));
            w.commit();
        }
        byte[] payload;
        try (StateReader r = StateReader.open(f)) {
            assertEquals(a, PlatformStateSection.read(r.section("platform")));
            SectionInput in = r.section("platform");
            payload = in.fixedBytes(in.remaining());
        }
        StateFormatException e = assertThrows(StateFormatException.class,
                () -> PlatformStateSection.read(SectionInput.of("platform", 2, payload)));
        assertEquals("section 'platform' has version 2, newer than this jvirt reads (up to 1)", e.getMessage());
        Random r = new Random(3);
        for (int round = 0; round < 1000; round++) {
            byte[] q = round % 2 == 0 ? Arrays.copyOf(payload, r.nextInt(payload.length)) : payload.clone();
            if (round % 2 == 1) q[r.nextInt(q.length)] = (byte) r.nextInt(256);
            try {
                PlatformStateSection.read(SectionInput.of("platform", 1, q));
            } catch (StateFormatException ok) {
                assertTrue(ok.getMessage().startsWith("section 'platform' (version 1)"), ok.getMessage());
            }
        }
    }
}
