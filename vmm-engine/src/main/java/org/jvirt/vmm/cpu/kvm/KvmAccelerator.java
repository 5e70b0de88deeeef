package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.cpu.Accelerator;
import org.jvirt.vmm.cpu.CpuidEntry;
import org.jvirt.vmm.cpu.CpuidTopology;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.irq.InterruptLine;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.kvm.KickSignal;
import org.jvirt.vmm.kvm.Kvm;
import org.jvirt.vmm.kvm.KvmCpuid;
import org.jvirt.vmm.kvm.KvmException;
import org.jvirt.vmm.kvm.KvmIoctls;
import org.jvirt.vmm.kvm.KvmLayout;
import org.jvirt.vmm.kvm.VmFd;
import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.platform.Platform;

import java.util.ArrayList;
import java.util.List;

/**
 * A KVM VM with the in-kernel irqchip (PIC pair, IOAPIC, LAPICs) and PIT, as a PC needs:
 * memory slots for guest RAM, interrupt lines through KVM_IRQ_LINE, MSIs through
 * KVM_SIGNAL_MSI, and vCPUs with a consistent CPUID topology.
 */
public final class KvmAccelerator implements Accelerator {
    /** Three pages for the VMX real-mode TSS and one for the identity map, in the MMIO hole (not RAM). */
    static final long TSS_ADDRESS = 0xfffb_d000L, IDENTITY_MAP_ADDRESS = 0xfffb_c000L;

    private final Kvm kvm;
    private final VmFd vm;
    private final List<CpuidEntry> supportedCpuid;
    private final int kickSignal;
    private final boolean syncRegs, hasXcrs;
    private final int xsaveSize;
    private final int[] msrIndexList;
    private final KvmPlatform platform;
    private KvmDirtyLog dirtyLog;

    private KvmAccelerator(Kvm kvm, VmFd vm) {
        this.kvm = kvm;
        this.vm = vm;
        for (int cap : new int[]{KvmIoctls.CAP_IRQCHIP, KvmIoctls.CAP_USER_MEMORY, KvmIoctls.CAP_PIT2,
                KvmIoctls.CAP_IMMEDIATE_EXIT, KvmIoctls.CAP_MP_STATE, KvmIoctls.CAP_EXT_CPUID}) {
            if (kvm.checkExtension(cap) <= 0) throw new KvmException("this KVM lacks required capability " + cap);
        }
        syncRegs = (kvm.checkExtension(KvmIoctls.CAP_SYNC_REGS) & 1) != 0;
        hasXcrs = kvm.checkExtension(KvmIoctls.CAP_XCRS) > 0;
        // 0 = no KVM_GET_XSAVE, so no state export; KVM_CAP_XSAVE2 gives the size when above 4 KiB
        xsaveSize = kvm.checkExtension(KvmIoctls.CAP_XSAVE) <= 0 ? 0
                : Math.max(KvmLayout.XSAVE_SIZE, kvm.checkExtension(KvmIoctls.CAP_XSAVE2));
        msrIndexList = kvm.msrIndexList();
        KvmCpuid c = kvm.supportedCpuid();
        List<CpuidEntry> entries = new ArrayList<>();
        for (int i = 0; i < c.count(); i++) {
            entries.add(new CpuidEntry(c.get(i, KvmCpuid.FUNCTION), c.get(i, KvmCpuid.INDEX), c.get(i, KvmCpuid.FLAGS),
                    c.get(i, KvmCpuid.EAX), c.get(i, KvmCpuid.EBX), c.get(i, KvmCpuid.ECX), c.get(i, KvmCpuid.EDX)));
        }
        supportedCpuid = List.copyOf(entries);
        kickSignal = KickSignal.install();

        vm.setIdentityMapAddr(IDENTITY_MAP_ADDRESS); // before any vCPU exists
        vm.setTssAddr(TSS_ADDRESS);
        vm.createIrqchip();
        vm.createPit2(KvmLayout.PIT_SPEAKER_DUMMY);
        platform = new KvmPlatform(vm);
    }

    /** Opens /dev/kvm and creates a VM; throws KvmException with the reason when KVM is unusable. */
    public static KvmAccelerator create() {
        Kvm kvm = Kvm.open();
        VmFd vm = null;
        try {
            vm = kvm.createVm();
            return new KvmAccelerator(kvm, vm);
        } catch (RuntimeException e) {
            if (vm != null) vm.close();
            kvm.close();
            throw e;
        }
    }

    public Kvm kvm() { return kvm; }
    public VmFd vm() { return vm; }
    public List<CpuidEntry> supportedCpuid() { return supportedCpuid; }

    @Override
    public void attachMemory(MmapGuestMemory memory) {
        int slot = 0;
        for (MmapGuestMemory.Region r : memory.regions()) {
            vm.setUserMemoryRegion(slot++, 0, r.start(), r.size(), r.hostAddress());
        }
        dirtyLog = new KvmDirtyLog(vm, memory.regions());
    }

    /** KVM's read-only memory slots (firmware ROM), above any RAM slot. */
    private static final int FIRST_ROM_SLOT = 32;
    private final List<org.jvirt.vmm.memory.MmapRegion> roms = new ArrayList<>();

    @Override
    public synchronized void mapReadOnly(long gpa, byte[] image) {
        if (kvm.checkExtension(KvmIoctls.CAP_READONLY_MEM) <= 0) throw new KvmException("this KVM cannot map read-only memory (firmware ROM)");
        org.jvirt.vmm.memory.MmapRegion r = org.jvirt.vmm.memory.MmapRegion.anonymous(image.length);
        java.nio.ByteBuffer into = r.chunkViews()[0].duplicate();
        into.clear();
        into.put(image);
        vm.setUserMemoryRegion(FIRST_ROM_SLOT + roms.size(), KvmLayout.MEM_READONLY, gpa, image.length, r.hostAddress());
        roms.add(r);
    }

    @Override
    public DirtyLog dirtyLog() {
        if (dirtyLog == null) throw new IllegalStateException("no guest RAM attached");
        return dirtyLog;
    }

    @Override
    public long processorId() {
        for (CpuidEntry e : supportedCpuid) {
            if (e.is(1, 0)) return (e.eax() & 0xffff_ffffL) | (long) (e.edx() & ~(1 << 28)) << 32; // HTT: per VM, as QEMU leaves it out
        }
        return 0;
    }

    @Override
    public Vcpu createVcpu(int index, int vcpuCount, IoBus pio, IoBus mmio) {
        int max = kvm.checkExtension(KvmIoctls.CAP_MAX_VCPUS);
        if (max > 0 && vcpuCount > max) throw new KvmException("this KVM supports at most " + max + " vCPUs per VM");
        List<CpuidEntry> cpuid = CpuidTopology.forVcpu(supportedCpuid, index, vcpuCount);
        var fd = vm.createVcpu(index);
        try {
            return new KvmVcpu(fd, index, cpuid, pio, mmio, kickSignal, syncRegs, hasXcrs, msrIndexList, xsaveSize);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    @Override
    public InterruptLine interruptLine(int gsi) {
        return high -> vm.irqLine(gsi, high);
    }

    @Override
    public MsiSink msiSink() {
        return vm::signalMsi;
    }

    @Override
    public org.jvirt.vmm.ioevent.IoEvents ioEvents() {
        return kvm.checkExtension(KvmIoctls.CAP_IOEVENTFD) > 0 ? new KvmIoEvents(vm) : null;
    }

    @Override
    public Platform platform() { return platform; }

    @Override
    public void close() {
        vm.close();
        kvm.close();
        for (org.jvirt.vmm.memory.MmapRegion r : roms) r.close(); // after the VM that mapped them is gone
    }
}
