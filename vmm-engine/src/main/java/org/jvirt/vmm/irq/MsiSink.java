package org.jvirt.vmm.irq;

/** Delivers a message-signalled interrupt (the address/data pair a PCI function wrote). */
public interface MsiSink {
    void signalMsi(long address, int data);
}
