package org.jvirt.vmm.testutil;

import org.jvirt.vmm.irq.InterruptLine;

/** An interrupt line that remembers its level and counts rising edges. */
public final class RecordingInterruptLine implements InterruptLine {
    private boolean level;
    private int risingEdges;

    @Override
    public synchronized void setLevel(boolean high) {
        if (high && !level) risingEdges++;
        level = high;
    }

    public synchronized boolean level() { return level; }

    public synchronized int risingEdges() { return risingEdges; }
}
