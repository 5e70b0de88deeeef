package org.jvirt.vmm.kvm;

/** struct kvm_regs: the general-purpose registers, RIP and RFLAGS. */
public final class KvmRegs extends StructView {
    public static final int SIZE = 144;
    public static final int RAX = 0, RBX = 8, RCX = 16, RDX = 24, RSI = 32, RDI = 40, RSP = 48, RBP = 56,
            R8 = 64, R9 = 72, R10 = 80, R11 = 88, R12 = 96, R13 = 104, R14 = 112, R15 = 120,
            RIP = 128, RFLAGS = 136;

    public KvmRegs(NativeBuffer memory, int base) { super(memory, base); }

    public static KvmRegs allocate() { return new KvmRegs(NativeBuffer.allocate(SIZE), 0); }

    @Override public int size() { return SIZE; }

    public long get(int reg) { return u64(reg); }
    public void set(int reg, long value) { u64(reg, value); }
    public long rip() { return u64(RIP); }
    public void rip(long v) { u64(RIP, v); }
    public long rflags() { return u64(RFLAGS); }
    public void rflags(long v) { u64(RFLAGS, v); }
}
