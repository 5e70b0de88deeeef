package org.jvirt.vmm.devices.display;

import java.nio.charset.StandardCharsets;

/**
 * The 256-byte EDID (1.4 base block + a CTA-861 extension) a QEMU 7.2 display adapter shows its
 * guest (hw/display/edid-generate.c with its defaults: vendor "RHT", "QEMU Monitor", 100 dpi,
 * preferred mode 1280x800 at 75 Hz). The layout follows what QEMU 7.2's bochs-display returns
 * (read from its MMIO BAR in BochsDisplayQemuTest): the preferred timing, the "additional
 * standard timings 3" descriptor, the range limits and the name, in that order; modes fill the
 * established timings, then the eight standard timing slots, then the extra-timings bits.
 */
public final class Edid {
    public static final int SIZE = 256;
    private static final int DPI = 100;

    private Edid() {
    }

    /** One supported mode and where it can be listed: an established timing bit, an extra-timings-3 bit, a CTA VIC. */
    private record Mode(int xres, int yres, int establishedByte, int xtra3Byte, int bit, int vic) {
        static Mode cta(int x, int y, int vic) { return new Mode(x, y, 0, 0, 0, vic); }
        static Mode xtra3(int x, int y, int b, int bit) { return new Mode(x, y, 0, b, bit, 0); }
        static Mode established(int x, int y, int b, int bit) { return new Mode(x, y, b, 0, bit, 0); }
    }

    /** QEMU 7.2's table, in its order (the modes a standard timing slot can express come first). */
    private static final Mode[] MODES = {
        Mode.cta(5120, 2160, 125), Mode.cta(4096, 2160, 101), Mode.cta(3840, 2160, 96), Mode.cta(2560, 1080, 89),
        Mode.cta(2048, 1152, 0), Mode.cta(1920, 1080, 31), Mode.cta(3840, 2160, 97),
        Mode.xtra3(1920, 1200, 10, 0), Mode.xtra3(1600, 1200, 9, 2), Mode.xtra3(1680, 1050, 9, 5), Mode.xtra3(1440, 900, 8, 5),
        Mode.xtra3(1280, 1024, 7, 1), Mode.xtra3(1280, 960, 7, 3),
        Mode.xtra3(1920, 1440, 11, 5), Mode.xtra3(1856, 1392, 10, 3), Mode.xtra3(1792, 1344, 10, 5), Mode.xtra3(1440, 1050, 8, 1),
        Mode.xtra3(1360, 768, 8, 7), Mode.xtra3(1280, 768, 7, 6),
        Mode.established(1024, 768, 36, 3), Mode.established(800, 600, 35, 0), Mode.established(640, 480, 35, 5),
    };

    /** QEMU's default EDID: preferred mode 1280x800. */
    public static byte[] qemuDefault() {
        return generate(1280, 800);
    }

    static byte[] generate(int prefX, int prefY) {
        byte[] e = new byte[SIZE];
        byte[] header = {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0};
        System.arraycopy(header, 0, e, 0, 8);
        String vendor = "RHT";
        int vendorId = (vendor.charAt(0) - '@' & 0x1f) << 10 | (vendor.charAt(1) - '@' & 0x1f) << 5 | (vendor.charAt(2) - '@' & 0x1f);
        e[8] = (byte) (vendorId >> 8);
        e[9] = (byte) vendorId;
        e[10] = 0x34; // model 0x1234, little-endian; serial number 0
        e[11] = 0x12;
        e[16] = 42; // week 42 of 2014
        e[17] = 2014 - 1990;
        e[18] = 1; // EDID 1.4
        e[19] = 4;
        e[20] = (byte) 0xa5; // digital, 8 bits per colour, DisplayPort
        e[21] = (byte) (millimetres(prefX) / 10); // screen size in cm
        e[22] = (byte) (millimetres(prefY) / 10);
        e[23] = 120; // gamma 2.2
        e[24] = 0x06; // sRGB, preferred timing
        colourSpace(e);
        timingDescriptor(e, 54, prefX, prefY);
        descriptorType(e, 72, 0xf7); // additional standard timings 3, revision 10
        e[72 + 5] = 10;
        rangesDescriptor(e, 90);
        textDescriptor(e, 108, 0xfc, "QEMU Monitor");
        e[126] = 1; // one extension: the CTA block
        int cta = 128;
        e[cta] = 0x02;
        e[cta + 1] = 0x03;
        e[cta + 2] = 0x05; // where its detailed descriptors start, after the video data block
        e[cta + 4] = 0x40; // video data block, no VICs yet
        fillModes(e, 72, cta);
        for (int d = cta + (e[cta + 2] & 0xff); d + 18 <= cta + 127; d += 18) descriptorType(e, d, 0x10);
        checksum(e, 0);
        checksum(e, cta);
        return e;
    }

    private static int millimetres(int pixels) {
        return pixels * 254 / 10 / DPI;
    }

    private static void fillModes(byte[] e, int xtra3, int cta) {
        int std = 38;
        for (Mode m : MODES) {
            if (m.establishedByte != 0) {
                e[m.establishedByte] |= (byte) (1 << m.bit);
            } else if (std < 54 && standardTiming(e, std, m.xres, m.yres)) {
                std += 2;
            } else if (m.xtra3Byte != 0) {
                e[xtra3 + m.xtra3Byte] |= (byte) (1 << m.bit);
            }
            if (m.vic != 0) {
                int at = cta + (e[cta + 2] & 0xff);
                e[at] = (byte) m.vic;
                e[cta + 2]++;
                e[cta + 4]++;
            }
        }
        for (; std < 54; std += 2) {
            e[std] = 1;
            e[std + 1] = 1;
        }
    }

    /** A standard timing slot: (xres / 8 - 31), the aspect ratio in bits 7-6, 60 Hz; false when the mode cannot be written so. */
    private static boolean standardTiming(byte[] e, int at, int x, int y) {
        int aspect;
        if (x * 10 == y * 16) aspect = 0;
        else if (x * 3 == y * 4) aspect = 1;
        else if (x * 4 == y * 5) aspect = 2;
        else if (x * 9 == y * 16) aspect = 3;
        else return false;
        if (x / 8 - 31 > 255) return false;
        e[at] = (byte) (x / 8 - 31);
        e[at + 1] = (byte) (aspect << 6);
        return true;
    }

    /** The preferred mode's detailed timing, with QEMU's made-up porches and a 75 Hz pixel clock. */
    private static void timingDescriptor(byte[] e, int d, int x, int y) {
        int xmm = millimetres(x), ymm = millimetres(y);
        int xfront = x * 25 / 100, xsync = x * 3 / 100, xblank = x * 35 / 100;
        int yfront = y * 5 / 1000, ysync = y * 5 / 1000, yblank = y * 35 / 1000;
        long clock = 75L * (x + xblank) * (y + yblank) / 10000;
        e[d] = (byte) clock;
        e[d + 1] = (byte) (clock >> 8);
        e[d + 2] = (byte) x;
        e[d + 3] = (byte) xblank;
        e[d + 4] = (byte) ((x & 0xf00) >> 4 | (xblank & 0xf00) >> 8);
        e[d + 5] = (byte) y;
        e[d + 6] = (byte) yblank;
        e[d + 7] = (byte) ((y & 0xf00) >> 4 | (yblank & 0xf00) >> 8);
        e[d + 8] = (byte) xfront;
        e[d + 9] = (byte) xsync;
        e[d + 10] = (byte) ((yfront & 0xf) << 4 | ysync & 0xf);
        e[d + 11] = (byte) ((xfront & 0x300) >> 2 | (xsync & 0x300) >> 4 | (yfront & 0x30) >> 2 | (ysync & 0x30) >> 4);
        e[d + 12] = (byte) xmm;
        e[d + 13] = (byte) ymm;
        e[d + 14] = (byte) ((xmm & 0xf00) >> 4 | (ymm & 0xf00) >> 8);
        e[d + 17] = 0x18;
    }

    /** Range limits: 50-125 Hz vertical, 30-160 kHz horizontal, the largest pixel clock field, no extended timing formula. */
    private static void rangesDescriptor(byte[] e, int d) {
        descriptorType(e, d, 0xfd);
        e[d + 5] = 50;
        e[d + 6] = 125;
        e[d + 7] = 30;
        e[d + 8] = (byte) 160;
        e[d + 9] = (byte) 0xff;
        e[d + 10] = 0x01;
        e[d + 11] = '\n';
        for (int i = 12; i < 18; i++) e[d + i] = ' ';
    }

    private static void textDescriptor(byte[] e, int d, int type, String text) {
        descriptorType(e, d, type);
        for (int i = 5; i < 18; i++) e[d + i] = ' ';
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(12, t.length);
        System.arraycopy(t, 0, e, d + 5, n);
        e[d + 5 + n] = '\n';
    }

    private static void descriptorType(byte[] e, int d, int type) {
        e[d] = 0;
        e[d + 1] = 0;
        e[d + 2] = 0;
        e[d + 3] = (byte) type;
        e[d + 4] = 0;
    }

    /** sRGB's primaries and white point as 10-bit fractions (bytes 25-34). */
    private static void colourSpace(byte[] e) {
        int rx = tenBits(0.64), ry = tenBits(0.33), gx = tenBits(0.30), gy = tenBits(0.60);
        int bx = tenBits(0.15), by = tenBits(0.06), wx = tenBits(0.3127), wy = tenBits(0.3290);
        e[25] = (byte) ((rx & 3) << 6 | (ry & 3) << 4 | (gx & 3) << 2 | gy & 3);
        e[26] = (byte) ((bx & 3) << 6 | (by & 3) << 4 | (wx & 3) << 2 | wy & 3);
        int[] high = {rx, ry, gx, gy, bx, by, wx, wy};
        for (int i = 0; i < 8; i++) e[27 + i] = (byte) (high[i] >> 2);
    }

    /** As QEMU's edid_to_10bit on a float. */
    private static int tenBits(double v) {
        return (int) ((float) v * 1024 + 0.5f);
    }

    private static void checksum(byte[] e, int from) {
        int sum = 0;
        for (int i = from; i < from + 127; i++) sum += e[i] & 0xff;
        sum &= 0xff;
        e[from + 127] = (byte) (sum == 0 ? 0 : 0x100 - sum);
    }
}
