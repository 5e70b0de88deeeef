package org.jvirt.vmm.platform;

import org.jvirt.vmm.state.SectionInput;
import org.jvirt.vmm.state.SectionOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Section "platform", version 1: master and slave 8259 (16 u8 each, in {@link PicState} order);
 * IOAPIC (base u64, register select u32, id u32, irr u32, 24 redirection entries u64); PIT
 * (3 channels: count u32, latched count u16, then 10 u8 in {@link PitChannel} order, loaded-ago
 * ns u64; then hpetLegacy, speakerDataOn as u8 booleans); clock ns u64.
 */
public final class PlatformStateSection {
    private PlatformStateSection() { }

    public static final String ID = "platform";
    public static final int VERSION = 1;

    public static void write(SectionOutput out, PlatformState s) {
        for (PicState pic : new PicState[]{s.master(), s.slave()}) for (int f : pic.fields()) out.u8(f);
        IoApicState io = s.ioapic();
        out.u64(io.baseAddress()).u32(io.registerSelect()).u32(io.id()).u32(io.irr());
        for (long r : io.redirection()) out.u64(r);
        for (PitChannel c : s.pit().channels()) {
            out.u32(c.count()).u16(c.latchedCount()).u8(c.countLatched()).u8(c.statusLatched()).u8(c.status())
                    .u8(c.readState()).u8(c.writeState()).u8(c.writeLatch()).u8(c.rwMode()).u8(c.mode()).u8(c.bcd())
                    .u8(c.gate()).u64(c.loadedNanosAgo());
        }
        out.bool(s.pit().hpetLegacy()).bool(s.pit().speakerDataOn());
        out.u64(s.clockNanos());
    }

    public static PlatformState read(SectionInput in) {
        in.requireVersion(VERSION);
        PicState master = readPic(in), slave = readPic(in);
        long base = in.u64();
        int sel = in.u32(), id = in.u32(), irr = in.u32();
        long[] red = new long[IoApicState.PINS];
        for (int i = 0; i < red.length; i++) red[i] = in.u64();
        IoApicState io = new IoApicState(base, sel, id, irr, red);
        List<PitChannel> channels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int at = in.position();
            int count = in.u32();
            if (count < 0 || count > 0x10000) throw in.error(at, "PIT channel " + i + " count " + Integer.toUnsignedLong(count) + " is above 65536");
            channels.add(new PitChannel(count, in.u16(), in.u8(), in.u8(), in.u8(), in.u8(), in.u8(), in.u8(), in.u8(),
                    in.u8(), in.u8(), in.u8(), in.u64()));
        }
        PitState pit = new PitState(channels, in.bool(), in.bool());
        long clock = in.u64();
        in.expectEnd();
        return new PlatformState(master, slave, io, pit, clock);
    }

    private static PicState readPic(SectionInput in) {
        int[] f = new int[16];
        for (int i = 0; i < f.length; i++) f[i] = in.u8();
        return PicState.of(f);
    }
}
