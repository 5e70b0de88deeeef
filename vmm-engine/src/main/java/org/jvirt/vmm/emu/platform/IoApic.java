package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.platform.IoApicState;

/**
 * The 82093AA-style IOAPIC (version 0x11, 24 pins) at 0xFEC00000: IOREGSEL at offset 0x00,
 * IOWIN at 0x10; registers ID (0), version (1), arbitration (2) and the redirection table
 * (0x10 + 2 * pin, low then high dword). Edge pins latch a rising edge until delivered (a
 * masked edge waits in IRR for the unmask); level pins deliver while high and set remote IRR
 * until the local APIC broadcasts the EOI of their vector. Delivery modes fixed,
 * lowest-priority, NMI, INIT and ExtINT, physical or logical destination, over the
 * {@link ApicBus}. The {@link IoApicState} fields mean what KVM's kvm_ioapic_state does (irr:
 * the asserted or not-yet-delivered pins; id: the 4-bit ID, not shifted).
 *
 * <p>Locking: the IOAPIC's monitor, held while delivering to the LAPICs (IOAPIC -> LAPIC).
 */
public final class IoApic implements IoDevice {
    public static final long DEFAULT_BASE = 0xFEC0_0000L;
    public static final int PINS = IoApicState.PINS, VERSION = 0x11;
    private static final long MASKED = 1L << 16, LEVEL = 1L << 15, REMOTE_IRR = 1L << 14, LOGICAL = 1L << 11;
    private static final long DELIVERY_STATUS = 1L << 12;
    /** Bits the guest may write: all but delivery status and remote IRR. */
    private static final long WRITABLE = ~(DELIVERY_STATUS | REMOTE_IRR);

    private final ApicBus bus;
    private final long[] redirection = new long[PINS];
    private long baseAddress = DEFAULT_BASE;
    private int registerSelect, id, irr;
    /** The level each pin's line is at (edge detection; not part of the state, as in KVM). */
    private int lineLevels;

    IoApic(ApicBus bus) {
        this.bus = bus;
        reset();
    }

    public synchronized void reset() {
        baseAddress = DEFAULT_BASE;
        registerSelect = id = irr = lineLevels = 0;
        java.util.Arrays.fill(redirection, MASKED);
    }

    /** Drives input pin (0-23). */
    public synchronized void setPin(int pin, boolean high) {
        int bit = 1 << pin;
        long entry = redirection[pin];
        if ((entry & LEVEL) != 0) {
            if (high) irr |= bit; else irr &= ~bit;
        } else if (high && (lineLevels & bit) == 0) {
            irr |= bit;
        }
        if (high) lineLevels |= bit; else lineLevels &= ~bit;
        if (high) service(pin);
    }

    /** Sends pin's interrupt if it is requested, unmasked and (level) not already in service. Lock held. */
    private void service(int pin) {
        int bit = 1 << pin;
        long e = redirection[pin];
        if ((irr & bit) == 0 || (e & MASKED) != 0) return;
        boolean level = (e & LEVEL) != 0;
        if (level && (e & REMOTE_IRR) != 0) return;
        int mode = (int) (e >> 8) & 7;
        int taken = bus.deliver((int) (e >>> 56), (e & LOGICAL) != 0, mode, (int) e & 0xff, level, ApicBus.NO_SHORTHAND, null);
        if (level) {
            if (taken > 0 && (mode == ApicBus.FIXED || mode == ApicBus.LOWEST_PRIORITY)) redirection[pin] |= REMOTE_IRR;
        } else {
            irr &= ~bit;
        }
    }

    /** A local APIC's EOI of a level-triggered vector: clears remote IRR of the pins using it, redelivers if still high. */
    public synchronized void endOfInterrupt(int vector) {
        for (int pin = 0; pin < PINS; pin++) {
            long e = redirection[pin];
            if ((e & 0xff) != vector || (e & REMOTE_IRR) == 0) continue;
            redirection[pin] = e & ~REMOTE_IRR;
            service(pin);
        }
    }

    // ---- MMIO ----

    @Override
    public synchronized long read(long offset, int size) {
        if (offset == 0) return registerSelect;
        if (offset != 0x10) return 0;
        int r = registerSelect;
        return switch (r) {
            case 0, 2 -> (long) (id & 0xf) << 24;
            case 1 -> (PINS - 1) << 16 | VERSION;
            default -> {
                int pin = (r - 0x10) >> 1;
                if (r < 0x10 || pin >= PINS) yield 0;
                yield (r & 1) == 0 ? redirection[pin] & 0xffff_ffffL : redirection[pin] >>> 32;
            }
        };
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) value;
        if (offset == 0) {
            registerSelect = v & 0xff;
            return;
        }
        if (offset != 0x10) return;
        int r = registerSelect;
        if (r == 0) {
            id = (v >>> 24) & 0xf;
            return;
        }
        int pin = (r - 0x10) >> 1;
        if (r < 0x10 || pin >= PINS) return;
        long old = redirection[pin];
        long written = (r & 1) == 0 ? (old & ~0xffff_ffffL) | (v & 0xffff_ffffL) : (old & 0xffff_ffffL) | (long) v << 32;
        long e = (written & WRITABLE) | (old & (REMOTE_IRR | DELIVERY_STATUS));
        if ((e & LEVEL) == 0) e &= ~REMOTE_IRR; // an edge pin has no remote IRR
        redirection[pin] = e;
        int bit = 1 << pin;
        if ((e & LEVEL) != 0 && (old & LEVEL) == 0) irr = (irr & ~bit) | (lineLevels & bit); // now follows the line
        service(pin);
    }

    // ---- state ----

    public synchronized IoApicState exportState() {
        return new IoApicState(baseAddress, registerSelect, id, irr, redirection);
    }

    public synchronized void importState(IoApicState s) {
        baseAddress = s.baseAddress();
        registerSelect = s.registerSelect();
        id = s.id();
        irr = s.irr();
        long[] red = s.redirection();
        System.arraycopy(red, 0, redirection, 0, PINS);
        lineLevels = 0;
        for (int pin = 0; pin < PINS; pin++) if ((red[pin] & LEVEL) != 0) lineLevels |= irr & (1 << pin);
        for (int pin = 0; pin < PINS; pin++) service(pin); // as KVM re-injects the IRR on KVM_SET_IRQCHIP
    }

    /** Where the guest sees the IOAPIC (the state's base address). */
    public synchronized long baseAddress() { return baseAddress; }
}
