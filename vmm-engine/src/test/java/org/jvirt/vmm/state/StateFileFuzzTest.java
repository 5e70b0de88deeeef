package org.jvirt.vmm.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded random corruption of a valid state file: flipped bits, overwritten bytes, truncations,
 * inserted and deleted bytes. Only StateFormatException may come out, and a corrupted file may
 * only be accepted when every changed byte lies inside the unchecked RAM payload.
 */
class StateFileFuzzTest {
    static final long SEED = 0x5eed_57a7eL;
    static final int ROUNDS = 1000;

    @TempDir
    Path dir;

    @Test
    void randomCorruptionGivesOnlyCleanErrors() throws IOException {
        Path good = dir.resolve("good.state");
        StateFileTest.writeSample(good);
        byte[] original = Files.readAllBytes(good);
        long ramStart, ramEnd;
        try (StateReader r = StateReader.open(good)) {
            ramStart = r.raw("ram").payloadOffset();
            ramEnd = ramStart + r.raw("ram").length();
        }
        Random rnd = new Random(SEED);
        Path p = dir.resolve("fuzz.state");
        int refused = 0, acceptedInRam = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] b = original.clone();
            boolean onlyRam = true;
            String what;
            switch (rnd.nextInt(5)) {
                case 0 -> { // flip one bit
                    int at = rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                    onlyRam = at >= ramStart && at < ramEnd;
                    what = "bit flip at " + at;
                }
                case 1 -> { // overwrite 1..4 random bytes anywhere
                    int n = 1 + rnd.nextInt(4);
                    StringBuilder s = new StringBuilder("overwrite at");
                    for (int i = 0; i < n; i++) {
                        int at = rnd.nextInt(b.length);
                        byte v = (byte) rnd.nextInt(256);
                        if (b[at] != v) onlyRam &= at >= ramStart && at < ramEnd;
                        b[at] = v;
                        s.append(' ').append(at);
                    }
                    what = s.toString();
                }
                case 2 -> {
                    int len = rnd.nextInt(b.length);
                    b = Arrays.copyOf(b, len);
                    onlyRam = false;
                    what = "truncate to " + len;
                }
                case 3 -> {
                    int at = rnd.nextInt(b.length + 1);
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                    onlyRam = false;
                    what = "insert at " + at;
                }
                default -> {
                    int at = rnd.nextInt(b.length);
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                    onlyRam = false;
                    what = "delete at " + at;
                }
            }
            if (Arrays.equals(b, original)) continue;
            Files.write(p, b);
            try (StateReader r = StateReader.open(p)) {
                readEverything(r);
                assertTrue(onlyRam, "round " + round + " (" + what + "): a corruption outside the RAM payload was accepted");
                acceptedInRam++;
            } catch (StateFormatException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("state file " + p + ", offset "), e.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + " (" + what + "): not a clean StateFormatException", e);
            }
        }
        assertTrue(refused > ROUNDS / 2 && acceptedInRam > 0, "refused " + refused + ", accepted in RAM " + acceptedInRam);
    }

    private static void readEverything(StateReader r) throws IOException {
        SectionInput u = r.section("uart0");
        u.u8(); u.u16(); u.u32(); u.u64(); u.bool(); u.string(100); u.bytes(100);
        u.expectEnd();
        r.section("stats.x").u32();
        r.readRaw("ram", 0, ByteBuffer.allocate((int) r.raw("ram").length()));
        r.section("vcpu0").u64();
    }

    /** Decoders see payloads the CRC vouched for, but must still fail cleanly on nonsense (a buggy or hostile writer). */
    @Test
    void decodingRandomPayloadsGivesOnlyCleanErrors() {
        Random rnd = new Random(SEED + 1);
        for (int round = 0; round < 5000; round++) {
            byte[] payload = new byte[rnd.nextInt(40)];
            rnd.nextBytes(payload);
            SectionInput in = SectionInput.of("uart0", 1, payload);
            try {
                in.u8(); in.u16(); in.bool(); in.string(16); in.bytes(8); in.count(4, "entry"); in.fixedBytes(3);
                in.expectEnd();
            } catch (StateFormatException e) {
                assertTrue(e.getMessage().startsWith("section 'uart0' (version 1)"), e.getMessage());
            }
        }
    }
}
