package org.jvirt.vmm.devices.display;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The VGA register file behind ports 0x3b0-0x3df: sequencer (0x3c4/5), graphics controller
 * (0x3ce/f), attribute controller (0x3c0/1, index/data flip-flop reset by reading input
 * status 1), CRTC (0x3b4/5 or 0x3d4/5 as the misc output's colour bit selects), DAC
 * (0x3c7-0x3c9, 6-bit components), misc output (0x3c2 write, 0x3cc read), feature control
 * and input status. Writable bits and side effects follow QEMU's vga_ioport_write; every index
 * is masked to its array before use. Callers synchronize (the owning {@link StdVga}).
 */
final class VgaRegisters {
    static final int SEQ_CLOCK_MODE = 1, SEQ_PLANE_WRITE = 2, SEQ_CHARACTER_MAP = 3, SEQ_MEMORY_MODE = 4;
    static final int GFX_SR_VALUE = 0, GFX_SR_ENABLE = 1, GFX_COMPARE_VALUE = 2, GFX_DATA_ROTATE = 3, GFX_PLANE_READ = 4,
            GFX_MODE = 5, GFX_MISC = 6, GFX_COMPARE_MASK = 7, GFX_BIT_MASK = 8;
    static final int ATC_MODE = 0x10, ATC_OVERSCAN = 0x11, ATC_PLANE_ENABLE = 0x12, ATC_PEL = 0x13, ATC_COLOR_PAGE = 0x14;
    static final int CRTC_H_DISP = 0x01, CRTC_OVERFLOW = 0x07, CRTC_MAX_SCAN = 0x09, CRTC_CURSOR_START = 0x0a, CRTC_CURSOR_END = 0x0b,
            CRTC_START_HI = 0x0c, CRTC_START_LO = 0x0d, CRTC_CURSOR_HI = 0x0e, CRTC_CURSOR_LO = 0x0f, CRTC_V_SYNC_END = 0x11,
            CRTC_V_DISP_END = 0x12, CRTC_OFFSET = 0x13, CRTC_V_TOTAL = 0x06, CRTC_MODE = 0x17, CRTC_LINE_COMPARE = 0x18;
    static final int SR04_CHAIN4 = 0x08, SR02_ALL_PLANES = 0x0f, GR06_GRAPHICS = 0x01, MISC_COLOR = 0x01;
    static final int ATTRIBUTES = 0x15;

    /** Writable bits of SR0-7 and GR0-15 (QEMU's sr_mask, gr_mask). */
    private static final int[] SR_MASK = {0x03, 0x3d, 0x0f, 0x3f, 0x0e, 0x00, 0x00, 0xff};
    private static final int[] GR_MASK = {0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f, 0xff, 0, 0, 0, 0, 0, 0, 0};

    final int[] sr = new int[8], gr = new int[16], ar = new int[0x20], cr = new int[256];
    final byte[] palette = new byte[768];
    int srIndex, grIndex, arIndex, crIndex;
    boolean arFlipFlop;
    int msr, fcr, st00, st01;
    int dacState, dacSubIndex, dacReadIndex, dacWriteIndex;
    final int[] dacCache = new int[3];
    boolean dac8bit;
    /** The four planes' bytes of the last latched read. */
    int latch;

    void reset() {
        java.util.Arrays.fill(sr, 0);
        java.util.Arrays.fill(gr, 0);
        java.util.Arrays.fill(ar, 0);
        java.util.Arrays.fill(cr, 0);
        java.util.Arrays.fill(palette, (byte) 0);
        java.util.Arrays.fill(dacCache, 0);
        srIndex = grIndex = arIndex = crIndex = 0;
        arFlipFlop = false;
        msr = fcr = st00 = st01 = 0;
        dacState = dacSubIndex = dacReadIndex = dacWriteIndex = 0;
        dac8bit = false;
        latch = 0;
    }

    /** Ports of the other colour mode (mono 0x3b0-0x3bf while colour, colour 0x3d0-0x3df while mono) are not decoded. */
    private boolean undecoded(int port) {
        return (msr & MISC_COLOR) != 0 ? port >= 0x3b0 && port <= 0x3bf : port >= 0x3d0 && port <= 0x3df;
    }

    int read(int port) {
        if (undecoded(port)) return 0xff;
        switch (port) {
            case 0x3c0: return arFlipFlop ? 0 : arIndex;
            case 0x3c1: {
                int i = arIndex & 0x1f;
                return i < ATTRIBUTES ? ar[i] : 0;
            }
            case 0x3c2: return st00;
            case 0x3c4: return srIndex;
            case 0x3c5: return sr[srIndex & 7];
            case 0x3c7: return dacState;
            case 0x3c8: return dacWriteIndex;
            case 0x3c9: {
                int v = palette[(dacReadIndex & 0xff) * 3 + dacSubIndex] & 0xff;
                if (++dacSubIndex == 3) {
                    dacSubIndex = 0;
                    dacReadIndex = (dacReadIndex + 1) & 0xff;
                }
                return v;
            }
            case 0x3ca: return fcr;
            case 0x3cc: return msr;
            case 0x3ce: return grIndex;
            case 0x3cf: return gr[grIndex & 0x0f];
            case 0x3b4: case 0x3d4: return crIndex;
            case 0x3b5: case 0x3d5: return cr[crIndex & 0xff];
            case 0x3ba: case 0x3da:
                st01 ^= 0x09; // vertical retrace and display-enable toggle: pollers see both states
                arFlipFlop = false;
                return st01;
            default: return 0;
        }
    }

    void write(int port, int val) {
        val &= 0xff;
        if (undecoded(port)) return;
        switch (port) {
            case 0x3c0 -> {
                if (!arFlipFlop) {
                    arIndex = val & 0x3f;
                } else {
                    int i = arIndex & 0x1f;
                    if (i <= 0x0f) ar[i] = val & 0x3f;
                    else if (i == ATC_MODE) ar[i] = val & ~0x10;
                    else if (i == ATC_OVERSCAN) ar[i] = val;
                    else if (i == ATC_PLANE_ENABLE) ar[i] = val & ~0xc0;
                    else if (i == ATC_PEL || i == ATC_COLOR_PAGE) ar[i] = val & ~0xf0;
                }
                arFlipFlop = !arFlipFlop;
            }
            case 0x3c2 -> msr = val & ~0x10;
            case 0x3c4 -> srIndex = val & 7;
            case 0x3c5 -> sr[srIndex] = val & SR_MASK[srIndex];
            case 0x3c7 -> {
                dacReadIndex = val;
                dacSubIndex = 0;
                dacState = 3;
            }
            case 0x3c8 -> {
                dacWriteIndex = val;
                dacSubIndex = 0;
                dacState = 0;
            }
            case 0x3c9 -> {
                dacCache[dacSubIndex] = val;
                if (++dacSubIndex == 3) {
                    int at = (dacWriteIndex & 0xff) * 3;
                    for (int i = 0; i < 3; i++) palette[at + i] = (byte) dacCache[i];
                    dacSubIndex = 0;
                    dacWriteIndex = (dacWriteIndex + 1) & 0xff;
                }
            }
            case 0x3ce -> grIndex = val & 0x0f;
            case 0x3cf -> gr[grIndex] = val & GR_MASK[grIndex];
            case 0x3b4, 0x3d4 -> crIndex = val;
            case 0x3b5, 0x3d5 -> writeCrtc(val);
            case 0x3ba, 0x3da -> fcr = val & 0x10;
            default -> { }
        }
    }

    /** CR0-7 are write-protected while CR11 bit 7 is set, but for CR7 bit 4 (line compare bit 8). */
    private void writeCrtc(int val) {
        int i = crIndex & 0xff;
        if ((cr[CRTC_V_SYNC_END] & 0x80) != 0 && i <= CRTC_OVERFLOW) {
            if (i == CRTC_OVERFLOW) cr[i] = (cr[i] & ~0x10) | (val & 0x10);
            return;
        }
        cr[i] = val;
    }

    /** Whether the attribute controller lets the picture through (the PAS bit of its index): clear, the screen is blank. */
    boolean displayEnabled() { return (arIndex & 0x20) != 0; }

    void save(DataOutput out) throws IOException {
        for (int[] a : new int[][] {sr, gr, ar, cr}) for (int v : a) out.writeByte(v);
        out.write(palette);
        out.writeByte(srIndex); out.writeByte(grIndex); out.writeByte(arIndex); out.writeByte(crIndex);
        out.writeBoolean(arFlipFlop);
        out.writeByte(msr); out.writeByte(fcr); out.writeByte(st00); out.writeByte(st01);
        out.writeByte(dacState); out.writeByte(dacSubIndex); out.writeByte(dacReadIndex); out.writeByte(dacWriteIndex);
        for (int v : dacCache) out.writeByte(v);
        out.writeBoolean(dac8bit);
        out.writeInt(latch);
    }

    /** Loads what {@link #save} wrote, each value masked to the range the registers keep. */
    void load(DataInput in) throws IOException {
        for (int i = 0; i < sr.length; i++) sr[i] = in.readUnsignedByte() & SR_MASK[i];
        for (int i = 0; i < gr.length; i++) gr[i] = in.readUnsignedByte() & GR_MASK[i];
        for (int i = 0; i < ar.length; i++) ar[i] = in.readUnsignedByte();
        for (int i = 0; i < cr.length; i++) cr[i] = in.readUnsignedByte();
        in.readFully(palette);
        srIndex = in.readUnsignedByte() & 7;
        grIndex = in.readUnsignedByte() & 0x0f;
        arIndex = in.readUnsignedByte() & 0x3f;
        crIndex = in.readUnsignedByte();
        arFlipFlop = in.readBoolean();
        msr = in.readUnsignedByte(); fcr = in.readUnsignedByte(); st00 = in.readUnsignedByte(); st01 = in.readUnsignedByte();
        dacState = in.readUnsignedByte();
        dacSubIndex = in.readUnsignedByte() % 3;
        dacReadIndex = in.readUnsignedByte(); dacWriteIndex = in.readUnsignedByte();
        for (int i = 0; i < 3; i++) dacCache[i] = in.readUnsignedByte();
        dac8bit = in.readBoolean();
        latch = in.readInt();
    }
}
