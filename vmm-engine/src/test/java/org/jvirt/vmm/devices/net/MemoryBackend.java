package org.jvirt.vmm.devices.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A backend in memory for device tests: records what the device sends and the offloads it sets; never receives (frames come through NetTestDriver.incoming). */
final class MemoryBackend implements NetBackend {
    final boolean vnet;
    final List<byte[]> sent = new ArrayList<>();
    int offloads = -1;

    MemoryBackend(boolean vnet) {
        this.vnet = vnet;
    }

    @Override public boolean hasVnetHeader() { return vnet; }
    @Override public int receive(byte[] buf, int offset, int timeoutMillis) throws java.io.IOException {
        try {
            Thread.sleep(timeoutMillis);
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
        return 0;
    }
    @Override public synchronized void send(byte[] buf, int offset, int length) { sent.add(Arrays.copyOfRange(buf, offset, offset + length)); }
    @Override public void setOffloads(int tunFlags) { offloads = tunFlags; }
    @Override public String name() { return "memory"; }
    @Override public void close() { }
}
