package org.jvirt.vmm.kvm;

import org.jvirt.vmm.testing.RequiresKvm;

import org.jvirt.vmm.memory.MmapRegion;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.*;

/** VM-level bindings against the real /dev/kvm: dirty log, ioeventfd, irqfd, irqchip/PIT/clock state. */
@RequiresKvm
class KvmVmBindingsTest {

    @Test
    void dirtyLogReportsGuestWrittenPagesAndIoeventfdSignalsWithoutAnExit() {
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm(); MmapRegion ram = MmapRegion.anonymous(16 * 4096);
             NativeBuffer bitmap = NativeBuffer.allocate(8); NativeBuffer counter = NativeBuffer.allocate(8)) {
            vm.setTssAddr(0xfffbd000L);
            vm.setUserMemoryRegion(0, KvmLayout.MEM_LOG_DIRTY_PAGES, 0, ram.size(), ram.hostAddress());
            int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            assertTrue(efd >= 0);
            try {
                vm.ioeventfd(0x10, 1, true, null, efd, false);
                // real mode at 0x1000: mov byte [0x3000], 1; mov al, 7; out 0x10, al; hlt
                byte[] code = {(byte) 0xC6, 0x06, 0x00, 0x30, 0x01, (byte) 0xB0, 0x07, (byte) 0xE6, 0x10, (byte) 0xF4};
                ByteBuffer mem = new com.sun.jna.Pointer(ram.hostAddress()).getByteBuffer(0, ram.size());
                mem.position(0x1000);
                mem.put(code);
                vm.getDirtyLog(0, bitmap); // discard: nothing the guest did yet
                try (VcpuFd vcpu = vm.createVcpu(0)) {
                    KvmSregs s = KvmSregs.allocate();
                    vcpu.getSregs(s);
                    s.cs().set(0, 0xffff, 0, 0xb, 1, 0, 0, 1, 0, 0);
                    vcpu.setSregs(s);
                    KvmRegs r = KvmRegs.allocate();
                    r.rip(0x1000);
                    r.rflags(2);
                    vcpu.setRegs(r);
                    assertTrue(vcpu.run());
                    assertEquals(KvmRun.EXIT_HLT, vcpu.kvmRun().exitReason(), "the OUT to 0x10 must not exit");
                }
                vm.getDirtyLog(0, bitmap);
                assertEquals(1L << 3, bitmap.buffer().getLong(0), "only page 3 was written by the guest");
                assertEquals(8, LibC.read(efd, counter.address(), 8));
                assertEquals(1, counter.buffer().getLong(0), "ioeventfd signalled once");
                vm.ioeventfd(0x10, 1, true, null, efd, true);
            } finally {
                LibC.close(efd);
            }
        }
    }

    @Test
    void irqchipPitClockStateRoundTripsAndIrqfdBinds() {
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm()) {
            vm.createIrqchip();
            vm.createPit2(KvmLayout.PIT_SPEAKER_DUMMY);
            RawStruct ioapic = new RawStruct(KvmLayout.IRQCHIP_SIZE);
            vm.getIrqchip(KvmLayout.IRQCHIP_IOAPIC, ioapic);
            assertEquals(KvmLayout.IRQCHIP_IOAPIC, ioapic.u32(KvmLayout.IRQCHIP_CHIP_ID));
            assertEquals(0xfec00000L, ioapic.u64(KvmLayout.IRQCHIP_CHIP), "IOAPIC base address");
            vm.setIrqchip(ioapic);
            RawStruct pit = new RawStruct(KvmLayout.PIT_STATE2_SIZE);
            vm.getPit2(pit);
            vm.setPit2(pit);
            vm.setClock(123_000_000_000L);
            long c = vm.getClock();
            assertTrue(c >= 123_000_000_000L && c < 133_000_000_000L, "clock " + c);
            vm.irqLine(4, true);
            vm.irqLine(4, false);
            int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
            try {
                vm.irqfd(efd, 5, false);
                vm.irqfd(efd, 5, true);
            } finally {
                LibC.close(efd);
            }
            KvmException e = assertThrows(KvmException.class, vm::createIrqchip);
            assertEquals("KVM_CREATE_IRQCHIP", e.call());
        }
    }
}
