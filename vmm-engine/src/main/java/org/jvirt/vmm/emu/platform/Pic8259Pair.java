package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.platform.PicState;

/**
 * The PC's two 8259A interrupt controllers: the master at ports 0x20/0x21 (IRQ 0-7), the slave
 * at 0xA0/0xA1 (IRQ 8-15) cascaded on the master's IRQ2, and the PIIX ELCR at 0x4D0/0x4D1
 * choosing edge or level triggering per line. The master's output is the CPU's INTR, which
 * the local APIC forwards through LINT0 in virtual-wire (ExtINT) mode.
 *
 * <p>Implements initialization (ICW1-4, single mode ignored: always cascaded), OCW1 masks,
 * OCW2 EOIs (non-specific, specific, with rotation, set priority, rotate in auto-EOI), OCW3
 * (read IRR/ISR, poll, special mask), auto-EOI, special fully nested mode, and the spurious
 * IRQ7/IRQ15 answer to an INTA with nothing left to deliver. The fields are those of
 * {@link PicState}, with the meanings KVM's i8259 gives them (initState 0 = operating,
 * 1..3 = waiting for ICW2..ICW4; readRegSelect 1 = ISR; priorityAdd = the lowest-numbered
 * line of highest priority).
 *
 * <p>One lock, the pair's monitor. The INTR listener runs after the lock is released.
 */
public final class Pic8259Pair {
    public static final int MASTER_PORT = 0x20, SLAVE_PORT = 0xA0, ELCR_PORT = 0x4D0;

    /** One 8259A's registers. */
    private static final class Chip {
        int lastIrr, irr, imr, isr, priorityAdd, irqBase, readRegSelect, poll, specialMask, initState,
                autoEoi, rotateOnAutoEoi, specialFullyNestedMode, init4, elcr, elcrMask;
        final boolean master;

        Chip(boolean master) {
            this.master = master;
            elcrMask = master ? 0xf8 : 0xde;
        }

        void reset() {
            lastIrr = irr = imr = isr = priorityAdd = irqBase = readRegSelect = poll = specialMask = initState = 0;
            autoEoi = rotateOnAutoEoi = specialFullyNestedMode = init4 = elcr = 0;
        }

        PicState export() {
            return new PicState(lastIrr, irr, imr, isr, priorityAdd, irqBase, readRegSelect, poll, specialMask, initState,
                    autoEoi, rotateOnAutoEoi, specialFullyNestedMode, init4, elcr, elcrMask);
        }

        void load(PicState s) {
            lastIrr = s.lastIrr(); irr = s.irr(); imr = s.imr(); isr = s.isr(); priorityAdd = s.priorityAdd();
            irqBase = s.irqBase(); readRegSelect = s.readRegSelect(); poll = s.poll(); specialMask = s.specialMask();
            initState = s.initState(); autoEoi = s.autoEoi(); rotateOnAutoEoi = s.rotateOnAutoEoi();
            specialFullyNestedMode = s.specialFullyNestedMode(); init4 = s.init4(); elcr = s.elcr(); elcrMask = s.elcrMask();
        }

        /** Drives input line irq (0-7); level lines follow the level, edge lines latch a rising edge. */
        void setLine(int irq, boolean high) {
            int bit = 1 << irq;
            if ((elcr & bit) != 0) {
                if (high) { irr |= bit; lastIrr |= bit; } else { irr &= ~bit; lastIrr &= ~bit; }
            } else if (high) {
                if ((lastIrr & bit) == 0) irr |= bit;
                lastIrr |= bit;
            } else {
                lastIrr &= ~bit;
            }
        }

        /** 0 = highest priority .. 7, or 8 when no bit of mask is set, counting from priorityAdd. */
        int priority(int mask) {
            if ((mask & 0xff) == 0) return 8;
            int p = 0;
            while ((mask & (1 << ((p + priorityAdd) & 7))) == 0) p++;
            return p;
        }

        /** The line this chip would present now, or -1. */
        int pendingIrq() {
            int p = priority(irr & ~imr);
            if (p == 8) return -1;
            int inService = isr;
            if (specialMask != 0) inService &= ~imr;
            // special fully nested: a higher-priority slave request may interrupt one in service on IRQ2
            if (specialFullyNestedMode != 0 && master) inService &= ~(1 << 2);
            return p < priority(inService) ? (p + priorityAdd) & 7 : -1;
        }

        /** The INTA for irq: into service (unless auto-EOI), edge requests cleared. */
        void acknowledge(int irq) {
            int bit = 1 << irq;
            if (autoEoi != 0) {
                if (rotateOnAutoEoi != 0) priorityAdd = (irq + 1) & 7;
            } else {
                isr |= bit;
            }
            if ((elcr & bit) == 0) irr &= ~bit;
        }
    }

    private final Chip master = new Chip(true), slave = new Chip(false);
    private volatile boolean output;
    private volatile Runnable intrListener = () -> { };

    public Pic8259Pair() { }

    /** Runs (without the PIC's lock) whenever INTR rises: the LAPIC that takes ExtINT wakes its vCPU. */
    public void setIntrListener(Runnable r) { intrListener = r == null ? () -> { } : r; }

    /** The master's INTR output. */
    public boolean hasInterrupt() { return output; }

    /** Drives ISA line irq (0-15). */
    public void setIrq(int irq, boolean high) {
        boolean rose;
        synchronized (this) {
            (irq < 8 ? master : slave).setLine(irq & 7, high);
            rose = update();
        }
        if (rose) intrListener.run();
    }

    /** The INTA cycle: the vector of the highest-priority request, or the spurious IRQ7/IRQ15 vector. */
    public int acknowledge() {
        synchronized (this) {
            int vector;
            int irq = master.pendingIrq();
            if (irq >= 0) {
                master.acknowledge(irq);
                if (irq == 2) {
                    int irq2 = slave.pendingIrq();
                    if (irq2 >= 0) slave.acknowledge(irq2);
                    else irq2 = 7; // the slave's request went away: spurious IRQ15
                    vector = slave.irqBase + irq2;
                } else {
                    vector = master.irqBase + irq;
                }
            } else {
                vector = master.irqBase + 7; // spurious IRQ7, nothing put in service
            }
            update();
            return vector & 0xff;
        }
    }

    /** Recomputes the cascade and INTR; true when INTR rose. Caller holds the lock. */
    private boolean update() {
        slaveToMaster();
        boolean was = output;
        output = master.pendingIrq() >= 0;
        return output && !was;
    }

    private void slaveToMaster() {
        master.setLine(2, slave.pendingIrq() >= 0);
    }

    public synchronized void reset() {
        master.reset();
        slave.reset();
        output = false;
    }

    public synchronized PicState exportMaster() { return master.export(); }

    public synchronized PicState exportSlave() { return slave.export(); }

    public void importState(PicState m, PicState s) {
        boolean rose;
        synchronized (this) {
            master.load(m);
            slave.load(s);
            boolean was = output;
            output = master.pendingIrq() >= 0;
            rose = output && !was;
        }
        if (rose) intrListener.run();
    }

    // ---- port I/O ----

    private void writePort(Chip c, int addr, int val) {
        if (addr == 0) {
            if ((val & 0x10) != 0) { // ICW1
                c.irr &= c.elcr;
                c.lastIrr &= c.elcr;
                c.imr = c.isr = c.priorityAdd = c.readRegSelect = c.poll = c.specialMask = 0;
                c.autoEoi = c.rotateOnAutoEoi = c.specialFullyNestedMode = 0;
                c.init4 = val & 1;
                c.initState = 1;
            } else if ((val & 0x08) != 0) { // OCW3
                if ((val & 0x04) != 0) c.poll = 1;
                if ((val & 0x02) != 0) c.readRegSelect = val & 1;
                if ((val & 0x40) != 0) c.specialMask = (val >> 5) & 1;
            } else { // OCW2
                int cmd = val >> 5;
                switch (cmd) {
                    case 0, 4 -> c.rotateOnAutoEoi = cmd >> 2;
                    case 1, 5 -> { // non-specific EOI (with rotation)
                        int p = c.priority(c.isr);
                        if (p != 8) {
                            int irq = (p + c.priorityAdd) & 7;
                            c.isr &= ~(1 << irq);
                            if (cmd == 5) c.priorityAdd = (irq + 1) & 7;
                        }
                    }
                    case 3 -> c.isr &= ~(1 << (val & 7));
                    case 6 -> c.priorityAdd = (val + 1) & 7;
                    case 7 -> {
                        c.isr &= ~(1 << (val & 7));
                        c.priorityAdd = (val + 1) & 7;
                    }
                    default -> { } // 2: no operation
                }
            }
        } else {
            switch (c.initState) {
                case 0 -> c.imr = val;                         // OCW1
                case 1 -> { c.irqBase = val & 0xf8; c.initState = 2; } // ICW2
                case 2 -> c.initState = c.init4 != 0 ? 3 : 0;  // ICW3 (cascade wiring is fixed)
                default -> {                                   // ICW4
                    c.specialFullyNestedMode = (val >> 4) & 1;
                    c.autoEoi = (val >> 1) & 1;
                    c.initState = 0;
                }
            }
        }
    }

    private int readPort(Chip c, int addr) {
        if (c.poll != 0) { // poll mode: this read is the INTA
            c.poll = 0;
            int irq = c.pendingIrq();
            if (irq < 0) return 0;
            c.acknowledge(irq);
            return 0x80 | irq;
        }
        if (addr == 0) return c.readRegSelect != 0 ? c.isr : c.irr;
        return c.imr;
    }

    private IoDevice port(Chip c) {
        return new IoDevice() {
            @Override public long read(long offset, int size) {
                boolean rose;
                int v;
                synchronized (Pic8259Pair.this) {
                    v = readPort(c, (int) offset & 1);
                    rose = update();
                }
                if (rose) intrListener.run();
                return v;
            }

            @Override public void write(long offset, int size, long value) {
                boolean rose;
                synchronized (Pic8259Pair.this) {
                    writePort(c, (int) offset & 1, (int) value & 0xff);
                    rose = update();
                }
                if (rose) intrListener.run();
            }
        };
    }

    /** Ports 0x20-0x21. */
    public IoDevice masterPorts() { return port(master); }

    /** Ports 0xA0-0xA1. */
    public IoDevice slavePorts() { return port(slave); }

    /** Ports 0x4D0-0x4D1: the ELCR of master, then slave (byte or word access). */
    public IoDevice elcrPorts() {
        return new IoDevice() {
            @Override public long read(long offset, int size) {
                synchronized (Pic8259Pair.this) {
                    long v = offset == 0 ? master.elcr | (long) slave.elcr << 8 : slave.elcr;
                    return size == 1 ? v & 0xff : v;
                }
            }

            @Override public void write(long offset, int size, long value) {
                boolean rose;
                synchronized (Pic8259Pair.this) {
                    if (offset == 0) {
                        master.elcr = (int) value & master.elcrMask;
                        if (size > 1) slave.elcr = (int) (value >> 8) & slave.elcrMask;
                    } else {
                        slave.elcr = (int) value & slave.elcrMask;
                    }
                    rose = update();
                }
                if (rose) intrListener.run();
            }
        };
    }
}
