package org.jvirt.vmm.vnc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ScrollDetectorTest {
    private static int[] random(int w, int h, long seed) {
        Random r = new Random(seed);
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) rgb[i] = r.nextInt() & 0xffffff;
        return rgb;
    }

    @Test
    void aScrollUpOrDownIsFoundAndAppliedAndNoMoveIsNone() {
        int w = 100, h = 80;
        int[] before = random(w, h, 1);
        int[] up = random(w, h, 2);
        System.arraycopy(before, 16 * w, up, 0, (h - 16) * w); // content up 16 rows, new rows below
        assertEquals(new ScrollDetector.Move(16, 0, h - 16), ScrollDetector.find(up, before, w, h));
        int[] down = random(w, h, 3);
        System.arraycopy(before, 0, down, 8 * w, (h - 8) * w); // content down 8 rows
        ScrollDetector.Move m = ScrollDetector.find(down, before, w, h);
        assertEquals(new ScrollDetector.Move(0, 8, h - 8), m);
        int[] moved = ScrollDetector.apply(before, w, m);
        assertArrayEquals(java.util.Arrays.copyOfRange(down, 8 * w, h * w), java.util.Arrays.copyOfRange(moved, 8 * w, h * w));
        assertNull(ScrollDetector.find(before.clone(), before, w, h), "an unchanged picture");
        assertNull(ScrollDetector.find(random(w, h, 4), before, w, h), "a new picture");
        int[] small = random(w, h, 5);
        System.arraycopy(before, 10 * w, small, 0, 8 * w); // 8 rows moved: too few for a rectangle
        assertNull(ScrollDetector.find(small, before, w, h));
    }

    @Test
    void blankScreensDoNotMakeMoves() {
        int w = 64, h = 64;
        int[] black = new int[w * h];
        int[] text = black.clone();
        for (int i = 0; i < w; i++) text[20 * w + i] = 0xffffff; // one line drawn on black
        assertNull(ScrollDetector.find(text, black, w, h), "rows equal to before at the same place vote for nothing");
    }
}
