package org.jvirt.vmm.cpu.state;

/**
 * Events the vCPU has accepted but not finished delivering: an exception, an external or soft
 * interrupt, an NMI, the SIPI vector, SMM state, and the interrupt shadow after STI or MOV SS.
 */
public record PendingEvents(boolean exceptionInjected, boolean exceptionPending, int exceptionVector,
                            boolean exceptionHasErrorCode, int exceptionErrorCode,
                            boolean exceptionHasPayload, long exceptionPayload,
                            boolean interruptInjected, int interruptVector, boolean interruptSoft, int interruptShadow,
                            boolean nmiInjected, boolean nmiPending, boolean nmiMasked,
                            int sipiVector, boolean smm, boolean smiPending, boolean smmInsideNmi, boolean latchedInit) {

    /** Nothing pending (a CPU after reset). */
    public static final PendingEvents NONE = new PendingEvents(false, false, 0, false, 0, false, 0,
            false, 0, false, 0, false, false, false, 0, false, false, false, false);

    public PendingEvents {
        if ((exceptionVector & ~0xff) != 0 || (interruptVector & ~0xff) != 0 || (interruptShadow & ~0xff) != 0) {
            throw new IllegalArgumentException("vector or shadow out of range");
        }
    }
}
