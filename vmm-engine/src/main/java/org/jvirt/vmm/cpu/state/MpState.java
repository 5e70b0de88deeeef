package org.jvirt.vmm.cpu.state;

/** The multiprocessor run state of a vCPU (the numbering is KVM's, which is also the section encoding). */
public enum MpState {
    RUNNABLE, UNINITIALIZED, INIT_RECEIVED, HALTED, SIPI_RECEIVED;

    public static MpState of(int code) {
        MpState[] all = values();
        if (code < 0 || code >= all.length) throw new IllegalArgumentException("unknown MP state " + code);
        return all[code];
    }

    public int code() { return ordinal(); }
}
