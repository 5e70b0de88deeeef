package org.jvirt.vmm.kvm;

/**
 * The vCPU's mmap'ed struct kvm_run, read through a ByteBuffer: the exit loop reads the exit
 * reason and its data here with plain memory loads and allocates nothing.
 */
public final class KvmRun extends StructView {
    public static final int SIZE = 2352;
    public static final int REQUEST_INTERRUPT_WINDOW = 0, IMMEDIATE_EXIT = 1, EXIT_REASON = 8,
            READY_FOR_INTERRUPT_INJECTION = 12, IF_FLAG = 13, FLAGS = 14, CR8 = 16, APIC_BASE = 24, EXIT = 32,
            KVM_VALID_REGS = 288, KVM_DIRTY_REGS = 296, SYNC_REGS = 304;
    /** exit union members. */
    public static final int IO_DIRECTION = 32, IO_SIZE = 33, IO_PORT = 34, IO_COUNT = 36, IO_DATA_OFFSET = 40;
    public static final int MMIO_PHYS_ADDR = 32, MMIO_DATA = 40, MMIO_LEN = 48, MMIO_IS_WRITE = 52;
    public static final int FAIL_ENTRY_REASON = 32, FAIL_ENTRY_CPU = 40;
    public static final int INTERNAL_SUBERROR = 32, INTERNAL_NDATA = 36, INTERNAL_DATA = 40;
    public static final int SYSTEM_EVENT_TYPE = 32;
    public static final int EX_EXCEPTION = 32, EX_ERROR_CODE = 36;
    /** struct kvm_sync_regs inside kvm_run.s. */
    public static final int SYNC_REGS_REGS = SYNC_REGS, SYNC_REGS_SREGS = SYNC_REGS + KvmRegs.SIZE,
            SYNC_REGS_EVENTS = SYNC_REGS + KvmRegs.SIZE + KvmSregs.SIZE;
    public static final int SYNC_X86_REGS = 1, SYNC_X86_SREGS = 2, SYNC_X86_EVENTS = 4;

    public static final int EXIT_UNKNOWN = 0, EXIT_EXCEPTION = 1, EXIT_IO = 2, EXIT_HYPERCALL = 3, EXIT_DEBUG = 4,
            EXIT_HLT = 5, EXIT_MMIO = 6, EXIT_IRQ_WINDOW_OPEN = 7, EXIT_SHUTDOWN = 8, EXIT_FAIL_ENTRY = 9,
            EXIT_INTR = 10, EXIT_NMI = 16, EXIT_INTERNAL_ERROR = 17, EXIT_SYSTEM_EVENT = 24;
    public static final int IO_IN = 0, IO_OUT = 1;
    public static final int SYSTEM_EVENT_SHUTDOWN = 1, SYSTEM_EVENT_RESET = 2, SYSTEM_EVENT_CRASH = 3;
    public static final int INTERNAL_ERROR_EMULATION = 1;

    private final KvmRegs syncRegs;
    private final KvmSregs syncSregs;
    private final KvmVcpuEvents syncEvents;

    KvmRun(NativeBuffer mapping) {
        super(mapping, 0);
        syncRegs = new KvmRegs(mapping, SYNC_REGS_REGS);
        syncSregs = new KvmSregs(mapping, SYNC_REGS_SREGS);
        syncEvents = new KvmVcpuEvents(mapping, SYNC_REGS_EVENTS);
    }

    @Override public int size() { return SIZE; }

    public int exitReason() { return buf.getInt(EXIT_REASON); }
    public boolean immediateExit() { return buf.get(IMMEDIATE_EXIT) != 0; }
    public void immediateExit(boolean on) { buf.put(IMMEDIATE_EXIT, (byte) (on ? 1 : 0)); }

    public int ioDirection() { return buf.get(IO_DIRECTION); }
    public int ioSize() { return buf.get(IO_SIZE); }
    public int ioPort() { return buf.getShort(IO_PORT) & 0xffff; }
    public int ioCount() { return buf.getInt(IO_COUNT); }
    public int ioDataOffset() { return (int) buf.getLong(IO_DATA_OFFSET); }

    public long mmioAddress() { return buf.getLong(MMIO_PHYS_ADDR); }
    public int mmioLength() { return buf.getInt(MMIO_LEN); }
    public boolean mmioIsWrite() { return buf.get(MMIO_IS_WRITE) != 0; }

    /** Reads size (1..8) little-endian bytes at offset of the kvm_run mapping (exit data). */
    public long readData(int offset, int size) {
        if (offset < 0 || offset + size > memory.size()) throw new KvmException("kvm_run data offset out of range");
        return switch (size) {
            case 1 -> buf.get(offset) & 0xffL;
            case 2 -> buf.getShort(offset) & 0xffffL;
            case 4 -> buf.getInt(offset) & 0xffffffffL;
            case 8 -> buf.getLong(offset);
            default -> {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) v = (v << 8) | (buf.get(offset + i) & 0xff);
                yield v;
            }
        };
    }

    public void writeData(int offset, int size, long value) {
        if (offset < 0 || offset + size > memory.size()) throw new KvmException("kvm_run data offset out of range");
        switch (size) {
            case 1 -> buf.put(offset, (byte) value);
            case 2 -> buf.putShort(offset, (short) value);
            case 4 -> buf.putInt(offset, (int) value);
            case 8 -> buf.putLong(offset, value);
            default -> {
                for (int i = 0; i < size; i++) buf.put(offset + i, (byte) (value >>> (8 * i)));
            }
        }
    }

    public int mappingSize() { return memory.size(); }

    public long validRegs() { return buf.getLong(KVM_VALID_REGS); }
    public void validRegs(long mask) { buf.putLong(KVM_VALID_REGS, mask); }
    public long dirtyRegs() { return buf.getLong(KVM_DIRTY_REGS); }
    public void dirtyRegs(long mask) { buf.putLong(KVM_DIRTY_REGS, mask); }

    /** kvm_run.s.regs: valid after KVM_RUN when SYNC_X86_REGS is in validRegs. */
    public KvmRegs syncRegs() { return syncRegs; }
    public KvmSregs syncSregs() { return syncSregs; }
    public KvmVcpuEvents syncEvents() { return syncEvents; }

    public static String exitName(int reason) {
        return switch (reason) {
            case EXIT_UNKNOWN -> "UNKNOWN"; case EXIT_EXCEPTION -> "EXCEPTION"; case EXIT_IO -> "IO";
            case EXIT_HYPERCALL -> "HYPERCALL"; case EXIT_DEBUG -> "DEBUG"; case EXIT_HLT -> "HLT";
            case EXIT_MMIO -> "MMIO"; case EXIT_IRQ_WINDOW_OPEN -> "IRQ_WINDOW_OPEN"; case EXIT_SHUTDOWN -> "SHUTDOWN";
            case EXIT_FAIL_ENTRY -> "FAIL_ENTRY"; case EXIT_INTR -> "INTR"; case EXIT_NMI -> "NMI";
            case EXIT_INTERNAL_ERROR -> "INTERNAL_ERROR"; case EXIT_SYSTEM_EVENT -> "SYSTEM_EVENT";
            default -> "exit " + reason;
        };
    }
}
