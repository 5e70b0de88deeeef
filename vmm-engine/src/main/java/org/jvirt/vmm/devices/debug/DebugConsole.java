package org.jvirt.vmm.devices.debug;

import org.jvirt.vmm.bus.IoDevice;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * QEMU's isa-debugcon (SeaBIOS's debug port 0x402, one port): each byte written goes to the
 * sink; a read returns 0xE9, which SeaBIOS checks before it logs there (without the device the
 * port floats at 0xFF and SeaBIOS stays quiet).
 */
public final class DebugConsole implements IoDevice {
    public static final int SEABIOS_PORT = 0x402, LENGTH = 1, READBACK = 0xe9;

    private final OutputStream sink;

    public DebugConsole(OutputStream sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public long read(long offset, int size) {
        return READBACK;
    }

    @Override
    public void write(long offset, int size, long value) {
        try {
            sink.write((int) value & 0xff);
            sink.flush();
        } catch (IOException e) {
            // a debug log that cannot be written loses its bytes; the guest goes on
        }
    }
}
