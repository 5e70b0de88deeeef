package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.kvm.KvmLayout;
import org.jvirt.vmm.kvm.RawStruct;
import org.jvirt.vmm.kvm.VmFd;
import org.jvirt.vmm.platform.IoApicState;
import org.jvirt.vmm.platform.PicState;
import org.jvirt.vmm.platform.PitChannel;
import org.jvirt.vmm.platform.PitState;
import org.jvirt.vmm.platform.Platform;
import org.jvirt.vmm.platform.PlatformState;

import java.util.ArrayList;
import java.util.List;

import static org.jvirt.vmm.kvm.KvmLayout.*;

/**
 * KVM's in-kernel PIC pair, IOAPIC and PIT (KVM_GET/SET_IRQCHIP, KVM_GET/SET_PIT2) and kvmclock
 * (KVM_GET/SET_CLOCK), converted to and from {@link PlatformState}. A PIT count's load time is
 * host CLOCK_MONOTONIC in KVM (ktime_get, the clock System.nanoTime reads on Linux); the state
 * keeps its age instead, and KVM_SET_PIT2 restarts each channel from the moment of the import.
 */
final class KvmPlatform implements Platform {
    private final VmFd vm;
    private final RawStruct[] powerOnIrqchips = new RawStruct[3];
    private final RawStruct powerOnPit = new RawStruct(PIT_STATE2_SIZE);

    KvmPlatform(VmFd vm) {
        this.vm = vm;
        for (int chip = 0; chip < 3; chip++) {
            powerOnIrqchips[chip] = new RawStruct(IRQCHIP_SIZE);
            vm.getIrqchip(chip, powerOnIrqchips[chip]);
        }
        vm.getPit2(powerOnPit);
    }

    @Override
    public void reset() {
        for (RawStruct chip : powerOnIrqchips) vm.setIrqchip(chip);
        vm.setPit2(powerOnPit);
    }

    @Override
    public PlatformState exportState() {
        PicState master = readPic(IRQCHIP_PIC_MASTER), slave = readPic(IRQCHIP_PIC_SLAVE);
        RawStruct chip = new RawStruct(IRQCHIP_SIZE);
        vm.getIrqchip(IRQCHIP_IOAPIC, chip);
        int io = IRQCHIP_CHIP;
        long[] red = new long[IOAPIC_NUM_PINS];
        for (int i = 0; i < red.length; i++) red[i] = chip.u64(io + IOAPIC_REDIRTBL + 8 * i);
        IoApicState ioapic = new IoApicState(chip.u64(io + IOAPIC_BASE_ADDRESS), chip.u32(io + IOAPIC_IOREGSEL),
                chip.u32(io + IOAPIC_ID), chip.u32(io + IOAPIC_IRR), red);

        RawStruct p = new RawStruct(PIT_STATE2_SIZE);
        vm.getPit2(p);
        long now = System.nanoTime();
        List<PitChannel> channels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int c = i * PIT_CHANNEL_SIZE;
            channels.add(new PitChannel(p.u32(c + PIT_COUNT), p.u16(c + PIT_LATCHED_COUNT), p.u8(c + PIT_COUNT_LATCHED),
                    p.u8(c + PIT_STATUS_LATCHED), p.u8(c + PIT_STATUS), p.u8(c + PIT_READ_STATE), p.u8(c + PIT_WRITE_STATE),
                    p.u8(c + PIT_WRITE_LATCH), p.u8(c + PIT_RW_MODE), p.u8(c + PIT_MODE), p.u8(c + PIT_BCD), p.u8(c + PIT_GATE),
                    Math.max(0, now - p.u64(c + PIT_COUNT_LOAD_TIME))));
        }
        int flags = p.u32(PIT_STATE2_FLAGS);
        PitState pit = new PitState(channels, (flags & PIT_FLAGS_HPET_LEGACY) != 0, (flags & PIT_FLAGS_SPEAKER_DATA_ON) != 0);
        return new PlatformState(master, slave, ioapic, pit, vm.getClock());
    }

    private PicState readPic(int chipId) {
        RawStruct chip = new RawStruct(IRQCHIP_SIZE);
        vm.getIrqchip(chipId, chip);
        int[] f = new int[PIC_STATE_SIZE];
        for (int i = 0; i < f.length; i++) f[i] = chip.u8(IRQCHIP_CHIP + i);
        return PicState.of(f);
    }

    @Override
    public void importState(PlatformState s) {
        writePic(IRQCHIP_PIC_MASTER, s.master());
        writePic(IRQCHIP_PIC_SLAVE, s.slave());
        RawStruct chip = new RawStruct(IRQCHIP_SIZE);
        chip.u32(IRQCHIP_CHIP_ID, IRQCHIP_IOAPIC);
        int io = IRQCHIP_CHIP;
        IoApicState a = s.ioapic();
        chip.u64(io + IOAPIC_BASE_ADDRESS, a.baseAddress());
        chip.u32(io + IOAPIC_IOREGSEL, a.registerSelect());
        chip.u32(io + IOAPIC_ID, a.id());
        chip.u32(io + IOAPIC_IRR, a.irr());
        long[] red = a.redirection();
        for (int i = 0; i < red.length; i++) chip.u64(io + IOAPIC_REDIRTBL + 8 * i, red[i]);
        vm.setIrqchip(chip);

        RawStruct p = new RawStruct(PIT_STATE2_SIZE);
        long now = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            PitChannel ch = s.pit().channels().get(i);
            int c = i * PIT_CHANNEL_SIZE;
            p.u32(c + PIT_COUNT, ch.count());
            p.u16(c + PIT_LATCHED_COUNT, ch.latchedCount());
            p.u8(c + PIT_COUNT_LATCHED, ch.countLatched());
            p.u8(c + PIT_STATUS_LATCHED, ch.statusLatched());
            p.u8(c + PIT_STATUS, ch.status());
            p.u8(c + PIT_READ_STATE, ch.readState());
            p.u8(c + PIT_WRITE_STATE, ch.writeState());
            p.u8(c + PIT_WRITE_LATCH, ch.writeLatch());
            p.u8(c + PIT_RW_MODE, ch.rwMode());
            p.u8(c + PIT_MODE, ch.mode());
            p.u8(c + PIT_BCD, ch.bcd());
            p.u8(c + PIT_GATE, ch.gate());
            p.u64(c + PIT_COUNT_LOAD_TIME, now - ch.loadedNanosAgo());
        }
        p.u32(PIT_STATE2_FLAGS, (s.pit().hpetLegacy() ? PIT_FLAGS_HPET_LEGACY : 0)
                | (s.pit().speakerDataOn() ? PIT_FLAGS_SPEAKER_DATA_ON : 0));
        vm.setPit2(p);
        vm.setClock(s.clockNanos());
    }

    private void writePic(int chipId, PicState pic) {
        RawStruct chip = new RawStruct(IRQCHIP_SIZE);
        chip.u32(IRQCHIP_CHIP_ID, chipId);
        int[] f = pic.fields();
        for (int i = 0; i < f.length; i++) chip.u8(IRQCHIP_CHIP + i, f[i]);
        vm.setIrqchip(chip);
    }
}
