package org.jvirt.vmm.devices.debug;

import org.jvirt.vmm.bus.IoDevice;

import java.util.Objects;

/**
 * QEMU's isa-debug-exit device (iobase 0xf4, 1 port): a guest write of value v ends the VM with
 * process exit status (v &lt;&lt; 1) | 1, so a test guest can report a result. Reads return 0.
 * The listener runs on the writing vCPU's thread.
 */
public final class DebugExit implements IoDevice {
    public static final int PORT = 0xf4, LENGTH = 1;

    /** Told the value the guest wrote. */
    public interface Listener {
        void onDebugExit(int value);
    }

    private final Listener listener;

    public DebugExit(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** QEMU's exit status for a written value. */
    public static int exitStatus(int value) {
        return (value << 1) | 1;
    }

    @Override
    public long read(long offset, int size) {
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        long mask = size >= 4 ? 0xffffffffL : (1L << (8 * size)) - 1;
        listener.onDebugExit((int) (value & mask));
    }
}
