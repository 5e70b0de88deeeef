package org.jvirt.vmm.kvm;

import org.jvirt.vmm.testing.RequiresKvm;

import org.jvirt.vmm.memory.MmapRegion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The raw bindings against the real /dev/kvm: capabilities, state round trips, errno reporting. */
@RequiresKvm
class KvmBindingsTest {

    @Test
    void systemQueries() {
        try (Kvm kvm = Kvm.open()) {
            assertEquals(12, kvm.apiVersion());
            assertTrue(kvm.vcpuMmapSize() >= KvmRun.SIZE);
            assertTrue(kvm.checkExtension(KvmIoctls.CAP_IRQCHIP) > 0);
            KvmCpuid c = kvm.supportedCpuid();
            assertTrue(c.count() > 0 && c.count() <= c.capacity());
            assertEquals(0, c.get(0, KvmCpuid.FUNCTION), "leaf 0 comes first");
            assertTrue(kvm.msrIndexList().length > 0);
        }
    }

    @Test
    void vcpuStateRoundTripsAndFailuresNameIoctlAndErrno() {
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm(); MmapRegion ram = MmapRegion.anonymous(1 << 20)) {
            vm.setUserMemoryRegion(0, 0, 0, ram.size(), ram.hostAddress());
            KvmException e = assertThrows(KvmException.class,
                    () -> vm.setUserMemoryRegion(1, 0, 0x100000, 4096, ram.hostAddress() + 1)); // unaligned host address
            assertEquals("KVM_SET_USER_MEMORY_REGION", e.call());
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("EINVAL (Invalid argument)"), e.getMessage());

            vm.createIrqchip();
            try (VcpuFd vcpu = vm.createVcpu(0)) {
                KvmRegs regs = KvmRegs.allocate();
                vcpu.getRegs(regs);
                regs.set(KvmRegs.RAX, 0x1234_5678_9abcL);
                regs.rip(0x1000);
                vcpu.setRegs(regs);
                KvmRegs back = KvmRegs.allocate();
                vcpu.getRegs(back);
                assertEquals(0x1234_5678_9abcL, back.get(KvmRegs.RAX));
                assertEquals(0x1000, back.rip());

                KvmSregs s = KvmSregs.allocate();
                vcpu.getSregs(s);
                assertEquals(0xf000, s.cs().selector(), "reset CS");
                assertEquals(0xfee00000L, s.apicBase() & ~0xfffL, "APIC at 0xfee00000");

                vcpu.setMpState(KvmLayout.MP_STATE_UNINITIALIZED);
                assertEquals(KvmLayout.MP_STATE_UNINITIALIZED, vcpu.getMpState());

                KvmMsrs m = new KvmMsrs(1);
                m.set(0, 0xc0000082, 0xffffffff81000000L); // LSTAR
                m.count(1);
                vcpu.setMsrs(m);
                m.set(0, 0xc0000082, 0);
                assertEquals(1, vcpu.getMsrs(m));
                assertEquals(0xffffffff81000000L, m.data(0));

                KvmLapic l = KvmLapic.allocate();
                vcpu.getLapic(l);
                l.setDeliveryMode(KvmLapic.LVT_LINT0, KvmLapic.DELIVERY_EXTINT);
                vcpu.setLapic(l);
                KvmLapic l2 = KvmLapic.allocate();
                vcpu.getLapic(l2);
                assertEquals(KvmLapic.DELIVERY_EXTINT, (l2.reg(KvmLapic.LVT_LINT0) >> 8) & 7);
            }
        }
    }
}
