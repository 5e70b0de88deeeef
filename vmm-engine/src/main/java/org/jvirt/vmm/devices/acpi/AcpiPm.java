package org.jvirt.vmm.devices.acpi;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.irq.InterruptLine;

/**
 * ACPI fixed-feature hardware: the PM1a event block, PM1a control block and PM timer, as one
 * port range of {@link #LENGTH} bytes (the machine registers it at {@link #DEFAULT_BASE},
 * 0x600 like QEMU's q35; AcpiTables puts the same ports in the FADT):
 * <pre>
 *   base+0  PM1a_STS (16 bit, write 1 to clear)   base+2  PM1a_EN (16 bit)
 *   base+4  PM1a_CNT (16 bit)                      base+8  PM_TMR  (32 bit read-only, 24 bits used)
 * </pre>
 * There is no SMI_CMD port: SCI_EN is set at reset, so the platform is always in ACPI mode
 * (the FADT says so by SMI_CMD = 0). The SCI is a level: high while SCI_EN and an enabled status
 * bit is set. Writing SLP_EN with SLP_TYP 0 (our \_S5 value, as QEMU's piix4 uses) calls the
 * power-off callback; other sleep types are ignored (no S1-S4).
 */
public final class AcpiPm implements IoDevice, Snapshottable, Resettable {

    public static final int DEFAULT_BASE = 0x600;
    public static final int LENGTH = 12;
    public static final int PM1_EVT_OFFSET = 0, PM1_CNT_OFFSET = 4, PM_TMR_OFFSET = 8;
    /** The SLP_TYP value the DSDT's \_S5 package declares. */
    public static final int SLP_TYP_S5 = 0;
    /** ACPI PM timer frequency in Hz. */
    public static final long PM_TIMER_HZ = 3_579_545;

    static final int STS_TMR = 0x0001, STS_PWRBTN = 0x0100, STS_WAK = 0x8000;
    static final int EN_PWRBTN = 0x0100;
    static final int CNT_SCI_EN = 0x0001, CNT_SLP_EN = 0x2000, CNT_SLP_TYP_SHIFT = 10, CNT_SLP_TYP_MASK = 0x1C00;
    private static final int STS_WRITABLE = 0xC731; // TMR, BM, GBL, PWRBTN, SLPBTN, RTC, PCIEXP_WAKE, WAK
    private static final int EN_WRITABLE = 0x4721;

    private final InterruptLine sci;
    private final Runnable powerOff;
    private final LongSupplier nanoTime;
    private final long timerEpoch;

    private int status, enable, control = CNT_SCI_EN;
    private boolean sciHigh;

    /**
     * @param sci      the SCI (IRQ 9 on this platform)
     * @param powerOff called (on the vCPU thread) when the guest enters S5
     * @param nanoTime monotonic time source for the PM timer (System::nanoTime)
     */
    public AcpiPm(InterruptLine sci, Runnable powerOff, LongSupplier nanoTime) {
        this.sci = Objects.requireNonNull(sci, "sci");
        this.powerOff = Objects.requireNonNull(powerOff, "powerOff");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.timerEpoch = nanoTime.getAsLong();
    }

    public AcpiPm(InterruptLine sci, Runnable powerOff) {
        this(sci, powerOff, System::nanoTime);
    }

    @Override
    public synchronized void reset() {
        status = 0;
        enable = 0;
        control = CNT_SCI_EN;
        updateSci();
    }

    /** The ACPI power button was pressed (e.g. virsh shutdown): the guest sees a fixed power-button event. */
    public synchronized void pressPowerButton() {
        status |= STS_PWRBTN;
        updateSci();
    }

    @Override
    public synchronized long read(long offset, int size) {
        int o = (int) offset;
        long v;
        if (o >= PM_TMR_OFFSET) {
            v = timer() >>> ((o - PM_TMR_OFFSET) * 8);
        } else {
            // The 16-bit registers are byte-addressable: assemble the 8 bytes base+0..7.
            long block = status | (long) enable << 16 | (long) (control & ~CNT_SLP_EN) << 32;
            v = block >>> (o * 8);
        }
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override
    public void write(long offset, int size, long value) {
        boolean off;
        synchronized (this) {
            off = writeLocked((int) offset, size, value);
        }
        if (off) powerOff.run(); // outside the lock: the callback stops the machine
    }

    private boolean writeLocked(int o, int size, long value) {
        boolean off = false;
        for (int i = 0; i < size && o + i < PM_TMR_OFFSET; i++) {
            int b = (int) (value >>> (i * 8)) & 0xFF;
            int at = o + i;
            int shift = (at & 1) * 8;
            switch (at >> 1) {
                case 0 -> status &= ~((b << shift) & STS_WRITABLE);           // write 1 to clear
                case 1 -> enable = (enable & ~(0xFF << shift)) | ((b << shift) & EN_WRITABLE);
                case 2 -> {
                    int c = (control & ~(0xFF << shift)) | (b << shift);
                    // SCI_EN stays set: there is no legacy (non-ACPI) mode to return to.
                    control = (c | CNT_SCI_EN) & ~CNT_SLP_EN;
                    if ((c & CNT_SLP_EN) != 0 && ((c & CNT_SLP_TYP_MASK) >> CNT_SLP_TYP_SHIFT) == SLP_TYP_S5) off = true;
                }
                default -> { } // reserved (PM1a_CNT is 2 bytes of a 4-byte slot)
            }
        }
        updateSci();
        return off;
    }

    private long timer() {
        long elapsed = nanoTime.getAsLong() - timerEpoch;
        // elapsed * 3579545 / 1e9, split into whole seconds so it cannot overflow
        long ticks = elapsed / 1_000_000_000L * PM_TIMER_HZ + elapsed % 1_000_000_000L * PM_TIMER_HZ / 1_000_000_000L;
        return ticks & 0xFFFFFF;
    }

    private void updateSci() {
        boolean high = (control & CNT_SCI_EN) != 0 && (status & enable) != 0;
        if (high != sciHigh) {
            sciHigh = high;
            sci.setLevel(high);
        }
    }

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeShort(status);
        out.writeShort(enable);
        out.writeShort(control);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        status = in.readUnsignedShort() & STS_WRITABLE;
        enable = in.readUnsignedShort() & EN_WRITABLE;
        control = (in.readUnsignedShort() | CNT_SCI_EN) & ~CNT_SLP_EN;
        updateSci();
    }
}
