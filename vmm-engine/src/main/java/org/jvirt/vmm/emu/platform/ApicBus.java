package org.jvirt.vmm.emu.platform;

/**
 * The APIC bus: carries interrupt messages from the IOAPIC, from MSIs and from one local APIC's
 * ICR to the local APICs they address (physical or logical destination, the shorthands,
 * lowest-priority arbitration). Holds no lock of its own; each target LAPIC takes its own.
 * Nothing is allocated per message.
 */
public final class ApicBus {
    public static final int FIXED = 0, LOWEST_PRIORITY = 1, SMI = 2, NMI = 4, INIT = 5, STARTUP = 6, EXT_INT = 7;
    public static final int NO_SHORTHAND = 0, SELF = 1, ALL_INCLUDING_SELF = 2, ALL_EXCLUDING_SELF = 3;

    private final LocalApic[] apics;

    ApicBus(LocalApic[] apics) {
        this.apics = apics;
    }

    public int size() { return apics.length; }

    public LocalApic apic(int index) { return apics[index]; }

    /**
     * Sends one message. dest is the 8-bit destination (an APIC ID, or a logical mask/cluster);
     * source is the sending LAPIC for the shorthands (null from the IOAPIC and MSIs).
     * Returns the number of LAPICs that took it.
     */
    public int deliver(int dest, boolean logical, int mode, int vector, boolean levelTriggered, int shorthand, LocalApic source) {
        if (mode == LOWEST_PRIORITY && shorthand == NO_SHORTHAND) {
            LocalApic best = null;
            int bestPriority = Integer.MAX_VALUE;
            for (LocalApic a : apics) {
                if (!a.matches(dest, logical) || !a.isSoftwareEnabled()) continue;
                int p = a.processorPriority();
                if (p < bestPriority) { best = a; bestPriority = p; }
            }
            if (best == null) return 0;
            best.receive(FIXED, vector, levelTriggered);
            return 1;
        }
        int taken = 0;
        for (LocalApic a : apics) {
            boolean target = switch (shorthand) {
                case SELF -> a == source;
                case ALL_INCLUDING_SELF -> true;
                case ALL_EXCLUDING_SELF -> a != source;
                default -> a.matches(dest, logical);
            };
            if (!target) continue;
            a.receive(mode == LOWEST_PRIORITY ? FIXED : mode, vector, levelTriggered);
            taken++;
        }
        return taken;
    }
}
