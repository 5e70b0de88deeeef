package org.jvirt.vmm.irq;

/** One interrupt input of the platform's interrupt controller (a GSI), as a device drives it. */
public interface InterruptLine {
    /** Drives the line to the given level (level-triggered devices such as PCI INTx). */
    void setLevel(boolean high);

    /** Raises then lowers the line (edge-triggered ISA devices such as the UART). */
    default void pulse() {
        setLevel(true);
        setLevel(false);
    }
}
