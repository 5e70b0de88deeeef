package org.jvirt.vmm.kvm;

import java.nio.file.Files;
import java.nio.file.Path;

/** The KVM system file descriptor (/dev/kvm): capabilities, supported CPUID, and VM creation. */
public final class Kvm extends Fd {
    public static final String DEVICE = "/dev/kvm";
    public static final int API_VERSION = 12;
    private static final int MAX_CPUID_ENTRIES = 256;

    private Kvm(int fd) { super(fd); }

    /**
     * True when /dev/kvm exists, this process may open it, and it answers KVM's API version:
     * a device node that is there but unusable (no KVM module behind it, a stand-in file)
     * counts as absent, so that KVM tests skip instead of failing.
     */
    public static boolean isPresent() {
        Path p = Path.of(DEVICE);
        if (!Files.exists(p) || !Files.isReadable(p) || !Files.isWritable(p)) return false;
        int fd = LibC.open(DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) return false;
        Kvm kvm = new Kvm(fd);
        try {
            return kvm.apiVersion() == API_VERSION;
        } catch (KvmException e) {
            return false;
        } finally {
            kvm.close();
        }
    }

    /** Opens /dev/kvm and checks the API version. */
    public static Kvm open() {
        int fd = LibC.open(DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) throw new KvmException("open(" + DEVICE + ")", LibC.errno());
        Kvm kvm = new Kvm(fd);
        int v = kvm.apiVersion();
        if (v != API_VERSION) {
            kvm.close();
            throw new KvmException("KVM API version " + v + " is not the supported " + API_VERSION);
        }
        return kvm;
    }

    public int apiVersion() { return ioctl(KvmIoctls.KVM_GET_API_VERSION, 0); }

    /** KVM_CHECK_EXTENSION: 0 when unsupported, else a capability-specific positive value. */
    public int checkExtension(int capability) { return ioctl(KvmIoctls.KVM_CHECK_EXTENSION, capability); }

    public int vcpuMmapSize() { return ioctl(KvmIoctls.KVM_GET_VCPU_MMAP_SIZE, 0); }

    /** KVM_GET_SUPPORTED_CPUID; the result's count() is the number of valid entries. */
    public KvmCpuid supportedCpuid() {
        KvmCpuid cpuid = new KvmCpuid(MAX_CPUID_ENTRIES);
        ioctl(KvmIoctls.KVM_GET_SUPPORTED_CPUID, cpuid);
        return cpuid;
    }

    /** KVM_GET_MSR_INDEX_LIST: the MSRs KVM saves and restores. */
    public int[] msrIndexList() {
        int cap = 1024;
        try (NativeBuffer b = NativeBuffer.allocate(KvmLayout.MSR_LIST_HEADER + 4 * cap)) {
            b.buffer().putInt(0, cap);
            ioctl(KvmIoctls.KVM_GET_MSR_INDEX_LIST, b.address());
            int n = b.buffer().getInt(0);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = b.buffer().getInt(4 + 4 * i);
            return out;
        }
    }

    public VmFd createVm() {
        int vmfd = ioctl(KvmIoctls.KVM_CREATE_VM, 0);
        return new VmFd(vmfd, vcpuMmapSize());
    }
}
