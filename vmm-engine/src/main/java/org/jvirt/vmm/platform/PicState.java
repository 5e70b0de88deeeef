package org.jvirt.vmm.platform;

/**
 * One 8259A: its registers (IRR, IMR, ISR, the last IRR seen for edge detection), the vector
 * base, the initialization-sequence and operating-mode state, and the PIIX ELCR (level/edge per
 * line). All values are 8-bit.
 */
public record PicState(int lastIrr, int irr, int imr, int isr, int priorityAdd, int irqBase, int readRegSelect,
                       int poll, int specialMask, int initState, int autoEoi, int rotateOnAutoEoi,
                       int specialFullyNestedMode, int init4, int elcr, int elcrMask) {
    public PicState {
        for (int v : new int[]{lastIrr, irr, imr, isr, priorityAdd, irqBase, readRegSelect, poll, specialMask, initState,
                autoEoi, rotateOnAutoEoi, specialFullyNestedMode, init4, elcr, elcrMask}) {
            if ((v & ~0xff) != 0) throw new IllegalArgumentException("8259 state field " + v + " is not 8-bit");
        }
    }

    /** The fields in register order (the section's encoding). */
    public int[] fields() {
        return new int[]{lastIrr, irr, imr, isr, priorityAdd, irqBase, readRegSelect, poll, specialMask, initState,
                autoEoi, rotateOnAutoEoi, specialFullyNestedMode, init4, elcr, elcrMask};
    }

    public static PicState of(int[] f) {
        if (f.length != 16) throw new IllegalArgumentException("8259 state has 16 fields");
        return new PicState(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15]);
    }
}
