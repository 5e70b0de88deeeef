package org.jvirt.vmm.platform;

import java.util.Arrays;

/** The IOAPIC: MMIO base, the register select, ID, pending IRR bits and the 24 redirection entries. */
public record IoApicState(long baseAddress, int registerSelect, int id, int irr, long[] redirection) {
    public static final int PINS = 24;

    public IoApicState {
        if (redirection.length != PINS) throw new IllegalArgumentException("the IOAPIC has 24 redirection entries");
        redirection = redirection.clone();
    }

    @Override public long[] redirection() { return redirection.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof IoApicState s && baseAddress == s.baseAddress && registerSelect == s.registerSelect && id == s.id
                && irr == s.irr && Arrays.equals(redirection, s.redirection);
    }

    @Override public int hashCode() { return Arrays.hashCode(redirection) * 31 + id; }

    @Override
    public String toString() {
        return String.format("IoApicState[base=%x sel=%x id=%x irr=%x redirection=%s]", baseAddress, registerSelect, id, irr,
                Arrays.toString(redirection));
    }
}
